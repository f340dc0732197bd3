//! Fuzzing on stable Rust: deterministic random loops over every input a
//! session takes from outside. Each target runs 1 000 000 cases with
//! `REVENANT_SLOW=1` (a few thousand otherwise); every case has a time
//! bound, and none may panic. `REVENANT_FUZZ_SEED` picks another seed.
//!
//! - the VT parser and terminal state: random bytes, and pieces of real
//!   programs' output (tests/fixtures/recordings) mutated;
//! - the IPC frame decoder, and bytes straight onto a live server's socket;
//! - config and layout parsing, from the default config and real layouts
//!   mutated.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Env, Rng, hello};

/// A case taking longer than this is a hang.
const BOUND: Duration = Duration::from_secs(2);

fn cases(short: usize) -> usize {
    if std::env::var("REVENANT_SLOW").is_ok_and(|v| v == "1") { 1_000_000 } else { short }
}

fn seed() -> u64 {
    std::env::var("REVENANT_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed_cafe_f00d_1234)
}

/// Tokens that matter to the parsers, for insertions.
const TOKENS: &[&[u8]] = &[
    b"\x1b[",
    b"\x1b]",
    b"\x1bP",
    b"\x9b",
    b"\x07",
    b"\x1b\\",
    b";",
    b":",
    b"?",
    b"\"",
    b"{",
    b"}",
    b"\n",
    b"=",
    b"#true",
    b"#null",
    b"r#\"",
    b"/-",
    b"//",
    b"/*",
    b"pane",
    b"layout",
    b"tab",
    b"split_direction",
    b"size=",
    b"50%",
    b"0",
    b"65535",
    b"4294967296",
    b"-1",
    b"\xe4\xb8\xad",
    b"\xcc\x81",
    b"\xff",
    b"\x00",
    b"bind \"",
    b"keybinds",
    b"plugin location=",
    b"swap_tiled_layout",
    b"stacked=true",
    b"contents_file=",
    b"\x1b[?1049h",
    b"\x1b[38:2::1:2:3m",
    b"\x1b]8;;http://x\x1b\\",
    b"\x1b[99999999;99999999H",
    b"\x1b[1\"q",
    b"\x1b[?2J",
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(out.len() + 1);
        match rng.below(7) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.insert(at, rng.next() as u8),
            2 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                out.splice(at..at, t.iter().copied());
            }
            3 if !out.is_empty() => {
                let end = (at + rng.below(32)).min(out.len());
                out.drain(at.min(end)..end);
            }
            4 if !out.is_empty() => {
                let from = rng.below(out.len());
                let piece: Vec<u8> = out[from..(from + rng.below(64)).min(out.len())].to_vec();
                out.splice(at..at, piece);
            }
            5 => out.truncate(at),
            _ => {}
        }
    }
    out
}

fn bounded(what: &str, i: usize, input: &[u8], f: impl FnOnce()) {
    let started = Instant::now();
    f();
    let took = started.elapsed();
    assert!(took < BOUND, "{what}: case {i} took {took:?} on {:?}", String::from_utf8_lossy(input));
}

