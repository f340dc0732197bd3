//! A Revenant session-manager plugin: a UI listing sessions.

use revenant_plugin_api::types::{Event, Key, SessionInfo};
use revenant_plugin_api::{SessionHost, SessionManager, export_session_manager};

#[derive(Default)]
pub struct Plugin {
    sessions: Vec<SessionInfo>,
    selected: usize,
}

impl SessionManager for Plugin {
    fn init(&mut self, _configuration: Vec<(String, String)>, host: &mut dyn SessionHost) {
        self.sessions = host.list_sessions();
    }

    fn update(&mut self, event: Event, host: &mut dyn SessionHost) -> bool {
        match event {
            Event::SessionList(list) => self.sessions = list,
            Event::Key(k) => match k.key {
                Key::Up => self.selected = self.selected.saturating_sub(1),
                Key::Down => self.selected = (self.selected + 1).min(self.sessions.len().saturating_sub(1)),
                Key::Enter => {
                    if let Some(s) = self.sessions.get(self.selected) {
                        let _ = host.switch_session(&s.name);
                    }
                }
                Key::Esc => host.close(),
                _ => return false,
            },
            _ => return false,
        }
        true
    }

    fn render(&mut self, rows: u32, cols: u32) -> Vec<String> {
        self.sessions
            .iter()
            .enumerate()
            .take(rows as usize)
            .map(|(i, s)| {
                let marker = if i == self.selected { '>' } else { ' ' };
                format!("{marker} {}", s.name).chars().take(cols as usize).collect()
            })
            .collect()
    }
}

export_session_manager!(Plugin);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct FakeHost {
        switched: Vec<String>,
    }

    impl SessionHost for FakeHost {
        fn list_sessions(&mut self) -> Vec<SessionInfo> {
            Vec::new()
        }
        fn switch_session(&mut self, name: &str) -> Result<(), String> {
            self.switched.push(name.to_string());
            Ok(())
        }
        fn resurrect_session(&mut self, _: &str, _: Option<&str>) -> Result<(), String> {
            Ok(())
        }
        fn kill_session(&mut self, _: &str) -> Result<(), String> {
            Ok(())
        }
        fn delete_session(&mut self, _: &str) -> Result<(), String> {
            Ok(())
        }
        fn create_session(&mut self, _: Option<&str>, _: Option<&str>) -> Result<(), String> {
            Ok(())
        }
        fn set_timeout(&mut self, _: u32) {}
        fn close(&mut self) {}
    }

    #[test]
    fn renders_nothing_without_sessions_and_enter_is_harmless() {
        let mut host = FakeHost::default();
        let mut ui = Plugin::default();
        ui.init(Vec::new(), &mut host);
        assert!(ui.render(10, 40).is_empty());
        let enter = Event::Key(revenant_plugin_api::types::KeyEvent {
            key: Key::Enter,
            modifiers: revenant_plugin_api::types::Modifiers::empty(),
        });
        ui.update(enter, &mut host);
        assert!(host.switched.is_empty());
    }
}
