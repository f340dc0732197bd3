//! Reading themes: both of Zellij's forms, every way of writing a colour,
//! the palette conversion, dumping, and the errors.

use std::path::Path;

use miette::Diagnostic;

use super::{assert_error, parse};
use crate::themes::{Palette, StyleDeclaration, Themes};
use crate::{ColourScheme, ErrorKind, Theme, ThemeColour};

use ThemeColour::{Indexed, Rgb};

fn theme(config: &str, name: &str) -> Theme {
    *parse(config).themes.get(name).unwrap_or_else(|| panic!("no theme `{name}`"))
}

const PALETTE: &str = r##"themes {
    mine {
        fg "#D8DEE9"
        bg "#2e3440"
        black 59 66 82
        red 1
        green "#0f0"
        yellow 235 203 139
        blue 129 161 193
        magenta 180 142 173
        cyan 136 192 208
        white 229 233 240
        orange 208 135 112
    }
}
"##;

#[test]
fn palette_colours_are_read_in_every_form() {
    let t = theme(PALETTE, "mine");
    // `fg` is the unselected ribbons' background, `bg` the selected text's.
    assert_eq!(t.ribbon_unselected.background, Rgb(0xd8, 0xde, 0xe9));
    assert_eq!(t.text_selected.background, Rgb(0x2e, 0x34, 0x40));
    assert_eq!(t.ribbon_selected.base, Rgb(59, 66, 82));
    assert_eq!(t.exit_code_error.base, Indexed(1));
    assert_eq!(t.ribbon_selected.background, Rgb(0, 0xff, 0));
}

#[test]
fn the_palette_form_converts_as_zellij_converts_it() {
    // Distinct indices, so every slot says which colour it came from.
    let p = Palette {
        fg: Indexed(1),
        bg: Indexed(2),
        black: Indexed(3),
        red: Indexed(4),
        green: Indexed(5),
        yellow: Indexed(6),
        blue: Indexed(7),
        magenta: Indexed(8),
        cyan: Indexed(9),
        white: Indexed(10),
        orange: Indexed(11),
    };
    let t = Theme::from_palette(&p);
    let d = |base: u8, e0: u8, e1: u8, e2: u8, e3: u8, background: u8| StyleDeclaration {
        base: Indexed(base),
        background: Indexed(background),
        emphasis_0: Indexed(e0),
        emphasis_1: Indexed(e1),
        emphasis_2: Indexed(e2),
        emphasis_3: Indexed(e3),
    };
    // Zellij 0.45's `impl From<Palette> for Styling`, with its dark hue
    // (white text on black) and 0 for gray, purple, gold, silver and brown.
    let (fg, bg, black, red, green, yellow, blue, magenta, cyan, white, orange) = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    assert_eq!(t.text_unselected, d(white, orange, cyan, green, magenta, black));
    assert_eq!(t.text_selected, d(white, orange, cyan, green, magenta, bg));
    assert_eq!(t.ribbon_unselected, d(black, red, white, blue, magenta, fg));
    assert_eq!(t.ribbon_selected, d(black, red, orange, magenta, blue, green));
    assert_eq!(t.exit_code_success, d(green, cyan, black, magenta, blue, 0));
    assert_eq!(t.exit_code_error, d(red, yellow, 0, 0, 0, 0));
    assert_eq!(t.frame_unselected, None);
    assert_eq!(t.frame_selected, d(green, orange, cyan, magenta, 0, 0));
    assert_eq!(t.frame_highlight, d(orange, magenta, 0, orange, orange, 0));
    assert_eq!(t.table_title, d(green, orange, cyan, green, magenta, 0));
    assert_eq!(t.table_cell_unselected, d(white, orange, cyan, green, magenta, black));
    assert_eq!(t.table_cell_selected, d(white, orange, cyan, green, magenta, bg));
    assert_eq!(t.list_unselected, d(white, orange, cyan, green, magenta, black));
    assert_eq!(t.list_selected, d(white, orange, cyan, green, magenta, bg));
    let players: Vec<ThemeColour> = [magenta, blue, 0, yellow, cyan, 0, red, 0, 0, 0].map(Indexed).to_vec();
    assert_eq!(t.multiplayer_user_colors.to_vec(), players);
}

