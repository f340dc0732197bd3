//! What a client's input does: key bindings of the client's mode, the
//! rename prompt, exited-pane keys, and everything else forwarded to the
//! focused pane's program.

use revenant_config::{Action as Bound, Dir4, Direction as BoundDir, KeyName, KeySpec, Mode, ResizeKind};

use crate::ipc::{ExitReason, InputEvent, SplitDirection};
use revenant_session::copy_mode::CopyAction;
use revenant_session::input::{Key, KeyCode};
use revenant_session::tiling::{PaneId, Towards};

use super::Server;
use super::clients::{ClientId, Who};

fn key_spec(k: Key) -> KeySpec {
    let key = match k.code {
        KeyCode::Char(c) => KeyName::Char(c),
        KeyCode::Enter => KeyName::Enter,
        KeyCode::Esc => KeyName::Esc,
        KeyCode::Backspace => KeyName::Backspace,
        KeyCode::Tab => KeyName::Tab,
        KeyCode::BackTab => KeyName::BackTab,
        KeyCode::Delete => KeyName::Delete,
        KeyCode::Insert => KeyName::Insert,
        KeyCode::Up => KeyName::Up,
        KeyCode::Down => KeyName::Down,
        KeyCode::Left => KeyName::Left,
        KeyCode::Right => KeyName::Right,
        KeyCode::Home => KeyName::Home,
        KeyCode::End => KeyName::End,
        KeyCode::PageUp => KeyName::PageUp,
        KeyCode::PageDown => KeyName::PageDown,
        KeyCode::F(n) => KeyName::F(n),
    };
    // Shift is part of an uppercase character already.
    let shift = k.mods.shift && !matches!(k.code, KeyCode::Char(_));
    KeySpec { key, ctrl: k.mods.ctrl, alt: k.mods.alt, shift }
}

impl Server {
    pub(super) fn input(&mut self, client: ClientId, event: InputEvent) {
        let who = Who::Client(client);
        match event {
            InputEvent::Key(k) => self.key(who, k),
            InputEvent::Paste(text) => {
                // A refusal is shown in the status bar.
                let _ = self.paste(who, &text);
            }
            InputEvent::Mouse(m) => self.mouse(who, m),
            // Taken by the connection (`connections`) before it gets here.
            InputEvent::ColourScheme { .. } => {}
            InputEvent::FocusGained | InputEvent::FocusLost => {
                let gained = matches!(event, InputEvent::FocusGained);
                if let Some(pane) = self.focused_pane_mut(who)
                    && pane.term.modes().focus_events
                {
                    let _ = pane.write(if gained { b"\x1b[I" } else { b"\x1b[O" });
                }
            }
        }
        self.dirty = true;
    }

    fn key(&mut self, who: Who, k: Key) {
        let mode = self.view(who).mode;
        if mode == Mode::RenameTab {
            self.rename_key(who, k);
            return;
        }
        let spec = key_spec(k);
        if let Some(actions) = self.config.keybinds.lookup(mode, &spec).map(<[Bound]>::to_vec) {
            for action in actions {
                // A key has nobody to answer: what failed is a notice.
                if let Err(e) = self.run_bound(who, action) {
                    self.post_notice(e);
                }
            }
            return;
        }
        if mode == Mode::EnterSearch {
            self.search_key(who, k);
            return;
        }
        if mode == Mode::Copy {
            self.copy_key(who, k);
            return;
        }
        if mode != Mode::Normal && mode != Mode::Locked {
            return;
        }
        if let Some(id) = self.focused(who)
            && self.session.panes.get(&id).is_some_and(|p| p.io.plugin.is_some())
        {
            self.plugin_key(who, id, k);
            return;
        }
        // An exited or held-back command pane answers ENTER and Ctrl-c itself.
        if let Some(id) = self.focused(who)
            && self.session.panes.get(&id).is_some_and(|p| p.exited.is_some() || p.suspended)
        {
            match (k.code, k.mods.ctrl) {
                (KeyCode::Enter, false) => self.run_held(id),
                (KeyCode::Esc, _) => self.drop_to_shell(id),
                (KeyCode::Char('c'), true) => self.close_pane(id),
                _ => {}
            }
            return;
        }
        let _ = self.type_key(who, k);
    }

