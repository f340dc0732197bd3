//! `revenant action VERB`: Zellij's scripting verbs, with its names and
//! flags.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

/// Said in the help of every verb that acts on "the focused" pane or tab.
const VIEW: &str = "Acts through the view of the attached client that typed last (else the first attached \
                    client); with no client attached, through the session's own view.";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FocusDir {
    Left,
    Right,
    Up,
    Down,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TabDir {
    Left,
    Right,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ResizeHow {
    #[value(alias = "+")]
    Increase,
    #[value(alias = "-")]
    Decrease,
}

#[derive(Subcommand)]
pub enum ActionCommand {
    /// Print a pane's screen (or write it to PATH).
    #[command(after_help = VIEW)]
    DumpScreen {
        path: Option<PathBuf>,
        /// Include the scrollback.
        #[arg(long)]
        full: bool,
        #[arg(long)]
        pane_id: Option<u32>,
        /// Keep colours and attributes (as SGR escape sequences).
        #[arg(long)]
        ansi: bool,
    },
    /// Type TEXT into the focused pane (`--stdin`: all of standard input,
    /// for text too long for an argument).
    #[command(after_help = VIEW)]
    WriteChars {
        #[arg(required_unless_present = "stdin")]
        text: Option<String>,
        /// Read the text from standard input instead.
        #[arg(long, conflicts_with = "text")]
        stdin: bool,
    },
    /// Send bytes (decimal) to the focused pane.
    #[command(after_help = VIEW)]
    Write { bytes: Vec<u8> },
    /// Send keys to the focused pane, each written as in a key binding:
    /// `send-keys "Ctrl a" "Enter" "Alt Left" x`.
    #[command(after_help = VIEW)]
    SendKeys {
        #[arg(required = true)]
        keys: Vec<String>,
    },
    /// Paste TEXT into the focused pane (bracketed when its program asked
    /// for bracketed paste); `--stdin` pastes all of standard input, as
    /// tmux's `load-buffer -`.
    #[command(after_help = VIEW)]
    Paste {
        #[arg(required_unless_present = "stdin")]
        text: Option<String>,
        /// Read the text from standard input instead.
        #[arg(long, conflicts_with = "text")]
        stdin: bool,
    },
    /// Clear the focused pane's screen and scrollback.
    #[command(after_help = VIEW)]
    Clear,
    /// Open the focused pane's scrollback and screen in `scrollback_editor`
    /// (else $EDITOR, else vi), in place of the pane until the editor exits.
    #[command(after_help = VIEW)]
    EditScrollback,
    /// Send typing to every pane of the focused tab (except panes marked
    /// `exclude_from_sync`), or stop.
    #[command(after_help = VIEW)]
    ToggleActiveSyncTab,
    /// Open a pane; prints its id.
    #[command(after_help = VIEW)]
    NewPane {
        #[arg(short, long)]
        floating: bool,
        #[arg(short, long, value_parser = ["right", "down"])]
        direction: Option<String>,
        /// Stack it with the focused pane, as Zellij's `--stacked`.
        #[arg(long, conflicts_with_all = ["direction", "floating"])]
        stacked: bool,
        #[arg(long)]
        cwd: Option<PathBuf>,
        #[arg(short, long)]
        name: Option<String>,
        /// Close the pane when its command exits.
        #[arg(short, long)]
        close_on_exit: bool,
        /// Wait behind "Press ENTER to run…" before starting the command.
        #[arg(long)]
        start_suspended: bool,
        #[arg(last = true)]
        command: Vec<String>,
    },
    /// Close the focused pane.
    #[command(after_help = VIEW)]
    ClosePane,
    /// Rename the focused pane.
    #[command(after_help = VIEW)]
    RenamePane { name: String },
    /// Give the focused pane back the name it had before its last rename.
    #[command(after_help = VIEW)]
    UndoRenamePane,
    /// Focus the pane that way.
    #[command(after_help = VIEW)]
    MoveFocus { direction: FocusDir },
    /// Focus the pane that way, or the next tab at the tab's edge.
    #[command(after_help = VIEW)]
    MoveFocusOrTab { direction: FocusDir },
    /// Swap the focused pane with its neighbour that way (without a
    /// direction: with the next pane).
    #[command(after_help = VIEW)]
    MovePane { direction: Option<FocusDir> },
    /// Swap the focused pane with the previous pane.
    #[command(after_help = VIEW)]
    MovePaneBackwards,
    /// Focus the next pane of the tab.
    #[command(after_help = VIEW)]
    FocusNextPane,
    /// Focus the previous pane of the tab.
    #[command(after_help = VIEW)]
    FocusPreviousPane,
    /// Grow or shrink the focused pane (that way, or where there is room).
    #[command(after_help = VIEW)]
    Resize { resize: ResizeHow, direction: Option<FocusDir> },
    /// Make the focused pane fill its tab, or stop.
    #[command(after_help = VIEW)]
    ToggleFullscreen,
    /// Draw pane frames, or stop (for the whole session).
    TogglePaneFrames,
    /// Float the focused tiled pane, or embed the focused floating one.
    #[command(after_help = VIEW)]
    TogglePaneEmbedOrFloating,
    /// Show or hide the focused tab's floating panes (opening one when it
    /// has none).
    #[command(after_help = VIEW)]
    ToggleFloatingPanes,
    /// Show the focused tab's floating panes.
    #[command(after_help = VIEW)]
    ShowFloatingPanes,
    /// Hide the focused tab's floating panes.
    #[command(after_help = VIEW)]
    HideFloatingPanes,
    /// Scroll the focused pane up a line.
    #[command(after_help = VIEW)]
    ScrollUp,
    /// Scroll the focused pane down a line.
    #[command(after_help = VIEW)]
    ScrollDown,
    /// Scroll the focused pane to the top of its scrollback.
    #[command(after_help = VIEW)]
    ScrollToTop,
    /// Scroll the focused pane back to the bottom.
    #[command(after_help = VIEW)]
    ScrollToBottom,
    /// Scroll the focused pane up a page.
    #[command(after_help = VIEW)]
    PageScrollUp,
    /// Scroll the focused pane down a page.
    #[command(after_help = VIEW)]
    PageScrollDown,
    /// Scroll the focused pane up half a page.
    #[command(after_help = VIEW)]
    HalfPageScrollUp,
    /// Scroll the focused pane down half a page.
    #[command(after_help = VIEW)]
    HalfPageScrollDown,
    /// Arrange the tab by its next swap layout (Alt-]).
    #[command(after_help = VIEW)]
    NextSwapLayout,
    /// Arrange the tab by its previous swap layout (Alt-[).
    #[command(after_help = VIEW)]
    PreviousSwapLayout,
    /// Focus the pane with this id (switching tabs).
    #[command(after_help = VIEW)]
    FocusPaneId { id: u32 },
    /// Open a tab; prints its number.
    #[command(after_help = VIEW)]
    NewTab {
        #[arg(short, long)]
        name: Option<String>,
        /// Add the tabs of this layout (a file or a name) instead of one
        /// plain tab.
        #[arg(short, long, value_name = "NAME|PATH")]
        layout: Option<String>,
    },
    /// Bring one tab of an older snapshot of this session (`revenant
    /// snapshots NAME` lists them) back as a new tab; its commands wait for
    /// ENTER. Prints its number.
    #[command(after_help = VIEW)]
    RestoreTab {
        #[arg(long, value_name = "ID")]
        snapshot: String,
        #[arg(long, value_name = "NAME")]
        tab: String,
    },
    /// Close the focused tab and its panes.
    #[command(after_help = VIEW)]
    CloseTab,
    /// Switch to tab N (1-based).
    #[command(after_help = VIEW)]
    GoToTab { index: u32 },
    /// Switch to the next tab (round the end).
    #[command(after_help = VIEW)]
    GoToNextTab,
    /// Switch to the previous tab (round the start).
    #[command(after_help = VIEW)]
    GoToPreviousTab,
    /// Switch to the first tab of this name.
    #[command(after_help = VIEW)]
    GoToTabName {
        name: String,
        /// Open a tab of that name when there is none.
        #[arg(short, long)]
        create: bool,
    },
    /// Rename the focused tab.
    #[command(after_help = VIEW)]
    RenameTab { name: String },
    /// Give the focused tab back the name it had before its last rename.
    #[command(after_help = VIEW)]
    UndoRenameTab,
    /// Swap the focused tab with its neighbour (round the ends).
    #[command(after_help = VIEW)]
    MoveTab { direction: TabDir },
    /// Print the focused tab's name, id and position.
    #[command(after_help = VIEW)]
    CurrentTabInfo {
        #[arg(long)]
        json: bool,
    },
    /// Print every tab's name, one a line, in order.
    QueryTabNames,
    /// List every pane of every tab: id, tab (1-based, as `go-to-tab`),
    /// focus, floating, title (`--json`: everything, tabs 0-based).
    ListPanes {
        #[arg(long)]
        json: bool,
    },
    /// List the tabs: number (1-based, as `go-to-tab`), name, and which is
    /// focused (`--json`: with pane counts, indexes 0-based).
    ListTabs {
        #[arg(long)]
        json: bool,
    },
    /// List the attached clients: id, the tab each looks at, its terminal
    /// size, and which only watch.
    ListClients {
        #[arg(long)]
        json: bool,
    },
    /// Print the session as a layout (KDL).
    DumpLayout,
    /// Save a snapshot now (prints the path of session-layout.kdl).
    SaveSession,
    /// Rename the session: its socket and saved state move together (shells
    /// already running keep the old name in `REVENANT_SESSION_NAME`).
    RenameSession { name: String },
    /// Move the attached client to another session: a running one, an
    /// exited one (resurrected), or a new one (from --layout).
    #[command(after_help = "Moves the attached client that typed last (else the first attached client).")]
    SwitchSession {
        name: String,
        /// The tab to start on there (0-based, as `list-tabs --json` counts).
        #[arg(long, value_name = "N")]
        tab_position: Option<u32>,
        /// The pane to focus there.
        #[arg(long, value_name = "ID")]
        pane_id: Option<u32>,
        /// The layout of the session, if this creates it.
        #[arg(short, long, value_name = "NAME|PATH")]
        layout: Option<String>,
    },
    /// Detach every client.
    Detach,
    /// Print whether the tab's floating panes are shown: `true` (exit
    /// status 0) or `false` (exit status 1).
    #[command(after_help = VIEW)]
    AreFloatingPanesVisible {
        /// The tab, by its stable id (`current-tab-info` shows it).
        #[arg(short, long)]
        tab_id: Option<u32>,
    },
    /// Close the tab with this stable id.
    CloseTabById { id: u32 },
    /// Switch to the tab with this stable id.
    #[command(after_help = VIEW)]
    GoToTabById { id: u32 },
    /// Rename the tab with this stable id.
    RenameTabById { id: u32, name: String },
    /// Focus the pane that had the focus before this one.
    #[command(after_help = VIEW)]
    FocusLastPane,
    /// Switch the input mode (normal, locked, pane, tab, resize, scroll,
    /// session, search, entersearch, renametab) of every attached client.
    SwitchMode { mode: String },
    /// Keep a floating pane shown while the floating panes are hidden, or
    /// stop (the focused pane, or --pane-id).
    #[command(after_help = VIEW)]
    TogglePanePinned {
        /// `3`, `terminal_3` or `plugin_3`.
        #[arg(short, long, value_parser = pane_id)]
        pane_id: Option<u32>,
    },
    /// Stack these panes (of one tab), the first one's place keeping them:
    /// `stack-panes -- 1 terminal_2 3`.
    StackPanes {
        #[arg(last = true, required = true, value_parser = pane_id)]
        pane_ids: Vec<u32>,
    },
    /// Move or resize a floating pane: a number of cells, or a percentage
    /// of the tab's area (`-x 10%`).
    ChangeFloatingPaneCoordinates {
        #[arg(short, long, value_parser = pane_id)]
        pane_id: u32,
        #[arg(short, long)]
        x: Option<String>,
        #[arg(short, long)]
        y: Option<String>,
        #[arg(long)]
        width: Option<String>,
        #[arg(long)]
        height: Option<String>,
        /// Keep it shown while the floating panes are hidden.
        #[arg(long)]
        pinned: Option<bool>,
    },
    /// Draw the pane without a frame (-b), or with one.
    SetPaneBorderless {
        #[arg(short, long, value_parser = pane_id)]
        pane_id: u32,
        #[arg(short, long)]
        borderless: bool,
    },
    /// Keep the pane's screen out of every snapshot from the next save on
    /// (`false`), or save it again (`true`); a layout's
    /// `save_contents=false` does the same. Snapshots already written keep
    /// what they saved.
    SetSaveContents {
        /// `true` or `false`.
        #[arg(action = clap::ArgAction::Set)]
        save: bool,
        /// Default: this pane ($REVENANT_PANE_ID), else the focused one.
        #[arg(short, long, value_parser = pane_id)]
        pane_id: Option<u32>,
    },
    /// Draw the pane without a frame, or with one again.
    TogglePaneBorderless {
        #[arg(short, long, value_parser = pane_id)]
        pane_id: u32,
    },
    /// Set the colours a pane draws text without colours of its own in
    /// (`#00e000`, `rgb:00/e0/00`, an index or a name), or --reset them.
    SetPaneColor {
        /// Default: this pane ($REVENANT_PANE_ID).
        #[arg(short, long, value_parser = pane_id)]
        pane_id: Option<u32>,
        #[arg(long)]
        fg: Option<String>,
        #[arg(long)]
        bg: Option<String>,
        #[arg(long, conflicts_with_all = ["fg", "bg"])]
        reset: bool,
    },
    /// Open FILE in the editor in a new pane (as `revenant edit`).
    #[command(after_help = VIEW)]
    Edit(super::EditArgs),
}

/// A pane id as Zellij writes them: `3`, `terminal_3` or `plugin_3`.
pub fn pane_id(text: &str) -> Result<u32, String> {
    let bare = text.strip_prefix("terminal_").or_else(|| text.strip_prefix("plugin_")).unwrap_or(text);
    bare.parse().map_err(|_| format!("`{text}` is not a pane id: write 3, terminal_3 or plugin_3"))
}
