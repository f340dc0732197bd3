//! Reading one node's values and settings: typed values with their spans,
//! the keys each kind of node takes, sizes, directions, plugin blocks, and
//! the error for each mistake.

use kdl::{KdlDocument, KdlEntry, KdlNode, KdlValue};
use miette::SourceSpan;
use revenant_kdl_file::suggest;

use crate::error::{ErrorKind, Fault};
use crate::{Colour, PluginSpec, Size, SplitDirection};

pub(super) type Sp<T> = Option<(T, SourceSpan)>;

/// Every setting a pane or tab node can carry, each with where it was set.
#[derive(Debug, Clone, Default)]
pub(super) struct Attrs {
    pub(super) split: Sp<SplitDirection>,
    pub(super) size: Sp<Size>,
    pub(super) borderless: Sp<bool>,
    pub(super) focus: Sp<bool>,
    pub(super) name: Sp<String>,
    pub(super) cwd: Sp<String>,
    pub(super) command: Sp<String>,
    pub(super) args: Sp<Vec<String>>,
    pub(super) edit: Sp<String>,
    pub(super) close_on_exit: Sp<bool>,
    pub(super) start_suspended: Sp<bool>,
    pub(super) stacked: Sp<bool>,
    pub(super) expanded: Sp<bool>,
    pub(super) contents_file: Sp<String>,
    pub(super) exclude_from_sync: Sp<bool>,
    pub(super) save_contents: Sp<bool>,
    pub(super) plugin: Sp<PluginSpec>,
    pub(super) x: Sp<Size>,
    pub(super) y: Sp<Size>,
    pub(super) width: Sp<Size>,
    pub(super) height: Sp<Size>,
    pub(super) pinned: Sp<bool>,
    pub(super) hide_floating_panes: Sp<bool>,
    pub(super) default_fg: Sp<Colour>,
    pub(super) default_bg: Sp<Colour>,
}

macro_rules! overlay_fields {
    ($base:ident, $top:ident, $($f:ident),*) => {
        Attrs { $($f: $top.$f.or($base.$f)),* }
    };
}

impl Attrs {
    /// `top`'s settings win over `self`'s (an instance over its template).
    pub(super) fn overlay(self, top: Attrs) -> Attrs {
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
            save_contents,
            plugin,
            x,
            y,
            width,
            height,
            pinned,
            hide_floating_panes,
            default_fg,
            default_bg
        )
    }
}

pub(super) fn flag(v: &Sp<bool>) -> bool {
    v.as_ref().is_some_and(|(b, _)| *b)
}

pub(super) fn val<T: Clone>(v: &Sp<T>) -> Option<T> {
    v.as_ref().map(|(t, _)| t.clone())
}

