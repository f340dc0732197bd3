//! What a pane's program asks beyond its screen: a clipboard write goes to
//! the terminals of the clients looking at its tab (else the last active
//! one) and into `copy_command`; a clipboard read is answered with the
//! session's last copy only when `clipboard_read` allows it; a desktop
//! notification goes to every attached client's terminal, saying which
//! session and pane it came from, and to the log; a shell's prompt marks
//! (OSC 133) go to `subscribe`rs.

use revenant_session::tiling::PaneId;
use revenant_terminal::{Notification, PromptMark, Signal};

use super::Server;
use super::clients::{ClientId, Who};
use crate::ipc::Role;

impl Server {
    pub(super) fn pane_signals(&mut self, id: PaneId, signals: Vec<Signal>) {
        for signal in signals {
            match signal {
                Signal::Copy { target, text } => {
                    let viewers = self.viewers(id);
                    tracing::debug!(pane = id, "a program copied {} bytes", text.len());
                    self.send_copy(viewers, &clipboard_target(&target), &text);
                }
                Signal::Paste { target } => self.answer_paste(id, &target),
                Signal::Notify(n) => self.notify(id, n),
                Signal::Prompt(mark) => self.prompt_mark(id, mark),
            }
        }
    }

    /// The attached clients whose tab holds pane `id`, else the last
    /// active one.
    fn viewers(&self, id: PaneId) -> Vec<ClientId> {
        let tab = self.session.tab_of(id);
        let mut out: Vec<ClientId> = self
            .clients
            .values()
            .filter(|c| c.role == Some(Role::Attach))
            .filter(|c| tab.is_some() && Some(self.view(Who::Client(c.id)).tab_index(&self.session)) == tab)
            .map(|c| c.id)
            .collect();
        if out.is_empty() {
            out.extend(self.active_client());
        }
        out
    }

    /// A shell's OSC 133 marks become `subscribe` events.
    fn prompt_mark(&mut self, id: PaneId, mark: PromptMark) {
        if let Some(pane) = self.session.pane_mut_any(id) {
            pane.shell_command = match &mark {
                PromptMark::CommandExecuted { cmdline } => cmdline.clone(),
                _ => None,
            };
        }
        match mark {
            PromptMark::PromptStart => self.publish_pane(id, "prompt_started", serde_json::json!({})),
            PromptMark::CommandStart => {}
            PromptMark::CommandExecuted { cmdline } => {
                self.publish_pane(id, "command_started", serde_json::json!({ "cmdline": cmdline }))
            }
            PromptMark::CommandFinished { status } => {
                self.publish_pane(id, "command_finished", serde_json::json!({ "status": status }))
            }
        }
    }

    fn answer_paste(&mut self, id: PaneId, target: &str) {
        if !self.config.clipboard_read {
            tracing::debug!(pane = id, "a clipboard read refused (clipboard_read is off)");
            return;
        }
        let text = self.last_copy.clone().unwrap_or_default();
        let answer = format!("\x1b]52;{target};{}\x1b\\", super::clipboard::base64(text.as_bytes()));
        if let Some(pane) = self.session.pane_mut_any(id) {
            let _ = pane.write(answer.as_bytes());
        }
    }

    fn notify(&mut self, id: PaneId, n: Notification) {
        let pane = self.session.pane_for_save(id).map(|p| p.title()).unwrap_or_default();
        let from = format!("{} · {pane}", self.session.name);
        let (since, logged) = &mut self.notifications_logged;
        if since.elapsed() >= std::time::Duration::from_secs(1) {
            if *logged > LOGGED_PER_SECOND {
                tracing::info!("{} more notifications were not logged", *logged - LOGGED_PER_SECOND);
            }
            (*since, *logged) = (std::time::Instant::now(), 0);
        }
        *logged += 1;
        if *logged <= LOGGED_PER_SECOND {
            tracing::info!(pane = id, "notification from {from}: {:?} {}", n.title, n.body);
        }
        self.publish_pane(id, "notification", serde_json::json!({"title": n.title, "body": n.body}));
        // Who sent it, where the user sees it first.
        let n = match (&n.title, n.kind) {
            (Some(title), _) => Notification { title: Some(format!("[{from}] {title}")), ..n },
            (None, _) if !n.body.is_empty() => Notification { body: format!("[{from}] {}", n.body), ..n },
            _ => n,
        };
        let bytes = n.encode().into_bytes();
        for c in self.clients.values_mut().filter(|c| c.role == Some(Role::Attach)) {
            c.send_terminal(bytes.clone());
        }
    }
}

/// Notifications logged a second at most.
const LOGGED_PER_SECOND: u32 = 10;

/// The clipboards a program named, as OSC 52 writes them; none means the
/// default pair (`s0`), which terminals read as the system clipboard.
fn clipboard_target(target: &str) -> String {
    let kept: String = target.chars().filter(|c| matches!(c, 'c' | 'p' | 'q' | 's' | '0'..='7')).take(8).collect();
    if kept.is_empty() { "c".into() } else { kept }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipboard_targets_are_the_standard_letters_only() {
        assert_eq!(clipboard_target("c"), "c");
        assert_eq!(clipboard_target(""), "c");
        assert_eq!(clipboard_target("pc"), "pc");
        assert_eq!(clipboard_target("\x1b]x"), "c");
    }
}
