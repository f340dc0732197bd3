//! The session as the plugins see it: a [`SessionManifest`] built from the
//! live tabs and panes.

use crate::plugin::types::{
    Dimension, FloatingPane, Pane as MPane, SessionManifest, Split, SplitDirection, Tab as MTab, TiledBody, TiledNode,
};
use crate::tiling::{Direction, Size, Tile};

use super::Server;
use super::input::Who;

impl Server {
    pub(super) fn manifest(&self) -> SessionManifest {
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
                let pane = |id: u32| self.manifest_pane(id, tab_focus == Some(id));
                let mut tiled = Vec::new();
                flatten(&tab.tiled, None, &mut tiled, &pane);
                let floating = tab
                    .floating
                    .iter()
                    .map(|f| FloatingPane {
                        x: Dimension::Fixed(f.rect.x as u32),
                        y: Dimension::Fixed(f.rect.y as u32),
                        width: Dimension::Fixed(f.rect.w as u32),
                        height: Dimension::Fixed(f.rect.h as u32),
                        pinned: false,
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
        }
    }

    fn manifest_pane(&self, id: u32, focused: bool) -> MPane {
        let pane = self.session.panes.get(&id);
        let command = pane.and_then(|p| p.command()).map(<[String]>::to_vec);
        MPane {
            id,
            name: pane.and_then(|p| p.name.clone()),
            cwd: pane.and_then(|p| p.cwd()).map(|c| c.display().to_string()),
            start_suspended: command.is_some(),
            command,
            plugin: pane
                .and_then(|p| p.plugin.as_ref())
                .map(|p| crate::plugin::types::PluginRef { location: p.location.clone(), configuration: Vec::new() }),
            focused,
            contents: None,
        }
    }
}

/// Appends `tile` to `out` in pre-order; a split's children get indices
/// after its own.
fn flatten(tile: &Tile, size: Option<Size>, out: &mut Vec<TiledNode>, pane: &dyn Fn(u32) -> MPane) {
    let size = size.map(|s| match s {
        Size::Fixed(n) => Dimension::Fixed(n as u32),
        Size::Percent(p) => Dimension::Percent(p.round().clamp(0.0, 100.0) as u32),
    });
    match tile {
        Tile::Pane(id) => out.push(TiledNode { size, borderless: false, body: TiledBody::Pane(pane(*id)) }),
        Tile::Split { dir, children } => {
            let me = out.len();
            let direction = match dir {
                Direction::Horizontal => SplitDirection::Horizontal,
                Direction::Vertical => SplitDirection::Vertical,
            };
            out.push(TiledNode {
                size,
                borderless: false,
                body: TiledBody::Split(Split { direction, children: Vec::new() }),
            });
            let mut indices = Vec::new();
            for child in children {
                indices.push(out.len() as u32);
                flatten(&child.tile, child.size, out, pane);
            }
            if let TiledBody::Split(split) = &mut out[me].body {
                split.children = indices;
            }
        }
    }
}
