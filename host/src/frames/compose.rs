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

use std::collections::HashMap;

use ratatui::layout::Rect as RRect;
use revenant_terminal::Cell;

use crate::frames::Screen;
use revenant_session::tiling::{PaneId, Rect};

use super::render::{self, Context};
use revenant_session::Pane;

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
            self.rows.panes.clear();
            self.rows.chrome.clear();
        }
        self.rows.skipping = in_part;
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

/// Copies of the pane cells each screen row was last drawn from, and what
/// the bars and frames were.
#[derive(Default)]
pub struct RowCache {
    /// Off for a frame drawn whole: every row is drawn (and remembered).
    skipping: bool,
    panes: HashMap<PaneId, PaneRows>,
    chrome: HashMap<Chrome, u64>,
}

/// A bar or a pane's frame.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chrome {
    TopBar,
    BottomBar,
    Frame(PaneId),
}

#[derive(Default)]
struct PaneRows {
    key: Option<ContentKey>,
    /// The terminal's generation and the pane's scroll when last drawn.
    drawn: Option<(u64, usize)>,
    /// Each row's cells up to where the rest is blank, once drawn (an
    /// empty row and one never drawn must not compare equal).
    rows: Vec<Option<Vec<Cell>>>,
}

/// What turns a pane's cells into screen cells, besides the cells.
#[derive(Clone, PartialEq)]
struct ContentKey {
    /// Style indices (links, underline colours) mean the same only within
    /// one terminal.
    terminal: u64,
    area: RRect,
    default_fg: Option<revenant_layout::Colour>,
    default_bg: Option<revenant_layout::Colour>,
    /// A banner covers the last row.
    banner: bool,
    /// No selection and no search: each cell is drawn as it is.
    plain: bool,
}

impl RowCache {
    /// Before pane `pane`'s rows are drawn into `area`: whether any of them
    /// may be skipped, and whether all may (nothing in the terminal or its
    /// scrolling moved since they were drawn).
    pub fn begin_pane<Io>(&mut self, pane: &Pane<Io>, area: RRect) -> (bool, bool) {
        let key = ContentKey {
            terminal: pane.term.instance(),
            area,
            default_fg: pane.default_fg.clone(),
            default_bg: pane.default_bg.clone(),
            banner: pane.exited.is_some() || pane.suspended,
            plain: pane.selection.is_none() && pane.search.is_none(),
        };
        let entry = self.panes.entry(pane.id).or_default();
        if entry.key.as_ref() != Some(&key) {
            entry.rows.clear();
            entry.drawn = None;
            entry.key = Some(key.clone());
        }
        let drawn = Some((pane.term.generation(), pane.scroll));
        let same = entry.drawn == drawn;
        entry.drawn = drawn;
        let skip = self.skipping && key.plain;
        (skip, skip && same)
    }

    /// Whether `chrome` may be left as it is on the screen: it was drawn
    /// from the same `key` last time (`None`: draw it anyway).
    pub fn chrome_unchanged(&mut self, chrome: Chrome, key: Option<u64>) -> bool {
        let Some(key) = key else {
            self.chrome.remove(&chrome);
            return false;
        };
        let before = self.chrome.insert(chrome, key);
        self.skipping && before == Some(key)
    }

    /// Whether row `y` of pane `id` may be left as it is on the screen:
    /// `skip` allows it and `cells` (the row up to where the rest is
    /// blank) are what it was last drawn from.
    /// Otherwise `cells` are remembered, to be drawn now.
    pub fn unchanged(&mut self, id: PaneId, y: u16, cells: &[Cell], skip: bool) -> bool {
        let entry = self.panes.entry(id).or_default();
        let y = usize::from(y);
        if entry.rows.len() <= y {
            entry.rows.resize_with(y + 1, || None);
        }
        let slot = &mut entry.rows[y];
        if skip && slot.as_deref() == Some(cells) {
            return true;
        }
        let kept = slot.get_or_insert_with(Vec::new);
        kept.clear();
        kept.extend_from_slice(cells);
        false
    }
}
