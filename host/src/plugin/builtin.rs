//! The default plugins, compiled into the binary so that `cargo run` needs no
//! wasm toolchain. `cargo xtask build-plugins` rebuilds these files.

use super::{PluginSource, World};

/// Name, world and component bytes of every built-in plugin.
pub static BUILTIN_PLUGINS: &[(&str, World, &[u8])] = &[
    ("serializer", World::Serializer, include_bytes!("../../assets/plugins/serializer.wasm")),
    ("command-discovery", World::CommandDiscovery, include_bytes!("../../assets/plugins/command-discovery.wasm")),
    ("session-manager", World::SessionManager, include_bytes!("../../assets/plugins/session-manager.wasm")),
];

/// The built-in plugin called `name` (`serializer`, `command-discovery`,
/// `session-manager`), with or without a `revenant:` or `zellij:` prefix.
pub fn builtin(name: &str) -> Option<PluginSource> {
    let bare = name.strip_prefix("revenant:").or_else(|| name.strip_prefix("zellij:")).unwrap_or(name);
    BUILTIN_PLUGINS.iter().find(|(n, _, _)| *n == bare).map(|&(name, _, bytes)| PluginSource::Embedded { name, bytes })
}
