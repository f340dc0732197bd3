//! Converts between the current contract (0.6.0) and 0.5.0. They differ
//! only in what 0.6.0 added: a command's `env` (on a pane, a discovered
//! command and a rewrite) and a pane's `save-contents`. A 0.5.0 serializer
//! is not given them (a pane that must not save its screen is handed over
//! without one all the same), and a 0.5.0 rewrite keeps the discovered env.

use super::Convert;
use crate::plugin::bindings::{v5::types as old, v6::types as new};

unchanged_since_0_2!(new => old; session_info + host);
rewrite_keeps_env!(old => new);
layout_since_0_3!(new => old);
record!(new::PaneContents => old { text, scrollback_rows, viewport_rows });
record!(new::HostInfo => old { label, address, fetching, error });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rewrite_from_0_5_keeps_the_discovered_env_and_a_pane_loses_it() {
        let old_rewrite = old::RewrittenCommand { argv: vec!["python".into()], cwd: None };
        let rewrite: new::RewrittenCommand = old_rewrite.convert();
        assert_eq!(rewrite.env, None);
        let mut m = crate::plugin::sample_manifest();
        let new::TiledBody::Pane(pane) = &mut m.tabs[0].tiled[0].body else { panic!("one pane") };
        pane.env = vec![("VIRTUAL_ENV".into(), "/v".into())];
        pane.save_contents = false;
        let down: old::SessionManifest = m.convert();
        let old::TiledBody::Pane(old_pane) = &down.tabs[0].tiled[0].body else { panic!("one pane") };
        assert_eq!(old_pane.command.as_deref(), Some(&["sleep".to_string(), "1000".to_string()][..]));
    }
}