    fn rename_key(&mut self, who: Who, k: Key) {
        let view = self.view_mut_for(who);
        let buffer = view.rename.get_or_insert_with(String::new);
        match k.code {
            KeyCode::Char(c) if !k.mods.ctrl && !k.mods.alt => buffer.push(c),
            KeyCode::Backspace => {
                buffer.pop();
            }
            KeyCode::Enter => {
                let name = view.rename.take().unwrap_or_default();
                view.mode = Mode::Normal;
                let t = view.tab;
                if !name.trim().is_empty()
                    && let Some(tab) = self.session.tabs.get_mut(t)
                {
                    tab.name = name;
                }
            }
            KeyCode::Esc => {
                view.rename = None;
                view.mode = Mode::Normal;
            }
            _ => {}
        }
    }

    /// What a key bound to `action` does. What can fail says why: the key
    /// path shows it as a notice, `action` answers it to the CLI.
    pub(super) fn run_bound(&mut self, who: Who, action: Bound) -> Result<(), String> {
        match action {
            Bound::SwitchToMode(mode) => {
                let view = self.view_mut_for(who);
                view.mode = mode;
                if mode == Mode::RenameTab {
                    view.rename = Some(String::new());
                }
                self.search_mode_changed(who, mode);
                self.copy_mode_left(who, mode);
            }
            Bound::BeginRenameTab => {
                let view = self.view_mut_for(who);
                view.mode = Mode::RenameTab;
                view.rename = Some(String::new());
            }
            Bound::NewPane(dir) => {
                let dir = dir.map(|d| match d {
                    BoundDir::Right => SplitDirection::Right,
                    BoundDir::Down => SplitDirection::Down,
                });
                let req = super::verbs::panes::PaneRequest { direction: dir, ..Default::default() };
                if let Err(e) = self.new_pane(who, req) {
                    tracing::warn!("new pane: {e:#}");
                }
            }
            Bound::ClosePane => {
                if let Some(id) = self.focused(who) {
                    self.close_pane(id);
                }
            }
            Bound::ToggleFullscreen => self.toggle_fullscreen(who),
            Bound::ToggleFloatingPanes => self.toggle_floating(who),
            Bound::NextSwapLayout | Bound::PreviousSwapLayout => {
                self.step_swap_layout(who, if action == Bound::NextSwapLayout { 1 } else { -1 })?;
            }
            Bound::MoveFocus(d) => self.move_focus(who, Towards::from(d), false),
            Bound::MoveFocusOrTab(d) => self.move_focus(who, Towards::from(d), true),
            Bound::MovePane(d) => self.move_pane(who, d, 1),
            Bound::MovePaneBackwards => self.move_pane(who, None, -1),
            Bound::MoveTab(d) => self.move_tab(who, d),
            Bound::FocusNextPane => self.focus_step(who, 1),
            Bound::FocusPreviousPane => self.focus_step(who, -1),
            Bound::TogglePaneFrames => self.toggle_pane_frames(),
            Bound::TogglePaneEmbedOrFloating => self.toggle_embed_or_floating(who)?,
            Bound::ShowFloatingPanes => self.set_floating_visible(who, true),
            Bound::HideFloatingPanes => self.set_floating_visible(who, false),
            Bound::UndoRenameTab => self.undo_rename_tab(who),
            Bound::UndoRenamePane => self.undo_rename_pane(who),
            Bound::Clear => self.clear_focused(who),
            Bound::EditScrollback => self.edit_scrollback(who)?,
            Bound::ToggleActiveSyncTab => self.toggle_sync(who),
            Bound::Search(dir) => self.search_step(who, dir),
            Bound::SearchToggleOption(option) => self.search_toggle(who, option),
            Bound::Copy => self.copy_selection(who),
            Bound::Resize(kind, dir) => self.resize_focused(who, kind, dir),
            Bound::NewTab => {
                if let Err(e) = self.new_tab(who, None) {
                    tracing::warn!("new tab: {e:#}");
                }
            }
            Bound::CloseTab => self.close_tab(who),
            Bound::GoToNextTab => self.step_tab(who, 1),
            Bound::GoToPreviousTab => self.step_tab(who, -1),
            Bound::GoToTab(n) => self.go_to_tab(who, n),
            Bound::Detach => match who {
                Who::Client(id) => self.detach(id),
                Who::Active => {}
            },
            Bound::Quit => self.quit_cleanly(ExitReason::Killed, None),
            Bound::LaunchSessionManager => {
                self.open_session_manager(who);
                self.view_mut_for(who).mode = Mode::Normal;
            }
            Bound::SaveSession => {
                self.saving.announce = true;
                if let Err(e) = self.request_save("Ctrl-o s", None, false) {
                    self.saving.announce = false;
                    self.post_notice(format!("Not saved: {e}"));
                }
            }
            Bound::ScrollUp => self.scroll(who, 1),
            Bound::ScrollDown => self.scroll(who, -1),
            Bound::PageScrollUp => self.scroll_pages(who, 1.0),
            Bound::PageScrollDown => self.scroll_pages(who, -1.0),
            Bound::HalfPageScrollUp => self.scroll_pages(who, 0.5),
            Bound::HalfPageScrollDown => self.scroll_pages(who, -0.5),
            Bound::ScrollToTop => self.scroll(who, isize::MAX),
            Bound::ScrollToBottom => self.scroll(who, isize::MIN),
            Bound::CopyMode => self.start_copy_mode(who),
            Bound::PreviousPrompt => self.copy_from_scroll(who, CopyAction::PromptUp),
            Bound::NextPrompt => self.copy_from_scroll(who, CopyAction::PromptDown),
            Bound::SelectOutput => self.copy_from_scroll(who, CopyAction::SelectOutput),
            Bound::Write(bytes) => {
                let _ = self.type_bytes(who, &bytes);
            }
            Bound::WriteChars(text) => {
                let _ = self.type_bytes(who, text.as_bytes());
            }
        }
        self.dirty = true;
        Ok(())
    }

