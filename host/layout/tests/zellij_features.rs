//! What Zellij layouts say beyond splits: pane colours, stacks and swap
//! layouts, and Zellij's own serializer outputs, which must all open.

use std::path::{Path, PathBuf};

use revenant_layout::{ColourValue, ErrorKind, Layout};

fn fixtures(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(dir)
}

fn parse(text: &str) -> Layout {
    Layout::parse(Path::new("t.kdl"), text, None).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn zellijs_pane_colours_example_opens_with_its_colours() {
    let path = fixtures("zellij-layouts/pane_colors_layout.kdl");
    let layout = Layout::load(&path, None).unwrap_or_else(|e| panic!("{e}"));
    let tab = &layout.normalize(80, 24).unwrap()[0];
    let by_name = |n: &str| tab.panes.iter().find(|p| p.spec.name.as_deref() == Some(n)).expect(n);
    let blue = by_name("dark-blue-bg");
    assert_eq!(blue.spec.default_bg.as_ref().map(|c| c.value), Some(ColourValue::Rgb(0, 0x1a, 0x3a)));
    assert_eq!(blue.spec.default_fg, None);
    let green = by_name("green-on-black");
    assert_eq!(green.spec.default_fg.as_ref().map(|c| c.text.as_str()), Some("#00e000"));
    assert!(by_name("default-colors").spec.default_bg.is_none());
    assert!(layout::describe(&layout, 80, 24).contains("default_bg \"#001a3a\""));
}

mod layout {
    pub fn describe(l: &revenant_layout::Layout, cols: u16, rows: u16) -> String {
        revenant_layout::describe(&l.normalize(cols, rows).unwrap())
    }
}

#[test]
fn a_colour_that_is_not_one_is_refused_where_it_is() {
    let err = Layout::parse(Path::new("t.kdl"), "layout {\n    pane default_fg=\"purple\"\n}\n", None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue, "{err}");
    assert_eq!(err.line_col(), Some((2, 10)), "{err}");
    assert!(err.to_string().contains("\"purple\" is not a colour"), "{err}");
}

#[test]
fn a_stack_shows_one_pane_and_the_others_title_rows() {
    let l = parse(
        "layout {\n    pane split_direction=\"vertical\" {\n        pane\n        pane stacked=true {\n            pane\n            pane expanded=true\n            pane\n        }\n    }\n}\n",
    );
    let tab = &l.normalize(100, 30).unwrap()[0];
    let rects: Vec<_> = tab.panes.iter().map(|p| (p.x, p.y, p.cols, p.rows, p.collapsed)).collect();
    // As Zellij 0.45 lists them: every member on the stack's rectangle.
    assert_eq!(rects, [(0, 0, 50, 30, false), (50, 0, 50, 30, true), (50, 0, 50, 30, false), (50, 0, 50, 30, true)]);
    assert!(l.warnings.is_empty(), "stacks are implemented: {:?}", l.warnings);
    // Without `expanded`, the lowest pane is the open one (Zellij's docs,
    // and what it does).
    let l = parse("layout {\n    pane stacked=true {\n        pane\n        pane\n    }\n}\n");
    let open: Vec<bool> = l.normalize(80, 24).unwrap()[0].panes.iter().map(|p| !p.collapsed).collect();
    assert_eq!(open, [false, true]);
    // The frame, one list row per member and a row to show: 6 for three.
    let l = parse("layout {\n    pane stacked=true {\n        pane\n        pane\n        pane\n    }\n}\n");
    assert!(l.normalize(80, 6).is_ok());
    assert_eq!(l.normalize(80, 5).unwrap_err().kind(), ErrorKind::NoRoom);
}

#[test]
fn swap_layouts_are_kept_to_be_saved_as_kdl_v1() {
    let text = "layout {\n    pane\n    swap_tiled_layout name=\"stacked\" {\n        tab min_panes=5 {\n            pane stacked=true { children; }\n        }\n    }\n    swap_floating_layout {\n        floating_panes max_panes=1 {\n            pane x=\"50%\"\n        }\n    }\n}\n";
    let l = parse(text);
    assert_eq!(l.swap_layouts().len(), 2);
    assert!(
        l.swap_layouts()[0].starts_with("swap_tiled_layout name=\"stacked\" {\n    tab min_panes=5 {"),
        "{:?}",
        l.swap_layouts()[0]
    );
    assert!(l.swap_layouts()[0].ends_with('}'));
    assert!(l.swap_layouts()[1].starts_with("swap_floating_layout {"));
}

/// Zellij's own `session_serialization` test outputs open, every one: the
/// ones that do not fit 120x40 (nine `size=10` panes) are squeezed, which
/// `layout check` reports as a warning.
#[test]
fn zellijs_serializer_outputs_all_open() {
    let dir = fixtures("zellij-serializer");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "kdl") {
            continue;
        }
        seen += 1;
        let layout = Layout::load(&path, None).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Err(e) = layout.normalize(120, 40) {
            assert_eq!(e.kind(), ErrorKind::NoRoom, "{}: {e}", path.display());
        }
    }
    assert_eq!(seen, 14, "every recorded snapshot, and one dump-layout");
}
