//! What clients and servers say to each other.

use revenant_session::input::{Key, Mouse};
use serde::{Deserialize, Serialize};

/// The first message on every connection.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hello {
    pub role: Role,
    pub cols: u16,
    pub rows: u16,
    /// What the client's terminal can draw.
    pub features: crate::frames::Features,
    /// Where the client starts (`switch-session --tab-position/--pane-id`).
    pub start: StartAt,
    /// The client's terminal came with this message: the server reads and
    /// writes it itself if it can (the welcome says).
    pub tty: bool,
    /// The client is on another host than the server: copied text is sent
    /// to it ([`ServerMsg::Copied`]) for its own `copy_command`, instead of
    /// the server's running on the server's host.
    pub copy_here: bool,
}

impl Hello {
    /// A client without a terminal of its own (a one-shot command, a
    /// subscriber): no size, nothing drawn for it.
    pub fn headless(role: Role) -> Hello {
        Hello {
            role,
            cols: 0,
            rows: 0,
            features: crate::frames::Features::BASIC,
            start: StartAt::default(),
            tty: false,
            copy_here: false,
        }
    }
}

/// A tab or pane to look at first; unset: where the session is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartAt {
    /// 0-based, as `list-tabs --json` counts.
    pub tab_position: Option<u32>,
    pub pane_id: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// An interactive client.
    Attach,
    /// A read-only client: its input is ignored.
    Watch,
    /// A one-shot command (`revenant action …`, `kill-session`).
    Command,
    /// `revenant subscribe`: sent the session's events
    /// ([`ServerMsg::Event`]), nothing drawn, its input ignored.
    Subscribe,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ClientMsg {
    Hello(Hello),
    Input(InputEvent),
    Resize { cols: u16, rows: u16 },
    Detach,
    Action(Action),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ServerMsg {
    Welcome {
        session: String,
        /// The server took the terminal passed with the hello: frames go
        /// straight to it and it reads the keys itself.
        tty: bool,
    },
    /// Bytes for the client's terminal, already rendered.
    Output(Vec<u8>),
    /// The answer to an [`Action`]: what to print, or an error.
    ActionResult(Result<String, String>),
    /// Text the user copied, for a `copy_here` client's `copy_command`
    /// (OSC 52 still goes to its terminal as [`ServerMsg::Output`]).
    Copied(String),
    /// One of the session's events, a JSON object, for a subscriber.
    Event(String),
    Exit(ExitReason),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExitReason {
    Detached,
    /// The client should attach to this other session (session manager,
    /// `switch-session`), starting there.
    Switch(String, StartAt),
    SessionEnded,
    Killed,
    Error(String),
}

impl std::fmt::Display for ExitReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExitReason::Detached => f.write_str("detached"),
            ExitReason::Switch(to, _) => write!(f, "switched to session {to}"),
            ExitReason::SessionEnded => f.write_str("the session ended"),
            ExitReason::Killed => f.write_str("the session was killed"),
            ExitReason::Error(e) => write!(f, "server error: {e}"),
        }
    }
}

/// Input from the user's terminal, decoded by the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InputEvent {
    Key(Key),
    Paste(String),
    Mouse(Mouse),
    FocusGained,
    FocusLost,
    /// The terminal's colour scheme (CSI 2031's `CSI ? 997 ; 1|2 n`), for
    /// `theme_dark` / `theme_light`.
    ColourScheme {
        dark: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SplitDirection {
    Right,
    Down,
    /// Into the focused pane's stack (a stack of the two when it has none).
    Stacked,
}

/// A layout file's text as the CLI read it, with its path for messages.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LayoutText {
    pub path: String,
    pub text: String,
}

/// A one-shot request from the CLI.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Action {
    DumpScreen {
        full: bool,
        pane_id: Option<u32>,
        /// With colours and attributes as SGR sequences.
        ansi: bool,
    },
    WriteChars(String),
    Write(Vec<u8>),
    NewPane {
        floating: bool,
        direction: Option<SplitDirection>,
        cwd: Option<String>,
        name: Option<String>,
        command: Vec<String>,
        close_on_exit: bool,
        /// Shown behind "Press ENTER to run…" until ENTER.
        start_suspended: bool,
        /// Open this file in the editor (`revenant edit`), at this line.
        edit: Option<(String, Option<u32>)>,
    },
    ClosePane,
    /// Next (1) or previous (-1) swap layout of the focused tab.
    SwapLayout {
        step: i8,
    },
    FocusPaneId(u32),
    NewTab {
        name: Option<String>,
        layout: Option<LayoutText>,
    },
    GoToTab(u32),
    ListPanes {
        json: bool,
    },
    ListTabs {
        json: bool,
    },
    ListClients {
        json: bool,
    },
    DumpLayout,
    SaveSession,
    Detach,
    /// Stop the server (kill-session).
    Kill,
    /// Session facts for `list-sessions`.
    Info,
    /// The session's plugins: what serves each role and what it has done.
    PluginList {
        json: bool,
    },
    /// Read config.kdl and the plugin files again; answered with what
    /// changed once the new builds are loaded (or refused).
    PluginReload,
    /// Rename the session; answered once its socket and saved state moved.
    RenameSession(String),
    /// What a key bound to this action does, through the active view.
    Bound(revenant_config::Action),
    RenameTab(String),
    RenamePane(String),
    GoToTabName {
        name: String,
        /// Open a tab of that name when there is none.
        create: bool,
    },
    CurrentTabInfo {
        json: bool,
    },
    QueryTabNames,
    /// Keys for the focused pane, encoded as its program asked.
    SendKeys(Vec<Key>),
    /// Text for the focused pane, bracketed when its program asked for it.
    Paste(String),
    /// Move the active client to another (live) session.
    SwitchSession {
        name: String,
        start: StartAt,
    },
    /// Answered `true` or `false`.
    FloatingVisible {
        tab_id: Option<u32>,
    },
    /// An operation on the tab with this stable id.
    TabById {
        id: u32,
        op: TabOp,
    },
    FocusLastPane,
    SwitchMode(revenant_config::Mode),
    /// An operation on one pane (`None`: the focused one).
    PaneOp {
        pane_id: Option<u32>,
        op: PaneOp,
    },
    StackPanes(Vec<u32>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum TabOp {
    Close,
    GoTo,
    Rename(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum PaneOp {
    TogglePinned,
    SetBorderless(bool),
    ToggleBorderless,
    /// Whether snapshots keep the pane's screen (a layout's
    /// `save_contents`).
    SetSaveContents(bool),
    /// `None` leaves that colour; `reset` clears both first.
    SetColours {
        fg: Option<String>,
        bg: Option<String>,
        reset: bool,
    },
    /// Cells, or `N%` of the tab's area.
    Coordinates {
        x: Option<String>,
        y: Option<String>,
        width: Option<String>,
        height: Option<String>,
        pinned: Option<bool>,
    },
}
