//! A pane: a terminal's state, how its program was started, and what the
//! pane shows once that program is gone. The program itself (a process on
//! a PTY, or a plugin drawing a UI) is behind [`PaneIo`]: the model says
//! what to write and when to resize, the runtime does it.

use std::path::PathBuf;

use revenant_terminal::Terminal;

use crate::search::Search;
use crate::selection::Selection;
use crate::tiling::PaneId;

/// How a pane's program is started, kept to start it again.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    /// Program and arguments; empty runs the shell.
    pub argv: Vec<String>,
    pub shell: String,
    pub cwd: Option<PathBuf>,
    pub env: Vec<(String, String)>,
    pub cols: u16,
    pub rows: u16,
}

/// Input the pane's program did not take.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InputRefused {
    #[error("the program is not reading its input ({queued} bytes are waiting): {len} bytes were not sent")]
    Full { queued: usize, len: usize },
    #[error("the pane's input is closed: {0}")]
    Closed(String),
}

/// What stands behind a pane: its program, as the runtime runs it. None of
/// these may block: the thread that owns the model calls them.
pub trait PaneIo {
    /// Queues input for the program; refused whole when it has stopped
    /// reading and too much is waiting. A pane without a program takes it.
    fn write(&mut self, bytes: &[u8]) -> Result<(), InputRefused>;
    /// The pane's terminal is now this size.
    fn resize(&mut self, cols: u16, rows: u16);
    fn kill(&mut self);
    /// The foreground program's command line, while it is not the pane's
    /// own shell.
    fn foreground_command(&self) -> Option<Vec<String>>;
    /// The foreground program's current directory, as the system tells it.
    fn cwd(&self) -> Option<PathBuf>;
    /// A plugin draws this pane (there is no program or shell).
    fn is_plugin(&self) -> bool;
}

/// A pane with nothing behind it: it takes input and ignores it.
impl PaneIo for () {
    fn write(&mut self, _: &[u8]) -> Result<(), InputRefused> {
        Ok(())
    }
    fn resize(&mut self, _: u16, _: u16) {}
    fn kill(&mut self) {}
    fn foreground_command(&self) -> Option<Vec<String>> {
        None
    }
    fn cwd(&self) -> Option<PathBuf> {
        None
    }
    fn is_plugin(&self) -> bool {
        false
    }
}

pub struct Pane<Io> {
    pub id: PaneId,
    /// A name the user or layout gave; wins over the terminal's title.
    pub name: Option<String>,
    pub term: Terminal,
    /// The program behind the pane.
    pub io: Io,
    /// How the process was started, kept to re-run it.
    pub spec: Launch,
    /// Started with an explicit command (not the default shell): such a
    /// pane is held open with its exit status when the command ends.
    pub is_command: bool,
    pub close_on_exit: bool,
    /// `Some(code)` once the process ended (`None` inside: killed by a signal).
    pub exited: Option<Option<i32>>,
    /// Lines scrolled back from the bottom, per pane (scroll mode).
    pub scroll: usize,
    /// The plugin location a layout gave this pane, kept even when the
    /// plugin could not be loaded so that saving the session keeps it.
    pub plugin_location: Option<String>,
    pub plugin_configuration: Vec<(String, String)>,
    /// No frame even when pane frames are on (`borderless=true`).
    pub borderless: bool,
    /// A command not started yet (`start_suspended`, resurrection): ENTER
    /// starts it, Ctrl-c closes the pane.
    pub suspended: bool,
    /// `Some` while the pane's saved contents are replayed on another
    /// thread: the output that arrives meanwhile, to apply after them.
    pub restoring: Option<Vec<u8>>,
    /// The layout's `default_fg` / `default_bg`: what cells without a
    /// colour of their own are drawn in.
    pub default_fg: Option<revenant_layout::Colour>,
    pub default_bg: Option<revenant_layout::Colour>,
    /// The file a layout's `edit=` opened this pane on.
    pub edit: Option<String>,
    /// What a shell pane's foreground program is running (`vim notes.md`),
    /// while it is not the shell itself: the frame shows it, as Zellij's.
    pub running: Option<String>,
    /// The name before the last rename (`undo-rename-pane`).
    pub previous_name: Option<Option<String>>,
    /// Left out when the tab's input is synchronized (the layout's
    /// `exclude_from_sync`).
    pub exclude_from_sync: bool,
    /// Text selected with the mouse.
    pub selection: Option<Selection>,
    /// The scrollback search under way in this pane.
    pub search: Option<Search>,
    /// Copy mode's keyboard cursor, while the pane is in copy mode.
    pub copy: Option<crate::copy_cursor::CopyCursor>,
    /// Its program rang the bell while nobody had it focused: its frame
    /// and its tab say so until it is focused.
    pub bell: bool,
    /// The command line its shell said it is running (OSC 133 `C` with
    /// `cmdline=`), until the shell says it finished: a save offers it
    /// back whole (a loop, a pipeline), not just the foreground process.
    pub shell_command: Option<String>,
    /// Variables the command was given beyond the session's own (a saved
    /// `serialize_env`, or `env NAME=VALUE` in a layout): saved with it.
    pub env: Vec<(String, String)>,
    /// Its screen is never saved (`save_contents=false`, or the action).
    pub never_save_contents: bool,
}

