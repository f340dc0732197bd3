//! The first hour of a new user, driven through a real client in a real
//! tmux with real keys and mouse bytes: after every step the client must
//! still be drawing, shown by a command typed into the shell whose output
//! appears in tmux's capture within a second. Each test is a session of its
//! own; they run one at a time so that the one-second bound measures the
//! product, not the tests crowding each other on a small machine.

mod common;

use std::cell::Cell;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::tmux::Tmux;
use common::{Env, KillOnDrop};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// How long typing may take to show up: a person notices more.
const DRAWN_WITHIN: Duration = Duration::from_secs(1);

struct Person<'a> {
    env: &'a Env,
    tmux: &'a Tmux,
    session: &'a str,
    /// The tmux window the client runs in (a reattach moves it).
    target: std::cell::RefCell<String>,
    marker: Cell<u32>,
    /// Checks that failed without stopping the session: the steps after
    /// them still say whether they work.
    failed: std::cell::RefCell<Vec<String>>,
}

impl<'a> Person<'a> {
    /// Opens the client on a new session in a tmux window of `cols`x30.
    fn start(env: &'a Env, tmux: &'a Tmux, session: &'a str, cols: u16) -> (Person<'a>, KillOnDrop) {
        // Sized from the start: a resize is a step of its own.
        tmux.open_sized(env, "t1", &format!("-s {session}"), true, (cols, 30));
        tmux.tmux(&["set", "-g", "default-size", &format!("{cols}x30")]);
        tmux.wait_for("t1", "NORMAL");
        let server = KillOnDrop(vec![env.pid_of(session).expect("the session runs")]);
        let person = Person {
            env,
            tmux,
            session,
            target: "t1".to_string().into(),
            marker: Cell::new(0),
            failed: Default::default(),
        };
        person.drawn("start");
        (person, server)
    }

    fn target(&self) -> String {
        self.target.borrow().clone()
    }

    fn screen(&self) -> String {
        self.tmux.screen(&self.target())
    }

    /// tmux key names (`C-p`, `Enter`, `M-f`), sent at once.
    fn keys(&self, keys: &[&str]) {
        let target = self.target();
        let mut args = vec!["send-keys", "-t", &target];
        args.extend_from_slice(keys);
        self.tmux.tmux(&args);
    }

    /// Bytes as the terminal would send them (text, escape sequences).
    fn bytes(&self, text: &str) {
        self.tmux.tmux(&["send-keys", "-t", &self.target(), "-l", text]);
    }

    fn line(&self, text: &str) {
        self.bytes(text);
        self.keys(&["Enter"]);
    }

