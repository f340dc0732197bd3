//! What each command-line verb does.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use revenant_config::Config;

use crate::cli::args::{AttachArgs, SetupArgs};
use crate::config_files::{config_path, layout_dir, load_config};
use crate::ipc::{ExitReason, Role};
use crate::registry::{self, ServerLaunch, names};
use crate::{client, paths, store};

pub(crate) fn socket_dir() -> Result<PathBuf> {
    let dir = paths::socket_dir();
    paths::ensure_private_dir(&dir).with_context(|| format!("cannot use socket dir {}", dir.display()))?;
    Ok(dir)
}

/// The layout a new session starts from: `--layout`, else the config's
/// `default_layout`, else the built-in `default`. A broken layout is
/// reported with its source line underlined.
pub fn session_layout(spec: Option<&str>, config: &Config) -> Result<revenant_layout::Layout> {
    let spec = spec.or(config.default_layout.as_deref()).unwrap_or("default");
    load_layout(spec, config)
}

fn load_layout(spec: &str, config: &Config) -> Result<revenant_layout::Layout> {
    crate::layouts::load(spec, &layout_dir(config)).map_err(|e| {
        if let crate::layouts::LoadError::Invalid(invalid) = &e
            && std::io::stderr().is_terminal()
        {
            return render_report(invalid);
        }
        anyhow!("{e}")
    })
}

/// What the server is told to load: a path made absolute (the server may
/// not share our idea of `.`), or the name as given.
fn layout_arg(spec: Option<String>) -> Option<String> {
    spec.map(|s| {
        let p = Path::new(&s);
        if s.contains('/') || s.ends_with(".kdl") || p.is_file() {
            std::path::absolute(p).map(|a| a.display().to_string()).unwrap_or(s)
        } else {
            s
        }
    })
}

/// `revenant [-s NAME] [-l LAYOUT]`: a new session, attached.
pub fn new_session(name: Option<String>, layout: Option<String>, command: &[String], debug: bool) -> Result<()> {
    // Check the layout here, where its errors can be shown, before a
    // server is started for it.
    session_layout(layout.as_deref(), &load_config()?)?;
    let dir = socket_dir()?;
    let name = match name {
        Some(n) => n,
        None => names::generate(&registry::taken_names(&dir)),
    };
    names::validate(&name, &dir)?;
    if registry::is_live(&dir, &name) {
        bail!("session `{name}` already exists: attach with `revenant attach {name}`");
    }
    if let Some(saved) = store::saved(&name) {
        refuse_unreadable(&saved)?;
        // Starting afresh under this name would overwrite its snapshot.
        bail!(
            "session `{name}` exited and can be resurrected: `revenant attach {name}` (or delete it first: `revenant delete-session {name}`)"
        );
    }
    let (cols, rows) = crossterm::terminal::size().unwrap_or((120, 40));
    let layout = layout_arg(layout);
    registry::launch(&ServerLaunch {
        name: &name,
        socket_dir: &dir,
        cols,
        rows,
        command,
        debug,
        layout: layout.as_deref(),
        force_run: false,
    })?;
    run_client(&dir, &name, Role::Attach)
}

fn run_client(dir: &Path, name: &str, role: Role) -> Result<()> {
    run_client_at(Box::new(client::LocalSessions(dir.to_owned())), name, role)
}

/// The attached client, wherever `endpoint` reaches the session (and
/// wherever the session manager sends it next).
pub fn run_client_at(endpoint: Box<dyn client::Endpoint>, name: &str, role: Role) -> Result<()> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        bail!("attaching needs a terminal (use `attach -b` to start a session in the background)");
    }
    let (name, reason) = client::attach(endpoint, &crate::remote::sessions::route, name, role)?;
    match reason {
        ExitReason::Switch(..) => {}
        ExitReason::Detached => println!("[detached from session {name}]"),
        ExitReason::SessionEnded => println!("[session {name} ended]"),
        ExitReason::Killed => println!("[session {name} was killed]"),
        ExitReason::Error(e) => bail!("{e}"),
    }
    Ok(())
}

/// `attach -b NAME` at the default size: resurrects an exited session, or
/// creates one (from `layout`, if given).
pub(crate) fn background(name: &str, layout: Option<String>) -> AttachArgs {
    AttachArgs {
        name: Some(name.to_owned()),
        index: None,
        create: false,
        create_background: true,
        size: (120, 40),
        layout,
        force_run_commands: false,
        snapshot: None,
        token_file: None,
        command: Vec::new(),
    }
}

