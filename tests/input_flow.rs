//! Input for a pane whose program does not read (a build, `sleep`, a
//! stopped job) waits in the pane's own queue: the session goes on
//! answering, drawing, saving and ending, and a pane with too much waiting
//! refuses more, saying so.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Env, process_alive, wait_until};

/// Runs a command, failing the test when it takes longer than `limit`
/// (a wedged server would otherwise hang the test forever).
fn within(limit: Duration, mut cmd: Command, stdin: Option<&[u8]>) -> Output {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = cmd.spawn().expect("spawning revenant");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        });
    }
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("{cmd:?} took more than {limit:?}: the session is wedged\n{}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn action(env: &Env, session: &str, args: &[&str]) -> Output {
    let mut cmd = env.cmd();
    cmd.args(["-s", session, "action"]).args(args);
    within(Duration::from_secs(5), cmd, None)
}

#[test]
fn a_pane_that_does_not_read_never_wedges_the_session() {
    let env = Env::new();
    let pid = env.start("w", &["--", "sleep", "1000"]);
    // 16 KB wedged the server for good: the PTY write blocked its thread.
    let text = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n".repeat(400);
    let out = action(&env, "w", &["write-chars", &text]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A megabyte more, in pieces the size of a big paste.
    let piece = "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n".repeat(2500);
    for _ in 0..10 {
        let out = action(&env, "w", &["write-chars", &piece]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    // The session still answers at once, other panes take input, and a
    // save goes through.
    let started = Instant::now();
    let out = action(&env, "w", &["list-panes"]);
    assert!(out.status.success());
    assert!(started.elapsed() < Duration::from_secs(1), "list-panes took {:?}", started.elapsed());
    let out = action(&env, "w", &["new-pane"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = action(&env, "w", &["write-chars", "echo still-here\n"]);
    assert!(out.status.success());
    env.wait_for_screen("w", "still-here");
    let mut save = env.cmd();
    save.args(["-s", "w", "action", "save-session"]);
    let out = within(Duration::from_secs(10), save, None);
    assert!(out.status.success(), "save: {}", String::from_utf8_lossy(&out.stderr));
    // And it ends when asked.
    let mut kill = env.cmd();
    kill.args(["kill-session", "w"]);
    let out = within(Duration::from_secs(15), kill, None);
    assert!(out.status.success(), "kill-session: {}", String::from_utf8_lossy(&out.stderr));
    wait_until("the server to exit", || !process_alive(pid));
}

#[test]
fn a_pane_with_too_much_waiting_refuses_more_and_says_so() {
    let env = Env::new();
    env.start("full", &["--", "sleep", "1000"]);
    // Lines: the terminal drops what it cannot hold of one endless line,
    // but waits with whole lines.
    let piece = "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\n".repeat(3000);
    let mut refused = None;
    // The queue holds 8 MiB: it must refuse before twice that.
    for _ in 0..140 {
        let out = action(&env, "full", &["write-chars", &piece]);
        if !out.status.success() {
            refused = Some(String::from_utf8_lossy(&out.stderr).into_owned());
            break;
        }
    }
    let refused = refused.expect("16 MB into a pane that does not read were all accepted");
    assert!(refused.contains("not reading its input"), "{refused}");
    assert!(refused.contains("pane 0"), "the error names the pane: {refused}");
    // The session is as responsive as ever.
    assert!(action(&env, "full", &["list-panes"]).status.success());
}

#[test]
fn cat_takes_a_big_paste_whole_although_it_echoes_all_of_it() {
    let env = Env::new();
    let dir = env.root.path().join("out");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("pasted");
    // `cat` blocked on its own echo once the server stopped reading: 110 KB
    // were enough to deadlock the session.
    env.start("cat", &["--", "sh", "-c", &format!("cat > {}", file.display())]);
    let line = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz012345678\n";
    let piece = line.repeat(1200);
    let total = piece.len() * 3;
    for _ in 0..3 {
        let out = action(&env, "cat", &["write-chars", &piece]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    wait_until("cat to have written every byte", || {
        std::fs::metadata(&file).map(|m| m.len() as usize).unwrap_or(0) >= total
    });
    assert_eq!(std::fs::read(&file).unwrap().len(), total);
    assert!(action(&env, "cat", &["list-panes"]).status.success());
}
