//! A program's bell (BEL) in a pane nobody is looking at: the pane's frame
//! and its tab are marked until a client focuses it (`bell_notify
//! "visual"`), and with `"terminal"` the clients' terminals ring too. A
//! bell in a pane someone has focused is heard there and marks nothing.

use revenant_config::BellNotify;
use revenant_session::tiling::PaneId;

use super::Server;
use super::clients::Who;
use crate::ipc::Role;

impl Server {
    /// After pane `id`'s output, which rang `rang` bells.
    pub(super) fn note_bells(&mut self, id: PaneId, rang: u64) {
        if rang == 0 {
            return;
        }
        self.publish_pane(id, "bell", serde_json::json!({}));
        if self.config.bell_notify == BellNotify::None {
            return;
        }
        let seen = self.focused_panes().contains(&id);
        if let Some(pane) = self.session.pane_mut_any(id)
            && !seen
        {
            pane.bell = true;
            self.dirty = true;
        }
        if self.config.bell_notify == BellNotify::Terminal {
            for c in self.clients.values_mut().filter(|c| c.role == Some(Role::Attach)) {
                c.send_terminal(b"\x07".to_vec());
            }
        }
    }

    /// A pane a client focuses has been seen: its mark goes.
    pub(super) fn clear_seen_bells(&mut self) {
        for id in self.focused_panes() {
            if let Some(pane) = self.session.panes.get_mut(&id)
                && std::mem::take(&mut pane.bell)
            {
                self.dirty = true;
            }
        }
    }

    fn focused_panes(&self) -> Vec<PaneId> {
        self.clients
            .values()
            .filter(|c| c.role == Some(Role::Attach))
            .filter_map(|c| self.view(Who::Client(c.id)).focused(&self.session))
            .collect()
    }
}
