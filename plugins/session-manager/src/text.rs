//! Styled lines that are cut to the pane's width.
//!
//! The host trusts a plugin to never draw wider than `cols` cells, and a
//! session name comes from the file system, so it may hold anything: every
//! piece of text goes through [`Line`], which strips control characters (an
//! escape sequence in a name would otherwise reach the terminal) and counts
//! cells before it emits a single character.

/// A foreground colour from the basic 8-colour palette, which every terminal
/// and every user theme maps to something readable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Red,
    Green,
    Yellow,
    Cyan,
}

/// SGR attributes of a span. Attributes combine: a span's style is laid over
/// its line's base style (so a selected row stays reverse-video throughout).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    pub bold: bool,
    pub dim: bool,
    pub reverse: bool,
    pub fg: Option<Color>,
}

impl Style {
    pub const PLAIN: Style = Style { bold: false, dim: false, reverse: false, fg: None };

    pub const fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    pub const fn dim(mut self) -> Self {
        self.dim = true;
        self
    }

    pub const fn reverse(mut self) -> Self {
        self.reverse = true;
        self
    }

    pub const fn fg(mut self, color: Color) -> Self {
        self.fg = Some(color);
        self
    }

    fn over(self, base: Style) -> Style {
        Style {
            bold: self.bold || base.bold,
            dim: self.dim || base.dim,
            reverse: self.reverse || base.reverse,
            fg: self.fg.or(base.fg),
        }
    }

    /// The escape sequence that sets exactly this style from a reset state;
    /// empty for the plain style so unstyled text stays byte-for-byte plain.
    fn sgr(self) -> String {
        let mut codes = Vec::new();
        if self.bold {
            codes.push("1");
        }
        if self.dim {
            codes.push("2");
        }
        if self.reverse {
            codes.push("7");
        }
        match self.fg {
            Some(Color::Red) => codes.push("31"),
            Some(Color::Green) => codes.push("32"),
            Some(Color::Yellow) => codes.push("33"),
            Some(Color::Cyan) => codes.push("36"),
            None => {}
        }
        if codes.is_empty() { String::new() } else { format!("\x1b[{}m", codes.join(";")) }
    }
}

const RESET: &str = "\x1b[0m";
const ELLIPSIS: char = '…';

/// Cells a character takes. Not a full Unicode width table (that would bloat
/// the component): East Asian wide ranges and emoji count 2, the rest 1.
/// Erring wide is safe; erring narrow would overflow the pane.
pub fn char_width(c: char) -> usize {
    let wide = matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// Cells a string takes, by [`char_width`].
pub fn str_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// `text` cut to at most `cols` cells, ending in `…` when it had to be cut.
pub fn clip(text: &str, cols: usize) -> String {
    if str_width(text) <= cols {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w + 1 > cols {
            break;
        }
        out.push(c);
        used += w;
    }
    if cols > 0 {
        out.push(ELLIPSIS);
    }
    out
}

/// A line built from styled spans, rendered to at most a given width.
#[derive(Debug, Default)]
pub struct Line {
    base: Style,
    spans: Vec<(String, Style)>,
    fill: bool,
}

impl Line {
    pub fn new() -> Self {
        Self::default()
    }

    /// A line whose every span, and the padding, carry `base` (a selection
    /// bar that spans the whole row).
    pub fn bar(base: Style) -> Self {
        Line { base, spans: Vec::new(), fill: true }
    }

    /// Appends `text`, its characters at `highlight` (positions) in
    /// `marked` and the rest in `style`.
    pub fn push_marked(&mut self, text: &str, highlight: &[usize], style: Style, marked: Style) -> &mut Self {
        if highlight.is_empty() {
            return self.push(text, style);
        }
        for (i, c) in text.chars().enumerate() {
            let mut buf = [0u8; 4];
            self.push(c.encode_utf8(&mut buf), if highlight.contains(&i) { marked } else { style });
        }
        self
    }

    /// Appends `text` with `style`; control characters become `?`.
    pub fn push(&mut self, text: &str, style: Style) -> &mut Self {
        let clean = text.chars().map(|c| if c.is_control() { '?' } else { c }).collect();
        self.spans.push((clean, style));
        self
    }

    /// The line as at most `cols` cells, ending in `…` when it had to be cut,
    /// with every style reset at its end so nothing bleeds into the next line.
    pub fn finish(&self, cols: usize) -> String {
        if cols == 0 {
            return String::new();
        }
        let total: usize = self.spans.iter().map(|(text, _)| str_width(text)).sum();
        let budget = if total > cols { cols - 1 } else { cols };
        let mut out = String::new();
        let mut used = 0;
        let mut styled = false;
        'spans: for (text, style) in &self.spans {
            let style = style.over(self.base);
            let sgr = style.sgr();
            out.push_str(RESET);
            out.push_str(&sgr);
            styled |= !sgr.is_empty();
            for c in text.chars() {
                let w = char_width(c);
                if used + w > budget {
                    break 'spans;
                }
                out.push(c);
                used += w;
            }
        }
        if total > cols {
            out.push(ELLIPSIS);
            used += 1;
        }
        if self.fill && used < cols {
            let sgr = self.base.sgr();
            out.push_str(RESET);
            out.push_str(&sgr);
            styled |= !sgr.is_empty();
            out.extend(std::iter::repeat_n(' ', cols - used));
        }
        if styled {
            out.push_str(RESET);
            out
        } else {
            out.replace(RESET, "")
        }
    }
}

/// `text` without SGR sequences: what the user sees (to measure a drawn
/// line, and for tests to check widths and contents).
pub fn strip_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_stays_plain() {
        let mut line = Line::new();
        line.push("hello", Style::PLAIN);
        assert_eq!(line.finish(10), "hello");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let mut line = Line::new();
        line.push("hello world", Style::PLAIN);
        assert_eq!(line.finish(5), "hell…");
        assert_eq!(line.finish(1), "…");
        assert_eq!(line.finish(0), "");
        assert_eq!(line.finish(11), "hello world");
    }

    #[test]
    fn wide_characters_count_two_cells() {
        assert_eq!(str_width("日本"), 4);
        let mut line = Line::new();
        line.push("日本語", Style::PLAIN);
        let out = line.finish(4);
        assert!(str_width(&out) <= 4, "{out}");
        assert_eq!(out, "日…");
    }

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        let mut line = Line::new();
        line.push("evil\x1b]0;pwned\x07name", Style::PLAIN);
        let out = line.finish(40);
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
    }

    #[test]
    fn styles_are_reset_at_the_end() {
        let mut line = Line::new();
        line.push("a", Style::PLAIN.bold()).push("b", Style::PLAIN.fg(Color::Red));
        let out = line.finish(10);
        assert!(out.contains("\x1b[1m"));
        assert!(out.contains("\x1b[31m"));
        assert!(out.ends_with(RESET));
        assert_eq!(strip_sgr(&out), "ab");
    }

    #[test]
    fn a_bar_fills_the_row_in_its_base_style() {
        let mut line = Line::bar(Style::PLAIN.reverse());
        line.push("ab", Style::PLAIN.bold());
        let out = line.finish(6);
        assert_eq!(strip_sgr(&out), "ab    ");
        assert!(out.contains("\x1b[1;7m"));
    }
}
