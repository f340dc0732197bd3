//! Pane screens for snapshots, dumped on the plugin worker: the server
//! thread hands over a copy of each changed terminal (its history rows
//! shared, a count each) and goes on drawing; the worker turns the copies
//! into SGR text in parallel and keeps it for the next save. History only
//! grows at the bottom and loses rows at the top, so a pane that changed
//! is dumped again only from the first history row the last dump did not
//! have: a save of a busy pane costs its new lines and its screen.

use std::collections::{HashMap, VecDeque};

use revenant_terminal::{RowId, ScreenCopy};

use crate::plugin::types::{PaneContents, SessionManifest};

/// One pane's screen as a save job carries it.
pub enum Screen {
    /// As in the last save job that carried this pane.
    Same,
    Fresh(Box<ScreenCopy>),
}

#[derive(Default)]
pub struct Screens {
    dumped: HashMap<u32, PaneDump>,
}

impl Screens {
    /// Takes a job's screens (the panes it names are all the session has)
    /// and writes them into `manifest`.
    pub fn fill(&mut self, manifest: &mut SessionManifest, screens: Vec<(u32, Screen)>) {
        if screens.is_empty() {
            return;
        }
        self.dumped.retain(|id, _| screens.iter().any(|(s, _)| s == id));
        let fresh: Vec<(u32, PaneDump, Box<ScreenCopy>)> = screens
            .into_iter()
            .filter_map(|(id, s)| match s {
                Screen::Fresh(copy) => Some((id, self.dumped.remove(&id).unwrap_or_default(), copy)),
                Screen::Same => None,
            })
            .collect();
        self.dumped.extend(dump_parallel(fresh));
        for pane in super::worker::panes_mut(manifest) {
            if let Some(dump) = self.dumped.get(&pane.id) {
                pane.contents = dump.contents();
            }
        }
    }
}

/// A pane's screen as SGR text, with what it was dumped from.
#[derive(Default)]
struct PaneDump {
    /// The history rows `history` holds, oldest first. Held, so that no
    /// other row can take one's address before the next comparison.
    rows: VecDeque<RowId>,
    /// Each of those rows' line followed by `\n`.
    history: String,
    /// The byte length of each line of `history`, its `\n` included.
    lens: VecDeque<usize>,
    /// The screen's lines, blank ones under the last text left out.
    viewport: Vec<String>,
}

impl PaneDump {
    /// Brings the dump up to `copy`, dumping only the history rows it lacks.
    fn update(&mut self, copy: &ScreenCopy) {
        let rows: Vec<RowId> = copy.history_rows().collect();
        // Rows evicted at the top since the last dump.
        let gone = rows.first().and_then(|first| self.rows.iter().position(|r| r == first)).unwrap_or(self.rows.len());
        let bytes: usize = self.lens.drain(..gone).sum();
        self.history.drain(..bytes);
        self.rows.drain(..gone);
        // Rows kept from the last dump; anything after them (rows taken
        // back into a taller screen, a cleared history) goes.
        let kept = self.rows.iter().zip(&rows).take_while(|(a, b)| a == b).count();
        let bytes: usize = self.lens.range(kept..).sum();
        self.history.truncate(self.history.len() - bytes);
        self.rows.truncate(kept);
        self.lens.truncate(kept);
        let mut cells = Vec::new();
        for (i, row) in rows.into_iter().enumerate().skip(kept) {
            let start = self.history.len();
            copy.push_history_line(i, &mut cells, &mut self.history);
            self.history.push('\n');
            self.lens.push_back(self.history.len() - start);
            self.rows.push_back(row);
        }
        self.viewport = copy.viewport_lines();
        // Blank rows under the last text would push the restored text up by
        // a screen when the shell's prompt arrives.
        while self.viewport.last().is_some_and(|l| is_blank(l)) {
            self.viewport.pop();
        }
    }

    /// The dump as the contract carries it: one text, history then screen.
    fn contents(&self) -> Option<PaneContents> {
        if self.rows.is_empty() && self.viewport.is_empty() {
            return None;
        }
        let viewport_bytes = self.viewport.iter().map(|l| l.len() + 1).sum::<usize>();
        let mut text = String::with_capacity(self.history.len() + viewport_bytes);
        text.push_str(&self.history);
        for line in &self.viewport {
            text.push_str(line);
            text.push('\n');
        }
        text.pop();
        Some(PaneContents { text, scrollback_rows: self.rows.len() as u32, viewport_rows: self.viewport.len() as u32 })
    }
}

/// Dumps on up to as many threads as there are cores (a big scrollback
/// dumped for the first time takes milliseconds per pane).
fn dump_parallel(mut work: Vec<(u32, PaneDump, Box<ScreenCopy>)>) -> Vec<(u32, PaneDump)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(work.len()).max(1);
    let chunk = work.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for group in work.chunks_mut(chunk) {
            scope.spawn(move || {
                for (_, dump, copy) in group {
                    dump.update(copy);
                }
            });
        }
    });
    work.into_iter().map(|(id, dump, _)| (id, dump)).collect()
}

