//! Pane screens for snapshots, dumped on the plugin worker: the server
//! thread hands over a copy of each changed terminal (its history rows
//! shared, a count each) and goes on drawing; the worker turns the copies
//! into SGR lines in parallel and keeps them for the panes that have not
//! changed by the next save.

use std::collections::HashMap;

use revenant_terminal::ScreenCopy;

use crate::plugin::types::{PaneContents, SessionManifest};

/// One pane's screen as a save job carries it.
pub enum Screen {
    /// As in the last save job that carried this pane.
    Same,
    Fresh(Box<ScreenCopy>),
}

#[derive(Default)]
pub struct Screens {
    dumped: HashMap<u32, Option<PaneContents>>,
}

impl Screens {
    /// Takes a job's screens (the panes it names are all the session has)
    /// and writes them into `manifest`.
    pub fn fill(&mut self, manifest: &mut SessionManifest, screens: Vec<(u32, Screen)>) {
        if screens.is_empty() {
            return;
        }
        self.dumped.retain(|id, _| screens.iter().any(|(s, _)| s == id));
        let fresh: Vec<(u32, Box<ScreenCopy>)> = screens
            .into_iter()
            .filter_map(|(id, s)| match s {
                Screen::Fresh(copy) => Some((id, copy)),
                Screen::Same => None,
            })
            .collect();
        self.dumped.extend(dump_parallel(&fresh));
        for pane in super::worker::panes_mut(manifest) {
            if let Some(Some(contents)) = self.dumped.get(&pane.id) {
                pane.contents = Some(contents.clone());
            }
        }
    }
}

/// Dumps on up to as many threads as there are cores (a big scrollback
/// takes milliseconds per pane).
fn dump_parallel(copies: &[(u32, Box<ScreenCopy>)]) -> Vec<(u32, Option<PaneContents>)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(copies.len()).max(1);
    let chunk = copies.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = copies
            .chunks(chunk)
            .map(|group| {
                scope.spawn(move || group.iter().map(|(id, copy)| (*id, pane_contents(copy))).collect::<Vec<_>>())
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    })
}

fn pane_contents(copy: &ScreenCopy) -> Option<PaneContents> {
    let (scrollback, mut viewport) = copy.dump_ansi();
    // Blank rows under the last text would push the restored text up by a
    // screen when the shell's prompt arrives.
    while viewport.last().is_some_and(|l| is_blank(l)) {
        viewport.pop();
    }
    if scrollback.is_empty() && viewport.is_empty() {
        return None;
    }
    Some(PaneContents { scrollback, viewport })
}

/// An empty row as `dump_ansi` writes it: nothing but style resets.
fn is_blank(line: &str) -> bool {
    line.replace("\x1b[0m", "").trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut t = revenant_terminal::Terminal::new(20, 3, 100);
        t.advance(text.as_bytes());
        Box::new(t.screen_copy(None))
    }

    fn contents(m: &mut SessionManifest, id: u32) -> Option<PaneContents> {
        super::super::worker::panes_mut(m).find(|p| p.id == id).and_then(|p| p.contents.clone())
    }

    #[test]
    fn unchanged_panes_reuse_the_last_dump_and_gone_ones_are_forgotten() {
        let mut screens = Screens::default();
        let mut m = manifest_with(&[1, 2]);
        screens.fill(&mut m, vec![(1, Screen::Fresh(copy("one\r\n"))), (2, Screen::Fresh(copy("\x1b[31mtwo")))]);
        assert_eq!(contents(&mut m, 1).unwrap().viewport, ["one"]);
        assert_eq!(contents(&mut m, 2).unwrap().viewport, ["\x1b[0;31mtwo\x1b[0m"]);
        let mut again = manifest_with(&[1, 2]);
        screens.fill(&mut again, vec![(1, Screen::Same), (2, Screen::Fresh(copy("2")))]);
        assert_eq!(contents(&mut again, 1).unwrap().viewport, ["one"], "kept from the last job");
        assert_eq!(contents(&mut again, 2).unwrap().viewport, ["2"]);
        // Pane 1 closed: its dump goes, and a later pane 1 starts anew.
        let mut later = manifest_with(&[2]);
        screens.fill(&mut later, vec![(2, Screen::Same)]);
        assert!(!screens.dumped.contains_key(&1));
        // A job without screens (viewport saving off, a dump-layout) leaves
        // the manifest and the kept dumps alone.
        let mut bare = manifest_with(&[2]);
        screens.fill(&mut bare, Vec::new());
        assert!(contents(&mut bare, 2).is_none());
        assert!(screens.dumped.contains_key(&2));
    }
}
