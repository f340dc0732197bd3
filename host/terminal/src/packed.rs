//! Scrollback rows packed into one byte string each: the row's text as
//! UTF-8, its style as runs, and the rare cells that are not one plain
//! column (wide characters, their spacers, combining marks) listed apart.
//! A row of cells costs 28 bytes a column; packed, an 80-column coloured
//! line of ASCII takes about 120 bytes. Unpacking gives back exactly the
//! cells that went in.
//!
//! Layout: a flags byte, the byte lengths of the run and odd-cell sections
//! (LEB128), the runs (`col, style`), the odd cells (`col, width, marks`),
//! then the text, one character per column.

use crate::cell::{Cell, Combining};
use crate::style::{Color, Flags, Style};
use crate::wrap::Wrap;

// The flags byte: how the row ends.
const WRAPPED: u8 = 1;
const PADDED: u8 = 2;

/// Scratch space reused across rows, so packing allocates only the result.
#[derive(Debug, Default)]
pub(crate) struct Packer {
    runs: Vec<u8>,
    odd: Vec<u8>,
    text: Vec<u8>,
    out: Vec<u8>,
}

impl Packer {
    /// `row` without its trailing default blanks, packed, in the packer's
    /// own buffer (valid until the next call).
    pub(crate) fn pack_bytes(&mut self, row: &[Cell], wrap: Wrap) -> &[u8] {
        let used = row.iter().rposition(|c| *c != Cell::BLANK).map_or(0, |i| i + 1);
        self.runs.clear();
        self.odd.clear();
        self.text.clear();
        let mut pen = Style::DEFAULT;
        for (col, cell) in row[..used].iter().enumerate() {
            if cell.style != pen {
                pen = cell.style;
                put_varint(&mut self.runs, col);
                put_style(&mut self.runs, &pen);
            }
            if cell.width != 1 || !cell.combining.is_empty() {
                put_varint(&mut self.odd, col);
                self.odd.push(cell.width);
                self.odd.push(cell.combining.iter().count() as u8);
                for m in cell.combining.iter() {
                    put_char(&mut self.odd, m);
                }
            }
            if cell.ch.is_ascii() {
                self.text.push(cell.ch as u8);
            } else {
                put_char(&mut self.text, cell.ch);
            }
        }
        let out = &mut self.out;
        out.clear();
        out.push(match wrap {
            Wrap::No => 0,
            Wrap::Yes => WRAPPED,
            Wrap::Padded => WRAPPED | PADDED,
        });
        put_varint(out, self.runs.len());
        put_varint(out, self.odd.len());
        out.extend_from_slice(&self.runs);
        out.extend_from_slice(&self.odd);
        out.extend_from_slice(&self.text);
        out
    }
}

pub(crate) fn wrap(packed: &[u8]) -> Wrap {
    match packed.first().copied().unwrap_or(0) {
        f if f & PADDED != 0 => Wrap::Padded,
        f if f & WRAPPED != 0 => Wrap::Yes,
        _ => Wrap::No,
    }
}

/// How many columns the row's cells take (its trailing default blanks
/// were not stored), without unpacking it: one character per column.
pub(crate) fn columns(packed: &[u8]) -> usize {
    let mut at = 1;
    let runs_len = get_varint(packed, &mut at);
    let odd_len = get_varint(packed, &mut at);
    let text = packed.get(at + runs_len + odd_len..).unwrap_or_default();
    // Every byte that does not continue a UTF-8 sequence starts a character.
    text.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// The row's cells, appended to `out` (which is cleared first).
pub(crate) fn unpack(packed: &[u8], out: &mut Vec<Cell>) {
    out.clear();
    let mut at = 1;
    let runs_len = get_varint(packed, &mut at);
    let odd_len = get_varint(packed, &mut at);
    let (mut runs, rest) = packed[at..].split_at(runs_len);
    let (mut odd, text) = rest.split_at(odd_len);
    // Only this module writes these bytes, so they are UTF-8; a lossy read
    // keeps a (never expected) damaged row from panicking the server.
    let text = String::from_utf8_lossy(text);
    let mut next_run = peek_col(runs);
    let mut next_odd = peek_col(odd);
    let mut pen = Style::DEFAULT;
    for (col, ch) in text.chars().enumerate() {
        if next_run == Some(col) {
            let mut i = 0;
            get_varint(runs, &mut i);
            pen = get_style(runs, &mut i);
            runs = &runs[i..];
            next_run = peek_col(runs);
        }
        let mut cell = Cell { ch, width: 1, style: pen, combining: Combining::NONE };
        if next_odd == Some(col) {
            let mut i = 0;
            get_varint(odd, &mut i);
            cell.width = odd[i];
            let marks = odd[i + 1];
            i += 2;
            for _ in 0..marks {
                if let Some(m) = get_char(odd, &mut i) {
                    cell.combining.push(m);
                }
            }
            odd = &odd[i..];
            next_odd = peek_col(odd);
        }
        out.push(cell);
    }
}

fn peek_col(section: &[u8]) -> Option<usize> {
    (!section.is_empty()).then(|| get_varint(section, &mut 0))
}

fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> usize {
    let mut n = 0usize;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        n |= usize::from(b & 0x7f) << shift;
        shift += 7;
        if b & 0x80 == 0 || shift >= usize::BITS as usize {
            break;
        }
    }
    n
}

fn put_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

fn get_char(bytes: &[u8], at: &mut usize) -> Option<char> {
    let first = *bytes.get(*at)?;
    let len = match first {
        0..0x80 => 1,
        0xc0..0xe0 => 2,
        0xe0..0xf0 => 3,
        _ => 4,
    };
    let c = std::str::from_utf8(bytes.get(*at..*at + len)?).ok()?.chars().next();
    *at += len;
    c
}

