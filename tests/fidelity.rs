//! What you see is what the pane holds. Recordings of real programs
//! (tests/fixtures/recordings, made by its record.sh) and random SGR
//! streams are replayed into a borderless pane while a client is attached
//! inside tmux; after each, what tmux shows of the client
//! (`capture-pane -e -N`) is compared cell by cell with the pane's state
//! (`dump-screen --ansi`): characters, widths, colours, attributes,
//! underline styles and colours. Both are read back through the same
//! terminal parser, so only the cells are compared, not how they were
//! spelled. Then the same through a second client, a reattach, a resize and
//! a floating pane over the tiled one.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::Env;
use common::tmux::Tmux;
use revenant_terminal::{Color, Flags, Terminal};

const COLS: u16 = 100;
const ROWS: u16 = 30;

/// One cell as both sides are compared.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    text: String,
    width: u8,
    fg: Color,
    bg: Color,
    underline: Color,
    flags: Flags,
}

/// The cells `bytes` (lines separated by `\n`) leave on a fresh terminal.
fn cells(bytes: &str, cols: u16, rows: u16) -> Vec<Vec<Seen>> {
    let mut t = Terminal::new(cols, rows, 0);
    t.advance(bytes.trim_end_matches('\n').replace('\n', "\r\n").as_bytes());
    (0..rows)
        .map(|y| {
            t.row(y)
                .iter()
                .map(|c| {
                    let mut text = String::new();
                    c.push_text(&mut text);
                    Seen {
                        text,
                        width: c.width,
                        fg: c.style.fg,
                        bg: c.style.bg,
                        underline: t.extra(c.style.extra).underline_color,
                        flags: c.style.flags,
                    }
                })
                .collect()
        })
        .collect()
}

/// A rectangle of the client's screen and the pane state shown in it.
struct Region {
    x: u16,
    y: u16,
    cols: u16,
    rows: u16,
}

/// The differences between what tmux shows in `region` and the state,
/// skipping the cells inside `covered` (a floating pane over this one).
fn differences(shown: &[Vec<Seen>], state: &[Vec<Seen>], region: &Region, covered: Option<&Region>) -> Vec<String> {
    let mut out = Vec::new();
    for y in 0..region.rows {
        for x in 0..region.cols {
            let (sx, sy) = (region.x + x, region.y + y);
            if covered.is_some_and(|c| sx >= c.x && sx < c.x + c.cols && sy >= c.y && sy < c.y + c.rows) {
                continue;
            }
            let want = &state[y as usize][x as usize];
            let got = &shown[sy as usize][sx as usize];
            if want.width == 0 && got.width == 0 {
                continue;
            }
            if want != got {
                out.push(format!("({sx},{sy}): shown {got:?}\n             state {want:?}"));
            }
        }
    }
    out
}

struct Fidelity {
    env: Env,
    tmux: Tmux,
}

impl Fidelity {
    fn capture(&self, window: &str) -> String {
        self.tmux.tmux(&["capture-pane", "-p", "-e", "-N", "-t", window])
    }

    fn state(&self, pane: Option<&str>) -> String {
        let mut args = vec!["dump-screen", "--ansi"];
        if let Some(id) = pane {
            args.extend(["--pane-id", id]);
        }
        self.env.action("fid", &args)
    }

    /// Waits until the pane's state stops changing.
    fn settle(&self, pane: Option<&str>) -> String {
        let mut last = self.state(pane);
        loop {
            std::thread::sleep(Duration::from_millis(250));
            let now = self.state(pane);
            if now == last {
                return now;
            }
            last = now;
        }
    }

