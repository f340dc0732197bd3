//! Walking the KDL document: nodes → raw panes/tabs (templates expanded) →
//! the public tree (cwds composed, conflicts checked).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use kdl::{KdlDocument, KdlEntry, KdlNode, KdlValue};
use miette::SourceSpan;

use crate::error::{ErrorKind, Fault};
use crate::{FloatingLayout, Layout, PaneNode, PaneSpec, PluginSpec, Size, SplitDirection, TabLayout};
use revenant_kdl_file::suggest;

type Sp<T> = Option<(T, SourceSpan)>;

/// Every setting a pane or tab node can carry, each with where it was set.
#[derive(Debug, Clone, Default)]
struct Attrs {
    split: Sp<SplitDirection>,
    size: Sp<Size>,
    borderless: Sp<bool>,
    focus: Sp<bool>,
    name: Sp<String>,
    cwd: Sp<String>,
    command: Sp<String>,
    args: Sp<Vec<String>>,
    edit: Sp<String>,
    close_on_exit: Sp<bool>,
    start_suspended: Sp<bool>,
    stacked: Sp<bool>,
    expanded: Sp<bool>,
    contents_file: Sp<String>,
    exclude_from_sync: Sp<bool>,
    plugin: Sp<PluginSpec>,
    x: Sp<Size>,
    y: Sp<Size>,
    width: Sp<Size>,
    height: Sp<Size>,
    pinned: Sp<bool>,
    hide_floating_panes: Sp<bool>,
}

macro_rules! overlay_fields {
    ($base:ident, $top:ident, $($f:ident),*) => {
        Attrs { $($f: $top.$f.or($base.$f)),* }
    };
}

impl Attrs {
    /// `top`'s settings win over `self`'s (an instance over its template).
    fn overlay(self, top: Attrs) -> Attrs {
        let base = self;
        overlay_fields!(
            base,
            top,
            split,
            size,
            borderless,
            focus,
            name,
            cwd,
            command,
            args,
            edit,
            close_on_exit,
            start_suspended,
            stacked,
            expanded,
            contents_file,
            exclude_from_sync,
            plugin,
            x,
            y,
            width,
            height,
            pinned,
            hide_floating_panes
        )
    }
}

fn flag(v: &Sp<bool>) -> bool {
    v.as_ref().is_some_and(|(b, _)| *b)
}

fn val<T: Clone>(v: &Sp<T>) -> Option<T> {
    v.as_ref().map(|(t, _)| t.clone())
}

#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // short-lived; boxing would only add noise
enum Item {
    Pane(RawPane),
    /// A `children` placeholder.
    Children(SourceSpan),
}

#[derive(Debug, Clone)]
struct RawPane {
    span: SourceSpan,
    attrs: Attrs,
    children: Vec<Item>,
}

#[derive(Debug, Clone)]
struct RawTab {
    span: SourceSpan,
    attrs: Attrs,
    panes: Vec<Item>,
    floating: Vec<RawPane>,
}

