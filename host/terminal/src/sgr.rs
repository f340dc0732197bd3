//! SGR (`CSI … m`) in both directions: parameters onto a [`Style`], and a
//! [`Style`] back into parameters. Keeping both here means the dump speaks
//! exactly the dialect the parser understands, which is what makes saved panes
//! round-trip.

use std::fmt::Write;

use vte::Params;

use crate::extras::{Extra, Extras};
use crate::style::{Color, Flags, Style};

/// `SGR 0`: everything back to default but a hyperlink, which only `OSC 8`
/// ends.
fn reset(style: &mut Style, extras: &mut Extras) {
    let link = extras.get(style.extra).link.clone();
    // The prompt zone is the shell's (OSC 133), not an attribute: a prompt
    // resets its colours without leaving the prompt.
    let zone = style.flags.intersection(Flags::ZONES);
    *style = Style::DEFAULT;
    style.flags.insert(zone);
    if link.is_some() {
        style.extra = extras.with_link(0, link);
    }
}

/// Applies one SGR sequence. Unknown or malformed parameters are skipped
/// rather than aborting the sequence, like xterm, so one exotic attribute in a
/// prompt doesn't cost the colours after it.
pub(crate) fn apply(style: &mut Style, params: &Params, extras: &mut Extras) {
    if params.is_empty() {
        reset(style, extras);
        return;
    }
    let mut iter = params.iter();
    while let Some(param) = iter.next() {
        let (&code, subs) = match param.split_first() {
            Some(split) => split,
            None => continue,
        };
        match code {
            0 => reset(style, extras),
            1 => style.flags.insert(Flags::BOLD),
            2 => style.flags.insert(Flags::DIM),
            3 => style.flags.insert(Flags::ITALIC),
            4 => set_underline(style, subs.first().copied().unwrap_or(1)),
            5 | 6 => style.flags.insert(Flags::BLINK),
            7 => style.flags.insert(Flags::REVERSE),
            8 => style.flags.insert(Flags::HIDDEN),
            9 => style.flags.insert(Flags::STRIKETHROUGH),
            // xterm and ECMA-48 read 21 as double underline (the Linux console's
            // "bold off" reading is the minority).
            21 => set_underline(style, 2),
            22 => style.flags.remove(Flags::BOLD | Flags::DIM),
            23 => style.flags.remove(Flags::ITALIC),
            24 => style.flags.remove(Flags::ANY_UNDERLINE),
            25 => style.flags.remove(Flags::BLINK),
            27 => style.flags.remove(Flags::REVERSE),
            28 => style.flags.remove(Flags::HIDDEN),
            29 => style.flags.remove(Flags::STRIKETHROUGH),
            30..=37 => style.fg = Color::Indexed((code - 30) as u8),
            39 => style.fg = Color::Default,
            40..=47 => style.bg = Color::Indexed((code - 40) as u8),
            49 => style.bg = Color::Default,
            90..=97 => style.fg = Color::Indexed((code - 90 + 8) as u8),
            100..=107 => style.bg = Color::Indexed((code - 100 + 8) as u8),
            38 | 48 | 58 => {
                let color =
                    if subs.is_empty() { extended_color_semicolons(&mut iter) } else { extended_color_colons(subs) };
                match (code, color) {
                    (38, Some(c)) => style.fg = c,
                    (48, Some(c)) => style.bg = c,
                    (58, Some(c)) => style.extra = extras.with_underline_color(style.extra, c),
                    _ => {}
                }
            }
            59 => style.extra = extras.with_underline_color(style.extra, Color::Default),
            _ => {}
        }
    }
}

fn set_underline(style: &mut Style, kind: u16) {
    style.flags.remove(Flags::ANY_UNDERLINE);
    match kind {
        0 => {}
        2 => style.flags.insert(Flags::DOUBLE_UNDERLINE),
        3 => style.flags.insert(Flags::CURLY_UNDERLINE),
        4 => style.flags.insert(Flags::DOTTED_UNDERLINE),
        5 => style.flags.insert(Flags::DASHED_UNDERLINE),
        // 1, and styles xterm does not know, are a single underline.
        _ => style.flags.insert(Flags::UNDERLINE),
    }
}

