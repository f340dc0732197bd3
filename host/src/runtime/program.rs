//! What runs behind a pane on the server: a process on a PTY, or a UI
//! plugin on a thread of its own. The model reaches either through
//! [`PaneIo`]; the runtime's panes and session are the model's, with this
//! behind each pane.

use std::path::PathBuf;

use revenant_session::{InputRefused, Launch, PaneIo};

use crate::pty::Pty;
use revenant_session::tiling::PaneId;

use super::ui::UiPane;

pub type Pane = revenant_session::Pane<Program>;
pub type Session = revenant_session::Session<Program>;

#[derive(Default)]
pub struct Program {
    /// The process, once started (a held command has none yet, and an
    /// exited one none any more).
    pub pty: Option<Pty>,
    /// Set for a pane that runs a UI plugin instead of a program.
    pub plugin: Option<UiPane>,
}

impl PaneIo for Program {
    fn write(&mut self, bytes: &[u8]) -> Result<(), InputRefused> {
        let Some(pty) = &self.pty else { return Ok(()) };
        pty.write(bytes).inspect_err(|e| tracing::debug!("input refused: {e}"))
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        if let Some(pty) = &self.pty {
            pty.resize(cols, rows);
        }
    }

    fn kill(&mut self) {
        if let Some(pty) = &mut self.pty {
            pty.kill();
        }
    }

    fn foreground_command(&self) -> Option<Vec<String>> {
        let pty = self.pty.as_ref()?;
        let fg = pty.foreground_pid()?;
        (Some(fg) != pty.pid()).then(|| crate::proc_info::cmdline(fg)).flatten()
    }

    fn cwd(&self) -> Option<PathBuf> {
        let pid = self.pty.as_ref().and_then(|p| p.foreground_pid().or(p.pid()))?;
        std::fs::read_link(format!("/proc/{pid}/cwd")).ok()
    }

    fn is_plugin(&self) -> bool {
        self.plugin.is_some()
    }
}

/// A pane that a UI plugin draws.
pub fn plugin_pane(id: PaneId, plugin: UiPane) -> Pane {
    let launch = Launch { cols: 40, rows: 10, ..Launch::default() };
    let mut pane = Pane::new(id, launch, 0, Program::default());
    pane.name = Some("Session Manager".into());
    pane.plugin_location = Some(plugin.location.clone());
    pane.io.plugin = Some(plugin);
    pane
}

/// What runs in a pane, as it should be saved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Found {
    pub argv: Option<Vec<String>>,
    pub cwd: Option<PathBuf>,
}

/// What the system says runs in the pane before any plugin has a say:
/// `(found, the foreground pid to tell the plugin about)`. A shell at its
/// prompt has no command; a pane whose process is not running (held back,
/// exited) keeps the command it was given.
pub(super) fn probe(pane: &Pane) -> (Found, Option<u32>) {
    let given = Found { argv: pane.command().map(<[String]>::to_vec), cwd: pane.spec.cwd.clone() };
    let Some(pty) = &pane.io.pty else { return (given, None) };
    let Some(child) = pty.pid() else { return (given, None) };
    let fg = pty.foreground_pid().unwrap_or(child);
    if fg == child && !pane.is_command {
        return (Found { argv: None, cwd: crate::proc_info::cwd(child).or(given.cwd) }, None);
    }
    match crate::proc_info::cmdline(fg) {
        Some(argv) => {
            let argv = whole_command(pane, child, argv);
            (Found { argv: Some(argv), cwd: crate::proc_info::cwd(fg).or(given.cwd) }, Some(fg))
        }
        // Gone between the two reads: what the pane was started with.
        None => (given, None),
    }
}

/// What a shell with OSC 133 integration said it runs, when that is more
/// than its foreground process (`for …; do …; done`, `a | b`): the shell
/// runs it again with `-c`. A plain command stays the process's own argv.
fn whole_command(pane: &Pane, shell: u32, foreground: Vec<String>) -> Vec<String> {
    let Some(line) = pane.shell_command.as_deref().filter(|l| !l.trim().is_empty()) else { return foreground };
    if shell_words::split(line).is_ok_and(|words| words == foreground) {
        return foreground;
    }
    let program = crate::proc_info::cmdline(shell)
        .and_then(|argv| argv.into_iter().next())
        .map(|p| p.trim_start_matches('-').to_owned())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "sh".into());
    vec![program, "-c".into(), line.to_owned()]
}

/// The command a pane runs now, as the system tells it (no plugin).
pub(super) fn running_command(pane: &Pane) -> Option<Vec<String>> {
    probe(pane).0.argv
}
