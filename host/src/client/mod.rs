//! The interactive client: puts the user's terminal in raw mode on the
//! alternate screen and restores it on every way out; in between it passes
//! the terminal to the server, which reads the keys and writes the frames
//! itself (tmux's way: no process hop on an echoed key), and reports
//! resizes. When the terminal cannot be passed (stdin and stdout are not
//! the same terminal), the client relays: it sends the input and writes
//! what the server rendered.

use std::io::{self, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub mod endpoint;
pub mod input_watchdog;
mod reconnect;

pub use endpoint::{Endpoint, LocalSessions, Route};

use anyhow::{Context, Result, bail};
use crossterm::{cursor, event, execute, terminal};

use crate::input_decoder::InputDecoder;
use crate::ipc::{self, ClientMsg, ExitReason, FrameError, Hello, InputEvent, Role, ServerMsg, StartAt};

/// Why the client left when the stream ended without a goodbye.
const SERVER_GONE: &str = "the server went away";

/// Disambiguate (1) and alternate keys (4): Alt with a shifted symbol
/// (Alt->) then says which symbol.
const KITTY_PUSH: &[u8] = b"\x1b[>5u";
const KITTY_POP: &[u8] = b"\x1b[<u";
/// CSI 2031: report the colour scheme when it changes, and now.
const SCHEME_REPORTS_ON: &[u8] = b"\x1b[?2031h";
const SCHEME_QUERY: &[u8] = b"\x1b[?996n";
const SCHEME_REPORTS_OFF: &[u8] = b"\x1b[?2031l";

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
        // Kitty's keyboard protocol: Esc, Alt-[ and Ctrl-i then arrive as
        // keys of their own. Pushed on the alternate
        // screen's own stack, so even a client killed before it pops leaves
        // the shell's keys as they were; a terminal without it ignores it.
        io::stdout().write_all(KITTY_PUSH)?;
        // For `theme_dark` / `theme_light`; ignored where unknown.
        io::stdout().write_all(SCHEME_REPORTS_ON)?;
        io::stdout().flush()?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        // CAN first: a frame cut off (a server killed mid-write) would
        // leave the terminal inside an escape sequence.
        let _ = io::stdout().write_all(b"\x18");
        let _ = io::stdout().write_all(KITTY_POP);
        let _ = io::stdout().write_all(SCHEME_REPORTS_OFF);
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

/// Attaches to session `name` where `endpoint` reaches it, until detached
/// or the session ends, following the session manager from session to
/// session and coming back after a lost link. Returns the last session (as
/// its endpoint writes it: `ssh://host/NAME` for another host's) and why
/// the client left it.
pub fn attach(
    mut endpoint: Box<dyn Endpoint>,
    route: Route<'_>,
    name: &str,
    role: Role,
) -> Result<(String, ExitReason)> {
    let mut session = name.to_string();
    let mut stream = endpoint.connect(&session)?;
    // A config that does not parse was reported when the session started.
    let config = crate::config_files::load_config().ok();
    let mouse = config.as_ref().map(|c| c.mouse_mode).unwrap_or(true);
    // Run here for text a server on another host sends (a copy there).
    let copy_command = config.and_then(|c| c.copy_command);
    let signals = Signals::register().context("cannot watch for signals")?;
    let mut share = endpoint.shares_terminal();
    // Before the hello: a server that takes the terminal draws on it at once.
    let guard = TerminalGuard::enter(mouse).context("cannot put the terminal in raw mode")?;
    let mut direct = hello(&mut stream, role, StartAt::default(), share)?;
    loop {
        let reason = run_attached(&mut stream, &signals, direct, copy_command.as_deref())?;
        let (next, start) = match reason {
            ExitReason::Switch(next, start) => (next, start),
            ExitReason::Error(_) if !signals.stop.load(Ordering::Acquire) => match endpoint.lost() {
                Some(host) => {
                    // A new hello is a new client: the server draws it a
                    // whole frame.
                    let back = reconnect::reconnect(endpoint.as_mut(), &host, &session, &signals)
                        .and_then(|mut s| Ok((hello(&mut s, role, StartAt::default(), share)?, s)));
                    match back {
                        Ok((d, s)) => {
                            (stream, direct) = (s, d);
                            continue;
                        }
                        Err(e) => {
                            drop(guard);
                            return Ok((endpoint.address(&session), ExitReason::Error(format!("{e:#}"))));
                        }
                    }
                }
                None => {
                    drop(guard);
                    let address = endpoint.address(&session);
                    // A server gone over there left its snapshot there.
                    let reason = match reason {
                        ExitReason::Error(e) if e == SERVER_GONE && !share => {
                            ExitReason::Error(format!("{e}; `revenant attach {address}` resurrects it"))
                        }
                        reason => reason,
                    };
                    return Ok((address, reason));
                }
            },
            reason => {
                drop(guard);
                return Ok((endpoint.address(&session), reason));
            }
        };
        // The new session draws from scratch on a clean screen.
        let _ = execute!(io::stdout(), terminal::Clear(terminal::ClearType::All));
        // A name handed back is on the same host, an address elsewhere.
        let next = match route(&next) {
            Some(Ok((elsewhere, name))) => {
                endpoint = elsewhere;
                share = endpoint.shares_terminal();
                name
            }
            Some(Err(e)) => {
                drop(guard);
                return Ok((endpoint.address(&session), ExitReason::Error(format!("cannot switch to {next}: {e:#}"))));
            }
            None => next,
        };
        let switched = endpoint.connect(&next).and_then(|mut s| Ok((hello(&mut s, role, start, share)?, s)));
        match switched {
            Ok((d, s)) => {
                (stream, direct) = (s, d);
                session = next;
            }
            Err(e) => {
                drop(guard);
                // The endpoint may be the next session's already: the
                // session left is named as it was.
                return Ok((session, ExitReason::Error(format!("cannot switch to session {next}: {e:#}"))));
            }
        }
    }
}

/// Says who we are, passing our terminal along when we have one of our
/// own; true when the server took it.
fn hello(stream: &mut UnixStream, role: Role, start: StartAt, share: bool) -> Result<bool> {
    let (cols, rows) = terminal::size().unwrap_or((80, 24));
    let features = crate::frames::Features::detect();
    let tty = if share { own_terminal() } else { None };
    // A server on another host cannot reach this host's clipboard command.
    let copy_here = !share;
    let hello = ClientMsg::Hello(Hello { role, cols, rows, features, start, tty: tty.is_some(), copy_here });
    let mut bytes = Vec::new();
    ipc::write_frame(&mut bytes, &hello)?;
    match tty {
        Some(fd) => ipc::send_with_fd(stream, &bytes, fd)?,
        None => stream.write_all(&bytes)?,
    }
    match ipc::read_frame::<_, ServerMsg>(stream)? {
        ServerMsg::Welcome { tty, .. } => {
            // Each server learns the terminal's colour scheme anew (after a
            // switch or a reconnect too): ask the terminal to say it again.
            let _ = io::stdout().write_all(SCHEME_QUERY);
            let _ = io::stdout().flush();
            Ok(tty)
        }
        ServerMsg::Exit(reason) => bail!("{reason}"),
        other => bail!("unexpected first message from the server: {other:?}"),
    }
}

/// Our terminal, when stdin and stdout are the same one: the server then
/// reads the one and writes the other, as we would. `REVENANT_CLIENT_RELAY`
/// keeps it here, for a terminal that misbehaves read from elsewhere.
fn own_terminal() -> Option<std::os::fd::BorrowedFd<'static>> {
    use std::os::fd::BorrowedFd;
    if std::env::var_os("REVENANT_CLIENT_RELAY").is_some_and(|v| !v.is_empty() && v != "0") {
        return None;
    }
    // SAFETY: descriptors 0 and 1 stay open for as long as the process runs.
    let (stdin, stdout) = unsafe { (BorrowedFd::borrow_raw(0), BorrowedFd::borrow_raw(1)) };
    if !rustix::termios::isatty(stdin) || !rustix::termios::isatty(stdout) {
        return None;
    }
    let (a, b) = (rustix::fs::fstat(stdin).ok()?, rustix::fs::fstat(stdout).ok()?);
    (a.st_rdev == b.st_rdev).then_some(stdin)
}

