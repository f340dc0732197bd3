//! Swap layouts written back as KDL v1, from what was parsed: whatever the
//! file's own spelling (v2, templates such as Zellij's `ui`), a saved
//! session holds steps that Zellij and Revenant both read as they are.

use std::fmt::Write as _;

use crate::swap::{Constraint, SwapFloating, SwapTiled};
use crate::{FloatingLayout, PaneNode, Size, SplitDirection};

/// Every swap layout as its node, tiled ones first.
pub fn all(tiled: &[SwapTiled], floating: &[SwapFloating]) -> Vec<String> {
    tiled.iter().map(SwapTiled::to_kdl).chain(floating.iter().map(SwapFloating::to_kdl)).collect()
}

impl SwapTiled {
    /// `swap_tiled_layout name="…" { tab max_panes=N { … } … }`.
    pub fn to_kdl(&self) -> String {
        let mut out = open("swap_tiled_layout", &self.name);
        for (constraint, root) in &self.steps {
            let _ = write!(out, "    tab{}", constraint_prop(*constraint));
            if root.split == SplitDirection::Vertical {
                out.push_str(" split_direction=\"vertical\"");
            }
            out.push_str(" {\n");
            for child in &root.children {
                node(&mut out, child, 2);
            }
            out.push_str("    }\n");
        }
        out.push('}');
        out
    }
}

impl SwapFloating {
    /// `swap_floating_layout name="…" { floating_panes max_panes=N { … } }`.
    pub fn to_kdl(&self) -> String {
        let mut out = open("swap_floating_layout", &self.name);
        for (constraint, panes) in &self.steps {
            let _ = write!(out, "    floating_panes{}", constraint_prop(*constraint));
            if panes.is_empty() {
                out.push('\n');
                continue;
            }
            out.push_str(" {\n");
            for pane in panes {
                floating(&mut out, pane);
            }
            out.push_str("    }\n");
        }
        out.push('}');
        out
    }
}

fn open(kind: &str, name: &Option<String>) -> String {
    match name {
        Some(n) => format!("{kind} name={} {{\n", quote(n)),
        None => format!("{kind} {{\n"),
    }
}

fn constraint_prop(c: Constraint) -> String {
    match c {
        Constraint::Any => String::new(),
        Constraint::Max(n) => format!(" max_panes={n}"),
        Constraint::Min(n) => format!(" min_panes={n}"),
        Constraint::Exact(n) => format!(" exact_panes={n}"),
    }
}

fn size(s: Size) -> String {
    match s {
        Size::Fixed(n) => n.to_string(),
        Size::Percent(p) => format!("\"{p}%\""),
    }
}

/// `s` as a KDL v1 string (quoted, escaped), as layouts and the session's
/// metadata write it.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn indent(out: &mut String, depth: usize) {
    out.push_str(&"    ".repeat(depth));
}

fn node(out: &mut String, n: &PaneNode, depth: usize) {
    indent(out, depth);
    let spec = n.pane.as_ref();
    if spec.is_some_and(|s| s.children_slot) {
        out.push_str("children\n");
        return;
    }
    out.push_str("pane");
    if let Some(s) = n.size {
        let _ = write!(out, " size={}", size(s));
    }
    if n.borderless {
        out.push_str(" borderless=true");
    }
    if !n.children.is_empty() {
        if n.split == SplitDirection::Vertical {
            out.push_str(" split_direction=\"vertical\"");
        }
        if n.stacked {
            out.push_str(" stacked=true");
        }
        out.push_str(" {\n");
        for child in &n.children {
            node(out, child, depth + 1);
        }
        indent(out, depth);
        out.push_str("}\n");
        return;
    }
    let Some(spec) = spec else {
        out.push('\n');
        return;
    };
    if let Some(name) = &spec.name {
        let _ = write!(out, " name={}", quote(name));
    }
    if spec.focus {
        out.push_str(" focus=true");
    }
    if spec.expanded {
        out.push_str(" expanded=true");
    }
    match (&spec.command, &spec.plugin) {
        (Some(argv), _) if argv.len() > 1 => {
            let _ = writeln!(out, " command={} {{", quote(&argv[0]));
            indent(out, depth + 1);
            out.push_str("args");
            for a in &argv[1..] {
                let _ = write!(out, " {}", quote(a));
            }
            out.push('\n');
            indent(out, depth);
            out.push_str("}\n");
        }
        (Some(argv), _) => {
            let _ = writeln!(out, " command={}", quote(&argv[0]));
        }
        (None, Some(plugin)) => {
            let _ = writeln!(out, " {{\n{}plugin location={}", "    ".repeat(depth + 1), quote(&plugin.location));
            indent(out, depth);
            out.push_str("}\n");
        }
        (None, None) => out.push('\n'),
    }
}

fn floating(out: &mut String, f: &FloatingLayout) {
    indent(out, 2);
    out.push_str("pane");
    if let Some(name) = &f.pane.name {
        let _ = write!(out, " name={}", quote(name));
    }
    let geometry = [("x", f.x), ("y", f.y), ("width", f.width), ("height", f.height)];
    if geometry.iter().all(|(_, v)| v.is_none()) {
        out.push('\n');
        return;
    }
    out.push_str(" {\n");
    for (key, value) in geometry {
        if let Some(v) = value {
            indent(out, 3);
            let _ = writeln!(out, "{key} {}", size(v));
        }
    }
    indent(out, 2);
    out.push_str("}\n");
}

#[cfg(test)]
mod tests {
    use crate::Layout;

    fn parse(text: &str) -> Layout {
        Layout::parse(std::path::Path::new("t.kdl"), text, None).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    #[test]
    fn awkward_strings_stay_kdl() {
        for name in ["plain", "with \"quotes\"", "back\\slash", "new\nline", "bell\x07", "ünï"] {
            let text = format!("pane title={}", super::quote(name));
            let doc = kdl::KdlDocument::parse_v1(&text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(doc.nodes()[0].get("title").unwrap().as_string(), Some(name));
        }
    }

    #[test]
    fn written_back_as_v1_that_parses_to_the_same() {
        // v2 spelling, a tab template standing in for `tab`, a stack, a
        // name that needs escaping, floating panes.
        let text = r#"/- kdl-version 2
layout {
    tab_template name="ui" {
        pane size=1 borderless=#true { plugin location="zellij:tab-bar"; }
        children
    }
    pane
    swap_tiled_layout name="wide \"one\"" {
        ui max_panes=5 {
            pane split_direction=vertical {
                pane size="60%"
                pane stacked=#true { children; }
            }
        }
        tab { pane; pane; }
    }
    swap_floating_layout {
        floating_panes max_panes=1 { pane x="50%" y=2 width=30; }
        floating_panes
    }
}
"#;
        let first = parse(text);
        assert_eq!(first.swap_layouts().len(), 2);
        for kdl in first.swap_layouts() {
            kdl::KdlDocument::parse_v1(&kdl).unwrap_or_else(|e| panic!("not v1: {e:?}\n{kdl}"));
        }
        assert!(!first.swap_layouts()[0].contains("ui "), "templates expanded: {}", first.swap_layouts()[0]);
        let again = parse(&format!("layout {{\n    pane\n{}\n}}\n", first.swap_layouts().join("\n")));
        // The same steps (spans aside): written again, the same text.
        assert_eq!(again.swap_layouts(), first.swap_layouts());
        assert_eq!(again.swap_tiled[0].steps.len(), 2);
        assert!(
            first.swap_layouts()[0].contains("pane stacked=true {\n                children\n"),
            "{}",
            first.swap_layouts()[0]
        );
    }
}
