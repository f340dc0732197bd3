//! Turning a session manifest into a Zellij `session-layout.kdl`.

use std::borrow::Cow;

use revenant_plugin_api::types::{
    Dimension, FloatingPane, Pane, SerializedSession, SessionManifest, Sidecar, SplitDirection, Tab, TiledBody,
    TiledNode,
};

use crate::editor;
use crate::kdl_writer::{KdlWriter, Value};

/// Serializes `manifest` into a layout and the sidecar files it refers to.
///
/// Fails, rather than writing a layout that Zellij would misread, when the
/// manifest breaks the contract: no tabs, an empty or malformed tiled tree, or
/// two panes with saved contents sharing an id.
pub(crate) fn serialize_manifest(mut manifest: SessionManifest) -> Result<SerializedSession, String> {
    let (mut session, owners) = write_layout(&manifest)?;
    // Each sidecar is its pane's text, moved rather than copied: a screen
    // with its scrollback is megabytes.
    for (sidecar, id) in session.sidecars.iter_mut().zip(owners) {
        let text = terminal_panes(&mut manifest).find(|p| p.id == id).and_then(|p| p.contents.as_mut());
        sidecar.contents = text.map(|c| std::mem::take(&mut c.text)).unwrap_or_default();
    }
    Ok(session)
}

/// Every terminal pane of the manifest, tiled and floating.
fn terminal_panes(manifest: &mut SessionManifest) -> impl Iterator<Item = &mut Pane> {
    manifest
        .tabs
        .iter_mut()
        .flat_map(|tab| {
            let tiled = tab.tiled.iter_mut().filter_map(|node| match &mut node.body {
                TiledBody::Pane(pane) => Some(pane),
                TiledBody::Split(_) => None,
            });
            tiled.chain(tab.floating.iter_mut().map(|f| &mut f.pane))
        })
        .filter(|pane| pane.plugin.is_none())
}

/// The layout and its sidecars, still empty, with the id of the pane each
/// one is for.
fn write_layout(manifest: &SessionManifest) -> Result<(SerializedSession, Vec<u32>), String> {
    if manifest.tabs.is_empty() {
        return Err(format!("session {:?} has no tabs", manifest.name));
    }
    // An empty cwd would make every absolute pane cwd look "inside" it.
    let base_cwd = manifest.cwd.as_deref().filter(|cwd| !cwd.is_empty());
    let mut layout =
        LayoutWriter { w: KdlWriter::new(), base_cwd, sidecars: Vec::new(), owners: Vec::new(), pane_count: 0 };

    layout.w.node(0, "layout").open();
    if let Some(cwd) = base_cwd {
        layout.w.node(1, "cwd").arg(cwd).end();
    }
    // The manifest is in tab-bar order already, but positions are the
    // authority; a stable sort keeps the manifest order for equal positions.
    let mut tabs: Vec<&Tab> = manifest.tabs.iter().collect();
    tabs.sort_by_key(|tab| tab.position);
    // Zellij focuses one tab; should the host mark several, the first wins.
    let focused_tab = tabs.iter().position(|tab| tab.focused);
    for (i, tab) in tabs.iter().enumerate() {
        layout
            .tab(tab, focused_tab == Some(i))
            .map_err(|e| format!("tab {:?} (position {}): {e}", tab.name, tab.position))?;
    }
    // The session's swap layouts, as its layout file wrote them.
    for swap in &manifest.swap_layouts {
        layout.w.verbatim(1, swap);
    }
    layout.w.close(0);

    let LayoutWriter { w, sidecars, owners, pane_count, .. } = layout;
    let layout = w.finish();
    revenant_plugin_api::log!(
        debug,
        "serialized session {:?}: {} tabs, {} panes, {} sidecars, {} bytes of layout",
        manifest.name,
        tabs.len(),
        pane_count,
        sidecars.len(),
        layout.len()
    );
    Ok((SerializedSession { layout, sidecars }, owners))
}

/// Where a pane sits: tiled panes have a size and may be borderless, floating
/// panes have coordinates.
enum Placement<'a> {
    Tiled { size: Option<Dimension>, borderless: bool },
    Floating(&'a FloatingPane),
}

