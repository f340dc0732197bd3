//! Whole-terminal properties: chunking doesn't matter, hostile input can't
//! panic or break the grid's invariants, and the hot path is fast.

use crate::{Cell, Terminal};

/// xorshift64*: deterministic, dependency-free pseudo-randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Everything observable, for comparing two terminals.
fn snapshot(t: &Terminal) -> (Vec<Vec<Cell>>, Vec<Vec<Cell>>, String) {
    let rows = (0..t.rows()).map(|y| t.row(y).to_vec()).collect();
    let history = (0..t.scrollback_len()).map(|i| t.scrollback_row(i).to_vec()).collect();
    let meta = format!("{:?} {:?} {:?} {}", t.cursor(), t.modes(), t.title(), t.bell_count());
    (rows, history, meta)
}

fn check_invariants(t: &Terminal, limit: usize) {
    let (cols, rows) = (t.cols(), t.rows());
    assert!(cols >= 1 && rows >= 1);
    let c = t.cursor();
    assert!(c.col < cols && c.row < rows, "cursor {c:?} outside {cols}x{rows}");
    assert!(t.scrollback_len() <= limit);
    t.state.grid.assert_used_bounds();
    t.state.inactive.assert_used_bounds();
    for y in 0..rows {
        let row = t.row(y);
        assert_eq!(row.len(), usize::from(cols), "row {y}");
        for (x, cell) in row.iter().enumerate() {
            match cell.width {
                2 => assert_eq!(row.get(x + 1).map(|c| c.width), Some(0), "row {y}: head at {x} without spacer"),
                0 => assert!(x > 0 && row[x - 1].width == 2, "row {y}: orphan spacer at {x}"),
                1 => {}
                w => panic!("row {y}: width {w} at {x}"),
            }
        }
    }
}

/// Exercises most of what the crate implements, including sequences that
/// straddle any chunk boundary a test might pick.
const SAMPLE: &str = concat!(
    "plain text that wraps around the edge of a narrow terminal\r\n",
    "\x1b[1;31mred\x1b[0m \x1b[38;5;123mindexed\x1b[39m \x1b[48;2;10;20;30mtrue\x1b[m\r\n",
    "\x1b[38:2::1:2:3mcolon\x1b[4:3mcurly\x1b[0m\r\n",
    "wide 中文字 and marks e\u{301}a\u{308}\u{323} emoji 😀\r\n",
    "\x1b]0;a title\x07\x1b]2;second title\x1b\\",
    "\x1b[5;10r\x1b[?6h\x1b[3;3Hin region\x1b[?6l\x1b[r",
    "\x1b7\x1b[10;1H\x1b[2Kbottom\x1b8",
    "\x1b[3;1H\x1b[2L\x1b[1M\x1b[5@\x1b[3P\x1b[4X",
    "\x1b(0lqqqk\x1b(B\x1b[?2004h\x1b[?1002;1006h\x1b[?1h\x1b=",
    "\x1b[?1049hin the alternate screen\x1b[2J\x1b[H\x1b[?1049l",
    "\x1b[6n\x1b[c\x1b[>c\x1b[5n",
    "tab\tstops\x1bH\x1b[3g\ttab\r\n",
    "x\x1b[10b\x1b[S\x1b[T\x1bM\x1bD\x1bE\x07\x07",
    "\x1b[200;200H\x1b[99999999A\x1b[99999999;99999999H",
    "\u{fffd}\x7f\x1b[!p\x1b[2 q",
);

fn feed_in_chunks(input: &[u8], cols: u16, rows: u16, chunk: impl Fn(usize) -> usize) -> Terminal {
    let mut t = Terminal::new(cols, rows, 50);
    let mut i = 0;
    let mut n = 0;
    while i < input.len() {
        let end = (i + chunk(n).max(1)).min(input.len());
        t.advance(&input[i..end]);
        i = end;
        n += 1;
    }
    t
}

#[test]
fn split_sequences_give_the_same_screen() {
    let input = SAMPLE.as_bytes();
    for (cols, rows) in [(20, 6), (80, 24), (7, 3)] {
        let mut whole = Terminal::new(cols, rows, 50);
        whole.advance(input);
        let mut bytewise = feed_in_chunks(input, cols, rows, |_| 1);
        let mut rng = Rng(7);
        let sizes: Vec<usize> = (0..input.len()).map(|_| 1 + rng.below(9)).collect();
        let mut random = feed_in_chunks(input, cols, rows, |n| sizes[n]);
        assert_eq!(snapshot(&whole), snapshot(&bytewise), "byte by byte at {cols}x{rows}");
        assert_eq!(snapshot(&whole), snapshot(&random), "random chunks at {cols}x{rows}");
        let responses = whole.take_responses();
        assert!(!responses.is_empty());
        assert_eq!(responses, bytewise.take_responses());
        assert_eq!(responses, random.take_responses());
        assert_eq!(whole.title(), Some("second title"));
    }
}

