//! Pane screens for snapshots, dumped on the plugin worker: the server
//! thread hands over a copy of each changed terminal (its history rows
//! shared, a count each) and goes on drawing; the worker turns the copies
//! into SGR text in parallel and keeps it for the next save. History only
//! grows at the bottom and loses rows at the top, so a changed pane's copy
//! carries only the history rows newer than the last (see `HistoryMark`):
//! a save of a busy pane costs its new lines and its screen.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use revenant_terminal::{ScreenCopy, WRAP_MARK};

use crate::redact::{Redactor, SecretRules};

use crate::plugin::types::{PaneContents, SessionManifest, TiledBody};

/// One pane's screen as a save job carries it.
pub enum Screen {
    /// As in the last save job that carried this pane.
    Same,
    Fresh(Box<ScreenCopy>),
    /// A dormant pane's saved contents, replayed here (off the server
    /// thread) into a terminal of the pane's size.
    Saved(SavedScreen),
}

pub struct SavedScreen {
    pub file: Arc<std::fs::File>,
    pub cols: u16,
    pub rows: u16,
    pub scrollback: usize,
    /// `scrollback_lines_to_serialize` (`None`: all).
    pub lines: Option<usize>,
}

impl SavedScreen {
    fn copy(&self, pane: u32) -> Box<ScreenCopy> {
        let contents = crate::runtime::saved_contents::Contents::Open(self.file.clone());
        let term = contents.replay(self.cols, self.rows, self.scrollback, pane);
        Box::new(term.screen_copy_since(self.lines, None))
    }
}

#[derive(Default)]
pub struct Screens {
    dumped: HashMap<u32, PaneDump>,
    /// The secret rules the dumps went through, compiled, and the config
    /// text they came from.
    redactor: Option<(SecretRules, Arc<Redactor>)>,
}

impl Screens {
    /// Takes a job's screens (the panes it names are all the session has)
    /// and lends their text to `manifest` until [`take_back`](Self::take_back).
    /// Returns the panes whose copy could not be used (it was taken since
    /// a dump this side does not have): the server must send them whole.
    pub fn fill(
        &mut self,
        manifest: &mut SessionManifest,
        screens: Vec<(u32, Screen)>,
        rules: Option<&SecretRules>,
    ) -> Vec<u32> {
        if screens.is_empty() {
            return Vec::new();
        }
        let redactor = rules.map(|rules| self.redactor(rules));
        self.dumped.retain(|id, _| screens.iter().any(|(s, _)| s == id));
        let fresh: Vec<(u32, PaneDump, Box<ScreenCopy>)> = screens
            .into_iter()
            .filter_map(|(id, s)| match s {
                Screen::Fresh(copy) => Some((id, self.dumped.remove(&id).unwrap_or_default(), copy)),
                Screen::Saved(saved) => Some((id, self.dumped.remove(&id).unwrap_or_default(), saved.copy(id))),
                Screen::Same => None,
            })
            .collect();
        let mut lost = Vec::new();
        for (id, dump, ok) in dump_parallel(fresh, redactor.as_deref()) {
            if ok {
                self.dumped.insert(id, dump);
            } else {
                lost.push(id);
            }
        }
        for pane in panes_mut(manifest) {
            if let Some(dump) = self.dumped.get_mut(&pane.id) {
                pane.contents = dump.lend();
            }
        }
        lost
    }

    /// The compiled `rules`, compiled once per change of config.kdl. A rule
    /// of the user's that does not compile is reported and the built-in
    /// ones apply: a save never goes without them.
    pub(super) fn redactor(&mut self, rules: &SecretRules) -> Arc<Redactor> {
        if let Some((text, compiled)) = &self.redactor
            && text == rules
        {
            return compiled.clone();
        }
        let compiled = Arc::new(Redactor::new(rules).unwrap_or_else(|e| {
            tracing::error!("config.kdl: {e}; saving with the built-in secret rules only");
            Redactor::new(&[]).expect("the built-in rules compile")
        }));
        self.redactor = Some((rules.clone(), compiled.clone()));
        compiled
    }

    /// Takes the texts lent by [`fill`](Self::fill) back out of `manifest`
    /// (a pane's text is megabytes; copying it for every save cost more
    /// than the rest of the dump).
    pub fn take_back(&mut self, manifest: &mut SessionManifest) {
        for pane in panes_mut(manifest) {
            if let (Some(contents), Some(dump)) = (pane.contents.take(), self.dumped.get_mut(&pane.id)) {
                dump.give_back(contents);
            }
        }
    }
}

