//! Sessions back after a reboot: `revenant resurrect` brings exited
//! sessions back in the background, and `setup --systemd` writes the user
//! unit that runs `resurrect --boot` at login (tmux-continuum's restore
//! at start, without a plugin manager).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use revenant_config::ResurrectOnBoot;

use crate::cli::commands::{background, prepare_attach, socket_dir};
use crate::config_files::load_config;
use crate::registry::{self, names};
use crate::store;

const UNIT: &str = "revenant-resurrect.service";

/// Resurrects `names`, or every exited session (`all`), or those
/// `resurrect_on_boot` names (`boot`). One failing does not stop the
/// others; the command fails if any did.
pub fn resurrect(asked: &[String], all: bool, boot: bool) -> Result<()> {
    let dir = socket_dir()?;
    let exited = || -> Vec<store::Saved> {
        store::saved_sessions().into_iter().filter(|s| !registry::is_live(&dir, &s.name)).collect()
    };
    let chosen: Vec<store::Saved> = if all {
        exited()
    } else if boot {
        match load_config()?.resurrect_on_boot {
            ResurrectOnBoot::All => exited(),
            ResurrectOnBoot::Named => exited().into_iter().filter(|s| !names::is_generated(&s.name)).collect(),
            ResurrectOnBoot::None => Vec::new(),
        }
    } else {
        let mut chosen = Vec::new();
        for name in asked {
            if registry::is_live(&dir, name) {
                println!("{name}: already running");
                continue;
            }
            chosen.push(store::saved(name).with_context(|| format!("no exited session named `{name}`"))?);
        }
        chosen
    };
    let mut failed = Vec::new();
    for saved in chosen {
        if let Some(why) = &saved.unreadable {
            eprintln!("revenant: {}: its saved state cannot be read ({why})", saved.name);
            failed.push(saved.name);
            continue;
        }
        match prepare_attach(background(&saved.name, None), false) {
            Ok(_) => println!("{}: resurrected", saved.name),
            Err(e) => {
                eprintln!("revenant: {}: {e:#}", saved.name);
                failed.push(saved.name);
            }
        }
    }
    if !failed.is_empty() {
        bail!("{} could not be resurrected: {}", failed.len(), failed.join(", "));
    }
    Ok(())
}

/// The unit's folder: `$XDG_CONFIG_HOME/systemd/user`, else
/// `~/.config/systemd/user`.
fn unit_dir() -> Result<PathBuf> {
    if let Some(config) = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(config).join("systemd/user"));
    }
    let home = std::env::var_os("HOME").context("neither XDG_CONFIG_HOME nor HOME is set")?;
    Ok(PathBuf::from(home).join(".config/systemd/user"))
}

/// The unit's text: this binary, and the folders this shell gives
/// revenant (a systemd user session does not see a shell's variables).
pub fn unit_text(exe: &str, env: &[(&str, String)]) -> String {
    let mut text = String::from(
        "[Unit]\n\
         Description=Bring Revenant sessions back after login (resurrect_on_boot in config.kdl)\n\
         After=default.target\n\n\
         [Service]\n\
         Type=oneshot\n\
         RemainAfterExit=yes\n\
         # The sessions' servers outlive this start-up job.\n\
         KillMode=process\n",
    );
    for (key, value) in env {
        text.push_str(&format!("Environment=\"{key}={}\"\n", value.replace('\\', "\\\\").replace('"', "\\\"")));
    }
    text.push_str(&format!("ExecStart={exe} resurrect --boot\n\n[Install]\nWantedBy=default.target\n"));
    text
}

/// `revenant setup --systemd`.
pub fn write_unit() -> Result<()> {
    let exe = std::env::current_exe().context("cannot find the revenant binary")?;
    let exe = exe.to_str().context("the revenant binary's path is not UTF-8")?;
    if exe.contains(char::is_whitespace) {
        bail!("the revenant binary's path {exe:?} holds a space, which a unit's ExecStart cannot take unquoted");
    }
    let env: Vec<(&str, String)> = ["REVENANT_SOCKET_DIR", "REVENANT_CACHE_DIR", "REVENANT_CONFIG_DIR"]
        .into_iter()
        .filter_map(|k| std::env::var(k).ok().map(|v| (k, v)))
        .collect();
    let dir = unit_dir()?;
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(UNIT);
    std::fs::write(&path, unit_text(exe, &env)).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    println!("enable it with:\n  systemctl --user daemon-reload && systemctl --user enable {UNIT}");
    let which = match load_config().map(|c| c.resurrect_on_boot) {
        Ok(ResurrectOnBoot::All) => "every exited session",
        Ok(ResurrectOnBoot::Named) => "the exited sessions you named",
        Ok(ResurrectOnBoot::None) => "nothing until you change it",
        Err(_) => "what it names once config.kdl is fixed",
    };
    println!("at login it brings back {which} (`resurrect_on_boot` in config.kdl)");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_runs_this_binary_with_these_folders() {
        let text = unit_text("/usr/bin/revenant", &[("REVENANT_CACHE_DIR", "/tmp/a \"b\"".into())]);
        assert!(text.contains("ExecStart=/usr/bin/revenant resurrect --boot\n"), "{text}");
        assert!(text.contains("Environment=\"REVENANT_CACHE_DIR=/tmp/a \\\"b\\\"\"\n"), "{text}");
        assert!(text.contains("WantedBy=default.target"));
    }
}