fn fixtures(dir: &str, ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(dir);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

#[test]
fn the_terminal_takes_random_and_mutated_program_output() {
    let recordings: Vec<Vec<u8>> =
        fixtures("recordings", "typescript").iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert!(recordings.len() >= 4);
    let mut rng = Rng(seed());
    let mut term = revenant_terminal::Terminal::new(80, 24, 200);
    for i in 0..cases(8_000) {
        let input = if rng.below(3) == 0 {
            (0..rng.below(512)).map(|_| rng.next() as u8).collect()
        } else {
            let r = &recordings[rng.below(recordings.len())];
            let from = rng.below(r.len());
            let to = (from + 1 + rng.below(512)).min(r.len());
            mutate(&mut rng, &r[from..to])
        };
        if rng.below(64) == 0 {
            term.resize(1 + rng.below(120) as u16, 1 + rng.below(50) as u16);
        }
        if rng.below(4096) == 0 {
            term = revenant_terminal::Terminal::new(1 + rng.below(200) as u16, 1 + rng.below(60) as u16, 200);
        }
        if rng.below(2048) == 0 {
            // The largest screens a server takes: a row costs only once written.
            let (cols, rows) = if rng.below(2) == 0 { (10_000, 100) } else { (1_000, 1_000) };
            term.resize(cols, rows);
        }
        bounded("terminal", i, &input, || {
            let mut rest = &input[..];
            while !rest.is_empty() {
                let n = 1 + rng.below(rest.len());
                term.advance(&rest[..n]);
                rest = &rest[n..];
            }
            let _ = term.take_responses();
        });
        let c = term.cursor();
        assert!(c.col < term.cols() && c.row < term.rows(), "case {i}: cursor {c:?}");
        if i % 997 == 0 {
            // Dumps walk every cell: they must cope with whatever is there.
            let _ = term.dump_ansi(Some(10));
            let _ = term.dump_text(true);
        }
    }
}

#[test]
fn the_frame_decoder_takes_any_bytes() {
    use revenant::ipc::{self, ClientMsg, Role};
    let mut valid = Vec::new();
    ipc::write_frame(&mut valid, &hello(Role::Attach)).unwrap();
    ipc::write_frame(&mut valid, &ClientMsg::Action(revenant::ipc::Action::ListPanes { json: true })).unwrap();
    ipc::write_frame(&mut valid, &ClientMsg::Resize { cols: 3, rows: 2 }).unwrap();
    // Sizes at and past every bound, and a paste whose length prefix is
    // then mutated into a lie.
    ipc::write_frame(&mut valid, &sized_hello(u16::MAX, u16::MAX)).unwrap();
    ipc::write_frame(&mut valid, &ClientMsg::Resize { cols: 0, rows: 0 }).unwrap();
    ipc::write_frame(&mut valid, &ClientMsg::Input(revenant::ipc::InputEvent::Paste("p".repeat(300)))).unwrap();
    // A header that claims 4 GiB is refused from the header alone.
    let mut liar = valid[..10].to_vec();
    liar[6..10].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(ipc::decode_frame::<ClientMsg>(&liar), Err(ipc::FrameError::TooLarge(_))));
    let mut rng = Rng(seed() ^ 1);
    for i in 0..cases(50_000) {
        let input = if rng.below(4) == 0 {
            (0..rng.below(64)).map(|_| rng.next() as u8).collect()
        } else {
            mutate(&mut rng, &valid)
        };
        bounded("frames", i, &input, || {
            let mut r = std::io::Cursor::new(&input[..]);
            while ipc::read_frame::<_, ClientMsg>(&mut r).is_ok() {}
            // As the server reads: from a buffer, frame after frame.
            let mut at = 0;
            while let Ok(Some((msg, used))) = ipc::decode_frame::<ClientMsg>(&input[at..]) {
                if let ClientMsg::Resize { cols, rows } | ClientMsg::Hello(revenant::ipc::Hello { cols, rows, .. }) =
                    msg
                {
                    // Whatever a frame says, the size a server takes is bounded.
                    if let Ok((c, r)) = revenant::term_size::bounded(cols, rows) {
                        assert!(u32::from(c) * u32::from(r) <= revenant::term_size::MAX_CELLS);
                    }
                }
                at += used;
            }
        });
    }
}

fn sized_hello(cols: u16, rows: u16) -> revenant::ipc::ClientMsg {
    match hello(revenant::ipc::Role::Attach) {
        revenant::ipc::ClientMsg::Hello(h) => revenant::ipc::ClientMsg::Hello(revenant::ipc::Hello { cols, rows, ..h }),
        _ => unreachable!(),
    }
}

