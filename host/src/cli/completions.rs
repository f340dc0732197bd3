//! Shell completion and man pages. Completion is clap_complete's dynamic
//! engine: the shell calls `revenant` back (with `COMPLETE=SHELL` set) for
//! each completion, so session and layout names are the ones there are now.

use std::path::Path;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

use crate::cli::args::Cli;

/// Answers a completion request and exits, when the shell made one; else
/// returns. Must run before anything is printed.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(command).complete();
}

/// The command line with the names it can complete attached.
fn command() -> clap::Command {
    let sessions = || ArgValueCandidates::new(session_candidates);
    let layouts = || ArgValueCandidates::new(layout_candidates);
    Cli::command()
        .mut_arg("session", |a| a.add(sessions()))
        .mut_arg("layout", |a| a.add(layouts()))
        .mut_subcommand("attach", |c| c.mut_arg("name", |a| a.add(sessions())).mut_arg("layout", |a| a.add(layouts())))
        .mut_subcommand("kill-session", |c| c.mut_arg("name", |a| a.add(sessions())))
        .mut_subcommand("delete-session", |c| c.mut_arg("name", |a| a.add(sessions())))
        .mut_subcommand("watch", |c| c.mut_arg("name", |a| a.add(sessions())))
        .mut_subcommand("snapshots", |c| c.mut_arg("name", |a| a.add(sessions())))
        .mut_subcommand("setup", |c| c.mut_arg("dump_layout", |a| a.add(layouts())))
        .mut_subcommand("layout", |c| c.mut_subcommand("check", |c| c.mut_arg("path", |a| a.add(layouts()))))
        .mut_subcommand("action", |c| {
            c.mut_subcommand("switch-session", |c| {
                c.mut_arg("name", |a| a.add(sessions())).mut_arg("layout", |a| a.add(layouts()))
            })
            .mut_subcommand("new-tab", |c| c.mut_arg("layout", |a| a.add(layouts())))
        })
}

fn session_candidates() -> Vec<CompletionCandidate> {
    let dir = crate::paths::socket_dir();
    crate::registry::all_sessions(&dir, None).iter().map(|s| CompletionCandidate::new(s.name())).collect()
}

fn layout_candidates() -> Vec<CompletionCandidate> {
    let mut names: Vec<String> = crate::layouts::BUILTIN_LAYOUTS.iter().map(|(n, _)| (*n).to_owned()).collect();
    let dir = crate::config_files::load_config().map(|c| crate::config_files::layout_dir(&c)).ok();
    if let Some(entries) = dir.and_then(|d| std::fs::read_dir(d).ok()) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "kdl")
                && let Some(stem) = path.file_stem()
            {
                names.push(stem.to_string_lossy().into_owned());
            }
        }
    }
    names.sort();
    names.dedup();
    names.into_iter().map(CompletionCandidate::new).collect()
}

/// The script a shell sources to complete `revenant`: what `COMPLETE=SHELL
/// revenant` prints, asked of this very binary.
pub fn print_script(shell: &str) -> Result<()> {
    let me = std::env::current_exe().context("cannot find the revenant binary")?;
    let status = std::process::Command::new(&me).env("COMPLETE", shell).status().context("running revenant")?;
    anyhow::ensure!(status.success(), "revenant could not write a {shell} completion script");
    Ok(())
}

/// `revenant.1`, and `revenant-VERB.1` for each subcommand (and each
/// `action` verb: `revenant-action-new-pane.1`).
pub fn write_man_pages(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    write_page(Cli::command(), "revenant", dir, &mut written)?;
    Ok(written)
}

fn write_page(cmd: clap::Command, name: &str, dir: &Path, written: &mut Vec<std::path::PathBuf>) -> Result<()> {
    let cmd = cmd.name(name.to_owned());
    let path = dir.join(format!("{name}.1"));
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
    std::fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))?;
    written.push(path);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_page(sub.clone(), &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap_complete::engine::ArgValueCandidates;

    /// Each name argument completes from the sessions or layouts there are
    /// (a positional is completed by its index, so `name` must be first).
    #[test]
    fn session_and_layout_arguments_have_candidates() {
        let mut cmd = super::command();
        cmd.build();
        for (path, arg, index) in [
            (&["attach"][..], "name", Some(1)),
            (&["attach"][..], "layout", None),
            (&["kill-session"][..], "name", Some(1)),
            (&["action", "switch-session"][..], "name", Some(1)),
        ] {
            let sub = path.iter().fold(&cmd, |c, name| c.find_subcommand(name).expect("a subcommand"));
            let a = sub.get_arguments().find(|a| a.get_id() == arg).expect("the argument");
            assert!(a.get::<ArgValueCandidates>().is_some(), "{path:?} {arg}");
            assert_eq!(a.get_index(), index, "{path:?} {arg}");
        }
    }
}
