//! Themes seen as a person sees them, in tmux's `capture-pane -e`: the
//! bars change colour when config.kdl names another theme, when the theme's
//! file changes on disk, and when the terminal says it turned light or
//! dark (CSI 2031); `setup --dump-theme` prints one.

mod common;

use common::tmux::Tmux;
use common::{Env, KillOnDrop, wait_until};

fn coloured(tmux: &Tmux) -> String {
    tmux.tmux(&["capture-pane", "-p", "-e", "-t", "t1"])
}

fn wait_for_colour(tmux: &Tmux, sgr: &str) {
    wait_until(&format!("the screen has {sgr}"), || coloured(tmux).contains(sgr));
}

#[test]
fn the_bars_follow_the_theme_in_config_kdl_its_file_and_the_terminals_scheme() {
    let env = Env::new();
    let Some(mut tmux) = Tmux::new(&env) else { return };
    // The colours go out as they are, not as the nearest of 256.
    tmux.extra_env = "REVENANT_TERMINAL_FEATURES=truecolor".into();
    env.write_config("pane_frames false\n");
    tmux.open(&env, "t1", "-s painted", true);
    wait_until("the session runs", || env.pid_of("painted").is_some());
    let _guard = KillOnDrop(vec![env.pid_of("painted").unwrap()]);
    // The default theme: Revenant's grey bars.
    wait_for_colour(&tmux, "48;5;236");

    // A theme of one's own, in the theme folder: dracula's, but its bars
    // on 10 20 30.
    let dracula = env.ok(&["setup", "--dump-theme", "dracula"]);
    let mine = dracula.replacen("dracula", "mine", 1).replacen("background 0 0 0", "background 10 20 30", 1);
    assert_ne!(mine, dracula.replacen("dracula", "mine", 1), "the bars' background is in the dump");
    let dir = env.config_dir().join("themes");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("mine.kdl");
    std::fs::write(&file, &mine).unwrap();
    env.write_config("pane_frames false\ntheme \"mine\"\n");
    wait_for_colour(&tmux, "48;2;10;20;30");
    assert!(!coloured(&tmux).contains("48;5;236"));

    // The file alone changes: the session sees it.
    std::fs::write(&file, mine.replacen("background 10 20 30", "background 40 50 60", 1)).unwrap();
    wait_for_colour(&tmux, "48;2;40;50;60");

    // Dark and light: the terminal's report picks one (as Zellij, only
    // with both set).
    env.write_config("pane_frames false\ntheme_dark \"default\"\ntheme_light \"mine\"\n");
    tmux.keys("t1", &["-l", "\x1b[?997;1n"]);
    wait_for_colour(&tmux, "48;5;236");
    tmux.keys("t1", &["-l", "\x1b[?997;2n"]);
    wait_for_colour(&tmux, "48;2;40;50;60");

    // A theme file that breaks: named in the status bar; the config that
    // names its theme still applies, with the default theme meanwhile.
    std::fs::write(&file, "themes {\n  mine {\n    text_unselected { base \"#zz\"; }\n  }\n}\n").unwrap();
    env.write_config("pane_frames false\ntheme \"mine\"\n");
    tmux.wait_for("t1", "mine.kdl:3");
    wait_for_colour(&tmux, "48;5;236");
}

#[test]
fn dump_theme_prints_a_zellij_block_and_names_the_known_ones() {
    let env = Env::new();
    let nord = env.ok(&["setup", "--dump-theme", "nord"]);
    assert!(nord.starts_with("themes {\n    nord {\n"), "{nord}");
    let err = env.fails(&["setup", "--dump-theme", "nope"]);
    assert!(err.contains("no theme `nope`") && err.contains("gruvbox-light"), "{err}");
}