impl<Io> Pane<Io> {
    pub fn new(id: PaneId, spec: Launch, scrollback: usize, io: Io) -> Self {
        Pane {
            id,
            name: None,
            term: Terminal::new(spec.cols.max(1), spec.rows.max(1), scrollback),
            io,
            is_command: !spec.argv.is_empty(),
            spec,
            close_on_exit: false,
            exited: None,
            scroll: 0,
            plugin_location: None,
            plugin_configuration: Vec::new(),
            borderless: false,
            suspended: false,
            restoring: None,
            default_fg: None,
            default_bg: None,
            edit: None,
            running: None,
            previous_name: None,
            exclude_from_sync: false,
            selection: None,
            copy: None,
            search: None,
            bell: false,
            shell_command: None,
            env: Vec::new(),
            never_save_contents: false,
        }
    }

    /// What the frame and `list-panes` call the pane.
    pub fn title(&self) -> String {
        self.title_ref().into_owned()
    }

    /// [`Pane::title`], borrowed where it can be (drawing asks every frame).
    pub fn title_ref(&self) -> std::borrow::Cow<'_, str> {
        if let Some(name) = &self.name {
            return name.as_str().into();
        }
        if let Some(title) = self.term.title().filter(|t| !t.is_empty()) {
            return title.into();
        }
        if let Some(running) = &self.running {
            return running.as_str().into();
        }
        if self.spec.argv.is_empty() {
            format!("Pane #{}", self.id).into()
        } else {
            command_title(&self.spec.argv).into()
        }
    }

    /// The command the pane was started with, if any.
    pub fn command(&self) -> Option<&[String]> {
        (!self.spec.argv.is_empty()).then_some(self.spec.argv.as_slice())
    }

    /// Scrolls back `lines` further, as far as the scrollback goes.
    pub fn scroll_up(&mut self, lines: usize) {
        self.scroll = (self.scroll + lines).min(self.term.scrollback_len());
    }

    pub fn scroll_down(&mut self, lines: usize) {
        self.scroll = self.scroll.saturating_sub(lines);
    }
}

/// What asks the program behind the pane.
impl<Io: PaneIo> Pane<Io> {
    /// The pane's current directory: its foreground process's cwd when the
    /// system tells us, else where it started.
    pub fn cwd(&self) -> Option<PathBuf> {
        self.io.cwd().or_else(|| self.spec.cwd.clone())
    }

    /// Looks up what the shell of a shell pane is running now; true when
    /// that changed. Command panes are titled by their command already.
    pub fn refresh_running(&mut self) -> bool {
        if self.is_command || self.io.is_plugin() {
            return false;
        }
        let running = self.io.foreground_command().map(|argv| command_title(&argv));
        let changed = running != self.running;
        self.running = running;
        changed
    }

