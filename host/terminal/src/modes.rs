//! Terminal modes: the ones a host needs to read (how to encode keys, mouse and
//! paste for the application) and the ones that only steer this crate's own
//! behaviour. Switching them (SM/RM, DECSET/DECRST) is `mode_switch`.

/// Which mouse events the application asked for. Only one is active at a time:
/// enabling one replaces the previous, as in xterm.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Hash)]
pub enum MouseMode {
    #[default]
    None,
    /// `?9`, X10: presses only.
    Press,
    /// `?1000`: presses and releases.
    PressRelease,
    /// `?1002`: also motion while a button is held.
    ButtonMotion,
    /// `?1003`: all motion.
    AnyMotion,
}

/// What the host must know to translate user input for the application.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Hash)]
pub struct Modes {
    pub mouse: MouseMode,
    /// `?1006`: report mouse events as `CSI < … M/m` instead of raw bytes.
    pub sgr_mouse: bool,
    /// `?2004`: wrap pasted text in `CSI 200 ~` … `CSI 201 ~`.
    pub bracketed_paste: bool,
    /// DECCKM `?1`: arrow keys send `ESC O A` rather than `CSI A`.
    pub application_cursor: bool,
    /// DECKPAM (`ESC =`, or `?66`): the keypad sends application sequences.
    pub application_keypad: bool,
    pub alt_screen: bool,
    /// `?1004`: send `CSI I` / `CSI O` when the pane gains or loses focus.
    pub focus_events: bool,
    /// The kitty keyboard protocol's enhancement flags in force on the
    /// current screen (0: legacy encoding): 1 disambiguate escape codes,
    /// 2 report event types, 4 report alternate keys, 8 report all keys as
    /// escape codes, 16 report associated text.
    pub kitty_keyboard: u8,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub struct CursorState {
    pub col: u16,
    pub row: u16,
    pub visible: bool,
}

/// Modes that change how this crate interprets output, not how the host talks
/// to the application.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct EditModes {
    /// DECAWM `?7`.
    pub(crate) autowrap: bool,
    /// DECOM `?6`: row addresses are relative to the scroll region.
    pub(crate) origin: bool,
    /// IRM `4`: printing shifts the rest of the line right.
    pub(crate) insert: bool,
    /// LNM `20`: LF also returns the carriage.
    pub(crate) newline: bool,
    /// DECTCEM `?25`.
    pub(crate) cursor_visible: bool,
}

impl Default for EditModes {
    fn default() -> EditModes {
        EditModes { autowrap: true, origin: false, insert: false, newline: false, cursor_visible: true }
    }
}
