//! Where themes come from: the built-in ones, Zellij's own files (recorded
//! under tests/fixtures), `theme_dir` and config.kdl, and which wins.

use std::path::{Path, PathBuf};

use crate::themes::{Pair, ThemeSource, Themes, UiColours};
use crate::{Config, ErrorKind, Theme, ThemeColour};

use ThemeColour::{Indexed, Rgb};

fn fixture(name: &str) -> (PathBuf, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zellij-themes").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (path, text)
}

fn open(name: &str) -> Themes {
    let (path, text) = fixture(name);
    Themes::parse_file(&path, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn builtin(name: &str) -> Theme {
    *Themes::builtin().get(name).unwrap_or_else(|| panic!("no built-in `{name}`"))
}

/// Zellij 0.45 converts `frame_highlight`'s `emphasis_1` to purple, which
/// its palette form cannot set (so 0), where its 0.45 theme files, made by
/// an older conversion, still have orange: the one place the two differ.
fn as_in_zellij_files(mut converted: Theme, orange: ThemeColour) -> Theme {
    assert_eq!(converted.frame_highlight.emphasis_1, Indexed(0));
    converted.frame_highlight.emphasis_1 = orange;
    converted
}

#[test]
fn zellij_palette_files_open_and_convert_to_zellij_component_files() {
    let dracula = open("v0.41.2/dracula.kdl");
    assert_eq!(dracula.names().collect::<Vec<_>>(), ["dracula"]);
    let converted = *dracula.get("dracula").unwrap();
    assert_eq!(converted.text_selected.background, Rgb(40, 42, 54));
    assert_eq!(as_in_zellij_files(converted, Rgb(255, 184, 108)), builtin("dracula"));

    // Four themes in one file, colours in hex.
    let catppuccin = open("v0.41.2/catppuccin.kdl");
    assert_eq!(
        catppuccin.names().collect::<Vec<_>>(),
        ["catppuccin-frappe", "catppuccin-latte", "catppuccin-macchiato", "catppuccin-mocha"]
    );
    let mocha = *catppuccin.get("catppuccin-mocha").unwrap();
    assert_eq!(mocha.text_unselected.background, Rgb(0x18, 0x18, 0x25));
    assert_eq!(as_in_zellij_files(mocha, Rgb(0xfa, 0xb3, 0x87)), builtin("catppuccin-mocha"));
    let latte = catppuccin.get("catppuccin-latte").unwrap();
    assert_eq!(latte.text_unselected.base, Rgb(0x4c, 0x4f, 0x69));
    assert_eq!(latte.ribbon_unselected.background, Rgb(0x5c, 0x5f, 0x77));
}

#[test]
fn a_zellij_component_file_opens_unchanged() {
    let (_, text) = fixture("v0.45.0/nord.kdl");
    // The built-in nord is this file, byte for byte.
    assert_eq!(crate::themes::builtin_file("nord"), Some(text.as_str()));
    let nord = *open("v0.45.0/nord.kdl").get("nord").unwrap();
    assert_eq!(nord.text_unselected.base, Rgb(229, 233, 240));
    assert_eq!(nord.text_unselected.background, Rgb(59, 66, 82));
    assert_eq!(nord.ribbon_selected.background, Rgb(163, 190, 140));
    assert_eq!(nord.frame_selected.base, Rgb(163, 190, 140));
    assert_eq!(nord.frame_selected.background, Indexed(0));
    assert_eq!(nord.frame_unselected, None);
    assert_eq!(nord.exit_code_error.base, Rgb(191, 97, 106));
    assert_eq!(nord.multiplayer_user_colors[0], Rgb(180, 142, 173));
    assert_eq!(nord.multiplayer_user_colors[2], Indexed(0));
}

#[test]
fn zellijs_own_broken_fixture_is_reported_where_zellij_wraps_silently() {
    let (path, text) = fixture("v0.45.0-unit-fixtures/nord.kdl");
    let err = Themes::parse_file(&path, &text).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    assert_eq!(err.line_col(), Some((10, 16)), "{err}");
    assert_eq!(err.to_string(), format!("{}:10:16: `nord.yellow`: 235203139 is not 0 to 255", path.display()));
}

#[test]
fn the_built_in_themes_are_there() {
    let names: Vec<&str> = crate::themes::builtin_names().collect();
    for name in ["default", "dracula", "gruvbox-dark", "gruvbox-light", "nord", "catppuccin-mocha", "solarized-light"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let themes = Themes::builtin();
    assert!(names.iter().all(|n| themes.source(n) == Some(&ThemeSource::BuiltIn)));
    assert_eq!(Config::default().themes, themes);
    assert_eq!(Config::default().theme, "default");
    // One theme per file, named as the file: a built-in theme is found by
    // reading only the file of its name.
    assert_eq!(names.len(), crate::themes::builtin_file_count());
    for name in &names {
        let text = crate::themes::builtin_file(name).unwrap();
        let file = Themes::parse_file(std::path::Path::new("builtin.kdl"), text).unwrap();
        assert_eq!(file.names().collect::<Vec<_>>(), [*name]);
        assert_eq!(file.get(name), themes.get(name));
    }
}

/// Revenant's colours before themes, each from where it was hard-coded in
/// host/src/frames (ratatui's named colours are the 16-colour indices:
/// Black 0, Red 1, Green 2, Yellow 3, Magenta 5, White 15).
#[test]
fn the_default_theme_draws_what_revenant_drew_before_themes() {
    let pair = |fg, bg| Pair { fg: Indexed(fg), bg: Indexed(bg) };
    let expected = UiColours {
        bar: pair(250, 236),                 // tab_bar.rs base(), render.rs status_bar
        key_hint: pair(3, 238),              // render.rs status_bar `key`
        mode: pair(0, 3),                    // the mode badge
        sync: pair(0, 5),                    // SYNC
        notice: pair(15, 1),                 // notices, WATCHING, a tab's bell
        active_tab: pair(0, 2),              // the active tab, a swap layout's name
        frame_focused: Indexed(2),           // pane_frame: focused
        frame_unfocused: Some(Indexed(244)), // pane_frame and stack_list
        frame_bell: Indexed(1),              // pane_frame: rang unseen
        search_match: pair(16, 11),          // pane contents: a match
        search_current: pair(16, 166),       // the current match
        exit_success: Indexed(2),            // exit_banner, suspended_banner
        exit_error: Indexed(1),              // exit_banner
        banner_key: Indexed(3),              // <ENTER>, <ESC>, <Ctrl-c>
        selection: None,                     // reverse video
    };
    assert_eq!(Theme::default().ui(), expected);
    assert_eq!(Config::default().theme_for(None).ui(), expected);
}

#[test]
fn search_text_is_zellijs_in_every_zellij_theme() {
    // Zellij writes search matches in `text_unselected.background`; Revenant
    // uses the palette's black, which is the same colour in its themes.
    let themes = Themes::builtin();
    for name in themes.names().filter(|n| *n != "default") {
        let t = themes.get(name).unwrap();
        assert_eq!(t.exit_code_success.emphasis_1, t.text_unselected.background, "{name}");
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("revenant-themes-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("themes")).unwrap();
        TempDir(dir)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn palette_theme(name: &str, red: u8) -> String {
    format!(
        "{name} {{\n  fg 1; bg 2; black 3; red {red}; green 5; yellow 6\n  blue 7; magenta 8; cyan 9; white 10; orange 11\n}}\n"
    )
}

#[test]
fn later_sources_win_builtin_then_theme_dir_then_config() {
    let dir = TempDir::new("order");
    dir.write(
        "themes/a.kdl",
        &format!(
            "themes {{\n{}{}{}}}\n",
            palette_theme("nord", 40),
            palette_theme("extra", 41),
            palette_theme("twice", 42)
        ),
    );
    dir.write(
        "themes/c.kdl",
        &format!("themes {{\n{}{}}}\n", palette_theme("dracula", 50), palette_theme("twice", 43)),
    );
    dir.write("themes/notes.txt", "not a theme");
    std::fs::create_dir_all(dir.0.join("themes/folder.kdl")).unwrap();
    let config = dir.write("config.kdl", &format!("theme \"extra\"\nthemes {{\n{}}}\n", palette_theme("dracula", 60)));

    let loaded = Config::load_reporting(&config).unwrap();
    assert!(loaded.theme_faults.is_empty(), "{:?}", loaded.theme_faults);
    let c = loaded.config;
    let red = |name: &str| c.themes.get(name).unwrap().exit_code_error.base;
    assert_eq!(red("nord"), Indexed(40), "theme_dir over built-in");
    assert_eq!(red("dracula"), Indexed(60), "config.kdl over theme_dir");
    assert_eq!(red("twice"), Indexed(43), "of two files, the later name");
    assert_eq!(c.themes.get("gruvbox-dark"), Themes::builtin().get("gruvbox-dark"));
    assert_eq!(c.themes.source("nord"), Some(&ThemeSource::File(dir.0.join("themes/a.kdl"))));
    assert_eq!(c.themes.source("dracula"), Some(&ThemeSource::Config));
    assert_eq!(c.theme_for(None).exit_code_error.base, Indexed(41));

    // `parse` reads no files, so it knows no theme of theme_dir's.
    let err = Config::parse(&config, &std::fs::read_to_string(&config).unwrap()).unwrap_err();
    assert_eq!((err.kind(), err.line_col()), (ErrorKind::UnknownTheme, Some((1, 7))), "{err}");
}

#[test]
fn a_broken_theme_file_is_reported_and_left_out() {
    let dir = TempDir::new("broken");
    dir.write("themes/good.kdl", &format!("themes {{\n{}}}\n", palette_theme("good", 9)));
    let bad = dir.write("themes/bad.kdl", "themes {\n  bad {\n    fg \"#12\"\n  }\n}\n");
    let unreadable = dir.write("themes/latin1.kdl", "");
    std::fs::write(&unreadable, b"themes { \xff }").unwrap();
    // No config.kdl: the defaults, and theme_dir's themes all the same.
    let loaded = Config::load_reporting(&dir.0.join("config.kdl")).unwrap();
    assert!(loaded.config.themes.get("good").is_some());
    assert!(loaded.config.themes.get("bad").is_none());
    let faults: Vec<String> = loaded.theme_faults.iter().map(ToString::to_string).collect();
    assert_eq!(
        faults,
        [
            format!("{}:3:8: `bad.fg`: \"#12\" is not a colour", bad.display()),
            format!("{}: cannot read the theme file: it is not valid UTF-8", unreadable.display()),
        ]
    );
    assert_eq!(loaded.theme_faults[0].kind(), ErrorKind::InvalidValue);
    // A theme of a broken file: the default stands in, and the file's
    // fault says why; the rest of the config applies.
    let config = dir.write("config.kdl", "theme \"bad\"\ntheme_light \"bad\"\npane_frames false\n");
    let loaded = Config::load_reporting(&config).unwrap();
    assert_eq!((loaded.config.theme.as_str(), loaded.config.theme_light.as_deref()), ("default", None));
    assert!(!loaded.config.pane_frames);
    assert_eq!(loaded.theme_faults.len(), 2);
    // Without a broken file, an unknown name is the config's mistake.
    std::fs::remove_file(&bad).unwrap();
    std::fs::remove_file(&unreadable).unwrap();
    let err = Config::load(&config).unwrap_err();
    assert_eq!(err.to_string(), format!("{}:1:7: `theme`: there is no theme `bad`", config.display()));
}

#[test]
fn theme_dir_named_by_the_user_must_exist() {
    let dir = TempDir::new("named");
    let config = dir.write("config.kdl", &format!("theme_dir \"{}\"\n", dir.0.join("nowhere").display()));
    let loaded = Config::load_reporting(&config).unwrap();
    assert_eq!(loaded.theme_faults.len(), 1);
    assert_eq!(loaded.theme_faults[0].kind(), ErrorKind::Io);
    assert!(
        loaded.theme_faults[0].to_string().contains("cannot read the theme directory"),
        "{}",
        loaded.theme_faults[0]
    );
    assert_eq!(loaded.config.theme_dir_beside(&config), dir.0.join("nowhere"));
    // The default place is allowed not to exist.
    std::fs::remove_dir_all(dir.0.join("themes")).unwrap();
    let config = dir.write("config.kdl", "");
    assert!(Config::load_reporting(&config).unwrap().theme_faults.is_empty());
    assert_eq!(Config::default().theme_dir_beside(&config), dir.0.join("themes"));
}

#[test]
fn a_theme_file_holds_only_themes() {
    let path = Path::new("t.kdl");
    let err = Themes::parse_file(path, "theme \"nord\"\n").unwrap_err();
    assert_eq!(err.to_string(), "t.kdl:1:1: a theme file holds a `themes { ... }` block, found `theme`");
    let err = Themes::parse_file(path, "// nothing\n").unwrap_err();
    assert_eq!((err.kind(), err.line_col()), (ErrorKind::MissingChildren, Some((1, 1))));
    let err = Themes::parse_file(path, "themes {\n}\nthemes {\n}\n").unwrap_err();
    assert_eq!((err.kind(), err.line_col()), (ErrorKind::Duplicate, Some((3, 1))));
    let err = Themes::parse_file(path, "themes {\n  t { fg 1; } }\n").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Syntax, "{err}");
}
