//! Turning a parsed layout into tabs and panes: the tiled tree with its
//! sizes, floating geometry, focus, names, cwds, commands (started, or held
//! behind "Press ENTER to run…"), `contents_file` text, plugin panes, and
//! the bar plugins that become the host's own bars.

use std::path::{Path, PathBuf};

use anyhow::Result;
use revenant_layout::{Layout, PaneNode, PaneSpec, Size as LSize, SplitDirection as LDir, TabLayout};

use crate::pty::Pty;
use revenant_session::Launch;
use revenant_session::tiling::{Child, Direction, PaneId, Rect, Size, Stack, Tile};

use super::Pane;
use super::Server;
use super::clients::Who;
use super::saved_contents::{Contents, MAX_CONTENTS};
use crate::frames::render;
use revenant_session::Floating;
use revenant_session::bars::{BarKind, Bars};

#[derive(Clone, Copy)]
pub(super) struct ApplyOptions {
    /// Start commands marked `start_suspended` right away.
    pub force_run: bool,
    /// The layout's bars become the session's (the layout a session starts
    /// from; not a tab added later).
    pub take_bars: bool,
    /// Leave the panes of every tab but the focused one dormant (a
    /// resurrection with `lazy_restore`; see `dormant`).
    pub lazy: bool,
}

/// Saved contents to replay into a pane's terminal.
pub(super) struct RestoreJob {
    id: PaneId,
    contents: Contents,
    cols: u16,
    rows: u16,
    scrollback: usize,
}

/// A pane of the layout with its id, created once its tab is laid out so
/// that its process starts at its real size.
struct Planned {
    id: PaneId,
    spec: PaneSpec,
    borderless: bool,
}

fn is_bar(spec: &PaneSpec) -> bool {
    spec.plugin.as_ref().is_some_and(|p| BarKind::from_location(&p.location).is_some())
}

impl Server {
    /// Adds the layout's tabs to the session and focuses the one the layout
    /// marks (else the first added). Returns the index of the first new tab.
    pub(super) fn apply_layout(&mut self, who: Who, layout: &Layout, opts: &ApplyOptions) -> Result<usize> {
        for warning in &layout.warnings {
            tracing::warn!("layout: {warning}");
        }
        if opts.take_bars {
            self.session.bars = Bars::from_layout(layout);
            self.session.swap_tiled = layout.swap_tiled.clone();
            self.session.swap_floating = layout.swap_floating.clone();
        }
        let (cols, rows) = (self.pane_area().w, self.pane_area().h);
        if let Err(e) = layout.normalize(cols, rows) {
            // Still opened: the tiling squeezes what does not fit, and a
            // bigger client gives it room again.
            tracing::warn!("layout does not fit {cols}x{rows}: {e}");
        }
        let base_dir = layout.source_dir();
        let first = self.session.tabs.len();
        let mut focus_tab = None;
        self.spawn_batch = Some(Vec::new());
        let shown = layout.tabs.iter().position(|t| t.focus).unwrap_or(0);
        for (i, tab) in layout.tabs.iter().enumerate() {
            let opts = &ApplyOptions { lazy: opts.lazy && i != shown, ..*opts };
            match self.apply_tab(who, tab, base_dir.as_deref(), opts, None) {
                Ok(index) if tab.focus => focus_tab = Some(index),
                Ok(_) => {}
                Err(e) => {
                    let batch = self.spawn_batch.take().unwrap_or_default();
                    self.start_processes(batch);
                    return Err(e);
                }
            }
        }
        // Before the relayout, which resizes each PTY to its final size.
        let batch = self.spawn_batch.take().unwrap_or_default();
        self.start_processes(batch);
        let target = focus_tab.unwrap_or(first);
        self.with_view(who, |view, _| view.tab = target);
        self.relayout();
        Ok(first)
    }

