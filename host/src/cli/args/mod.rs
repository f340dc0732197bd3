//! The command line: Zellij's verbs, parsed with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

mod action;

pub use action::{ActionCommand, FocusDir, ResizeHow, TabDir};

#[derive(Parser)]
#[command(name = "revenant", version, about = "A terminal multiplexer whose sessions survive their server")]
pub struct Cli {
    /// The session to create, or to address with `action`.
    #[arg(short = 's', long = "session", global = true)]
    pub session: Option<String>,
    /// Log at debug level (logs go to the cache dir, never the terminal).
    #[arg(long, global = true)]
    pub debug: bool,
    /// The new session's layout: a file, or a name looked up in `layout_dir`
    /// and then among the built-in layouts.
    #[arg(short = 'l', long, value_name = "NAME|PATH")]
    pub layout: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// List sessions, newest first.
    #[command(visible_alias = "ls")]
    ListSessions {
        /// Names only.
        #[arg(long)]
        short: bool,
        /// No colours.
        #[arg(long, short = 'n')]
        no_formatting: bool,
        /// One JSON array.
        #[arg(long)]
        json: bool,
        /// Oldest first.
        #[arg(short = 'r', long)]
        reverse: bool,
        /// Also every host of config.kdl's `hosts` block.
        #[arg(short = 'a', long, conflicts_with = "host")]
        all: bool,
        /// Another host's sessions: `ssh://[user@]host[:port]`.
        #[arg(value_name = "ssh://HOST")]
        host: Option<String>,
    },
    /// Attach to a session.
    #[command(visible_alias = "a")]
    Attach(AttachArgs),
    /// Stop a session's server.
    #[command(visible_alias = "k")]
    KillSession { name: String },
    /// Stop every session's server.
    #[command(visible_alias = "ka")]
    KillAllSessions {
        /// Do not ask.
        #[arg(short = 'y', long)]
        yes: bool,
    },
    /// Delete a session's saved state.
    #[command(visible_alias = "d")]
    DeleteSession {
        name: String,
        /// Kill the session first if it is running.
        #[arg(long)]
        force: bool,
    },
    /// Delete every session's saved state.
    #[command(visible_alias = "da")]
    DeleteAllSessions {
        #[arg(short = 'y', long)]
        yes: bool,
        #[arg(long)]
        force: bool,
    },
    /// Attach read-only: your input is ignored.
    Watch { name: String },
    /// Print the session's events as they happen (`-s NAME`, else the one
    /// it runs in): panes opened, closed, exited (with code), retitled,
    /// bells, notifications, saves.
    Subscribe {
        /// One JSON object a line.
        #[arg(long)]
        json: bool,
    },
    /// List a session's timeline of saved generations, newest first: id,
    /// when, size, what it holds, and which retention rule keeps it.
    /// `attach NAME --snapshot ID` resurrects one; `snapshots diff NAME A
    /// B` compares two.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Snapshots {
        #[command(subcommand)]
        compare: Option<SnapshotsCommand>,
        #[arg(required = true)]
        name: Option<String>,
        /// One JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Bring exited sessions back in the background, as `attach -b NAME`
    /// does for one: the named ones, every one (`--all`), or those
    /// config.kdl's `resurrect_on_boot` names (`--boot`, what the login
    /// unit of `setup --systemd` runs).
    Resurrect {
        #[arg(required_unless_present_any = ["all", "boot"], conflicts_with_all = ["all", "boot"])]
        names: Vec<String>,
        #[arg(long, conflicts_with = "boot")]
        all: bool,
        #[arg(long)]
        boot: bool,
    },
    /// Run a command in a new pane of a session (`-s NAME`, else
    /// `$REVENANT_SESSION_NAME`); prints the pane's id.
    Run(RunArgs),
    /// Open FILE in the editor, in a new pane of a session (`-s NAME`, else
    /// `$REVENANT_SESSION_NAME`); prints the pane's id.
    Edit(EditArgs),
    /// Act on a session (`-s NAME`, else `$REVENANT_SESSION_NAME`).
    Action {
        #[command(subcommand)]
        action: ActionCommand,
    },
    /// Work with WASM component plugins.
    Plugin {
        #[command(subcommand)]
        command: PluginCommand,
    },
    /// Work with layout files.
    Layout {
        #[command(subcommand)]
        command: LayoutCommand,
    },
    /// Configuration helpers.
    Setup(SetupArgs),
    /// Run a session server (started by revenant itself).
    #[command(name = "__server", hide = true)]
    Server(ServerArgs),
    /// Serve sessions to a browser over HTTPS (`revenant web --help`).
    #[command(disable_help_flag = true)]
    Web {
        /// `[--bind ADDR] [--cert F --key F] [--status|--stop]`, or
        /// `token create|list|revoke`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// The far end of an ssh link (started by another host's revenant).
    #[command(name = "__bridge", hide = true)]
    Bridge {
        /// The protocol the other side speaks.
        #[arg(long)]
        protocol: u16,
        /// `attach [ATTACH ARGS]`, `watch NAME` or `exec -- ARGS`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        op: Vec<String>,
    },
}

#[derive(Args)]
pub struct AttachArgs {
    /// The session, or a unique beginning of a live session's name;
    /// without it, the only live session (several are listed).
    #[arg(index = 1)]
    pub name: Option<String>,
    /// The session at this position of `revenant ls` (0 is the first).
    #[arg(long, conflicts_with = "name", value_name = "N")]
    pub index: Option<usize>,
    /// Create the session if it does not exist.
    #[arg(short = 'c', long)]
    pub create: bool,
    /// Create the session in the background, without attaching.
    #[arg(short = 'b', long)]
    pub create_background: bool,
    /// Size of a background session.
    #[arg(long, value_parser = parse_size, default_value = "120x40")]
    pub size: (u16, u16),
    /// The layout of a session this creates (a file or a name).
    #[arg(short = 'l', long, value_name = "NAME|PATH")]
    pub layout: Option<String>,
    /// Run the commands of a resurrected session (or of a layout's
    /// `start_suspended` panes) right away instead of waiting for ENTER.
    #[arg(short = 'f', long)]
    pub force_run_commands: bool,
    /// Resurrect from this generation (see `revenant snapshots NAME`)
    /// instead of the latest.
    #[arg(long, value_name = "ID")]
    pub snapshot: Option<String>,
    /// For an `https://HOST[:PORT]/NAME` session: a file holding the login
    /// token (else $REVENANT_WEB_TOKEN, else it is asked for).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// A command for the new session's first pane.
    #[arg(last = true, index = 2)]
    pub command: Vec<String>,
}

#[derive(Args)]
pub struct RunArgs {
    /// Float the pane.
    #[arg(short, long)]
    pub floating: bool,
    /// Split the focused pane this way.
    #[arg(short, long, value_parser = ["right", "down"])]
    pub direction: Option<String>,
    /// Where the command starts (default: the focused pane's directory).
    #[arg(long)]
    pub cwd: Option<PathBuf>,
    /// The pane's name.
    #[arg(short, long)]
    pub name: Option<String>,
    /// Close the pane when the command exits (else it stays with its exit
    /// status, for ENTER to re-run).
    #[arg(short, long)]
    pub close_on_exit: bool,
    /// Wait behind "Press ENTER to run…" before starting.
    #[arg(long)]
    pub start_suspended: bool,
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(Args)]
pub struct EditArgs {
    pub file: PathBuf,
    /// Open at this line.
    #[arg(short, long, value_name = "N")]
    pub line: Option<u32>,
    /// Float the pane.
    #[arg(short, long)]
    pub floating: bool,
    /// Split the focused pane this way.
    #[arg(short, long, value_parser = ["right", "down"])]
    pub direction: Option<String>,
}

#[derive(Subcommand)]
pub enum LayoutCommand {
    /// Parse and check a layout; print its tabs and panes with their computed
    /// positions and sizes (a built-in layout's name works too).
    Check {
        path: String,
        /// The area the panes are laid out in.
        #[arg(long, value_parser = parse_size, default_value = "120x40")]
        size: (u16, u16),
        /// Fail on warnings too (a layout that does not fit the size, a
        /// setting that is parsed but not applied).
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Subcommand)]
pub enum PluginCommand {
    /// Load a component as a session would, make one test call, and print
    /// its world (first line), contract version and the time each step took;
    /// or what does not match.
    Check { path: PathBuf },
    /// What serves each plugin role: location, world, contract version,
    /// state, calls and their cost, memory, grants, last error. With `-s`,
    /// in that running session; without, what config.kdl configures
    /// (each plugin loaded and checked here).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Make running sessions read config.kdl and their plugin files again
    /// now (they also do by themselves when the files change): `-s` for one
    /// session, else every live one. Prints what changed.
    Reload,
}

#[derive(Args)]
pub struct SetupArgs {
    /// Print the documented default configuration.
    #[arg(long)]
    pub dump_config: bool,
    /// Check the user's configuration file.
    #[arg(long)]
    pub check: bool,
    /// Print a built-in layout (default, compact, classic, splits, welcome).
    #[arg(long, value_name = "NAME")]
    pub dump_layout: Option<String>,
    /// Print a theme as a Zellij `themes { NAME { ... } }` block: a built-in
    /// one (default, dracula, gruvbox-dark, nord, ...) or one of yours.
    #[arg(long, value_name = "NAME")]
    pub dump_theme: Option<String>,
    /// Print a completion script for this shell (`source <(revenant setup
    /// --generate-completion bash)`); it completes session and layout names
    /// too.
    #[arg(long, value_name = "SHELL")]
    pub generate_completion: Option<CompletionShell>,
    /// Print the lines that make this shell mark its prompts and commands
    /// (OSC 133) for `revenant subscribe` (bash, zsh or fish).
    #[arg(long, value_name = "SHELL", value_parser = ["bash", "zsh", "fish"])]
    pub shell_integration: Option<String>,
    /// Write a systemd user unit that runs `revenant resurrect --boot` at
    /// login, and print how to enable it.
    #[arg(long)]
    pub systemd: bool,
    /// Write man pages (revenant.1 and one per subcommand) into DIR.
    #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = ".")]
    pub generate_man: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

impl CompletionShell {
    pub fn as_str(self) -> &'static str {
        match self {
            CompletionShell::Bash => "bash",
            CompletionShell::Zsh => "zsh",
            CompletionShell::Fish => "fish",
            CompletionShell::Elvish => "elvish",
            CompletionShell::Powershell => "powershell",
        }
    }
}

#[derive(Subcommand)]
pub enum SnapshotsCommand {
    /// Which tabs, panes, commands and cwds differ from generation A to
    /// generation B (ids from `revenant snapshots NAME`).
    Diff {
        name: String,
        a: String,
        b: String,
        /// One JSON array of lines.
        #[arg(long)]
        json: bool,
    },
}

/// A server's own command line (`revenant __server ...`), parsed without
/// building the user's command tree: clap builds every subcommand and
/// `action`'s many verbs before it parses, which was most of a process
/// start's own time, and every session start and resurrection pays it.
#[derive(Parser)]
#[command(name = "revenant __server")]
pub struct ServerCli {
    #[arg(long)]
    pub debug: bool,
    #[command(flatten)]
    pub args: ServerArgs,
}

#[derive(Args)]
pub struct ServerArgs {
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub socket_dir: PathBuf,
    #[arg(long, value_parser = parse_size)]
    pub size: (u16, u16),
    #[arg(long)]
    pub layout: Option<String>,
    #[arg(long)]
    pub force_run_commands: bool,
    #[arg(last = true)]
    pub command: Vec<String>,
}

fn parse_size(s: &str) -> Result<(u16, u16), String> {
    let (c, r) = s.split_once('x').ok_or_else(|| format!("`{s}` is not COLSxROWS"))?;
    let c: u16 = c.parse().map_err(|_| format!("`{c}` is not a number of columns"))?;
    let r: u16 = r.parse().map_err(|_| format!("`{r}` is not a number of rows"))?;
    if c < 1 || r < 1 {
        return Err(format!("{s} is too small (at least 1x1)"));
    }
    if !crate::term_size::within(c, r) {
        return Err(format!(
            "{s} is too large (at most {} columns or rows, and {} cells, as 1024x1024)",
            crate::term_size::MAX_SIDE,
            crate::term_size::MAX_CELLS
        ));
    }
    Ok((c, r))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn every_action_says_what_it_does_in_help() {
        let cli = super::Cli::command();
        let action = cli.find_subcommand("action").expect("the action verb");
        let silent: Vec<&str> =
            action.get_subcommands().filter(|c| c.get_about().is_none()).map(|c| c.get_name()).collect();
        assert!(silent.is_empty(), "no description in `revenant action --help`: {silent:?}");
    }
}
