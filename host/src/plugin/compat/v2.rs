//! Converts between 0.3.0 and 0.2.0. The two differ
//! only in what 0.3.0 added to the serializer's manifest (pane colours,
//! stacks, swap layouts), which a 0.2.0 serializer does not receive; every
//! other type has the same shape under another package version, so it is
//! converted field by field.

use super::Convert;
use crate::plugin::bindings::{v2::types as old, v3::types as new};

unchanged_since_0_2!(new => old);
record!(old::RewrittenCommand => new { argv, cwd });
record!(new::SessionManifest => old { name, cwd, tabs });
record!(new::Split => old { direction, children });
record!(new::Pane => old { id, name, cwd, command, plugin, focused, start_suspended, contents });
record!(new::PaneContents => old { scrollback, viewport });

#[cfg(test)]
mod tests {
    use super::*;

    fn pane(id: u32) -> new::Pane {
        new::Pane {
            id,
            name: Some("p".into()),
            cwd: None,
            command: Some(vec!["vim".into()]),
            plugin: None,
            focused: true,
            start_suspended: false,
            contents: None,
            default_fg: Some("#00ff00".into()),
            default_bg: Some("blue".into()),
            edit: None,
            expanded: true,
        }
    }

    #[test]
    fn a_0_2_0_serializer_gets_the_manifest_without_what_0_3_0_added() {
        let m = new::SessionManifest {
            name: "s".into(),
            cwd: None,
            tabs: vec![new::Tab {
                name: "t".into(),
                position: 0,
                focused: true,
                hide_floating_panes: false,
                tiled: vec![
                    new::TiledNode {
                        size: None,
                        borderless: false,
                        body: new::TiledBody::Split(new::Split {
                            direction: new::SplitDirection::Vertical,
                            children: vec![1],
                            stacked: true,
                        }),
                    },
                    new::TiledNode {
                        size: Some(new::Dimension::Percent(50)),
                        borderless: true,
                        body: new::TiledBody::Pane(pane(1)),
                    },
                ],
                floating: Vec::new(),
            }],
            swap_layouts: vec!["swap_tiled_layout name=\"x\" { }".into()],
        };
        let o: old::SessionManifest = m.convert();
        let old::TiledBody::Split(split) = &o.tabs[0].tiled[0].body else { panic!("split") };
        assert!(matches!(split.direction, old::SplitDirection::Vertical));
        assert_eq!(split.children, [1]);
        let old::TiledBody::Pane(p) = &o.tabs[0].tiled[1].body else { panic!("pane") };
        assert_eq!((p.id, p.command.as_deref()), (1, Some(&["vim".to_owned()][..])));
        assert!(matches!(o.tabs[0].tiled[1].size, Some(old::Dimension::Percent(50))));
    }

    #[test]
    fn keys_keep_their_modifiers() {
        let k = new::Event::Key(new::KeyEvent {
            key: new::Key::Char('p'),
            modifiers: new::Modifiers::CTRL | new::Modifiers::ALT,
        });
        let old::Event::Key(o) = k.convert() else { panic!("key") };
        assert!(matches!(o.key, old::Key::Char('p')));
        assert_eq!(o.modifiers, old::Modifiers::CTRL | old::Modifiers::ALT);
    }
}
