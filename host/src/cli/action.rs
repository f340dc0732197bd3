//! `revenant action VERB`, `revenant run` and `revenant edit`: each turned
//! into one request to the session's server, whose answer is printed.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use revenant_config::{Action as Bound, Dir4, KeyName, KeySpec, Mode, ResizeKind};

use crate::cli::args::{ActionCommand, EditArgs, FocusDir, ResizeHow, RunArgs, TabDir};
use crate::cli::commands::{layout_text, live_socket, render_report, socket_dir};
use crate::config_files::load_config;
use crate::ipc::{Action, PaneOp, SplitDirection, StartAt, TabOp};
use crate::registry;
use revenant_session::input::{Key, KeyCode, Mods};

/// The session a verb addresses: `-s NAME`, else the one it runs in.
pub(crate) fn session_name(session: Option<String>) -> Result<String> {
    session
        .or_else(|| std::env::var("REVENANT_SESSION_NAME").ok().filter(|s| !s.is_empty()))
        .ok_or_else(|| anyhow!("which session? pass -s NAME (or run this inside a session)"))
}

/// The session's answer to `request`.
fn ask(session: Option<String>, request: Action) -> Result<String> {
    let name = session_name(session)?;
    registry::request(&live_socket(&socket_dir()?, &name)?, request)
}

fn send(session: Option<String>, request: Action, write_to: Option<PathBuf>) -> Result<()> {
    let output = ask(session, request)?;
    match write_to {
        Some(path) => std::fs::write(&path, output).with_context(|| format!("writing {}", path.display()))?,
        None => std::io::stdout().write_all(output.as_bytes())?,
    }
    Ok(())
}

fn dir4(d: FocusDir) -> Dir4 {
    match d {
        FocusDir::Left => Dir4::Left,
        FocusDir::Right => Dir4::Right,
        FocusDir::Up => Dir4::Up,
        FocusDir::Down => Dir4::Down,
    }
}

fn split(direction: Option<&str>) -> Option<SplitDirection> {
    direction.map(|d| if d == "down" { SplitDirection::Down } else { SplitDirection::Right })
}

fn absolute(p: PathBuf) -> String {
    std::path::absolute(&p).unwrap_or(p).display().to_string()
}

pub fn run(session: Option<String>, args: RunArgs) -> Result<()> {
    let request = Action::NewPane {
        floating: args.floating,
        direction: split(args.direction.as_deref()),
        cwd: args.cwd.map(absolute),
        name: args.name,
        command: args.command,
        close_on_exit: args.close_on_exit,
        start_suspended: args.start_suspended,
        edit: None,
    };
    send(session, request, None)
}

pub fn edit(session: Option<String>, args: EditArgs) -> Result<()> {
    let file = absolute(args.file);
    let cwd = Path::new(&file).parent().map(|p| p.display().to_string());
    let request = Action::NewPane {
        floating: args.floating,
        direction: split(args.direction.as_deref()),
        cwd,
        name: None,
        command: Vec::new(),
        close_on_exit: true,
        start_suspended: false,
        edit: Some((file, args.line)),
    };
    send(session, request, None)
}

/// A key as `send-keys` takes it ("Ctrl a", "Enter"), as a terminal would
/// have sent it.
fn key(text: &str) -> Result<Key> {
    let spec: KeySpec = text.parse().map_err(|e| anyhow!("`{text}` is not a key: {e}"))?;
    let code = match spec.key {
        KeyName::Char(c) => KeyCode::Char(c),
        KeyName::Enter => KeyCode::Enter,
        KeyName::Esc => KeyCode::Esc,
        KeyName::Backspace => KeyCode::Backspace,
        KeyName::Tab => KeyCode::Tab,
        KeyName::BackTab => KeyCode::BackTab,
        KeyName::Delete => KeyCode::Delete,
        KeyName::Insert => KeyCode::Insert,
        KeyName::Up => KeyCode::Up,
        KeyName::Down => KeyCode::Down,
        KeyName::Left => KeyCode::Left,
        KeyName::Right => KeyCode::Right,
        KeyName::Home => KeyCode::Home,
        KeyName::End => KeyCode::End,
        KeyName::PageUp => KeyCode::PageUp,
        KeyName::PageDown => KeyCode::PageDown,
        KeyName::F(n) => KeyCode::F(n),
    };
    Ok(Key { code, mods: Mods { shift: spec.shift, ctrl: spec.ctrl, alt: spec.alt } })
}

/// `switch-session`: the target is made to run first (resurrected, or
/// created from `--layout`), then the client is sent there.
fn ensure_running(name: &str, layout: Option<String>) -> Result<()> {
    let dir = socket_dir()?;
    if registry::is_live(&dir, name) {
        return Ok(());
    }
    crate::cli::commands::attach(crate::cli::commands::background(name, layout), false)
}

