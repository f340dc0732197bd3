use super::{assert_error, parse};
use crate::{Action, Dir4, Direction, ErrorKind, KeyName, KeySpec, Keybinds, Mode, ResizeKind};

fn key(s: &str) -> KeySpec {
    s.parse().unwrap()
}

fn hints(binds: &Keybinds, mode: Mode) -> Vec<(String, String)> {
    binds.mode_hints(mode)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, l)| ((*k).to_owned(), (*l).to_owned())).collect()
}

#[test]
fn default_bindings_are_the_documented_ones() {
    let b = Keybinds::default();
    let normal = Action::SwitchToMode(Mode::Normal);
    let table: &[(Mode, &str, &[Action])] = &[
        (Mode::Normal, "Ctrl p", &[Action::SwitchToMode(Mode::Pane)]),
        (Mode::Normal, "Ctrl t", &[Action::SwitchToMode(Mode::Tab)]),
        (Mode::Normal, "Ctrl n", &[Action::SwitchToMode(Mode::Resize)]),
        (Mode::Normal, "Ctrl o", &[Action::SwitchToMode(Mode::Session)]),
        (Mode::Normal, "Ctrl s", &[Action::SwitchToMode(Mode::Scroll)]),
        (Mode::Normal, "Ctrl g", &[Action::SwitchToMode(Mode::Locked)]),
        (Mode::Normal, "Ctrl q", &[Action::Quit]),
        (Mode::Normal, "Alt n", &[Action::NewPane(None)]),
        (Mode::Normal, "Alt Left", &[Action::MoveFocusOrTab(Dir4::Left)]),
        (Mode::Normal, "Alt l", &[Action::MoveFocusOrTab(Dir4::Right)]),
        (Mode::Normal, "Alt f", &[Action::ToggleFloatingPanes]),
        (Mode::Normal, "Alt =", &[Action::Resize(ResizeKind::Increase, None)]),
        (Mode::Normal, "Alt -", &[Action::Resize(ResizeKind::Decrease, None)]),
        (Mode::Locked, "Ctrl g", std::slice::from_ref(&normal)),
        (Mode::Pane, "d", &[Action::NewPane(Some(Direction::Down)), normal.clone()]),
        (Mode::Pane, "r", &[Action::NewPane(Some(Direction::Right)), normal.clone()]),
        (Mode::Pane, "j", &[Action::MoveFocus(Dir4::Down)]),
        (Mode::Pane, "Ctrl p", std::slice::from_ref(&normal)),
        (Mode::Tab, "7", &[Action::GoToTab(7), normal.clone()]),
        (Mode::Tab, "r", &[Action::BeginRenameTab]),
        (Mode::Tab, "Tab", &[Action::GoToNextTab]),
        (Mode::Tab, "h", &[Action::GoToPreviousTab]),
        (Mode::Resize, "k", &[Action::Resize(ResizeKind::Increase, Some(Dir4::Up))]),
        (Mode::Session, "d", &[Action::Detach]),
        (Mode::Session, "w", &[Action::LaunchSessionManager, normal.clone()]),
        (Mode::Session, "s", &[Action::SaveSession, normal.clone()]),
        (Mode::Scroll, "PageDown", &[Action::PageScrollDown]),
        (Mode::Scroll, "u", &[Action::HalfPageScrollUp]),
        (Mode::Scroll, "Home", &[Action::ScrollToTop]),
        (Mode::Scroll, "Ctrl c", &[Action::ScrollToBottom, normal.clone()]),
        (Mode::RenameTab, "Esc", std::slice::from_ref(&normal)),
    ];
    for (mode, k, want) in table {
        assert_eq!(b.lookup(*mode, &key(k)), Some(*want), "{mode} {k}");
    }
    // Locked mode passes everything else through, renaming takes typed keys.
    assert_eq!(b.bindings(Mode::Locked).len(), 1);
    assert_eq!(b.bindings(Mode::RenameTab).len(), 1);
    assert_eq!(b.lookup(Mode::Normal, &key("x")), None);
}

