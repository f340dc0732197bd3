//! What programs in panes ask beyond their screens, end to end: a real
//! server and shell, a client reading its terminal's bytes, and tmux as a
//! real outer terminal with its clipboard on.

mod common;

use std::io::Read;
use std::time::{Duration, Instant};

use common::tmux::Tmux;
use common::{Env, hello, wait_until};
use revenant::ipc::{self, Role, ServerMsg};

/// A relaying client attached to `session`, and what its terminal got.
struct Watcher {
    stream: std::os::unix::net::UnixStream,
    seen: Vec<u8>,
}

impl Watcher {
    fn attach(env: &Env, session: &str) -> Watcher {
        let mut stream = ipc::connect(&env.socket_dir().join(session)).unwrap();
        ipc::write_frame(&mut stream, &hello(Role::Attach)).unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        Watcher { stream, seen: Vec::new() }
    }

    /// Waits until the terminal's bytes hold `needle`.
    fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(ServerMsg::Output(bytes)) = ipc::read_frame::<_, ServerMsg>(&mut self.stream) {
                self.seen.extend(bytes);
            }
            let text = String::from_utf8_lossy(&self.seen).into_owned();
            if text.contains(needle) {
                return text;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {needle:?} among the client's bytes");
        }
    }
}

#[test]
fn notifications_reach_the_clients_terminal_naming_session_and_pane() {
    let env = Env::new();
    env.start("notes", &[]);
    let mut client = Watcher::attach(&env, "notes");
    env.action("notes", &["write-chars", "printf '\\033]9;build done\\007'\n"]);
    client.wait_for("\x1b]9;[notes · ");
    let text = client.wait_for("] build done\x1b\\");
    assert!(!text.contains("\x1b]9;4;"), "no progress reports");
    env.action("notes", &["write-chars", "printf '\\033]777;notify;make;all tests passed\\033\\\\'\n"]);
    client.wait_for("\x1b]777;notify;[notes · ");
    client.wait_for("] make;all tests passed\x1b\\");
    // The log keeps them too.
    wait_until("the log names it", || env.logs().contains("notification from notes"));
    let mut rest = Vec::new();
    let _ = client.stream.read_to_end(&mut rest);
}

#[test]
fn a_programs_clipboard_write_reaches_the_terminal_and_copy_command_and_reads_need_leave() {
    let env = Env::new();
    let copied = env.root.path().join("copied.txt");
    env.write_config(&format!("copy_command \"cat > {}\"\n", copied.display()));
    env.start("clip", &[]);
    let Some(tmux) = Tmux::new(&env) else { return };
    tmux.open(&env, "t1", "attach clip", true);
    tmux.tmux(&["set", "-g", "set-clipboard", "on"]);
    tmux.wait_for("t1", "Pane #0");
    // As neovim's "+y does it: OSC 52 with the text in base64.
    env.action("clip", &["write-chars", "printf '\\033]52;c;%s\\007' $(printf 'from a program' | base64)\n"]);
    wait_until("tmux's clipboard to hold it", || tmux.tmux(&["show-buffer"]) == "from a program");
    wait_until("copy_command to get it", || std::fs::read_to_string(&copied).is_ok_and(|t| t == "from a program"));

    // A read is not answered by default: the program waits in vain.
    // Raw, with a 2 s read timeout (`time 20`), so no answer ends the read.
    let ask = "stty -icanon -echo min 0 time 20; printf '\\033]52;c;?\\033\\\\'; \
               v=$(dd bs=1 count=24 2>/dev/null | od -An -c | tr -d ' \\n'); stty sane; echo \"got=[$v]\"\n";
    env.action("clip", &["write-chars", ask]);
    env.wait_for_screen("clip", "got=[]");
    // With clipboard_read, it gets the session's last copy.
    env.write_config(&format!("copy_command \"cat > {}\"\nclipboard_read true\n", copied.display()));
    env.ok(&["kill-session", "clip"]);
    env.ok(&["delete-session", "clip"]);
    env.start("clip2", &[]);
    env.action("clip2", &["write-chars", "printf '\\033]52;c;%s\\007' $(printf 'hi' | base64)\n"]);
    env.action("clip2", &["write-chars", &ask.replace("count=24", "count=13")]);
    // `od -c` spells the answer out: ESC ] 5 2 ; c ; base64 of "hi".
    env.wait_for_screen("clip2", "got=[033]52;c;aGk=");
}

