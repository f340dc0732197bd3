//! Copied text leaves two ways: as OSC 52 to the client's own terminal
//! (which puts it on the clipboard, also over ssh), and into
//! `copy_command` when one is configured. The command runs on a thread of
//! its own: the server never waits for it. A client on another host (over
//! an ssh link) is sent the text instead and runs its own `copy_command`:
//! the clipboard is the user's, on their machine.

use revenant_config::Clipboard;

use super::Server;
use super::clients::Who;

impl Server {
    pub(super) fn copy_to_clipboard(&mut self, who: Who, text: String) {
        let target = match self.config.copy_clipboard {
            Clipboard::System => 'c',
            Clipboard::Primary => 'p',
        };
        let client = match who {
            Who::Client(id) => Some(id),
            Who::Active => self.active_client(),
        };
        self.send_copy(client.into_iter().collect(), &target.to_string(), &text);
        let chars = text.chars().count();
        self.post_notice(format!("Copied {chars} character{}", if chars == 1 { "" } else { "s" }));
    }

    /// Puts `text` on the clipboard of `clients`' terminals (OSC 52 to
    /// `target`) and into `copy_command`: the server's, or a client's own
    /// when it is on another host.
    pub(super) fn send_copy(&mut self, clients: Vec<super::clients::ClientId>, target: &str, text: &str) {
        let osc = format!("\x1b]52;{target};{}\x07", base64(text.as_bytes()));
        let mut elsewhere = false;
        for id in &clients {
            let Some(c) = self.clients.get_mut(id) else { continue };
            c.send_terminal(osc.clone().into_bytes());
            if c.copy_here {
                elsewhere = true;
                c.send(crate::ipc::ServerMsg::Copied(text.to_owned()));
            }
        }
        self.last_copy = Some(text.to_owned());
        if let Some(command) = self.config.copy_command.clone().filter(|_| !elsewhere) {
            let bytes = text.as_bytes().to_vec();
            let spawned = std::thread::Builder::new().name("copy-command".into()).spawn(move || {
                if let Err(e) = crate::copy_command::pipe_into(&command, &bytes) {
                    tracing::warn!("copy_command `{command}`: {e}");
                }
            });
            if let Err(e) = spawned {
                tracing::warn!("copy_command: no thread: {e}");
            }
        }
    }
}

pub(super) use crate::copy_command::base64;

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc_4648() {
        for (plain, encoded) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")]
        {
            assert_eq!(super::base64(plain.as_bytes()), encoded);
        }
    }
}
