//! Broken layout files: each is refused with the right kind of error at
//! its exact line and column, a did-you-mean where one helps, and a miette
//! report that points at the span.

use std::path::Path;

use revenant_layout::{ErrorKind, Layout, LayoutError};

fn parse(text: &str) -> Result<Layout, LayoutError> {
    Layout::parse(Path::new("t.kdl"), text, Some(Path::new("/home/u")))
}

#[test]
fn error_table() {
    // (layout, line, column, message fragment, kind)
    let table: &[(&str, usize, usize, &str, ErrorKind)] = &[
        ("layout {\n    pane size=true\n}\n", 2, 10, "`size`: expected a number of cells", ErrorKind::WrongType),
        // KDL v1, as Zellij reads it: `}` does not end a node.
        (
            "layout {\n    pane\n    floating_panes { pane { x 1; } }\n}\n",
            3,
            22,
            "invalid KDL: Expected valid node terminator",
            ErrorKind::Syntax,
        ),
        ("layout {\n    pane borderless=\"yes\"\n}\n", 2, 10, "`borderless`: expected a boolean", ErrorKind::WrongType),
        (
            "layout {\n    pane split_direction=\"diagonal\"\n}\n",
            2,
            10,
            "must be \"vertical\" or \"horizontal\"",
            ErrorKind::InvalidValue,
        ),
        ("layout {\n    pane size=\"50\"\n}\n", 2, 10, "has no `%`", ErrorKind::InvalidValue),
        ("layout {\n    pane size=\"120%\"\n}\n", 2, 10, "out of range", ErrorKind::InvalidValue),
        ("layout {\n    pane size=0\n}\n", 2, 10, "must be between 1", ErrorKind::InvalidValue),
        (
            "layout {\n    pane\n    floating_panes {\n        pane {\n            x \"abc\"\n        }\n    }\n}\n",
            5,
            15,
            "is not a size",
            ErrorKind::InvalidValue,
        ),
        (
            "layout {\n    floating_panes {\n        pane y=true\n    }\n}\n",
            3,
            14,
            "`y`: expected",
            ErrorKind::WrongType,
        ),
        (
            "layout {\n    tab focus=true\n    tab name=\"b\" focus=true\n}\n",
            3,
            18,
            "more than one tab has `focus=true`",
            ErrorKind::MultipleFocus,
        ),
        (
            "layout {\n    pane_template {\n        pane\n    }\n}\n",
            2,
            5,
            "`pane_template` needs a name",
            ErrorKind::MissingName,
        ),
        ("layout {\n    tab_template\n}\n", 2, 5, "`tab_template` needs a name", ErrorKind::MissingName),
        ("layout {\n    pane\n    pnae\n}\n", 3, 5, "unknown node `pnae`", ErrorKind::UnknownNode),
        (
            "layout {\n    tab {\n        my_template\n    }\n}\n",
            3,
            9,
            "unknown node `my_template`",
            ErrorKind::UnknownNode,
        ),
        ("layout {\n    pane sise=1\n}\n", 2, 10, "`pane` has no property `sise`", ErrorKind::UnknownProperty),
        (
            "layout {\n    tab {\n        children\n    }\n}\n",
            3,
            9,
            "only allowed inside a template",
            ErrorKind::MisplacedChildren,
        ),
        ("layout {\n    children\n}\n", 2, 5, "only allowed inside a template", ErrorKind::MisplacedChildren),
        (
            "layout {\n    pane size=\"60%\"\n    pane size=\"50%\"\n}\n",
            3,
            10,
            "add up to 110%",
            ErrorKind::PercentOverflow,
        ),
        // The kdl crate blames the block that is never closed.
        ("layout {\n    pane size=1\n  pane {\n}\n", 1, 8, "invalid KDL: Expected closing '}'", ErrorKind::Syntax),
        ("layout {\n    pane size=1.\n}\n", 2, 15, "invalid KDL", ErrorKind::Syntax),
        (
            "layout {\n    pane command=\"a\" {\n        plugin location=\"x\"\n    }\n}\n",
            3,
            9,
            "both `command` and `plugin`",
            ErrorKind::Conflict,
        ),
        (
            "layout {\n    pane {\n        args \"a\"\n    }\n}\n",
            3,
            9,
            "`args` without a `command`",
            ErrorKind::Conflict,
        ),
        ("layout {\n    pane x=1\n}\n", 2, 10, "`pane` has no property `x`", ErrorKind::UnknownProperty),
        (
            "layout {\n    floating_panes {\n        pane {\n            pane\n        }\n    }\n}\n",
            4,
            13,
            "floating pane cannot hold other panes",
            ErrorKind::UnexpectedChildren,
        ),
        ("pane\n", 1, 1, "unknown top-level node `pane`", ErrorKind::UnknownNode),
        ("", 1, 1, "no `layout", ErrorKind::MissingLayout),
        (
            "layout {\n    pane_template name=\"a\" {\n        b\n    }\n    pane_template name=\"b\" {\n        a\n    }\n    a\n}\n",
            6,
            9,
            "uses itself",
            ErrorKind::TemplateCycle,
        ),
        ("layout {\n    tab\n    pane\n}\n", 3, 5, "tabs cannot also have panes", ErrorKind::Conflict),
        (
            "layout {\n    default_tab_template {\n        pane\n    }\n    tab {\n        pane\n    }\n}\n",
            6,
            9,
            "has no `children`",
            ErrorKind::MisplacedChildren,
        ),
        (
            "layout {\n    pane command=\"ls\" {\n        pane\n    }\n}\n",
            2,
            10,
            "cannot also have `command`",
            ErrorKind::Conflict,
        ),
        (
            "layout {\n    pane {\n        focus true\n        focus false\n    }\n}\n",
            4,
            15,
            "`focus` is given twice",
            ErrorKind::Duplicate,
        ),
        (
            "layout {\n    pane {\n        plugin \"zellij:tab-bar\"\n    }\n}\n",
            3,
            16,
            "`plugin` takes no values",
            ErrorKind::TooManyValues,
        ),
        (
            "layout {\n    pane {\n        plugin\n    }\n}\n",
            3,
            9,
            "`plugin` needs a `location`",
            ErrorKind::MissingValue,
        ),
        ("layout {\n    pane_template name=\"pane\"\n}\n", 2, 19, "cannot name a template", ErrorKind::InvalidValue),
        (
            "layout {\n    pane_template name=\"t\"\n    pane_template name=\"t\"\n}\n",
            3,
            19,
            "already a template named `t`",
            ErrorKind::Duplicate,
        ),
        ("layout {\n    tab hide_floating_panes=1\n}\n", 2, 9, "expected a boolean", ErrorKind::WrongType),
        (
            "layout {\n    pane {\n        args\n    }\n}\n",
            3,
            9,
            "`args` needs at least one value",
            ErrorKind::MissingValue,
        ),
        (
            "layout {\n    pane_template name=\"t\" {\n        children\n        children\n    }\n    t\n}\n",
            4,
            9,
            "only one `children`",
            ErrorKind::Duplicate,
        ),
    ];
    let mut failures = Vec::new();
    for (text, line, col, fragment, kind) in table {
        match parse(text) {
            Ok(_) => failures.push(format!("{text:?}: parsed, expected an error")),
            Err(e) => {
                let ok = e.line_col() == Some((*line, *col)) && e.message().contains(fragment) && e.kind() == *kind;
                if !ok {
                    failures.push(format!(
                        "{text:?}\n  want {line}:{col} {kind:?} {fragment:?}\n  got  {:?} {:?} {:?}",
                        e.line_col(),
                        e.kind(),
                        e.message()
                    ));
                }
                // Display is one located line.
                let shown = e.to_string();
                assert!(shown.starts_with(&format!("t.kdl:{line}:")) || !ok, "{shown}");
                assert!(!shown.contains('\n'), "{shown}");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn did_you_mean() {
    let e = parse("layout {\n    pane\n    pnae\n}\n").unwrap_err();
    assert_eq!(e.help_text(), Some("did you mean `pane`?"));
    let e = parse("layout {\n    pane sise=1\n}\n").unwrap_err();
    assert_eq!(e.help_text(), Some("did you mean `size`?"));
    let e = parse("layout {\n    pane split_direction=\"verticle\"\n}\n").unwrap_err();
    assert_eq!(e.help_text(), Some("did you mean \"vertical\"?"));
    let e = parse("layout {\n    pane_template name=\"editor\"\n    tab {\n        editr\n    }\n}\n").unwrap_err();
    assert_eq!(e.help_text(), Some("did you mean `editor`?"));
    let e = parse("layout {\n    pane size=\"50\"\n}\n").unwrap_err();
    assert!(e.help_text().unwrap().contains("size=\"50%\""));
}

#[test]
fn miette_report_labels_the_span() {
    use miette::Diagnostic;
    let text = "layout {\n    pane size=true\n}\n";
    let e = parse(text).unwrap_err();
    let labels: Vec<_> = e.labels().unwrap().collect();
    assert_eq!(&text[labels[0].offset()..labels[0].offset() + labels[0].len()], "size=true");
    assert_eq!(e.code().unwrap().to_string(), "revenant::layout::wrong_type");
    assert!(e.source_code().is_some());
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, &e)
        .unwrap();
    assert!(out.contains("expected a number of cells"), "{out}");
}
