//! Reflow: when the primary screen changes width, every line the program
//! wrapped, in history and on the screen, is joined and wrapped again at
//! the new width (as alacritty and tmux do), so a long line shrunk to
//! half the width and widened back is one row again. Rows that merely end
//! at the edge stay as they are.
//!
//! The cursor (and the DECSC cursor) stay on the character they were on.
//! Which rows the screen shows afterwards: with the cursor on the last row
//! (a shell at its prompt) it stays there, so narrowing pushes rows into
//! history and widening pulls them back; otherwise the screen keeps its
//! top line and the cursor moves, pushing rows into history only when the
//! cursor, or text below it, would leave the screen.

use std::sync::Arc;

use crate::cell::Cell;
use crate::grid::Grid;
use crate::packed;
use crate::rewrap::{Landing, Rewrap};
use crate::scrollback::Scrollback;
use crate::state::Cursor;
use crate::wrap::{Wrap, line_width};

/// Rewraps `grid` (the primary screen) and `history` to `cols`, keeping the
/// screen's height. `cursor` is the screen's cursor, `saved` its DECSC
/// cursor when that is kept apart.
pub(crate) fn reflow(
    grid: &mut Grid,
    history: &mut Scrollback,
    cols: usize,
    cursor: &mut Cursor,
    saved: Option<&mut Cursor>,
) {
    let (height, old_cols) = (grid.rows(), grid.cols());
    let mark = |c: &Cursor| Mark { y: c.y.min(height - 1), x: c.x.min(old_cols - 1) + usize::from(c.pending_wrap) };
    // The screen's top, the cursor, and the saved cursor.
    let mut marks = vec![Mark { y: 0, x: 0 }, mark(cursor)];
    marks.extend(saved.as_deref().map(mark));
    // Blank rows under the text and the cursors are room, not lines: they
    // are left out and the room is given back at the bottom.
    let content: Vec<usize> = (0..height).map(|y| grid.content_len(y)).collect();
    let last = (0..height)
        .rev()
        .find(|&y| content[y] > 0 || grid.wrapped(y) || marks[1..].iter().any(|m| m.y == y))
        .unwrap_or(0);

    let mut flow = Flow::new(history, cols, marks.len());
    flow.history_rows(old_cols);
    let rows = grid.take_rows();
    for (y, (cells, wrap)) in rows.iter().enumerate().take(last + 1) {
        // Where a mark at the end of a wrapped row goes: onto the next row's
        // first character.
        let next_width = rows.get(y + 1).and_then(|(next, _)| next.first()).map_or(1, |c| usize::from(c.width));
        let wrap = if y == last { Wrap::No } else { *wrap };
        flow.screen_row(cells, content[y], wrap, y, &marks, next_width);
    }

    let found = flow.found.clone();
    let (top_mark, at) = (found[0], found[1]);
    // The cursor must stay on the screen.
    let lowest = (at.y + 1).saturating_sub(height);
    let mut top = if cursor.y + 1 >= height { lowest } else { top_mark.y.clamp(lowest, at.y) };
    // Text below the cursor that would fall off the bottom pushes the top
    // into history instead, as far as the cursor allows.
    if flow.out.len() > top + height {
        top = top.max(flow.out.len() - height).min(at.y);
    }
    flow.finish(top, height, grid);

    let place = |c: &mut Cursor, f: Found| {
        c.y = f.y.saturating_sub(top).min(height - 1);
        c.x = f.x.min(cols - 1);
        c.pending_wrap = f.pending;
    };
    place(cursor, at);
    if let Some(saved) = saved {
        place(saved, found[2]);
    }
}

/// A point of the old screen to find again in the new layout.
#[derive(Clone, Copy)]
struct Mark {
    y: usize,
    /// The column, or one past it for a cursor with a wrap pending.
    x: usize,
}

/// Where a mark went: its new row (counting history rows) and column.
#[derive(Clone, Copy, Default)]
struct Found {
    y: usize,
    x: usize,
    pending: bool,
}

/// A row of the new layout. History rows that needed no rewrapping stay
/// packed as they were; rows are packed or unpacked only once it is known
/// on which side of the screen's top they fall.
enum Out {
    Packed(Arc<[u8]>),
    Cells(Vec<Cell>, Wrap),
}

/// The lines on their way into the new layout.
struct Flow<'a> {
    rewrap: Rewrap,
    out: Vec<Out>,
    history: &'a mut Scrollback,
    /// How many rows the history held, and how many of the oldest of them
    /// are still the same rows in the same places.
    taken: usize,
    kept: usize,
    found: Vec<Found>,
}

