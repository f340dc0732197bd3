//! A theme as the KDL Zellij writes: the component form, in Zellij's order,
//! RGB as three numbers and palette indices as one, KDL v1. Zellij reads it
//! back, and so does Revenant (the tests check the round trip).

use std::fmt::Write;

use super::{StyleDeclaration, Theme, ThemeColour};

pub(super) fn themes_block(name: &str, theme: &Theme) -> String {
    let mut out = String::new();
    out.push_str("themes {\n");
    let _ = writeln!(out, "    {} {{", identifier(name));
    let declarations = [
        ("text_unselected", Some(&theme.text_unselected)),
        ("text_selected", Some(&theme.text_selected)),
        ("ribbon_selected", Some(&theme.ribbon_selected)),
        ("ribbon_unselected", Some(&theme.ribbon_unselected)),
        ("table_title", Some(&theme.table_title)),
        ("table_cell_selected", Some(&theme.table_cell_selected)),
        ("table_cell_unselected", Some(&theme.table_cell_unselected)),
        ("list_selected", Some(&theme.list_selected)),
        ("list_unselected", Some(&theme.list_unselected)),
        ("frame_selected", Some(&theme.frame_selected)),
        ("frame_unselected", theme.frame_unselected.as_ref()),
        ("frame_highlight", Some(&theme.frame_highlight)),
        ("exit_code_success", Some(&theme.exit_code_success)),
        ("exit_code_error", Some(&theme.exit_code_error)),
    ];
    for (component, declaration) in declarations {
        if let Some(d) = declaration {
            write_declaration(&mut out, component, d);
        }
    }
    out.push_str("        multiplayer_user_colors {\n");
    for (i, colour) in theme.multiplayer_user_colors.iter().enumerate() {
        write_colour(&mut out, &format!("player_{}", i + 1), *colour);
    }
    out.push_str("        }\n    }\n}\n");
    out
}

fn write_declaration(out: &mut String, component: &str, d: &StyleDeclaration) {
    let _ = writeln!(out, "        {component} {{");
    for (key, colour) in [
        ("base", d.base),
        ("background", d.background),
        ("emphasis_0", d.emphasis_0),
        ("emphasis_1", d.emphasis_1),
        ("emphasis_2", d.emphasis_2),
        ("emphasis_3", d.emphasis_3),
    ] {
        write_colour(out, key, colour);
    }
    out.push_str("        }\n");
}

fn write_colour(out: &mut String, key: &str, colour: ThemeColour) {
    let _ = match colour {
        ThemeColour::Rgb(r, g, b) => writeln!(out, "            {key} {r} {g} {b}"),
        ThemeColour::Indexed(i) => writeln!(out, "            {key} {i}"),
    };
}

/// A theme's name as a node name: bare when KDL v1 and v2 both read it so,
/// quoted otherwise (spaces, a leading digit, `true`, ...). The escapes
/// used are ones both versions have.
fn identifier(name: &str) -> String {
    let bare = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !matches!(name, "true" | "false" | "null" | "inf" | "nan");
    if bare {
        return name.to_owned();
    }
    let mut quoted = String::from("\"");
    for c in name.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(quoted, "\\u{{{:x}}}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::identifier;

    #[test]
    fn names_are_quoted_only_when_they_must_be() {
        assert_eq!(identifier("catppuccin-mocha"), "catppuccin-mocha");
        assert_eq!(identifier("my_theme.v2"), "my_theme.v2");
        assert_eq!(identifier("my cool theme"), "\"my cool theme\"");
        assert_eq!(identifier("1984"), "\"1984\"");
        assert_eq!(identifier("true"), "\"true\"");
        assert_eq!(identifier("a\"b\\c\u{1}"), "\"a\\\"b\\\\c\\u{1}\"");
    }
}
