//! The frame encoder before Revenant had its own: ratatui's buffer diff and
//! crossterm's SGR output, on the screen `render` benches use. Kept to
//! compare against (`cargo bench -p revenant --bench render_ratatui`).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::backend::CrosstermBackend;
use ratatui::style::{Color, Modifier, Style};
use ratatui::{Terminal, TerminalOptions, Viewport};

const COLS: u16 = 200;
const ROWS: u16 = 60;

/// An editor-like screen: truecolor background, syntax colours, some bold.
fn paint(buf: &mut ratatui::buffer::Buffer, seed: usize) {
    for y in 0..ROWS {
        for x in 0..COLS {
            let i = (x as usize + y as usize * 7 + seed) % 23;
            let cell = &mut buf[(x, y)];
            cell.set_char((b'a' + (i as u8 % 26)) as char);
            let fg = match i % 5 {
                0 => Color::Rgb(200, 120, 80),
                1 => Color::Indexed(2),
                2 => Color::Indexed(33),
                _ => Color::Reset,
            };
            cell.set_style(Style::default().bg(Color::Rgb(40, 40, 40)).fg(fg).add_modifier(if i == 3 {
                Modifier::BOLD
            } else {
                Modifier::empty()
            }));
        }
    }
}

fn bench(c: &mut Criterion) {
    let area = ratatui::layout::Rect::new(0, 0, COLS, ROWS);
    c.bench_function("ratatui: full 200x60 repaint", |b| {
        b.iter(|| {
            let mut t = Terminal::with_options(
                CrosstermBackend::new(Vec::new()),
                TerminalOptions { viewport: Viewport::Fixed(area) },
            )
            .unwrap();
            t.draw(|f| paint(f.buffer_mut(), 0)).unwrap();
            black_box(&t);
        })
    });
    c.bench_function("ratatui: typical diff (3 rows of 200x60 change)", |b| {
        let mut t = Terminal::with_options(
            CrosstermBackend::new(Vec::new()),
            TerminalOptions { viewport: Viewport::Fixed(area) },
        )
        .unwrap();
        let mut n = 0usize;
        t.draw(|f| paint(f.buffer_mut(), 0)).unwrap();
        b.iter(|| {
            n += 1;
            t.draw(|f| {
                paint(f.buffer_mut(), 0);
                for y in [10, 11, 12] {
                    for x in 0..COLS {
                        f.buffer_mut()[(x, y)].set_char((b'A' + ((x as usize + n) % 26) as u8) as char);
                    }
                }
            })
            .unwrap();
            black_box(())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
