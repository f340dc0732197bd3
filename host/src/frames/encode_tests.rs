//! The encoder against a real terminal state: whatever frames it is given,
//! feeding its bytes to a `revenant_terminal::Terminal` must leave exactly
//! the frame's cells (characters, colours, attributes, underline style and
//! colour, hyperlinks).

use std::sync::Arc;

use revenant_terminal::{Color, Combining, Flags, Hyperlink, Terminal};

use super::{Encoder, Features, Pen, Screen, ScreenCell};

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn colour(rng: &mut Rng) -> Color {
    match rng.below(4) {
        0 => Color::Default,
        1 => Color::Indexed(rng.below(16) as u8),
        2 => Color::Indexed(rng.below(256) as u8),
        _ => Color::Rgb(rng.below(256) as u8, rng.below(256) as u8, rng.below(256) as u8),
    }
}

fn pen(rng: &mut Rng, links: &[Arc<Hyperlink>]) -> Pen {
    let mut flags = Flags::empty();
    for f in [Flags::BOLD, Flags::DIM, Flags::ITALIC, Flags::BLINK, Flags::REVERSE, Flags::HIDDEN, Flags::STRIKETHROUGH]
    {
        if rng.below(4) == 0 {
            flags.insert(f);
        }
    }
    if rng.below(3) == 0 {
        flags.insert(Flags::UNDERLINES[rng.below(5) as usize].0);
    }
    Pen {
        fg: colour(rng),
        bg: colour(rng),
        underline_color: if rng.below(3) == 0 { colour(rng) } else { Color::Default },
        flags,
        link: if rng.below(5) == 0 { Some(links[rng.below(links.len() as u64) as usize].clone()) } else { None },
    }
}

fn random_cell(rng: &mut Rng, links: &[Arc<Hyperlink>]) -> ScreenCell {
    let pen = pen(rng, links);
    match rng.below(10) {
        0 => ScreenCell { ch: ['中', '字', '😀'][rng.below(3) as usize], width: 2, ..ScreenCell::blank(pen) },
        1 => {
            let mut combining = Combining::NONE;
            combining.push('\u{301}');
            ScreenCell { ch: 'e', combining, ..ScreenCell::blank(pen) }
        }
        2 => ScreenCell::blank(pen),
        _ => ScreenCell { ch: (b'!' + rng.below(90) as u8) as char, ..ScreenCell::blank(pen) },
    }
}

/// What the terminal holds at (x, y), as a screen cell.
fn held(t: &Terminal, x: u16, y: u16) -> ScreenCell {
    let c = t.row(y)[x as usize];
    let extra = t.extra(c.style.extra);
    ScreenCell {
        ch: c.ch,
        combining: c.combining,
        width: c.width,
        pen: Pen {
            fg: c.style.fg,
            bg: c.style.bg,
            underline_color: extra.underline_color,
            flags: c.style.flags,
            link: extra.link.clone(),
        },
    }
}

fn assert_terminal_shows(t: &Terminal, s: &Screen, what: &str) {
    for y in 0..s.rows() {
        for x in 0..s.cols() {
            let want = s.get(x, y).unwrap();
            let got = held(t, x, y);
            // A spacer's own pen is not drawn by anyone.
            if want.width == 0 {
                assert_eq!(got.width, 0, "{what}: ({x},{y}) should be the right half of a wide character");
                continue;
            }
            assert_eq!(&got, want, "{what}: cell ({x},{y})");
        }
    }
}

#[test]
fn random_frames_and_diffs_leave_exactly_their_cells() {
    let links: Vec<Arc<Hyperlink>> = (0..3)
        .map(|i| Arc::new(Hyperlink { uri: format!("https://example.com/{i}"), id: (i == 1).then(|| "x".into()) }))
        .collect();
    for seed in 1..=40u64 {
        let mut rng = Rng(seed * 0x9e37_79b9);
        let (cols, rows) = (20 + rng.below(30) as u16, 3 + rng.below(8) as u16);
        let mut term = Terminal::new(cols, rows, 0);
        let mut enc = Encoder::new(Features::ALL);
        let mut screen = Screen::new(cols, rows);
        for round in 0..12 {
            // Full random frames at first, then a few changes at a time.
            let changes = if round == 0 { (cols as u64) * (rows as u64) } else { rng.below(40) };
            for _ in 0..changes {
                let (x, y) = (rng.below(cols as u64) as u16, rng.below(rows as u64) as u16);
                screen.put(x, y, cols, random_cell(&mut rng, &links));
            }
            let cursor = (rng.below(2) == 0).then(|| (rng.below(cols as u64) as u16, rng.below(rows as u64) as u16));
            let bytes = enc.frame(&screen, cursor);
            term.advance(&bytes);
            assert_terminal_shows(&term, &screen, &format!("seed {seed} round {round}"));
            match cursor {
                Some((x, y)) => {
                    let c = term.cursor();
                    assert!(c.visible && (c.col, c.row) == (x, y), "seed {seed} round {round}: cursor {c:?}");
                }
                None => assert!(!term.cursor().visible),
            }
        }
    }
}

