//! One cell of a client's screen: what is drawn there and how, with every
//! attribute resolved (a pane's underline colour and hyperlink are looked up
//! in its terminal's extras when the cell is copied).

use std::sync::Arc;

use revenant_terminal::{Color, Combining, Flags, Hyperlink};

/// How a cell is drawn.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Pen {
    pub fg: Color,
    pub bg: Color,
    pub underline_color: Color,
    pub flags: Flags,
    pub link: Option<Arc<Hyperlink>>,
}

impl Pen {
    pub const DEFAULT: Pen = Pen {
        fg: Color::Default,
        bg: Color::Default,
        underline_color: Color::Default,
        flags: Flags::empty(),
        link: None,
    };

    pub fn with_bg(bg: Color) -> Pen {
        Pen { bg, ..Pen::DEFAULT }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScreenCell {
    pub ch: char,
    pub combining: Combining,
    /// 1, 2 for a wide character, 0 for the column right of one.
    pub width: u8,
    pub pen: Pen,
}

impl Default for ScreenCell {
    fn default() -> Self {
        ScreenCell::BLANK
    }
}

impl ScreenCell {
    pub const BLANK: ScreenCell = ScreenCell { ch: ' ', combining: Combining::NONE, width: 1, pen: Pen::DEFAULT };

    pub fn blank(pen: Pen) -> ScreenCell {
        ScreenCell { pen, ..ScreenCell::BLANK }
    }

    pub fn is_spacer(&self) -> bool {
        self.width == 0
    }

    /// The cell's text: its character and combining marks.
    pub fn push_text(&self, out: &mut Vec<u8>) {
        let mut buf = [0u8; 4];
        out.extend_from_slice(self.ch.encode_utf8(&mut buf).as_bytes());
        for c in self.combining.iter() {
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
}
