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

use crate::input_watchdog;
use crate::ipc::{
    self, ClientMsg, ExitReason, FrameError, Hello, InputEvent, Key, KeyCode, Mods, Mouse, MouseButton, MouseKind,
    Role, ServerMsg, StartAt,
};

/// Undoes everything `enter` did, whenever it is dropped (including when
/// unwinding from a panic).
struct TerminalGuard;

impl TerminalGuard {
    /// `mouse`: Zellij's `mouse_mode`; without it the outer terminal keeps
    /// the mouse to itself.
    fn enter(mouse: bool) -> io::Result<Self> {
        terminal::enable_raw_mode()?;
        let guard = TerminalGuard;
        if mouse {
            execute!(io::stdout(), event::EnableMouseCapture)?;
        }
        execute!(
            io::stdout(),
            terminal::EnterAlternateScreen,
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

/// Attaches to session `name` in `socket_dir` until detached or the session
/// ends, following the session manager from session to session. Returns the
/// last session and why the client left it.
pub fn attach(socket_dir: &Path, name: &str, role: Role) -> Result<(String, ExitReason)> {
    let mut session = name.to_string();
    let mut stream = connect(&socket_dir.join(&session), role, StartAt::default())?;
    // A config that does not parse was reported when the session started.
    let mouse = crate::commands::load_config().map(|c| c.mouse_mode).unwrap_or(true);
    let guard = TerminalGuard::enter(mouse).context("cannot put the terminal in raw mode")?;
    loop {
        let reason = run_attached(&mut stream)?;
        let ExitReason::Switch(next, start) = reason else {
            drop(guard);
            return Ok((session, reason));
        };
        match connect(&socket_dir.join(&next), role, start) {
            Ok(s) => {
                stream = s;
                session = next;
                // The new session draws from scratch on a clean screen.
                let _ = execute!(io::stdout(), terminal::Clear(terminal::ClearType::All));
            }
            Err(e) => {
                drop(guard);
                return Ok((session, ExitReason::Error(format!("cannot switch to session {next}: {e:#}"))));
            }
        }
    }
}

fn connect(socket: &Path, role: Role, start: StartAt) -> Result<UnixStream> {
    let mut stream = ipc::connect(socket).with_context(|| format!("cannot connect to {}", socket.display()))?;
    let (cols, rows) = terminal::size().unwrap_or((80, 24));
    let features = crate::screen::Features::detect();
    ipc::write_frame(&mut stream, &ClientMsg::Hello(Hello { role, cols, rows, features, start }))?;
    match ipc::read_frame::<_, ServerMsg>(&mut stream)? {
        ServerMsg::Welcome { .. } => Ok(stream),
        ServerMsg::Exit(reason) => bail!("{reason}"),
        other => bail!("unexpected first message from the server: {other:?}"),
    }
}

/// Pumps input and output until the server says goodbye.
fn run_attached(stream: &mut UnixStream) -> Result<ExitReason> {
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
    let result = pump_input(stream, done);
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let reason = reader.join().unwrap_or(ExitReason::Error("the output thread panicked".into()));
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

fn pump_input(stream: &mut UnixStream, done: Arc<AtomicBool>) -> Result<()> {
    // SIGTERM or SIGHUP: detach cleanly, so the terminal guard restores the
    // user's terminal instead of the process dying in raw mode.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(signal, stop.clone())?;
    }
    let resized = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGWINCH, resized.clone())?;
    let heartbeat = {
        let (stop, done) = (stop.clone(), done.clone());
        let leave = move || {
            stop.load(Ordering::Acquire)
                || done.load(Ordering::Acquire)
                || matches!(wait_for_input(Duration::ZERO), Readiness::Gone)
        };
        let mut goodbye = stream.try_clone()?;
        input_watchdog::watch(leave, move || {
            tracing::warn!("the input loop is stuck on a terminal that went away: leaving");
            let _ = ipc::write_frame(&mut goodbye, &ClientMsg::Detach);
            std::process::exit(0);
        })
    };
    while !done.load(Ordering::Acquire) {
        heartbeat.beat();
        if stop.load(Ordering::Acquire) {
            let _ = ipc::write_frame(stream, &ClientMsg::Detach);
            // The server answers with Exit(Detached), which ends the output pump.
            for _ in 0..100 {
                if done.load(Ordering::Acquire) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            break;
        }
        if resized.swap(false, Ordering::AcqRel)
            && let Ok((cols, rows)) = terminal::size()
            && ipc::write_frame(stream, &ClientMsg::Resize { cols, rows }).is_err()
        {
            break;
        }
        // We wait for input ourselves and hand crossterm only a readable
        // terminal: on a terminal that went away, crossterm's poll spins on
        // end of file forever.
        match wait_for_input(Duration::from_millis(50)) {
            Readiness::Idle => continue,
            Readiness::Gone => {
                let _ = ipc::write_frame(stream, &ClientMsg::Detach);
                break;
            }
            Readiness::Ready => {}
        }
        // Not a zero timeout: crossterm's level-triggered (dev-tty) source
        // neither reads nor hands out parsed events on a zero timeout.
        while event::poll(Duration::from_millis(1))? {
            heartbeat.beat();
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
                return Ok(());
            }
        }
    }
    Ok(())
}

enum Readiness {
    Idle,
    Ready,
    /// The terminal hung up or errored.
    Gone,
}

fn wait_for_input(timeout: Duration) -> Readiness {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = std::io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let timeout = Timespec { tv_sec: 0, tv_nsec: timeout.as_nanos() as i64 };
    match poll(&mut fds, Some(&timeout)) {
        Ok(0) => Readiness::Idle,
        Ok(_) if fds[0].revents().intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) => Readiness::Gone,
        Ok(_) => Readiness::Ready,
        Err(rustix::io::Errno::INTR) => Readiness::Idle,
        Err(_) => Readiness::Gone,
    }
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
