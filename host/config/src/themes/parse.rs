//! Reading a `themes { NAME { ... } }` block in either of Zellij's forms.
//!
//! Zellij tells the forms apart by whether every node of a theme is a
//! palette colour, and ignores nodes it does not know. Here a theme is in
//! the form of its first known node, and anything else in it (an unknown
//! node, a node of the other form) is an error with its position: a
//! misspelt `emphasis_O` would otherwise leave a colour at its default with
//! no word said.

use kdl::{KdlEntry, KdlNode, KdlValue};

use super::convert::ZELLIJ_DEFAULT;
use super::{Palette, StyleDeclaration, Theme, ThemeColour};
use crate::error::{ErrorKind, Fault};
use crate::values;
use revenant_kdl_file::suggest;

/// The palette form's colours, all of which it must give, in the order
/// Zellij's files write them.
pub(super) const PALETTE_NAMES: [&str; 11] =
    ["fg", "bg", "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white", "orange"];

/// The component form's parts, in the order Zellij writes them. Each may be
/// left out.
pub(super) const COMPONENT_NAMES: [&str; 15] = [
    "text_unselected",
    "text_selected",
    "ribbon_selected",
    "ribbon_unselected",
    "table_title",
    "table_cell_selected",
    "table_cell_unselected",
    "list_selected",
    "list_unselected",
    "frame_selected",
    "frame_unselected",
    "frame_highlight",
    "exit_code_success",
    "exit_code_error",
    "multiplayer_user_colors",
];

/// A component's colours; all but `background` are required, as in Zellij.
pub(super) const DECLARATION_KEYS: [&str; 6] =
    ["base", "background", "emphasis_0", "emphasis_1", "emphasis_2", "emphasis_3"];

pub(super) const PLAYER_KEYS: [&str; 10] = [
    "player_1",
    "player_2",
    "player_3",
    "player_4",
    "player_5",
    "player_6",
    "player_7",
    "player_8",
    "player_9",
    "player_10",
];

const COLOUR_HELP: &str = "write a colour as \"#rrggbb\" (or \"#rgb\"), as three numbers 0 to 255 (`red 255 85 85`), or as one 256-colour palette index (`red 1`)";

const EXAMPLE: &str = "themes { my-theme { fg \"#D8DEE9\"; bg \"#2E3440\"; ... } }";

/// The themes of a `themes` node, in the order written.
pub(crate) fn parse_block(node: &KdlNode) -> Result<Vec<(String, Theme)>, Fault> {
    let owner = values::name(node);
    values::reject_properties(node, &[], owner)?;
    if let Some(first) = values::arguments(node).first() {
        return Err(Fault::new(
            ErrorKind::TooManyValues,
            first.span(),
            format!("`{owner}` is a block and takes no values"),
            "unexpected value",
        )
        .help(EXAMPLE));
    }
    let Some(children) = node.children() else {
        return Err(Fault::new(
            ErrorKind::MissingChildren,
            values::name_span(node),
            format!("`{owner}` needs a `{{ ... }}` block of themes"),
            "no block",
        )
        .help(EXAMPLE));
    };
    let mut themes: Vec<(String, Theme, &KdlNode)> = Vec::new();
    for theme_node in children.nodes() {
        let name = values::name(theme_node);
        if let Some((_, _, first)) = themes.iter().find(|(n, _, _)| n == name) {
            return Err(Fault::new(
                ErrorKind::Duplicate,
                values::name_span(theme_node),
                format!("theme `{name}` is defined twice"),
                "defined again here",
            )
            .also(values::name_span(first), "first defined here")
            .help("remove one of them"));
        }
        themes.push((name.to_owned(), theme(theme_node)?, theme_node));
    }
    Ok(themes.into_iter().map(|(name, theme, _)| (name, theme)).collect())
}

#[derive(Clone, Copy, PartialEq)]
enum Form {
    Palette,
    Components,
}

impl Form {
    fn of(name: &str) -> Option<Form> {
        if PALETTE_NAMES.contains(&name) {
            Some(Form::Palette)
        } else if COMPONENT_NAMES.contains(&name) {
            Some(Form::Components)
        } else {
            None
        }
    }

