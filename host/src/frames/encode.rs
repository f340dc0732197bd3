//! Frames to bytes: the cells that differ from what the client's terminal
//! shows now, each run started with a cursor move and every change of pen
//! written as one SGR sequence, in the forms the terminal understands.

use revenant_terminal::{Color, Flags, Hyperlink};
use std::io::Write as _;

use super::cell::{Pen, ScreenCell};
use super::features::Features;
use super::grid::Screen;
use super::palette::nearest_256;

/// Remembers what the client's terminal shows, to send only changes.
pub struct Encoder {
    features: Features,
    /// What the terminal shows; `None` until the first frame (or after the
    /// terminal's state became unknown).
    shown: Option<Screen>,
    cursor: Option<(u16, u16)>,
    /// The terminal's SGR pen between frames (links are closed after each).
    pen: Pen,
}

impl Encoder {
    pub fn new(features: Features) -> Encoder {
        Encoder { features, shown: None, cursor: None, pen: Pen::DEFAULT }
    }

    pub fn features(&self) -> Features {
        self.features
    }

    /// Forget what the terminal shows: the next frame is drawn whole.
    pub fn invalidate(&mut self) {
        self.shown = None;
    }

    /// The bytes that turn what the terminal shows into `next`, with the
    /// cursor at `cursor` (shown) or hidden. Empty when nothing changed.
    pub fn frame(&mut self, next: &Screen, cursor: Option<(u16, u16)>) -> Vec<u8> {
        let mut next = next.clone();
        next.touch_all();
        self.frame_touched(&mut next, cursor)
    }

    /// [`Encoder::frame`] for a screen kept from frame to frame: only the
    /// rows `next` says were touched since its last frame are compared
    /// (all of them when the terminal's state is unknown), and they are
    /// marked sent.
    pub fn frame_touched(&mut self, next: &mut Screen, cursor: Option<(u16, u16)>) -> Vec<u8> {
        let mut out = Vec::new();
        let known = self.shown.as_ref().is_some_and(|s| s.cols() == next.cols() && s.rows() == next.rows());
        if !known {
            // A known starting point: default pen, no link, a clear screen.
            out.extend_from_slice(b"\x1b[0m\x1b]8;;\x1b\\\x1b[H\x1b[2J");
            self.pen = Pen::DEFAULT;
            self.shown = Some(Screen::new(next.cols(), next.rows()));
            next.touch_all();
        }
        let mut shown = self.shown.take().expect("set above");
        let mut cells = Vec::new();
        // Where the terminal's cursor is: a run that starts there (a typed
        // letter's echo) needs no move, and then no hiding either.
        let mut at: Option<(u16, u16)> = if known { self.cursor } else { None };
        let mut moved = !known;
        let mut pen = std::mem::take(&mut self.pen);
        let mut dirty = Vec::new();
        for y in 0..next.rows() {
            if !next.is_touched(y) {
                continue;
            }
            let (old, new) = (shown.row(y), next.row(y));
            if old == new {
                continue;
            }
            dirty_columns(old, new, &mut dirty);
            for x in 0..next.cols() {
                let cell = &new[x as usize];
                if !dirty[x as usize] || cell.is_spacer() {
                    continue;
                }
                if at != Some((x, y)) {
                    let _ = write!(cells, "\x1b[{};{}H", y + 1, x + 1);
                    moved = true;
                }
                self.write_pen(&pen, &cell.pen, &mut cells);
                pen.clone_from(&cell.pen);
                cell.push_text(&mut cells);
                let width = u16::from(cell.width.max(1));
                // After the last column the cursor waits to wrap: a move is
                // needed before the next write either way.
                at = (x + width < next.cols()).then_some((x + width, y));
            }
            shown.copy_row(y, next);
        }
        next.take_touched();
        if pen.link.is_some() {
            // Never leave a link open between frames.
            if self.features.hyperlinks {
                cells.extend_from_slice(b"\x1b]8;;\x1b\\");
            }
            pen.link = None;
        }
        self.pen = pen;
        let changed = !cells.is_empty() || !known;
        if moved {
            // No cursor flickering across the screen while it is drawn.
            out.extend_from_slice(b"\x1b[?25l");
        }
        out.extend_from_slice(&cells);
        // Drawn in one run from the cursor on: the cursor went along, shown.
        let in_place = changed && !moved && at == cursor && self.cursor.is_some();
        if !in_place && (moved || self.cursor != cursor || changed) {
            match cursor {
                Some((x, y)) => {
                    let _ = write!(out, "\x1b[{};{}H\x1b[?25h", y + 1, x + 1);
                }
                None => out.extend_from_slice(b"\x1b[?25l"),
            }
        }
        self.shown = Some(shown);
        self.cursor = cursor;
        out
    }

    /// What the terminal can show of `pen`: colours mapped down, underline
    /// styles and colours dropped where it has none.
    fn visible(&self, pen: &Pen) -> (Color, Color, Color, Flags) {
        let f = self.features;
        let colour = |c: Color| match c {
            Color::Rgb(r, g, b) if !f.truecolor => downsample(Color::Indexed(nearest_256(r, g, b)), f),
            c => downsample(c, f),
        };
        let mut flags = pen.flags;
        let mut underline_color = colour(pen.underline_color);
        if !f.styled_underlines {
            if flags.intersects(Flags::ANY_UNDERLINE) {
                flags.remove(Flags::ANY_UNDERLINE);
                flags.insert(Flags::UNDERLINE);
            }
            underline_color = Color::Default;
        }
        (colour(pen.fg), colour(pen.bg), underline_color, flags)
    }