/// One pending step of the iterative tiled-tree walk. The walk is iterative
/// so that a pathologically deep tree cannot overflow the stack.
enum Step {
    Open { index: usize, depth: usize },
    Close { depth: usize },
}

struct LayoutWriter<'m> {
    w: KdlWriter,
    base_cwd: Option<&'m str>,
    sidecars: Vec<Sidecar>,
    /// The pane each sidecar is for.
    owners: Vec<u32>,
    pane_count: usize,
}

impl LayoutWriter<'_> {
    fn tab(&mut self, tab: &Tab, focused: bool) -> Result<(), String> {
        self.w
            .node(1, "tab")
            .prop("name", tab.name.as_str())
            .flag("focus", focused)
            .flag("hide_floating_panes", tab.hide_floating_panes)
            .open();
        self.tiled(&tab.tiled, 2)?;
        if !tab.floating.is_empty() {
            self.w.node(2, "floating_panes").open();
            for floating in &tab.floating {
                self.pane(3, &floating.pane, Placement::Floating(floating))?;
            }
            self.w.close(2);
        }
        self.w.close(1);
        Ok(())
    }

    /// Writes the flattened tree rooted at `nodes[0]`, checking the
    /// contract's invariants (indices in range, children after their split,
    /// every node used exactly once) since a violation would otherwise loop,
    /// duplicate panes or silently drop them.
    fn tiled(&mut self, nodes: &[TiledNode], depth: usize) -> Result<(), String> {
        if nodes.is_empty() {
            return Err("the tiled pane tree is empty".to_string());
        }
        let mut visited = vec![false; nodes.len()];
        let mut stack = vec![Step::Open { index: 0, depth }];
        while let Some(step) = stack.pop() {
            let (index, depth) = match step {
                Step::Close { depth } => {
                    self.w.close(depth);
                    continue;
                }
                Step::Open { index, depth } => (index, depth),
            };
            if std::mem::replace(&mut visited[index], true) {
                return Err(format!("tiled node {index} is listed as a child more than once"));
            }
            let node = &nodes[index];
            // A size is relative to the parent split; the root has none.
            let size = if index == 0 { None } else { node.size };
            match &node.body {
                TiledBody::Pane(pane) => {
                    let placement = Placement::Tiled { size, borderless: node.borderless };
                    self.pane(depth, pane, placement)?;
                }
                TiledBody::Split(split) => {
                    if split.children.is_empty() {
                        return Err(format!("split node {index} has no children"));
                    }
                    // Validate before writing anything of the split.
                    for &child in &split.children {
                        let child_index = child as usize;
                        if child_index >= nodes.len() {
                            return Err(format!(
                                "split node {index} lists child {child}, but the tree has only {} nodes",
                                nodes.len()
                            ));
                        }
                        if child_index <= index {
                            return Err(format!(
                                "split node {index} lists child {child}, which does not come after it \
                                 (children must have greater indices; is there a cycle?)"
                            ));
                        }
                    }
                    let direction = match split.direction {
                        SplitDirection::Horizontal => "horizontal",
                        SplitDirection::Vertical => "vertical",
                    };
                    self.w
                        .node(depth, "pane")
                        .prop_opt("size", size.map(dimension))
                        .flag("borderless", node.borderless)
                        .prop("split_direction", direction)
                        .flag("stacked", split.stacked)
                        .open();
                    stack.push(Step::Close { depth });
                    stack.extend(
                        split
                            .children
                            .iter()
                            .rev()
                            .map(|&child| Step::Open { index: child as usize, depth: depth + 1 }),
                    );
                }
            }
        }
        match visited.iter().position(|seen| !seen) {
            Some(orphan) => Err(format!("tiled node {orphan} is not reachable from the root")),
            None => Ok(()),
        }
    }

    /// Writes one pane. For a plugin pane only the plugin, name, focus and
    /// placement are written: Zellij refuses a pane with both a plugin and a
    /// command, and plugins have no scrollback to restore.
    fn pane(&mut self, depth: usize, pane: &Pane, placement: Placement<'_>) -> Result<(), String> {
        self.pane_count += 1;
        let plugin = pane.plugin.as_ref();
        let is_terminal = plugin.is_none();
        // An editor on one file is saved as an `edit` pane, as Zellij
        // saves one: it comes back running, not behind ENTER.
        let edit = match &pane.edit {
            Some(file) if is_terminal => Some(editor::Edited { file: file.clone(), line: None }),
            _ => pane.command.as_deref().filter(|_| is_terminal).and_then(editor::edited_file),
        };
        if let Some(line) = edit.as_ref().and_then(|e| e.line) {
            revenant_plugin_api::log!(
                debug,
                "pane {}: saved as `edit`; its line {line} has no place in a layout",
                pane.id
            );
        }
        let wrapped =
            pane.command.as_deref().filter(|_| is_terminal && edit.is_none()).map(|argv| with_env(argv, &pane.env));
        let argv = wrapped.as_deref().and_then(<[String]>::split_first);
        let cwd = match &pane.cwd {
            Some(cwd) if is_terminal => relative_cwd(self.base_cwd, cwd),
            _ => None,
        };
        let contents_file = match &pane.contents {
            Some(_) if is_terminal => Some(self.add_sidecar(pane.id)?),
            _ => None,
        };
        let start_suspended = pane.start_suspended && argv.is_some();
        let has_args = argv.is_some_and(|(_, args)| !args.is_empty());
        let (size, borderless, floating) = match placement {
            Placement::Tiled { size, borderless } => (size, borderless, None),
            Placement::Floating(floating) => (None, false, Some(floating)),
        };

        let node = self
            .w
            .node(depth, "pane")
            .prop_opt("size", size.map(dimension))
            .flag("borderless", borderless)
            .prop_opt("cwd", cwd)
            .prop_opt("name", pane.name.as_deref())
            .prop_opt("command", argv.map(|(program, _)| program.as_str()))
            .prop_opt("edit", edit.as_ref().map(|e| e.file.as_str()))
            .flag("focus", pane.focused)
            .flag("expanded", pane.expanded)
            .prop_opt("default_fg", pane.default_fg.as_deref())
            .prop_opt("default_bg", pane.default_bg.as_deref())
            .prop_opt("contents_file", contents_file)
            // Revenant's own property, written only when set: every other
            // saved layout stays one Zellij reads.
            .prop_opt("save_contents", (!pane.save_contents).then_some(false));
        if is_terminal && !has_args && !start_suspended && floating.is_none() {
            node.end();
            return Ok(());
        }
        node.open();

        let inner = depth + 1;
        if let Some(plugin) = plugin {
            let node = self.w.node(inner, "plugin").prop("location", plugin.location.as_str());
            if plugin.configuration.is_empty() {
                node.end();
            } else {
                node.open();
                for (key, value) in &plugin.configuration {
                    self.w.node(inner + 1, key).arg(value.as_str()).end();
                }
                self.w.close(inner);
            }
        }
        if let Some((_, args)) = argv.filter(|_| has_args) {
            let mut node = self.w.node(inner, "args");
            for arg in args {
                node = node.arg(arg.as_str());
            }
            node.end();
        }
        if start_suspended {
            self.w.node(inner, "start_suspended").arg(true).end();
        }
        if let Some(floating) = floating {
            self.w.node(inner, "x").arg(dimension(floating.x)).end();
            self.w.node(inner, "y").arg(dimension(floating.y)).end();
            self.w.node(inner, "width").arg(dimension(floating.width)).end();
            self.w.node(inner, "height").arg(dimension(floating.height)).end();
            if floating.pinned {
                self.w.node(inner, "pinned").arg(true).end();
            }
        }
        self.w.close(depth);
        Ok(())
    }

    /// Records a pane's contents as a sidecar and returns the file name the
    /// layout refers to. The name is derived from the pane id (as Zellij's
    /// own snapshots do), so a duplicate id would make two panes share one
    /// file; that is refused.
    fn add_sidecar(&mut self, pane_id: u32) -> Result<String, String> {
        let name = format!("initial_contents_{pane_id}");
        if self.sidecars.iter().any(|sidecar| sidecar.name == name) {
            return Err(format!("two panes with saved contents have id {pane_id}; both would use the file {name:?}"));
        }
        // The contract's text is already what Zellij reads from the file;
        // it is moved in once the layout is done.
        self.sidecars.push(Sidecar { name: name.clone(), contents: String::new() });
        self.owners.push(pane_id);
        Ok(name)
    }
}