    /// Gives the terminal a new size (reflowing its lines) and tells the
    /// program.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let (cols, rows) = (cols.max(1), rows.max(1));
        if (cols, rows) == (self.term.cols(), self.term.rows()) {
            return;
        }
        self.term.resize(cols, rows);
        self.spec.cols = cols;
        self.spec.rows = rows;
        self.io.resize(cols, rows);
    }

    /// Queues input for the pane's program; refused whole when the program
    /// has stopped reading and too much is waiting.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), InputRefused> {
        self.io.write(bytes)
    }

    pub fn kill(&mut self) {
        self.io.kill();
    }
}

/// A command as a frame names it: the program by its name, not the path it
/// was found at (a version manager's shim execs `…/versions/3.11.7/bin/
/// python3` for `python3`), then its arguments. The pane keeps the whole
/// argv to run; this is only its title, the same live and resurrected.
pub fn command_title(argv: &[String]) -> String {
    let Some((program, args)) = argv.split_first() else { return String::new() };
    let name = program.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or(program);
    args.iter().fold(name.to_owned(), |acc, a| acc + " " + a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fake::FakeIo;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn a_command_pane_is_titled_by_its_programs_name_as_typed() {
        let spec = Launch {
            argv: argv(&["/home/u/.pyenv/versions/3.11.7/bin/python3", "-q"]),
            shell: "/bin/sh".into(),
            cols: 20,
            rows: 5,
            ..Launch::default()
        };
        let pane = Pane::new(3, spec, 10, ());
        assert_eq!(pane.title(), "python3 -q");
        assert_eq!(
            pane.command().map(<[String]>::to_vec),
            Some(argv(&["/home/u/.pyenv/versions/3.11.7/bin/python3", "-q"]))
        );
        assert_eq!(command_title(&argv(&["python3"])), "python3");
    }

    #[test]
    fn a_shell_pane_is_titled_by_what_runs_in_it_until_named() {
        let io = FakeIo { foreground: Some(argv(&["/usr/bin/vim", "notes.md"])), ..FakeIo::default() };
        let mut pane = Pane::new(4, Launch { cols: 20, rows: 5, ..Launch::default() }, 10, io);
        assert_eq!(pane.title(), "Pane #4");
        assert!(pane.refresh_running());
        assert!(!pane.refresh_running(), "nothing changed");
        assert_eq!(pane.title(), "vim notes.md");
        pane.term.advance(b"\x1b]2;editing\x07");
        assert_eq!(pane.title(), "editing");
        pane.name = Some("notes".into());
        assert_eq!(pane.title(), "notes");
    }

    #[test]
    fn a_resize_reflows_the_terminal_and_tells_the_program_once() {
        let mut pane = Pane::new(1, Launch { cols: 10, rows: 3, ..Launch::default() }, 100, FakeIo::default());
        pane.term.advance(b"0123456789abcdef");
        pane.resize(20, 3);
        pane.resize(20, 3);
        assert_eq!(pane.io.sizes, [(20, 3)]);
        assert_eq!((pane.spec.cols, pane.spec.rows), (20, 3));
        // The line cut at 10 columns is one line again at 20.
        let row: String = pane.term.row(0).iter().map(|c| c.ch).collect();
        assert_eq!(row.trim_end(), "0123456789abcdef");
    }

    #[test]
    fn scrolling_stays_inside_the_scrollback() {
        let mut pane = Pane::new(1, Launch { cols: 10, rows: 2, ..Launch::default() }, 100, ());
        pane.term.advance(b"1\r\n2\r\n3\r\n4\r\n5");
        pane.scroll_up(100);
        assert_eq!(pane.scroll, pane.term.scrollback_len());
        pane.scroll_down(100);
        assert_eq!(pane.scroll, 0);
    }
}