    /// Switches the terminal's pen from `from` to `to`: one SGR sequence
    /// (from a reset when something must be turned off), and OSC 8 when the
    /// link changes.
    fn write_pen(&self, from: &Pen, to: &Pen, out: &mut Vec<u8>) {
        if from == to {
            return;
        }
        if from.link != to.link && self.features.hyperlinks {
            write_link(to.link.as_deref(), out);
        }
        let (a, b) = (self.visible(from), self.visible(to));
        if a == b {
            return;
        }
        let (fg, bg, ul, flags) = b;
        let lost = |x: Color, y: Color| x != Color::Default && y == Color::Default;
        let underline_off = a.3.intersects(Flags::ANY_UNDERLINE) && !flags.intersects(Flags::ANY_UNDERLINE);
        let attributes_off = a.3.bits() & !flags.bits() & !Flags::ANY_UNDERLINE.bits() != 0;
        let off = attributes_off || underline_off || lost(a.0, fg) || lost(a.1, bg) || lost(a.2, ul);
        out.extend_from_slice(b"\x1b[");
        let mut p = Params { out, first: true };
        let base = if off {
            p.push(format_args!("0"));
            (Color::Default, Color::Default, Color::Default, Flags::empty())
        } else {
            a
        };
        for (flag, code) in [
            (Flags::BOLD, 1),
            (Flags::DIM, 2),
            (Flags::ITALIC, 3),
            (Flags::BLINK, 5),
            (Flags::REVERSE, 7),
            (Flags::HIDDEN, 8),
            (Flags::STRIKETHROUGH, 9),
        ] {
            if flags.contains(flag) && !base.3.contains(flag) {
                p.push(format_args!("{code}"));
            }
        }
        let underline = flags.underline();
        if underline != base.3.underline()
            && let Some(n) = underline
        {
            if n == 1 || !self.features.styled_underlines {
                p.push(format_args!("4"));
            } else {
                p.push(format_args!("4:{n}"));
            }
        }
        if fg != base.0 {
            colour_param(&mut p, fg, 30, 90, 38);
        }
        if bg != base.1 {
            colour_param(&mut p, bg, 40, 100, 48);
        }
        if ul != base.2 {
            match ul {
                Color::Indexed(n) => p.push(format_args!("58:5:{n}")),
                Color::Rgb(r, g, b) => p.push(format_args!("58:2::{r}:{g}:{b}")),
                Color::Default => p.push(format_args!("59")),
            }
        }
        out.push(b'm');
    }
}

/// SGR parameters written straight into the output, `;`-separated.
struct Params<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl Params<'_> {
    fn push(&mut self, param: std::fmt::Arguments) {
        if !self.first {
            self.out.push(b';');
        }
        self.first = false;
        let _ = self.out.write_fmt(param);
    }
}

/// The basic colours as 30–37 and 90–97 (their own forms, which every
/// terminal reads), the others as `38;5;n` or `38;2;r;g;b`.
fn colour_param(p: &mut Params, c: Color, base: u8, bright: u8, extended: u8) {
    match c {
        Color::Default => p.push(format_args!("{}", base + 9)),
        Color::Indexed(n @ 0..=7) => p.push(format_args!("{}", base + n)),
        Color::Indexed(n @ 8..=15) => p.push(format_args!("{}", bright + n - 8)),
        Color::Indexed(n) => p.push(format_args!("{extended};5;{n}")),
        Color::Rgb(r, g, b) => p.push(format_args!("{extended};2;{r};{g};{b}")),
    }
}

/// Without 256 colours, an index above 15 becomes the nearest basic colour.
fn downsample(c: Color, f: Features) -> Color {
    match c {
        Color::Indexed(n) if n >= 16 && !f.colors_256 => Color::Indexed(super::palette::nearest_16(n)),
        c => c,
    }
}

fn write_link(link: Option<&Hyperlink>, out: &mut Vec<u8>) {
    out.extend_from_slice(b"\x1b]8;");
    if let Some(link) = link {
        if let Some(id) = &link.id {
            out.extend_from_slice(b"id=");
            out.extend_from_slice(id.as_bytes());
        }
        out.push(b';');
        out.extend_from_slice(link.uri.as_bytes());
    } else {
        out.push(b';');
    }
    out.extend_from_slice(b"\x1b\\");
}

/// Which columns must be written: those that changed, and around wide
/// characters the ones a terminal would disturb (writing either half of a
/// wide character erases the other half).
fn dirty_columns(old: &[ScreenCell], new: &[ScreenCell], dirty: &mut Vec<bool>) {
    let n = new.len();
    dirty.clear();
    dirty.extend(old.iter().zip(new).map(|(a, b)| a != b));
    for x in 0..n {
        if !dirty[x] {
            continue;
        }
        // The old cell was a wide character's half: the other half goes too.
        if old[x].width == 2 && x + 1 < n {
            dirty[x + 1] = true;
        }
        if old[x].width == 0 && x > 0 {
            dirty[x - 1] = true;
        }
        // A new spacer is written by its head.
        if new[x].width == 0 && x > 0 {
            dirty[x - 1] = true;
        }
    }
    // A second pass: heads marked above may sit left of spacers marked
    // before them.
    for x in (1..n).rev() {
        if dirty[x] && new[x].width == 0 {
            dirty[x - 1] = true;
        }
    }
}