    fn names(self) -> &'static [&'static str] {
        match self {
            Form::Palette => &PALETTE_NAMES,
            Form::Components => &COMPONENT_NAMES,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Form::Palette => "Zellij's palette form",
            Form::Components => "Zellij's component form",
        }
    }
}

fn theme(node: &KdlNode) -> Result<Theme, Fault> {
    let name = values::name(node);
    let nodes = colour_block(node, name, &format!("theme `{name}`"), format!("give it a block: {EXAMPLE}"))?;
    let form = nodes.iter().find_map(|n| Form::of(values::name(n)));
    for (i, child) in nodes.iter().enumerate() {
        let key = values::name(child);
        match (Form::of(key), form) {
            (Some(found), Some(form)) if found != form => {
                return Err(Fault::new(
                    ErrorKind::UnknownOption,
                    values::name_span(child),
                    format!("theme `{name}` mixes {} (`{key}`) with {}", found.describe(), form.describe()),
                    "of the other form",
                )
                .help("a theme is either eleven palette colours (`fg`, `bg`, `red`, ...) or UI components (`text_unselected { ... }`, ...), not both"));
            }
            (Some(_), _) => {}
            (None, form) => {
                let known: Vec<&str> = match form {
                    Some(form) => form.names().to_vec(),
                    None => PALETTE_NAMES.iter().chain(&COMPONENT_NAMES).copied().collect(),
                };
                let what = match form {
                    Some(Form::Palette) => "colour",
                    Some(Form::Components) => "component",
                    None => "colour or component",
                };
                return Err(Fault::new(
                    ErrorKind::UnknownOption,
                    values::name_span(child),
                    format!("theme `{name}`: unknown {what} `{key}`"),
                    format!("unknown {what}"),
                )
                .help(suggest::help(key, &known, &format!("the {what}s of a theme"))));
            }
        }
        if let Some(first) = nodes[..i].iter().find(|n| values::name(n) == key) {
            return Err(Fault::new(
                ErrorKind::Duplicate,
                values::name_span(child),
                format!("theme `{name}`: `{key}` is set twice"),
                "set again here",
            )
            .also(values::name_span(first), "first set here")
            .help("remove one of them"));
        }
    }
    match form {
        Some(Form::Palette) => palette(node, nodes).map(|p| Theme::from_palette(&p)),
        _ => components(name, nodes),
    }
}

/// The node named `key` among `nodes`; the caller has refused duplicates.
fn find<'a>(nodes: &'a [KdlNode], key: &str) -> Option<&'a KdlNode> {
    nodes.iter().find(|n| values::name(n) == key)
}

fn palette(theme: &KdlNode, nodes: &[KdlNode]) -> Result<Palette, Fault> {
    let name = values::name(theme);
    let get = |key: &str| -> Result<ThemeColour, Fault> {
        match find(nodes, key) {
            Some(node) => colour(node, &format!("{name}.{key}")),
            None => Err(Fault::new(
                ErrorKind::MissingValue,
                values::name_span(theme),
                format!("theme `{name}` has no `{key}`"),
                format!("no `{key}`"),
            )
            .help(format!("Zellij's palette form needs all eleven colours: {}", PALETTE_NAMES.join(", ")))),
        }
    };
    Ok(Palette {
        fg: get("fg")?,
        bg: get("bg")?,
        black: get("black")?,
        red: get("red")?,
        green: get("green")?,
        yellow: get("yellow")?,
        blue: get("blue")?,
        magenta: get("magenta")?,
        cyan: get("cyan")?,
        white: get("white")?,
        orange: get("orange")?,
    })
}