    /// Compares `window`'s screen with the panes' states until they agree
    /// (the client draws a frame at most every 16 ms) or 5 s have passed.
    fn check(&self, what: &str, window: &str, size: (u16, u16), panes: &[(Option<&str>, Region)]) {
        let states: Vec<String> = panes.iter().map(|(id, _)| self.settle(*id)).collect();
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let shown = cells(&self.capture(window), size.0, size.1);
            let mut diffs = Vec::new();
            for (i, ((_, region), state)) in panes.iter().zip(&states).enumerate() {
                let state = cells(state, region.cols, region.rows);
                // A later pane in the list floats over the earlier ones.
                let covered = panes.get(i + 1).map(|(_, r)| Region {
                    x: r.x - 1,
                    y: r.y - 1,
                    cols: r.cols + 2,
                    rows: r.rows + 2,
                });
                diffs.extend(differences(&shown, &state, region, covered.as_ref()));
            }
            if diffs.is_empty() {
                return;
            }
            if Instant::now() > deadline {
                let n = diffs.len();
                diffs.truncate(12);
                panic!("{what}: {n} cells differ between the client and the pane state:\n{}", diffs.join("\n"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn replay(&self, file: &Path) {
        self.env.action("fid", &["write-chars", &format!("{}\n", file.display())]);
    }
}

fn recordings() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/recordings");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "typescript"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "recordings in {}", dir.display());
    files
}

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

/// Random text with random SGR in every form, erases in the current
/// background, cursor jumps, wide characters and scrolling.
fn random_stream(seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut out = String::from("\x1b[0m\x1b[H\x1b[2J");
    let colour = |rng: &mut Rng, base: u64| -> String {
        match rng.below(6) {
            0 => format!("{}", base + rng.below(8)),
            1 => format!("{}", base + 60 + rng.below(8)),
            2 => format!("{};5;{}", base + 8, rng.below(256)),
            3 => format!("{}:5:{}", base + 8, rng.below(256)),
            4 => format!("{};2;{};{};{}", base + 8, rng.below(256), rng.below(256), rng.below(256)),
            _ => format!("{}:2::{}:{}:{}", base + 8, rng.below(256), rng.below(256), rng.below(256)),
        }
    };
    for _ in 0..600 {
        match rng.below(12) {
            0..=3 => {
                let mut params = Vec::new();
                for _ in 0..1 + rng.below(3) {
                    params.push(match rng.below(14) {
                        0 => "0".to_string(),
                        1 => ["1", "2", "3", "5", "7", "8", "9"][rng.below(7) as usize].to_string(),
                        2 => ["22", "23", "24", "25", "27", "28", "29", "39", "49", "59"][rng.below(10) as usize]
                            .to_string(),
                        3 => format!("4:{}", rng.below(6)),
                        4 => "4".into(),
                        5 => "21".into(),
                        6 | 7 => colour(&mut rng, 30),
                        8 | 9 => colour(&mut rng, 40),
                        10 => format!("58:5:{}", rng.below(256)),
                        11 => format!("58;2;{};{};{}", rng.below(256), rng.below(256), rng.below(256)),
                        12 => format!("58:2::{}:{}:{}", rng.below(256), rng.below(256), rng.below(256)),
                        _ => "1;4:3".into(),
                    });
                }
                out.push_str(&format!("\x1b[{}m", params.join(";")));
            }
            4..=7 => {
                for _ in 0..rng.below(12) {
                    out.push((b'!' + rng.below(94) as u8) as char);
                }
            }
            8 => out.push_str(["中文", "字", "é", "e\u{301}", " ", "😀"][rng.below(6) as usize]),
            9 => out.push_str(["\x1b[K", "\x1b[1K", "\x1b[2K", "\x1b[3X", "\x1b[2@", "\x1b[2P"][rng.below(6) as usize]),
            10 => out.push_str(&format!("\x1b[{};{}H", 1 + rng.below(ROWS as u64), 1 + rng.below(COLS as u64))),
            _ => out.push_str("\r\n"),
        }
    }
    out.push_str("\x1b[0m");
    out
}

#[test]
fn the_client_shows_exactly_what_the_panes_hold() {
    let env = Env::new();
    let Some(mut tmux) = Tmux::new(&env) else { return };
    // The outer terminal is tmux 3.3a: it takes truecolor and underline
    // styles and colours, and no hyperlinks (those are checked against our
    // own terminal state in the encoder's tests).
    tmux.extra_env = "REVENANT_TERMINAL_FEATURES=truecolor,usstyle".into();
    let reader = "stty -echo; while read f; do cat \"$f\"; done";
    let layout = env.root.path().join("fidelity.kdl");
    std::fs::write(
        &layout,
        format!("layout {{\n    pane borderless=true command=\"sh\" {{\n        args \"-c\" {reader:?}\n    }}\n}}\n"),
    )
    .unwrap();
    env.start("fid", &["--layout", layout.to_str().unwrap()]);
    let f = Fidelity { env, tmux };
    f.tmux.open(&f.env, "t1", "attach fid", true);
    let whole = || vec![(None, Region { x: 0, y: 0, cols: COLS, rows: ROWS })];
    let reset = f.env.root.path().join("reset");
    std::fs::write(&reset, "\x1b[?1049l\x1b[r\x1b[0m\x1b[H\x1b[2J\x1b[?25h").unwrap();

    for file in recordings() {
        f.replay(&reset);
        f.replay(&file);
        f.check(&format!("recording {}", file.display()), "t1:0", (COLS, ROWS), &whole());
    }
    let streams: Vec<PathBuf> = (1..=6u64)
        .map(|seed| {
            let path = f.env.root.path().join(format!("random-{seed}"));
            std::fs::write(&path, random_stream(seed)).unwrap();
            path
        })
        .collect();
    for (i, stream) in streams.iter().enumerate() {
        f.replay(stream);
        f.check(&format!("random SGR stream {}", i + 1), "t1:0", (COLS, ROWS), &whole());
    }

    // A second client draws it all from scratch.
    f.tmux.open(&f.env, "w2", "attach fid", false);
    f.check("a second client", "t1:w2", (COLS, ROWS), &whole());
    f.tmux.tmux(&["kill-window", "-t", "t1:w2"]);
    // Detach and reattach.
    f.tmux.keys("t1:0", &["C-o", "d"]);
    f.tmux.tmux(&["respawn-pane", "-k", "-t", "t1:0", &format!(
        "env REVENANT_SOCKET_DIR={} REVENANT_CACHE_DIR={} REVENANT_CONFIG_DIR={} REVENANT_PLUGIN_CACHE_DIR={} {} {} attach fid",
        f.env.socket_dir().display(),
        f.env.cache_dir().display(),
        f.env.config_dir().display(),
        f.env.plugin_cache_dir().display(),
        f.tmux.extra_env,
        env!("CARGO_BIN_EXE_revenant"),
    )]);
    f.replay(&streams[0]);
    f.check("after a reattach", "t1:0", (COLS, ROWS), &whole());
    // Smaller: the session and its pane take the client's size.
    f.tmux.tmux(&["resize-window", "-t", "t1:0", "-x", "83", "-y", "21"]);
    std::thread::sleep(Duration::from_millis(300));
    f.replay(&recordings()[0]);
    f.check("after a resize", "t1:0", (83, 21), &[(None, Region { x: 0, y: 0, cols: 83, rows: 21 })]);
    f.tmux.tmux(&["resize-window", "-t", "t1:0", "-x", &COLS.to_string(), "-y", &ROWS.to_string()]);
    std::thread::sleep(Duration::from_millis(300));

    // A floating pane over the tiled one: each shows its own state.
    let tiled = f.env.json("fid", &["list-panes", "--json"])[0]["id"].to_string();
    let floating = f.env.action("fid", &["new-pane", "--floating", "--", "sh", "-c", reader]).trim().to_string();
    std::thread::sleep(Duration::from_millis(300));
    f.replay(&streams[1]);
    let panes = f.env.json("fid", &["list-panes", "--json"]);
    let pane = panes
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"].as_u64().map(|i| i.to_string()) == Some(floating.clone()))
        .unwrap();
    let (x, y) = (pane["x"].as_u64().unwrap() as u16 + 1, pane["y"].as_u64().unwrap() as u16 + 1);
    let (cols, rows) = (pane["term_cols"].as_u64().unwrap() as u16, pane["term_rows"].as_u64().unwrap() as u16);
    f.check(
        "a floating pane over a tiled one",
        "t1:0",
        (COLS, ROWS),
        &[
            (Some(&tiled), Region { x: 0, y: 0, cols: COLS, rows: ROWS }),
            (Some(&floating), Region { x, y, cols, rows }),
        ],
    );
}
