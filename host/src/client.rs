//! The interactive client: puts the user's terminal in raw mode on the
//! alternate screen, sends input and resizes to the server, writes what the
//! server rendered, and restores the terminal on every way out.

use std::io::{self, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use crossterm::event::{self, Event, KeyEventKind, KeyModifiers, MouseEventKind};
use crossterm::{cursor, execute, terminal};

use crate::ipc::{
    self, ClientMsg, ExitReason, FrameError, Hello, InputEvent, Key, KeyCode, Mods, Mouse, MouseButton, MouseKind,
    Role, ServerMsg,
};

/// Undoes everything `enter` did, whenever it is dropped (including when
/// unwinding from a panic).
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<Self> {
        terminal::enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(
            io::stdout(),
            terminal::EnterAlternateScreen,
            event::EnableMouseCapture,
            event::EnableBracketedPaste,
            event::EnableFocusChange,
            terminal::Clear(terminal::ClearType::All)
        )?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(
            io::stdout(),
            event::DisableFocusChange,
            event::DisableBracketedPaste,
            event::DisableMouseCapture,
            crossterm::style::ResetColor,
            cursor::Show,
            terminal::LeaveAlternateScreen
        );
        let _ = terminal::disable_raw_mode();
    }
}

/// Attaches to the session at `socket` until detached or the session ends.
pub fn attach(socket: &Path, role: Role) -> Result<ExitReason> {
    let mut stream = ipc::connect(socket).with_context(|| format!("cannot connect to {}", socket.display()))?;
    let (cols, rows) = terminal::size().unwrap_or((80, 24));
    ipc::write_frame(&mut stream, &ClientMsg::Hello(Hello { role, cols, rows }))?;
    match ipc::read_frame::<_, ServerMsg>(&mut stream)? {
        ServerMsg::Welcome { .. } => {}
        ServerMsg::Exit(reason) => bail!("{reason}"),
        other => bail!("unexpected first message from the server: {other:?}"),
    }
    let guard = TerminalGuard::enter().context("cannot put the terminal in raw mode")?;
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let mut stream = stream.try_clone()?;
        let done = done.clone();
        std::thread::spawn(move || {
            let reason = pump_output(&mut stream);
            done.store(true, Ordering::Release);
            reason
        })
    };
    let result = pump_input(&mut stream, &done);
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let reason = reader.join().unwrap_or(ExitReason::Error("the output thread panicked".into()));
    drop(guard);
    result?;
    Ok(reason)
}

fn pump_output(stream: &mut UnixStream) -> ExitReason {
    let mut out = io::stdout();
    loop {
        match ipc::read_frame::<_, ServerMsg>(stream) {
            Ok(ServerMsg::Output(bytes)) => {
                if out.write_all(&bytes).and_then(|_| out.flush()).is_err() {
                    return ExitReason::Error("cannot write to the terminal".into());
                }
            }
            Ok(ServerMsg::Exit(reason)) => return reason,
            Ok(_) => {}
            Err(FrameError::Closed) => return ExitReason::Error("the server went away".into()),
            Err(e) => return ExitReason::Error(e.to_string()),
        }
    }
}

fn pump_input(stream: &mut UnixStream, done: &AtomicBool) -> Result<()> {
    while !done.load(Ordering::Acquire) {
        if !event::poll(Duration::from_millis(50))? {
            continue;
        }
        let msg = match event::read()? {
            Event::Key(k) if k.kind != KeyEventKind::Release => match key(k) {
                Some(k) => ClientMsg::Input(InputEvent::Key(k)),
                None => continue,
            },
            Event::Paste(text) => ClientMsg::Input(InputEvent::Paste(text)),
            Event::Resize(cols, rows) => ClientMsg::Resize { cols, rows },
            Event::FocusGained => ClientMsg::Input(InputEvent::FocusGained),
            Event::FocusLost => ClientMsg::Input(InputEvent::FocusLost),
            Event::Mouse(m) => match mouse(m) {
                Some(m) => ClientMsg::Input(InputEvent::Mouse(m)),
                None => continue,
            },
            _ => continue,
        };
        if ipc::write_frame(stream, &msg).is_err() {
            break;
        }
    }
    Ok(())
}

fn mods(m: KeyModifiers) -> Mods {
    Mods {
        shift: m.contains(KeyModifiers::SHIFT),
        ctrl: m.contains(KeyModifiers::CONTROL),
        alt: m.contains(KeyModifiers::ALT),
    }
}

fn key(k: event::KeyEvent) -> Option<Key> {
    use event::KeyCode as C;
    let code = match k.code {
        C::Char(c) => KeyCode::Char(c),
        C::Enter => KeyCode::Enter,
        C::Esc => KeyCode::Esc,
        C::Backspace => KeyCode::Backspace,
        C::Tab => KeyCode::Tab,
        C::BackTab => KeyCode::BackTab,
        C::Delete => KeyCode::Delete,
        C::Insert => KeyCode::Insert,
        C::Up => KeyCode::Up,
        C::Down => KeyCode::Down,
        C::Left => KeyCode::Left,
        C::Right => KeyCode::Right,
        C::Home => KeyCode::Home,
        C::End => KeyCode::End,
        C::PageUp => KeyCode::PageUp,
        C::PageDown => KeyCode::PageDown,
        C::F(n) => KeyCode::F(n),
        _ => return None,
    };
    Some(Key { code, mods: mods(k.modifiers) })
}

fn mouse(m: event::MouseEvent) -> Option<Mouse> {
    let button = |b: event::MouseButton| match b {
        event::MouseButton::Left => MouseButton::Left,
        event::MouseButton::Right => MouseButton::Right,
        event::MouseButton::Middle => MouseButton::Middle,
    };
    let kind = match m.kind {
        MouseEventKind::Down(b) => MouseKind::Down(button(b)),
        MouseEventKind::Up(b) => MouseKind::Up(button(b)),
        MouseEventKind::Drag(b) => MouseKind::Drag(button(b)),
        MouseEventKind::Moved => MouseKind::Moved,
        MouseEventKind::ScrollUp => MouseKind::ScrollUp,
        MouseEventKind::ScrollDown => MouseKind::ScrollDown,
        _ => return None,
    };
    Some(Mouse { kind, col: m.column, row: m.row, mods: mods(m.modifiers) })
}