#[test]
fn a_bell_in_a_tab_nobody_looks_at_marks_it_until_it_is_focused() {
    let env = Env::new();
    env.start("bells", &[]);
    let Some(tmux) = Tmux::new(&env) else { return };
    tmux.open(&env, "t1", "attach bells", true);
    tmux.wait_for("t1", "Pane #0");
    env.action("bells", &["new-tab"]);
    env.action("bells", &["write-chars", "sleep 1; printf 'ring\\a\\n'\n"]);
    env.action("bells", &["go-to-tab", "1"]);
    let screen = tmux.wait_for("t1", "2 Tab #2 (BELL)");
    assert!(!screen.contains("1 Tab #1 (BELL)"), "{screen}");
    // Drawn red, as a warning.
    let coloured = tmux.tmux(&["capture-pane", "-p", "-e", "-t", "t1"]);
    assert!(
        coloured.contains("\x1b[1m\x1b[37m\x1b[41m 2 Tab #2 (BELL)") || coloured.contains("41m 2 Tab #2 (BELL)"),
        "{coloured}"
    );
    // Looking at it clears it; a bell where one looks marks nothing.
    env.action("bells", &["go-to-tab", "2"]);
    wait_until("the mark to go", || !tmux.screen("t1").contains("(BELL)"));
    env.action("bells", &["write-chars", "printf 'again\\a\\n'\n"]);
    tmux.wait_for("t1", "again");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!tmux.screen("t1").contains("(BELL)"), "{}", tmux.screen("t1"));
}

/// SGR mouse bytes for tmux to type into the client's terminal.
fn sgr(tmux: &Tmux, target: &str, seq: &str) {
    let hex: Vec<String> = seq.bytes().map(|b| format!("{b:02x}")).collect();
    let mut args = vec!["send-keys", "-t", target, "-H"];
    args.extend(hex.iter().map(String::as_str));
    tmux.tmux(&args);
    std::thread::sleep(Duration::from_millis(100));
}

#[test]
fn the_mouse_goes_to_a_tab_steps_tabs_and_opens_a_stacked_pane() {
    let env = Env::new();
    env.start("chrome", &[]);
    env.action("chrome", &["new-tab"]);
    env.action("chrome", &["new-tab"]);
    env.action("chrome", &["go-to-tab", "1"]);
    let Some(tmux) = Tmux::new(&env) else { return };
    tmux.open(&env, "t1", "attach chrome", true);
    let screen = tmux.wait_for("t1", "3 Tab #3");
    let active = |n: u32| {
        let needle = format!("42m {n} Tab #{n} ");
        wait_until(&format!("tab {n} to be active"), || {
            tmux.tmux(&["capture-pane", "-p", "-e", "-t", "t1"]).lines().next().is_some_and(|l| l.contains(&needle))
        });
    };
    active(1);
    // A click on the third tab's label (SGR columns count from 1).
    let col = screen.lines().next().unwrap().find("3 Tab #3").unwrap() + 1;
    sgr(&tmux, "t1", &format!("\x1b[<0;{col};1M"));
    sgr(&tmux, "t1", &format!("\x1b[<0;{col};1m"));
    active(3);
    // The wheel over the bar steps back.
    sgr(&tmux, "t1", "\x1b[<64;5;1M");
    active(2);

    // A stack: its list of titles opens the member clicked.
    env.action("chrome", &["rename-pane", "first"]);
    env.action("chrome", &["new-pane", "--stacked", "--name", "second"]);
    let screen = tmux.wait_for("t1", "second");
    let row = screen.lines().position(|l| l.contains("first")).expect("the list shows the first member") + 1;
    let col = screen.lines().nth(row - 1).unwrap().find("first").unwrap() + 1;
    sgr(&tmux, "t1", &format!("\x1b[<0;{col};{row}M"));
    sgr(&tmux, "t1", &format!("\x1b[<0;{col};{row}m"));
    wait_until("the first member to be open", || {
        let panes = env.json("chrome", &["list-panes", "--json"]);
        panes.as_array().unwrap().iter().any(|p| p["title"] == "first" && p["is_focused"] == true)
    });
}

