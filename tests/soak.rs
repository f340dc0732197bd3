//! Soak: coloured output in 10 panes, three clients attaching and detaching
//! every few seconds, a save every second. The server's RSS stays flat
//! (within 10 % after warm-up), its open file descriptors too, and its CPU
//! goes back to ~0 % once the output stops. 10 minutes with
//! `REVENANT_SLOW=1` (20 seconds otherwise); the numbers are printed
//! (`cargo test --test soak -- --nocapture`).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{Env, wait_until};
use revenant::ipc::{self, ClientMsg, Role, ServerMsg};

fn fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count()
}

/// The server's CPU time so far, in clock ticks (utime + stime).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn rss_fds_and_idle_cpu_stay_flat_under_output_clients_and_saves() {
    let slow = std::env::var("REVENANT_SLOW").is_ok_and(|v| v == "1");
    let duration = Duration::from_secs(if slow { 600 } else { 20 });
    let env = Env::new();
    // A small scrollback fills during warm-up; after it, memory has no
    // reason to grow.
    env.write_config("serialization_interval 1\nscroll_buffer_size 500\nserialize_pane_viewport true\n");
    let layout = env.root.path().join("ten.kdl");
    let pane = r#"pane command="sh" { args "-c" "i=0; while :; do printf '\\033[3%dmline %d\\033[0m \\033[1;4mbold\\033[0m\\n' $((i % 8)) $i; i=$((i+1)); [ $((i % 40)) -eq 0 ] && sleep 0.05; done"; }"#;
    let column = format!("pane split_direction=\"horizontal\" {{\n{}\n}}", [pane; 5].join("\n"));
    std::fs::write(
        &layout,
        format!("layout {{\n  pane split_direction=\"vertical\" {{\n    {column}\n    {column}\n  }}\n}}\n"),
    )
    .unwrap();
    let pid = env.start("soak", &["--layout", layout.to_str().unwrap(), "--force-run-commands"]);
    wait_until("ten panes", || env.json("soak", &["list-panes", "--json"]).as_array().unwrap().len() == 10);

    // Three clients that come and go.
    let stop = Arc::new(AtomicBool::new(false));
    let socket = env.socket_dir().join("soak");
    let clients: Vec<_> = (0..3)
        .map(|i| {
            let (stop, socket) = (stop.clone(), socket.clone());
            std::thread::spawn(move || {
                let mut cycles = 0;
                while !stop.load(Ordering::Relaxed) {
                    let Ok(mut s) = ipc::connect(&socket) else { break };
                    let role = if i == 2 { Role::Watch } else { Role::Attach };
                    let _ = ipc::write_frame(&mut s, &common::hello(role));
                    let _ = s.set_read_timeout(Some(Duration::from_millis(200)));
                    let until = Instant::now() + Duration::from_millis(1500 + 700 * i);
                    while Instant::now() < until {
                        if let Ok(ServerMsg::Exit(_)) = ipc::read_frame::<_, ServerMsg>(&mut s) {
                            break;
                        }
                    }
                    let _ = ipc::write_frame(&mut s, &ClientMsg::Detach);
                    cycles += 1;
                }
                cycles
            })
        })
        .collect();

    let started = Instant::now();
    let warm_up = duration / 5;
    let mut samples: Vec<(u64, usize)> = Vec::new();
    while started.elapsed() < duration {
        std::thread::sleep(Duration::from_secs(1));
        if started.elapsed() > warm_up {
            samples.push((common::status_kib(pid, "VmRSS"), fds(pid)));
        }
    }
    stop.store(true, Ordering::Relaxed);
    let cycles: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();

    // Stop the output: every pane's loop ends.
    for p in env.json("soak", &["list-panes", "--json"]).as_array().unwrap() {
        env.action("soak", &["focus-pane-id", &p["id"].to_string()]);
        env.action("soak", &["send-keys", "Ctrl c"]);
    }
    std::thread::sleep(Duration::from_secs(2));
    let ticks_per_sec = 100.0;
    let (t0, c0) = (Instant::now(), cpu_ticks(pid));
    std::thread::sleep(Duration::from_secs(3));
    let idle_cpu = (cpu_ticks(pid) - c0) as f64 / ticks_per_sec / t0.elapsed().as_secs_f64() * 100.0;

    let rss: Vec<u64> = samples.iter().map(|s| s.0).collect();
    let fd: Vec<usize> = samples.iter().map(|s| s.1).collect();
    let (rss_min, rss_max) = (*rss.iter().min().unwrap(), *rss.iter().max().unwrap());
    let (fd_min, fd_max) = (*fd.iter().min().unwrap(), *fd.iter().max().unwrap());
    let saves = revenant_store_generations(&env);
    eprintln!(
        "soak {:?}: RSS after warm-up {rss_min}..{rss_max} KiB ({:+.1} %), fds {fd_min}..{fd_max}, {cycles} client attaches, \
         newest snapshot #{saves}, idle CPU afterwards {idle_cpu:.2} %",
        duration,
        (rss_max as f64 / rss_min as f64 - 1.0) * 100.0
    );
    assert!(rss_max as f64 <= rss_min as f64 * 1.10, "RSS grew: {rss:?}");
    // The three clients come and go: a socket and its reader each.
    assert!(fd_max <= fd_min + 6, "file descriptors grew: {fd:?}");
    assert!(cycles >= 6, "the clients attached {cycles} times");
    assert!(saves >= duration.as_secs() / 2, "saves every second: the newest is #{saves}");
    assert!(idle_cpu < 1.0, "idle CPU {idle_cpu:.2} %");
}

/// The number of the newest snapshot generation (one per save).
fn revenant_store_generations(env: &Env) -> u64 {
    let dir = env.cache_dir().join("contract_version_1/session_info/soak/snapshots");
    std::fs::read_dir(dir)
        .map(|rd| rd.flatten().filter_map(|e| e.file_name().to_str()?.parse::<u64>().ok()).max().unwrap_or(0))
        .unwrap_or(0)
}
