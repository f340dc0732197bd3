//! Copy mode driven in tmux with real keys: `v` in scroll mode starts a
//! keyboard cursor, vi (or emacs) keys move it and select, and `y` sends
//! the text out through OSC 52 into tmux's buffer and `copy_command`.
//! With the shell integration, `[` / `]` jump between prompts and `o`
//! selects one command's output.

mod common;

use std::path::Path;
use std::time::Duration;

use common::tmux::Tmux;
use common::{Env, KillOnDrop, wait_until};

const TEXT: &str = "alpha beta gamma\nsecond line here\nthird row\n";

/// A session in tmux showing `TEXT` from a program that then waits.
fn session(env: &Env, tmux: &Tmux, name: &str, config: &str) -> KillOnDrop {
    let copied = env.root.path().join("copied.txt");
    env.write_config(&format!("pane_frames false\ncopy_command \"cat > '{}'\"\n{config}", copied.display()));
    let show = env.root.path().join("show.sh");
    std::fs::write(&show, format!("#!/bin/sh\nprintf '{}'\nexec sleep 100\n", TEXT.replace('\n', "\\n"))).unwrap();
    std::fs::set_permissions(&show, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let layout = env.root.path().join("bare.kdl");
    let bar = "pane size=1 borderless=true { plugin location=\"zellij:status-bar\"; }";
    std::fs::write(&layout, format!("layout {{\n  pane command=\"{}\"\n  {bar}\n}}\n", show.display())).unwrap();
    tmux.open(env, "t1", &format!("-s {name} --layout {}", layout.display()), true);
    tmux.tmux(&["set", "-s", "set-clipboard", "on"]);
    tmux.wait_for("t1", "third row");
    KillOnDrop(vec![env.pid_of(name).expect("the session runs")])
}

fn buffer(tmux: &Tmux, want: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while tmux.tmux(&["show-buffer"]) != want {
        assert!(
            std::time::Instant::now() < deadline,
            "tmux's buffer holds {:?}, not {want:?}; the screen:\n{}",
            tmux.tmux(&["show-buffer"]),
            tmux.screen("t1")
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn copied(env: &Env, want: &str) {
    let path = env.root.path().join("copied.txt");
    wait_until(&format!("copy_command got {want:?}"), || std::fs::read_to_string(&path).is_ok_and(|t| t == want));
}

#[test]
fn vi_keys_select_words_lines_and_a_rectangle_and_y_copies() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let _guard = session(&env, &tmux, "copy", "");
    // v in scroll mode: copy mode, shown in the status bar.
    tmux.keys("t1", &["C-s", "v"]);
    tmux.wait_for("t1", "COPY");
    // To the top, select from there, over two words.
    tmux.keys("t1", &["g", "v", "w", "e", "y"]);
    buffer(&tmux, "alpha beta");
    copied(&env, "alpha beta");
    tmux.wait_for("t1", "NORMAL");

    // Lines, found with a search.
    tmux.keys("t1", &["C-s", "v", "g", "/"]);
    tmux.keys("t1", &["-l", "line"]);
    tmux.keys("t1", &["Enter", "V", "j", "Enter"]);
    buffer(&tmux, "second line here\nthird row");

    // A rectangle: columns 1 to 3 of the first two rows.
    tmux.keys("t1", &["C-s", "Space", "g", "l", "C-v", "j", "l", "l", "y"]);
    buffer(&tmux, "lph\neco");

    // Esc leaves without copying; the client keeps drawing.
    tmux.tmux(&["set-buffer", "untouched"]);
    tmux.keys("t1", &["C-s", "v", "g", "w", "Escape"]);
    tmux.wait_for("t1", "NORMAL");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(tmux.tmux(&["show-buffer"]), "untouched");
    tmux.keys("t1", &["C-s"]);
    tmux.wait_for("t1", "SCROLL");
}

#[test]
fn emacs_keys_when_configured() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    let _guard = session(&env, &tmux, "emacs", "copy_mode_keys \"emacs\"\n");
    tmux.keys("t1", &["C-s", "v"]);
    tmux.wait_for("t1", "COPY");
    // j is not a motion in emacs keys; Ctrl-n is.
    tmux.keys("t1", &["M-<", "C-n", "C-Space", "M-f", "M-f", "M-w"]);
    buffer(&tmux, "second line");
    tmux.wait_for("t1", "NORMAL");
}

fn integrated_bash(env: &Env, session: &str, dir: &Path) {
    let script = dir.join("integration.bash");
    std::fs::write(&script, env.ok(&["setup", "--shell-integration", "bash"])).unwrap();
    env.action(session, &["write-chars", "exec bash --norc --noprofile -i\n"]);
    // Another hook in PROMPT_COMMAND (pyenv's ends in `;`) is not a command.
    env.action(session, &["write-chars", "PROMPT_COMMAND='true;'\n"]);
    env.action(session, &["write-chars", &format!("source {}\n", script.display())]);
    // And one added after it, as direnv or zoxide do.
    env.action(session, &["write-chars", "PROMPT_COMMAND=\"${PROMPT_COMMAND%;};true\"\n"]);
}

#[test]
fn prompts_are_jumped_to_and_a_commands_output_is_selected() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    env.write_config("pane_frames false\n");
    tmux.open(&env, "t1", "-s marks", true);
    tmux.tmux(&["set", "-s", "set-clipboard", "on"]);
    wait_until("the session runs", || env.pid_of("marks").is_some());
    let _guard = KillOnDrop(vec![env.pid_of("marks").unwrap()]);
    integrated_bash(&env, "marks", env.root.path());
    env.action("marks", &["write-chars", "printf 'one\\ntwo\\n'\n"]);
    // Typed before the prompt is back, the terminal would echo it into
    // printf's output.
    tmux.wait_for("t1", "two\n$");
    env.action("marks", &["write-chars", "echo three\n"]);
    // Its output and the prompt after it, not the command line.
    tmux.wait_for("t1", "\nthree\n$");
    // At the bottom, o takes the output of the last command.
    tmux.keys("t1", &["C-s", "o"]);
    tmux.wait_for("t1", "COPY");
    tmux.keys("t1", &["y"]);
    buffer(&tmux, "three");
    // Two prompts up is printf's: o there takes its two lines.
    tmux.keys("t1", &["C-s", "[", "[", "o", "y"]);
    buffer(&tmux, "one\ntwo");
    // A triple click on output takes all of it too.
    let screen = tmux.screen("t1");
    let row = screen.lines().position(|l| l == "two").expect("two is on screen") as u16;
    let click = format!("\x1b[<0;1;{r}M\x1b[<0;1;{r}m", r = row + 1);
    tmux.keys("t1", &["-l", &click.repeat(3)]);
    buffer(&tmux, "one\ntwo");
}

#[test]
fn prompt_marks_come_back_with_a_resurrected_viewport() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    env.write_config("pane_frames false\nserialize_pane_viewport true\nscrollback_lines_to_serialize 100\n");
    let pid = env.start("again", &[]);
    integrated_bash(&env, "again", env.root.path());
    env.action("again", &["write-chars", "echo one\n"]);
    wait_until("one is printed", || env.action("again", &["dump-screen"]).contains("\none\n$"));
    env.action("again", &["write-chars", "echo three\n"]);
    wait_until("three and the prompt after it", || env.action("again", &["dump-screen"]).contains("\nthree\n$"));
    env.action("again", &["save-session"]);
    std::process::Command::new("kill").args(["-9", &pid.to_string()]).status().unwrap();
    wait_until("the server to die", || !common::process_alive(pid));

    // Attaching resurrects it; its shell is new, its screen the saved one.
    tmux.open(&env, "t1", "attach again", true);
    tmux.tmux(&["set", "-s", "set-clipboard", "on"]);
    tmux.wait_for("t1", "three");
    let _guard = KillOnDrop(vec![env.pid_of("again").expect("resurrected")]);
    // The last marked prompt is the one that waited; the one above it ran
    // `echo three`.
    tmux.keys("t1", &["C-s", "[", "[", "o", "y"]);
    buffer(&tmux, "three");
}