#[test]
fn a_live_server_survives_any_bytes_on_its_socket() {
    use revenant::ipc::{self, ClientMsg, Role};
    let env = Env::new();
    env.start("target", &[]);
    let socket = env.socket_dir().join("target");
    let mut valid = Vec::new();
    ipc::write_frame(&mut valid, &hello(Role::Attach)).unwrap();
    let input = revenant::ipc::InputEvent::Paste("echo fuzz\n".into());
    ipc::write_frame(&mut valid, &ClientMsg::Input(input)).unwrap();
    ipc::write_frame(&mut valid, &ClientMsg::Resize { cols: 1, rows: 1 }).unwrap();
    ipc::write_frame(&mut valid, &ClientMsg::Action(revenant::ipc::Action::ListTabs { json: false })).unwrap();
    let pid = env.pid_of("target").expect("the server runs");
    let mut rng = Rng(seed() ^ 2);
    let sized = |rng: &mut Rng| {
        let side = |rng: &mut Rng| [0, 1, 2, 9_999, 10_000, 10_001, u16::MAX][rng.below(7)];
        let (cols, rows) = (side(rng), side(rng));
        let mut frame = Vec::new();
        let msg = if rng.below(2) == 0 { sized_hello(cols, rows) } else { ClientMsg::Resize { cols, rows } };
        ipc::write_frame(&mut frame, &msg).unwrap();
        frame
    };
    // Connections are costly: the slow suite sends 1 000 000 frames' worth
    // over 20 000 of them.
    let connections = if cases(0) > 0 { 20_000 } else { 300 };
    for i in 0..connections {
        let mut s = ipc::connect(&socket).expect("the server still accepts connections");
        let mut bytes = Vec::new();
        for _ in 0..1 + rng.below(50) {
            bytes.extend(if rng.below(5) == 0 {
                (0..rng.below(40)).map(|_| rng.next() as u8).collect()
            } else if rng.below(4) == 0 {
                sized(&mut rng)
            } else {
                mutate(&mut rng, &valid)
            });
        }
        bounded("socket", i, &bytes, || {
            let _ = s.write_all(&bytes);
        });
    }
    // Still alive, still answering, and no size taken past the bounds.
    let panes = env.json("target", &["list-panes", "--json"]);
    for pane in panes.as_array().unwrap() {
        let (cols, rows) = (pane["cols"].as_u64().unwrap(), pane["rows"].as_u64().unwrap());
        assert!(cols * rows <= u64::from(revenant::term_size::MAX_CELLS), "{pane}");
    }
    let rss_kib = common::status_kib(pid, "VmHWM");
    assert!(rss_kib < 512 * 1024, "the server's memory peaked at {} MiB", rss_kib / 1024);
    let tabs = env.json("target", &["list-tabs", "--json"]);
    assert_eq!(tabs.as_array().unwrap().len(), 1);
    // The fuzzed pastes may leave the shell inside a quote: Ctrl-C gives
    // it a fresh line, whatever they typed.
    env.action("target", &["write-chars", "\x03"]);
    env.action("target", &["write-chars", "echo still-$((6*7))\n"]);
    env.wait_for_screen("target", "still-42");
}

#[test]
fn config_and_layout_parsing_take_mutated_files() {
    let mut seeds: Vec<(PathBuf, Vec<u8>, bool)> =
        vec![(PathBuf::from("config.kdl"), revenant_config::Config::default_text().as_bytes().to_vec(), false)];
    for (name, text) in revenant::layouts::BUILTIN_LAYOUTS {
        seeds.push((PathBuf::from(format!("{name}.kdl")), text.as_bytes().to_vec(), true));
    }
    for p in fixtures("zellij-layouts", "kdl") {
        seeds.push((p.clone(), std::fs::read(&p).unwrap(), true));
    }
    let mut rng = Rng(seed() ^ 3);
    for i in 0..cases(1_000) {
        let (path, text, is_layout) = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, text);
        let size = (1 + rng.below(300) as u16, 1 + rng.below(100) as u16);
        let text = String::from_utf8_lossy(&input);
        bounded("parse", i, &input, || {
            if *is_layout {
                if let Ok(layout) = revenant_layout::Layout::parse(path, &text, Some(Path::new("/home/u"))) {
                    let _ = layout.normalize(size.0, size.1);
                }
            } else {
                let _ = revenant_config::Config::parse(path, &text);
            }
        });
    }
}
