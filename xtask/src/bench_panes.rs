//! How costs grow with panes: a save and a resurrection against the
//! session's pane count, and a frame against the panes in the focused tab.
//! Revenant alone (tmux has no saves; Zellij's resurrection is timed by
//! `bench-persist` when it is installed), each count beside the others so
//! the growth shows.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::harness::{revenant_env, rv, wait_for};
use crate::table::{Goal, Table};

/// Pane counts a save and a resurrection are timed at.
pub const SESSION_PANES: [usize; 5] = [1, 10, 20, 120, 500];
/// Pane counts in the focused tab a frame is timed at.
pub const TAB_PANES: [usize; 4] = [1, 10, 40, 100];
/// Lines printed into each pane, and saved with its viewport.
const LINES: usize = 200;

/// A row of `n` side-by-side panes, each line indented by `indent`.
fn row(n: usize, indent: &str) -> String {
    let panes = format!("{indent}    pane\n").repeat(n);
    format!("{indent}pane split_direction=\"vertical\" {{\n{panes}{indent}}}\n")
}

/// `panes` split into rows of at most ten.
fn rows_of_ten(panes: usize) -> impl Iterator<Item = usize> {
    (0..panes).step_by(10).map(move |i| (panes - i).min(10))
}

/// Tabs of at most ten side-by-side panes, `panes` in all.
fn tabs_of_ten(panes: usize) -> String {
    let tabs: String = rows_of_ten(panes).map(|n| format!("    tab {{\n{}    }}\n", row(n, "        "))).collect();
    format!("layout {{\n{tabs}}}\n")
}

/// One tab of `panes` panes in rows of ten.
fn one_tab(panes: usize) -> String {
    let rows: String = rows_of_ten(panes).map(|n| row(n, "            ")).collect();
    format!("layout {{\n    tab {{\n        pane split_direction=\"horizontal\" {{\n{rows}        }}\n    }}\n}}\n")
}

fn ms(v: f64) -> String {
    format!("{v:.1} ms")
}

/// Save and resurrection at each of [`SESSION_PANES`].
pub fn session_rows(exe: &Path, work: &Path, table: &mut Table) -> Result<()> {
    for panes in SESSION_PANES {
        let dir = work.join(format!("panes-{panes}"));
        let (timed, save) = crate::resurrect_bench::revenant_with(exe, &dir, &tabs_of_ten(panes), panes, LINES, 3)?;
        let (save, resurrect) = (save.as_secs_f64() * 1000.0, timed.median.as_secs_f64() * 1000.0);
        println!("{panes} panes: save {save:.1} ms, resurrect {resurrect:.1} ms (median of 3)");
        let (save, resurrect) = (table.ours(save), table.ours(resurrect));
        table.row(&format!("`save-session`, {panes} panes × {LINES} lines, viewports on"), &save, ms, Goal::None);
        table.row(
            &format!("resurrect {panes} panes, `attach -b` until `list-panes` shows all"),
            &resurrect,
            ms,
            Goal::None,
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

/// The server thread's time per frame while one pane of the focused tab
/// prints and the others stand still, at each of [`TAB_PANES`].
pub fn frame_rows(exe: &Path, work: &Path, table: &mut Table) -> Result<()> {
    for panes in TAB_PANES {
        let dir = work.join(format!("frames-{panes}"));
        std::fs::create_dir_all(dir.join("f"))?;
        let layout = dir.join("layout.kdl");
        std::fs::write(&layout, one_tab(panes))?;
        rv(exe, &dir, &["attach", "-b", "fr", "--layout", layout.to_str().unwrap()])?;
        let env: Vec<(String, String)> = revenant_env(&dir).into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let exe_s = exe.display().to_string();
        let client = crate::muxes::PtyClient::spawn(&[&exe_s, "attach", "fr"], &env)?;
        wait_for("the client", Duration::from_secs(10), || frames(exe, &dir).is_ok_and(|(f, _)| f > 0))?;
        let (f0, us0) = frames(exe, &dir)?;
        // About a second of output whatever the pane's size, so that the
        // frames counted are many.
        let burst = "for i in 1 2 3 4 5 6 7 8 9 10; do seq 1 20000; sleep 0.1; done; echo fill-''done\n";
        rv(exe, &dir, &["-s", "fr", "action", "write-chars", burst])?;
        wait_for("the output to end", Duration::from_secs(120), || {
            rv(exe, &dir, &["-s", "fr", "action", "dump-screen"]).is_ok_and(|s| s.lines().any(|l| l == "fill-done"))
        })?;
        std::thread::sleep(Duration::from_millis(200));
        let (f1, us1) = frames(exe, &dir)?;
        drop(client);
        rv(exe, &dir, &["kill-session", "fr"])?;
        if f1 <= f0 {
            bail!("no frames were drawn with {panes} panes");
        }
        let per = (us1 - us0) as f64 / (f1 - f0) as f64 / 1000.0;
        println!("{panes} panes in the tab: {} frames, {per:.3} ms each", f1 - f0);
        let per = table.ours(per);
        table.row(
            &format!("server time per frame, {panes} panes in the tab, one printing"),
            &per,
            |v| format!("{v:.3} ms"),
            Goal::None,
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

/// (frames sent, microseconds spent making them) of session `fr`.
fn frames(exe: &Path, dir: &Path) -> Result<(u64, u64)> {
    let list: serde_json::Value = serde_json::from_str(&rv(exe, dir, &["ls", "--json"])?)?;
    let s = list.as_array().and_then(|l| l.iter().find(|s| s["name"] == "fr")).context("no session fr")?;
    Ok((s["frames"].as_u64().unwrap_or(0), s["frame_micros"].as_u64().unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_hold_the_panes_asked_for() {
        assert_eq!(tabs_of_ten(25).matches("    tab {").count(), 3);
        assert_eq!(tabs_of_ten(25).matches("pane\n").count(), 25);
        assert_eq!(one_tab(40).matches("tab {").count(), 1);
        assert_eq!(one_tab(40).matches(" pane\n").count(), 40);
    }
}
