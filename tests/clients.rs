//! Many clients on one session, and one that stops reading: every reading
//! client keeps getting frames during heavy output, the panes are not
//! slowed, and the stalled client is cut off after its bound with a reason
//! in the log. The clients speak the real protocol over the socket.

mod common;

use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Env, wait_until};
use revenant::ipc::{self, Role, ServerMsg};

fn connect(env: &Env, session: &str, role: Role) -> UnixStream {
    let mut s = ipc::connect(&env.socket_dir().join(session)).expect("connect");
    ipc::write_frame(&mut s, &common::hello(role)).unwrap();
    s
}

#[test]
fn twenty_clients_get_frames_and_a_client_that_never_reads_is_cut_off() {
    let env = Env::new();
    // The bound for a client that reads nothing, shortened for the test.
    let mut cmd = env.cmd();
    cmd.env("REVENANT_STALLED_CLIENT_SECS", "2").args(["attach", "-b", "crowd", "--size", "100x30"]);
    assert!(cmd.status().unwrap().success());
    let _guard = common::KillOnDrop(vec![env.pid_of("crowd").unwrap()]);

    let stop = Arc::new(AtomicBool::new(false));
    let mut readers = Vec::new();
    for i in 0..20 {
        let role = if i % 4 == 3 { Role::Watch } else { Role::Attach };
        let mut stream = connect(&env, "crowd", role);
        let frames = Arc::new(AtomicUsize::new(0));
        let (count, stop) = (frames.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match ipc::read_frame::<_, ServerMsg>(&mut stream) {
                    Ok(ServerMsg::Output(_)) => {
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(ServerMsg::Exit(_)) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        });
        readers.push(frames);
    }
    // Says hello, then never reads a byte.
    let _stalled = connect(&env, "crowd", Role::Attach);
    wait_until("21 clients", || env.json("crowd", &["list-clients", "--json"]).as_array().unwrap().len() == 21);

    let before: Vec<usize> = readers.iter().map(|f| f.load(Ordering::Relaxed)).collect();
    let started = Instant::now();
    env.action(
        "crowd",
        &["write-chars", "i=0; while [ $i -lt 40 ]; do seq 1 5000; i=$((i+1)); done; echo DONE-$((6*7))\n"],
    );
    // Waited for as long as the bound checked below: on a loaded machine a
    // debug build takes 10 to 15 s here, so a 15 s wait cut the test short.
    common::wait_up_to("the pane's output to finish", Duration::from_secs(30), || {
        env.action("crowd", &["dump-screen"]).contains("DONE-42")
    });
    let took = started.elapsed();
    for (i, f) in readers.iter().enumerate() {
        let got = f.load(Ordering::Relaxed) - before[i];
        assert!(got >= 3, "client {i} got {got} frames during the output");
    }
    // 200 000 lines: a stuck client must not hold the pane back for long.
    assert!(took < Duration::from_secs(30), "the output took {took:?}");

    // Output that goes on until the stalled client's socket is full and
    // its bound has passed. Wide lines: frames of a few bytes a row would
    // take most of the wait to fill a socket.
    env.action("crowd", &["write-chars", "while :; do seq -f '%090.0f' 1 5000; done\n"]);
    wait_until("the stalled client is cut off", || {
        env.json("crowd", &["list-clients", "--json"]).as_array().unwrap().len() == 20
    });
    env.action("crowd", &["send-keys", "Ctrl c"]);
    assert!(env.logs().contains("has read no frame for 2s: disconnected"), "{}", env.logs());
    let alive = readers.iter().filter(|f| f.load(Ordering::Relaxed) > 0).count();
    assert_eq!(alive, 20, "every reading client stays");
    stop.store(true, Ordering::Relaxed);
}

#[test]
fn a_reattach_lands_on_the_tab_and_pane_the_last_client_left() {
    let env = Env::new();
    env.start("back", &[]);
    let clients = || env.json("back", &["list-clients", "--json"]).as_array().unwrap().len();
    let client = connect(&env, "back", Role::Attach);
    wait_until("the client to be attached", || clients() == 1);
    env.action("back", &["new-tab"]);
    let right: u64 = env.action("back", &["new-pane", "--direction", "right"]).trim().parse().unwrap();
    env.action("back", &["move-focus", "left"]);
    env.action("back", &["move-focus", "right"]);
    drop(client);
    wait_until("the client to be gone", || clients() == 0);

    let position = || env.json("back", &["current-tab-info", "--json"])["position"].as_u64().unwrap();
    let focused = || {
        let panes = env.json("back", &["list-panes", "--json"]);
        panes.as_array().unwrap().iter().find(|p| p["is_focused"] == true).map(|p| p["id"].as_u64().unwrap())
    };
    assert_eq!((position(), focused()), (1, Some(right)), "the session stays where its last client was");
    let _again = connect(&env, "back", Role::Attach);
    wait_until("the new client to be attached", || clients() == 1);
    assert_eq!((position(), focused()), (1, Some(right)), "and the next client starts there");
}