/// Pumps input and output until the server says goodbye; with `direct`,
/// the server has the terminal and this only reports signals.
fn run_attached(
    stream: &mut UnixStream,
    signals: &Signals,
    direct: bool,
    copy_command: Option<&str>,
) -> Result<ExitReason> {
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let mut stream = stream.try_clone()?;
        let done = done.clone();
        let copy_command = copy_command.map(str::to_owned);
        std::thread::spawn(move || {
            let reason = pump_output(&mut stream, copy_command.as_deref());
            done.store(true, Ordering::Release);
            reason
        })
    };
    let result = if direct { watch_signals(stream, &done, signals) } else { pump_input(stream, done, signals) };
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let reason = reader.join().unwrap_or(ExitReason::Error("the output thread panicked".into()));
    result?;
    Ok(reason)
}

fn pump_output(stream: &mut UnixStream, copy_command: Option<&str>) -> ExitReason {
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
            // Only the user's own command, with the text on its stdin:
            // nothing a server sends chooses what runs here.
            Ok(ServerMsg::Copied(text)) => {
                if let Some(command) = copy_command.map(str::to_owned) {
                    std::thread::spawn(move || {
                        if let Err(e) = crate::copy_command::pipe_into(&command, text.as_bytes()) {
                            tracing::warn!("copy_command `{command}`: {e}");
                        }
                    });
                }
            }
            Ok(_) => {}
            Err(FrameError::Closed) => return ExitReason::Error(SERVER_GONE.into()),
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

fn pump_input(stream: &mut UnixStream, done: Arc<AtomicBool>, signals: &Signals) -> Result<()> {
    let heartbeat = {
        let (stop, done) = (signals.stop.clone(), done.clone());
        let leave = move || {
            stop.load(Ordering::Acquire)
                || done.load(Ordering::Acquire)
                || matches!(wait_for(None, Duration::ZERO, true), Readiness::Gone)
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
        if !answer_signals(stream, &done, signals) {
            break;
        }
        // Without anything held back, only for the heartbeat and the
        // `done` check: signals wake us.
        let timeout = decoder.wait().unwrap_or(Duration::from_millis(50));
        match wait_for(Some(&signals.wake), timeout, true) {
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

/// While the server has the terminal: signals are answered, and a hang-up
/// of the terminal detaches.
fn watch_signals(stream: &mut UnixStream, done: &AtomicBool, signals: &Signals) -> Result<()> {
    while !done.load(Ordering::Acquire) {
        if !answer_signals(stream, done, signals) {
            break;
        }
        // Not for input (the server reads it): only the hang-up counts.
        match wait_for(Some(&signals.wake), Duration::from_millis(50), false) {
            Readiness::Gone => {
                let _ = ipc::write_frame(stream, &ClientMsg::Detach);
                break;
            }
            Readiness::Signal => signals.drain_wake(),
            Readiness::Idle | Readiness::Ready => {}
        }
    }
    Ok(())
}

/// A SIGTERM or SIGHUP detaches, a SIGWINCH reports the new size; false
/// when the client is leaving.
fn answer_signals(stream: &mut UnixStream, done: &AtomicBool, signals: &Signals) -> bool {
    if signals.stop.load(Ordering::Acquire) {
        detach_and_wait(stream, done);
        return false;
    }
    if signals.resized.swap(false, Ordering::AcqRel)
        && let Ok((cols, rows)) = terminal::size()
    {
        return ipc::write_frame(stream, &ClientMsg::Resize { cols, rows }).is_ok();
    }
    true
}

/// Asks to detach; the server answers with Exit(Detached), which ends the
/// output pump.
fn detach_and_wait(stream: &mut UnixStream, done: &AtomicBool) {
    let _ = ipc::write_frame(stream, &ClientMsg::Detach);
    for _ in 0..100 {
        if done.load(Ordering::Acquire) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
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

/// Waits for the terminal (for input, if `input`; for a hang-up always)
/// or a signal.
fn wait_for(signals: Option<&UnixStream>, timeout: Duration, input: bool) -> Readiness {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = std::io::stdin();
    let mut fds = vec![PollFd::new(&stdin, if input { PollFlags::IN } else { PollFlags::empty() })];
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