#[test]
fn dragging_the_border_between_two_panes_resizes_them() {
    let env = Env::new();
    env.start("drag", &[]);
    let Some(tmux) = Tmux::new(&env) else { return };
    tmux.open(&env, "t1", "attach drag", true);
    tmux.wait_for("t1", "Pane #0");
    env.action("drag", &["new-pane", "--direction", "right"]);
    let screen = tmux.wait_for("t1", "Pane #1");
    let cols = |env: &Env| -> Vec<u64> {
        let panes = env.json("drag", &["list-panes", "--json"]);
        panes.as_array().unwrap().iter().map(|p| p["cols"].as_u64().unwrap()).collect()
    };
    let before = cols(&env);
    // The left pane's frame ends where its top-right corner is.
    let top: Vec<char> = screen.lines().nth(1).unwrap().chars().collect();
    let edge = top.iter().position(|c| matches!(c, '┓' | '╮')).expect("a corner") + 1;
    sgr(&tmux, "t1", &format!("\x1b[<0;{edge};10M"));
    sgr(&tmux, "t1", &format!("\x1b[<32;{};10M", edge - 10));
    sgr(&tmux, "t1", &format!("\x1b[<32;{};10M", edge - 20));
    sgr(&tmux, "t1", &format!("\x1b[<0;{};10m", edge - 20));
    wait_until("the left pane to be 20 columns narrower", || {
        let now = cols(&env);
        now[0] + 20 == before[0] && now[1] == before[1] + 20
    });
    // A click inside a pane is still a click, not a drag of anything.
    sgr(&tmux, "t1", "\x1b[<0;5;10M");
    sgr(&tmux, "t1", "\x1b[<32;8;10M");
    sgr(&tmux, "t1", "\x1b[<0;8;10m");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(cols(&env)[0] + 20, before[0]);
}

/// `revenant subscribe --json` running, its lines read on a thread.
fn subscribe(env: &Env, session: &str) -> (std::process::Child, std::sync::mpsc::Receiver<serde_json::Value>) {
    use std::io::BufRead;
    let mut child =
        env.cmd().args(["-s", session, "subscribe", "--json"]).stdout(std::process::Stdio::piped()).spawn().unwrap();
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(serde_json::from_str(&line).expect("a JSON line")).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Waits until the subscriber hears the session: a new title each try.
fn connected(env: &Env, session: &str, rx: &std::sync::mpsc::Receiver<serde_json::Value>) {
    let mut n = 0;
    wait_until("the subscriber to connect", || {
        n += 1;
        env.action(session, &["write-chars", &format!("printf '\\033]2;title-{n}\\007'\n")]);
        rx.recv_timeout(Duration::from_millis(300)).is_ok_and(|e| e["event"] == "pane_retitled")
    });
}

fn next_event(rx: &std::sync::mpsc::Receiver<serde_json::Value>, event: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let e = rx.recv_timeout(left).unwrap_or_else(|_| panic!("no {event} event"));
        if e["event"] == event {
            return e;
        }
    }
}