/// The command with its saved variables as `env NAME=VALUE… argv…`: a
/// layout has no place for a pane's environment, and `env` runs the same
/// in Zellij and in Revenant (which reads it back as variables).
fn with_env(argv: &[String], env: &[(String, String)]) -> Vec<String> {
    // A program whose name has `=` in it would be read as a variable.
    if env.is_empty() || argv.first().is_none_or(|p| p.contains('=')) {
        return argv.to_vec();
    }
    let vars = env.iter().filter(|(name, _)| !name.is_empty() && !name.contains('=')).map(|(n, v)| format!("{n}={v}"));
    std::iter::once("env".to_string()).chain(vars).chain(argv.iter().cloned()).collect()
}

/// `size=10` for fixed cells, `size="50%"` for percents, as Zellij reads them.
fn dimension(dimension: Dimension) -> Value<'static> {
    match dimension {
        Dimension::Fixed(cells) => Value::Int(cells),
        Dimension::Percent(percent) => Value::from(format!("{percent}%")),
    }
}

/// The cwd to write for a pane, or `None` to write none.
///
/// Zellij joins a relative pane cwd onto the layout's `cwd`, so a directory
/// inside the layout cwd is written relative to it (shorter, and the session
/// survives the project moving), the layout cwd itself is omitted, and
/// anything else stays absolute. Only whole path components count: `/a/bc`
/// is not inside `/a/b`.
pub(crate) fn relative_cwd<'c>(base: Option<&str>, cwd: &'c str) -> Option<Cow<'c, str>> {
    let absolute = Some(Cow::Borrowed(cwd));
    // A relative base cannot be matched against reliably.
    let Some(base) = base.filter(|base| base.starts_with('/')) else {
        return absolute;
    };
    // "/" trims to "", which every absolute path then extends.
    let base = base.trim_end_matches('/');
    let Some(rest) = cwd.strip_prefix(base) else {
        return absolute;
    };
    if !rest.is_empty() && !rest.starts_with('/') {
        return absolute;
    }
    let relative = rest.trim_start_matches('/');
    if relative.trim_end_matches('/').is_empty() {
        return None;
    }
    if relative.len() < cwd.len() { Some(Cow::Borrowed(relative)) } else { absolute }
}

