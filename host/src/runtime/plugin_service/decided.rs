//! What the command-discovery chain decided for a pane, and how that
//! decision is written into the manifest the serializer gets.

use crate::plugin::types::SessionManifest;

/// What the chain decided for one pane.
pub(super) struct Decided {
    pub argv: Option<Vec<String>>,
    pub cwd: Option<String>,
    pub env: Vec<(String, String)>,
}

/// Writes the chain's decision into the manifest's pane `id`.
pub(super) fn patch(manifest: &mut SessionManifest, id: u32, decided: Decided) {
    if let Some(pane) = super::screens::panes_mut(manifest).find(|p| p.id == id) {
        pane.start_suspended = decided.argv.is_some();
        pane.env = if decided.argv.is_some() { decided.env } else { Vec::new() };
        pane.command = decided.argv;
        if decided.cwd.is_some() {
            pane.cwd = decided.cwd;
        }
    }
}
