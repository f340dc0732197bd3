//! `swap_tiled_layout` and `swap_floating_layout` nodes: named lists of
//! steps, each a tab body (or floating panes) with a pane-count constraint.

use std::path::Path;

use kdl::{KdlNode, KdlValue};

use crate::error::{ErrorKind, Fault};
use crate::swap::{Constraint, SwapFloating, SwapTiled};
use crate::{PaneNode, PaneSpec};

use super::build::Builder;
use super::templates::*;
use super::values::*;

/// What a `children` node inside a swap step becomes until the tree is
/// built: a pane with a name no file can write (a NUL is not valid KDL
/// text), turned into [`PaneSpec::children_slot`] afterwards.
const SLOT: &str = "\u{0}children";

const CONSTRAINTS: [&str; 3] = ["max_panes", "min_panes", "exact_panes"];

pub(super) struct RawSwapTiled {
    name: Option<String>,
    steps: Vec<(Constraint, RawTab)>,
}

pub(super) struct RawSwapFloating {
    name: Option<String>,
    steps: Vec<(Constraint, Vec<RawPane>)>,
}

impl<'a> Parser<'a> {
    pub(super) fn swap_tiled(&mut self, node: &'a KdlNode) -> Result<RawSwapTiled, Fault> {
        let name = swap_name(node)?;
        let mut steps = Vec::new();
        for child in child_nodes(node) {
            let constraint = constraint(child)?;
            // A step is a `tab`, or an instance of a tab template (Zellij's
            // own swap layouts wrap their steps in a `ui` template).
            let raw = match super::values::name(child) {
                "tab" => self.tab(child, true, &CONSTRAINTS)?,
                _ if self.is_template(child, TemplateKind::Tab) => {
                    let template = self.tab_template(super::values::name(child), name_span(child))?;
                    let own = self.tab(child, true, &CONSTRAINTS)?;
                    apply_tab_template(&template, own, super::values::name(child))?
                }
                _ => return Err(self.unknown_node(child, &["tab"], &[], TemplateKind::Tab)),
            };
            let span = name_span(child);
            let slot = RawPane {
                span,
                attrs: Attrs { name: Some((SLOT.to_owned(), span)), ..Attrs::default() },
                children: Vec::new(),
            };
            let (panes, _) = fill(&raw.panes, &[Item::Pane(slot)])?;
            steps.push((constraint, RawTab { panes, ..raw }));
        }
        Ok(RawSwapTiled { name, steps })
    }

    pub(super) fn swap_floating(&mut self, node: &'a KdlNode) -> Result<RawSwapFloating, Fault> {
        let name = swap_name(node)?;
        let mut steps = Vec::new();
        for child in child_nodes(node) {
            if super::values::name(child) != "floating_panes" {
                return Err(self.unknown_node(child, &["floating_panes"], &[], TemplateKind::Pane));
            }
            let constraint = constraint(child)?;
            let mut panes = Vec::new();
            for pane in child_nodes(child) {
                if super::values::name(pane) == "pane" {
                    panes.push(self.pane(pane, Where::Floating, false, &[])?);
                } else if self.is_template(pane, TemplateKind::Pane) {
                    panes.push(self.instance(pane, Where::Floating, false)?);
                } else {
                    return Err(self.unknown_node(pane, &["pane"], &[], TemplateKind::Pane));
                }
            }
            steps.push((constraint, panes));
        }
        Ok(RawSwapFloating { name, steps })
    }
}

impl Builder<'_> {
    pub(super) fn swap_tiled(&mut self, raw: &RawSwapTiled, cwd: Option<&Path>) -> Result<SwapTiled, Fault> {
        let mut steps = Vec::new();
        for (constraint, tab) in &raw.steps {
            let mut root = self.tab(tab, cwd)?.root;
            mark_slots(&mut root);
            steps.push((*constraint, root));
        }
        Ok(SwapTiled { name: raw.name.clone(), steps })
    }

    pub(super) fn swap_floating(&mut self, raw: &RawSwapFloating, cwd: Option<&Path>) -> Result<SwapFloating, Fault> {
        let mut steps = Vec::new();
        for (constraint, panes) in &raw.steps {
            let placed = panes.iter().map(|p| self.floating(p, cwd)).collect::<Result<Vec<_>, _>>()?;
            steps.push((*constraint, placed));
        }
        Ok(SwapFloating { name: raw.name.clone(), steps })
    }
}

fn mark_slots(node: &mut PaneNode) {
    if let Some(spec) = &mut node.pane
        && spec.name.as_deref() == Some(SLOT)
    {
        *spec = PaneSpec { children_slot: true, ..PaneSpec::default() };
    }
    for child in &mut node.children {
        mark_slots(child);
    }
}

fn swap_name(node: &KdlNode) -> Result<Option<String>, Fault> {
    reject_arguments(node)?;
    let mut name = None;
    for entry in node.entries() {
        match entry.name().map(|n| n.value()) {
            Some("name") => name = Some(string(entry, "name")?),
            Some(other) => return Err(unknown_property(node, entry, other, &["name"])),
            None => {}
        }
    }
    Ok(name)
}

/// `max_panes=N`, `min_panes=N` or `exact_panes=N` (at most one), else any.
fn constraint(node: &KdlNode) -> Result<Constraint, Fault> {
    let mut found: Option<(Constraint, miette::SourceSpan)> = None;
    for entry in node.entries() {
        let Some(key) = entry.name().map(|n| n.value()) else { continue };
        if !CONSTRAINTS.contains(&key) {
            continue;
        }
        let n = match entry.value() {
            KdlValue::Integer(i) if (1..=i128::from(u16::MAX)).contains(i) => *i as u16,
            _ => {
                return Err(Fault::new(
                    ErrorKind::InvalidValue,
                    entry.span(),
                    format!("`{key}` takes a number of panes (1 or more)"),
                    "not a pane count",
                ));
            }
        };
        if let Some((_, first)) = found {
            return Err(Fault::new(
                ErrorKind::Conflict,
                entry.span(),
                "a step takes one pane-count constraint",
                "second",
            )
            .also(first, "first"));
        }
        let c = match key {
            "max_panes" => Constraint::Max(n),
            "min_panes" => Constraint::Min(n),
            _ => Constraint::Exact(n),
        };
        found = Some((c, entry.span()));
    }
    Ok(found.map_or(Constraint::Any, |(c, _)| c))
}