    /// Polls the client's screen every 20 ms until `f` holds.
    fn until(&self, within: Duration, f: impl Fn(&str) -> bool) -> Result<String, String> {
        let deadline = Instant::now() + within;
        loop {
            let screen = self.screen();
            if f(&screen) {
                return Ok(screen);
            }
            if Instant::now() > deadline {
                return Err(screen);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for(&self, step: &str, needle: &str, within: Duration) -> String {
        self.until(within, |s| s.contains(needle))
            .unwrap_or_else(|s| panic!("{step}: {needle:?} not shown within {within:?}:\n{s}\n{}", self.panes()))
    }

    /// The proof that the client still draws: a command typed now whose
    /// output (spelt differently from the command line) is on screen
    /// within a second.
    fn drawn(&self, step: &str) {
        let n = self.marker.get() + 1;
        self.marker.set(n);
        let shown = format!("fh{}", 1000 + n);
        self.line(&format!("echo fh$((1000+{n}))"));
        if let Err(screen) = self.until(DRAWN_WITHIN, |s| s.contains(&shown)) {
            let later = self.until(Duration::from_secs(3), |s| s.contains(&shown)).is_ok();
            // Whether the server has it tells a client that stopped
            // drawing from typing that got lost.
            let server =
                answer_within(self.env, &["-s", self.session, "action", "dump-screen"], Duration::from_secs(2));
            let server = match server {
                Some(text) if text.contains(&shown) => "the server's screen of the pane has it",
                Some(_) => "the server's screen of the pane does not have it either",
                None => "the server did not answer dump-screen within 2 s",
            };
            panic!(
                "after {step}: the client did not draw {shown:?} within {DRAWN_WITHIN:?} ({}; {server}):\n{screen}\n{}",
                if later { "it came later" } else { "not even 3 s later" },
                self.panes()
            );
        }
    }

    /// `list-panes` for failure reports, bounded: a stuck server must
    /// not hang the report.
    fn panes(&self) -> String {
        match answer_within(self.env, &["-s", self.session, "action", "list-panes"], Duration::from_secs(2)) {
            Some(text) => format!("panes:\n{text}"),
            None => "panes: the server did not answer list-panes within 2 s".into(),
        }
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        self.env.json(self.session, args)
    }

    fn focused(&self) -> serde_json::Value {
        let panes = self.json(&["list-panes", "--json"]);
        panes.as_array().unwrap().iter().find(|p| p["is_focused"] == true).cloned().expect("a focused pane")
    }

    fn check(&self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            let what = what();
            eprintln!("FAILED: {what}");
            self.failed.borrow_mut().push(what);
        }
    }

    /// Fails the test with every check that failed on the way.
    fn done(&self) {
        let failed = self.failed.borrow();
        assert!(failed.is_empty(), "{} check(s) failed:\n\n{}", failed.len(), failed.join("\n\n"));
    }

    /// Sends `keys` as the last ones typed for now and checks that
    /// `needle` shows within a second: a key the client holds back until
    /// the next one arrives fails here, where in a stream it would not.
    fn key_shows(&self, step: &str, keys: &[&str], needle: &str) -> bool {
        self.keys(keys);
        let shown = self.until(DRAWN_WITHIN, |s| s.contains(needle));
        let ok = shown.is_ok();
        self.check(ok, || {
            format!("{step}: {keys:?} did not show {needle:?} within {DRAWN_WITHIN:?}:\n{}", shown.unwrap_err())
        });
        ok
    }

    /// Whether the client drew its frame across `cols` columns within a
    /// second (the status bar's last column is on the bottom line).
    fn spans(&self, cols: usize) -> Result<String, String> {
        self.until(DRAWN_WITHIN, |s| {
            s.lines().any(|l| l.chars().count() == cols) && s.lines().all(|l| l.chars().count() <= cols)
        })
    }

    fn count(&self, what: impl Fn(&serde_json::Value) -> bool) -> usize {
        self.json(&["list-panes", "--json"]).as_array().unwrap().iter().filter(|p| what(p)).count()
    }
}

/// Runs `revenant ARGS`; its stdout if it ended well within `within`.
fn answer_within(env: &Env, args: &[&str], within: Duration) -> Option<String> {
    let mut child = env.cmd().args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().ok()?;
    let deadline = Instant::now() + within;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let mut out = String::new();
            std::io::Read::read_to_string(&mut child.stdout.take()?, &mut out).ok()?;
            return status.success().then_some(out);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Whether a line of the screen, inside the pane's frame, is `text`.
fn has_line(screen: &str, text: &str) -> bool {
    screen.lines().any(|l| l.trim_matches(|c: char| " │┃".contains(c)) == text)
}

fn wait(what: &str, within: Duration, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !f() {
        assert!(Instant::now() < deadline, "timed out after {within:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

const SECS: Duration = Duration::from_secs(5);

#[test]
fn split_float_tab_search_scroll_and_close() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let (me, _server) = Person::start(&env, &tmux, "first", 120);

    me.keys(&["C-p", "r"]);
    wait("a split", SECS, || me.count(|_| true) == 2);
    me.drawn("split");

    // With no floating pane, Alt-f opens one; again, it hides them.
    me.keys(&["M-f"]);
    wait("a floating pane", SECS, || me.focused()["is_floating"] == true);
    me.drawn("opening a floating pane");
    me.keys(&["M-f"]);
    wait("the floating pane hidden", SECS, || me.focused()["is_floating"] == false);
    me.drawn("hiding the floating pane");

    me.keys(&["C-t", "n"]);
    wait("a second tab", SECS, || me.json(&["list-tabs", "--json"]).as_array().unwrap().len() == 2);
    me.drawn("a new tab");
    me.keys(&["C-t", "1"]);
    wait("the first tab", SECS, || me.json(&["list-tabs", "--json"])[0]["is_focused"] == true);
    me.drawn("back to the first tab");

    // The command line spells it `ma''tch`, so only the output matches.
    me.line("echo ma''tch here");
    me.keys(&["C-s", "s"]);
    me.bytes("match");
    me.keys(&["Enter"]);
    me.wait_for("search", "Find: match · 1/1", SECS);
    me.keys(&["Escape"]);
    me.until(SECS, |s| !s.contains("Find:")).expect("search mode ends");
    me.drawn("search");

    me.line("seq 1 300");
    me.until(SECS, |s| has_line(s, "300")).expect("seq's last line");
    me.keys(&["C-s", "PageUp", "PageUp", "k"]);
    me.wait_for("scrolling up", "[SCROLL", SECS);
    me.keys(&["Home"]);
    // The first marker is the oldest line of the pane's scrollback.
    me.wait_for("scrolling to the top", "fh1002", SECS);
    me.keys(&["PageDown", "j", "End"]);
    me.until(SECS, |s| !s.contains("[SCROLL")).expect("back at the bottom");
    me.keys(&["Escape"]);
    me.drawn("scrolling back and forth");

    me.keys(&["C-p", "x"]);
    wait("one pane closed", SECS, || me.count(|p| p["tab"] == 0 && p["is_floating"] == false) == 1);
    me.drawn("closing a pane");
    me.done();
}

/// SGR mouse reports, 0-based cells as capture-pane counts them.
fn press(col: usize, row: usize) -> String {
    format!("\x1b[<0;{};{}M", col + 1, row + 1)
}
fn motion(col: usize, row: usize) -> String {
    format!("\x1b[<32;{};{}M", col + 1, row + 1)
}
fn release(col: usize, row: usize) -> String {
    format!("\x1b[<0;{};{}m", col + 1, row + 1)
}

/// Where `needle` is on `screen`: (column, row), in cells.
fn cell_of(screen: &str, needle: &str) -> (usize, usize) {
    for (row, line) in screen.lines().enumerate() {
        if let Some(at) = line.find(needle) {
            return (line[..at].chars().count(), row);
        }
    }
    panic!("{needle:?} is not on screen:\n{screen}");
}

#[test]
fn selecting_with_the_mouse_copies_and_keeps_drawing() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let (me, server) = Person::start(&env, &tmux, "mouse", 120);
    assert!(holds_a_terminal(server.0[0]), "the server reads and writes the client's terminal itself");
    // tmux must neither take the mouse bytes for itself nor drop the
    // client's OSC 52: its buffer then shows what was copied.
    tmux.tmux(&["set", "-g", "mouse", "off"]);
    tmux.tmux(&["set", "-s", "set-clipboard", "on"]);
    tmux.tmux(&["set-buffer", "nothing yet"]);
    me.line("printf 'alpha beta %s\\n' gamma");
    let screen = me.wait_for("printing words", "alpha beta gamma", SECS);
    let (col, row) = cell_of(&screen, "alpha beta gamma");
    let copied = |want: &str| {
        wait(&format!("tmux's buffer to hold {want:?}"), SECS, || tmux.tmux(&["show-buffer"]).trim_end() == want)
    };

    me.bytes(&[press(col, row), motion(col + 4, row), motion(col + 9, row), release(col + 9, row)].concat());
    copied("alpha beta");
    me.drawn("a mouse drag with copy on select");

    let click = [press(col + 7, row), release(col + 7, row)].concat();
    me.bytes(&click.repeat(2));
    copied("beta");
    me.drawn("a double click");
    // Apart from the double click, or the two make one quintuple click.
    std::thread::sleep(Duration::from_millis(600));
    me.bytes(&click.repeat(3));
    copied("alpha beta gamma");
    me.drawn("a triple click");
    me.done();
}

#[test]
fn resize_reflow_detach_reattach_and_the_session_manager() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let (me, _server) = Person::start(&env, &tmux, "resize", 120);
    // 100 columns: one row at 120, two at 60.
    let long = format!("r{}z", "0".repeat(98));
    me.line("printf 'r%098dz\\n' 0");
    me.wait_for("a 100-column line", &long, SECS);

    // Typed right after the resize: the first key must not wait for more.
    for cols in [60, 120] {
        tmux.tmux(&["resize-window", "-t", "t1", "-x", &cols.to_string(), "-y", "30"]);
        // A held-back key is let go by the next one: these are alone.
        me.key_shows(&format!("right after resizing to {cols} columns"), &["C-o"], " SESSION ");
        me.key_shows(&format!("after resizing to {cols} columns"), &["Enter"], " NORMAL ");
        me.drawn(&format!("resizing to {cols} columns"));
        if let Err(screen) = me.spans(cols) {
            let later = me.until(Duration::from_secs(3), |_| me.spans(cols).is_ok()).is_ok();
            me.check(false, || {
                format!(
                    "after resizing to {cols} columns the client did not draw {cols} columns wide within \
                     {DRAWN_WITHIN:?} ({}):\n{screen}",
                    if later { "it did later" } else { "not even 3 s later" }
                )
            });
        }
    }
    let screen = me.screen();
    me.check(screen.lines().any(|l| l.contains(&long)), || {
        format!("the 100-column line is not one row again at 120 columns (reflow):\n{screen}")
    });

    if !me.key_shows("detaching", &["C-o", "d"], "[detached from session resize]") {
        me.keys(&["Escape"]);
        me.wait_for("detaching, once another key came", "[detached from session resize]", SECS);
    }
    tmux.open(&env, "t2", "attach resize", false);
    *me.target.borrow_mut() = "t1:t2".into();
    me.wait_for("reattaching", "NORMAL", SECS);
    me.drawn("reattaching");

    // A hidden floating pane must not take the typing once the session
    // manager, itself floating, closes.
    me.keys(&["M-f"]);
    wait("a floating pane", SECS, || me.focused()["is_floating"] == true);
    me.drawn("opening a floating pane");
    me.keys(&["M-f"]);
    wait("the floating pane hidden", SECS, || me.focused()["is_floating"] == false);
    let tiled = me.focused()["id"].clone();
    me.keys(&["C-o", "w"]);
    // Debug builds compile the plugin slowly the first time.
    me.wait_for("opening the session manager", "Session Manager", Duration::from_secs(60));
    me.keys(&["Escape"]);
    me.until(SECS, |s| !s.contains("Session Manager")).expect("the session manager closes on Esc");
    me.drawn("closing the session manager");
    let focused = me.focused();
    me.check(focused["id"] == tiled, || format!("typing does not go back to the tiled pane:\n{}", me.panes()));
    let shown = me.env.action("resize", &["dump-screen", "--pane-id", &tiled.to_string()]);
    let typed = format!("fh{}", 1000 + me.marker.get());
    me.check(shown.contains(&typed), || format!("the tiled pane did not get the typing:\n{shown}"));

    if me.focused()["is_floating"] == true {
        // As a person would: hide the floating panes that took the focus.
        me.keys(&["M-f"]);
        wait("the floating panes hidden", SECS, || me.focused()["is_floating"] == false);
    }
    me.keys(&["C-p", "r"]);
    wait("a split", SECS, || me.count(|p| p["is_floating"] == false) == 2);
    me.drawn("a split");
    me.keys(&["C-p", "x"]);
    wait("the split closed", SECS, || me.count(|p| p["is_floating"] == false) == 1);
    me.drawn("closing a pane");
    me.done();
}

/// At least `bytes` of lines that mean nothing to a shell (comments), the
/// last one saying it is the last.
/// Whether process `pid` has a terminal open (a client's: the panes' are
/// PTY masters, `/dev/ptmx`).
fn holds_a_terminal(pid: u32) -> bool {
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).expect("the server runs");
    fds.flatten().any(|fd| std::fs::read_link(fd.path()).is_ok_and(|to| to.starts_with("/dev/pts/")))
}

/// The client keeps its terminal when told to (or when it cannot pass it):
/// it then sends the keys and writes the frames, copies and pastes itself.
#[test]
fn a_client_that_relays_types_selects_pastes_and_detaches() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let env = Env::new();
    let Some(mut tmux) = Tmux::new(&env) else { return };
    tmux.extra_env = "REVENANT_CLIENT_RELAY=1".into();
    let (me, server) = Person::start(&env, &tmux, "relay", 120);
    assert!(!holds_a_terminal(server.0[0]), "the server took the terminal of a client that relays");
    tmux.tmux(&["set", "-g", "mouse", "off"]);
    tmux.tmux(&["set", "-s", "set-clipboard", "on"]);
    me.line("printf 'alpha beta %s\\n' gamma");
    let screen = me.wait_for("printing words", "alpha beta gamma", SECS);
    let (col, row) = cell_of(&screen, "alpha beta gamma");
    me.bytes(&[press(col, row), motion(col + 9, row), release(col + 9, row)].concat());
    wait("the copy to reach tmux's buffer", SECS, || tmux.tmux(&["show-buffer"]).trim_end() == "alpha beta");
    me.drawn("a mouse drag");
    paste(&tmux, &me.target(), "echo pasted-$((6*7))\n", env.root.path());
    me.wait_for("a paste", "pasted-42", SECS);
    me.keys(&["C-o", "d"]);
    tmux.wait_for(&me.target(), "[detached from session relay]");
    me.done();
}

fn paste_text(bytes: usize) -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(&format!("# pasted line {i:06} {}\n", "abcdefghij".repeat(8)));
        i += 1;
    }
    text.push_str("# paste-end\n");
    text
}

