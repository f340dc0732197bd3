//! The session's size and what every client is sent: the session takes
//! its smallest client's size, its panes are laid out in it, and each
//! client's frame is drawn from its own view (`crate::frames`).

use revenant_config::themes::UiColours;
use std::time::Instant;

use revenant_session::tiling::Rect;

use super::Server;
use super::clients::ClientId;
use crate::frames::render;
use crate::ipc::Role;

impl Server {
    /// The area panes are laid out in: the session size less the tab bar
    /// and the status bar.
    pub(super) fn pane_area(&self) -> Rect {
        let (cols, rows) = self.size;
        self.session.bars.pane_area(cols, rows)
    }

    /// The session takes the size of its smallest interactive client, so
    /// every client sees every pane whole; with none, the headless size.
    pub(super) fn resize_to_clients(&mut self) {
        let sizes = self.clients.values().filter(|c| c.role == Some(Role::Attach)).map(|c| (c.cols, c.rows));
        let size = sizes
            .fold(None, |acc: Option<(u16, u16)>, (c, r)| Some(acc.map_or((c, r), |(ac, ar)| (ac.min(c), ar.min(r)))));
        let size = size.unwrap_or(self.headless_size);
        let size = (size.0.max(1), size.1.max(1));
        if size != self.size {
            self.size = size;
            self.relayout();
        }
        self.dirty = true;
    }

    /// Resizes every pane to its place in the current layout.
    pub(super) fn relayout(&mut self) {
        self.session.relayout_wanted = false;
        let area = self.pane_area();
        let frames = self.config.pane_frames;
        let mut plugin_panes = Vec::new();
        for tab in &self.session.tabs {
            for placement in tab.placements(area) {
                // A stack's members all get its open pane's terminal size,
                // so opening one does not make its program redraw.
                let list = tab.tiled.stack_of(placement.id).map_or(0, |s| s.panes.len() as u16);
                if let Some(pane) = self.session.panes.get_mut(&placement.id) {
                    let framed = render::framed(frames, placement.floating, pane.borderless);
                    let inner = render::below_list(render::inner(placement.rect, framed), list);
                    pane.resize(inner.w, inner.h);
                    if pane.io.plugin.is_some() {
                        plugin_panes.push(pane.id);
                    }
                }
            }
        }
        for id in plugin_panes {
            self.resize_plugin(id);
        }
        self.dirty = true;
    }

    /// Lays the panes out again if the model asked for it.
    pub(super) fn relayout_if_wanted(&mut self) {
        if self.session.relayout_wanted {
            self.relayout();
        }
    }

    pub(super) fn render_all(&mut self) {
        self.drop_stalled_clients();
        self.end_orphan_copies();
        self.refresh_searches();
        self.clear_seen_bells();
        let now = Instant::now();
        self.dirty = false;
        let mut sent = false;
        let ids: Vec<ClientId> = self.clients.keys().copied().collect();
        for id in ids {
            let client = self.clients.get_mut(&id).expect("listed");
            if matches!(client.role, None | Some(Role::Command | Role::Subscribe)) {
                continue;
            }
            if !client.ready_for_frame() {
                // A slow client: try again next frame rather than queue up.
                client.stalled_since.get_or_insert_with(Instant::now);
                self.dirty = true;
                continue;
            }
            client.stalled_since = None;
            // Borrowed out and put back rather than cloned: a clone of its
            // maps on every frame was a cost of every echoed key.
            let own = !self.config.mirror_session;
            let view = if own { std::mem::take(&mut client.view) } else { self.base.clone() };
            let keybinds = &self.config.keybinds;
            let copy_keys = self.config.copy_mode_keys;
            self.hint_cache.entry(view.mode).or_insert_with(|| {
                let mut hints = keybinds.mode_hints(view.mode);
                if view.mode == revenant_config::Mode::Copy {
                    hints.extend(revenant_session::copy_keys::hints(copy_keys));
                }
                hints
            });
            let t = view.tab_index(&self.session);
            let swap = self.session.swap_name(t).map(|name| (name, self.session.swap_dirty(t)));
            let client = self.clients.get_mut(&id).expect("listed");
            let ctx = render::Context {
                session: &self.session,
                view: &view,
                area: self.session.bars.pane_area(self.size.0, self.size.1),
                frames: self.config.pane_frames,
                hints: &self.hint_cache[&view.mode],
                watcher: client.role == Some(Role::Watch),
                notice: self.notice.as_ref().map(|(text, _)| text.as_str()),
                swap: swap.as_ref().map(|(name, dirty)| (name.as_str(), *dirty)),
                ui: self.theme_colours.get(client.scheme),
            };
            sent |= client.draw(&ctx);
            if own {
                client.view = view;
            }
        }
        // A frame that changed nothing (a key before its echo) does not
        // count: the echo's frame must not wait for it.
        if sent {
            self.pacer.drew(now);
            self.frame_cost.add(now.elapsed());
        }
    }
}

/// The UI colours of the config's theme for each colour scheme a client's
/// terminal may report (or none).
pub(super) struct ThemeColours {
    unknown: UiColours,
    dark: UiColours,
    light: UiColours,
}

impl ThemeColours {
    pub(super) fn of(config: &revenant_config::Config) -> ThemeColours {
        use revenant_config::ColourScheme::{Dark, Light};
        ThemeColours {
            unknown: config.theme_for(None).ui(),
            dark: config.theme_for(Some(Dark)).ui(),
            light: config.theme_for(Some(Light)).ui(),
        }
    }

    pub(super) fn get(&self, scheme: Option<revenant_config::ColourScheme>) -> UiColours {
        match scheme {
            None => self.unknown,
            Some(revenant_config::ColourScheme::Dark) => self.dark,
            Some(revenant_config::ColourScheme::Light) => self.light,
        }
    }
}
