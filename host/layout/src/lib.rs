//! Zellij-compatible layout files (`layout { tab { pane ... } }`).
//!
//! [`Layout::parse`] reads KDL v2 or v1, validates every node against the
//! layout grammar (errors are `PATH:LINE:COL: message` with a miette report),
//! expands templates and composes working directories. [`Layout::normalize`]
//! turns the result into absolute pane rectangles for a given area, and
//! [`describe`] prints them for `revenant layout check`.

mod colour;
mod error;
mod normalize;
mod parse;
pub mod split;
mod swap;
mod swap_kdl;
pub use swap_kdl::{all as swap_layouts_kdl, quote as kdl_string};

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use colour::{Colour, ColourValue};
pub use error::{ErrorKind, LayoutError};
pub use normalize::describe;
pub use swap::{Constraint, SwapFloating, SwapTiled};

/// Re-exported so callers can read [`PaneNode::span`] without naming miette.
pub use miette::SourceSpan;

/// A parsed, validated layout with templates expanded.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The layout-level `cwd`, with `~` expanded.
    pub cwd: Option<PathBuf>,
    /// Never empty after [`Layout::parse`]: a layout without `tab` nodes
    /// becomes one tab holding the layout's panes.
    pub tabs: Vec<TabLayout>,
    /// What a new tab looks like: `new_tab_template`, else the
    /// `default_tab_template` holding one plain pane, else `None`.
    pub new_tab_template: Option<TabLayout>,
    /// Things accepted but not acted on.
    pub warnings: Vec<String>,
    /// The layout's swap layouts, in file order.
    pub swap_tiled: Vec<SwapTiled>,
    pub swap_floating: Vec<SwapFloating>,
    /// The file the layout came from, for located normalize errors.
    source: Option<Arc<(PathBuf, Arc<str>)>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabLayout {
    pub name: Option<String>,
    pub focus: bool,
    /// The tab's cwd composed onto the layout's.
    pub cwd: Option<PathBuf>,
    pub hide_floating_panes: bool,
    /// Always a split node (possibly with a single child).
    pub root: PaneNode,
    pub floating: Vec<FloatingLayout>,
}

/// A node of the tiled pane tree. It is a *leaf* when `children` is empty,
/// and then `pane` is `Some`; a *split* otherwise, and then `pane` is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PaneNode {
    /// Extent along the parent's split direction.
    pub size: Option<Size>,
    pub borderless: bool,
    /// How `children` are laid out.
    pub split: SplitDirection,
    pub children: Vec<PaneNode>,
    pub pane: Option<PaneSpec>,
    /// `stacked=true` on a split: its panes share its rows as a stack.
    pub stacked: bool,
    /// Where the node is in the layout file (its name), when parsed.
    pub span: Option<SourceSpan>,
}