#[test]
fn default_hints_summarize_each_mode() {
    let b = Keybinds::default();
    assert_eq!(
        hints(&b, Mode::Pane),
        pairs(&[
            ("n", "new"),
            ("d", "split down"),
            ("r", "split right"),
            ("x", "close"),
            ("f", "fullscreen"),
            ("w", "floating"),
            ("←↓↑→hjkl", "focus"),
            ("Esc/Enter/Ctrl p", "back"),
        ])
    );
    assert_eq!(
        hints(&b, Mode::Normal),
        pairs(&[
            ("Ctrl p", "pane"),
            ("Ctrl t", "tab"),
            ("Ctrl n", "resize"),
            ("Ctrl o", "session"),
            ("Ctrl s", "scroll"),
            ("Ctrl g", "lock"),
            ("Ctrl q", "quit"),
            ("Alt n", "new"),
            ("Alt ←↓↑→hjkl", "focus"),
            ("Alt f", "floating"),
            ("Alt [/Alt ]", "swap layout"),
            ("Alt +/Alt =", "increase"),
            ("Alt -", "decrease"),
        ])
    );
    assert_eq!(
        hints(&b, Mode::Tab),
        pairs(&[
            ("n", "new"),
            ("x", "close"),
            ("←h", "previous"),
            ("→/l/Tab", "next"),
            ("1-9", "go to"),
            ("r", "rename"),
            ("s", "sync"),
            ("Esc/Enter/Ctrl t", "back"),
        ])
    );
    assert_eq!(hints(&b, Mode::Locked), pairs(&[("Ctrl g", "unlock")]));
    assert_eq!(
        hints(&b, Mode::Scroll),
        pairs(&[
            ("↓↑jk", "scroll"),
            ("PgUp/PgDn", "page"),
            ("ud", "half page"),
            ("Home", "top"),
            ("End", "bottom"),
            ("s", "search"),
            ("e", "edit"),
            ("v/Space", "copy"),
            ("[]", "prompt"),
            ("o", "output"),
            ("Esc/Enter/Ctrl s/Ctrl c", "back"),
        ])
    );
}

#[test]
fn bind_adds_and_replaces_in_place() {
    let b = parse(
        r#"keybinds {
            normal {
                bind "Alt w" "Ctrl Alt w" { NewPane "down"; }
                bind "Ctrl q" { Detach; }
            }
        }"#,
    )
    .keybinds;
    let down = [Action::NewPane(Some(Direction::Down))];
    assert_eq!(b.lookup(Mode::Normal, &key("Alt w")), Some(&down[..]));
    assert_eq!(b.lookup(Mode::Normal, &key("Alt Ctrl w")), Some(&down[..]));
    assert_eq!(b.lookup(Mode::Normal, &key("Ctrl q")), Some(&[Action::Detach][..]));
    // Ctrl q kept its place (7th); the new keys went to the end.
    let normal = b.bindings(Mode::Normal);
    assert_eq!(normal[6].0, key("Ctrl q"));
    assert_eq!(normal[normal.len() - 1].0, key("Ctrl Alt w"));
    // Other modes are untouched.
    assert_eq!(b.bindings(Mode::Pane), Keybinds::default().bindings(Mode::Pane));
}

#[test]
fn unbind_removes_in_a_mode_or_everywhere() {
    let b = parse(
        r#"keybinds {
            normal { unbind "Ctrl q" "Alt f"; }
            unbind "Esc"
        }"#,
    )
    .keybinds;
    assert_eq!(b.lookup(Mode::Normal, &key("Ctrl q")), None);
    assert_eq!(b.lookup(Mode::Normal, &key("Alt f")), None);
    assert!(b.lookup(Mode::Normal, &key("Ctrl p")).is_some());
    for mode in Mode::ALL {
        assert_eq!(b.lookup(mode, &key("Esc")), None, "{mode}");
    }
    assert!(b.lookup(Mode::Pane, &key("Enter")).is_some());
    // Unbinding a key that is not bound is harmless.
    parse(r#"keybinds { normal { unbind "F9"; }; }"#);
}