#[test]
fn nothing_changed_sends_nothing() {
    let mut enc = Encoder::new(Features::ALL);
    let mut s = Screen::new(10, 2);
    s.put(1, 1, 10, ScreenCell { ch: 'x', ..ScreenCell::BLANK });
    assert!(!enc.frame(&s, Some((0, 0))).is_empty());
    assert!(enc.frame(&s, Some((0, 0))).is_empty());
    assert_eq!(enc.frame(&s, Some((3, 1))), b"\x1b[2;4H\x1b[?25h", "only the cursor moved");
    enc.invalidate();
    assert!(enc.frame(&s, Some((3, 1))).starts_with(b"\x1b[0m"), "drawn whole again");
}

#[test]
fn a_letter_typed_at_the_cursor_is_sent_alone() {
    let mut enc = Encoder::new(Features::ALL);
    let mut term = Terminal::new(10, 2, 0);
    let mut s = Screen::new(10, 2);
    term.advance(&enc.frame(&s, Some((2, 1))));
    s.put(2, 1, 10, ScreenCell { ch: 'a', ..ScreenCell::BLANK });
    assert_eq!(enc.frame(&s, Some((3, 1))), b"a", "no move, no hiding: the cursor goes along");
    s.put(3, 1, 10, ScreenCell { ch: 'b', ..ScreenCell::BLANK });
    term.advance(b"a");
    term.advance(&enc.frame(&s, Some((4, 1))));
    assert_terminal_shows(&term, &s, "typed");
    assert_eq!((term.cursor().col, term.cursor().row), (4, 1));
    // Anywhere else, or with the cursor put elsewhere: hidden while drawn.
    s.put(0, 0, 10, ScreenCell { ch: 'z', ..ScreenCell::BLANK });
    assert_eq!(enc.frame(&s, Some((4, 1))), b"\x1b[?25l\x1b[1;1Hz\x1b[2;5H\x1b[?25h");
    s.put(4, 1, 10, ScreenCell { ch: 'c', ..ScreenCell::BLANK });
    assert_eq!(enc.frame(&s, Some((0, 0))), b"c\x1b[1;1H\x1b[?25h");
    // At the last column the cursor waits to wrap: it is put back.
    s.put(9, 0, 10, ScreenCell { ch: 'e', ..ScreenCell::BLANK });
    let _ = enc.frame(&s, Some((9, 0)));
    s.put(9, 0, 10, ScreenCell { ch: 'f', ..ScreenCell::BLANK });
    assert_eq!(enc.frame(&s, Some((9, 0))), b"f\x1b[1;10H\x1b[?25h");
}

fn one_cell(features: Features, pen: Pen) -> String {
    let mut enc = Encoder::new(features);
    let mut s = Screen::new(4, 1);
    s.put(0, 0, 4, ScreenCell { ch: 'x', ..ScreenCell::blank(pen) });
    let bytes = enc.frame(&s, None);
    let text = String::from_utf8(bytes).unwrap();
    let start = text.find("\x1b[1;1H").unwrap() + 6;
    text[start..text.find('x').unwrap()].to_string()
}

#[test]
fn basic_colours_go_out_in_their_own_forms() {
    let fg = |n| one_cell(Features::ALL, Pen { fg: Color::Indexed(n), ..Pen::DEFAULT });
    assert_eq!(fg(2), "\x1b[32m");
    assert_eq!(fg(10), "\x1b[92m");
    assert_eq!(fg(100), "\x1b[38;5;100m");
    let bg = |n| one_cell(Features::ALL, Pen { bg: Color::Indexed(n), ..Pen::DEFAULT });
    assert_eq!(bg(4), "\x1b[44m");
    assert_eq!(bg(12), "\x1b[104m");
}

#[test]
fn each_terminal_gets_what_it_can_draw() {
    let rich = Pen {
        fg: Color::Rgb(40, 40, 40),
        underline_color: Color::Rgb(255, 0, 0),
        flags: Flags::CURLY_UNDERLINE,
        ..Pen::DEFAULT
    };
    assert_eq!(one_cell(Features::ALL, rich.clone()), "\x1b[4:3;38;2;40;40;40;58:2::255:0:0m");
    let tmux_like = Features { truecolor: false, ..Features::ALL };
    assert_eq!(one_cell(tmux_like, rich.clone()), "\x1b[4:3;38;5;235;58:5:196m");
    let plain = Features { styled_underlines: false, ..Features::ALL };
    assert_eq!(one_cell(plain, rich.clone()), "\x1b[4;38;2;40;40;40m");
    assert_eq!(one_cell(Features::BASIC, rich), "\x1b[4;30m", "the console: nearest basic colour");
    let link = Pen { link: Some(Arc::new(Hyperlink { uri: "https://a".into(), id: None })), ..Pen::DEFAULT };
    assert_eq!(one_cell(Features::ALL, link.clone()), "\x1b]8;;https://a\x1b\\");
    assert_eq!(one_cell(Features::BASIC, link), "");
}