#[test]
fn components_left_out_keep_zellij_defaults() {
    let t = theme(
        "themes {\n  partial {\n    text_unselected {\n      base \"#ffffff\"\n      emphasis_0 1\n      emphasis_1 2\n      emphasis_2 3\n      emphasis_3 4\n    }\n    multiplayer_user_colors {\n      player_2 9\n    }\n  }\n}\n",
        "partial",
    );
    let zellij = Theme::zellij_default();
    assert_eq!(t.text_unselected.base, Rgb(255, 255, 255));
    // A background left out is palette index 0, as in Zellij.
    assert_eq!(t.text_unselected.background, Indexed(0));
    assert_eq!(t.ribbon_selected, zellij.ribbon_selected);
    assert_eq!(t.frame_unselected, None);
    assert_eq!(t.multiplayer_user_colors[0], zellij.multiplayer_user_colors[0]);
    assert_eq!(t.multiplayer_user_colors[1], Indexed(9));
    // Zellij's default look, from its `DEFAULT_STYLES`.
    assert_eq!(zellij.text_unselected.base, Indexed(245));
    assert_eq!(zellij.ribbon_selected.background, Indexed(154));
    assert_eq!(zellij.frame_highlight.base, Indexed(166));
}

#[test]
fn kdl_v2_themes_are_read_too() {
    let t = theme(
        "/- kdl-version 2\nthemes { v2 { text_unselected { base 1; emphasis_0 2; emphasis_1 3; emphasis_2 4; emphasis_3 5 } } }\n",
        "v2",
    );
    assert_eq!(t.text_unselected.emphasis_3, Indexed(5));
}

#[test]
fn the_theme_options_are_read_and_resolved() {
    let c = parse("theme \"nord\"\ntheme_dark \"dracula\"\ntheme_light \"solarized-light\"\nthemes_dir \"/t\"\n");
    assert_eq!(c.theme, "nord");
    assert_eq!(c.theme_dir.as_deref(), Some(Path::new("/t")));
    assert_eq!(c.theme_name_for(None), "nord");
    assert_eq!(c.theme_name_for(Some(ColourScheme::Dark)), "dracula");
    assert_eq!(c.theme_name_for(Some(ColourScheme::Light)), "solarized-light");
    assert_eq!(c.theme_for(Some(ColourScheme::Dark)), c.themes.get("dracula").unwrap());
    // Zellij switches only when both are set.
    let c = parse("theme \"nord\"\ntheme_dark \"dracula\"\n");
    assert_eq!(c.theme_name_for(Some(ColourScheme::Dark)), "nord");
    // Nothing set: Revenant's default.
    let c = parse("");
    assert_eq!(c.theme, "default");
    assert_eq!(c.theme_for(Some(ColourScheme::Light)), &Theme::default());
    let mut c = c;
    c.theme = "gone".into();
    assert_eq!(c.theme_for(None), &Theme::default());
}

#[test]
fn home_is_expanded_in_theme_dir() {
    use crate::options::expand_home;
    let home = Path::new("/home/me");
    assert_eq!(expand_home("~/themes", Some(home)), Path::new("/home/me/themes"));
    assert_eq!(expand_home("~", Some(home)), Path::new("/home/me"));
    assert_eq!(expand_home("/x/~/y", Some(home)), Path::new("/x/~/y"));
    assert_eq!(expand_home("~other/t", Some(home)), Path::new("~other/t"));
    assert_eq!(expand_home("~/themes", None), Path::new("~/themes"));
}

#[test]
fn a_theme_dumps_as_zellij_writes_it_and_reads_back() {
    let mut themes = Themes::builtin();
    let mut odd = Theme::from_palette(&Palette { red: Rgb(1, 2, 3), ..Palette::default() });
    odd.frame_unselected = Some(odd.frame_selected);
    themes.insert("my \"odd\" theme", odd, crate::themes::ThemeSource::Config);
    let names: Vec<String> = themes.names().map(str::to_owned).collect();
    for name in &names {
        let text = themes.dump(name).unwrap();
        assert!(kdl::KdlDocument::parse_v1(&text).is_ok(), "Zellij reads v1:\n{text}");
        let back = Themes::parse_file(Path::new("dump.kdl"), &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back.names().collect::<Vec<_>>(), [name.as_str()]);
        assert_eq!(back.get(name), themes.get(name), "{name}");
    }
    assert!(crate::dump_theme("nope").is_none());
    // Through config.kdl too.
    let config = parse(PALETTE);
    let again = parse(&config.dump_theme("mine").unwrap());
    assert_eq!(again.themes.get("mine"), config.themes.get("mine"));
}