/// `38;5;n` and `38;2;r;g;b`: the arguments are separate parameters, so they
/// are pulled from the same iterator and never reinterpreted as attributes.
fn extended_color_semicolons<'a>(iter: &mut impl Iterator<Item = &'a [u16]>) -> Option<Color> {
    let mut next = || iter.next().and_then(|p| p.first().copied());
    match next()? {
        5 => indexed(next()?),
        2 => {
            let (r, g, b) = (next()?, next()?, next()?);
            rgb(r, g, b)
        }
        _ => None,
    }
}

/// `38:5:n`, `38:2::r:g:b` (ITU T.416, with the colour-space slot) and the
/// common `38:2:r:g:b` without it.
fn extended_color_colons(subs: &[u16]) -> Option<Color> {
    match subs {
        [5, n, ..] => indexed(*n),
        [2, _space, r, g, b, ..] => rgb(*r, *g, *b),
        [2, r, g, b] => rgb(*r, *g, *b),
        _ => None,
    }
}

fn indexed(n: u16) -> Option<Color> {
    u8::try_from(n).ok().map(Color::Indexed)
}

fn rgb(r: u16, g: u16, b: u16) -> Option<Color> {
    Some(Color::Rgb(u8::try_from(r).ok()?, u8::try_from(g).ok()?, u8::try_from(b).ok()?))
}

/// Writes one `CSI 0;…m` that sets exactly `style` (with `extra`'s
/// underline colour) whatever came before it. Starting from 0 costs a few
/// bytes per change but makes each run of cells independent of the previous
/// one, which keeps the dump trivially correct.
pub(crate) fn write(style: &Style, extra: &Extra, out: &mut String) {
    out.push_str("\x1b[0");
    const SIMPLE: [(Flags, &str); 7] = [
        (Flags::BOLD, ";1"),
        (Flags::DIM, ";2"),
        (Flags::ITALIC, ";3"),
        (Flags::BLINK, ";5"),
        (Flags::REVERSE, ";7"),
        (Flags::HIDDEN, ";8"),
        (Flags::STRIKETHROUGH, ";9"),
    ];
    for (flag, code) in SIMPLE {
        if style.flags.contains(flag) {
            out.push_str(code);
        }
    }
    match style.flags.underline() {
        Some(1) => out.push_str(";4"),
        Some(n) => {
            let _ = write!(out, ";4:{n}");
        }
        None => {}
    }
    write_color(style.fg, 30, 90, 38, out);
    write_color(style.bg, 40, 100, 48, out);
    // Writing to a String cannot fail.
    let _ = match extra.underline_color {
        Color::Default => Ok(()),
        Color::Indexed(n) => write!(out, ";58:5:{n}"),
        Color::Rgb(r, g, b) => write!(out, ";58:2::{r}:{g}:{b}"),
    };
    out.push('m');
}

