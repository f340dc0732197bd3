//! The first walk: nodes become raw panes and tabs, with pane and tab
//! templates instantiated and `children` markers filled.

use std::collections::HashMap;

use kdl::KdlNode;
use miette::SourceSpan;
use revenant_kdl_file::suggest;

use crate::error::{ErrorKind, Fault};

use super::values::*;

#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // short-lived; boxing would only add noise
pub(super) enum Item {
    Pane(RawPane),
    /// A `children` placeholder.
    Children(SourceSpan),
}

#[derive(Debug, Clone)]
pub(super) struct RawPane {
    pub(super) span: SourceSpan,
    pub(super) attrs: Attrs,
    pub(super) children: Vec<Item>,
}

#[derive(Debug, Clone)]
pub(super) struct RawTab {
    pub(super) span: SourceSpan,
    pub(super) attrs: Attrs,
    pub(super) panes: Vec<Item>,
    pub(super) floating: Vec<RawPane>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Where {
    Tiled,
    Floating,
    /// A pane template body: may end up either tiled or floating.
    Template,
}

impl Where {
    pub(super) fn keys(self) -> Vec<&'static str> {
        match self {
            Where::Tiled => TILED_KEYS.to_vec(),
            Where::Floating => FLOATING_KEYS.to_vec(),
            Where::Template => {
                let mut k = TILED_KEYS.to_vec();
                k.extend_from_slice(GEOMETRY_KEYS);
                k
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TemplateKind {
    Pane,
    Tab,
}

pub(super) struct Parser<'a> {
    pub(super) templates: HashMap<String, (TemplateKind, &'a KdlNode)>,
    pub(super) pane_cache: HashMap<String, RawPane>,
    pub(super) tab_cache: HashMap<String, RawTab>,
    pub(super) resolving: Vec<String>,
    pub(super) warnings: Vec<String>,
}

impl<'a> Parser<'a> {
    pub(super) fn template_names(&self, kind: TemplateKind) -> Vec<&str> {
        let mut v: Vec<&str> =
            self.templates.iter().filter(|(_, (k, _))| *k == kind).map(|(n, _)| n.as_str()).collect();
        v.sort_unstable();
        v
    }

    pub(super) fn is_template(&self, node: &KdlNode, kind: TemplateKind) -> bool {
        self.templates.get(name(node)).is_some_and(|(k, _)| *k == kind)
    }

    pub(super) fn unknown_node(
        &self,
        node: &KdlNode,
        structural: &[&str],
        keys: &[&str],
        templates: TemplateKind,
    ) -> Fault {
        let mut candidates: Vec<&str> = structural.to_vec();
        candidates.extend_from_slice(keys);
        candidates.extend(self.template_names(templates));
        let n = name(node);
        let help = match suggest::closest(n, candidates.iter().copied()) {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!(
                "expected one of: {}",
                candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        Fault::new(
            ErrorKind::UnknownNode,
            name_span(node),
            format!("unknown node `{n}`"),
            "not a known node or template",
        )
        .help(help)
    }

    /// A `pane` node (or the body of a pane template / instance).
    pub(super) fn pane(
        &mut self,
        node: &'a KdlNode,
        at: Where,
        in_template: bool,
        skip: &[&str],
    ) -> Result<RawPane, Fault> {
        let keys = at.keys();
        let mut attrs = Attrs::default();
        properties(node, &keys, skip, &mut attrs)?;
        let mut children = Vec::new();
        for child in child_nodes(node) {
            let n = name(child);
            match n {
                "pane" if at == Where::Floating => {
                    return Err(Fault::new(
                        ErrorKind::UnexpectedChildren,
                        name_span(child),
                        "a floating pane cannot hold other panes",
                        "nested pane",
                    ));
                }
                "pane" => children.push(Item::Pane(self.pane(child, at, in_template, &[])?)),
                "children" => children.push(self.children_marker(child, in_template)?),
                "plugin" => {
                    let p = plugin(child)?;
                    set(&mut attrs.plugin, p, name_span(child), "plugin")?;
                }
                "args" => {
                    let a = args(child)?;
                    set(&mut attrs.args, a, name_span(child), "args")?;
                }
                k if keys.contains(&k) => read_key(&mut attrs, k, single(child)?)?,
                _ if self.is_template(child, TemplateKind::Pane) && at != Where::Floating => {
                    children.push(Item::Pane(self.instance(child, at, in_template)?));
                }
                _ => {
                    let mut structural = vec!["plugin", "args"];
                    if at != Where::Floating {
                        structural.push("pane");
                    }
                    if in_template {
                        structural.push("children");
                    }
                    let mut fault = self.unknown_node(child, &structural, &keys, TemplateKind::Pane);
                    if GEOMETRY_KEYS.contains(&n) {
                        fault = fault.help(format!("`{n}` is only for panes inside `floating_panes {{ ... }}`"));
                    }
                    return Err(fault);
                }
            }
        }
        Ok(RawPane { span: name_span(node), attrs, children })
    }

    pub(super) fn children_marker(&self, node: &KdlNode, in_template: bool) -> Result<Item, Fault> {
        if !in_template {
            return Err(Fault::new(
                ErrorKind::MisplacedChildren,
                name_span(node),
                "`children` is only allowed inside a template",
                "outside a template",
            )
            .help("`children` marks where a template's users put their panes; use `pane` here"));
        }
        reject_arguments(node)?;
        reject_properties(node)?;
        reject_children(node)?;
        Ok(Item::Children(name_span(node)))
    }

    /// A node named after a pane template: the template with the node's own
    /// settings on top and its children in place of `children`.
    pub(super) fn instance(&mut self, node: &'a KdlNode, at: Where, in_template: bool) -> Result<RawPane, Fault> {
        let template = self.pane_template(name(node), name_span(node))?;
        let own = self.pane(node, at, in_template, &[])?;
        let attrs = template.attrs.overlay(own.attrs);
        let children = if own.children.is_empty() {
            fill(&template.children, &[])?.0
        } else {
            let (filled, found) = fill(&template.children, &own.children)?;
            if found { filled } else { own.children }
        };
        Ok(RawPane { span: own.span, attrs, children })
    }

    pub(super) fn enter(&mut self, template: &str, use_span: SourceSpan) -> Result<&'a KdlNode, Fault> {
        if self.resolving.iter().any(|t| t == template) {
            return Err(Fault::new(
                ErrorKind::TemplateCycle,
                use_span,
                format!("template `{template}` uses itself ({} -> {template})", self.resolving.join(" -> ")),
                "uses itself",
            ));
        }
        self.resolving.push(template.to_owned());
        Ok(self.templates[template].1)
    }

    pub(super) fn pane_template(&mut self, template: &str, use_span: SourceSpan) -> Result<RawPane, Fault> {
        if let Some(raw) = self.pane_cache.get(template) {
            return Ok(raw.clone());
        }
        let node = self.enter(template, use_span)?;
        let raw = self.pane(node, Where::Template, true, &["name"]);
        self.resolving.pop();
        let raw = raw?;
        self.pane_cache.insert(template.to_owned(), raw.clone());
        Ok(raw)
    }

    pub(super) fn tab_template(&mut self, template: &str, use_span: SourceSpan) -> Result<RawTab, Fault> {
        if let Some(raw) = self.tab_cache.get(template) {
            return Ok(raw.clone());
        }
        let node = self.enter(template, use_span)?;
        let raw = self.tab(node, true, &["name"]);
        self.resolving.pop();
        let raw = raw?;
        self.tab_cache.insert(template.to_owned(), raw.clone());
        Ok(raw)
    }

    pub(super) fn floating_panes(&mut self, node: &'a KdlNode) -> Result<Vec<RawPane>, Fault> {
        reject_arguments(node)?;
        reject_properties(node)?;
        let mut out = Vec::new();
        for child in child_nodes(node) {
            if name(child) == "pane" {
                out.push(self.pane(child, Where::Floating, false, &[])?);
            } else if self.is_template(child, TemplateKind::Pane) {
                out.push(self.instance(child, Where::Floating, false)?);
            } else {
                return Err(self.unknown_node(child, &["pane"], &[], TemplateKind::Pane));
            }
        }
        Ok(out)
    }

    /// A `tab` node, a tab template body, or the body of a tab-template instance.
    pub(super) fn tab(&mut self, node: &'a KdlNode, in_template: bool, skip: &[&str]) -> Result<RawTab, Fault> {
        let mut attrs = Attrs::default();
        properties(node, TAB_KEYS, skip, &mut attrs)?;
        let mut panes = Vec::new();
        let mut floating = Vec::new();
        for child in child_nodes(node) {
            match name(child) {
                "pane" => panes.push(Item::Pane(self.pane(child, Where::Tiled, in_template, &[])?)),
                "children" => panes.push(self.children_marker(child, in_template)?),
                "floating_panes" => floating.extend(self.floating_panes(child)?),
                k if TAB_KEYS.contains(&k) => read_key(&mut attrs, k, single(child)?)?,
                _ if self.is_template(child, TemplateKind::Pane) => {
                    panes.push(Item::Pane(self.instance(child, Where::Tiled, in_template)?));
                }
                _ => {
                    let mut structural = vec!["pane", "floating_panes"];
                    if in_template {
                        structural.push("children");
                    }
                    return Err(self.unknown_node(child, &structural, TAB_KEYS, TemplateKind::Pane));
                }
            }
        }
        Ok(RawTab { span: name_span(node), attrs, panes, floating })
    }
}

/// Replaces every `children` marker in `items` (at any depth) with `with`;
/// reports whether there was one. Two markers are an error.
pub(super) fn fill(items: &[Item], with: &[Item]) -> Result<(Vec<Item>, bool), Fault> {
    let mut seen: Option<SourceSpan> = None;
    let out = fill_inner(items, with, &mut seen)?;
    Ok((out, seen.is_some()))
}

pub(super) fn fill_inner(items: &[Item], with: &[Item], seen: &mut Option<SourceSpan>) -> Result<Vec<Item>, Fault> {
    let mut out = Vec::new();
    for item in items {
        match item {
            Item::Children(span) => {
                if let Some(first) = seen {
                    return Err(Fault::new(
                        ErrorKind::Duplicate,
                        *span,
                        "a template can have only one `children`",
                        "second `children`",
                    )
                    .also(*first, "first `children`"));
                }
                *seen = Some(*span);
                out.extend(with.iter().cloned());
            }
            Item::Pane(p) => {
                let children = fill_inner(&p.children, with, seen)?;
                out.push(Item::Pane(RawPane { span: p.span, attrs: p.attrs.clone(), children }));
            }
        }
    }
    Ok(out)
}

pub(super) fn plain_pane(span: SourceSpan) -> Item {
    Item::Pane(RawPane { span, attrs: Attrs::default(), children: Vec::new() })
}

/// A tab's panes poured into a tab template.
pub(super) fn apply_tab_template(template: &RawTab, tab: RawTab, template_name: &str) -> Result<RawTab, Fault> {
    let attrs = template.attrs.clone().overlay(tab.attrs);
    let own = if tab.panes.is_empty() { vec![plain_pane(tab.span)] } else { tab.panes };
    let (panes, found) = fill(&template.panes, &own)?;
    if !found && !template.panes.is_empty() {
        let at = match own.first() {
            Some(Item::Pane(p)) => p.span,
            _ => tab.span,
        };
        return Err(Fault::new(
            ErrorKind::MisplacedChildren,
            at,
            format!("tab template `{template_name}` has no `children` to hold this tab's panes"),
            "nowhere to go",
        )
        .also(template.span, "the template")
        .help("add a `children` node to the template where the tab's panes belong"));
    }
    let panes = if template.panes.is_empty() { own } else { panes };
    let mut floating = template.floating.clone();
    floating.extend(tab.floating);
    Ok(RawTab { span: tab.span, attrs, panes, floating })
}
