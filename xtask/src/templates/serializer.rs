//! A Revenant serializer plugin: turns a session manifest into a layout.

use revenant_plugin_api::types::{SerializedSession, SessionManifest};
use revenant_plugin_api::{Serializer, export_serializer, log};

pub struct Plugin;

impl Serializer for Plugin {
    fn serialize(manifest: SessionManifest) -> Result<SerializedSession, String> {
        log!(info, "serializing {} with {} tabs", manifest.name, manifest.tabs.len());
        let mut layout = String::from("layout {\n");
        for tab in &manifest.tabs {
            let focus = if tab.focused { " focus=true" } else { "" };
            layout.push_str(&format!("    tab name={:?}{focus}\n", tab.name));
        }
        layout.push_str("}\n");
        Ok(SerializedSession { layout, sidecars: Vec::new() })
    }
}

export_serializer!(Plugin);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_one_tab_node_per_tab() {
        let manifest = SessionManifest { name: "demo".into(), cwd: None, tabs: Vec::new(), swap_layouts: Vec::new() };
        let out = Plugin::serialize(manifest).unwrap();
        assert_eq!(out.layout, "layout {\n}\n");
    }
}
