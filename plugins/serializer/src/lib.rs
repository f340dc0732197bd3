//! Revenant's default serializer: writes a session as a Zellij-compatible
//! layout (KDL v1, shaped like Zellij's own `session-layout.kdl`), so a saved
//! session can be brought back by Revenant or opened by Zellij itself, plus
//! one sidecar file per pane whose screen contents were saved.

mod editor;
mod kdl_writer;
mod layout;

use revenant_plugin_api::Serializer;
use revenant_plugin_api::types::{SerializedSession, SessionManifest};

/// The serializer exported by this component.
pub struct DefaultSerializer;

impl Serializer for DefaultSerializer {
    fn serialize(manifest: SessionManifest) -> Result<SerializedSession, String> {
        layout::serialize_manifest(manifest)
    }
}

revenant_plugin_api::export_serializer!(DefaultSerializer);

#[cfg(test)]
mod tests;