#[cfg(test)]
mod tests {
    use super::relative_cwd;

    fn rel(base: Option<&str>, cwd: &str) -> Option<String> {
        relative_cwd(base, cwd).map(|c| c.into_owned())
    }

    #[test]
    fn inside_the_layout_cwd_is_relative() {
        let base = Some("/home/u/project");
        assert_eq!(rel(base, "/home/u/project/src"), Some("src".into()));
        assert_eq!(rel(base, "/home/u/project/src/bin/"), Some("src/bin/".into()));
        assert_eq!(rel(Some("/home/u/project/"), "/home/u/project/src"), Some("src".into()));
        assert_eq!(rel(Some("/"), "/etc"), Some("etc".into()));
    }

    #[test]
    fn the_layout_cwd_itself_is_omitted() {
        assert_eq!(rel(Some("/home/u/project"), "/home/u/project"), None);
        assert_eq!(rel(Some("/home/u/project"), "/home/u/project/"), None);
        assert_eq!(rel(Some("/home/u/project/"), "/home/u/project"), None);
        assert_eq!(rel(Some("/"), "/"), None);
    }

    #[test]
    fn outside_the_layout_cwd_is_absolute() {
        let base = Some("/home/u/project");
        assert_eq!(rel(base, "/tmp"), Some("/tmp".into()));
        assert_eq!(rel(base, "/home/u"), Some("/home/u".into()));
        assert_eq!(rel(None, "/home/u/project/src"), Some("/home/u/project/src".into()));
    }

    #[test]
    fn a_string_prefix_is_not_a_path_prefix() {
        assert_eq!(rel(Some("/home/u/proj"), "/home/u/proj2"), Some("/home/u/proj2".into()));
        assert_eq!(rel(Some("/home/u/proj"), "/home/u/proj2/src"), Some("/home/u/proj2/src".into()));
    }

    #[test]
    fn a_relative_base_is_not_used() {
        assert_eq!(rel(Some("project"), "project/src"), Some("project/src".into()));
        assert_eq!(rel(Some("/home/u"), "relative/dir"), Some("relative/dir".into()));
    }
}
