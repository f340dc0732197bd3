//! The session as the plugins see it: a [`SessionManifest`] built from the
//! live tabs and panes.

use crate::plugin::types::{
    Dimension, FloatingPane, Pane as MPane, PluginRef, SessionManifest, Split, SplitDirection, Tab as MTab, TiledBody,
    TiledNode,
};
use std::collections::HashMap;

use revenant_session::tiling::{Direction, PaneId, Size, Tile};

use super::super::program::Found;
use crate::runtime::Server;
use crate::runtime::clients::Who;
use revenant_session::bars::Bar;

impl Server {
    /// The manifest with each pane's command and cwd as discovered (see
    /// [`Server::discover_all`]); panes missing from `found` report what
    /// they were started with.
    pub(in crate::runtime) fn manifest_with(&self, found: &HashMap<PaneId, Found>) -> SessionManifest {
        let view = self.view(Who::Active);
        let active_tab = view.tab_index(&self.session);
        let focused = view.focused(&self.session);
        let tabs = self
            .session
            .tabs
            .iter()
            .enumerate()
            .map(|(i, tab)| {
                // The pane focused within each tab, not only the active one.
                let tab_focus = if i == active_tab {
                    focused
                } else {
                    view.tiled_focus.get(&tab.id).copied().or_else(|| tab.tiled.panes().first().copied())
                };
                let pane = |id: u32| self.manifest_pane(id, tab_focus == Some(id), found.get(&id));
                let borderless = |id: u32| self.session.panes.get(&id).is_some_and(|p| p.borderless);
                let mut tiled = Vec::new();
                self.with_bars(&mut tiled, |out| flatten(&tab.tiled, None, out, &pane, &borderless));
                // Layouts give a floating pane's x and y from the screen's
                // corner (as Zellij reads and writes them), not the area's.
                let area = self.pane_area();
                let floating = tab
                    .floating
                    .iter()
                    .map(|f| FloatingPane {
                        x: Dimension::Fixed(u32::from(f.rect.x) + u32::from(area.x)),
                        y: Dimension::Fixed(u32::from(f.rect.y) + u32::from(area.y)),
                        width: Dimension::Fixed(f.rect.w as u32),
                        height: Dimension::Fixed(f.rect.h as u32),
                        pinned: f.pinned,
                        pane: pane(f.id),
                    })
                    .collect();
                MTab {
                    name: tab.name.clone(),
                    position: i as u32,
                    focused: i == active_tab,
                    hide_floating_panes: !tab.floating_visible,
                    tiled,
                    floating,
                }
            })
            .collect();
        SessionManifest {
            name: self.session.name.clone(),
            cwd: std::env::current_dir().ok().map(|d| d.display().to_string()),
            tabs,
            swap_layouts: revenant_layout::swap_layouts_kdl(&self.session.swap_tiled, &self.session.swap_floating),
        }
    }

    /// Writes the session's bars around a tab's tree, as the bar plugin
    /// panes of a Zellij layout, so the saved layout opens with its bars
    /// in Zellij and in Revenant alike.
    fn with_bars(&self, out: &mut Vec<TiledNode>, tree: impl FnOnce(&mut Vec<TiledNode>)) {
        let bars = self.session.bars;
        if bars.top.is_none() && bars.bottom.is_none() {
            tree(out);
            return;
        }
        out.push(TiledNode {
            size: None,
            borderless: false,
            body: TiledBody::Split(Split {
                direction: SplitDirection::Horizontal,
                children: Vec::new(),
                stacked: false,
            }),
        });
        let mut children = Vec::new();
        // Ids no real pane has: the serializer only uses them for sidecar names.
        let bar = |out: &mut Vec<TiledNode>, bar: Bar, id: u32| {
            out.push(TiledNode {
                size: Some(Dimension::Fixed(bar.rows as u32)),
                borderless: true,
                body: TiledBody::Pane(MPane {
                    id,
                    name: None,
                    cwd: None,
                    command: None,
                    plugin: Some(PluginRef { location: bar.kind.location().into(), configuration: Vec::new() }),
                    focused: false,
                    start_suspended: false,
                    contents: None,
                    default_fg: None,
                    default_bg: None,
                    edit: None,
                    expanded: false,
                    env: Vec::new(),
                    save_contents: true,
                }),
            });
        };
        if let Some(top) = bars.top {
            children.push(out.len() as u32);
            bar(out, top, u32::MAX);
        }
        children.push(out.len() as u32);
        tree(out);
        if let Some(bottom) = bars.bottom {
            children.push(out.len() as u32);
            bar(out, bottom, u32::MAX - 1);
        }
        if let TiledBody::Split(split) = &mut out[0].body {
            split.children = children;
        }
    }

