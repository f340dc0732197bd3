//! A pane: a terminal's state and the process on its PTY, plus what the
//! pane shows once that process is gone.

use std::path::PathBuf;

use revenant_terminal::Terminal;

use crate::pty::{Pty, PtySpec};
use crate::tiling::PaneId;

pub struct Pane {
    pub id: PaneId,
    /// A name the user or layout gave; wins over the terminal's title.
    pub name: Option<String>,
    pub term: Terminal,
    pub pty: Option<Pty>,
    /// How the process was started, kept to re-run it.
    pub spec: PtySpec,
    /// Started with an explicit command (not the default shell): such a
    /// pane is held open with its exit status when the command ends.
    pub is_command: bool,
    pub close_on_exit: bool,
    /// `Some(code)` once the process ended (`None` inside: killed by a signal).
    pub exited: Option<Option<i32>>,
    /// Lines scrolled back from the bottom, per pane (scroll mode).
    pub scroll: usize,
    /// Set for a pane that runs a UI plugin instead of a program.
    pub plugin: Option<super::ui_pane::UiPane>,
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
    pub selection: Option<super::selection::Selection>,
    /// The scrollback search under way in this pane.
    pub search: Option<super::search::Search>,
}

impl Pane {
    pub fn new(id: PaneId, spec: PtySpec, scrollback: usize) -> Self {
        Pane {
            id,
            name: None,
            term: Terminal::new(spec.cols.max(1), spec.rows.max(1), scrollback),
            pty: None,
            is_command: !spec.argv.is_empty(),
            spec,
            close_on_exit: false,
            exited: None,
            scroll: 0,
            plugin: None,
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
            search: None,
        }
    }

    pub fn new_plugin(id: PaneId, plugin: super::ui_pane::UiPane) -> Self {
        let mut pane = Pane::new(id, PtySpec { cols: 40, rows: 10, ..PtySpec::default() }, 0);
        pane.name = Some("Session Manager".into());
        pane.plugin_location = Some(plugin.location.clone());
        pane.plugin = Some(plugin);
        pane
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

    /// The pane's current directory: its foreground process's cwd when the
    /// system tells us, else where it started.
    pub fn cwd(&self) -> Option<PathBuf> {
        let live = self.pty.as_ref().and_then(|p| p.foreground_pid().or(p.pid()));
        live.and_then(|pid| std::fs::read_link(format!("/proc/{pid}/cwd")).ok()).or_else(|| self.spec.cwd.clone())
    }

    /// Looks up what the shell of a shell pane is running now; true when
    /// that changed. Command panes are titled by their command already.
    pub fn refresh_running(&mut self) -> bool {
        if self.is_command || self.plugin.is_some() {
            return false;
        }
        let running = self.pty.as_ref().and_then(|pty| {
            let fg = pty.foreground_pid()?;
            (Some(fg) != pty.pid()).then(|| crate::proc_info::cmdline(fg)).flatten().map(|argv| command_title(&argv))
        });
        let changed = running != self.running;
        self.running = running;
        changed
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        let (cols, rows) = (cols.max(1), rows.max(1));
        if (cols, rows) == (self.term.cols(), self.term.rows()) {
            return;
        }
        self.term.resize(cols, rows);
        self.spec.cols = cols;
        self.spec.rows = rows;
        if let Some(pty) = &self.pty {
            pty.resize(cols, rows);
        }
    }

    /// Queues input for the pane's program; refused whole when the program
    /// has stopped reading and too much is waiting.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), crate::pty_writer::InputRefused> {
        let Some(pty) = &self.pty else { return Ok(()) };
        pty.write(bytes).inspect_err(|e| tracing::debug!(pane = self.id, "input refused: {e}"))
    }

    pub fn kill(&mut self) {
        if let Some(pty) = &mut self.pty {
            pty.kill();
        }
    }
}

/// A command as a frame names it: the program by its name, not the path it
/// was found at (a version manager's shim execs `…/versions/3.11.7/bin/
/// python3` for `python3`), then its arguments. The pane keeps the whole
/// argv to run; this is only its title, the same live and resurrected.
fn command_title(argv: &[String]) -> String {
    let Some((program, args)) = argv.split_first() else { return String::new() };
    let name = program.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or(program);
    args.iter().fold(name.to_owned(), |acc, a| acc + " " + a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_pane_is_titled_by_its_programs_name_as_typed() {
        let argv = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let spec = PtySpec {
            argv: argv(&["/home/u/.pyenv/versions/3.11.7/bin/python3", "-q"]),
            shell: "/bin/sh".into(),
            cwd: None,
            env: Vec::new(),
            cols: 20,
            rows: 5,
        };
        let pane = Pane::new(3, spec, 10);
        assert_eq!(pane.title(), "python3 -q");
        assert_eq!(
            pane.command().map(<[String]>::to_vec),
            Some(argv(&["/home/u/.pyenv/versions/3.11.7/bin/python3", "-q"]))
        );
        assert_eq!(command_title(&argv(&["python3"])), "python3");
    }
}
