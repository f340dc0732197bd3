//! Finding the session to attach to, as Zellij does: the only one, a unique
//! beginning of a name, a position in `ls`; and `ls --reverse`.

mod common;

use common::Env;
use common::tmux::Tmux;

#[test]
fn attach_finds_the_session_by_prefix_index_or_being_the_only_one() {
    let env = Env::new();
    let Some(tmux) = Tmux::new(&env) else { return };
    env.start("bravo", &[]);
    // The only session: a bare `attach` takes it.
    tmux.open(&env, "t1", "attach", true);
    tmux.wait_for("t1", "bravo");
    env.start("alpha-one", &[]);
    env.start("alpha-two", &[]);

    // Several: a bare attach names them and attaches to none.
    let err = env.fails(&["attach"]);
    assert!(err.contains("several sessions") && err.contains("alpha-one") && err.contains("bravo"), "{err}");
    // A beginning shared by two names is refused with both.
    let err = env.fails(&["attach", "alpha"]);
    assert!(err.contains("alpha-one, alpha-two") || err.contains("alpha-two, alpha-one"), "{err}");
    // A unique beginning attaches.
    tmux.open(&env, "t2", "attach alpha-t", false);
    tmux.wait_for("t2", "alpha-two");

    // `ls` order, and its reverse; --index takes a position in it.
    let ls = env.ok(&["ls", "--short"]);
    let names: Vec<&str> = ls.lines().collect();
    assert_eq!(names.len(), 3, "{ls}");
    let reversed = env.ok(&["ls", "--short", "-r"]);
    assert_eq!(reversed.lines().collect::<Vec<_>>(), names.iter().rev().copied().collect::<Vec<_>>());
    tmux.open(&env, "t3", "attach --index 2", false);
    tmux.wait_for("t3", names[2]);
    let err = env.fails(&["attach", "--index", "7"]);
    assert!(err.contains("no session 7") && err.contains("0 to 2"), "{err}");
}

#[test]
fn attach_b_takes_its_name_from_s_and_refuses_a_bad_one() {
    let env = Env::new();
    env.ok(&["-s", "named", "attach", "-b"]);
    let _guard = common::KillOnDrop(env.pid_of("named").into_iter().collect());
    assert_eq!(env.ok(&["ls", "--short"]), "named\n");
    let err = env.fails(&["-s", "a/b", "attach", "-b"]);
    assert!(err.contains("contains `/`"), "{err}");
    let err = env.fails(&["-s", "one", "attach", "-b", "two"]);
    assert!(err.contains("two sessions"), "{err}");
    assert_eq!(env.ok(&["ls", "--short"]), "named\n", "no session was made for the refused names");
}

#[test]
fn ls_marks_a_session_a_client_is_attached_to() {
    let env = Env::new();
    env.start("seen", &[]);
    env.start("alone", &[]);
    let mut client = revenant::ipc::connect(&env.socket_dir().join("seen")).unwrap();
    revenant::ipc::write_frame(&mut client, &common::hello(revenant::ipc::Role::Attach)).unwrap();
    let line = |name: &str| env.ok(&["ls", "-n"]).lines().find(|l| l.starts_with(name)).unwrap_or_default().to_owned();
    common::wait_until("the client to be listed", || line("seen").ends_with(" (attached)"));
    assert!(!line("alone").contains("attached"), "{}", line("alone"));
    drop(client);
}

#[test]
fn version_ends_its_line() {
    let env = Env::new();
    let out = env.ok(&["--version"]);
    assert!(out.starts_with("revenant ") && out.ends_with('\n'), "{out:?}");
}
