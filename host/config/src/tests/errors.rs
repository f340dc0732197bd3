use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

use super::{assert_error, error};
use crate::ErrorKind;

#[test]
fn kdl_syntax_errors_point_at_the_bad_token() {
    // KDL v1 (because of `true`) with a broken float on line 2.
    let err = assert_error(
        "pane_frames true\nscroll_buffer_size 1.\n",
        ErrorKind::Syntax,
        2,
        20,
        "invalid KDL: Expected valid value",
    );
    assert!(err.help_text().unwrap().contains("Floating point numbers"));
    // KDL v2 (because of `#true`): the same mistake is reported by the v2 parser.
    let err = error("pane_frames #true\nscroll_buffer_size 1.\n");
    assert_eq!((err.kind(), err.line_col()), (ErrorKind::Syntax, Some((2, 20))), "{err}");
    // An unclosed block is reported at its opening brace.
    assert_error(
        "keybinds {\n    normal {\n",
        ErrorKind::Syntax,
        2,
        12,
        "invalid KDL: Expected closing '}' in node children block",
    );
}

#[test]
fn unknown_options_suggest_the_nearest_name() {
    let err = assert_error("pane_frame false\n", ErrorKind::UnknownOption, 1, 1, "unknown option `pane_frame`");
    assert_eq!(err.help_text(), Some("did you mean `pane_frames`?"));
    let err = assert_error(
        "pane_frames true\n\n   scrol_buffer_size 5\n",
        ErrorKind::UnknownOption,
        3,
        4,
        "unknown option `scrol_buffer_size`",
    );
    assert_eq!(err.help_text(), Some("did you mean `scroll_buffer_size`?"));
    // Nothing close: the help lists the options instead.
    let err = assert_error("colourscheme \"dark\"", ErrorKind::UnknownOption, 1, 1, "unknown option `colourscheme`");
    assert!(err.help_text().unwrap().starts_with("the options are: `default_shell`, "), "{:?}", err.help_text());
}

#[test]
fn wrong_types_name_what_was_expected() {
    let err = assert_error(
        "  pane_frames \"yes\"\n",
        ErrorKind::WrongType,
        1,
        15,
        "`pane_frames`: expected a boolean, found string \"yes\"",
    );
    assert!(err.help_text().unwrap().contains("`pane_frames true`"));
    assert_error(
        "scroll_buffer_size -3",
        ErrorKind::WrongType,
        1,
        20,
        "`scroll_buffer_size`: expected a non-negative integer, found -3",
    );
    assert_error(
        "scrollback_lines_to_serialize 1.5",
        ErrorKind::WrongType,
        1,
        31,
        "`scrollback_lines_to_serialize`: expected a non-negative integer, found 1.5",
    );
    assert_error("default_shell 3", ErrorKind::WrongType, 1, 15, "`default_shell`: expected a string, found 3");
    assert_error(
        "mirror_session null",
        ErrorKind::WrongType,
        1,
        16,
        "`mirror_session`: expected a boolean, found null",
    );
}

#[test]
fn out_of_range_values_are_invalid() {
    assert_error(
        "serialization_interval 0",
        ErrorKind::InvalidValue,
        1,
        24,
        "`serialization_interval` must be at least 1, found 0",
    );
    assert_error(
        "serialization_interval -1",
        ErrorKind::WrongType,
        1,
        24,
        "`serialization_interval`: expected a positive integer, found -1",
    );
    // KDL v1 has no integers this large: only a v2 file can say it.
    assert_error(
        "/- kdl-version 2\nscroll_buffer_size 1000000000000000000000000",
        ErrorKind::InvalidValue,
        2,
        20,
        "`scroll_buffer_size`: 1000000000000000000000000 is too large",
    );
    assert_error("default_shell \"\"", ErrorKind::InvalidValue, 1, 15, "`default_shell` must not be empty");
}