const TILED_KEYS: &[&str] = &[
    "split_direction",
    "size",
    "borderless",
    "focus",
    "name",
    "cwd",
    "command",
    "edit",
    "close_on_exit",
    "start_suspended",
    "stacked",
    "expanded",
    "contents_file",
    "exclude_from_sync",
];
const FLOATING_KEYS: &[&str] = &[
    "borderless",
    "focus",
    "name",
    "cwd",
    "command",
    "edit",
    "close_on_exit",
    "start_suspended",
    "contents_file",
    "exclude_from_sync",
    "x",
    "y",
    "width",
    "height",
    "pinned",
];
const GEOMETRY_KEYS: &[&str] = &["x", "y", "width", "height", "pinned"];
const TAB_KEYS: &[&str] = &["name", "focus", "cwd", "hide_floating_panes", "split_direction"];
const LAYOUT_NODES: &[&str] = &[
    "cwd",
    "pane",
    "tab",
    "floating_panes",
    "pane_template",
    "tab_template",
    "default_tab_template",
    "new_tab_template",
    "swap_tiled_layout",
    "swap_floating_layout",
];
/// Names a template may not take: they already mean something.
const RESERVED: &[&str] = &[
    "layout",
    "pane",
    "tab",
    "children",
    "plugin",
    "args",
    "floating_panes",
    "pane_template",
    "tab_template",
    "default_tab_template",
    "new_tab_template",
    "swap_tiled_layout",
    "swap_floating_layout",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Where {
    Tiled,
    Floating,
    /// A pane template body: may end up either tiled or floating.
    Template,
}

impl Where {
    fn keys(self) -> Vec<&'static str> {
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
enum TemplateKind {
    Pane,
    Tab,
}

struct Parser<'a> {
    templates: HashMap<String, (TemplateKind, &'a KdlNode)>,
    pane_cache: HashMap<String, RawPane>,
    tab_cache: HashMap<String, RawTab>,
    resolving: Vec<String>,
    warnings: Vec<String>,
}

fn name(node: &KdlNode) -> &str {
    node.name().value()
}

fn name_span(node: &KdlNode) -> SourceSpan {
    node.name().span()
}

fn describe_value(value: &KdlValue) -> String {
    match value {
        KdlValue::String(s) => format!("string {s:?}"),
        KdlValue::Integer(i) => i.to_string(),
        KdlValue::Float(f) => f.to_string(),
        KdlValue::Bool(b) => b.to_string(),
        KdlValue::Null => "null".into(),
    }
}

fn arguments(node: &KdlNode) -> Vec<&KdlEntry> {
    node.entries().iter().filter(|e| e.name().is_none()).collect()
}

fn reject_arguments(node: &KdlNode) -> Result<(), Fault> {
    match arguments(node).first() {
        Some(entry) => Err(Fault::new(
            ErrorKind::TooManyValues,
            entry.span(),
            format!("`{}` takes no values", name(node)),
            "unexpected value",
        )
        .help("settings are written `name=value`")),
        None => Ok(()),
    }
}

fn reject_properties(node: &KdlNode) -> Result<(), Fault> {
    match node.entries().iter().find(|e| e.name().is_some()) {
        Some(entry) => Err(Fault::new(
            ErrorKind::UnknownProperty,
            entry.span(),
            format!("`{}` takes no `name=value` properties", name(node)),
            "unexpected property",
        )),
        None => Ok(()),
    }
}

fn reject_children(node: &KdlNode) -> Result<(), Fault> {
    match node.children() {
        Some(children) => Err(Fault::new(
            ErrorKind::UnexpectedChildren,
            children.nodes().first().map_or(children.span(), name_span),
            format!("`{}` takes no `{{ ... }}` block", name(node)),
            "unexpected block",
        )),
        None => Ok(()),
    }
}

fn child_nodes(node: &KdlNode) -> &[KdlNode] {
    node.children().map_or(&[], KdlDocument::nodes)
}

/// The single value of a `key value` child node.
fn single(node: &KdlNode) -> Result<&KdlEntry, Fault> {
    reject_properties(node)?;
    reject_children(node)?;
    let args = arguments(node);
    match args.as_slice() {
        [] => Err(Fault::new(
            ErrorKind::MissingValue,
            name_span(node),
            format!("`{}` needs a value", name(node)),
            "missing value",
        )),
        [one] => Ok(one),
        [_, second, ..] => Err(Fault::new(
            ErrorKind::TooManyValues,
            second.span(),
            format!("`{}` takes one value, found {}", name(node), args.len()),
            "unexpected value",
        )),
    }
}

fn wrong_type(entry: &KdlEntry, key: &str, expected: &str) -> Fault {
    Fault::new(
        ErrorKind::WrongType,
        entry.span(),
        format!("`{key}`: expected {expected}, found {}", describe_value(entry.value())),
        format!("expected {expected}"),
    )
}

fn boolean(entry: &KdlEntry, key: &str) -> Result<bool, Fault> {
    entry.value().as_bool().ok_or_else(|| {
        wrong_type(entry, key, "a boolean")
            .help(format!("write `{key}=true` or `{key}=false` (KDL v2 spells them `#true` and `#false`)"))
    })
}

fn string(entry: &KdlEntry, key: &str) -> Result<String, Fault> {
    entry
        .value()
        .as_string()
        .map(str::to_owned)
        .ok_or_else(|| wrong_type(entry, key, "a string").help("put the value in double quotes"))
}

fn non_empty(entry: &KdlEntry, key: &str) -> Result<String, Fault> {
    let s = string(entry, key)?;
    if s.trim().is_empty() {
        return Err(Fault::new(ErrorKind::InvalidValue, entry.span(), format!("`{key}` must not be empty"), "empty"));
    }
    Ok(s)
}

/// `N` cells or `"N%"`; `min` is 0 for positions and 1 for extents.
fn size(entry: &KdlEntry, key: &str, min: u16) -> Result<Size, Fault> {
    let expected = "a number of cells or a percentage like \"50%\"";
    match entry.value() {
        KdlValue::Integer(i) => {
            if *i < i128::from(min) || *i > i128::from(u16::MAX) {
                return Err(Fault::new(
                    ErrorKind::InvalidValue,
                    entry.span(),
                    format!("`{key}` must be between {min} and {}, found {i}", u16::MAX),
                    "out of range",
                ));
            }
            Ok(Size::Fixed(*i as u16))
        }
        KdlValue::String(s) => {
            let t = s.trim();
            let bad = |msg: String, help: String| {
                Fault::new(ErrorKind::InvalidValue, entry.span(), msg, "invalid size").help(help)
            };
            if let Some(num) = t.strip_suffix('%') {
                let p: u32 = num.trim().parse().map_err(|_| {
                    bad(
                        format!("`{key}`: {s:?} is not a percentage"),
                        format!("write a whole number of percent, like {key}=\"50%\""),
                    )
                })?;
                if p < u32::from(min.min(1)) || p > 100 {
                    return Err(bad(
                        format!("`{key}`: {s:?} is out of range"),
                        format!("percentages go from {}% to 100%", min.min(1)),
                    ));
                }
                Ok(Size::Percent(p as u16))
            } else if t.parse::<i64>().is_ok() {
                Err(bad(
                    format!("`{key}`: {s:?} has no `%`"),
                    format!("write {key}={t} for {t} cells, or {key}=\"{t}%\" for a percentage"),
                ))
            } else {
                Err(bad(format!("`{key}`: {s:?} is not a size"), format!("expected {expected}")))
            }
        }
        _ => Err(wrong_type(entry, key, expected)),
    }
}

fn split_direction(entry: &KdlEntry) -> Result<SplitDirection, Fault> {
    let s = string(entry, "split_direction")?;
    match s.to_ascii_lowercase().as_str() {
        "vertical" => Ok(SplitDirection::Vertical),
        "horizontal" => Ok(SplitDirection::Horizontal),
        _ => Err(Fault::new(
            ErrorKind::InvalidValue,
            entry.span(),
            format!("`split_direction` must be \"vertical\" or \"horizontal\", found {s:?}"),
            "unknown direction",
        )
        .help(match suggest::closest(&s, ["vertical", "horizontal"]) {
            Some(c) => format!("did you mean \"{c}\"?"),
            None => "\"vertical\" puts panes side by side, \"horizontal\" one above the other".into(),
        })),
    }
}

fn set<T>(slot: &mut Sp<T>, value: T, span: SourceSpan, key: &str) -> Result<(), Fault> {
    if let Some((_, first)) = slot {
        return Err(Fault::new(ErrorKind::Duplicate, span, format!("`{key}` is given twice"), "second time")
            .also(*first, "first time"));
    }
    *slot = Some((value, span));
    Ok(())
}

/// Stores one setting. `key` has already been checked against the node's list.
fn read_key(attrs: &mut Attrs, key: &str, entry: &KdlEntry) -> Result<(), Fault> {
    let span = entry.span();
    match key {
        "split_direction" => set(&mut attrs.split, split_direction(entry)?, span, key),
        "size" => set(&mut attrs.size, size(entry, key, 1)?, span, key),
        "x" => set(&mut attrs.x, size(entry, key, 0)?, span, key),
        "y" => set(&mut attrs.y, size(entry, key, 0)?, span, key),
        "width" => set(&mut attrs.width, size(entry, key, 1)?, span, key),
        "height" => set(&mut attrs.height, size(entry, key, 1)?, span, key),
        "borderless" => set(&mut attrs.borderless, boolean(entry, key)?, span, key),
        "focus" => set(&mut attrs.focus, boolean(entry, key)?, span, key),
        "close_on_exit" => set(&mut attrs.close_on_exit, boolean(entry, key)?, span, key),
        "start_suspended" => set(&mut attrs.start_suspended, boolean(entry, key)?, span, key),
        "stacked" => set(&mut attrs.stacked, boolean(entry, key)?, span, key),
        "expanded" => set(&mut attrs.expanded, boolean(entry, key)?, span, key),
        "exclude_from_sync" => set(&mut attrs.exclude_from_sync, boolean(entry, key)?, span, key),
        "pinned" => set(&mut attrs.pinned, boolean(entry, key)?, span, key),
        "hide_floating_panes" => set(&mut attrs.hide_floating_panes, boolean(entry, key)?, span, key),
        "name" => set(&mut attrs.name, string(entry, key)?, span, key),
        "cwd" => set(&mut attrs.cwd, non_empty(entry, key)?, span, key),
        "command" => set(&mut attrs.command, non_empty(entry, key)?, span, key),
        "edit" => set(&mut attrs.edit, non_empty(entry, key)?, span, key),
        "contents_file" => set(&mut attrs.contents_file, non_empty(entry, key)?, span, key),
        _ => Err(Fault::new(ErrorKind::UnknownProperty, span, format!("unknown setting `{key}`"), "unknown")),
    }
}

/// Reads the `name=value` properties of `node`; `skip` lists properties the
/// caller handles itself (a template's `name`).
fn properties(node: &KdlNode, keys: &[&str], skip: &[&str], attrs: &mut Attrs) -> Result<(), Fault> {
    reject_arguments(node)?;
    for entry in node.entries() {
        let Some(prop) = entry.name().map(|n| n.value()) else { continue };
        if skip.contains(&prop) {
            continue;
        }
        if !keys.contains(&prop) {
            return Err(unknown_property(node, entry, prop, keys));
        }
        read_key(attrs, prop, entry)?;
    }
    Ok(())
}

fn unknown_property(node: &KdlNode, entry: &KdlEntry, prop: &str, keys: &[&str]) -> Fault {
    let owner = name(node);
    let fault = Fault::new(
        ErrorKind::UnknownProperty,
        entry.span(),
        format!("`{owner}` has no property `{prop}`"),
        "unknown property",
    );
    if GEOMETRY_KEYS.contains(&prop) && !keys.contains(&prop) {
        fault.help(format!("`{prop}` is only for panes inside `floating_panes {{ ... }}`"))
    } else {
        fault.help(suggest::help(prop, keys, "its properties"))
    }
}

fn plugin(node: &KdlNode) -> Result<PluginSpec, Fault> {
    reject_arguments(node).map_err(|f| f.help("write `plugin location=\"zellij:tab-bar\"`"))?;
    let mut location = None;
    for entry in node.entries() {
        let prop = entry.name().map_or("", |n| n.value());
        if prop != "location" {
            return Err(Fault::new(
                ErrorKind::UnknownProperty,
                entry.span(),
                format!("`plugin` has no property `{prop}`"),
                "unknown property",
            )
            .help("`plugin` takes `location=\"...\"`; its settings go in its `{ ... }` block"));
        }
        if location.is_some() {
            return Err(Fault::new(ErrorKind::Duplicate, entry.span(), "`location` is given twice", "second time"));
        }
        location = Some(non_empty(entry, "location")?);
    }
    let Some(location) = location else {
        return Err(Fault::new(ErrorKind::MissingValue, name_span(node), "`plugin` needs a `location`", "no location")
            .help("for example: plugin location=\"zellij:tab-bar\""));
    };
    let mut configuration = Vec::new();
    for child in child_nodes(node) {
        let entry = single(child)?;
        let value = match entry.value() {
            KdlValue::String(s) => s.clone(),
            KdlValue::Integer(i) => i.to_string(),
            KdlValue::Float(f) => f.to_string(),
            KdlValue::Bool(b) => b.to_string(),
            KdlValue::Null => return Err(wrong_type(entry, name(child), "a string, number or boolean")),
        };
        configuration.push((name(child).to_owned(), value));
    }
    Ok(PluginSpec { location, configuration })
}

fn args(node: &KdlNode) -> Result<Vec<String>, Fault> {
    reject_properties(node)?;
    reject_children(node)?;
    let args = arguments(node);
    if args.is_empty() {
        return Err(Fault::new(
            ErrorKind::MissingValue,
            name_span(node),
            "`args` needs at least one value",
            "no values",
        )
        .help("for example: args \"-d\" \"10\""));
    }
    args.into_iter().map(|e| string(e, "args")).collect()
}

impl<'a> Parser<'a> {
    fn template_names(&self, kind: TemplateKind) -> Vec<&str> {
        let mut v: Vec<&str> =
            self.templates.iter().filter(|(_, (k, _))| *k == kind).map(|(n, _)| n.as_str()).collect();
        v.sort_unstable();
        v
    }

    fn is_template(&self, node: &KdlNode, kind: TemplateKind) -> bool {
        self.templates.get(name(node)).is_some_and(|(k, _)| *k == kind)
    }

    fn unknown_node(&self, node: &KdlNode, structural: &[&str], keys: &[&str], templates: TemplateKind) -> Fault {
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
    fn pane(&mut self, node: &'a KdlNode, at: Where, in_template: bool, skip: &[&str]) -> Result<RawPane, Fault> {
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

    fn children_marker(&self, node: &KdlNode, in_template: bool) -> Result<Item, Fault> {
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
    fn instance(&mut self, node: &'a KdlNode, at: Where, in_template: bool) -> Result<RawPane, Fault> {
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

    fn enter(&mut self, template: &str, use_span: SourceSpan) -> Result<&'a KdlNode, Fault> {
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

    fn pane_template(&mut self, template: &str, use_span: SourceSpan) -> Result<RawPane, Fault> {
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

    fn tab_template(&mut self, template: &str, use_span: SourceSpan) -> Result<RawTab, Fault> {
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

    fn floating_panes(&mut self, node: &'a KdlNode) -> Result<Vec<RawPane>, Fault> {
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
    fn tab(&mut self, node: &'a KdlNode, in_template: bool, skip: &[&str]) -> Result<RawTab, Fault> {
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
fn fill(items: &[Item], with: &[Item]) -> Result<(Vec<Item>, bool), Fault> {
    let mut seen: Option<SourceSpan> = None;
    let out = fill_inner(items, with, &mut seen)?;
    Ok((out, seen.is_some()))
}

fn fill_inner(items: &[Item], with: &[Item], seen: &mut Option<SourceSpan>) -> Result<Vec<Item>, Fault> {
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

fn plain_pane(span: SourceSpan) -> Item {
    Item::Pane(RawPane { span, attrs: Attrs::default(), children: Vec::new() })
}

/// A tab's panes poured into a tab template.
fn apply_tab_template(template: &RawTab, tab: RawTab, template_name: &str) -> Result<RawTab, Fault> {
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

fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match home {
        Some(home) if path == "~" => home.to_owned(),
        Some(home) if path.starts_with("~/") => home.join(&path[2..]),
        _ => PathBuf::from(path),
    }
}

fn compose(base: Option<&Path>, cwd: &Sp<String>, home: Option<&Path>) -> Option<PathBuf> {
    match (base, cwd) {
        (base, None) => base.map(Path::to_owned),
        (None, Some((c, _))) => Some(expand_home(c, home)),
        (Some(base), Some((c, _))) => Some(base.join(expand_home(c, home))),
    }
}

struct Builder<'h> {
    home: Option<&'h Path>,
    stacked_warned: bool,
    warnings: Vec<String>,
}

impl Builder<'_> {
    fn percent_check(&self, children: &[PaneNode], raw: &[&RawPane]) -> Result<(), Fault> {
        let mut sum = 0u32;
        for (child, raw) in children.iter().zip(raw) {
            if let Some(Size::Percent(p)) = child.size {
                sum += u32::from(p);
                if sum > 100 {
                    let total: u32 = children
                        .iter()
                        .filter_map(|c| if let Some(Size::Percent(p)) = c.size { Some(u32::from(p)) } else { None })
                        .sum();
                    let span = raw.attrs.size.as_ref().map_or(raw.span, |(_, s)| *s);
                    return Err(Fault::new(
                        ErrorKind::PercentOverflow,
                        span,
                        format!("percent sizes in this split add up to {total}%"),
                        "past 100%",
                    )
                    .help("percentages of one split must add up to 100% or less"));
                }
            }
        }
        Ok(())
    }

    fn split(&mut self, items: &[Item], cwd: Option<&Path>, stacked: bool) -> Result<Vec<PaneNode>, Fault> {
        let mut raws = Vec::new();
        for item in items {
            match item {
                Item::Pane(p) => raws.push(p),
                Item::Children(span) => {
                    return Err(Fault::new(
                        ErrorKind::MisplacedChildren,
                        *span,
                        "`children` is only allowed inside a template",
                        "outside a template",
                    ));
                }
            }
        }
        let nodes = raws.iter().map(|p| self.tiled(p, cwd, stacked)).collect::<Result<Vec<_>, _>>()?;
        self.percent_check(&nodes, &raws)?;
        Ok(nodes)
    }

    fn tiled(&mut self, raw: &RawPane, parent_cwd: Option<&Path>, in_stack: bool) -> Result<PaneNode, Fault> {
        let a = &raw.attrs;
        for (key, span) in [
            ("x", a.x.as_ref().map(|s| s.1)),
            ("y", a.y.as_ref().map(|s| s.1)),
            ("width", a.width.as_ref().map(|s| s.1)),
            ("height", a.height.as_ref().map(|s| s.1)),
            ("pinned", a.pinned.as_ref().map(|s| s.1)),
        ] {
            if let Some(span) = span {
                return Err(Fault::new(
                    ErrorKind::UnknownProperty,
                    span,
                    format!("`{key}` is only for floating panes"),
                    "tiled pane",
                )
                .help("tiled panes take `size`; put the pane in `floating_panes { ... }` to place it freely"));
            }
        }
        let cwd = compose(parent_cwd, &a.cwd, self.home);
        let stacked = flag(&a.stacked);
        if raw.children.is_empty() {
            let spec = self.spec(raw, cwd, in_stack)?;
            return Ok(PaneNode {
                size: val(&a.size),
                borderless: flag(&a.borderless),
                split: val(&a.split).unwrap_or_default(),
                children: Vec::new(),
                pane: Some(spec),
                stacked: false,
                span: Some(raw.span),
            });
        }
        let runs = [
            ("command", a.command.as_ref().map(|s| s.1)),
            ("edit", a.edit.as_ref().map(|s| s.1)),
            ("plugin", a.plugin.as_ref().map(|s| s.1)),
            ("contents_file", a.contents_file.as_ref().map(|s| s.1)),
            ("args", a.args.as_ref().map(|s| s.1)),
        ];
        if let Some((key, Some(span))) = runs.into_iter().find(|(_, s)| s.is_some()) {
            return Err(Fault::new(
                ErrorKind::Conflict,
                span,
                format!("a pane that holds other panes cannot also have `{key}`"),
                "on a split",
            )
            .help("move it to one of the inner panes"));
        }
        if stacked && !self.stacked_warned {
            self.stacked_warned = true;
            self.warnings.push("stacked panes are not implemented; they are laid out as a plain split".into());
        }
        let children = self.split(&raw.children, cwd.as_deref(), stacked)?;
        Ok(PaneNode {
            size: val(&a.size),
            borderless: flag(&a.borderless),
            split: val(&a.split).unwrap_or_default(),
            children,
            pane: None,
            stacked,
            span: Some(raw.span),
        })
    }

    fn spec(&self, raw: &RawPane, cwd: Option<PathBuf>, in_stack: bool) -> Result<PaneSpec, Fault> {
        let a = &raw.attrs;
        let conflicts = [("command", "plugin"), ("command", "edit"), ("edit", "plugin")];
        let span_of = |key: &str| match key {
            "command" => a.command.as_ref().map(|s| s.1),
            "edit" => a.edit.as_ref().map(|s| s.1),
            _ => a.plugin.as_ref().map(|s| s.1),
        };
        for (k1, k2) in conflicts {
            if let (Some(s1), Some(s2)) = (span_of(k1), span_of(k2)) {
                let (first, second) = if s1.offset() <= s2.offset() { (s1, s2) } else { (s2, s1) };
                return Err(Fault::new(
                    ErrorKind::Conflict,
                    second,
                    format!("a pane cannot have both `{k1}` and `{k2}`"),
                    "conflicting setting",
                )
                .also(first, "the other one")
                .help("split them into two panes"));
            }
        }
        if let (Some((_, span)), None) = (&a.args, &a.command) {
            return Err(Fault::new(
                ErrorKind::Conflict,
                *span,
                "`args` without a `command`",
                "nothing to pass them to",
            )
            .help("add `command=\"...\"` to the pane"));
        }
        let command = val(&a.command).map(|c| {
            let mut argv = vec![c];
            argv.extend(val(&a.args).unwrap_or_default());
            argv
        });
        Ok(PaneSpec {
            name: val(&a.name),
            focus: flag(&a.focus),
            cwd,
            command,
            edit: val(&a.edit),
            close_on_exit: flag(&a.close_on_exit),
            start_suspended: flag(&a.start_suspended),
            contents_file: val(&a.contents_file).map(|f| expand_home(&f, self.home)),
            plugin: val(&a.plugin),
            stacked: in_stack,
            expanded: flag(&a.expanded),
            exclude_from_sync: flag(&a.exclude_from_sync),
        })
    }

    fn floating(&self, raw: &RawPane, cwd: Option<&Path>) -> Result<FloatingLayout, Fault> {
        if let Some(Item::Pane(p)) = raw.children.first() {
            return Err(Fault::new(
                ErrorKind::UnexpectedChildren,
                p.span,
                "a floating pane cannot hold other panes",
                "nested pane",
            ));
        }
        let a = &raw.attrs;
        for (key, span) in [
            ("size", a.size.as_ref().map(|s| s.1)),
            ("split_direction", a.split.as_ref().map(|s| s.1)),
            ("stacked", a.stacked.as_ref().map(|s| s.1)),
        ] {
            if let Some(span) = span {
                return Err(Fault::new(
                    ErrorKind::UnknownProperty,
                    span,
                    format!("a floating pane has no `{key}`"),
                    "floating pane",
                )
                .help("floating panes are placed with `x`, `y`, `width` and `height`"));
            }
        }
        Ok(FloatingLayout {
            x: val(&a.x),
            y: val(&a.y),
            width: val(&a.width),
            height: val(&a.height),
            pinned: flag(&a.pinned),
            borderless: flag(&a.borderless),
            pane: self.spec(raw, compose(cwd, &a.cwd, self.home), false)?,
        })
    }

    fn tab(&mut self, raw: &RawTab, layout_cwd: Option<&Path>) -> Result<TabLayout, Fault> {
        let a = &raw.attrs;
        let cwd = compose(layout_cwd, &a.cwd, self.home);
        let items = if raw.panes.is_empty() { vec![plain_pane(raw.span)] } else { raw.panes.clone() };
        let children = self.split(&items, cwd.as_deref(), false)?;
        let root = PaneNode {
            size: None,
            borderless: false,
            split: val(&a.split).unwrap_or_default(),
            children,
            pane: None,
            stacked: false,
            span: Some(raw.span),
        };
        let floating = raw.floating.iter().map(|f| self.floating(f, cwd.as_deref())).collect::<Result<_, _>>()?;
        Ok(TabLayout {
            name: val(&a.name),
            focus: flag(&a.focus),
            cwd,
            hide_floating_panes: flag(&a.hide_floating_panes),
            root,
            floating,
        })
    }
}

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
            "swap_tiled_layout" | "swap_floating_layout" => {
                let label = node.get("name").and_then(|v| v.as_string()).map(|n| format!(" {n:?}")).unwrap_or_default();
                parser.warnings.push(format!("`{}`{label} is not implemented; ignored", name(node)));
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

    let mut builder = Builder { home, stacked_warned: false, warnings: Vec::new() };
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
    let mut warnings = parser.warnings;
    warnings.extend(builder.warnings);
    Ok(Layout { cwd: layout_cwd, tabs: built, new_tab_template, warnings, source: None })
}
