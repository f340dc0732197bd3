//! The actions a key binding can run, read from the nodes of a `bind` block.
//!
//! Names and argument spellings follow Zellij's (`SwitchToMode "pane"`,
//! `Resize "Increase Left"`, `Write 2`), including a few of its aliases, so
//! bindings copied from a Zellij config keep working where the action exists.

use kdl::{KdlEntry, KdlNode};
use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, Fault};
use crate::mode::{self, Mode};
use crate::values;
use revenant_kdl_file::suggest;

/// Where a new pane goes; `None` in [`Action::NewPane`] lets the host pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    Right,
    Down,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dir4 {
    Left,
    Right,
    Up,
    Down,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResizeKind {
    Increase,
    Decrease,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Never `SwitchToMode(Mode::RenameTab)`: entering that mode also clears
    /// the name being typed, so it parses to [`Action::BeginRenameTab`].
    SwitchToMode(Mode),
    NewPane(Option<Direction>),
    ClosePane,
    ToggleFullscreen,
    ToggleFloatingPanes,
    /// Alt-] and Alt-[: the next or previous swap layout.
    NextSwapLayout,
    PreviousSwapLayout,
    MoveFocus(Dir4),
    /// `None` grows or shrinks the focused pane on whichever side has room.
    Resize(ResizeKind, Option<Dir4>),
    NewTab,
    CloseTab,
    GoToNextTab,
    GoToPreviousTab,
    /// 1-based, as the tab bar numbers tabs.
    GoToTab(u32),
    BeginRenameTab,
    Detach,
    Quit,
    SaveSession,
    LaunchSessionManager,
    ScrollUp,
    ScrollDown,
    PageScrollUp,
    PageScrollDown,
    HalfPageScrollUp,
    HalfPageScrollDown,
    ScrollToBottom,
    ScrollToTop,
    /// Copy mode: a keyboard cursor that starts a selection where it is.
    CopyMode,
    /// Scrolls to the prompt (OSC 133) above or below the view's.
    PreviousPrompt,
    NextPrompt,
    /// Selects the output of the command nearest the view (OSC 133).
    SelectOutput,
    /// Raw bytes to the focused pane, e.g. `Write 2` for Ctrl b.
    Write(Vec<u8>),
    WriteChars(String),
    /// Focus that way, or the neighbouring tab at the edge.
    MoveFocusOrTab(Dir4),
    /// The focused pane changes places with its neighbour that way;
    /// `None`: with the next pane.
    MovePane(Option<Dir4>),
    MovePaneBackwards,
    /// The focused tab changes places with its neighbour (left or right).
    MoveTab(Dir4),
    FocusNextPane,
    FocusPreviousPane,
    TogglePaneFrames,
    TogglePaneEmbedOrFloating,
    ShowFloatingPanes,
    HideFloatingPanes,
    UndoRenameTab,
    UndoRenamePane,
    /// Clears the focused pane's screen and scrollback.
    Clear,
    /// Opens the focused pane's scrollback in the editor.
    EditScrollback,
    /// Typing goes to every pane of the tab (but `exclude_from_sync` ones).
    ToggleActiveSyncTab,
    /// The next match older (`Up`) or newer (`Down`) than the current one.
    Search(SearchDirection),
    SearchToggleOption(SearchOption),
    /// Copies the selection (to the clipboard, and `copy_command`).
    Copy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SearchDirection {
    Up,
    Down,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SearchOption {
    CaseSensitivity,
    WholeWord,
    Wrap,
}

/// Action names accepted in KDL (aliases included), for did-you-mean.
const NAMES: &[&str] = &[
    "SwitchToMode",
    "NewPane",
    "ClosePane",
    "CloseFocus",
    "ToggleFullscreen",
    "ToggleFocusFullscreen",
    "ToggleFloatingPanes",
    "NextSwapLayout",
    "PreviousSwapLayout",
    "MoveFocus",
    "Resize",
    "NewTab",
    "CloseTab",
    "GoToNextTab",
    "GoToPreviousTab",
    "GoToTab",
    "BeginRenameTab",
    "Detach",
    "Quit",
    "SaveSession",
    "LaunchSessionManager",
    "LaunchOrFocusPlugin",
    "ScrollUp",
    "ScrollDown",
    "PageScrollUp",
    "PageScrollDown",
    "HalfPageScrollUp",
    "HalfPageScrollDown",
    "ScrollToBottom",
    "ScrollToTop",
    "CopyMode",
    "PreviousPrompt",
    "NextPrompt",
    "SelectOutput",
    "Write",
    "WriteChars",
    "MoveFocusOrTab",
    "MovePane",
    "MovePaneBackwards",
    "MoveTab",
    "FocusNextPane",
    "SwitchFocus",
    "FocusPreviousPane",
    "TogglePaneFrames",
    "TogglePaneEmbedOrFloating",
    "ShowFloatingPanes",
    "HideFloatingPanes",
    "UndoRenameTab",
    "UndoRenamePane",
    "Clear",
    "EditScrollback",
    "ToggleActiveSyncTab",
    "Search",
    "SearchToggleOption",
    "Copy",
];

/// Zellij actions Revenant does not have. Saying so beats suggesting the
/// nearest spelling (`MovePane` is not a typo of `NewPane`).
const ZELLIJ_ONLY: &[&str] = &[
    "TogglePanePinned",
    "ToggleTab",
    "ToggleMouseMode",
    "TabNameInput",
    "PaneNameInput",
    "SearchInput",
    "BreakPane",
    "BreakPaneLeft",
    "BreakPaneRight",
    "Run",
    "LaunchPlugin",
    "DumpScreen",
    "ScrollUpAt",
    "ScrollDownAt",
    "Confirm",
    "Deny",
];

const SESSION_MANAGER: &[&str] = &["session-manager", "zellij:session-manager", "revenant:session-manager"];

pub(crate) fn parse(node: &KdlNode) -> Result<Action, Fault> {
    let name = values::name(node);
    values::reject_properties(node, &[], name)?;
    if name != "LaunchOrFocusPlugin" {
        values::reject_children(node, name)?;
    }
    let args = values::arguments(node);
    let bare = |action: Action| match args.first() {
        Some(extra) => Err(Fault::new(
            ErrorKind::TooManyValues,
            extra.span(),
            format!("`{name}` takes no values"),
            "unexpected value",
        )),
        None => Ok(action),
    };
    match name {
        "SwitchToMode" => {
            let entry = values::single(node, "a mode name", "SwitchToMode \"normal\"")?;
            let text = values::string(entry, name)?;
            match text.parse::<Mode>() {
                Ok(Mode::RenameTab) => Ok(Action::BeginRenameTab),
                Ok(mode) => Ok(Action::SwitchToMode(mode)),
                Err(()) => Err(mode::unknown(entry.span(), text)),
            }
        }
        "NewPane" => match args.as_slice() {
            [] => Ok(Action::NewPane(None)),
            [entry] => {
                let text = values::string(entry, name)?;
                match text.to_ascii_lowercase().as_str() {
                    "right" => Ok(Action::NewPane(Some(Direction::Right))),
                    "down" => Ok(Action::NewPane(Some(Direction::Down))),
                    _ => Err(invalid(
                        entry,
                        name,
                        text,
                        "a direction",
                        "`NewPane \"down\"`, `NewPane \"right\"` or `NewPane`",
                    )),
                }
            }
            [_, extra, ..] => Err(too_many(extra, name, args.len())),
        },
        "ClosePane" | "CloseFocus" => bare(Action::ClosePane),
        "ToggleFullscreen" | "ToggleFocusFullscreen" => bare(Action::ToggleFullscreen),
        "ToggleFloatingPanes" => bare(Action::ToggleFloatingPanes),
        "NextSwapLayout" => bare(Action::NextSwapLayout),
        "PreviousSwapLayout" => bare(Action::PreviousSwapLayout),
        "MoveFocus" => {
            let entry = values::single(node, "a direction", "MoveFocus \"left\"")?;
            let text = values::string(entry, name)?;
            let dir = dir4(text)
                .ok_or_else(|| invalid(entry, name, text, "a direction", "\"left\", \"right\", \"up\" or \"down\""))?;
            Ok(Action::MoveFocus(dir))
        }
        "Resize" => {
            let entry = values::single(node, "how to resize", "Resize \"Increase Left\"")?;
            let text = values::string(entry, name)?;
            let (kind, dir) = resize(text).ok_or_else(|| {
                invalid(
                    entry,
                    name,
                    text,
                    "how to resize",
                    "\"Increase\", \"Decrease\", or one of them and a direction, like \"Increase Left\"",
                )
            })?;
            Ok(Action::Resize(kind, dir))
        }
        "NewTab" => bare(Action::NewTab),
        "CloseTab" => bare(Action::CloseTab),
        "GoToNextTab" => bare(Action::GoToNextTab),
        "GoToPreviousTab" => bare(Action::GoToPreviousTab),
        "GoToTab" => {
            let entry = values::single(node, "a tab number", "GoToTab 1")?;
            Ok(Action::GoToTab(values::positive(entry, name)?))
        }
        "BeginRenameTab" => bare(Action::BeginRenameTab),
        "Detach" => bare(Action::Detach),
        "Quit" => bare(Action::Quit),
        "SaveSession" => bare(Action::SaveSession),
        "LaunchSessionManager" => bare(Action::LaunchSessionManager),
        "LaunchOrFocusPlugin" => launch_plugin(node, &args),
        "ScrollUp" => bare(Action::ScrollUp),
        "ScrollDown" => bare(Action::ScrollDown),
        "PageScrollUp" => bare(Action::PageScrollUp),
        "PageScrollDown" => bare(Action::PageScrollDown),
        "HalfPageScrollUp" => bare(Action::HalfPageScrollUp),
        "HalfPageScrollDown" => bare(Action::HalfPageScrollDown),
        "ScrollToBottom" => bare(Action::ScrollToBottom),
        "ScrollToTop" => bare(Action::ScrollToTop),
        "CopyMode" => bare(Action::CopyMode),
        "PreviousPrompt" => bare(Action::PreviousPrompt),
        "NextPrompt" => bare(Action::NextPrompt),
        "SelectOutput" => bare(Action::SelectOutput),
        "Write" => {
            if args.is_empty() {
                return Err(Fault::new(
                    ErrorKind::MissingValue,
                    values::name_span(node),
                    "`Write` needs at least one byte",
                    "missing bytes",
                )
                .help("for example: Write 2"));
            }
            let bytes = args.iter().map(|e| values::unsigned::<u8>(e, name)).collect::<Result<_, _>>()?;
            Ok(Action::Write(bytes))
        }
        "WriteChars" => {
            let entry = values::single(node, "a string", "WriteChars \"ls\"")?;
            Ok(Action::WriteChars(values::string(entry, name)?.to_owned()))
        }
        "MoveFocusOrTab" => {
            let entry = values::single(node, "a direction", "MoveFocusOrTab \"left\"")?;
            Ok(Action::MoveFocusOrTab(direction(entry, name)?))
        }
        "MovePane" => match args.as_slice() {
            [] => Ok(Action::MovePane(None)),
            [entry] => Ok(Action::MovePane(Some(direction(entry, name)?))),
            [_, extra, ..] => Err(too_many(extra, name, args.len())),
        },
        "MovePaneBackwards" => bare(Action::MovePaneBackwards),
        "MoveTab" => {
            let entry = values::single(node, "a direction", "MoveTab \"left\"")?;
            match direction(entry, name)? {
                d @ (Dir4::Left | Dir4::Right) => Ok(Action::MoveTab(d)),
                _ => Err(invalid(entry, name, values::string(entry, name)?, "left or right", "\"left\" or \"right\"")),
            }
        }
        "FocusNextPane" | "SwitchFocus" => bare(Action::FocusNextPane),
        "FocusPreviousPane" => bare(Action::FocusPreviousPane),
        "TogglePaneFrames" => bare(Action::TogglePaneFrames),
        "TogglePaneEmbedOrFloating" => bare(Action::TogglePaneEmbedOrFloating),
        "ShowFloatingPanes" => bare(Action::ShowFloatingPanes),
        "HideFloatingPanes" => bare(Action::HideFloatingPanes),
        "UndoRenameTab" => bare(Action::UndoRenameTab),
        "UndoRenamePane" => bare(Action::UndoRenamePane),
        "Clear" => bare(Action::Clear),
        "EditScrollback" => bare(Action::EditScrollback),
        "ToggleActiveSyncTab" => bare(Action::ToggleActiveSyncTab),
        "Copy" => bare(Action::Copy),
        "Search" => {
            let entry = values::single(node, "a direction", "Search \"up\"")?;
            let text = values::string(entry, name)?;
            match text.to_ascii_lowercase().as_str() {
                "up" => Ok(Action::Search(SearchDirection::Up)),
                "down" => Ok(Action::Search(SearchDirection::Down)),
                _ => Err(invalid(entry, name, text, "a direction", "\"up\" or \"down\"")),
            }
        }
        "SearchToggleOption" => {
            let entry = values::single(node, "an option", "SearchToggleOption \"CaseSensitivity\"")?;
            let text = values::string(entry, name)?;
            match text.to_ascii_lowercase().as_str() {
                "casesensitivity" => Ok(Action::SearchToggleOption(SearchOption::CaseSensitivity)),
                "wholeword" => Ok(Action::SearchToggleOption(SearchOption::WholeWord)),
                "wrap" => Ok(Action::SearchToggleOption(SearchOption::Wrap)),
                _ => {
                    Err(invalid(entry, name, text, "a search option", "\"CaseSensitivity\", \"WholeWord\" or \"Wrap\""))
                }
            }
        }
        _ => Err(unknown(node)),
    }
}

fn direction(entry: &KdlEntry, owner: &str) -> Result<Dir4, Fault> {
    let text = values::string(entry, owner)?;
    dir4(text).ok_or_else(|| invalid(entry, owner, text, "a direction", "\"left\", \"right\", \"up\" or \"down\""))
}

pub(crate) fn is_action_name(name: &str) -> bool {
    NAMES.contains(&name)
}

fn unknown(node: &KdlNode) -> Fault {
    let name = values::name(node);
    let fault = Fault::new(
        ErrorKind::UnknownAction,
        values::name_span(node),
        format!("unknown action `{name}`"),
        "unknown action",
    );
    if ZELLIJ_ONLY.contains(&name) {
        fault.help(format!("`{name}` is a Zellij action that Revenant does not have"))
    } else {
        fault.help(suggest::help(name, NAMES, "actions"))
    }
}

fn too_many(extra: &KdlEntry, owner: &str, count: usize) -> Fault {
    Fault::new(
        ErrorKind::TooManyValues,
        extra.span(),
        format!("`{owner}` takes one value, found {count}"),
        "unexpected value",
    )
}

fn invalid(entry: &KdlEntry, owner: &str, text: &str, what: &str, accepted: &str) -> Fault {
    Fault::new(
        ErrorKind::InvalidValue,
        entry.span(),
        format!("`{owner}`: {text:?} is not {what}"),
        format!("not {what}"),
    )
    .help(format!("use {accepted}"))
}

fn dir4(text: &str) -> Option<Dir4> {
    match text.to_ascii_lowercase().as_str() {
        "left" => Some(Dir4::Left),
        "right" => Some(Dir4::Right),
        "up" => Some(Dir4::Up),
        "down" => Some(Dir4::Down),
        _ => None,
    }
}

/// `"Increase"`, `"Decrease Left"`, or a bare direction, which Zellij reads
/// as growing that way.
fn resize(text: &str) -> Option<(ResizeKind, Option<Dir4>)> {
    let kind = |w: &str| match w.to_ascii_lowercase().as_str() {
        "increase" | "+" => Some(ResizeKind::Increase),
        "decrease" | "-" => Some(ResizeKind::Decrease),
        _ => None,
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        [one] => kind(one).map(|k| (k, None)).or_else(|| dir4(one).map(|d| (ResizeKind::Increase, Some(d)))),
        [k, d] => Some((kind(k)?, Some(dir4(d)?))),
        _ => None,
    }
}

/// Only the session manager can be launched from a key: the other plugin
/// slots are not UIs. Zellij's `floating` and `move_to_focused_tab` children
/// are accepted and ignored because the session manager always floats over
/// the focused tab.
fn launch_plugin(node: &KdlNode, args: &[&KdlEntry]) -> Result<Action, Fault> {
    let name = values::name(node);
    let entry = match args {
        [] => {
            return Err(Fault::new(
                ErrorKind::MissingValue,
                values::name_span(node),
                "`LaunchOrFocusPlugin` needs a plugin",
                "missing plugin",
            )
            .help("for example: LaunchOrFocusPlugin \"session-manager\""));
        }
        [one] => *one,
        [_, extra, ..] => return Err(too_many(extra, name, args.len())),
    };
    let plugin = values::string(entry, name)?;
    if !SESSION_MANAGER.contains(&plugin) {
        return Err(Fault::new(
            ErrorKind::InvalidValue,
            entry.span(),
            format!("`LaunchOrFocusPlugin` cannot launch {plugin:?}"),
            "not the session manager",
        )
        .help(
            "only the session manager can be launched from a key: \"session-manager\" or \"zellij:session-manager\"",
        ));
    }
    if let Some(children) = node.children() {
        for child in children.nodes() {
            let key = values::name(child);
            if !["floating", "move_to_focused_tab"].contains(&key) {
                return Err(Fault::new(
                    ErrorKind::UnknownOption,
                    values::name_span(child),
                    format!("unknown `LaunchOrFocusPlugin` option `{key}`"),
                    "unknown option",
                )
                .help(suggest::help(key, &["floating", "move_to_focused_tab"], "its options")));
            }
            let value = values::single(child, "a boolean", &format!("{key} true"))?;
            values::boolean(value, key)?;
        }
    }
    Ok(Action::LaunchSessionManager)
}

impl Action {
    /// The word the status bar shows next to a key. Directions are left out
    /// so that the four focus keys share one hint.
    pub(crate) fn hint_label(&self, mode: Mode) -> &'static str {
        match self {
            Action::SwitchToMode(Mode::Normal) if mode == Mode::Locked => "unlock",
            Action::SwitchToMode(Mode::Normal) => "back",
            Action::SwitchToMode(Mode::Locked) => "lock",
            Action::SwitchToMode(Mode::EnterSearch) => "search",
            Action::SwitchToMode(other) => other.name(),
            Action::NewPane(None) => "new",
            Action::NewPane(Some(Direction::Down)) => "split down",
            Action::NewPane(Some(Direction::Right)) => "split right",
            Action::ClosePane | Action::CloseTab => "close",
            Action::ToggleFullscreen => "fullscreen",
            Action::ToggleFloatingPanes => "floating",
            Action::NextSwapLayout | Action::PreviousSwapLayout => "swap layout",
            Action::MoveFocus(_) => "focus",
            Action::Resize(ResizeKind::Increase, _) => "increase",
            Action::Resize(ResizeKind::Decrease, _) => "decrease",
            Action::NewTab => "new",
            Action::GoToNextTab => "next",
            Action::GoToPreviousTab => "previous",
            Action::GoToTab(_) => "go to",
            Action::BeginRenameTab => "rename",
            Action::Detach => "detach",
            Action::Quit => "quit",
            Action::SaveSession => "save",
            Action::LaunchSessionManager => "sessions",
            Action::ScrollUp | Action::ScrollDown => "scroll",
            Action::PageScrollUp | Action::PageScrollDown => "page",
            Action::HalfPageScrollUp | Action::HalfPageScrollDown => "half page",
            Action::ScrollToBottom => "bottom",
            Action::ScrollToTop => "top",
            Action::CopyMode => "copy",
            Action::PreviousPrompt | Action::NextPrompt => "prompt",
            Action::SelectOutput => "output",
            Action::Write(_) | Action::WriteChars(_) => "send",
            Action::MoveFocusOrTab(_) => "focus",
            Action::MovePane(_) | Action::MovePaneBackwards => "move",
            Action::MoveTab(_) => "move",
            Action::FocusNextPane => "next",
            Action::FocusPreviousPane => "previous",
            Action::TogglePaneFrames => "frames",
            Action::TogglePaneEmbedOrFloating => "embed",
            Action::ShowFloatingPanes | Action::HideFloatingPanes => "floating",
            Action::UndoRenameTab | Action::UndoRenamePane => "undo rename",
            Action::Clear => "clear",
            Action::EditScrollback => "edit",
            Action::ToggleActiveSyncTab => "sync",
            Action::Search(SearchDirection::Up) => "previous",
            Action::Search(SearchDirection::Down) => "next",
            Action::SearchToggleOption(SearchOption::CaseSensitivity) => "case",
            Action::SearchToggleOption(SearchOption::WholeWord) => "whole word",
            Action::SearchToggleOption(SearchOption::Wrap) => "wrap",
            Action::Copy => "copy",
        }
    }
}

#[cfg(test)]
#[path = "actions_tests.rs"]
mod tests;