#[test]
fn a_zellij_theme_file_dumps_to_itself() {
    // Zellij 0.45's own files are in the form the dump writes, line for line.
    for name in ["nord", "dracula", "catppuccin-mocha", "gruvbox-dark"] {
        let file = crate::themes::builtin_file(name).unwrap();
        assert_eq!(crate::dump_theme(name).unwrap(), file, "{name}");
    }
}

#[test]
fn bad_colours_are_located() {
    assert_error(
        "themes {\n    t {\n        fg \"#12345g\"\n    }\n}\n",
        ErrorKind::InvalidValue,
        3,
        12,
        "`t.fg`: \"#12345g\" is not a colour",
    );
    assert_error(
        "themes {\n  t {\n    text_unselected {\n      base \"red\"\n    }\n  }\n}\n",
        ErrorKind::InvalidValue,
        4,
        12,
        "`t.text_unselected.base`: \"red\" is not a colour",
    );
    assert_error(
        "themes {\n  t {\n    fg 255 256 0\n  }\n}\n",
        ErrorKind::InvalidValue,
        3,
        12,
        "`t.fg`: 256 is not 0 to 255",
    );
    assert_error("themes {\n  t {\n    fg 300\n  }\n}\n", ErrorKind::InvalidValue, 3, 8, "`t.fg`: 300 is not 0 to 255");
    assert_error("themes {\n  t {\n    fg -1\n  }\n}\n", ErrorKind::InvalidValue, 3, 8, "`t.fg`: -1 is not 0 to 255");
    assert_error(
        "themes {\n  t {\n    fg 1 2\n  }\n}\n",
        ErrorKind::MissingValue,
        3,
        10,
        "`t.fg` takes one value or three (r g b), found 2",
    );
    assert_error(
        "themes {\n  t {\n    fg 1 2 3 4\n  }\n}\n",
        ErrorKind::TooManyValues,
        3,
        14,
        "`t.fg` takes one value or three (r g b), found 4",
    );
    assert_error(
        "themes {\n  t {\n    fg true\n  }\n}\n",
        ErrorKind::WrongType,
        3,
        8,
        "`t.fg`: expected a colour, found true",
    );
    assert_error(
        "themes {\n  t {\n    fg 1 \"2\" 3\n  }\n}\n",
        ErrorKind::WrongType,
        3,
        10,
        "`t.fg`: expected a number 0 to 255, found string \"2\"",
    );
    assert_error("themes {\n  t {\n    fg\n  }\n}\n", ErrorKind::MissingValue, 3, 5, "`t.fg` needs a colour");
}

#[test]
fn unknown_keys_are_located_and_suggested() {
    let err = assert_error(
        "themes {\n  t {\n    fg 1\n    bgg 2\n  }\n}\n",
        ErrorKind::UnknownOption,
        4,
        5,
        "theme `t`: unknown colour `bgg`",
    );
    assert_eq!(err.help_text(), Some("did you mean `bg`?"));
    let err = assert_error(
        "themes {\n  t {\n    text_unselected {\n      base 1\n      emphasis_O 2\n    }\n  }\n}\n",
        ErrorKind::UnknownOption,
        5,
        7,
        "`t.text_unselected`: unknown colour `emphasis_O`",
    );
    assert_eq!(err.help_text(), Some("did you mean `emphasis_0`?"));
    let err = assert_error(
        "themes {\n  t {\n    ribbon_selectd {\n    }\n  }\n}\n",
        ErrorKind::UnknownOption,
        3,
        5,
        "theme `t`: unknown colour or component `ribbon_selectd`",
    );
    assert_eq!(err.help_text(), Some("did you mean `ribbon_selected`?"));
    let err = assert_error(
        "themes {\n  t {\n    frame_selected {\n      base 1; emphasis_0 1; emphasis_1 1; emphasis_2 1; emphasis_3 1\n    }\n    frame_unselectd {\n    }\n  }\n}\n",
        ErrorKind::UnknownOption,
        6,
        5,
        "theme `t`: unknown component `frame_unselectd`",
    );
    assert_eq!(err.help_text(), Some("did you mean `frame_unselected`?"));
    // Zellij's palette has no gray: the palette form is its eleven colours.
    assert_error(
        "themes {\n  t {\n    fg 1\n    gray 2\n  }\n}\n",
        ErrorKind::UnknownOption,
        4,
        5,
        "theme `t`: unknown colour `gray`",
    );
    assert_error(
        "themes {\n  t {\n    fg 1\n    text_selected {\n    }\n  }\n}\n",
        ErrorKind::UnknownOption,
        4,
        5,
        "theme `t` mixes Zellij's component form (`text_selected`) with Zellij's palette form",
    );
}

