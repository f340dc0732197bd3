use super::*;

fn action(text: &str) -> Result<Action, Fault> {
    let doc = kdl::KdlDocument::parse(text).expect("test KDL parses");
    parse(&doc.nodes()[0])
}

#[test]
fn parses_each_action_form() {
    let table: &[(&str, Action)] = &[
        ("SwitchToMode \"pane\"", Action::SwitchToMode(Mode::Pane)),
        ("SwitchToMode \"Normal\"", Action::SwitchToMode(Mode::Normal)),
        ("SwitchToMode \"RenameTab\"", Action::BeginRenameTab),
        ("BeginRenameTab", Action::BeginRenameTab),
        ("NewPane", Action::NewPane(None)),
        ("NewPane \"Down\"", Action::NewPane(Some(Direction::Down))),
        ("NewPane \"right\"", Action::NewPane(Some(Direction::Right))),
        ("CloseFocus", Action::ClosePane),
        ("ToggleFocusFullscreen", Action::ToggleFullscreen),
        ("MoveFocus \"Left\"", Action::MoveFocus(Dir4::Left)),
        ("Resize \"Increase\"", Action::Resize(ResizeKind::Increase, None)),
        ("Resize \"Decrease Up\"", Action::Resize(ResizeKind::Decrease, Some(Dir4::Up))),
        ("Resize \"Left\"", Action::Resize(ResizeKind::Increase, Some(Dir4::Left))),
        ("GoToTab 3", Action::GoToTab(3)),
        (
            "LaunchOrFocusPlugin \"zellij:session-manager\" { floating true; move_to_focused_tab true; }",
            Action::LaunchSessionManager,
        ),
        ("LaunchOrFocusPlugin \"session-manager\"", Action::LaunchSessionManager),
        ("LaunchSessionManager", Action::LaunchSessionManager),
        ("Write 27 91 65", Action::Write(vec![27, 91, 65])),
        ("WriteChars \"ls -l\"", Action::WriteChars("ls -l".into())),
        ("HalfPageScrollDown", Action::HalfPageScrollDown),
        ("MovePane", Action::MovePane(None)),
        ("MovePane \"Up\"", Action::MovePane(Some(Dir4::Up))),
        ("MoveTab \"right\"", Action::MoveTab(Dir4::Right)),
        ("SwitchFocus", Action::FocusNextPane),
        ("Search \"down\"", Action::Search(SearchDirection::Down)),
        ("SearchToggleOption \"WholeWord\"", Action::SearchToggleOption(SearchOption::WholeWord)),
        ("ToggleActiveSyncTab", Action::ToggleActiveSyncTab),
    ];
    for (text, want) in table {
        match action(text) {
            Ok(got) => assert_eq!(&got, want, "{text}"),
            Err(f) => panic!("{text}: {}", f.message),
        }
    }
}

#[test]
fn rejects_bad_actions() {
    let table: &[(&str, ErrorKind, &str)] = &[
        ("NewPain", ErrorKind::UnknownAction, "unknown action `NewPain`"),
        ("BreakPane", ErrorKind::UnknownAction, "unknown action `BreakPane`"),
        ("MoveTab \"up\"", ErrorKind::InvalidValue, "`MoveTab`: \"up\" is not left or right"),
        ("Search \"sideways\"", ErrorKind::InvalidValue, "`Search`: \"sideways\" is not a direction"),
        ("SwitchToMode \"move\"", ErrorKind::UnknownMode, "unknown mode `move`"),
        ("SwitchToMode", ErrorKind::MissingValue, "`SwitchToMode` needs a value: a mode name"),
        ("SwitchToMode 1", ErrorKind::WrongType, "`SwitchToMode`: expected a string, found 1"),
        ("NewPane \"left\"", ErrorKind::InvalidValue, "`NewPane`: \"left\" is not a direction"),
        ("NewPane \"down\" \"right\"", ErrorKind::TooManyValues, "`NewPane` takes one value, found 2"),
        ("ClosePane 1", ErrorKind::TooManyValues, "`ClosePane` takes no values"),
        ("ClosePane { Quit; }", ErrorKind::UnexpectedChildren, "`ClosePane` takes no `{ ... }` block"),
        ("Quit now=true", ErrorKind::UnexpectedProperty, "`Quit` has no property `now`"),
        ("GoToTab 0", ErrorKind::InvalidValue, "`GoToTab` must be at least 1, found 0"),
        ("Write 256", ErrorKind::InvalidValue, "`Write`: 256 is too large"),
        ("Write", ErrorKind::MissingValue, "`Write` needs at least one byte"),
        ("Resize \"Sideways\"", ErrorKind::InvalidValue, "`Resize`: \"Sideways\" is not how to resize"),
        (
            "LaunchOrFocusPlugin \"zellij:tab-bar\"",
            ErrorKind::InvalidValue,
            "`LaunchOrFocusPlugin` cannot launch \"zellij:tab-bar\"",
        ),
        (
            "LaunchOrFocusPlugin \"session-manager\" { flaoting true; }",
            ErrorKind::UnknownOption,
            "unknown `LaunchOrFocusPlugin` option `flaoting`",
        ),
    ];
    for (text, kind, message) in table {
        let fault = action(text).expect_err(text);
        assert_eq!((fault.kind, fault.message.as_str()), (*kind, *message), "{text}");
    }
    assert_eq!(action("NewPain").unwrap_err().help.as_deref(), Some("did you mean `NewPane`?"));
    assert_eq!(
        action("BreakPane").unwrap_err().help.as_deref(),
        Some("`BreakPane` is a Zellij action that Revenant does not have")
    );
}
