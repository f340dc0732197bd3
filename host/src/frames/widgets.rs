//! ratatui widgets (bars, frames, banners) drawn onto a [`Screen`]. A widget
//! renders into a scratch buffer whose cells start as a marker; cells it
//! never touched are left as they are on the screen, so a frame's border is
//! drawn without blanking the pane inside it.

use ratatui::buffer::{Buffer, Cell as RCell};
use ratatui::layout::Rect;
use ratatui::style::{Color as RColor, Modifier};
use revenant_terminal::{Color, Combining, Flags};
use unicode_width::UnicodeWidthStr;

use super::cell::{Pen, ScreenCell};
use super::grid::Screen;

/// A private-use character no widget draws.
const UNTOUCHED: &str = "\u{10FFFD}";

/// Renders `draw` (which draws into the area it is given) onto `screen`.
pub fn draw_widget(screen: &mut Screen, area: Rect, draw: impl FnOnce(Rect, &mut Buffer)) {
    let area = area.intersection(Rect::new(0, 0, screen.cols(), screen.rows()));
    if area.is_empty() {
        return;
    }
    let mut marker = RCell::default();
    marker.set_symbol(UNTOUCHED);
    let mut buf = Buffer::filled(area, marker);
    draw(area, &mut buf);
    let right = area.x + area.width;
    for y in area.y..area.y + area.height {
        let mut x = area.x;
        while x < right {
            let cell = &buf[(x, y)];
            let untouched = cell.symbol() == UNTOUCHED;
            if untouched && cell.fg == RColor::Reset && cell.bg == RColor::Reset && cell.modifier.is_empty() {
                x += 1;
                continue;
            }
            let pen = pen_from_ratatui(cell.fg, cell.bg, cell.modifier);
            let symbol = if untouched { " " } else { cell.symbol() };
            let mut chars = symbol.chars();
            let ch = chars.next().unwrap_or(' ');
            let mut combining = Combining::NONE;
            for c in chars {
                combining.push(c);
            }
            let width = symbol.width().clamp(1, 2) as u8;
            screen.put(x, y, right, ScreenCell { ch, combining, width, pen });
            // ratatui leaves the cell right of a wide symbol blank: skip it.
            x += u16::from(width);
        }
    }
}

/// A ratatui style as a pen (ratatui's named colours are the 16 basic ones).
pub fn pen_from_ratatui(fg: RColor, bg: RColor, modifier: Modifier) -> Pen {
    let mut flags = Flags::empty();
    for (m, f) in [
        (Modifier::BOLD, Flags::BOLD),
        (Modifier::DIM, Flags::DIM),
        (Modifier::ITALIC, Flags::ITALIC),
        (Modifier::UNDERLINED, Flags::UNDERLINE),
        (Modifier::SLOW_BLINK, Flags::BLINK),
        (Modifier::RAPID_BLINK, Flags::BLINK),
        (Modifier::REVERSED, Flags::REVERSE),
        (Modifier::HIDDEN, Flags::HIDDEN),
        (Modifier::CROSSED_OUT, Flags::STRIKETHROUGH),
    ] {
        if modifier.contains(m) {
            flags.insert(f);
        }
    }
    Pen { fg: colour(fg), bg: colour(bg), flags, ..Pen::DEFAULT }
}

fn colour(c: RColor) -> Color {
    match c {
        RColor::Reset => Color::Default,
        RColor::Black => Color::Indexed(0),
        RColor::Red => Color::Indexed(1),
        RColor::Green => Color::Indexed(2),
        RColor::Yellow => Color::Indexed(3),
        RColor::Blue => Color::Indexed(4),
        RColor::Magenta => Color::Indexed(5),
        RColor::Cyan => Color::Indexed(6),
        RColor::Gray => Color::Indexed(7),
        RColor::DarkGray => Color::Indexed(8),
        RColor::LightRed => Color::Indexed(9),
        RColor::LightGreen => Color::Indexed(10),
        RColor::LightYellow => Color::Indexed(11),
        RColor::LightBlue => Color::Indexed(12),
        RColor::LightMagenta => Color::Indexed(13),
        RColor::LightCyan => Color::Indexed(14),
        RColor::White => Color::Indexed(15),
        RColor::Indexed(i) => Color::Indexed(i),
        RColor::Rgb(r, g, b) => Color::Rgb(r, g, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::widgets::{Block, Paragraph, Widget};

    #[test]
    fn a_border_leaves_what_is_inside() {
        let mut s = Screen::new(6, 4);
        s.put(2, 1, 6, ScreenCell { ch: 'x', ..ScreenCell::BLANK });
        draw_widget(&mut s, Rect::new(0, 0, 6, 4), |area, buf| Block::bordered().render(area, buf));
        assert_eq!(s.get(2, 1).unwrap().ch, 'x', "the inside is untouched");
        assert_eq!(s.get(0, 0).unwrap().ch, '┌');
    }

    #[test]
    fn styled_blanks_and_wide_symbols_are_drawn() {
        let mut s = Screen::new(8, 1);
        let style = ratatui::style::Style::default().bg(RColor::Indexed(236)).fg(RColor::Yellow);
        draw_widget(&mut s, Rect::new(0, 0, 8, 1), |area, buf| Paragraph::new("中a").style(style).render(area, buf));
        assert_eq!((s.get(0, 0).unwrap().ch, s.get(0, 0).unwrap().width), ('中', 2));
        assert!(s.get(1, 0).unwrap().is_spacer());
        assert_eq!(s.get(2, 0).unwrap().ch, 'a');
        let last = s.get(7, 0).unwrap();
        assert_eq!((last.ch, last.pen.bg, last.pen.fg), (' ', Color::Indexed(236), Color::Indexed(3)));
    }
}