    /// Adds one tab built from `tab`; `name` overrides the tab's own name.
    pub(super) fn apply_tab(
        &mut self,
        who: Who,
        tab: &TabLayout,
        base_dir: Option<&Path>,
        opts: &ApplyOptions,
        name: Option<String>,
    ) -> Result<usize> {
        let mut planned = Vec::new();
        let tiled = match self.plan_tree(&tab.root, &mut planned) {
            Some(child) => child.tile,
            // Only bars (or nothing): a tab still needs a pane.
            None => {
                let id = self.session.allocate_pane_id();
                planned.push(Planned { id, spec: PaneSpec::default(), borderless: false });
                Tile::Pane(id)
            }
        };
        let index = self.session.add_tab(name.or_else(|| tab.name.clone()), tiled);
        let area = self.pane_area();
        let mut floating = Vec::new();
        for f in &tab.floating {
            let id = self.session.allocate_pane_id();
            let (x, y, w, h) = f.place_at((area.x, area.y), area.w, area.h);
            floating.push(Floating { id, rect: Rect::new(x, y, w, h), pinned: f.pinned });
            planned.push(Planned { id, spec: f.pane.clone(), borderless: f.borderless });
        }
        let t = &mut self.session.tabs[index];
        t.base = Some(tab.root.clone());
        t.floating = floating;
        t.floating_visible = !t.floating.is_empty() && !tab.hide_floating_panes;
        let placements = t.placements_with(area, true);
        let tab_id = t.id;

        let frames = self.config.pane_frames;
        let mut focus = None;
        for plan in planned {
            let placement = placements.iter().find(|p| p.id == plan.id);
            let floating = placement.is_some_and(|p| p.floating);
            let rect = placement.map_or(area, |p| p.rect);
            let inner = render::inner(rect, render::framed(frames, floating, plan.borderless));
            if plan.spec.focus && focus.is_none() {
                focus = Some((plan.id, floating));
            }
            let pane = self.pane_from_spec(&plan, tab.cwd.as_deref(), base_dir, inner, opts);
            self.session.panes.insert(plan.id, pane);
            self.publish_pane(plan.id, "pane_opened", serde_json::json!({}));
        }
        self.with_view(who, |view, _| match focus {
            Some((id, true)) => {
                view.floating_focus.insert(tab_id, id);
            }
            Some((id, false)) => {
                view.tiled_focus.insert(tab_id, id);
            }
            None => {}
        });
        // A focused stacked pane is the stack's open one.
        if let Some((id, false)) = focus {
            self.session.tabs[index].tiled.expand(id);
        }
        if let Some((_, false)) = focus {
            // A focused tiled pane means the keyboard starts there, not in a
            // floating pane on top of it.
            self.session.tabs[index].floating_visible = false;
        }
        Ok(index)
    }

    /// The tiled tree of a layout node with fresh pane ids; bar plugins are
    /// left out (the host draws its own) and a split left with one child
    /// collapses into it.
    fn plan_tree(&mut self, node: &PaneNode, planned: &mut Vec<Planned>) -> Option<Child> {
        let size = node.size.map(|s| match s {
            LSize::Fixed(n) => Size::Fixed(n),
            LSize::Percent(p) => Size::Percent(f64::from(p)),
        });
        if node.is_leaf() {
            let spec = node.pane.clone().unwrap_or_default();
            if is_bar(&spec) {
                return None;
            }
            let id = self.session.allocate_pane_id();
            planned.push(Planned { id, spec, borderless: node.borderless });
            return Some(Child { size, tile: Tile::Pane(id) });
        }
        if node.stacked {
            return self.plan_stack(node, size, planned);
        }
        let mut children: Vec<Child> = node.children.iter().filter_map(|c| self.plan_tree(c, planned)).collect();
        match children.len() {
            0 => None,
            1 => {
                let only = children.pop().expect("one child");
                Some(Child { size, tile: only.tile })
            }
            _ => {
                let dir = match node.split {
                    LDir::Horizontal => Direction::Horizontal,
                    LDir::Vertical => Direction::Vertical,
                };
                Some(Child { size, tile: Tile::Split { dir, children } })
            }
        }
    }

    /// A `stacked=true` node: its panes (splits inside a stack give their
    /// panes to it) become one stack, expanded at the pane marked
    /// `expanded=true`, else at the last (Zellij's default).
    fn plan_stack(&mut self, node: &PaneNode, size: Option<Size>, planned: &mut Vec<Planned>) -> Option<Child> {
        let mut leaves = Vec::new();
        node.visit_leaves(&mut |n| leaves.push(n.clone()));
        let mut panes = Vec::new();
        let mut expanded = None;
        for leaf in leaves {
            let spec = leaf.pane.clone().unwrap_or_default();
            if is_bar(&spec) {
                continue;
            }
            if spec.expanded && expanded.is_none() {
                expanded = Some(panes.len());
            }
            let id = self.session.allocate_pane_id();
            planned.push(Planned { id, spec, borderless: leaf.borderless });
            panes.push(id);
        }
        let tile = match panes.len() {
            0 => return None,
            1 => Tile::Pane(panes[0]),
            n => Tile::Stack(Stack { panes, expanded: expanded.unwrap_or(n - 1) }),
        };
        Some(Child { size, tile })
    }

