//! Converts between the current contract (0.6.0) and 0.4.0. They differ
//! only where 0.5.0 reached other hosts: a session's `host` is left behind
//! (a 0.4.0 session manager is given this host's sessions only, see
//! `sandbox`), and 0.4.0 has no `host-info`; and in what 0.6.0 added (a
//! command's env, `save-contents`), left behind too. Every other type has the same
//! shape under another package version and is converted field by field.

use super::Convert;
use crate::plugin::bindings::{v4::types as old, v6::types as new};

unchanged_since_0_2!(new => old);
rewrite_keeps_env!(old => new);
layout_since_0_3!(new => old);
record!(new::PaneContents => old { text, scrollback_rows, viewport_rows });