#[test]
fn clear_defaults_drops_only_the_defaults() {
    let b = parse(
        r#"keybinds clear-defaults=true {
            normal { bind "Ctrl a" { SwitchToMode "pane"; }; }
        }"#,
    )
    .keybinds;
    assert_eq!(b.bindings(Mode::Normal), &[(key("Ctrl a"), vec![Action::SwitchToMode(Mode::Pane)])]);
    for mode in Mode::ALL.into_iter().filter(|m| *m != Mode::Normal) {
        assert!(b.bindings(mode).is_empty(), "{mode}");
    }
    // `keybinds clear-defaults=true` with no block: no bindings at all.
    assert_eq!(parse("keybinds clear-defaults=#true").keybinds, Keybinds::empty());
    // clear-defaults=false is the same as leaving it out.
    assert_eq!(parse("keybinds clear-defaults=false { }").keybinds, Keybinds::default());
}

#[test]
fn clear_defaults_on_one_mode_ignores_its_position() {
    let b = parse(
        r#"keybinds {
            shared_among "pane" "tab" { bind "F1" { Quit; }; }
            pane clear-defaults=true { bind "c" { NewPane; SwitchToMode "normal"; }; }
        }"#,
    )
    .keybinds;
    let pane: Vec<KeySpec> = b.bindings(Mode::Pane).iter().map(|(k, _)| *k).collect();
    assert_eq!(pane, [KeySpec::plain(KeyName::F(1)), key("c")]);
    // Tab mode kept its defaults plus F1.
    assert!(b.lookup(Mode::Tab, &key("n")).is_some());
    assert_eq!(b.lookup(Mode::Tab, &key("F1")), Some(&[Action::Quit][..]));
}

#[test]
fn shared_blocks_reach_the_right_modes() {
    let b = parse(
        r#"keybinds clear-defaults=true {
            shared { bind "F1" { Quit; }; }
            shared_except "locked" "renametab" { bind "F2" { Detach; }; }
            shared_among "scroll" "tab" { bind "F3" { ScrollToTop; }; }
        }"#,
    )
    .keybinds;
    for mode in Mode::ALL {
        // Copy mode takes only what its own block binds.
        let shared = mode != Mode::Copy;
        assert_eq!(b.lookup(mode, &key("F1")).is_some(), shared, "{mode}");
        let f2 = shared && !matches!(mode, Mode::Locked | Mode::RenameTab);
        assert_eq!(b.lookup(mode, &key("F2")).is_some(), f2, "{mode}");
        let f3 = matches!(mode, Mode::Scroll | Mode::Tab);
        assert_eq!(b.lookup(mode, &key("F3")).is_some(), f3, "{mode}");
    }
}

#[test]
fn hints_follow_a_rebinding() {
    let b = parse(
        r#"keybinds {
            pane {
                unbind "n"
                bind "c" { NewPane; SwitchToMode "normal"; }
                bind "z" { ToggleFullscreen; SwitchToMode "normal"; }
            }
            normal { bind "Ctrl b" { SwitchToMode "pane"; }; unbind "Ctrl p"; }
        }"#,
    )
    .keybinds;
    let pane = hints(&b, Mode::Pane);
    assert!(!pane.iter().any(|(k, _)| k == "n"), "{pane:?}");
    assert!(pane.contains(&("c".to_owned(), "new".to_owned())), "{pane:?}");
    assert!(pane.contains(&("fz".to_owned(), "fullscreen".to_owned())), "{pane:?}");
    let normal = hints(&b, Mode::Normal);
    assert_eq!(normal[0], ("Ctrl t".to_owned(), "tab".to_owned()));
    assert!(normal.contains(&("Ctrl b".to_owned(), "pane".to_owned())), "{normal:?}");
}