    /// Creates the pane a layout describes. Nothing here fails the layout: a
    /// plugin that does not load or a command that does not start leaves a
    /// pane saying why.
    fn pane_from_spec(
        &mut self,
        plan: &Planned,
        tab_cwd: Option<&Path>,
        base_dir: Option<&Path>,
        inner: Rect,
        opts: &ApplyOptions,
    ) -> Pane {
        let spec = &plan.spec;
        if let Some(plugin) = &spec.plugin {
            let mut pane = self.plugin_pane(plan.id, &plugin.location, plugin.configuration.clone(), inner);
            pane.borderless = plan.borderless;
            if spec.name.is_some() {
                pane.name = spec.name.clone();
            }
            return pane;
        }
        let argv = match (&spec.command, &spec.edit) {
            (Some(argv), _) => argv.clone(),
            (None, Some(file)) => vec![editor(self.config.scrollback_editor.as_deref()), file.clone()],
            (None, None) => Vec::new(),
        };
        // A saved command's variables come back as `env NAME=VALUE cmd`.
        let (env, argv) = super::command_env::unwrap_env(argv);
        let cwd = spec.cwd.clone().or_else(|| tab_cwd.map(Path::to_path_buf)).map(absolute);
        let mut pane = self.new_pane_state(plan.id, argv, cwd, spec.name.clone(), inner.w, inner.h);
        pane.borderless = plan.borderless;
        pane.spec.env.extend(env.iter().cloned());
        pane.env = env;
        pane.never_save_contents = spec.never_save_contents;
        pane.close_on_exit = spec.close_on_exit;
        pane.exclude_from_sync = spec.exclude_from_sync;
        pane.default_fg = spec.default_fg.clone();
        pane.default_bg = spec.default_bg.clone();
        pane.edit = if spec.command.is_none() { spec.edit.clone() } else { None };
        let mut contents = None;
        if let Some(file) = &spec.contents_file {
            let path = match base_dir {
                Some(dir) if file.is_relative() => dir.join(file),
                _ => file.clone(),
            };
            if opts.lazy {
                match revenant_kdl_file::open_bounded(&path, MAX_CONTENTS) {
                    Ok(file) => contents = Some(std::sync::Arc::new(file)),
                    Err(e) => tracing::warn!(pane = plan.id, "contents_file {}: {e}", path.display()),
                }
            } else {
                self.restore_contents(&mut pane, Contents::Path(path));
            }
        }
        pane.suspended = spec.start_suspended && !opts.force_run && pane.is_command;
        if opts.lazy {
            let start = !pane.suspended;
            self.dormant.insert(pane.id, super::dormant::Dormant { contents, start });
        } else if !pane.suspended
            && let Some(batch) = &mut self.spawn_batch
        {
            // Started with the layout's other panes, in parallel.
            batch.push(pane.id);
        } else if !pane.suspended
            && let Err(e) = self.start_process(&mut pane)
        {
            let msg = format!("\x1b[31m{e:#}\x1b[0m\r\n");
            pane.term.advance(msg.as_bytes());
            pane.exited = Some(None);
        }
        pane
    }

    /// Starts the processes of panes `ids` on a few threads at once: a fork
    /// and exec takes milliseconds, and a resurrected session has dozens.
    /// A pane whose process cannot start says why on its screen.
    pub(super) fn start_processes(&mut self, ids: Vec<PaneId>) {
        let jobs: Vec<(PaneId, Launch)> =
            ids.iter().filter_map(|id| Some((*id, self.session.panes.get(id)?.spec.clone()))).collect();
        if jobs.is_empty() {
            return;
        }
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 4).min(jobs.len());
        let chunk = jobs.len().div_ceil(threads);
        let started: Vec<(PaneId, std::io::Result<Pty>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = jobs
                .chunks(chunk)
                .map(|group| {
                    scope.spawn(move || group.iter().map(|(id, spec)| (*id, Pty::spawn(spec))).collect::<Vec<_>>())
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
        });
        for (id, result) in started {
            let Some(pane) = self.session.panes.get_mut(&id) else { continue };
            match result {
                Ok(pty) => {
                    pane.io.pty = Some(pty);
                    pane.exited = None;
                    pane.suspended = false;
                }
                Err(e) => {
                    pane.term.advance(format!("\x1b[31m{e:#}\x1b[0m\r\n").as_bytes());
                    pane.exited = Some(None);
                }
            }
        }
    }

