//! What one client looks at: its active tab, the focused pane in each tab,
//! and its input mode. Clients have their own views unless the session
//! mirrors one view to all. A view holds no pane: it names them by id.

use std::collections::HashMap;

use revenant_config::Mode;

use crate::pane::PaneIo;
use crate::selection::Click;
use crate::session::Session;
use crate::tab::Tab;
use crate::tiling::PaneId;

#[derive(Debug, Clone, Default)]
pub struct View {
    /// Index into the session's tabs.
    pub tab: usize,
    /// Focused tiled pane per tab id.
    pub tiled_focus: HashMap<u32, PaneId>,
    /// Focused floating pane per tab id.
    pub floating_focus: HashMap<u32, PaneId>,
    pub mode: Mode,
    /// The new name being typed in rename-tab mode.
    pub rename: Option<String>,
    /// The pane a mouse drag is selecting in.
    pub selecting: Option<PaneId>,
    /// The pane edge a mouse drag is moving.
    pub resizing: Option<(PaneId, crate::tiling::Towards)>,
    pub last_click: Option<Click>,
    /// The pane focused before the current one (`focus-last-pane`).
    pub last_focus: Option<PaneId>,
}

impl View {
    pub fn tab<'a, Io>(&self, session: &'a Session<Io>) -> Option<&'a Tab> {
        session.tabs.get(self.tab.min(session.tabs.len().saturating_sub(1)))
    }

    pub fn tab_index<Io>(&self, session: &Session<Io>) -> usize {
        self.tab.min(session.tabs.len().saturating_sub(1))
    }

    /// The pane keyboard input goes to.
    pub fn focused<Io>(&self, session: &Session<Io>) -> Option<PaneId> {
        let tab = self.tab(session)?;
        if tab.floating_visible
            && let Some(id) = self.floating_focus.get(&tab.id).copied().filter(|id| tab.is_floating(*id))
        {
            return Some(id);
        }
        if tab.floating_visible && !tab.floating.is_empty() {
            return tab.floating.last().map(|f| f.id);
        }
        if let Some(id) = tab.fullscreen {
            return Some(id);
        }
        self.tiled_focus
            .get(&tab.id)
            .copied()
            .filter(|id| tab.tiled.contains(*id))
            // Not a stack member hidden under its open one. Asked on every
            // key and frame: a walk, not a layout.
            .or_else(|| tab.tiled.first_shown())
    }

    /// Focuses `id`, switching to its tab. Focusing a tiled pane hides the
    /// tab's floating panes, which would otherwise keep the keyboard.
    pub fn focus<Io: PaneIo>(&mut self, session: &mut Session<Io>, id: PaneId) {
        let Some(t) = session.tab_of(id) else { return };
        let before = self.focused(session);
        if before != Some(id) {
            self.last_focus = before;
        }
        self.tab = t;
        let tab = &mut session.tabs[t];
        if tab.is_floating(id) {
            self.floating_focus.insert(tab.id, id);
            tab.floating_visible = true;
        } else {
            self.tiled_focus.insert(tab.id, id);
            tab.floating_visible = false;
            // Focus opens a stacked pane; its stack's panes change size.
            if tab.tiled.expand(id) {
                session.relayout_wanted = true;
            }
        }
    }

    /// Keeps the view on a sensible tab after tab `removed` went away.
    pub fn tab_removed(&mut self, removed: usize, remaining: usize) {
        if self.tab > removed || (self.tab == removed && self.tab >= remaining) {
            self.tab = self.tab.saturating_sub(1);
        }
    }
}