pub fn attach(args: AttachArgs, debug: bool) -> Result<()> {
    let background = args.create_background;
    let (dir, name) = prepare_attach(args, debug)?;
    if background {
        return Ok(());
    }
    run_client(&dir, &name, Role::Attach)
}

/// What `attach` does before a client connects: finds the session (or a
/// unique beginning of its name), creates or resurrects it as asked. The
/// socket dir and the session's name; its server is running.
pub fn prepare_attach(args: AttachArgs, debug: bool) -> Result<(PathBuf, String)> {
    let dir = socket_dir()?;
    let live = registry::live_sessions(&dir);
    let creating = args.create || args.create_background;
    let name = match (args.name.clone(), args.index) {
        (_, Some(i)) => {
            let all = registry::all_sessions(&dir, None);
            let names: Vec<String> = all.iter().map(|s| s.name().to_owned()).collect();
            names.get(i).cloned().ok_or_else(|| match names.len() {
                0 => anyhow!("there are no sessions, so no session {i}"),
                n => anyhow!("there is no session {i}: `revenant ls` lists {n} (0 to {})", n - 1),
            })?
        }
        (Some(n), None) if creating => n,
        (Some(n), None) => resolve_prefix(n, &live)?,
        (None, None) if creating => names::generate(&registry::taken_names(&dir)),
        (None, None) => match live.as_slice() {
            [] => bail!("no live sessions to attach to"),
            [only] => only.name.clone(),
            several => bail!(
                "several sessions are running; name one (or a unique beginning of its name), or use --index N: {}",
                several.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
            ),
        },
    };
    names::validate(&name, &dir)?;
    let exists = live.iter().any(|s| s.name == name);
    let saved = if exists { None } else { store::saved(&name) };
    if args.snapshot.is_some() && saved.is_none() {
        if exists {
            bail!("session `{name}` is running: --snapshot resurrects an exited session (kill it first)");
        }
        bail!("no exited session named `{name}` to resurrect");
    }
    if let Some(saved) = saved {
        refuse_unreadable(&saved)?;
        if !args.command.is_empty() || args.layout.is_some() {
            if let Err(why) = crate::store::fallback::resurrectable(&name) {
                bail!(
                    "session `{name}` exited and cannot be resurrected: {why}\n\
                     `revenant delete-session {name}` forgets it; then the name is free for a new session"
                );
            }
            bail!(
                "session `{name}` exited: attaching resurrects it from its snapshot, with its own commands, \
                 so a command or layout does not apply (attach without them, or choose another name)"
            );
        }
        resurrect(&dir, &saved, &args, debug)?;
    } else if !exists {
        if !(args.create || args.create_background) {
            bail!("no session named `{name}` (use `revenant attach --create {name}` to create it)");
        }
        session_layout(args.layout.as_deref(), &load_config()?)?;
        let (cols, rows) =
            if args.create_background { args.size } else { crossterm::terminal::size().unwrap_or(args.size) };
        let layout = layout_arg(args.layout);
        registry::launch(&ServerLaunch {
            name: &name,
            socket_dir: &dir,
            cols,
            rows,
            command: &args.command,
            debug,
            layout: layout.as_deref(),
            force_run: args.force_run_commands,
        })?;
    } else if !args.command.is_empty() || args.layout.is_some() {
        bail!("session `{name}` already exists; a command or layout only applies when a session is created");
    }
    Ok((dir, name))
}

/// `-s NAME attach` names the session as `attach NAME` does (it is checked
/// as any name is).
pub fn with_session(mut args: AttachArgs, session: Option<String>) -> Result<AttachArgs> {
    let Some(session) = session else { return Ok(args) };
    match (&args.name, args.index) {
        (_, Some(_)) => bail!("-s {session} and --index both name the session; give one"),
        (Some(name), _) if *name != session => bail!("-s {session} and `attach {name}` name two sessions; give one"),
        _ => args.name = Some(session),
    }
    Ok(args)
}

/// A session whose folder cannot be read is neither resurrected nor
/// replaced: a new session would save over its snapshots once readable.
fn refuse_unreadable(saved: &store::Saved) -> Result<()> {
    match &saved.unreadable {
        Some(why) => bail!(
            "session `{}` cannot be read ({why}): {}; not starting a session over it (fix its permissions, or `revenant delete-session {}`)",
            saved.name,
            saved.layout.parent().unwrap_or(&saved.layout).display(),
            saved.name
        ),
        None => Ok(()),
    }
}