/// Random bytes alone rarely form long sequences, so the generator mixes raw
/// bytes with fragments of real ones.
fn hostile_chunk(rng: &mut Rng, out: &mut Vec<u8>, len: usize) {
    const FRAGMENTS: &[&[u8]] = &[
        b"\x1b[",
        b"\x1b[?",
        b"\x1b]",
        b"\x1b]0;",
        b"\x1bP",
        b"\x1b(",
        b"\x1b)0",
        b"\x1b#8",
        b"\x1b",
        b"\x07",
        b"\x1b\\",
        b";",
        b":",
        b"99999999",
        b"1049h",
        b"47h",
        b"\r\n",
        b"\t",
        b"\x08",
        "中".as_bytes(),
        "😀".as_bytes(),
        "\u{301}".as_bytes(),
        "\u{200d}".as_bytes(),
        b"\xe4\xb8",
        b"\x0e",
        b"\x0f",
    ];
    const FINALS: &[u8] = b"@ABCDEFGHIJKLMPSTXZabcdefghlmnpqrsu";
    let start = out.len();
    while out.len() - start < len {
        match rng.below(10) {
            0..=2 => out.push(rng.next() as u8),
            3..=5 => out.extend_from_slice(FRAGMENTS[rng.below(FRAGMENTS.len())]),
            6 => out.push(FINALS[rng.below(FINALS.len())]),
            7 => out.extend(std::iter::repeat_n(b'0' + rng.below(10) as u8, 1 + rng.below(3))),
            _ => out.extend((0..rng.below(12)).map(|_| b' ' + rng.below(95) as u8)),
        }
    }
}

#[test]
fn random_input_never_panics_or_breaks_invariants() {
    const TOTAL: usize = 3 << 20;
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let sizes = [(80, 24), (1, 1), (2, 1), (3, 7), (13, 5)];
    let mut fed = 0;
    let mut buf = Vec::new();
    for (i, &(cols, rows)) in sizes.iter().cycle().enumerate() {
        if fed >= TOTAL {
            break;
        }
        let limit = i % 3 * 20;
        let mut t = Terminal::new(cols, rows, limit);
        for _ in 0..64 {
            buf.clear();
            let len = 1 + rng.below(4096);
            hostile_chunk(&mut rng, &mut buf, len);
            fed += buf.len();
            t.advance(&buf);
            t.take_responses();
            check_invariants(&t, limit);
            if rng.below(16) == 0 {
                t.resize(rng.below(30) as u16, rng.below(12) as u16);
                check_invariants(&t, limit);
            }
        }
        // Whatever state it was left in, the dumps still work and replay.
        let _ = t.dump_text(true);
        let (history, viewport) = t.dump_ansi(None);
        let mut copy = Terminal::new(t.cols(), t.rows(), limit);
        copy.replay(history.iter().chain(&viewport).cloned().collect::<Vec<_>>().join("\n").as_bytes());
        check_invariants(&copy, limit);
    }
}

#[test]
fn pure_random_bytes() {
    let mut rng = Rng(42);
    let mut t = Terminal::new(40, 12, 100);
    let bytes: Vec<u8> = (0..1 << 20).map(|_| rng.next() as u8).collect();
    for chunk in bytes.chunks(1000) {
        t.advance(chunk);
        check_invariants(&t, 100);
    }
}

