//! What each screen row of a client was last drawn from: copies of the
//! pane cells, and a key for each bar and pane frame. The composer skips a
//! row whose source is unchanged; the drawing asks before each row.

use std::collections::HashMap;

use ratatui::layout::Rect as RRect;
use revenant_session::Pane;
use revenant_session::tiling::PaneId;
use revenant_terminal::Cell;

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
    /// A plugin's colours and the banners are the theme's.
    ui: revenant_config::themes::UiColours,
}

impl RowCache {
    /// Before a frame: drawn in part (rows may be skipped), or whole (the
    /// screen was cleared, and everything kept is forgotten).
    pub fn begin_frame(&mut self, in_part: bool) {
        if !in_part {
            self.panes.clear();
            self.chrome.clear();
        }
        self.skipping = in_part;
    }

    /// Before pane `pane`'s rows are drawn into `area`: whether any of them
    /// may be skipped, and whether all may (nothing in the terminal or its
    /// scrolling moved since they were drawn).
    pub fn begin_pane<Io>(
        &mut self,
        pane: &Pane<Io>,
        area: RRect,
        ui: &revenant_config::themes::UiColours,
    ) -> (bool, bool) {
        let key = ContentKey {
            terminal: pane.term.instance(),
            area,
            default_fg: pane.default_fg.clone(),
            default_bg: pane.default_bg.clone(),
            banner: pane.exited.is_some() || pane.suspended,
            plain: pane.selection.is_none() && pane.search.is_none() && pane.copy.is_none(),
            ui: *ui,
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