/// A pane's screen as SGR text, with the numbers of its history rows.
#[derive(Default)]
struct PaneDump {
    /// The epoch of the history the rows were numbered in.
    epoch: u64,
    /// The number of the oldest history row in the text.
    start: u64,
    /// The byte length of each history line in the text, its `\n` included.
    lens: VecDeque<usize>,
    /// Each history line, then each screen line, each followed by `\n`;
    /// `None` while lent out.
    text: Option<String>,
    /// Where the screen's lines start in the text.
    history_bytes: usize,
    /// The screen's lines, blank ones under the last text left out.
    viewport_rows: usize,
    /// Whether the history ends inside a private key block.
    in_key: bool,
}

impl PaneDump {
    /// The number after the newest history row in the text.
    fn end(&self) -> u64 {
        self.start + self.lens.len() as u64
    }

    /// Brings the dump up to `copy`, which carries the history rows this
    /// dump lacks (or all of them). False when it was taken since rows this
    /// dump does not have.
    fn update(&mut self, copy: &ScreenCopy, redactor: Option<&Redactor>) -> bool {
        let (epoch, start, from) = copy.numbering();
        let whole = from == start;
        let follows = self.text.is_some() && epoch == self.epoch && from == self.end() && start >= self.start;
        if !whole && !follows {
            return false;
        }
        let mut text = self.text.take().unwrap_or_default();
        if whole {
            text.clear();
            self.lens.clear();
            (self.epoch, self.start) = (epoch, start);
            self.in_key = false;
        } else {
            text.truncate(self.history_bytes);
            // Rows that aged out of what is saved since the last dump.
            let gone = (start - self.start) as usize;
            let bytes: usize = self.lens.drain(..gone.min(self.lens.len())).sum();
            text.drain(..bytes);
            self.start = start;
        }
        let mut cells = Vec::new();
        let region = text.len();
        for i in 0..copy.history_len() {
            copy.push_history_line(i, &mut cells, &mut text);
            text.push('\n');
        }
        // Whole logical lines: a secret that wrapped is found too.
        if let Some(r) = redactor {
            r.rows(&mut text, region, WRAP_MARK, &mut self.in_key);
        }
        self.lens.extend(text[region..].split_inclusive('\n').map(str::len));
        self.history_bytes = text.len();
        let mut viewport = copy.viewport_lines();
        // Blank rows under the last text would push the restored text up by
        // a screen when the shell's prompt arrives.
        while viewport.last().is_some_and(|l| is_blank(l)) {
            viewport.pop();
        }
        for line in &viewport {
            text.push_str(line);
            text.push('\n');
        }
        if let Some(r) = redactor {
            r.rows(&mut text, self.history_bytes, WRAP_MARK, &mut self.in_key.clone());
        }
        self.viewport_rows = viewport.len();
        self.text = Some(text);
        true
    }

    /// The dump as the contract carries it (one text, history then screen),
    /// lent until [`give_back`](Self::give_back).
    fn lend(&mut self) -> Option<PaneContents> {
        if self.lens.is_empty() && self.viewport_rows == 0 {
            return None;
        }
        let mut text = self.text.take()?;
        text.pop();
        Some(PaneContents { text, scrollback_rows: self.lens.len() as u32, viewport_rows: self.viewport_rows as u32 })
    }

    fn give_back(&mut self, contents: PaneContents) {
        let mut text = contents.text;
        text.push('\n');
        if self.text.is_none() && text.len() >= self.history_bytes {
            self.text = Some(text);
        }
    }
}

/// Dumps on up to as many threads as there are cores (a big scrollback
/// dumped for the first time takes milliseconds per pane).
fn dump_parallel(
    mut work: Vec<(u32, PaneDump, Box<ScreenCopy>)>,
    redactor: Option<&Redactor>,
) -> Vec<(u32, PaneDump, bool)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(work.len()).max(1);
    let chunk = work.len().div_ceil(threads).max(1);
    let mut ok = vec![false; work.len()];
    std::thread::scope(|scope| {
        for (group, ok) in work.chunks_mut(chunk).zip(ok.chunks_mut(chunk)) {
            scope.spawn(move || {
                for ((_, dump, copy), ok) in group.iter_mut().zip(ok) {
                    *ok = dump.update(copy, redactor);
                }
            });
        }
    });
    work.into_iter().zip(ok).map(|((id, dump, _), ok)| (id, dump, ok)).collect()
}

/// An empty row as `dump_ansi` writes it: nothing but style resets.
fn is_blank(line: &str) -> bool {
    line.replace("\x1b[0m", "").trim().is_empty()
}

