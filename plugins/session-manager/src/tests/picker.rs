//! A new name goes through the layout picker.

use revenant_plugin_api::types::Key;

use super::*;

#[test]
fn enter_on_a_new_name_picks_a_layout_then_creates() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    type_text(&mut ui, &mut host, "fresh");
    press(&mut ui, &mut host, &[key(Key::Enter)]);
    let lines = screen(&mut ui, 12, 80);
    assert!(lines[0].starts_with("New session fresh · pick a layout"), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("dev  layout_dir")), "{lines:?}");
    type_text(&mut ui, &mut host, "cpt");
    let lines = screen(&mut ui, 12, 80);
    assert!(lines[2].starts_with("> compact  built-in"), "{lines:?}");
    press(&mut ui, &mut host, &[key(Key::Enter)]);
    assert_eq!(host.calls.last().unwrap(), "create Some(\"fresh\") Some(\"compact\")");
    assert!(screen(&mut ui, 12, 80)[1].starts_with("> type to filter"), "back on the list, filter cleared");
}

#[test]
fn esc_goes_back_and_errors_stay_on_the_picker() {
    let mut host = FakeHost::with(sample());
    let mut ui = open(&[], &mut host);
    type_text(&mut ui, &mut host, "new one");
    press(&mut ui, &mut host, &[key(Key::Enter), key(Key::Esc)]);
    let lines = screen(&mut ui, 12, 80);
    assert!(lines[1].starts_with("> new one"), "the name is kept to fix it: {lines:?}");
    host.error = Some("names cannot contain spaces".into());
    press(&mut ui, &mut host, &[key(Key::Enter), key(Key::Down), key(Key::Enter)]);
    let lines = screen(&mut ui, 12, 80);
    assert!(lines[0].starts_with("New session new one"), "{lines:?}");
    assert!(lines.last().unwrap().contains("Cannot create new one: names cannot contain spaces"), "{lines:?}");
    type_text(&mut ui, &mut host, "zzz");
    press(&mut ui, &mut host, &[key(Key::Enter)]);
    assert!(screen(&mut ui, 12, 80).last().unwrap().contains("No layout matches"));
}