/// The text of every line, history first, rows joined where they wrapped
/// (without the padding a wide character left) and trailing blanks dropped.
fn logical_lines(t: &Terminal) -> Vec<String> {
    let cols = usize::from(t.cols());
    let mut rows: Vec<(Vec<Cell>, crate::wrap::Wrap)> = Vec::new();
    for row in t.state.scrollback.shared(0).iter() {
        let mut cells = Vec::new();
        crate::packed::unpack(row, &mut cells);
        rows.push((cells, crate::packed::wrap(row)));
    }
    rows.extend((0..t.rows()).map(|y| (t.row(y).to_vec(), t.state.grid.wrap(usize::from(y)))));
    let mut lines = vec![String::new()];
    for (cells, wrap) in rows {
        let width = crate::wrap::line_width(&cells, wrap, cols).unwrap_or(cells.len());
        let line = lines.last_mut().expect("one line at least");
        for i in 0..width {
            cells.get(i).unwrap_or(&Cell::BLANK).push_text(line);
        }
        if !wrap.is_wrapped() {
            line.truncate(line.trim_end().len());
            lines.push(String::new());
        }
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// Every row's text and whether it wraps, history first.
fn row_texts(t: &Terminal) -> Vec<(String, bool)> {
    let text = |row: &[Cell]| {
        let mut s = String::new();
        row.iter().for_each(|c| c.push_text(&mut s));
        s.trim_end().to_string()
    };
    let history = (0..t.scrollback_len()).map(|i| (text(&t.scrollback_row(i)), t.scrollback_row_wrapped(i)));
    history.chain((0..t.rows()).map(|y| (text(t.row(y)), t.row_wrapped(y)))).collect()
}

#[test]
fn reflow_keeps_every_line_and_comes_back_to_the_same_rows() {
    let mut rng = Rng(0xfeed);
    let words = ["a", "word", "longerword", "中文", "字", " ", "  ", "e\u{301}", "x"];
    for round in 0..100 {
        let (cols, rows) = (2 + rng.below(30) as u16, 1 + rng.below(8) as u16);
        let mut t = Terminal::new(cols, rows, 100_000);
        let mut input = String::new();
        for _ in 0..rng.below(60) {
            for _ in 0..rng.below(12) {
                input.push_str(words[rng.below(words.len())]);
            }
            input.push_str(if rng.below(4) == 0 { "" } else { "\r\n" });
        }
        t.advance(input.as_bytes());
        let lines = logical_lines(&t);
        for _ in 0..6 {
            let (c, r) = (2 + rng.below(40) as u16, 1 + rng.below(10) as u16);
            t.resize(c, r);
            check_invariants(&t, 100_000);
            assert_eq!(logical_lines(&t), lines, "round {round}: {cols}x{rows} to {c}x{r} after {input:?}");
        }
        t.resize(cols, rows);
        // With the cursor on the last row (a shell's prompt on a full
        // screen), narrowing and widening back gives the same rows.
        if t.cursor().row + 1 == rows {
            let before = row_texts(&t);
            for _ in 0..3 {
                let narrow = 2 + rng.below(usize::from(cols)) as u16;
                t.resize(narrow, rows);
                t.resize(cols, rows);
                assert_eq!(row_texts(&t), before, "round {round}: {cols} to {narrow} columns and back after {input:?}");
            }
        }
    }
}

/// Coloured text in the shape `ls --color`, compilers and `git log` produce.
fn coloured_text(total: usize) -> Vec<u8> {
    let mut rng = Rng(99);
    let words = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do"];
    let mut out = Vec::with_capacity(total + 256);
    while out.len() < total {
        let mut line_len = 0;
        let target = 40 + rng.below(100);
        while line_len < target {
            let word = words[rng.below(words.len())];
            match rng.below(8) {
                0 => out.extend_from_slice(format!("\x1b[1;{}m", 31 + rng.below(7)).as_bytes()),
                1 => out.extend_from_slice(format!("\x1b[38;5;{}m", rng.below(256)).as_bytes()),
                2 => out.extend_from_slice(b"\x1b[0m"),
                _ => {}
            }
            out.extend_from_slice(word.as_bytes());
            out.push(b' ');
            line_len += word.len() + 1;
        }
        out.extend_from_slice(b"\x1b[0m\r\n");
    }
    out
}

/// Run by hand: `cargo test --release -p revenant-terminal -- --ignored --nocapture throughput`.
#[test]
#[ignore]
fn throughput() {
    let data = coloured_text(50 << 20);
    let mut t = Terminal::new(200, 50, 10_000);
    let start = std::time::Instant::now();
    for chunk in data.chunks(64 << 10) {
        t.advance(chunk);
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = data.len() as f64 / (1 << 20) as f64;
    println!("coloured text: {mb:.0} MiB in {secs:.3} s = {:.0} MiB/s", mb / secs);

    let plain: Vec<u8> = data.iter().copied().filter(|&b| b != 0x1b).collect();
    let mut t = Terminal::new(200, 50, 10_000);
    let start = std::time::Instant::now();
    for chunk in plain.chunks(64 << 10) {
        t.advance(chunk);
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = plain.len() as f64 / (1 << 20) as f64;
    println!("plain text (ESC stripped): {mb:.0} MiB in {secs:.3} s = {:.0} MiB/s", mb / secs);
    assert_eq!(t.scrollback_len(), 10_000);
}
