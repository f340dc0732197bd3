//! The interactive client: puts the user's terminal in raw mode on the
//! alternate screen, sends input and resizes to the server, writes what the
//! server rendered, and restores the terminal on every way out.

mod input_decoder;

use std::io::{self, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use crossterm::{cursor, event, execute, terminal};

use crate::input_watchdog;
use crate::ipc::{self, ClientMsg, ExitReason, FrameError, Hello, InputEvent, Role, ServerMsg, StartAt};
use input_decoder::InputDecoder;

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
    let signals = Signals::register().context("cannot watch for signals")?;
    let guard = TerminalGuard::enter(mouse).context("cannot put the terminal in raw mode")?;
    loop {
        let reason = run_attached(&mut stream, &signals)?;
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
fn run_attached(stream: &mut UnixStream, signals: &Signals) -> Result<ExitReason> {
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
    let result = pump_input(stream, done, signals);
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let reason = reader.join().unwrap_or(ExitReason::Error("the output thread panicked".into()));
    result?;
    Ok(reason)
}

fn pump_output(stream: &mut UnixStream) -> ExitReason {
    let mut out = io::stdout();
    // Buffered: a frame's header and body then cost one read, not two.
    let mut stream = BufReader::with_capacity(1 << 16, stream);
    loop {
        match ipc::read_frame::<_, ServerMsg>(&mut stream) {
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

/// What the client hears from signals: a SIGTERM or SIGHUP asks it to
/// detach, a SIGWINCH to report the new size. Each also writes a byte to
/// `wake`, so the input loop's poll returns at once.
struct Signals {
    stop: Arc<AtomicBool>,
    resized: Arc<AtomicBool>,
    wake: UnixStream,
}

impl Signals {
    /// Once per process: registrations last as long as it does.
    fn register() -> Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGTERM, SIGWINCH};
        let (stop, resized) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)));
        let (wake, waker) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        for signal in [SIGTERM, SIGHUP] {
            signal_hook::flag::register(signal, stop.clone())?;
        }
        signal_hook::flag::register(SIGWINCH, resized.clone())?;
        for signal in [SIGTERM, SIGHUP, SIGWINCH] {
            signal_hook::low_level::pipe::register(signal, waker.try_clone()?)?;
        }
        Ok(Signals { stop, resized, wake })
    }

    fn drain_wake(&self) {
        let mut sink = [0u8; 64];
        while matches!((&self.wake).read(&mut sink), Ok(n) if n > 0) {}
    }
}

/// How long the rest of a sequence cut off after its first bytes (`ESC [1;`)
/// may take to arrive before those bytes count as typed. Terminals write a
/// sequence at once, so its rest is already in flight. (An ESC alone at the
/// end of a read is the Esc key at once.)
const ESCAPE_WAIT: Duration = Duration::from_millis(10);
/// A bracketed paste whose end marker stays away this long is sent as it is.
const PASTE_WAIT: Duration = Duration::from_secs(1);

fn pump_input(stream: &mut UnixStream, done: Arc<AtomicBool>, signals: &Signals) -> Result<()> {
    let heartbeat = {
        let (stop, done) = (signals.stop.clone(), done.clone());
        let leave = move || {
            stop.load(Ordering::Acquire)
                || done.load(Ordering::Acquire)
                || matches!(wait_for_input(None, Duration::ZERO), Readiness::Gone)
        };
        let mut goodbye = stream.try_clone()?;
        input_watchdog::watch(leave, move || {
            tracing::warn!("the input loop is stuck on a terminal that went away: leaving");
            let _ = ipc::write_frame(&mut goodbye, &ClientMsg::Detach);
            std::process::exit(0);
        })
    };
    let mut decoder = InputDecoder::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut events = Vec::new();
    while !done.load(Ordering::Acquire) {
        heartbeat.beat();
        if signals.stop.load(Ordering::Acquire) {
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
        if signals.resized.swap(false, Ordering::AcqRel)
            && let Ok((cols, rows)) = terminal::size()
            && ipc::write_frame(stream, &ClientMsg::Resize { cols, rows }).is_err()
        {
            break;
        }
        let timeout = match (decoder.in_paste(), decoder.is_waiting()) {
            (true, _) => PASTE_WAIT,
            (false, true) => ESCAPE_WAIT,
            // Only for the heartbeat and the `done` check: signals wake us.
            (false, false) => Duration::from_millis(50),
        };
        match wait_for_input(Some(&signals.wake), timeout) {
            Readiness::Idle => decoder.flush(&mut events),
            Readiness::Gone => {
                let _ = ipc::write_frame(stream, &ClientMsg::Detach);
                break;
            }
            Readiness::Signal => signals.drain_wake(),
            Readiness::Ready => match rustix::io::read(std::io::stdin(), &mut buf) {
                Ok(0) | Err(rustix::io::Errno::IO) => {
                    let _ = ipc::write_frame(stream, &ClientMsg::Detach);
                    break;
                }
                Ok(n) => decoder.feed(&buf[..n], &mut events),
                Err(_) => {}
            },
        }
        if !events.is_empty() && send_input(stream, events.drain(..)).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

/// All the events of one read go out in one write.
fn send_input(stream: &mut UnixStream, events: impl Iterator<Item = InputEvent>) -> Result<(), FrameError> {
    let mut bytes = Vec::new();
    for event in events {
        ipc::write_frame(&mut bytes, &ClientMsg::Input(event))?;
    }
    stream.write_all(&bytes)?;
    Ok(())
}

enum Readiness {
    Idle,
    Ready,
    /// A signal arrived (its flag says which).
    Signal,
    /// The terminal hung up or errored.
    Gone,
}

fn wait_for_input(signals: Option<&UnixStream>, timeout: Duration) -> Readiness {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = std::io::stdin();
    let mut fds = vec![PollFd::new(&stdin, PollFlags::IN)];
    if let Some(s) = signals {
        fds.push(PollFd::new(s, PollFlags::IN));
    }
    let timeout = Timespec { tv_sec: timeout.as_secs() as i64, tv_nsec: timeout.subsec_nanos() as i64 };
    match poll(&mut fds, Some(&timeout)) {
        Ok(0) => Readiness::Idle,
        Ok(_) if fds[0].revents().intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) => Readiness::Gone,
        Ok(_) if fds[0].revents().contains(PollFlags::IN) => Readiness::Ready,
        Ok(_) => Readiness::Signal,
        Err(rustix::io::Errno::INTR) => Readiness::Signal,
        Err(_) => Readiness::Gone,
    }
}
