//! The frame encoder: composing a 200x60 screen and encoding it whole (a
//! first paint), and re-encoding after 3 rows changed (a typical diff), on
//! the same editor-like screen `render_ratatui` draws the old way.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use revenant::frames::{Encoder, Features, Pen, Screen, ScreenCell};
use revenant_terminal::{Color, Flags};

const COLS: u16 = 200;
const ROWS: u16 = 60;

fn paint(screen: &mut Screen, seed: usize) {
    for y in 0..ROWS {
        for x in 0..COLS {
            let i = (x as usize + y as usize * 7 + seed) % 23;
            let fg = match i % 5 {
                0 => Color::Rgb(200, 120, 80),
                1 => Color::Indexed(2),
                2 => Color::Indexed(33),
                _ => Color::Default,
            };
            let flags = if i == 3 { Flags::BOLD } else { Flags::empty() };
            let pen = Pen { fg, bg: Color::Rgb(40, 40, 40), flags, ..Pen::DEFAULT };
            screen.put(x, y, COLS, ScreenCell { ch: (b'a' + (i as u8 % 26)) as char, ..ScreenCell::blank(pen) });
        }
    }
}

fn bench(c: &mut Criterion) {
    c.bench_function("encoder: full 200x60 repaint", |b| {
        let mut screen = Screen::new(COLS, ROWS);
        b.iter(|| {
            let mut enc = Encoder::new(Features::ALL);
            screen.clear();
            paint(&mut screen, 0);
            black_box(enc.frame(&screen, Some((0, 0))).len())
        })
    });
    c.bench_function("encoder: typical diff (3 rows of 200x60 change)", |b| {
        let mut screen = Screen::new(COLS, ROWS);
        let mut enc = Encoder::new(Features::ALL);
        paint(&mut screen, 0);
        enc.frame(&screen, Some((0, 0)));
        let mut n = 0usize;
        b.iter(|| {
            n += 1;
            screen.clear();
            paint(&mut screen, 0);
            for y in [10, 11, 12] {
                for x in 0..COLS {
                    let pen = screen.get(x, y).unwrap().pen.clone();
                    screen.put(
                        x,
                        y,
                        COLS,
                        ScreenCell { ch: (b'A' + ((x as usize + n) % 26) as u8) as char, ..ScreenCell::blank(pen) },
                    );
                }
            }
            black_box(enc.frame(&screen, Some((0, 0))).len())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