/// Pastes `text` into the client as the terminal does (bracketed, as the
/// client asks for).
fn paste(tmux: &Tmux, target: &str, text: &str, dir: &Path) {
    let file = dir.join("paste.txt");
    std::fs::write(&file, text).unwrap();
    tmux.tmux(&["load-buffer", "-b", "big", file.to_str().unwrap()]);
    tmux.tmux(&["paste-buffer", "-p", "-r", "-b", "big", "-t", target]);
}

#[test]
fn vim_less_and_pasting_300_kb_into_cat() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let (me, _server) = Person::start(&env, &tmux, "paste", 120);

    me.line("vim -u DEFAULTS -i NONE");
    me.wait_for("starting vim", "VIM - Vi IMproved", SECS);
    me.bytes(":q!");
    me.keys(&["Enter"]);
    me.until(SECS, |s| !s.contains("Vi IMproved")).expect("vim exits");
    me.drawn("leaving vim");

    // The prompt is spelt differently on the command line.
    me.line("seq 1 500 | less -Psin''less");
    me.wait_for("starting less", "inless", SECS);
    me.keys(&["q"]);
    me.until(SECS, |s| !s.contains("inless")).expect("less exits");
    me.drawn("leaving less");

    let text = paste_text(300 << 10);
    let file = env.root.path().join("cat.txt");
    me.line(&format!("cat > {}", file.display()));
    wait("cat to run", SECS, || me.focused()["title"].as_str().is_some_and(|t| t.contains("cat")));
    paste(&tmux, &me.target(), &text, env.root.path());
    me.wait_for("the paste's echo", "# paste-end", Duration::from_secs(20));
    me.keys(&["C-d"]);
    wait("cat to write every byte", Duration::from_secs(10), || {
        std::fs::metadata(&file).is_ok_and(|m| m.len() as usize >= text.len())
    });
    let got = std::fs::read_to_string(&file).unwrap();
    assert!(got == text, "cat got {} bytes of {} (or other bytes)", got.len(), text.len());
    me.drawn("pasting into cat");
    me.done();
}