fn components(theme: &str, nodes: &[KdlNode]) -> Result<Theme, Fault> {
    let d = ZELLIJ_DEFAULT;
    let get = |key: &str, default: StyleDeclaration| -> Result<StyleDeclaration, Fault> {
        find(nodes, key).map_or(Ok(default), |node| declaration(node, theme))
    };
    let frame_unselected = match find(nodes, "frame_unselected") {
        Some(node) => Some(declaration(node, theme)?),
        None => None,
    };
    let multiplayer_user_colors = match find(nodes, "multiplayer_user_colors") {
        Some(node) => players(node, theme)?,
        None => d.multiplayer_user_colors,
    };
    Ok(Theme {
        text_unselected: get("text_unselected", d.text_unselected)?,
        text_selected: get("text_selected", d.text_selected)?,
        ribbon_selected: get("ribbon_selected", d.ribbon_selected)?,
        ribbon_unselected: get("ribbon_unselected", d.ribbon_unselected)?,
        table_title: get("table_title", d.table_title)?,
        table_cell_selected: get("table_cell_selected", d.table_cell_selected)?,
        table_cell_unselected: get("table_cell_unselected", d.table_cell_unselected)?,
        list_selected: get("list_selected", d.list_selected)?,
        list_unselected: get("list_unselected", d.list_unselected)?,
        frame_selected: get("frame_selected", d.frame_selected)?,
        frame_unselected,
        frame_highlight: get("frame_highlight", d.frame_highlight)?,
        exit_code_success: get("exit_code_success", d.exit_code_success)?,
        exit_code_error: get("exit_code_error", d.exit_code_error)?,
        multiplayer_user_colors,
    })
}

/// The children of a theme or a component: a block of colours, with no
/// values or properties of its own. `label` names it in the message
/// ("theme `x`", "`x.frame_selected`"), `help` says what the block holds.
fn colour_block<'a>(node: &'a KdlNode, owner: &str, label: &str, help: String) -> Result<&'a [KdlNode], Fault> {
    values::reject_properties(node, &[], owner)?;
    if let Some(first) = values::arguments(node).first() {
        return Err(Fault::new(
            ErrorKind::TooManyValues,
            first.span(),
            format!("{label} takes no values, only a `{{ ... }}` block of colours"),
            "unexpected value",
        ));
    }
    let nodes = node.children().map(|c| c.nodes()).unwrap_or_default();
    if nodes.is_empty() {
        return Err(Fault::new(
            ErrorKind::MissingChildren,
            values::name_span(node),
            format!("{label} has no colours"),
            "no colours",
        )
        .help(help));
    }
    Ok(nodes)
}

/// The children of a component, each checked to be one of `keys` and given
/// once; the component itself takes no values.
fn keyed_children<'a>(node: &'a KdlNode, theme: &str, keys: &[&str]) -> Result<&'a [KdlNode], Fault> {
    let what = format!("{theme}.{}", values::name(node));
    let keys_help = format!("it takes {}", keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "));
    let nodes = colour_block(node, &what, &format!("`{what}`"), keys_help)?;
    for (i, child) in nodes.iter().enumerate() {
        let key = values::name(child);
        if !keys.contains(&key) {
            return Err(Fault::new(
                ErrorKind::UnknownOption,
                values::name_span(child),
                format!("`{what}`: unknown colour `{key}`"),
                "unknown colour",
            )
            .help(suggest::help(key, keys, "its colours")));
        }
        if let Some(first) = nodes[..i].iter().find(|n| values::name(n) == key) {
            return Err(Fault::new(
                ErrorKind::Duplicate,
                values::name_span(child),
                format!("`{what}`: `{key}` is set twice"),
                "set again here",
            )
            .also(values::name_span(first), "first set here")
            .help("remove one of them"));
        }
    }
    Ok(nodes)
}

fn declaration(node: &KdlNode, theme: &str) -> Result<StyleDeclaration, Fault> {
    let what = format!("{theme}.{}", values::name(node));
    let nodes = keyed_children(node, theme, &DECLARATION_KEYS)?;
    let get = |key: &str| -> Result<Option<ThemeColour>, Fault> {
        find(nodes, key).map(|n| colour(n, &format!("{what}.{key}"))).transpose()
    };
    let required = |key: &str| -> Result<ThemeColour, Fault> {
        get(key)?.ok_or_else(|| {
            Fault::new(
                ErrorKind::MissingValue,
                values::name_span(node),
                format!("`{what}` has no `{key}`"),
                format!("no `{key}`"),
            )
            .help("a component needs `base` and `emphasis_0` to `emphasis_3`; `background` may be left out")
        })
    };
    Ok(StyleDeclaration {
        base: required("base")?,
        // Zellij's default for a missing background, palette index 0.
        background: get("background")?.unwrap_or_default(),
        emphasis_0: required("emphasis_0")?,
        emphasis_1: required("emphasis_1")?,
        emphasis_2: required("emphasis_2")?,
        emphasis_3: required("emphasis_3")?,
    })
}

