//! `revenant ls ssh://host` and `revenant ls --all`: other hosts' sessions,
//! fetched as JSON through their bridges (all hosts at once), drawn here
//! in the local formats, each row naming its host.

use std::io::{IsTerminal, Write};

use anyhow::{Result, anyhow};
use serde_json::Value;

use crate::cli::listing::format_age;
use crate::config_files::load_config;
use crate::remote::address::SshHost;
use crate::remote::listing::{UNATTENDED, fetch};
use crate::remote::ssh::Ssh;

/// How `ls` prints.
#[derive(Debug, Clone, Copy)]
pub struct Format {
    pub short: bool,
    pub no_formatting: bool,
    pub json: bool,
    pub reverse: bool,
}

/// `revenant ls ssh://host`.
pub fn list_host(text: &str, format: Format) -> Result<()> {
    let host = SshHost::parse(text)?;
    let ssh = Ssh::new(&load_config()?)?;
    let rows = fetch(&ssh, &host, &[])?;
    let mut out = std::io::stdout().lock();
    print_host(&mut out, &host.url(), Some(&host), rows, format)?;
    Ok(())
}

/// `revenant ls --all`: this host's sessions, then each configured host's
/// (fetched side by side; one that cannot be reached says why in a line).
pub fn list_all(format: Format) -> Result<()> {
    let config = load_config()?;
    let ssh = Ssh::new(&config)?;
    let fetches: Vec<_> = config
        .hosts
        .iter()
        .map(|entry| {
            let (label, address, ssh) = (entry.label.clone(), entry.address.clone(), ssh.clone());
            let job = std::thread::spawn(move || {
                let host = SshHost::parse(&address)?;
                Ok::<_, anyhow::Error>((fetch(&ssh, &host, UNATTENDED)?, host))
            });
            (label, job)
        })
        .collect();
    let local = crate::cli::listing::local_rows(format.reverse)?;
    let mut out = std::io::stdout().lock();
    let mut all_json = Vec::new();
    if format.json {
        all_json.extend(local.into_iter().map(|row| with_host(row, None)));
    } else {
        print_host(&mut out, "local", None, local, format)?;
    }
    for (label, job) in fetches {
        let fetched = job.join().unwrap_or_else(|_| Err(anyhow!("the fetch panicked")));
        match fetched {
            Ok((rows, host)) if format.json => {
                let rows = ordered(rows, format.reverse);
                all_json.extend(rows.into_iter().map(|row| with_address(with_host(row, Some(&label)), &host)));
            }
            Ok((rows, host)) => print_host(&mut out, &label, Some(&host), rows, format)?,
            Err(e) if format.json => all_json.push(serde_json::json!({
                "host": label, "state": "unreachable", "error": format!("{e:#}"),
            })),
            Err(e) => writeln!(out, "{label}: unreachable: {}", format!("{e:#}").replace('\n', " "))?,
        }
    }
    if format.json {
        writeln!(out, "{}", Value::Array(all_json))?;
    }
    Ok(())
}

fn ordered(mut rows: Vec<Value>, reverse: bool) -> Vec<Value> {
    if reverse {
        rows.reverse();
    }
    rows
}

/// The address to attach with, beside the bare name.
fn with_address(mut row: Value, host: &SshHost) -> Value {
    if let Some(name) = row.get("name").and_then(Value::as_str) {
        let address = format!("{}/{name}", host.url());
        row["address"] = Value::String(address);
    }
    row
}

fn with_host(mut row: Value, label: Option<&str>) -> Value {
    row["host"] = label.map(|l| Value::String(l.into())).unwrap_or(Value::Null);
    row
}

/// One host's rows in the asked format. Remote names are written as the
/// addresses that reach them, so any line can be pasted after `attach`.
fn print_host(
    out: &mut impl Write,
    label: &str,
    host: Option<&SshHost>,
    rows: Vec<Value>,
    format: Format,
) -> Result<()> {
    let rows = if host.is_some() { ordered(rows, format.reverse) } else { rows };
    if format.json {
        let rows: Vec<Value> = rows
            .into_iter()
            .map(|r| match host {
                Some(h) => with_address(with_host(r, Some(label)), h),
                None => with_host(r, None),
            })
            .collect();
        writeln!(out, "{}", Value::Array(rows))?;
        return Ok(());
    }
    let colour = !format.no_formatting && std::io::stdout().is_terminal();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    if rows.is_empty() && !format.short {
        writeln!(out, "{label}: no sessions")?;
    }
    for row in &rows {
        let name = row.get("name").and_then(Value::as_str).unwrap_or("?");
        let shown = match host {
            Some(h) => format!("{}/{name}", h.url()),
            None => name.to_owned(),
        };
        if format.short {
            writeln!(out, "{shown}")?;
            continue;
        }
        writeln!(out, "{}", describe(row, &shown, colour, now))?;
    }
    Ok(())
}

/// A line as the local `ls` writes one, from a row of `ls --json`.
fn describe(row: &Value, shown: &str, colour: bool, now: u64) -> String {
    let int = |k: &str| row.get(k).and_then(Value::as_u64).unwrap_or(0);
    let flag = |k: &str| row.get(k).and_then(Value::as_bool).unwrap_or(false);
    let age = format_age(now.saturating_sub(int("created_unix")));
    if row.get("state").and_then(Value::as_str) == Some("live") {
        let name = if colour { format!("\x1b[32;1m{shown}\x1b[0m") } else { shown.to_owned() };
        let suffix = crate::cli::listing::live_suffix(flag("is_current"), int("clients") > 0, flag("responding"));
        return format!("{name} [Created {age} ago]{suffix}");
    }
    let name = if colour { format!("\x1b[2m{shown}\x1b[0m") } else { shown.to_owned() };
    let mut notes = vec!["attach to resurrect".to_string()];
    if row.get("damaged").is_some_and(|d| !d.is_null()) {
        notes.push("last save damaged".into());
    }
    for id in row.get("pinned").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        notes.push(format!("snapshot {id} pinned"));
    }
    format!("{name} [Created {age} ago] (EXITED - {})", notes.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_rows_read_like_local_ones_under_their_address() {
        let live =
            serde_json::json!({"name": "w", "state": "live", "created_unix": 900, "clients": 1, "responding": true});
        assert_eq!(describe(&live, "ssh://box/w", false, 1000), "ssh://box/w [Created 1m 40s ago] (attached)");
        let exited = serde_json::json!({"name": "x", "state": "exited", "created_unix": 1000, "pinned": ["3"]});
        assert_eq!(
            describe(&exited, "ssh://box/x", false, 1000),
            "ssh://box/x [Created 0s ago] (EXITED - attach to resurrect; snapshot 3 pinned)"
        );
        let host = SshHost::parse("ssh://me@box").unwrap();
        let row = with_address(with_host(live, Some("devbox")), &host);
        assert_eq!((row["host"].as_str(), row["address"].as_str()), (Some("devbox"), Some("ssh://me@box/w")));
    }
}
