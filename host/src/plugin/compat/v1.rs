//! Converts between 0.2.0's types and those of 0.1.0: a 0.1.0 component
//! gets what a 0.2.0 one would (see `v2`), translated once more. What 0.1.0
//! lacks is dropped on the way in (`original-argv`) or derived
//! (`age-seconds` from the timestamps).

use crate::plugin::bindings::{v1::types as old, v2::types as new};

impl From<&new::SessionManifest> for old::SessionManifest {
    fn from(m: &new::SessionManifest) -> Self {
        old::SessionManifest { name: m.name.clone(), cwd: m.cwd.clone(), tabs: m.tabs.iter().map(Into::into).collect() }
    }
}

impl From<&new::Tab> for old::Tab {
    fn from(t: &new::Tab) -> Self {
        old::Tab {
            name: t.name.clone(),
            position: t.position,
            focused: t.focused,
            hide_floating_panes: t.hide_floating_panes,
            tiled: t.tiled.iter().map(Into::into).collect(),
            floating: t.floating.iter().map(Into::into).collect(),
        }
    }
}

impl From<&new::TiledNode> for old::TiledNode {
    fn from(n: &new::TiledNode) -> Self {
        old::TiledNode {
            size: n.size.map(Into::into),
            borderless: n.borderless,
            body: match &n.body {
                new::TiledBody::Split(s) => old::TiledBody::Split(old::Split {
                    direction: match s.direction {
                        new::SplitDirection::Horizontal => old::SplitDirection::Horizontal,
                        new::SplitDirection::Vertical => old::SplitDirection::Vertical,
                    },
                    children: s.children.clone(),
                }),
                new::TiledBody::Pane(p) => old::TiledBody::Pane(p.into()),
            },
        }
    }
}

impl From<new::Dimension> for old::Dimension {
    fn from(d: new::Dimension) -> Self {
        match d {
            new::Dimension::Fixed(n) => old::Dimension::Fixed(n),
            new::Dimension::Percent(n) => old::Dimension::Percent(n),
        }
    }
}

impl From<&new::FloatingPane> for old::FloatingPane {
    fn from(f: &new::FloatingPane) -> Self {
        old::FloatingPane {
            x: f.x.into(),
            y: f.y.into(),
            width: f.width.into(),
            height: f.height.into(),
            pinned: f.pinned,
            pane: (&f.pane).into(),
        }
    }
}

impl From<&new::Pane> for old::Pane {
    fn from(p: &new::Pane) -> Self {
        old::Pane {
            id: p.id,
            name: p.name.clone(),
            cwd: p.cwd.clone(),
            command: p.command.clone(),
            plugin: p
                .plugin
                .as_ref()
                .map(|r| old::PluginRef { location: r.location.clone(), configuration: r.configuration.clone() }),
            focused: p.focused,
            start_suspended: p.start_suspended,
            contents: p
                .contents
                .as_ref()
                .map(|c| old::PaneContents { scrollback: c.scrollback.clone(), viewport: c.viewport.clone() }),
        }
    }
}

impl From<old::SerializedSession> for new::SerializedSession {
    fn from(s: old::SerializedSession) -> Self {
        new::SerializedSession {
            layout: s.layout,
            sidecars: s.sidecars.into_iter().map(|c| new::Sidecar { name: c.name, contents: c.contents }).collect(),
        }
    }
}

impl From<&new::DiscoveredCommand> for old::DiscoveredCommand {
    fn from(c: &new::DiscoveredCommand) -> Self {
        old::DiscoveredCommand {
            argv: c.argv.clone(),
            cwd: c.cwd.clone(),
            pid: c.pid,
            pane_id: c.pane_id,
            shell: c.shell.clone(),
        }
    }
}

impl From<old::DiscoveryDecision> for new::DiscoveryDecision {
    fn from(d: old::DiscoveryDecision) -> Self {
        match d {
            old::DiscoveryDecision::Keep => new::DiscoveryDecision::Keep,
            old::DiscoveryDecision::Drop => new::DiscoveryDecision::Drop,
            old::DiscoveryDecision::Rewrite(r) => {
                new::DiscoveryDecision::Rewrite(new::RewrittenCommand { argv: r.argv, cwd: r.cwd })
            }
        }
    }
}