#[test]
fn subscribe_streams_what_happens_in_the_session() {
    let env = Env::new();
    env.start("events", &[]);
    let (mut child, rx) = subscribe(&env, "events");
    // Connected once the first event of ours comes through.
    connected(&env, "events", &rx);
    let script = "printf '\\a\\033]9;job done\\007'; sleep 0.3; exit 3";
    env.action("events", &["new-pane", "--name", "job", "--", "sh", "-c", script]);
    let opened = next_event(&rx, "pane_opened");
    assert_eq!(opened["session"], "events");
    let pane = opened["pane"].clone();
    // In the order they happened, up to the pane's end.
    let mut seen = Vec::new();
    loop {
        let e = rx.recv_timeout(Duration::from_secs(15)).expect("more events");
        let done = e["event"] == "pane_exited";
        seen.push(e);
        if done {
            break;
        }
    }
    let find = |event: &str| seen.iter().find(|e| e["event"] == event).unwrap_or_else(|| panic!("{event}: {seen:?}"));
    assert_eq!(find("bell")["pane"], pane);
    assert_eq!(
        (find("notification")["pane"].clone(), find("notification")["body"].as_str()),
        (pane.clone(), Some("job done"))
    );
    assert_eq!((find("pane_exited")["pane"].clone(), find("pane_exited")["code"].as_i64()), (pane, Some(3)));
    // The job's pane waits with its exit status: closing it gives the
    // shell the keys again.
    env.action("events", &["close-pane"]);
    next_event(&rx, "pane_closed");
    // A shell's prompt marks (OSC 133), as shell integration sends them.
    let marks = "printf '\\033]133;A\\007$ \\033]133;B\\007'; \
                 printf '\\033]133;C;cmdline=false\\007'; false; printf '\\033]133;D;%s\\007' $?\n";
    env.action("events", &["write-chars", marks]);
    next_event(&rx, "prompt_started");
    assert_eq!(next_event(&rx, "command_started")["cmdline"], "false");
    assert_eq!(next_event(&rx, "command_finished")["status"], 1);
    env.action("events", &["save-session"]);
    next_event(&rx, "session_saved");
    env.ok(&["kill-session", "events"]);
    // The stream ends with the session.
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn a_subscriber_that_falls_behind_is_told_how_many_events_it_lost() {
    use revenant::ipc::ClientMsg;
    let env = Env::new();
    env.start("flood", &[]);
    let mut stream = ipc::connect(&env.socket_dir().join("flood")).unwrap();
    let mut h = hello(Role::Subscribe);
    if let ClientMsg::Hello(ref mut inner) = h {
        inner.role = Role::Subscribe;
    }
    ipc::write_frame(&mut stream, &h).unwrap();
    // A bell a millisecond, read by nobody for a while.
    // Notifications of a kilobyte each, as fast as the shell writes them.
    let flood = "timeout 3 sh -c 'b=$(printf %01000d 0); while :; do printf \"\\033]9;%s\\007\" \"$b\"; done'; \
                 echo flood-done\n";
    env.action("flood", &["write-chars", flood]);
    env.wait_for_screen("flood", "flood-done");
    // The session did not wait for the reader.
    env.action("flood", &["write-chars", "echo still-$((2*21))\n"]);
    env.wait_for_screen("flood", "still-42");
    // The reader catches up with what was kept for it, then the next
    // event is preceded by the count of those it missed.
    stream.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
    let mut count = 0;
    while ipc::read_frame::<_, ServerMsg>(&mut stream).is_ok() {
        count += 1;
    }
    assert!(count < 4000, "everything was kept: {count}");
    env.action("flood", &["save-session"]);
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut lost = None;
    while let Ok(msg) = ipc::read_frame::<_, ServerMsg>(&mut stream) {
        if let ServerMsg::Event(line) = msg {
            let e: serde_json::Value = serde_json::from_str(&line).unwrap();
            if e["event"] == "lost" {
                lost = e["count"].as_u64();
            }
            if e["event"] == "session_saved" {
                break;
            }
        }
    }
    let lost = lost.expect("a `lost` event before the next one");
    assert!(lost > 0, "{lost}");
}

/// The session's shell replaced by an interactive bash with the shell
/// integration `setup` prints, as a user's ~/.bashrc would load it.
fn integrated_bash(env: &Env, session: &str) {
    let script = env.root.path().join("integration.bash");
    std::fs::write(&script, env.ok(&["setup", "--shell-integration", "bash"])).unwrap();
    env.action(session, &["write-chars", "exec bash --norc --noprofile -i\n"]);
    env.action(session, &["write-chars", &format!("source {}\n", script.display())]);
}

#[test]
fn bash_with_the_shell_integration_reports_each_command_and_its_status() {
    let env = Env::new();
    env.start("shell", &[]);
    let (mut child, rx) = subscribe(&env, "shell");
    connected(&env, "shell", &rx);
    let mut seen: Vec<serde_json::Value> = Vec::new();
    // Everything heard until `wanted` is among it.
    let mut hear = |wanted: &dyn Fn(&serde_json::Value) -> bool| {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !seen.iter().any(wanted) {
            let left = deadline.saturating_duration_since(Instant::now());
            seen.push(rx.recv_timeout(left).unwrap_or_else(|_| panic!("not heard; heard: {seen:#?}")));
        }
        seen.iter().rfind(|e| wanted(e)).cloned().unwrap()
    };
    integrated_bash(&env, "shell");
    hear(&|e| e["event"] == "prompt_started");
    env.action("shell", &["write-chars", "false; echo 'a;b'\n"]);
    let started = hear(&|e| e["event"] == "command_started");
    assert_eq!(started["cmdline"], "false; echo 'a;b'");
    assert_eq!(hear(&|e| e["event"] == "command_finished")["status"], 0);
    env.action("shell", &["write-chars", "sh -c 'exit 7'\n"]);
    hear(&|e| e["event"] == "command_started" && e["cmdline"] == "sh -c 'exit 7'");
    hear(&|e| e["event"] == "command_finished" && e["status"] == 7);
    env.ok(&["kill-session", "shell"]);
    let _ = child.wait();
}

#[test]
fn a_loop_a_shell_said_it_runs_is_saved_whole_not_its_foreground_sleep() {
    let env = Env::new();
    env.start("loop", &[]);
    integrated_bash(&env, "loop");
    env.action("loop", &["write-chars", "echo ready-$((4*4)); for i in 1 2 3; do sleep 100; done\n"]);
    env.wait_for_screen("loop", "ready-16");
    wait_until("sleep to run in the foreground", || {
        env.json("loop", &["list-panes", "--json"])[0]["title"] == "sleep 100"
    });
    let saved = env.action("loop", &["save-session"]);
    let layout = std::fs::read_to_string(saved.trim()).unwrap();
    assert!(layout.contains("for i in 1 2 3; do sleep 100; done"), "{layout}");
    assert!(!layout.contains("command=\"sleep\""), "{layout}");
    // Resurrected, it offers the loop behind "Press ENTER to run…".
    env.ok(&["kill-session", "loop"]);
    env.start("loop", &[]);
    let panes = env.json("loop", &["list-panes", "--json"]);
    assert_eq!(panes[0]["suspended"], true, "{panes}");
    assert!(panes[0]["command"].to_string().contains("for i in 1 2 3; do sleep 100; done"), "{panes}");
}

#[test]
fn config_kdl_applies_to_a_running_session_and_a_broken_one_changes_nothing() {
    let env = Env::new();
    env.start("live", &[]);
    let Some(tmux) = Tmux::new(&env) else { return };
    tmux.open(&env, "t1", "attach live", true);
    tmux.wait_for("t1", "Pane #0");
    let mouse = || tmux.tmux(&["display", "-p", "-t", "t1", "#{mouse_any_flag}"]).trim().to_owned();
    assert_eq!(mouse(), "1", "the client asked for the mouse");
    env.write_config("pane_frames false\nmouse_mode false\n");
    tmux.wait_for("t1", "config.kdl applied");
    wait_until("the frames to go", || !tmux.screen("t1").contains("Pane #0"));
    wait_until("the mouse to be let go", || mouse() == "0");
    // A file that does not parse: nothing changes, and it says where.
    env.write_config("pane_frames maybe\n");
    let screen = tmux.wait_for("t1", "nothing changed");
    assert!(screen.contains("config.kdl") || screen.contains("pane_frames"), "{screen}");
    assert!(!screen.contains("Pane #0"), "{screen}");
    // Fixed again: applied again.
    env.write_config("pane_frames true\n");
    tmux.wait_for("t1", "Pane #0");
    wait_until("the mouse to be taken again", || mouse() == "1");
}