/// A name no session has exactly, but that begins exactly one live
/// session's name, is that session (as in Zellij); several are listed.
/// Exited sessions are matched by their whole name only.
fn resolve_prefix(name: String, live: &[registry::LiveSession]) -> Result<String> {
    if live.iter().any(|s| s.name == name) || store::saved(&name).is_some() {
        return Ok(name);
    }
    let matching: Vec<&str> = live.iter().map(|s| s.name.as_str()).filter(|n| n.starts_with(&name)).collect();
    match matching.as_slice() {
        [] => Ok(name),
        [one] => Ok((*one).to_owned()),
        several => bail!("`{name}` begins several sessions' names: {}; name one", several.join(", ")),
    }
}

/// Starts a server for an exited session from its snapshot. The commands
/// it saved wait for ENTER unless `--force-run-commands`.
fn resurrect(dir: &Path, saved: &store::Saved, args: &AttachArgs, debug: bool) -> Result<()> {
    let layout = match &args.snapshot {
        Some(id) => {
            let layout = store::generation(&saved.name, id)
                .ok_or_else(|| {
                    let ids: Vec<String> = store::generation_list(&saved.name).into_iter().map(|g| g.id).collect();
                    anyhow!("`{}` has no snapshot {id} (it has: {})", saved.name, ids.join(", "))
                })?
                .layout
                .display()
                .to_string();
            // A snapshot asked for by id that no longer parses is reported
            // here, with its line.
            session_layout(Some(&layout), &load_config()?)
                .with_context(|| format!("cannot resurrect `{}` from {layout}", saved.name))?;
            layout
        }
        // The fallback has parsed the one it chose.
        None => {
            let choice = crate::store::fallback::choose(&saved.name)
                .map_err(|e| anyhow!("cannot resurrect `{}`: {e}", saved.name))?;
            for what in &choice.damaged {
                eprintln!("revenant: `{}`: {what}; set aside", saved.name);
            }
            if let Some(id) = &choice.fallback {
                eprintln!("revenant: resurrecting `{}` from snapshot {id}, the newest whole one", saved.name);
            }
            if choice.without_screens {
                eprintln!(
                    "revenant: resurrecting `{}` from its newest snapshot without the screens its missing files held",
                    saved.name
                );
            }
            choice.layout.display().to_string()
        }
    };
    let (cols, rows) =
        if args.create_background { args.size } else { crossterm::terminal::size().unwrap_or(args.size) };
    registry::launch(&ServerLaunch {
        name: &saved.name,
        socket_dir: dir,
        cols,
        rows,
        command: &[],
        debug,
        layout: Some(&layout),
        force_run: args.force_run_commands,
    })
}

pub fn watch(name: &str) -> Result<()> {
    let dir = socket_dir()?;
    if !registry::is_live(&dir, name) {
        bail!("no live session named `{name}`");
    }
    run_client(&dir, name, Role::Watch)
}

pub(crate) fn live_socket(dir: &Path, name: &str) -> Result<PathBuf> {
    if !registry::is_live(dir, name) {
        bail!("no live session named `{name}`");
    }
    Ok(registry::socket_path(dir, name))
}

/// An error whose whole report is on stderr already: `main` fails without
/// printing it a second time.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Reported(pub String);

/// Prints a diagnostic with its source line underlined; the error to
/// return for it ([`Reported`] once it is printed).
pub(crate) fn render_report(e: &dyn miette::Diagnostic) -> anyhow::Error {
    let mut report = String::new();
    let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    if handler.render_report(&mut report, e).is_ok() {
        eprint!("{report}");
        return Reported(e.to_string()).into();
    }
    anyhow!("{e}")
}

/// The layout `spec` names as the server should parse it: its path (for
/// messages and relative `contents_file`s) and its text.
pub(crate) fn layout_text(spec: &str, config: &Config) -> Result<crate::ipc::LayoutText> {
    let dir = layout_dir(config);
    let p = Path::new(spec);
    let path = if spec.contains('/') || spec.ends_with(".kdl") || p.is_file() {
        std::path::absolute(p).unwrap_or_else(|_| p.into())
    } else if dir.join(format!("{spec}.kdl")).is_file() {
        dir.join(format!("{spec}.kdl"))
    } else {
        let text = crate::layouts::builtin(spec).ok_or_else(|| anyhow!("no layout named `{spec}`"))?;
        return Ok(crate::ipc::LayoutText { path: format!("{spec} (built-in)"), text: text.to_string() });
    };
    let text = revenant_kdl_file::read_text_bounded(&path, revenant_kdl_file::MAX_TEXT_FILE)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(crate::ipc::LayoutText { path: path.display().to_string(), text })
}