// The style's tag byte: two bits of colour kind each for fg and bg, then
// whether flags and an extras index follow. The default style is one byte.
const FLAGS: u8 = 1 << 4;
const EXTRA: u8 = 1 << 5;

fn colour_kind(c: &Color) -> u8 {
    match c {
        Color::Default => 0,
        Color::Indexed(_) => 1,
        Color::Rgb(..) => 2,
    }
}

fn put_colour(out: &mut Vec<u8>, c: &Color) {
    match *c {
        Color::Default => {}
        Color::Indexed(i) => out.push(i),
        Color::Rgb(r, g, b) => out.extend_from_slice(&[r, g, b]),
    }
}

fn put_style(out: &mut Vec<u8>, s: &Style) {
    let mut tag = colour_kind(&s.fg) | colour_kind(&s.bg) << 2;
    if !s.flags.is_empty() {
        tag |= FLAGS;
    }
    if s.extra != 0 {
        tag |= EXTRA;
    }
    out.push(tag);
    put_colour(out, &s.fg);
    put_colour(out, &s.bg);
    if !s.flags.is_empty() {
        out.extend_from_slice(&s.flags.bits().to_le_bytes());
    }
    if s.extra != 0 {
        out.extend_from_slice(&s.extra.to_le_bytes());
    }
}

fn get_colour(bytes: &[u8], at: &mut usize, kind: u8) -> Color {
    let byte = |at: &mut usize| {
        let b = bytes.get(*at).copied().unwrap_or(0);
        *at += 1;
        b
    };
    match kind {
        1 => Color::Indexed(byte(at)),
        2 => Color::Rgb(byte(at), byte(at), byte(at)),
        _ => Color::Default,
    }
}

fn get_style(bytes: &[u8], at: &mut usize) -> Style {
    let tag = bytes.get(*at).copied().unwrap_or(0);
    *at += 1;
    let fg = get_colour(bytes, at, tag & 3);
    let bg = get_colour(bytes, at, tag >> 2 & 3);
    let u16_at = |at: &mut usize| {
        let v = bytes.get(*at..*at + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
        *at += 2;
        v
    };
    let flags = if tag & FLAGS != 0 { Flags::from_bits(u16_at(at)) } else { Flags::empty() };
    let extra = if tag & EXTRA != 0 { u16_at(at) } else { 0 };
    Style { fg, bg, flags, extra }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(row: &[Cell], wrap: Wrap) -> Vec<Cell> {
        let packed = Packer::default().pack_bytes(row, wrap).to_vec();
        assert_eq!(super::wrap(&packed), wrap);
        let mut out = Vec::new();
        unpack(&packed, &mut out);
        assert_eq!(columns(&packed), out.len());
        out
    }

    #[test]
    fn every_kind_of_cell_comes_back_exactly() {
        let styles = [
            Style::DEFAULT,
            Style { fg: Color::Indexed(3), ..Style::DEFAULT },
            Style {
                fg: Color::Rgb(1, 200, 3),
                bg: Color::Indexed(255),
                flags: Flags::BOLD | Flags::PROTECTED,
                extra: 0,
            },
            Style { bg: Color::Rgb(9, 8, 7), extra: 513, ..Style::DEFAULT },
        ];
        let mut row = Vec::new();
        for (i, ch) in "ab漢 é🎉xyzé".chars().enumerate() {
            let style = styles[i % styles.len()];
            if ch == '漢' || ch == '🎉' {
                row.push(Cell::new(ch, 2, style));
                row.push(Cell::spacer(style));
            } else {
                let mut cell = Cell::new(ch, 1, style);
                if ch == 'é' {
                    cell.combining.push('\u{301}');
                    cell.combining.push('\u{323}');
                }
                row.push(cell);
            }
        }
        // A coloured blank at the end is kept; default blanks after it are not.
        row.push(Cell::blank(styles[3]));
        let mut padded = row.clone();
        padded.extend([Cell::BLANK; 30]);
        for wrap in [Wrap::No, Wrap::Yes, Wrap::Padded] {
            assert_eq!(round_trip(&padded, wrap), row);
        }
    }

    #[test]
    fn blank_row_is_empty_and_keeps_its_flag() {
        assert!(round_trip(&[Cell::BLANK; 80], Wrap::Yes).is_empty());
        assert!(round_trip(&[Cell::BLANK; 80], Wrap::Padded).is_empty());
        assert!(round_trip(&[], Wrap::No).is_empty());
    }

    #[test]
    fn long_rows_use_multibyte_columns() {
        let style = Style { fg: Color::Indexed(1), ..Style::DEFAULT };
        let mut row = vec![Cell::new('x', 1, Style::DEFAULT); 1000];
        row[300] = Cell::new('y', 1, style);
        row[700] = Cell::new('界', 2, style);
        row[701] = Cell::spacer(style);
        assert_eq!(round_trip(&row, Wrap::No), row);
    }

    #[test]
    fn a_coloured_line_packs_small() {
        let mut row = Vec::new();
        for i in 0..80 {
            let style = Style { fg: Color::Indexed((i / 10) as u8), ..Style::DEFAULT };
            row.push(Cell::new('a', 1, style));
        }
        let packed = Packer::default().pack_bytes(&row, Wrap::No).to_vec();
        assert!(packed.len() < 120, "{} bytes for 80 columns in 8 colours", packed.len());
    }
}
