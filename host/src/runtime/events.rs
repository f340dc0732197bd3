//! The session's events for `revenant subscribe`: one JSON object each
//! (pane opened, closed, exited with its code, retitled, a bell, a
//! notification, the session saved), sent to every subscriber without
//! waiting. A subscriber that falls behind loses events, and is told how
//! many before the next one it gets; the session never slows for it.

use revenant_session::tiling::PaneId;
use serde_json::{Value, json};

use super::Server;
use crate::ipc::{Role, ServerMsg};

impl Server {
    /// Sends `event` (an object; `session` and `unix_ms` are added) to
    /// every subscriber.
    pub(super) fn publish(&mut self, mut event: Value) {
        if !self.clients.values().any(|c| c.role == Some(Role::Subscribe)) {
            return;
        }
        event["session"] = json!(self.session.name);
        event["unix_ms"] = json!(now_ms());
        let line = event.to_string();
        for c in self.clients.values_mut().filter(|c| c.role == Some(Role::Subscribe)) {
            if c.events_lost > 0 {
                let lost = json!({"event": "lost", "count": c.events_lost, "session": self.session.name});
                if !c.try_send(&ServerMsg::Event(lost.to_string())) {
                    c.events_lost += 1;
                    continue;
                }
                c.events_lost = 0;
            }
            if !c.try_send(&ServerMsg::Event(line.clone())) {
                c.events_lost += 1;
            }
        }
    }

    /// An event about pane `id`, with its title.
    pub(super) fn publish_pane(&mut self, id: PaneId, event: &str, mut extra: Value) {
        extra["event"] = json!(event);
        extra["pane"] = json!(id);
        if let Some(p) = self.session.pane_for_save(id) {
            extra["title"] = json!(p.title());
        }
        self.publish(extra);
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}