#[test]
fn missing_and_extra_values() {
    let err = assert_error(
        "pane_frames true\nmirror_session\n",
        ErrorKind::MissingValue,
        2,
        1,
        "`mirror_session` needs a value: a boolean",
    );
    assert_eq!(err.help_text(), Some("for example: mirror_session true"));
    assert_error("pane_frames true false", ErrorKind::TooManyValues, 1, 18, "`pane_frames` takes one value, found 2");
    assert_error("pane_frames x=true", ErrorKind::UnexpectedProperty, 1, 13, "`pane_frames` has no property `x`");
    assert_error(
        "pane_frames true {\n  nested 1\n}",
        ErrorKind::UnexpectedChildren,
        2,
        3,
        "`pane_frames` takes no `{ ... }` block",
    );
}

#[test]
fn duplicates_point_at_the_second_and_label_the_first() {
    let err = assert_error(
        "serialize_pane_viewport true\npane_viewport_serialization false\n",
        ErrorKind::Duplicate,
        2,
        1,
        "`pane_viewport_serialization` is set twice",
    );
    let labels: Vec<_> = err.labels().unwrap().map(|l| (l.offset(), l.label().map(str::to_owned))).collect();
    assert_eq!(labels, [(29, Some("set again here".into())), (0, Some("first set here".into()))]);
}

#[test]
fn columns_count_characters_not_bytes() {
    assert_error(
        "default_shell \"fish\" // ünïcödé\npane_frames \"ja\"",
        ErrorKind::WrongType,
        2,
        13,
        "`pane_frames`: expected a boolean, found string \"ja\"",
    );
    assert_error(
        "layout_dir \"é\"\n  pane_frames 2",
        ErrorKind::WrongType,
        2,
        15,
        "`pane_frames`: expected a boolean, found 2",
    );
}

#[test]
fn errors_inside_blocks_have_positions_too() {
    assert_error("keybinds {\n    nromal {\n    }\n}\n", ErrorKind::UnknownMode, 2, 5, "unknown mode `nromal`");
    assert_error(
        "keybinds {\n  normal {\n    bind \"x\" { NewPain; }\n  }\n}\n",
        ErrorKind::UnknownAction,
        3,
        16,
        "unknown action `NewPain`",
    );
    assert_error(
        "keybinds {\n  normal {\n    bind \"Ctrl p\" \"Ctrl Foo\" { NewPane; }\n  }\n}\n",
        ErrorKind::BadKey,
        3,
        19,
        "bad key \"Ctrl Foo\": unknown key `Foo`",
    );
    assert_error(
        "plugins {\n  serializer location=\"https://x/s.wasm\"\n}\n",
        ErrorKind::BadPlugin,
        2,
        14,
        "plugin location `https://x/s.wasm` must start with `revenant:`, `zellij:` or `file:`",
    );
}

#[test]
fn a_rendered_report_shows_the_file_and_underlines_the_line() {
    let err = error("scroll_buffer_size 100\npane_frames \"yes\"\n");
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, &err)
        .unwrap();
    assert!(out.contains("[test.kdl:2:13]"), "{out}");
    assert!(out.contains("2 │ pane_frames \"yes\""), "{out}");
    // The underline sits under the 5-character value and carries the label.
    let underline = out.lines().find(|l| l.contains("─┬─")).unwrap_or_else(|| panic!("no underline in\n{out}"));
    let source = out.lines().find(|l| l.contains("2 │ ")).unwrap();
    let value_col = source[..source.find("\"yes\"").unwrap()].chars().count();
    let underline_col = underline[..underline.find('─').unwrap()].chars().count();
    assert_eq!(underline_col, value_col, "{out}");
    assert_eq!(underline.chars().filter(|c| matches!(c, '─' | '┬')).count(), 5, "{out}");
    assert!(out.contains("expected a boolean"), "{out}");
    assert!(out.contains("help: write `pane_frames true`"), "{out}");
    assert!(out.contains("revenant::config::wrong_type"), "{out}");
}