#[test]
fn pasting_300_kb_into_a_pane_that_reads_nothing() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let (me, _server) = Person::start(&env, &tmux, "stuck", 120);
    let text = paste_text(300 << 10);
    me.keys(&["C-p", "r"]);
    wait("a split", SECS, || me.count(|_| true) == 2);
    me.line("sleep 1000");
    wait("sleep to run", SECS, || me.focused()["title"].as_str().is_some_and(|t| t.contains("sleep")));
    paste(&tmux, &me.target(), &text, env.root.path());
    // Nobody reads that pane: the session must still answer.
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        let asked = Instant::now();
        let answer = answer_within(&env, &["-s", "stuck", "action", "list-panes"], Duration::from_secs(1));
        assert!(
            answer.is_some(),
            "list-panes got no answer within 1 s, {:?} after pasting 300 KB into `sleep 1000`",
            asked - started
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    me.keys(&["C-p", "x"]);
    wait("the sleep pane closed", SECS, || me.count(|_| true) == 1);
    me.drawn("pasting into a pane that reads nothing");
    me.done();
}

#[test]
fn a_killed_server_resurrects_and_esc_drops_to_a_shell_in_its_folder() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let (me, first) = Person::start(&env, &tmux, "phoenix", 120);
    let folder = env.root.path().join("project");
    std::fs::create_dir_all(&folder).unwrap();
    me.line(&format!("cd {}", folder.display()));
    me.drawn("cd");
    me.line("sleep 1000");
    wait("sleep to run", SECS, || me.focused()["title"].as_str().is_some_and(|t| t.contains("sleep")));
    // Ctrl-o s saves now instead of at the next interval.
    me.keys(&["C-o", "s"]);
    let layout = env.cache_dir().join("contract_version_1/session_info/phoenix/session-layout.kdl");
    wait("the save", SECS, || std::fs::read_to_string(&layout).is_ok_and(|l| l.contains("sleep")));
    Command::new("kill").args(["-9", &first.0[0].to_string()]).status().unwrap();
    wait("the server to die", SECS, || !common::process_alive(first.0[0]));

    tmux.open(&env, "t2", "attach phoenix", false);
    *me.target.borrow_mut() = "t1:t2".into();
    me.wait_for("resurrecting", "Press ENTER to run", Duration::from_secs(15));
    let _server = KillOnDrop(vec![env.pid_of("phoenix").expect("phoenix runs again")]);
    assert_eq!(me.focused()["suspended"], true, "the held command has the focus:\n{}", me.panes());

    me.keys(&["Escape"]);
    me.until(SECS, |s| !s.contains("Press ENTER to run")).expect("Esc lets go of the held command");
    me.line("pwd");
    let want = folder.display().to_string();
    me.until(SECS, |s| has_line(s, &want))
        .unwrap_or_else(|s| panic!("Esc then pwd: no line {want:?} within {SECS:?}:\n{s}\n{}", me.panes()));
    me.drawn("dropping to a shell");
    me.done();
}