pub(super) const TILED_KEYS: &[&str] = &[
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
    "save_contents",
    "default_fg",
    "default_bg",
];
pub(super) const FLOATING_KEYS: &[&str] = &[
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
    "save_contents",
    "x",
    "y",
    "width",
    "height",
    "pinned",
    "default_fg",
    "default_bg",
];
pub(super) const GEOMETRY_KEYS: &[&str] = &["x", "y", "width", "height", "pinned"];
pub(super) const TAB_KEYS: &[&str] = &["name", "focus", "cwd", "hide_floating_panes", "split_direction"];
pub(super) const LAYOUT_NODES: &[&str] = &[
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
pub(super) const RESERVED: &[&str] = &[
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

use revenant_kdl_file::node::describe as describe_value;
pub(super) use revenant_kdl_file::node::{name, name_span};

pub(super) fn arguments(node: &KdlNode) -> Vec<&KdlEntry> {
    node.entries().iter().filter(|e| e.name().is_none()).collect()
}

pub(super) fn reject_arguments(node: &KdlNode) -> Result<(), Fault> {
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

pub(super) fn reject_properties(node: &KdlNode) -> Result<(), Fault> {
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

pub(super) fn reject_children(node: &KdlNode) -> Result<(), Fault> {
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

pub(super) fn child_nodes(node: &KdlNode) -> &[KdlNode] {
    node.children().map_or(&[], KdlDocument::nodes)
}

/// The single value of a `key value` child node.
pub(super) fn single(node: &KdlNode) -> Result<&KdlEntry, Fault> {
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

pub(super) fn wrong_type(entry: &KdlEntry, key: &str, expected: &str) -> Fault {
    Fault::new(
        ErrorKind::WrongType,
        entry.span(),
        format!("`{key}`: expected {expected}, found {}", describe_value(entry.value())),
        format!("expected {expected}"),
    )
}

pub(super) fn boolean(entry: &KdlEntry, key: &str) -> Result<bool, Fault> {
    entry.value().as_bool().ok_or_else(|| {
        wrong_type(entry, key, "a boolean")
            .help(format!("write `{key}=true` or `{key}=false` (KDL v2 spells them `#true` and `#false`)"))
    })
}

pub(super) fn string(entry: &KdlEntry, key: &str) -> Result<String, Fault> {
    entry
        .value()
        .as_string()
        .map(str::to_owned)
        .ok_or_else(|| wrong_type(entry, key, "a string").help("put the value in double quotes"))
}

pub(super) fn non_empty(entry: &KdlEntry, key: &str) -> Result<String, Fault> {
    let s = string(entry, key)?;
    if s.trim().is_empty() {
        return Err(Fault::new(ErrorKind::InvalidValue, entry.span(), format!("`{key}` must not be empty"), "empty"));
    }
    Ok(s)
}

/// A pane colour: `"#rrggbb"`, `"#rgb"`, a palette index or a name.
fn colour(entry: &KdlEntry, key: &str) -> Result<Colour, Fault> {
    let text = match entry.value() {
        KdlValue::Integer(i) => i.to_string(),
        _ => string(entry, key)?,
    };
    Colour::parse(&text)
        .map_err(|why| Fault::new(ErrorKind::InvalidValue, entry.span(), format!("`{key}`: {why}"), "not a colour"))
}

/// `N` cells or `"N%"`; `min` is 0 for positions and 1 for extents.
pub(super) fn size(entry: &KdlEntry, key: &str, min: u16) -> Result<Size, Fault> {
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

pub(super) fn split_direction(entry: &KdlEntry) -> Result<SplitDirection, Fault> {
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

pub(super) fn set<T>(slot: &mut Sp<T>, value: T, span: SourceSpan, key: &str) -> Result<(), Fault> {
    if let Some((_, first)) = slot {
        return Err(Fault::new(ErrorKind::Duplicate, span, format!("`{key}` is given twice"), "second time")
            .also(*first, "first time"));
    }
    *slot = Some((value, span));
    Ok(())
}

/// Stores one setting. `key` has already been checked against the node's list.
pub(super) fn read_key(attrs: &mut Attrs, key: &str, entry: &KdlEntry) -> Result<(), Fault> {
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
        "save_contents" => set(&mut attrs.save_contents, boolean(entry, key)?, span, key),
        "pinned" => set(&mut attrs.pinned, boolean(entry, key)?, span, key),
        "hide_floating_panes" => set(&mut attrs.hide_floating_panes, boolean(entry, key)?, span, key),
        "name" => set(&mut attrs.name, string(entry, key)?, span, key),
        "cwd" => set(&mut attrs.cwd, non_empty(entry, key)?, span, key),
        "command" => set(&mut attrs.command, non_empty(entry, key)?, span, key),
        "edit" => set(&mut attrs.edit, non_empty(entry, key)?, span, key),
        "contents_file" => set(&mut attrs.contents_file, non_empty(entry, key)?, span, key),
        "default_fg" => set(&mut attrs.default_fg, colour(entry, key)?, span, key),
        "default_bg" => set(&mut attrs.default_bg, colour(entry, key)?, span, key),
        _ => Err(Fault::new(ErrorKind::UnknownProperty, span, format!("unknown setting `{key}`"), "unknown")),
    }
}

/// Reads the `name=value` properties of `node`; `skip` lists properties the
/// caller handles itself (a template's `name`).
pub(super) fn properties(node: &KdlNode, keys: &[&str], skip: &[&str], attrs: &mut Attrs) -> Result<(), Fault> {
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

pub(super) fn unknown_property(node: &KdlNode, entry: &KdlEntry, prop: &str, keys: &[&str]) -> Fault {
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

pub(super) fn plugin(node: &KdlNode) -> Result<PluginSpec, Fault> {
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

pub(super) fn args(node: &KdlNode) -> Result<Vec<String>, Fault> {
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