    fn manifest_pane(&self, id: u32, focused: bool, found: Option<&Found>) -> MPane {
        let pane = self.session.pane_for_save(id);
        let (command, cwd) = match found {
            Some(f) => (f.argv.clone(), f.cwd.clone()),
            None => (pane.and_then(|p| p.command()).map(<[String]>::to_vec), pane.and_then(|p| p.cwd())),
        };
        MPane {
            id,
            name: pane.and_then(|p| p.name.clone()),
            cwd: cwd.map(|c| c.display().to_string()),
            start_suspended: command.is_some(),
            command,
            plugin: pane.and_then(|p| p.plugin_location.as_ref()).map(|location| PluginRef {
                location: location.clone(),
                configuration: pane.map(|p| p.plugin_configuration.clone()).unwrap_or_default(),
            }),
            focused,
            contents: None,
            default_fg: pane.and_then(|p| p.default_fg.as_ref()).map(|c| c.text.clone()),
            default_bg: pane.and_then(|p| p.default_bg.as_ref()).map(|c| c.text.clone()),
            edit: pane.and_then(|p| p.edit.clone()),
            expanded: false,
            // Set with the command, once the discovery chain had its say.
            env: Vec::new(),
            save_contents: !pane.is_some_and(|p| p.never_save_contents),
        }
    }
}

/// Appends `tile` to `out` in pre-order; a split's children get indices
/// after its own.
fn flatten(
    tile: &Tile,
    size: Option<Size>,
    out: &mut Vec<TiledNode>,
    pane: &dyn Fn(u32) -> MPane,
    borderless: &dyn Fn(u32) -> bool,
) {
    let size = size.map(|s| match s {
        Size::Fixed(n) => Dimension::Fixed(n as u32),
        Size::Percent(p) => Dimension::Percent(p.round().clamp(0.0, 100.0) as u32),
    });
    match tile {
        Tile::Pane(id) => out.push(TiledNode { size, borderless: borderless(*id), body: TiledBody::Pane(pane(*id)) }),
        Tile::Stack(stack) => {
            let me = out.len();
            out.push(TiledNode {
                size,
                borderless: false,
                body: TiledBody::Split(Split {
                    direction: SplitDirection::Horizontal,
                    children: Vec::new(),
                    stacked: true,
                }),
            });
            let mut indices = Vec::new();
            for &id in &stack.panes {
                indices.push(out.len() as u32);
                let mut p = pane(id);
                p.expanded = id == stack.expanded_pane();
                out.push(TiledNode { size: None, borderless: borderless(id), body: TiledBody::Pane(p) });
            }
            if let TiledBody::Split(split) = &mut out[me].body {
                split.children = indices;
            }
        }
        Tile::Split { dir, children } => {
            let me = out.len();
            let direction = match dir {
                Direction::Horizontal => SplitDirection::Horizontal,
                Direction::Vertical => SplitDirection::Vertical,
            };
            out.push(TiledNode {
                size,
                borderless: false,
                body: TiledBody::Split(Split { direction, children: Vec::new(), stacked: false }),
            });
            let mut indices = Vec::new();
            for child in children {
                indices.push(out.len() as u32);
                flatten(&child.tile, child.size, out, pane, borderless);
            }
            if let TiledBody::Split(split) = &mut out[me].body {
                split.children = indices;
            }
        }
    }
}
