use std::path::{Path, PathBuf};

use super::{error, parse};
use crate::{Config, ErrorKind, Keybinds, Plugins};

#[test]
fn default_text_parses_to_the_defaults() {
    let parsed = Config::parse(Path::new("default.kdl"), Config::default_text()).expect("default text parses");
    assert_eq!(parsed, Config::default());
}

#[test]
fn default_text_is_kdl_v1_and_documents_every_option() {
    let text = Config::default_text();
    assert!(kdl::KdlDocument::parse_v1(text).is_ok(), "Zellij users expect v1");
    // Aliases are mentioned beside the name they stand for.
    for name in crate::options::NAMES.iter().filter(|n| crate::options::canonical(n) == Some(**n)) {
        let line = text.lines().position(|l| {
            let l = l.trim_start_matches("// ");
            l.starts_with(&format!("{name} ")) || *l == **name
        });
        let line = line.unwrap_or_else(|| panic!("`{name}` is not in the default text"));
        let above = text.lines().nth(line - 1).unwrap();
        assert!(above.starts_with("//"), "`{name}` has no comment above it");
    }
}

#[test]
fn empty_text_gives_the_defaults() {
    assert_eq!(parse(""), Config::default());
    assert_eq!(parse("// only a comment\n"), Config::default());
}

#[test]
fn defaults_are_the_documented_values() {
    let c = Config::default();
    assert_eq!(c.default_shell, None);
    assert_eq!(c.default_layout, None);
    assert_eq!(c.layout_dir, None);
    assert_eq!(c.scroll_buffer_size, 10_000);
    assert!(!c.mirror_session);
    assert!(c.pane_frames);
    assert!(c.session_serialization);
    assert!(!c.serialize_pane_viewport);
    assert_eq!(c.scrollback_lines_to_serialize, 0);
    assert_eq!(c.serialization_interval, 60);
    assert!(!c.disable_session_metadata);
    assert_eq!(c.plugins, Plugins::default());
    assert_eq!(c.keybinds, Keybinds::default());
}

#[test]
fn every_option_is_read_back() {
    let c = parse(
        r#"
        default_shell "/bin/zsh"
        default_layout "compact"
        layout_dir "/home/me/layouts"
        scroll_buffer_size 500
        mirror_session true
        pane_frames false
        session_serialization false
        serialize_pane_viewport true
        scrollback_lines_to_serialize 200
        serialization_interval 5
        disable_session_metadata true
        "#,
    );
    assert_eq!(c.default_shell.as_deref(), Some("/bin/zsh"));
    assert_eq!(c.default_layout.as_deref(), Some("compact"));
    assert_eq!(c.layout_dir, Some(PathBuf::from("/home/me/layouts")));
    assert_eq!(c.scroll_buffer_size, 500);
    assert!(c.mirror_session);
    assert!(!c.pane_frames);
    assert!(!c.session_serialization);
    assert!(c.serialize_pane_viewport);
    assert_eq!(c.scrollback_lines_to_serialize, 200);
    assert_eq!(c.serialization_interval, 5);
    assert!(c.disable_session_metadata);
    // Untouched blocks keep their defaults.
    assert_eq!(c.keybinds, Keybinds::default());
}

#[test]
fn pane_viewport_serialization_is_an_alias() {
    assert!(parse("pane_viewport_serialization true").serialize_pane_viewport);
    assert!(!parse("pane_viewport_serialization false").serialize_pane_viewport);
}

#[test]
fn v1_and_v2_booleans_are_both_accepted() {
    assert!(!parse("pane_frames false").pane_frames);
    assert!(!parse("pane_frames #false").pane_frames);
    assert!(parse("mirror_session true").mirror_session);
    assert!(parse("mirror_session #true").mirror_session);
    // v2's bare strings work too.
    assert_eq!(parse("default_shell fish\nmirror_session #true").default_shell.as_deref(), Some("fish"));
}

#[test]
fn a_zellij_style_config_subset_parses() {
    let c = parse(
        r#"
        // copied from a Zellij config
        keybinds {
            normal {
                bind "Alt n" { NewPane; }
            }
            pane {
                bind "x" { CloseFocus; SwitchToMode "Normal"; }
            }
            session {
                bind "w" {
                    LaunchOrFocusPlugin "zellij:session-manager" {
                        floating true
                        move_to_focused_tab true
                    };
                    SwitchToMode "Normal"
                }
            }
        }
        plugins {
            session-manager location="zellij:session-manager"
        }
        pane_frames false
        session_serialization true
        "#,
    );
    assert!(!c.pane_frames);
    assert_eq!(c.plugins.session_manager.location, "zellij:session-manager");
}