/// A session as 0.1.0 describes it: an age (computed now) instead of
/// timestamps; an exited session's age counts from its last save.
pub(crate) fn session_info(s: &new::SessionInfo, now_unix: u64) -> old::SessionInfo {
    let (state, since) = match s.state {
        new::SessionState::Live => (old::SessionState::Live, s.created_unix),
        new::SessionState::Exited => (old::SessionState::Exited, s.saved_unix.unwrap_or(s.created_unix)),
    };
    old::SessionInfo {
        name: s.name.clone(),
        state,
        age_seconds: now_unix.saturating_sub(since),
        tabs: s.tabs.clone(),
        pane_count: s.pane_count,
        connected_clients: s.connected_clients,
        is_current: s.is_current,
    }
}

pub(crate) fn event(e: &new::Event, now_unix: u64) -> old::Event {
    match e {
        new::Event::Key(k) => old::Event::Key(key_event(k)),
        new::Event::SessionList(list) => {
            old::Event::SessionList(list.iter().map(|s| session_info(s, now_unix)).collect())
        }
        new::Event::Resize(size) => old::Event::Resize(*size),
        new::Event::Timer(ms) => old::Event::Timer(*ms),
    }
}

fn key_event(k: &new::KeyEvent) -> old::KeyEvent {
    let key = match k.key {
        new::Key::Char(c) => old::Key::Char(c),
        new::Key::Enter => old::Key::Enter,
        new::Key::Esc => old::Key::Esc,
        new::Key::Tab => old::Key::Tab,
        new::Key::BackTab => old::Key::BackTab,
        new::Key::Backspace => old::Key::Backspace,
        new::Key::Delete => old::Key::Delete,
        new::Key::Insert => old::Key::Insert,
        new::Key::Up => old::Key::Up,
        new::Key::Down => old::Key::Down,
        new::Key::Left => old::Key::Left,
        new::Key::Right => old::Key::Right,
        new::Key::Home => old::Key::Home,
        new::Key::End => old::Key::End,
        new::Key::PageUp => old::Key::PageUp,
        new::Key::PageDown => old::Key::PageDown,
        new::Key::F(n) => old::Key::F(n),
    };
    let mut modifiers = old::Modifiers::empty();
    for (from, to) in [
        (new::Modifiers::SHIFT, old::Modifiers::SHIFT),
        (new::Modifiers::CTRL, old::Modifiers::CTRL),
        (new::Modifiers::ALT, old::Modifiers::ALT),
    ] {
        if k.modifiers.contains(from) {
            modifiers |= to;
        }
    }
    old::KeyEvent { key, modifiers }
}

pub(crate) fn log_level(level: old::LogLevel) -> new::LogLevel {
    match level {
        old::LogLevel::Trace => new::LogLevel::Trace,
        old::LogLevel::Debug => new::LogLevel::Debug,
        old::LogLevel::Info => new::LogLevel::Info,
        old::LogLevel::Warn => new::LogLevel::Warn,
        old::LogLevel::Error => new::LogLevel::Error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exited_session_ages_from_its_last_save() {
        let info = new::SessionInfo {
            name: "a".into(),
            state: new::SessionState::Exited,
            created_unix: 100,
            saved_unix: Some(900),
            tabs: vec!["t".into()],
            focused_tab: 0,
            panes: Vec::new(),
            damaged: None,
            pane_count: 2,
            connected_clients: 0,
            is_current: false,
        };
        assert_eq!(session_info(&info, 1000).age_seconds, 100);
        let live = new::SessionInfo { state: new::SessionState::Live, ..info };
        assert_eq!(session_info(&live, 1000).age_seconds, 900);
    }

    #[test]
    fn the_discovery_chain_field_is_dropped_for_old_plugins() {
        let c = new::DiscoveredCommand {
            argv: vec!["vim".into()],
            original_argv: vec!["direnv".into(), "exec".into(), ".".into(), "vim".into()],
            cwd: None,
            pid: 7,
            pane_id: 1,
            shell: None,
        };
        let o: old::DiscoveredCommand = (&c).into();
        assert_eq!(o.argv, ["vim"]);
        assert_eq!(o.pid, 7);
    }
}
