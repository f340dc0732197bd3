//! Every valid layout tiles any area, and no mutation of one panics the
//! parser or the normalizer.

mod common;

use common::*;
use revenant_layout::{ErrorKind, describe};

#[test]
fn extents_always_tile_the_area() {
    for text in VALID {
        let l = parse(text).unwrap();
        for (cols, rows) in [(100, 30), (80, 24), (237, 61), (41, 9)] {
            let Ok(tabs) = l.normalize(cols, rows) else { continue };
            for tab in tabs {
                // A stack's hidden members lie under its open one.
                let tiled: Vec<_> = tab.panes.iter().filter(|p| !p.floating && !p.collapsed).collect();
                let area: u32 = tiled.iter().map(|p| u32::from(p.cols) * u32::from(p.rows)).sum();
                assert_eq!(area, u32::from(cols) * u32::from(rows), "{text}");
                for p in &tab.panes {
                    assert!(p.x + p.cols <= cols && p.y + p.rows <= rows, "{text} {p:?}");
                }
            }
        }
    }
}

/// xorshift64*, so the fuzz is reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn exercise(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Ok(l) = parse(&text) {
        let _ = l.normalize(100, 30).map(|t| describe(&t));
        let _ = l.normalize(3, 2);
    } else if let Err(e) = parse(&text) {
        let _ = e.to_string();
    }
}

#[test]
fn mutations_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let tokens: &[&[u8]] =
        &[b"{", b"}", b"\"", b"=", b"pane", b"children", b"size=\"", b"%", b";", b"\n", b"true", b"#true", b"-", b"/-"];
    for round in 0..3000 {
        let base = VALID[round % VALID.len()].as_bytes();
        let mut bytes = base.to_vec();
        for _ in 0..1 + rng.below(4) {
            if bytes.is_empty() {
                break;
            }
            let i = rng.below(bytes.len());
            match rng.below(5) {
                0 => {
                    let n = 1 + rng.below(8).min(bytes.len() - i - 1);
                    bytes.drain(i..i + n);
                }
                1 => {
                    let j = (i + 1 + rng.below(16)).min(bytes.len());
                    let chunk = bytes[i..j].to_vec();
                    bytes.splice(i..i, chunk);
                }
                2 => {
                    let j = rng.below(bytes.len());
                    bytes.swap(i, j);
                }
                3 => bytes[i] = rng.next() as u8,
                _ => {
                    let t = tokens[rng.below(tokens.len())];
                    bytes.splice(i..i, t.iter().copied());
                }
            }
        }
        exercise(&bytes);
    }
    for _ in 0..1000 {
        let len = rng.below(64);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        exercise(&bytes);
        let alphabet = b" {}\"=;\npane%1a#";
        let ascii: Vec<u8> =
            b"layout {".iter().copied().chain((0..len).map(|_| alphabet[rng.below(alphabet.len())])).collect();
        exercise(&ascii);
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let depth = 200;
    let e = parse(&format!("layout {{\n{}{}}}\n", "pane {\n".repeat(depth), "}\n".repeat(depth))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Syntax);
    assert!(e.message().contains("nested more than"), "{}", e.message());
    let text = format!("layout {{\n{}{}}}\n", "pane {\n".repeat(depth), "}\n".repeat(depth));
    let _ = parse(&text).map(|l| l.normalize(100, 30));
}