    fn scroll(&mut self, who: Who, lines: isize) {
        if let Some(pane) = self.focused_pane_mut(who) {
            let max = pane.term.scrollback_len();
            pane.scroll = (pane.scroll as isize).saturating_add(lines).clamp(0, max as isize) as usize;
        }
    }

    fn scroll_pages(&mut self, who: Who, pages: f64) {
        if let Some(pane) = self.focused_pane_mut(who) {
            let lines = (pane.term.rows() as f64 * pages) as isize;
            let max = pane.term.scrollback_len();
            pane.scroll = (pane.scroll as isize).saturating_add(lines).clamp(0, max as isize) as usize;
        }
    }

    fn resize_focused(&mut self, who: Who, kind: ResizeKind, dir: Option<Dir4>) {
        let Some(id) = self.focused(who) else { return };
        let Some(t) = self.session.tab_of(id) else { return };
        let tab = &mut self.session.tabs[t];
        let step = 5.0;
        let changed = match (kind, dir) {
            (ResizeKind::Increase, Some(d)) => tab.tiled.resize(id, Towards::from(d), step),
            (ResizeKind::Decrease, Some(d)) => tab.tiled.resize(id, Towards::from(d), -step),
            // Without a direction, grow (or shrink) towards whichever side
            // has room.
            (kind, None) => {
                let delta = if kind == ResizeKind::Increase { step } else { -step };
                [Towards::Right, Towards::Down, Towards::Left, Towards::Up]
                    .into_iter()
                    .any(|d| tab.tiled.resize(id, d, delta))
            }
        };
        if changed {
            // Arranged by hand: the swap layout no longer re-applies.
            tab.swap_dirty = true;
            self.relayout();
        }
    }

    pub(super) fn focused(&self, who: Who) -> Option<PaneId> {
        self.view(who).focused(&self.session)
    }

    fn focused_pane_mut(&mut self, who: Who) -> Option<&mut super::Pane> {
        let id = self.focused(who)?;
        self.session.panes.get_mut(&id)
    }

    /// The client whose view `who` acts through; `None` means the base view
    /// (no such client, no active client, or a mirrored session).
    fn view_owner(&self, who: Who) -> Option<ClientId> {
        if self.config.mirror_session {
            return None;
        }
        match who {
            Who::Client(id) => Some(id).filter(|id| self.clients.contains_key(id)),
            Who::Active => self.active_client(),
        }
    }

    /// The client CLI verbs act through: the one that typed last, else the
    /// first attached; `None`: nobody is attached (the base view).
    pub(super) fn active_client(&self) -> Option<ClientId> {
        self.last_active
            .filter(|id| self.clients.contains_key(id))
            .or_else(|| self.clients.values().find(|c| c.role == Some(crate::ipc::Role::Attach)).map(|c| c.id))
    }

    pub(super) fn view(&self, who: Who) -> &revenant_session::View {
        match self.view_owner(who) {
            Some(id) => &self.clients[&id].view,
            None => &self.base,
        }
    }

    pub(super) fn view_mut_for(&mut self, who: Who) -> &mut revenant_session::View {
        self.with_view(who, |view, _| view)
    }

    /// Runs `f` with the view and the session borrowed together.
    pub(super) fn with_view<'s, R>(
        &'s mut self,
        who: Who,
        f: impl FnOnce(&'s mut revenant_session::View, &'s mut super::Session) -> R,
    ) -> R {
        let view = match self.view_owner(who) {
            Some(id) => &mut self.clients.get_mut(&id).expect("view_owner checked it").view,
            None => &mut self.base,
        };
        f(view, &mut self.session)
    }
}