impl PaneNode {
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }

    /// Calls `f` on every leaf under this node (itself, if it is one), in
    /// order.
    pub fn visit_leaves(&self, f: &mut dyn FnMut(&PaneNode)) {
        if self.is_leaf() {
            f(self);
        }
        for child in &self.children {
            child.visit_leaves(f);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Size {
    /// Cells (columns or rows).
    Fixed(u16),
    /// Percent of the space left after fixed siblings (1..=100).
    Percent(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SplitDirection {
    /// Children stacked top to bottom (Zellij's default).
    #[default]
    Horizontal,
    /// Children side by side, left to right.
    Vertical,
}

/// What runs in one pane. All-default means "the user's shell".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PaneSpec {
    pub name: Option<String>,
    pub focus: bool,
    /// Effective cwd: layout → tab → enclosing panes → this pane.
    pub cwd: Option<PathBuf>,
    /// `command` followed by `args`.
    pub command: Option<Vec<String>>,
    pub edit: Option<String>,
    pub close_on_exit: bool,
    pub start_suspended: bool,
    /// With `~` expanded; relative paths are left as written.
    pub contents_file: Option<PathBuf>,
    pub plugin: Option<PluginSpec>,
    /// The pane sits in a `stacked=true` split.
    pub stacked: bool,
    pub expanded: bool,
    pub exclude_from_sync: bool,
    /// `save_contents=false` (Revenant's own; Zellij has no such
    /// property): the pane's screen is never saved.
    pub never_save_contents: bool,
    /// The pane's default colours: text and background without a colour
    /// of their own are drawn in them.
    pub default_fg: Option<Colour>,
    pub default_bg: Option<Colour>,
    /// In a swap layout's step: where the panes beyond the step's own go
    /// (its `children` node).
    pub children_slot: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PluginSpec {
    pub location: String,
    /// In file order; values are the KDL values as text.
    pub configuration: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FloatingLayout {
    pub x: Option<Size>,
    pub y: Option<Size>,
    pub width: Option<Size>,
    pub height: Option<Size>,
    pub pinned: bool,
    pub borderless: bool,
    pub pane: PaneSpec,
}

impl FloatingLayout {
    /// The pane's `(x, y, cols, rows)` on a `cols`×`rows` area: a missing
    /// width or height is half the area, a missing x or y centres the pane,
    /// and the result always lies inside the area.
    pub fn place(&self, cols: u16, rows: u16) -> (u16, u16, u16, u16) {
        normalize::floating_rect(self, (0, 0), cols, rows)
    }

    /// The same on an area whose top-left cell is `origin` on the screen
    /// (below a tab bar): explicit x and y count from the screen's corner,
    /// as in Zellij. The result is relative to the area.
    pub fn place_at(&self, origin: (u16, u16), cols: u16, rows: u16) -> (u16, u16, u16, u16) {
        normalize::floating_rect(self, origin, cols, rows)
    }
}

/// A tab with every pane placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalTab {
    /// The tab's name, or `Tab #N` (1-based).
    pub name: String,
    pub focus: bool,
    pub hide_floating_panes: bool,
    /// Tiled panes in tree order, then floating panes in file order.
    pub panes: Vec<NormalPane>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalPane {
    pub x: u16,
    pub y: u16,
    pub cols: u16,
    pub rows: u16,
    pub floating: bool,
    pub borderless: bool,
    pub pinned: bool,
    /// A stacked pane hidden under its stack's open one.
    pub collapsed: bool,
    pub spec: PaneSpec,
}

impl Layout {
    /// `revenant -- CMD`: the command runs in the layout's first terminal
    /// pane (of its focused tab) instead of the shell.
    pub fn run_in_first_pane(&mut self, argv: Vec<String>) {
        let t = self.tabs.iter().position(|t| t.focus).unwrap_or(0);
        let Some(tab) = self.tabs.get_mut(t) else { return };
        fn first(node: &mut PaneNode) -> Option<&mut PaneSpec> {
            if node.is_leaf() {
                return node.pane.as_mut().filter(|p| p.plugin.is_none());
            }
            node.children.iter_mut().find_map(first)
        }
        if let Some(spec) = first(&mut tab.root) {
            spec.command = Some(argv);
            spec.edit = None;
            spec.start_suspended = false;
        }
    }

    /// Parses and validates a layout. `path` is only used in messages;
    /// `home` replaces a leading `~` in cwds (left alone when `None`).
    pub fn parse(path: &Path, text: &str, home: Option<&Path>) -> Result<Layout, LayoutError> {
        let doc = revenant_kdl_file::parse_document(path, text)?;
        let mut layout = parse::layout(&doc, home).map_err(|f| LayoutError::located(path, text, f))?;
        layout.source = Some(Arc::new((path.to_owned(), Arc::from(text))));
        Ok(layout)
    }

    /// Reads and parses a layout file.
    pub fn load(path: &Path, home: Option<&Path>) -> Result<Layout, LayoutError> {
        let text = revenant_kdl_file::read_text_bounded(path, revenant_kdl_file::MAX_TEXT_FILE)
            .map_err(|e| LayoutError::io(path, e))?;
        Self::parse(path, &text, home)
    }

    /// Places every pane on a `cols`×`rows` area (the caller subtracts any
    /// bars first). Fails when fixed sizes cannot fit or a pane would get no
    /// cells at all.
    pub fn normalize(&self, cols: u16, rows: u16) -> Result<Vec<NormalTab>, LayoutError> {
        normalize::tabs(self, cols, rows).map_err(|f| match &self.source {
            Some(src) => LayoutError::located(&src.0, &src.1, f),
            None => LayoutError::unlocated(Path::new("<layout>"), f),
        })
    }

    /// The folder of the file the layout came from: relative
    /// `contents_file`s are found there.
    pub fn source_dir(&self) -> Option<PathBuf> {
        let src = self.source.as_ref()?;
        Some(src.0.parent().map(Path::to_path_buf).unwrap_or_default())
    }

    /// The swap layouts as KDL v1 nodes (tiled ones first), for a saved
    /// session to write back: built from what was parsed, so a v2 file or
    /// one using templates still saves as Zellij reads.
    pub fn swap_layouts(&self) -> Vec<String> {
        swap_kdl::all(&self.swap_tiled, &self.swap_floating)
    }

    /// Whether the layout fits a `cols`×`rows` area.
    pub fn check(&self, cols: u16, rows: u16) -> Result<(), LayoutError> {
        self.normalize(cols, rows).map(|_| ())
    }
}