#[test]
fn load_reads_a_file_and_a_missing_file_gives_the_defaults() {
    let dir = std::env::temp_dir().join(format!("revenant-config-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("missing.kdl");
    assert_eq!(Config::load(&missing).unwrap(), Config::default());

    let file = dir.join("config.kdl");
    std::fs::write(&file, "scroll_buffer_size 42\n").unwrap();
    assert_eq!(Config::load(&file).unwrap().scroll_buffer_size, 42);

    std::fs::write(&file, "\npane_frames 1\n").unwrap();
    let err = Config::load(&file).unwrap_err();
    assert_eq!(err.line_col(), Some((2, 13)));
    assert!(err.to_string().starts_with(&format!("{}:2:13: ", file.display())), "{err}");

    std::fs::write(&file, b"pane_frames \xff\n").unwrap();
    let err = Config::load(&file).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert_eq!(err.line_col(), None);
    assert_eq!(err.to_string(), format!("{}: cannot read the config: it is not valid UTF-8", file.display()));

    // A directory is not a config file.
    let err = Config::load(&dir).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn messages_quote_the_alias_the_user_wrote() {
    let err = error("pane_viewport_serialization 1");
    assert_eq!(err.message(), "`pane_viewport_serialization`: expected a boolean, found 1");
}

#[test]
fn ssh_options_and_hosts_are_read() {
    let config = parse(
        "ssh_command \"ssh -F /tmp/cfg\"\nremote_revenant \"/opt/revenant\"\nhosts {\n    host \"devbox\" \"ssh://me@devbox:2222/\"\n    host \"build\" \"ssh://build\"\n}\n",
    );
    assert_eq!(config.ssh_command.as_deref(), Some("ssh -F /tmp/cfg"));
    assert_eq!(config.remote_revenant.as_deref(), Some("/opt/revenant"));
    let hosts: Vec<(&str, &str)> = config.hosts.iter().map(|h| (h.label.as_str(), h.address.as_str())).collect();
    assert_eq!(hosts, [("devbox", "ssh://me@devbox:2222"), ("build", "ssh://build")]);
}

#[test]
fn a_bad_host_entry_names_its_line() {
    for (text, says) in [
        ("hosts {\n    host \"devbox\" \"me@devbox\"\n}\n", "not an ssh:// address"),
        ("hosts {\n    host \"devbox\" \"ssh://devbox/work\"\n}\n", "no session"),
        ("hosts {\n    host \"devbox\"\n}\n", "a label and an address"),
        ("hosts {\n    server \"devbox\" \"ssh://devbox\"\n}\n", "holds `host` nodes"),
        ("hosts {\n    host \"a\" \"ssh://x\"\n    host \"a\" \"ssh://y\"\n}\n", "listed twice"),
    ] {
        let e = error(text);
        assert!(e.to_string().contains(says), "{text}: {e}");
        assert!(format!("{e:?}").contains("line") || e.to_string().contains(":"), "{e}");
    }
}

#[test]
fn snapshot_retention_and_its_disk_limit() {
    let c = parse("snapshot_retention { hourly 6; daily 0; }\nsnapshot_disk_limit \"1GiB\"");
    assert_eq!(c.retention, crate::Retention { last: 5, hourly: 6, daily: 0, disk_limit: Some(1 << 30) });
    assert_eq!(parse("snapshot_disk_limit \"none\"").retention.disk_limit, None);
    assert_eq!(parse("snapshot_retention { last 0; }").retention.last, 1, "the newest always stays");
    let e = error("snapshot_retention { weekly 4; }");
    assert!(e.to_string().contains("`last`, `hourly` and `daily`, not `weekly`"), "{e}");
    let e = error("snapshot_disk_limit \"lots\"");
    assert!(e.to_string().contains("\"lots\" is not a size"), "{e}");
    let e = error("snapshot_retention { last 2; last 3; }");
    assert!(e.to_string().contains("set twice"), "{e}");
}
