//! Clients coming and going: the hello that places a new client's view,
//! its messages, detaching, and cutting off one that stopped reading.

use crate::ipc::{ClientMsg, ExitReason, InputEvent, Role, ServerMsg};
use crate::term_size;

use super::clients::{Client, ClientId};
use super::{Server, stalled_client_limit};
use revenant_session::View;

impl Server {
    /// Takes a client off the session. The base view, where the next client
    /// starts when none is left, becomes the view of an interactive client
    /// that leaves: a reattach lands on the tab and pane it was on, as tmux
    /// does.
    pub(super) fn remove_client(&mut self, id: ClientId) -> Option<Client> {
        let client = self.clients.remove(&id)?;
        self.metadata_stale = true;
        if client.role == Some(Role::Attach) && !self.config.mirror_session {
            self.base = View {
                tab: client.view.tab,
                tiled_focus: client.view.tiled_focus.clone(),
                floating_focus: client.view.floating_focus.clone(),
                last_focus: client.view.last_focus,
                ..View::default()
            };
        }
        Some(client)
    }

    pub(super) fn client_message(&mut self, id: ClientId, msg: ClientMsg) {
        match msg {
            ClientMsg::Hello(hello) => {
                // A command has no terminal; any other client must have
                // room, and gets no more than the bounds.
                let size = match term_size::bounded(hello.cols, hello.rows) {
                    Ok(size) => size,
                    Err(_) if matches!(hello.role, Role::Command | Role::Subscribe) => (80, 24),
                    Err(e) => {
                        tracing::warn!(client = id, "refused a client: {e}");
                        if let Some(mut client) = self.clients.remove(&id) {
                            client.send_exit(ExitReason::Error(e.to_string()));
                            client.finish();
                        }
                        return;
                    }
                };
                // A new client starts where the session is.
                let start = self.view(super::clients::Who::Active).clone();
                let Some(client) = self.clients.get_mut(&id) else { return };
                client.role = Some(hello.role);
                self.metadata_stale = true;
                client.set_features(hello.features);
                client.copy_here = hello.copy_here;
                client.set_size(size.0, size.1);
                let tty = client.take_tty(hello.tty && hello.role != Role::Command);
                client.send(ServerMsg::Welcome { session: self.session.name.clone(), tty });
                if hello.role == Role::Subscribe {
                    tracing::debug!(client = id, "a subscriber");
                } else if hello.role != Role::Command {
                    client.view = start;
                    client.view.mode = Default::default();
                    self.start_at(id, hello.start);
                    self.resize_to_clients();
                    self.dirty = true;
                }
            }
            ClientMsg::Resize { cols, rows } => {
                match term_size::bounded(cols, rows) {
                    Ok((cols, rows)) => {
                        if let Some(client) = self.clients.get_mut(&id) {
                            client.set_size(cols, rows);
                        }
                    }
                    Err(e) => tracing::warn!(client = id, "a resize ignored: {e}"),
                }
                self.resize_to_clients();
            }
            ClientMsg::Input(InputEvent::ColourScheme { dark }) => {
                // A report of the terminal, not typing: watchers' count too,
                // and it makes nobody the active client.
                let scheme =
                    if dark { revenant_config::ColourScheme::Dark } else { revenant_config::ColourScheme::Light };
                if let Some(client) = self.clients.get_mut(&id) {
                    client.scheme = Some(scheme);
                    self.dirty = true;
                }
            }
            ClientMsg::Input(event) => {
                let role = self.clients.get(&id).and_then(|c| c.role);
                if role == Some(Role::Attach) {
                    self.last_active = Some(id);
                    self.input(id, event);
                }
            }
            ClientMsg::Detach => self.detach(id),
            ClientMsg::Action(action) => {
                // Some answers come later, from the plugin worker.
                if let Some(result) = self.action(action, id) {
                    self.answer(id, result);
                }
            }
        }
    }

    /// A client whose frames have not been read for [`stalled_client_limit`]
    /// is disconnected: the others and the panes never wait for it, but it
    /// would keep the server drawing every frame forever.
    pub(super) fn drop_stalled_clients(&mut self) {
        let limit = stalled_client_limit();
        let stalled: Vec<ClientId> = self
            .clients
            .values()
            .filter(|c| c.stalled_since.is_some_and(|t| t.elapsed() > limit))
            .map(|c| c.id)
            .collect();
        for id in stalled {
            tracing::warn!(client = id, "the client has read no frame for {}s: disconnected", limit.as_secs());
            if let Some(c) = self.remove_client(id) {
                c.cut();
                c.finish();
            }
            self.client_left(id);
        }
    }

    pub(super) fn detach(&mut self, id: ClientId) {
        if let Some(mut client) = self.remove_client(id) {
            client.send_exit(ExitReason::Detached);
            client.finish();
        }
        self.client_left(id);
    }

    /// After a client went: the session resizes to those left, and is saved
    /// when the last interactive client is gone.
    pub(super) fn client_left(&mut self, id: ClientId) {
        if self.last_active == Some(id) {
            self.last_active = None;
        }
        self.resize_to_clients();
        let attached = self.clients.values().any(|c| matches!(c.role, Some(Role::Attach | Role::Watch)));
        if !attached {
            if self.ephemeral {
                // A welcome screen nobody looks at is over.
                self.quit = Some(ExitReason::SessionEnded);
                return;
            }
            let _ = self.request_save("last client detached", None, false);
        }
    }
}
