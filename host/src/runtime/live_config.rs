//! config.kdl applies to a running session when it is saved: keybinds,
//! frames, the mouse, the copy and bell options, what and how often a save
//! keeps, the hosts. A file that does not parse changes nothing (the
//! caller says so once, with its line); options that only apply to what
//! is made next (a new pane's scrollback, shell; a new session's layout)
//! are named in the notice.

use revenant_config::Config;

use super::Server;
use crate::ipc::Role;

/// What turns the mouse on and off in a terminal (crossterm's).
const MOUSE_ON: &[u8] = b"\x1b[?1000h\x1b[?1002h\x1b[?1003h\x1b[?1015h\x1b[?1006h";
const MOUSE_OFF: &[u8] = b"\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l";

impl Server {
    /// Takes every option of `new` but the plugins (their own step).
    pub(super) fn apply_live_config(&mut self, mut new: Config) {
        new.plugins = self.config.plugins.clone();
        if new == self.config {
            return;
        }
        let old = std::mem::replace(&mut self.config, new);
        let new = &self.config;
        let mut later = Vec::new();
        if old.scroll_buffer_size != new.scroll_buffer_size {
            later.push("scroll_buffer_size (new panes)");
        }
        if old.default_shell != new.default_shell {
            later.push("default_shell (new panes)");
        }
        if old.default_layout != new.default_layout || old.layout_dir != new.layout_dir {
            later.push("default_layout and layout_dir (new sessions and tabs)");
        }
        // Copy mode's hints are its key set's.
        if old.keybinds != new.keybinds || old.copy_mode_keys != new.copy_mode_keys {
            self.hint_cache.clear();
        }
        self.theme_colours = super::drawing::ThemeColours::of(new);
        if old.mouse_mode != new.mouse_mode {
            let bytes = if new.mouse_mode { MOUSE_ON } else { MOUSE_OFF };
            for c in self.clients.values_mut().filter(|c| matches!(c.role, Some(Role::Attach | Role::Watch))) {
                c.send_terminal(bytes.to_vec());
            }
        }
        if old.pane_frames != new.pane_frames {
            self.relayout();
        }
        tracing::info!("config.kdl applied to the running session");
        let note = match later.as_slice() {
            [] => "config.kdl applied".to_owned(),
            some => format!("config.kdl applied; from now on: {}", some.join(", ")),
        };
        self.post_notice(note);
        self.dirty = true;
    }
}