/// Every pane of the manifest, tiled and floating.
pub(in crate::runtime) fn panes_mut(
    manifest: &mut SessionManifest,
) -> impl Iterator<Item = &mut crate::plugin::types::Pane> {
    manifest.tabs.iter_mut().flat_map(|tab| {
        let tiled = tab.tiled.iter_mut().filter_map(|n| match &mut n.body {
            TiledBody::Pane(p) => Some(p),
            TiledBody::Split(_) => None,
        });
        tiled.chain(tab.floating.iter_mut().map(|f| &mut f.pane))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use revenant_terminal::Terminal;

    fn manifest_with(ids: &[u32]) -> SessionManifest {
        let mut m = crate::plugin::sample_manifest();
        let node = m.tabs[0].tiled[0].clone();
        m.tabs[0].tiled = ids.iter().map(|_| node.clone()).collect();
        for (pane, id) in super::panes_mut(&mut m).zip(ids) {
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
        super::panes_mut(m).find(|p| p.id == id).and_then(|p| p.contents.clone()).map(|c| c.text)
    }

    #[test]
    fn unchanged_panes_reuse_the_last_dump_and_gone_ones_are_forgotten() {
        let mut screens = Screens::default();
        let mut m = manifest_with(&[1, 2]);
        screens.fill(&mut m, vec![(1, Screen::Fresh(copy("one\r\n"))), (2, Screen::Fresh(copy("\x1b[31mtwo")))], None);
        assert_eq!(text(&mut m, 1).unwrap(), "one");
        assert_eq!(text(&mut m, 2).unwrap(), "\x1b[0;31mtwo\x1b[0m");
        screens.take_back(&mut m);
        assert!(text(&mut m, 1).is_none(), "taken back out of the manifest");
        let mut again = manifest_with(&[1, 2]);
        screens.fill(&mut again, vec![(1, Screen::Same), (2, Screen::Fresh(copy("2")))], None);
        assert_eq!(text(&mut again, 1).unwrap(), "one", "kept from the last job");
        assert_eq!(text(&mut again, 2).unwrap(), "2");
        screens.take_back(&mut again);
        // Pane 1 closed: its dump goes, and a later pane 1 starts anew.
        let mut later = manifest_with(&[2]);
        screens.fill(&mut later, vec![(2, Screen::Same)], None);
        assert!(!screens.dumped.contains_key(&1));
        // A job without screens (viewport saving off, a dump-layout) leaves
        // the manifest and the kept dumps alone.
        let mut bare = manifest_with(&[2]);
        screens.fill(&mut bare, Vec::new(), None);
        assert!(text(&mut bare, 2).is_none());
        assert!(screens.dumped.contains_key(&2));
    }

    #[test]
    fn history_and_screen_pass_through_the_secret_rules() {
        let mut screens = Screens::default();
        let mut m = manifest_with(&[1]);
        let rules = Arc::new(vec![("acme".to_string(), "ACME-[0-9]{4}".to_string())]);
        // Scrolled into history, then on the screen.
        let printed = "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\r\nx\r\nx\r\nx\r\nkey ACME-1234";
        screens.fill(&mut m, vec![(1, Screen::Fresh(copy(printed)))], Some(&rules));
        let saved = text(&mut m, 1).unwrap();
        assert!(!saved.contains("ghp_A1b2") && !saved.contains("ACME-1234"), "{saved}");
        assert!(saved.contains("[REDACTED:github-token]") && saved.contains("[REDACTED:acme]"), "{saved}");
    }

    /// What a dump from nothing gives: the contract's text and row counts.
    fn whole(copy: &ScreenCopy) -> Option<PaneContents> {
        let mut fresh = PaneDump::default();
        assert!(fresh.update(copy, None));
        fresh.lend()
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
        let mut mark = None;
        let (mut carried, mut held, mut whole_copies) = (0, 0, 0);
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
            // What the server does: a copy since the last one it sent, and
            // the whole history when this side says it cannot use that.
            let mut copy = t.screen_copy_since(None, mark);
            if !kept.update(&copy, None) {
                copy = t.screen_copy(None);
                assert!(kept.update(&copy, None), "a whole copy always does");
                whole_copies += 1;
            }
            mark = Some(copy.mark());
            carried += copy.history_len();
            let copy = t.screen_copy(None);
            held += copy.history_len();
            let (got, want) = (kept.lend(), whole(&copy));
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
                // Now and then a text is not given back: the next update
                // starts from nothing.
                if next() % 7 != 0 {
                    kept.give_back(c);
                }
            }
        }
        assert!(kept.lens.len() <= 40, "the history limit holds");
        assert!(carried < held, "copies carry the new rows: {carried} of {held}");
        // A line more since the last copy: the copy carries it alone.
        t.advance(b"\x1b[3Jone\r\ntwo\r\nthree\r\n");
        let copy = t.screen_copy_since(None, None);
        assert!(kept.update(&copy, None));
        t.advance(b"four\r\n");
        let copy = t.screen_copy_since(None, Some(copy.mark()));
        assert_eq!(copy.history_len(), 1);
        assert!(kept.update(&copy, None));
        assert_eq!(kept.lend().map(|c| c.text), whole(&t.screen_copy(None)).map(|c| c.text));
        assert!(whole_copies > 0, "a text not given back is sent whole");
    }
}
