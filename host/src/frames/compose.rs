//! A client's screen kept from frame to frame, and redrawn only where it
//! can have changed.
//!
//! Composing all of a 120x40 screen, then diffing all of it, cost about
//! 0.2 ms of every echoed key, a third of its latency: a key changes one
//! row. So while the layout stays as it was, a frame redraws the bars and
//! frames (a few hundred cells) and, of each pane's rows, only those whose
//! cells differ from the copy kept of what was last drawn from them.
//! Anything that could make an unchanged row look different (the pane's
//! place, its terminal, colours, a selection, a search, a banner) either
//! is part of the keys compared here or draws the whole screen again.
//!
//! Debug builds check every frame drawn in part against one drawn whole,
//! so a missing key fails the tests rather than leaving stale cells.

use crate::frames::Screen;
use revenant_session::tiling::{PaneId, Rect};

use super::render::{self, Context};
use super::row_cache::RowCache;

/// The screen one client is shown, and what it was drawn from.
pub struct Composer {
    screen: Screen,
    rows: RowCache,
    /// The last frame's layout; `None`: draw the next one whole.
    layout: Option<Vec<Placed>>,
}

/// One pane as the layout placed it, for telling whether the layout moved.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Placed {
    id: PaneId,
    rect: Rect,
    collapsed: bool,
    /// The terminal's size: cells past it are drawn by no one.
    term: (u16, u16),
    borderless: bool,
}

impl Composer {
    pub fn new(cols: u16, rows: u16) -> Composer {
        Composer { screen: Screen::new(cols, rows), rows: RowCache::default(), layout: None }
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        *self = Composer::new(cols, rows);
    }

    /// The screen as composed, with the rows the last compose touched.
    pub fn screen_mut(&mut self) -> &mut Screen {
        &mut self.screen
    }

    /// Composes the client's next frame onto its screen and says where its
    /// cursor goes.
    pub fn compose<Io>(&mut self, ctx: &Context<Io>) -> Option<(u16, u16)> {
        let layout = layout_of(ctx, self.screen.cols(), self.screen.rows());
        let in_part = layout.is_some() && layout == self.layout;
        if !in_part {
            self.screen.clear();
        }
        self.rows.begin_frame(in_part);
        let cursor = render::draw(&mut self.screen, ctx, &mut self.rows);
        self.layout = layout;
        #[cfg(debug_assertions)]
        if in_part {
            self.check(ctx, cursor);
        }
        cursor
    }

    /// Panics when a frame drawn in part differs from the same frame drawn
    /// whole: a cell kept that should have been drawn again.
    #[cfg(debug_assertions)]
    fn check<Io>(&self, ctx: &Context<Io>, cursor: Option<(u16, u16)>) {
        let mut whole = Screen::new(self.screen.cols(), self.screen.rows());
        let whole_cursor = render::draw(&mut whole, ctx, &mut RowCache::default());
        assert_eq!(cursor, whole_cursor, "a frame drawn in part put the cursor elsewhere");
        let text = |s: &Screen| {
            (0..s.rows()).map(|y| s.row(y).iter().map(|c| c.ch).collect::<String>()).collect::<Vec<_>>().join("|\n  ")
        };
        for y in 0..whole.rows() {
            assert!(
                whole.row(y) == self.screen.row(y),
                "a frame drawn in part differs at row {y}:\npart:\n  {}|\nwhole:\n  {}|\n{:?} frames={}",
                text(&self.screen),
                text(&whole),
                self.layout,
                ctx.frames
            );
        }
    }
}

/// The placements of the client's tab, or `None` when the frame must be
/// drawn whole anyway: floating panes are drawn over the tiled ones, so a
/// tiled row drawn again would cover them.
fn layout_of<Io>(ctx: &Context<Io>, cols: u16, rows: u16) -> Option<Vec<Placed>> {
    let tab = ctx.view.tab(ctx.session)?;
    let mut placed = Vec::new();
    // The screen, the pane area and whether frames are drawn place every
    // pane: they go in as a first entry.
    let area = ctx.area;
    // On a screen too small for the pane area and the bars (a watcher
    // smaller than the session, a window a row or two high), bars and
    // panes overlap, and a pane row skipped would leave a bar's cells.
    if area.x + area.w > cols || area.y + area.h + ctx.session.bars.bottom_rows() > rows {
        return None;
    }
    placed.push(Placed {
        id: PaneId::MAX,
        rect: Rect::new(cols, rows, area.w, area.h),
        collapsed: ctx.frames,
        term: (area.x, area.y),
        borderless: false,
    });
    for p in tab.placements(area) {
        if p.floating {
            return None;
        }
        let pane = ctx.session.panes.get(&p.id)?;
        placed.push(Placed {
            id: p.id,
            rect: p.rect,
            collapsed: p.collapsed,
            term: (pane.term.cols(), pane.term.rows()),
            borderless: pane.borderless,
        });
    }
    Some(placed)
}