#[test]
fn incomplete_themes_say_what_is_missing() {
    let err =
        assert_error("themes {\n  t {\n    fg 1\n  }\n}\n", ErrorKind::MissingValue, 2, 3, "theme `t` has no `bg`");
    assert!(err.help_text().unwrap().contains("eleven colours"));
    assert_error(
        "themes {\n  t {\n    frame_selected {\n      base 1\n      emphasis_0 1\n    }\n  }\n}\n",
        ErrorKind::MissingValue,
        3,
        5,
        "`t.frame_selected` has no `emphasis_1`",
    );
    assert_error("themes {\n  t {\n  }\n}\n", ErrorKind::MissingChildren, 2, 3, "theme `t` has no colours");
    assert_error("themes {\n  t\n}\n", ErrorKind::MissingChildren, 2, 3, "theme `t` has no colours");
    assert_error(
        "themes {\n  t {\n    frame_selected\n  }\n}\n",
        ErrorKind::MissingChildren,
        3,
        5,
        "`t.frame_selected` has no colours",
    );
    assert_error("themes", ErrorKind::MissingChildren, 1, 1, "`themes` needs a `{ ... }` block of themes");
    assert_error("themes \"x\" {\n}\n", ErrorKind::TooManyValues, 1, 8, "`themes` is a block and takes no values");
}

#[test]
fn duplicates_are_refused() {
    let t = "  t {\n    list_selected {\n      base 1; emphasis_0 2; emphasis_1 3; emphasis_2 4; emphasis_3 5\n    }\n  }\n";
    let err = assert_error(&format!("themes {{\n{t}{t}}}\n"), ErrorKind::Duplicate, 7, 3, "theme `t` is defined twice");
    assert_eq!(err.labels().unwrap().count(), 2, "the first is pointed at too");
    assert_error(
        "themes {\n  t {\n    fg 1\n    fg 2\n  }\n}\n",
        ErrorKind::Duplicate,
        4,
        5,
        "theme `t`: `fg` is set twice",
    );
    assert_error(
        "themes {\n  t {\n    list_selected {\n      base 1\n      base 2\n    }\n  }\n}\n",
        ErrorKind::Duplicate,
        5,
        7,
        "`t.list_selected`: `base` is set twice",
    );
}

#[test]
fn unknown_theme_names_are_located_with_the_names_there_are() {
    let err = assert_error("theme \"dracla\"\n", ErrorKind::UnknownTheme, 1, 7, "`theme`: there is no theme `dracla`");
    assert_eq!(err.help_text(), Some("did you mean `dracula`?"));
    let err = assert_error(
        "pane_frames true\ntheme_light \"paper\"\n",
        ErrorKind::UnknownTheme,
        2,
        13,
        "`theme_light`: there is no theme `paper`",
    );
    let help = err.help_text().unwrap();
    assert!(help.starts_with("the themes are: `catppuccin-latte`, "), "{help}");
    assert!(help.contains("`default`") && help.contains("`solarized-light`"), "{help}");
    // A theme of config.kdl's own block is known, wherever the block is.
    assert_eq!(parse(&format!("theme_dark \"mine\"\n{PALETTE}")).theme_dark.as_deref(), Some("mine"));
}