/// `revenant layout check`: what does not parse is an error; a valid layout
/// that does not fit the size is only a warning (a session still opens it,
/// squeezed, as Zellij does), unless `strict`.
pub fn layout_check(path: &str, (cols, rows): (u16, u16), strict: bool) -> Result<()> {
    let config = load_config()?;
    let layout = match crate::layouts::load(path, &layout_dir(&config)) {
        Ok(layout) => layout,
        Err(crate::layouts::LoadError::Invalid(e)) => return Err(render_report(&e)),
        Err(e) => bail!("{e}"),
    };
    for warning in &layout.warnings {
        eprintln!("warning: {warning}");
    }
    match layout.normalize(cols, rows) {
        Ok(tabs) => {
            print!("{}", revenant_layout::describe(&tabs));
            if strict && !layout.warnings.is_empty() {
                bail!("{} warning(s), and --strict was given", layout.warnings.len());
            }
            Ok(())
        }
        Err(e) if strict => Err(render_report(&e)),
        Err(e) => {
            render_report(&e);
            eprintln!(
                "warning: the layout does not fit {cols}x{rows}; a session opens it squeezed (--strict fails here)"
            );
            Ok(())
        }
    }
}

pub fn setup(args: SetupArgs) -> Result<()> {
    if args.dump_config {
        print!("{}", Config::default_text());
        return Ok(());
    }
    if let Some(name) = args.dump_layout {
        let text = crate::layouts::builtin(&name).ok_or_else(|| {
            let names: Vec<&str> = crate::layouts::BUILTIN_LAYOUTS.iter().map(|(n, _)| *n).collect();
            anyhow!("no built-in layout `{name}` (there are: {})", names.join(", "))
        })?;
        print!("{text}");
        return Ok(());
    }
    if let Some(name) = args.dump_theme {
        // Yours too (config.kdl's block and the theme folder), as a session
        // would see them; the built-in ones even with a broken config.
        let config = Config::load(&config_path()).unwrap_or_default();
        let text = config.dump_theme(&name).ok_or_else(|| {
            anyhow!("no theme `{name}` (there are: {})", config.themes.names().collect::<Vec<_>>().join(", "))
        })?;
        print!("{text}");
        return Ok(());
    }
    if args.check {
        let path = config_path();
        if !path.exists() {
            println!("no config at {} (the defaults apply)", path.display());
            return Ok(());
        }
        let (config, theme_faults) = match Config::load_reporting(&path) {
            Ok(loaded) => (loaded.config, loaded.theme_faults),
            // The full report: the file's line with the offending part
            // underlined, and a hint where there is one.
            Err(e) => return Err(render_report(&e)),
        };
        if let Some(first) = theme_faults.first() {
            for fault in &theme_faults[1..] {
                render_report(fault);
            }
            return Err(render_report(first));
        }
        // As a server will read them: a plugin that is a FIFO, a device or
        // too large fails here, not in every session.
        let plugins = &config.plugins;
        let entries =
            std::iter::once(&plugins.serializer).chain(&plugins.command_discovery).chain([&plugins.session_manager]);
        for entry in entries {
            if let Ok(crate::plugin::PluginSource::File(file)) =
                crate::plugin::PluginSource::from_location(&entry.location)
                && let Err(e) = revenant_kdl_file::bounded::check_path(&file, crate::plugin::MAX_COMPONENT)
            {
                bail!("{}: plugin `{}`: {}: {e}", path.display(), entry.location, file.display());
            }
        }
        // A server compiles them only at its first save with screens.
        if let Err(e) = crate::redact::Redactor::new(&config.secret_rules) {
            bail!("{}: {e}", path.display());
        }
        println!("{} is valid", path.display());
        return Ok(());
    }
    if let Some(shell) = args.shell_integration {
        print!("{}", crate::shell_integration::script(&shell).ok_or_else(|| anyhow!("no integration for `{shell}`"))?);
        return Ok(());
    }
    if let Some(shell) = args.generate_completion {
        return crate::cli::completions::print_script(shell.as_str());
    }
    if let Some(dir) = args.generate_man {
        for path in crate::cli::completions::write_man_pages(&dir)? {
            println!("{}", path.display());
        }
        return Ok(());
    }
    bail!(
        "nothing to do: pass --dump-config, --check, --dump-layout NAME, --dump-theme NAME, --shell-integration SHELL, --generate-completion SHELL or --generate-man"
    )
}

/// `revenant web …` is the `revenant-web` program beside this one: the
/// network code stays out of the multiplexer's own binary.
pub fn exec_web(args: &[String]) -> Result<()> {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().context("cannot find this program")?;
    let web = exe.with_file_name("revenant-web");
    let err = std::process::Command::new(&web).args(args).env("REVENANT_BIN", &exe).exec();
    Err(anyhow!("cannot run {} ({err}): it is built and installed with revenant", web.display()))
}