pub fn action(session: Option<String>, action: ActionCommand) -> Result<()> {
    use ActionCommand as C;
    let bound = |b: Bound| Action::Bound(b);
    let (request, write_to) = match action {
        C::DumpScreen { path, full, pane_id, ansi } => (Action::DumpScreen { full, pane_id, ansi }, path),
        C::WriteChars { text, stdin } => (Action::WriteChars(text_or_stdin(text, stdin)?), None),
        C::Write { bytes } => (Action::Write(bytes), None),
        C::SendKeys { keys } => (Action::SendKeys(keys.iter().map(|k| key(k)).collect::<Result<_>>()?), None),
        C::Paste { text, stdin } => (Action::Paste(text_or_stdin(text, stdin)?), None),
        C::Clear => (bound(Bound::Clear), None),
        C::EditScrollback => (bound(Bound::EditScrollback), None),
        C::ToggleActiveSyncTab => (bound(Bound::ToggleActiveSyncTab), None),
        C::NewPane { floating, direction, stacked, cwd, name, command, close_on_exit, start_suspended } => {
            let direction = if stacked { Some(SplitDirection::Stacked) } else { split(direction.as_deref()) };
            let cwd = cwd.map(absolute);
            let edit = None;
            (Action::NewPane { floating, direction, cwd, name, command, close_on_exit, start_suspended, edit }, None)
        }
        C::ClosePane => (Action::ClosePane, None),
        C::RenamePane { name } => (Action::RenamePane(name), None),
        C::UndoRenamePane => (bound(Bound::UndoRenamePane), None),
        C::MoveFocus { direction } => (bound(Bound::MoveFocus(dir4(direction))), None),
        C::MoveFocusOrTab { direction } => (bound(Bound::MoveFocusOrTab(dir4(direction))), None),
        C::MovePane { direction } => (bound(Bound::MovePane(direction.map(dir4))), None),
        C::MovePaneBackwards => (bound(Bound::MovePaneBackwards), None),
        C::FocusNextPane => (bound(Bound::FocusNextPane), None),
        C::FocusPreviousPane => (bound(Bound::FocusPreviousPane), None),
        C::Resize { resize, direction } => {
            let kind = if resize == ResizeHow::Increase { ResizeKind::Increase } else { ResizeKind::Decrease };
            (bound(Bound::Resize(kind, direction.map(dir4))), None)
        }
        C::ToggleFullscreen => (bound(Bound::ToggleFullscreen), None),
        C::TogglePaneFrames => (bound(Bound::TogglePaneFrames), None),
        C::TogglePaneEmbedOrFloating => (bound(Bound::TogglePaneEmbedOrFloating), None),
        C::ToggleFloatingPanes => (bound(Bound::ToggleFloatingPanes), None),
        C::ShowFloatingPanes => (bound(Bound::ShowFloatingPanes), None),
        C::HideFloatingPanes => (bound(Bound::HideFloatingPanes), None),
        C::ScrollUp => (bound(Bound::ScrollUp), None),
        C::ScrollDown => (bound(Bound::ScrollDown), None),
        C::ScrollToTop => (bound(Bound::ScrollToTop), None),
        C::ScrollToBottom => (bound(Bound::ScrollToBottom), None),
        C::PageScrollUp => (bound(Bound::PageScrollUp), None),
        C::PageScrollDown => (bound(Bound::PageScrollDown), None),
        C::HalfPageScrollUp => (bound(Bound::HalfPageScrollUp), None),
        C::HalfPageScrollDown => (bound(Bound::HalfPageScrollDown), None),
        C::NextSwapLayout => (Action::SwapLayout { step: 1 }, None),
        C::PreviousSwapLayout => (Action::SwapLayout { step: -1 }, None),
        C::FocusPaneId { id } => (Action::FocusPaneId(id), None),
        C::NewTab { name, layout } => (Action::NewTab { name, layout: layout.map(checked_layout).transpose()? }, None),
        C::RestoreTab { snapshot, tab } => {
            let name = session_name(session.clone())?;
            let layout = crate::cli::restore_tab::layout_of(&name, &snapshot, &tab)?;
            (Action::NewTab { name: None, layout: Some(layout) }, None)
        }
        C::CloseTab => (bound(Bound::CloseTab), None),
        C::GoToTab { index } => (Action::GoToTab(index), None),
        C::GoToNextTab => (bound(Bound::GoToNextTab), None),
        C::GoToPreviousTab => (bound(Bound::GoToPreviousTab), None),
        C::GoToTabName { name, create } => (Action::GoToTabName { name, create }, None),
        C::RenameTab { name } => (Action::RenameTab(name), None),
        C::UndoRenameTab => (bound(Bound::UndoRenameTab), None),
        C::MoveTab { direction } => {
            (bound(Bound::MoveTab(if direction == TabDir::Left { Dir4::Left } else { Dir4::Right })), None)
        }
        C::CurrentTabInfo { json } => (Action::CurrentTabInfo { json }, None),
        C::QueryTabNames => (Action::QueryTabNames, None),
        C::ListPanes { json } => (Action::ListPanes { json }, None),
        C::ListTabs { json } => (Action::ListTabs { json }, None),
        C::ListClients { json } => (Action::ListClients { json }, None),
        C::DumpLayout => (Action::DumpLayout, None),
        C::SaveSession => (Action::SaveSession, None),
        C::RenameSession { name } => (Action::RenameSession(name), None),
        C::SwitchSession { name, tab_position, pane_id, layout } => {
            // Checked before anything starts: the session asked must exist.
            live_socket(&socket_dir()?, &session_name(session.clone())?)?;
            ensure_running(&name, layout)?;
            (Action::SwitchSession { name, start: StartAt { tab_position, pane_id } }, None)
        }
        C::Detach => (Action::Detach, None),
        C::AreFloatingPanesVisible { tab_id } => {
            // As Zellij: the answer is also the exit status.
            let output = ask(session, Action::FloatingVisible { tab_id })?;
            print!("{output}");
            std::io::stdout().flush()?;
            if output.trim() != "true" {
                std::process::exit(1);
            }
            return Ok(());
        }
        C::CloseTabById { id } => (Action::TabById { id, op: TabOp::Close }, None),
        C::GoToTabById { id } => (Action::TabById { id, op: TabOp::GoTo }, None),
        C::RenameTabById { id, name } => (Action::TabById { id, op: TabOp::Rename(name) }, None),
        C::FocusLastPane => (Action::FocusLastPane, None),
        C::SwitchMode { mode } => {
            let parsed: Mode = mode.parse().map_err(|()| {
                let names: Vec<&str> = Mode::ALL.iter().map(|m| m.name()).collect();
                anyhow!("`{mode}` is not a mode: {}", names.join(", "))
            })?;
            (Action::SwitchMode(parsed), None)
        }
        C::TogglePanePinned { pane_id } => (Action::PaneOp { pane_id, op: PaneOp::TogglePinned }, None),
        C::StackPanes { pane_ids } => (Action::StackPanes(pane_ids), None),
        C::ChangeFloatingPaneCoordinates { pane_id, x, y, width, height, pinned } => {
            (Action::PaneOp { pane_id: Some(pane_id), op: PaneOp::Coordinates { x, y, width, height, pinned } }, None)
        }
        C::SetPaneBorderless { pane_id, borderless } => {
            (Action::PaneOp { pane_id: Some(pane_id), op: PaneOp::SetBorderless(borderless) }, None)
        }
        C::SetSaveContents { save, pane_id } => {
            (Action::PaneOp { pane_id: pane_id.or_else(this_pane), op: PaneOp::SetSaveContents(save) }, None)
        }
        C::TogglePaneBorderless { pane_id } => {
            (Action::PaneOp { pane_id: Some(pane_id), op: PaneOp::ToggleBorderless }, None)
        }
        C::SetPaneColor { pane_id, fg, bg, reset } => {
            (Action::PaneOp { pane_id: pane_id.or_else(this_pane), op: PaneOp::SetColours { fg, bg, reset } }, None)
        }
        C::Edit(args) => return edit(session, args),
    };
    send(session, request, write_to)
}