impl<'a> Flow<'a> {
    fn new(history: &'a mut Scrollback, cols: usize, marks: usize) -> Flow<'a> {
        Flow {
            rewrap: Rewrap::new(cols),
            out: Vec::new(),
            history,
            taken: 0,
            kept: 0,
            found: vec![Found::default(); marks],
        }
    }

    /// Lays the history out again, leaving a line that runs on into the
    /// screen open.
    fn history_rows(&mut self, old_cols: usize) {
        let rows = self.history.take_rows();
        let cols = self.rewrap.cols();
        (self.taken, self.kept) = (rows.len(), rows.len());
        self.out.reserve(rows.len() + 64);
        let mut open = false;
        let mut buf = Vec::new();
        for (i, row) in rows.into_iter().enumerate() {
            let wrap = packed::wrap(&row);
            // Most lines are one row that fits: they stay as they are (a
            // row's bytes bound its columns, which saves counting them).
            if !open && wrap == Wrap::No && (row.len() <= cols || packed::columns(&row) <= cols) {
                self.out.push(Out::Packed(row));
                continue;
            }
            self.kept = self.kept.min(i);
            packed::unpack(&row, &mut buf);
            // The row was stored without its trailing default blanks, but
            // up to the edge (or the padding before a wide character) they
            // were part of the line.
            if let Some(width) = line_width(&buf, wrap, old_cols) {
                buf.resize(width, Cell::BLANK);
            }
            let Flow { rewrap, out, history, .. } = self;
            let mut sink = |cells: &[Cell], wrap| out.push(Out::Packed(history.pack(cells, wrap)));
            rewrap.push(&buf, &mut sink);
            open = wrap.is_wrapped();
            if !open {
                rewrap.end_line(&mut sink);
            }
        }
    }

    /// Lays screen row `y` out, finding the marks on it. `content` is how
    /// far its text goes; `next_width` the width of the next row's first
    /// cell.
    fn screen_row(&mut self, cells: &[Cell], content: usize, wrap: Wrap, y: usize, marks: &[Mark], next_width: usize) {
        let mut here: Vec<(usize, usize)> =
            marks.iter().enumerate().filter(|(_, m)| m.y == y).map(|(i, m)| (m.x, i)).collect();
        here.sort_unstable();
        let reach = line_width(cells, wrap, cells.len()).unwrap_or(content).min(cells.len());
        let mut from = 0;
        for (x, i) in here {
            let landing = if x < reach {
                // On a wide character's right half: its head lands, and the
                // mark one column right of it.
                let head = if x > 0 && cells[x].width == 0 && cells[x - 1].width == 2 { x - 1 } else { x };
                self.push_screen_cells(&cells[from.min(head)..head]);
                from = from.max(head);
                let l = self.rewrap.landing(usize::from(cells[head].width));
                Landing { x: l.x + (x - head), ..l }
            } else {
                self.push_screen_cells(&cells[from..reach]);
                from = reach;
                if wrap.is_wrapped() {
                    self.rewrap.landing(next_width)
                } else {
                    // Past the end of the text (after a prompt's space, say)
                    // the cursor keeps its distance from the text, on the
                    // text's last row; at the edge with the wrap pending,
                    // as if it had printed its way there.
                    let end = self.rewrap.end();
                    let x = end.x + usize::from(end.pending) + (x - reach);
                    let cols = self.rewrap.cols();
                    Landing { x: x.min(cols - 1), pending: x >= cols, ..end }
                }
            };
            self.found[i] = Found { y: self.out.len() + landing.down, x: landing.x, pending: landing.pending };
        }
        self.push_screen_cells(&cells[from..reach]);
        if !wrap.is_wrapped() {
            let out = &mut self.out;
            self.rewrap.end_line(&mut |cells: &[Cell], wrap| out.push(Out::Cells(cells.to_vec(), wrap)));
        }
    }

    fn push_screen_cells(&mut self, cells: &[Cell]) {
        let out = &mut self.out;
        self.rewrap.push(cells, &mut |cells: &[Cell], wrap| out.push(Out::Cells(cells.to_vec(), wrap)));
    }

    /// Rows above `top` go to history, the `height` from it to the screen;
    /// any further are lost (only ever blank room, or text the cursor
    /// would not let go up).
    fn finish(self, top: usize, height: usize, grid: &mut Grid) {
        let Flow { rewrap, out, history, taken, kept, .. } = self;
        let mut above = Vec::with_capacity(top);
        let mut screen = Vec::with_capacity(height);
        for (i, row) in out.into_iter().enumerate().take(top + height) {
            if i < top {
                above.push(match row {
                    Out::Packed(p) => p,
                    Out::Cells(cells, wrap) => history.pack(&cells, wrap),
                });
            } else {
                screen.push(match row {
                    Out::Packed(p) => {
                        let mut cells = Vec::new();
                        packed::unpack(&p, &mut cells);
                        (cells, packed::wrap(&p))
                    }
                    Out::Cells(cells, wrap) => (cells, wrap),
                });
            }
        }
        screen.resize_with(height, || (Vec::new(), Wrap::No));
        // Rows taken back onto the screen leave history like rewritten ones.
        history.put_back(above, taken, kept.min(top));
        grid.set_lines(rewrap.cols(), screen);
    }
}