    /// Replays a `contents_file` into a fresh terminal on a thread of its
    /// own (a resurrected session may have megabytes of them), so the
    /// session answers at once; the pane's output is held until then.
    pub(super) fn restore_contents(&mut self, pane: &mut Pane, contents: Contents) {
        let job = RestoreJob {
            id: pane.id,
            contents,
            cols: pane.term.cols(),
            rows: pane.term.rows(),
            scrollback: self.config.scroll_buffer_size,
        };
        if self.restorer.is_none() {
            let (tx, rx) = std::sync::mpsc::channel::<RestoreJob>();
            let events = self.events.clone();
            let spawned = std::thread::Builder::new().name("restore".into()).spawn(move || {
                for job in rx {
                    let term = job.contents.replay(job.cols, job.rows, job.scrollback, job.id);
                    if events.send(super::Event::Restored(job.id, Box::new(term))).is_err() {
                        return;
                    }
                }
            });
            match spawned {
                Ok(_) => self.restorer = Some(tx),
                Err(e) => tracing::warn!("cannot start restoring contents: {e}"),
            }
        }
        if let Some(tx) = &self.restorer
            && tx.send(job).is_ok()
        {
            pane.restoring = Some(Vec::new());
        }
    }

    /// A pane's contents are back: they replace its blank terminal, and the
    /// output held meanwhile follows them.
    pub(super) fn restored(&mut self, id: PaneId, mut term: revenant_terminal::Terminal) {
        let Some(pane) = self.session.panes.get_mut(&id) else { return };
        let Some(held) = pane.restoring.take() else { return };
        term.resize(pane.term.cols(), pane.term.rows());
        // Queries the program sent meanwhile were answered by nobody.
        term.advance(&held);
        let answer = term.take_responses();
        pane.term = term;
        if !answer.is_empty() {
            let _ = pane.write(&answer);
        }
        self.dirty = true;
        if !self.session.panes.values().any(|p| p.restoring.is_some()) && crate::startup::mark_once("screens_replayed")
        {
            tracing::info!("startup with screens: {}", crate::startup::summary());
        }
    }

    /// A plugin pane: the session manager or a `file:` component (loaded
    /// by the pane's own thread, which says so if it cannot), else a pane
    /// that says the plugin is not available.
    fn plugin_pane(&mut self, id: PaneId, location: &str, config: Vec<(String, String)>, inner: Rect) -> Pane {
        let known = location.starts_with("file:") || self.is_session_manager(location);
        let mut pane = if known {
            let entry = self.ui_entry(location, config.clone());
            let plugin = self.open_ui_pane(id, entry, inner);
            let mut pane = super::program::plugin_pane(id, plugin);
            pane.resize(inner.w, inner.h);
            pane
        } else {
            let why = format!(
                "Revenant has no plugin `{location}`: only the session manager (zellij:session-manager), the bars \
                 (tab-bar, status-bar, compact-bar) and file:/path/to/plugin.wasm components are available."
            );
            tracing::warn!(pane = id, "plugin pane {location}: {why}");
            let mut pane = self.new_pane_state(id, Vec::new(), None, Some(location.to_string()), inner.w, inner.h);
            pane.term.advance(format!("\x1b[33mPlugin `{location}` is not available.\x1b[0m\r\n{why}\r\n").as_bytes());
            pane
        };
        pane.plugin_location = Some(location.to_string());
        pane.plugin_configuration = config;
        pane
    }
}

/// Relative cwds are relative to where the session was started.
fn absolute(p: PathBuf) -> PathBuf {
    if p.is_absolute() { p } else { std::env::current_dir().map(|d| d.join(&p)).unwrap_or(p) }
}

impl Server {
    /// `revenant edit FILE --line N`: the editor `edit=` panes use, at that
    /// line (`+N`, or helix's and kakoune's own spellings).
    pub(super) fn editor_argv(&self, file: &str, line: Option<u32>) -> Vec<String> {
        let argv: Vec<String> =
            editor(self.config.scrollback_editor.as_deref()).split_whitespace().map(str::to_owned).collect();
        super::editor_args::open_at(argv, file, line.map(|n| n as usize))
    }
}

/// `edit=` panes open `$EDITOR`, else the config's `scrollback_editor`,
/// else `vi`, as in Zellij.
fn editor(configured: Option<&str>) -> String {
    std::env::var("EDITOR")
        .ok()
        .filter(|e| !e.trim().is_empty())
        .or_else(|| configured.map(str::to_owned))
        .unwrap_or_else(|| "vi".into())
}