/// The pane this command runs in (`$REVENANT_PANE_ID`), if it runs in one:
/// a pane's own verbs default to it, not to the focused pane.
fn this_pane() -> Option<u32> {
    std::env::var("REVENANT_PANE_ID").ok()?.parse().ok()
}

/// The text of `paste` and `write-chars`: the argument, or all of stdin
/// (an argument is capped by the system's limit on a command line).
fn text_or_stdin(text: Option<String>, stdin: bool) -> Result<String> {
    match text {
        Some(text) if !stdin => Ok(text),
        _ => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("reading the text from stdin")?;
            Ok(text)
        }
    }
}

/// A layout for `new-tab --layout`, read and parsed here: the file is ours,
/// and its errors are shown here with the line underlined.
fn checked_layout(spec: String) -> Result<crate::ipc::LayoutText> {
    let layout = layout_text(&spec, &load_config()?)?;
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if let Err(e) = revenant_layout::Layout::parse(Path::new(&layout.path), &layout.text, home.as_deref()) {
        return Err(render_report(&e));
    }
    Ok(layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_keys_reads_binding_spellings() {
        let k = key("Ctrl a").unwrap();
        assert_eq!((k.code, k.mods.ctrl), (KeyCode::Char('a'), true));
        assert_eq!(key("Enter").unwrap().code, KeyCode::Enter);
        assert!(key("Alt Left").unwrap().mods.alt);
        assert!(key("Hyper q").is_err());
    }
}