fn write_color(color: Color, base: u8, bright: u8, extended: u8, out: &mut String) {
    // Writing to a String cannot fail.
    let _ = match color {
        Color::Default => Ok(()),
        Color::Indexed(n @ 0..=7) => write!(out, ";{}", base + n),
        Color::Indexed(n @ 8..=15) => write!(out, ";{}", bright + n - 8),
        Color::Indexed(n) => write!(out, ";{extended};5;{n}"),
        Color::Rgb(r, g, b) => write!(out, ";{extended};2;{r};{g};{b}"),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Terminal;

    /// The style the next printed character gets after feeding `seq`.
    fn style_after(seq: &str) -> Style {
        let mut t = Terminal::new(10, 2, 0);
        t.advance(seq.as_bytes());
        t.advance(b"x");
        t.row(0)[0].style
    }

    fn fg(seq: &str) -> Color {
        style_after(seq).fg
    }

    #[test]
    fn sixteen_colours() {
        assert_eq!(fg("\x1b[31m"), Color::Indexed(1));
        assert_eq!(fg("\x1b[37m"), Color::Indexed(7));
        assert_eq!(fg("\x1b[90m"), Color::Indexed(8));
        assert_eq!(fg("\x1b[97m"), Color::Indexed(15));
        assert_eq!(style_after("\x1b[42m").bg, Color::Indexed(2));
        assert_eq!(style_after("\x1b[103m").bg, Color::Indexed(11));
        assert_eq!(fg("\x1b[31;39m"), Color::Default);
        assert_eq!(style_after("\x1b[41;49m").bg, Color::Default);
    }

    #[test]
    fn indexed_and_truecolor_semicolon_forms() {
        assert_eq!(fg("\x1b[38;5;196m"), Color::Indexed(196));
        assert_eq!(style_after("\x1b[48;5;17m").bg, Color::Indexed(17));
        assert_eq!(fg("\x1b[38;2;10;20;30m"), Color::Rgb(10, 20, 30));
        assert_eq!(style_after("\x1b[48;2;1;2;3m").bg, Color::Rgb(1, 2, 3));
        // The arguments of 38 are not attributes: 38;5;1 must not turn on bold.
        let s = style_after("\x1b[38;5;1m");
        assert_eq!(s.flags, Flags::empty());
        assert_eq!(s.fg, Color::Indexed(1));
        // Attributes after a truecolour colour still apply.
        let s = style_after("\x1b[38;2;1;2;3;1m");
        assert_eq!(s.fg, Color::Rgb(1, 2, 3));
        assert!(s.flags.contains(Flags::BOLD));
    }

    #[test]
    fn colon_forms() {
        assert_eq!(fg("\x1b[38:5:100m"), Color::Indexed(100));
        assert_eq!(fg("\x1b[38:2::1:2:3m"), Color::Rgb(1, 2, 3));
        assert_eq!(fg("\x1b[38:2:0:4:5:6m"), Color::Rgb(4, 5, 6));
        assert_eq!(fg("\x1b[38:2:7:8:9m"), Color::Rgb(7, 8, 9));
        assert_eq!(style_after("\x1b[48:5:3m").bg, Color::Indexed(3));
        // A colon-form colour consumes only its own parameter.
        let s = style_after("\x1b[38:5:1;3m");
        assert_eq!(s.fg, Color::Indexed(1));
        assert!(s.flags.contains(Flags::ITALIC));
    }

    /// The underline colour the next printed character gets.
    fn underline_colour_after(seq: &str) -> Color {
        let mut t = Terminal::new(10, 2, 0);
        t.advance(seq.as_bytes());
        t.advance(b"x");
        t.extra(t.row(0)[0].style.extra).underline_color
    }

    #[test]
    fn underline_colour_in_every_form() {
        assert_eq!(underline_colour_after("\x1b[58;2;1;2;3m"), Color::Rgb(1, 2, 3));
        assert_eq!(underline_colour_after("\x1b[58:2::4:5:6m"), Color::Rgb(4, 5, 6));
        assert_eq!(underline_colour_after("\x1b[58:2:7:8:9m"), Color::Rgb(7, 8, 9));
        assert_eq!(underline_colour_after("\x1b[58;5;200m"), Color::Indexed(200));
        assert_eq!(underline_colour_after("\x1b[58:5:9m"), Color::Indexed(9));
        assert_eq!(underline_colour_after("\x1b[58:5:9;59m"), Color::Default);
        assert_eq!(underline_colour_after("\x1b[58:5:9;0m"), Color::Default);
        // Its arguments are not attributes.
        let s = style_after("\x1b[58;2;1;2;3;4m");
        assert_eq!(s.fg, Color::Default);
        assert_eq!(s.flags, Flags::UNDERLINE);
        assert_eq!(style_after("\x1b[58:5:9;1m").flags, Flags::BOLD);
    }

    #[test]
    fn out_of_range_colours_are_ignored() {
        assert_eq!(fg("\x1b[38;5;300m"), Color::Default);
        assert_eq!(fg("\x1b[38;2;1;2;256m"), Color::Default);
        assert_eq!(fg("\x1b[38;5m"), Color::Default);
        assert_eq!(fg("\x1b[38;7;1m"), Color::Default);
    }

    #[test]
    fn attributes_on_and_off() {
        let all = style_after("\x1b[1;2;3;4;5;7;8;9m").flags;
        for f in [
            Flags::BOLD,
            Flags::DIM,
            Flags::ITALIC,
            Flags::UNDERLINE,
            Flags::BLINK,
            Flags::REVERSE,
            Flags::HIDDEN,
            Flags::STRIKETHROUGH,
        ] {
            assert!(all.contains(f), "{f:?} missing from {all:?}");
        }
        assert_eq!(style_after("\x1b[1;2;3;4;5;7;8;9;22;23;24;25;27;28;29m").flags, Flags::empty());
        assert_eq!(style_after("\x1b[1;2;22m").flags, Flags::empty());
        assert_eq!(style_after("\x1b[1;31;0m"), Style::DEFAULT);
        assert_eq!(style_after("\x1b[1;31m\x1b[m"), Style::DEFAULT);
    }

    #[test]
    fn underline_subparameters() {
        assert_eq!(style_after("\x1b[4:3m").flags, Flags::CURLY_UNDERLINE);
        assert_eq!(style_after("\x1b[4:4m").flags, Flags::DOTTED_UNDERLINE);
        assert_eq!(style_after("\x1b[4:5m").flags, Flags::DASHED_UNDERLINE);
        assert_eq!(style_after("\x1b[4:5;4:4m").flags, Flags::DOTTED_UNDERLINE);
        assert_eq!(style_after("\x1b[4:2m").flags, Flags::DOUBLE_UNDERLINE);
        assert_eq!(style_after("\x1b[21m").flags, Flags::DOUBLE_UNDERLINE);
        assert_eq!(style_after("\x1b[4:1m").flags, Flags::UNDERLINE);
        assert_eq!(style_after("\x1b[4:3;4:0m").flags, Flags::empty());
        assert_eq!(style_after("\x1b[4:3;24m").flags, Flags::empty());
        assert_eq!(style_after("\x1b[4:3;4m").flags, Flags::UNDERLINE);
    }

    #[test]
    fn write_then_parse_is_identity() {
        let plain = |fg, bg, flags| Style { fg, bg, flags, extra: 0 };
        let styles = [
            (Style::DEFAULT, Color::Default),
            (plain(Color::Indexed(3), Color::Indexed(12), Flags::BOLD | Flags::CURLY_UNDERLINE), Color::Rgb(9, 8, 7)),
            (plain(Color::Indexed(200), Color::Rgb(0, 128, 255), Flags::DOUBLE_UNDERLINE), Color::Indexed(100)),
            (plain(Color::Default, Color::Default, Flags::DOTTED_UNDERLINE), Color::Indexed(3)),
            (plain(Color::Default, Color::Indexed(1), Flags::DASHED_UNDERLINE), Color::Default),
            (
                plain(
                    Color::Rgb(255, 255, 255),
                    Color::Default,
                    Flags::DIM | Flags::ITALIC | Flags::BLINK | Flags::REVERSE | Flags::HIDDEN | Flags::STRIKETHROUGH,
                ),
                Color::Default,
            ),
        ];
        for (s, ul) in styles {
            let extra = Extra { underline_color: ul, link: None };
            let mut seq = String::from("\x1b[1;41;58:5:1m");
            write(&s, &extra, &mut seq);
            let got = style_after(&seq);
            assert_eq!(Style { extra: 0, ..got }, s, "{seq:?}");
            assert_eq!(underline_colour_after(&seq), ul, "{seq:?}");
        }
    }
}
