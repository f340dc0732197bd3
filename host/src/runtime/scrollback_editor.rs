//! `edit-scrollback` (Ctrl-s e): the focused pane's scrollback and screen
//! go to a file, and an editor on that file stands in the pane's place
//! until it exits. The pane's own program keeps running behind it.

use std::path::PathBuf;

use revenant_session::tiling::PaneId;

use super::Server;
use super::clients::Who;

impl Server {
    pub(super) fn edit_scrollback(&mut self, who: Who) -> Result<(), String> {
        let id = self.focused(who).ok_or("the session has no panes")?;
        let pane = self.session.panes.get(&id).ok_or("the focused pane is gone")?;
        if pane.io.plugin.is_some() {
            return Err("a plugin pane has no scrollback to edit".into());
        }
        if self.session.behind_editor.contains_key(&id) {
            return Err("this pane is the scrollback editor already".into());
        }
        let text = pane.term.dump_text(true) + "\n";
        let file = scrollback_file(&self.session.name, id);
        write_private(&file, &text).map_err(|e| format!("cannot write the scrollback to {}: {e}", file.display()))?;
        // At the end, where the user was looking, not at the top.
        let at = super::editor_args::last_line(&text);
        let argv = super::editor_args::open_at(
            scrollback_editor(self.config.scrollback_editor.as_deref()),
            &file.display().to_string(),
            Some(at),
        );
        let cwd = pane.cwd();
        let (name, cols, rows) = (format!("Scrollback of {}", pane.title()), pane.term.cols(), pane.term.rows());
        let editor = self.session.allocate_pane_id();
        let mut editor_pane = self.new_pane_state(editor, argv, cwd, Some(name), cols, rows);
        if let Err(e) = self.start_process(&mut editor_pane) {
            let _ = std::fs::remove_file(&file);
            return Err(format!("cannot start the editor: {e:#}"));
        }
        editor_pane.close_on_exit = true;
        editor_pane.edit = None;
        let original = self.session.panes.remove(&id).expect("looked up above");
        self.session.panes.insert(editor, editor_pane);
        self.session.behind_editor.insert(editor, original);
        self.session.replace_in_tabs(id, editor);
        self.move_focus_marks(id, editor);
        self.relayout();
        Ok(())
    }

    /// The editor exited: the pane comes back where it stood, and the file
    /// goes.
    pub(super) fn editor_closed(&mut self, editor: PaneId) {
        let Some(original) = self.session.behind_editor.remove(&editor) else { return };
        let id = original.id;
        if let Some(mut pane) = self.session.panes.remove(&editor) {
            pane.kill();
        }
        let _ = std::fs::remove_file(scrollback_file(&self.session.name, id));
        // Its shell ended while the editor was open: it closes now.
        let ended = original.io.pty.is_none() && original.exited.is_none() && !original.suspended;
        self.session.panes.insert(id, original);
        self.session.replace_in_tabs(editor, id);
        self.move_focus_marks(editor, id);
        if ended {
            self.close_pane(id);
            return;
        }
        self.relayout();
    }

    /// Every view that focused `from` focuses `to`.
    fn move_focus_marks(&mut self, from: PaneId, to: PaneId) {
        for view in self.views_mut() {
            for focus in view.tiled_focus.values_mut().chain(view.floating_focus.values_mut()) {
                if *focus == from {
                    *focus = to;
                }
            }
        }
    }
}

/// `scrollback_editor`, else `$EDITOR`, else vi (Zellij's order for
/// scrollback). Split on spaces so `code --wait` works.
fn scrollback_editor(configured: Option<&str>) -> Vec<String> {
    let chosen = configured
        .map(str::to_owned)
        .or_else(|| std::env::var("EDITOR").ok().filter(|e| !e.trim().is_empty()))
        .unwrap_or_else(|| "vi".into());
    chosen.split_whitespace().map(str::to_owned).collect()
}

fn scrollback_file(session: &str, pane: PaneId) -> PathBuf {
    crate::paths::cache_dir().join("scrollback").join(format!("{session}-pane-{pane}.txt"))
}

/// The scrollback may hold secrets: the file is the user's alone.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent() {
        crate::paths::ensure_private_dir(dir)?;
    }
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    f.write_all(text.as_bytes())
}