#[test]
fn kdl_v2_keybinds_parse() {
    let b = parse(
        r#"keybinds clear-defaults=#true {
            normal { bind "Ctrl p" { SwitchToMode pane; }; bind "Alt d" { NewPane down; } }
        }"#,
    )
    .keybinds;
    assert_eq!(b.lookup(Mode::Normal, &key("Ctrl p")), Some(&[Action::SwitchToMode(Mode::Pane)][..]));
    assert_eq!(b.lookup(Mode::Normal, &key("Alt d")), Some(&[Action::NewPane(Some(Direction::Down))][..]));
}

#[test]
fn keybind_errors_are_located() {
    let err = assert_error("keybinds {\n    nromal { }\n}", ErrorKind::UnknownMode, 2, 5, "unknown mode `nromal`");
    assert_eq!(err.help_text(), Some("did you mean `normal`?"));
    let err = assert_error("keybinds {\n  move { }\n}", ErrorKind::UnknownMode, 2, 3, "unknown mode `move`");
    assert!(err.help_text().unwrap().starts_with("Revenant has no `move` mode"));
    let err =
        assert_error("keybinds {\n  bind \"x\" { Quit; }\n}", ErrorKind::UnknownMode, 2, 3, "unknown mode `bind`");
    assert!(err.help_text().unwrap().contains("inside a mode block"));
    assert_error(
        "keybinds {\n  shared_except { }\n}",
        ErrorKind::MissingValue,
        2,
        3,
        "`shared_except` needs at least one mode",
    );
    assert_error(
        "keybinds {\n  shared_among \"pane\" \"moove\" { }\n}",
        ErrorKind::UnknownMode,
        2,
        23,
        "unknown mode `moove`",
    );
    assert_error(
        "keybinds {\n  normal {\n    bind \"x\"\n  }\n}",
        ErrorKind::MissingChildren,
        3,
        5,
        "`bind` needs a `{ ... }` block of actions",
    );
    assert_error(
        "keybinds {\n  normal {\n    bind { Quit; }\n  }\n}",
        ErrorKind::MissingValue,
        3,
        5,
        "`bind` needs at least one key",
    );
    assert_error(
        "keybinds {\n  normal {\n    bind 1 { Quit; }\n  }\n}",
        ErrorKind::WrongType,
        3,
        10,
        "`bind`: expected a string, found 1",
    );
    let err = assert_error(
        "keybinds {\n  normal {\n    Quit\n  }\n}",
        ErrorKind::UnknownOption,
        3,
        5,
        "unknown entry `Quit` in `normal`",
    );
    assert_eq!(err.help_text(), Some("actions go inside a binding: bind \"KEY\" { Quit; }"));
    let err = assert_error(
        "keybinds {\n  normal {\n    bnid \"x\" { Quit; }\n  }\n}",
        ErrorKind::UnknownOption,
        3,
        5,
        "unknown entry `bnid` in `normal`",
    );
    assert_eq!(err.help_text(), Some("did you mean `bind`?"));
    let err = assert_error(
        "keybinds {\n  normal {\n    bind \"Ctrl+p\" { Quit; }\n  }\n}",
        ErrorKind::BadKey,
        3,
        10,
        "bad key \"Ctrl+p\": `Ctrl+p` joins modifiers with `+`; separate them with spaces",
    );
    assert_eq!(err.help_text(), Some("write `Ctrl p`"));
    assert_error(
        "keybinds clear-defaults=\"yes\"",
        ErrorKind::WrongType,
        1,
        10,
        "`clear-defaults`: expected a boolean, found string \"yes\"",
    );
    assert_error(
        "keybinds {\n  normal {\n    bind \"a\" { SwitchToMode \"nope\"; }\n  }\n}",
        ErrorKind::UnknownMode,
        3,
        29,
        "unknown mode `nope`",
    );
}