/// Each player left out keeps Zellij's default colour for it.
fn players(node: &KdlNode, theme: &str) -> Result<[ThemeColour; 10], Fault> {
    let nodes = keyed_children(node, theme, &PLAYER_KEYS)?;
    let mut colours = ZELLIJ_DEFAULT.multiplayer_user_colors;
    for (slot, key) in colours.iter_mut().zip(PLAYER_KEYS) {
        if let Some(n) = find(nodes, key) {
            *slot = colour(n, &format!("{theme}.multiplayer_user_colors.{key}"))?;
        }
    }
    Ok(colours)
}

/// One colour node: `"#rrggbb"`, `"#rgb"`, `r g b`, or a palette index.
/// `what` names it in messages as a path: `dracula.text_unselected.base`.
pub(super) fn colour(node: &KdlNode, what: &str) -> Result<ThemeColour, Fault> {
    values::reject_properties(node, &[], what)?;
    values::reject_children(node, what)?;
    let args = values::arguments(node);
    match args.as_slice() {
        [] => Err(Fault::new(
            ErrorKind::MissingValue,
            values::name_span(node),
            format!("`{what}` needs a colour"),
            "no colour",
        )
        .help(COLOUR_HELP)),
        [one] => match one.value() {
            KdlValue::String(s) => hex(one, s, what),
            KdlValue::Integer(_) => channel(one, what).map(ThemeColour::Indexed),
            _ => Err(values::wrong_type(one, what, "a colour").help(COLOUR_HELP)),
        },
        [r, g, b] => {
            for entry in [r, g, b] {
                if !matches!(entry.value(), KdlValue::Integer(_)) {
                    return Err(values::wrong_type(entry, what, "a number 0 to 255").help(COLOUR_HELP));
                }
            }
            Ok(ThemeColour::Rgb(channel(r, what)?, channel(g, what)?, channel(b, what)?))
        }
        [_, second] => Err(Fault::new(
            ErrorKind::MissingValue,
            second.span(),
            format!("`{what}` takes one value or three (r g b), found 2"),
            "a third value is missing",
        )
        .help(COLOUR_HELP)),
        [_, _, _, fourth, ..] => Err(Fault::new(
            ErrorKind::TooManyValues,
            fourth.span(),
            format!("`{what}` takes one value or three (r g b), found {}", args.len()),
            "unexpected value",
        )
        .help(COLOUR_HELP)),
    }
}

/// Zellij casts with `as u8`, so 300 would quietly be 44; here it is an
/// error instead.
fn channel(entry: &KdlEntry, what: &str) -> Result<u8, Fault> {
    match entry.value() {
        KdlValue::Integer(i) => u8::try_from(*i).map_err(|_| {
            Fault::new(ErrorKind::InvalidValue, entry.span(), format!("`{what}`: {i} is not 0 to 255"), "not 0 to 255")
                .help(COLOUR_HELP)
        }),
        _ => Err(values::wrong_type(entry, what, "a number 0 to 255").help(COLOUR_HELP)),
    }
}

fn hex(entry: &KdlEntry, text: &str, what: &str) -> Result<ThemeColour, Fault> {
    let bad = || {
        Fault::new(
            ErrorKind::InvalidValue,
            entry.span(),
            format!("`{what}`: {text:?} is not a colour"),
            "not \"#rrggbb\" or \"#rgb\"",
        )
        .help(COLOUR_HELP)
    };
    let digits = text.strip_prefix('#').ok_or_else(bad)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let byte = |i: usize, len: usize| u8::from_str_radix(&digits[i..i + len], 16).map_err(|_| bad());
    match digits.len() {
        6 => Ok(ThemeColour::Rgb(byte(0, 2)?, byte(2, 2)?, byte(4, 2)?)),
        3 => Ok(ThemeColour::Rgb(byte(0, 1)? * 0x11, byte(1, 1)? * 0x11, byte(2, 1)? * 0x11)),
        _ => Err(bad()),
    }
}
