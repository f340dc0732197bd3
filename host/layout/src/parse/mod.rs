//! Walking the KDL document: nodes → raw panes/tabs (templates expanded) →
//! the public tree (cwds composed, conflicts checked).

mod build;
mod swap;
mod templates;
mod values;

use std::collections::HashMap;
use std::path::Path;

use kdl::{KdlDocument, KdlNode};
use miette::SourceSpan;

use crate::Layout;
use crate::error::{ErrorKind, Fault};

use build::*;
use templates::*;
use values::*;

pub(crate) fn layout(doc: &KdlDocument, home: Option<&Path>) -> Result<Layout, Fault> {
    let mut root: Option<&KdlNode> = None;
    for node in doc.nodes() {
        if name(node) != "layout" {
            return Err(Fault::new(
                ErrorKind::UnknownNode,
                name_span(node),
                format!("unknown top-level node `{}`", name(node)),
                "not `layout`",
            )
            .help("a layout file holds a single `layout { ... }` node"));
        }
        if let Some(first) = root {
            return Err(Fault::new(
                ErrorKind::Duplicate,
                name_span(node),
                "a file can hold only one `layout`",
                "second",
            )
            .also(name_span(first), "first"));
        }
        root = Some(node);
    }
    let Some(root) = root else {
        let span = doc.nodes().first().map_or(SourceSpan::from(0..0), name_span);
        return Err(Fault::new(ErrorKind::MissingLayout, span, "no `layout { ... }` node", "expected `layout`")
            .help("a layout file looks like: layout { pane; pane; }"));
    };
    reject_arguments(root)?;
    reject_properties(root)?;

    let mut parser = Parser {
        templates: HashMap::new(),
        pane_cache: HashMap::new(),
        tab_cache: HashMap::new(),
        resolving: Vec::new(),
        warnings: Vec::new(),
    };
    // First pass: template names, so templates may be used before (or
    // inside) one another in any order.
    let mut default_tab: Option<&KdlNode> = None;
    let mut new_tab: Option<&KdlNode> = None;
    let mut spans: HashMap<String, SourceSpan> = HashMap::new();
    for node in child_nodes(root) {
        let kind = match name(node) {
            "pane_template" => TemplateKind::Pane,
            "tab_template" => TemplateKind::Tab,
            "default_tab_template" | "new_tab_template" => {
                let slot = if name(node) == "default_tab_template" { &mut default_tab } else { &mut new_tab };
                if let Some(first) = slot {
                    return Err(Fault::new(
                        ErrorKind::Duplicate,
                        name_span(node),
                        format!("`{}` is given twice", name(node)),
                        "second",
                    )
                    .also(name_span(first), "first"));
                }
                *slot = Some(node);
                continue;
            }
            _ => continue,
        };
        let entry = node.entries().iter().find(|e| e.name().is_some_and(|n| n.value() == "name"));
        let Some(entry) = entry else {
            return Err(Fault::new(
                ErrorKind::MissingName,
                name_span(node),
                format!("`{}` needs a name", name(node)),
                "no name",
            )
            .help(format!("for example: {} name=\"my_template\" {{ ... }}", name(node))));
        };
        let template_name = non_empty(entry, "name")?;
        if RESERVED.contains(&template_name.as_str())
            || TILED_KEYS.contains(&template_name.as_str())
            || TAB_KEYS.contains(&template_name.as_str())
            || GEOMETRY_KEYS.contains(&template_name.as_str())
        {
            return Err(Fault::new(
                ErrorKind::InvalidValue,
                entry.span(),
                format!("`{template_name}` already means something in a layout and cannot name a template"),
                "reserved name",
            ));
        }
        if let Some(first) = spans.get(&template_name) {
            return Err(Fault::new(
                ErrorKind::Duplicate,
                entry.span(),
                format!("there is already a template named `{template_name}`"),
                "second",
            )
            .also(*first, "first"));
        }
        spans.insert(template_name.clone(), entry.span());
        parser.templates.insert(template_name, (kind, node));
    }

    let mut cwd: Sp<String> = None;
    let mut root_panes: Vec<Item> = Vec::new();
    let mut root_floating: Vec<RawPane> = Vec::new();
    let mut tabs: Vec<(RawTab, bool)> = Vec::new(); // (tab, from a plain `tab` node)
    let mut raw_swap_tiled = Vec::new();
    let mut raw_swap_floating = Vec::new();
    for node in child_nodes(root) {
        match name(node) {
            "cwd" => {
                let entry = single(node)?;
                set(&mut cwd, non_empty(entry, "cwd")?, entry.span(), "cwd")?;
            }
            "pane" => root_panes.push(Item::Pane(parser.pane(node, Where::Tiled, false, &[])?)),
            "floating_panes" => root_floating.extend(parser.floating_panes(node)?),
            "tab" => tabs.push((parser.tab(node, false, &[])?, true)),
            "children" => return Err(parser.children_marker(node, false).unwrap_err()),
            "pane_template" | "tab_template" => {
                // Validated even when unused.
                let tname = node.get("name").and_then(|v| v.as_string()).unwrap_or_default().to_owned();
                if name(node) == "pane_template" {
                    parser.pane_template(&tname, name_span(node))?;
                } else {
                    parser.tab_template(&tname, name_span(node))?;
                }
            }
            "default_tab_template" | "new_tab_template" => {}
            "swap_tiled_layout" => {
                raw_swap_tiled.push(parser.swap_tiled(node)?);
            }
            "swap_floating_layout" => {
                raw_swap_floating.push(parser.swap_floating(node)?);
            }
            _ if parser.is_template(node, TemplateKind::Pane) => {
                root_panes.push(Item::Pane(parser.instance(node, Where::Tiled, false)?));
            }
            _ if parser.is_template(node, TemplateKind::Tab) => {
                let template = parser.tab_template(name(node), name_span(node))?;
                let own = parser.tab(node, false, &[])?;
                tabs.push((apply_tab_template(&template, own, name(node))?, false));
            }
            _ => return Err(parser.unknown_node(node, LAYOUT_NODES, &[], TemplateKind::Tab)),
        }
    }

    let default_template = match default_tab {
        Some(node) => {
            reject_arguments(node)?;
            reject_properties(node)?;
            Some(parser.tab(node, true, &[])?)
        }
        None => None,
    };
    let new_template = match new_tab {
        Some(node) => {
            reject_arguments(node)?;
            reject_properties(node)?;
            Some(parser.tab(node, false, &[])?)
        }
        None => None,
    };

    if !tabs.is_empty() {
        if let Some(Item::Pane(p)) = root_panes.first() {
            return Err(Fault::new(
                ErrorKind::Conflict,
                p.span,
                "a layout with tabs cannot also have panes outside them",
                "outside any tab",
            )
            .help("move the pane into a `tab`, or into `default_tab_template`"));
        }
        if let Some(p) = root_floating.first() {
            return Err(Fault::new(
                ErrorKind::Conflict,
                p.span,
                "a layout with tabs cannot also have floating panes outside them",
                "outside any tab",
            )
            .help("move `floating_panes` into a `tab`"));
        }
    } else {
        let span = root_panes.first().map_or(name_span(root), |i| match i {
            Item::Pane(p) => p.span,
            Item::Children(s) => *s,
        });
        let tab = RawTab { span, attrs: Attrs::default(), panes: root_panes, floating: root_floating };
        tabs.push((tab, true));
    }

    let mut builder = Builder { home, warnings: Vec::new() };
    let layout_cwd = cwd.as_ref().map(|(c, _)| expand_home(c, home));
    let mut built = Vec::new();
    let mut focused: Option<SourceSpan> = None;
    for (tab, plain) in tabs {
        let tab = match (&default_template, plain) {
            (Some(t), true) => apply_tab_template(t, tab, "default_tab_template")?,
            _ => tab,
        };
        if let Some((true, span)) = tab.attrs.focus {
            if let Some(first) = focused {
                return Err(Fault::new(ErrorKind::MultipleFocus, span, "more than one tab has `focus=true`", "second")
                    .also(first, "first")
                    .help("only one tab can start focused"));
            }
            focused = Some(span);
        }
        built.push(builder.tab(&tab, layout_cwd.as_deref())?);
    }
    let new_tab_template = match (new_template, &default_template) {
        (Some(t), _) => Some(builder.tab(&t, layout_cwd.as_deref())?),
        (None, Some(d)) => {
            let empty = RawTab { span: d.span, attrs: Attrs::default(), panes: Vec::new(), floating: Vec::new() };
            Some(builder.tab(&apply_tab_template(d, empty, "default_tab_template")?, layout_cwd.as_deref())?)
        }
        (None, None) => None,
    };
    let swap_tiled =
        raw_swap_tiled.iter().map(|s| builder.swap_tiled(s, layout_cwd.as_deref())).collect::<Result<_, _>>()?;
    let swap_floating =
        raw_swap_floating.iter().map(|s| builder.swap_floating(s, layout_cwd.as_deref())).collect::<Result<_, _>>()?;
    let mut warnings = parser.warnings;
    warnings.extend(builder.warnings);
    Ok(Layout {
        cwd: layout_cwd,
        tabs: built,
        new_tab_template,
        warnings,
        swap_tiled,
        swap_floating,
        ..Layout::default()
    })
}