/// An empty row as `dump_ansi` writes it: nothing but style resets.
fn is_blank(line: &str) -> bool {
    line.replace("\x1b[0m", "").trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use revenant_terminal::Terminal;

    fn manifest_with(ids: &[u32]) -> SessionManifest {
        let mut m = crate::plugin::sample_manifest();
        let node = m.tabs[0].tiled[0].clone();
        m.tabs[0].tiled = ids.iter().map(|_| node.clone()).collect();
        for (pane, id) in super::super::worker::panes_mut(&mut m).zip(ids) {
            pane.id = *id;
        }
        m
    }

    fn copy(text: &str) -> Box<ScreenCopy> {
        let mut t = Terminal::new(20, 3, 100);
        t.advance(text.as_bytes());
        Box::new(t.screen_copy(None))
    }

    fn text(m: &mut SessionManifest, id: u32) -> Option<String> {
        super::super::worker::panes_mut(m).find(|p| p.id == id).and_then(|p| p.contents.clone()).map(|c| c.text)
    }

    #[test]
    fn unchanged_panes_reuse_the_last_dump_and_gone_ones_are_forgotten() {
        let mut screens = Screens::default();
        let mut m = manifest_with(&[1, 2]);
        screens.fill(&mut m, vec![(1, Screen::Fresh(copy("one\r\n"))), (2, Screen::Fresh(copy("\x1b[31mtwo")))]);
        assert_eq!(text(&mut m, 1).unwrap(), "one");
        assert_eq!(text(&mut m, 2).unwrap(), "\x1b[0;31mtwo\x1b[0m");
        let mut again = manifest_with(&[1, 2]);
        screens.fill(&mut again, vec![(1, Screen::Same), (2, Screen::Fresh(copy("2")))]);
        assert_eq!(text(&mut again, 1).unwrap(), "one", "kept from the last job");
        assert_eq!(text(&mut again, 2).unwrap(), "2");
        // Pane 1 closed: its dump goes, and a later pane 1 starts anew.
        let mut later = manifest_with(&[2]);
        screens.fill(&mut later, vec![(2, Screen::Same)]);
        assert!(!screens.dumped.contains_key(&1));
        // A job without screens (viewport saving off, a dump-layout) leaves
        // the manifest and the kept dumps alone.
        let mut bare = manifest_with(&[2]);
        screens.fill(&mut bare, Vec::new());
        assert!(text(&mut bare, 2).is_none());
        assert!(screens.dumped.contains_key(&2));
    }

    /// What a dump from nothing gives: the contract's text and row counts.
    fn whole(copy: &ScreenCopy) -> Option<PaneContents> {
        let mut fresh = PaneDump::default();
        fresh.update(copy);
        fresh.contents()
    }

    #[test]
    fn a_dump_brought_up_to_date_is_the_dump_made_from_nothing() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut t = Terminal::new(30, 5, 40);
        let mut kept = PaneDump::default();
        for round in 0..1200 {
            if next() % 10 == 0 {
                // History pulled back into a taller screen, written over, and
                // pushed out again: the same number of rows, other text.
                let rows = t.rows();
                t.resize(30, rows + 3);
                t.advance(format!("\x1b[Hover {round}\r\nand over").as_bytes());
                t.resize(30, rows);
            }
            let input = match next() % 9 {
                0 => "\x1b[3J".to_owned(),
                1 => format!("\x1b[8;{};30t", 3 + next() % 6),
                2 => "\x1b[2J\x1b[H".to_owned(),
                3 => format!("\x1b[{}mcolour {round}\x1b[m\r\n", 31 + next() % 7),
                4 => "\r\n".repeat((next() % 50) as usize),
                5 => "wide 日本語 text that wraps past thirty columns\r\n".to_owned(),
                _ => format!("line {round}\r\n"),
            };
            if let Some(rows) = input.strip_prefix("\x1b[8;").and_then(|r| r.split(';').next()) {
                t.resize(30, rows.parse().unwrap());
            } else {
                t.advance(input.as_bytes());
            }
            // Saves come now and then, with many changes between them.
            if next() % 3 != 0 {
                continue;
            }
            let copy = t.screen_copy(None);
            kept.update(&copy);
            let (got, want) = (kept.contents(), whole(&copy));
            assert_eq!(
                got.as_ref().map(|c| (&c.text, c.scrollback_rows, c.viewport_rows)),
                want.as_ref().map(|c| (&c.text, c.scrollback_rows, c.viewport_rows)),
                "round {round} after {input:?}"
            );
            let (history, viewport) = copy.dump_ansi();
            if let Some(c) = got {
                let lines: Vec<&str> = c.text.split('\n').collect();
                assert_eq!(lines.len(), (c.scrollback_rows + c.viewport_rows) as usize);
                assert_eq!(lines[..history.len()], history.iter().map(String::as_str).collect::<Vec<_>>()[..]);
                assert_eq!(lines[history.len()..], viewport[..c.viewport_rows as usize]);
            }
        }
        assert!(kept.rows.len() <= 40, "the history limit holds");
    }
}
