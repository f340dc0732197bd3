//! `action restore-tab --snapshot ID --tab NAME`: one tab of an older
//! generation brought into the running session, as `new-tab --layout`
//! would add it; its commands wait for ENTER, as after a resurrection.

use std::path::Path;

use anyhow::{Result, anyhow, bail};

use crate::ipc::LayoutText;
use crate::store;

/// Generation `id` of `session`'s layout with only its tab `tab` (and
/// what is not a tab: templates), read from the generation's folder so
/// its sidecars resolve.
pub fn layout_of(session: &str, id: &str, tab: &str) -> Result<LayoutText> {
    let generation = store::generation(session, id).ok_or_else(|| {
        let ids: Vec<String> = store::generation_list(session).into_iter().map(|g| g.id).collect();
        anyhow!("`{session}` has no snapshot {id} (it has: {})", ids.join(", "))
    })?;
    let path = generation.layout;
    let text = std::fs::read_to_string(&path).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    let kept = only_tab(&text, tab).map_err(|why| anyhow!("snapshot {id} of `{session}`: {why}"))?;
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    if let Err(e) = revenant_layout::Layout::parse(Path::new(&path), &kept, home.as_deref()) {
        bail!("snapshot {id} of `{session}`, tab `{tab}`: {e}");
    }
    Ok(LayoutText { path: path.display().to_string(), text: kept })
}

/// The layout `text` without the tabs not named `tab`.
fn only_tab(text: &str, tab: &str) -> Result<String, String> {
    let mut doc = kdl::KdlDocument::parse_v1(text)
        .or_else(|_| kdl::KdlDocument::parse(text))
        .map_err(|e| format!("its layout does not parse: {e}"))?;
    let layout = doc
        .nodes_mut()
        .iter_mut()
        .find(|n| n.name().value() == "layout")
        .and_then(|n| n.children_mut().as_mut())
        .ok_or("its layout has no `layout` block")?;
    let name_of = |n: &kdl::KdlNode| n.get("name").and_then(|v| v.as_string()).map(str::to_string);
    let names: Vec<String> = layout.nodes().iter().filter(|n| n.name().value() == "tab").filter_map(name_of).collect();
    if !names.iter().any(|n| n == tab) {
        return Err(format!("no tab `{tab}` (it has: {})", names.join(", ")));
    }
    layout.nodes_mut().retain(|n| n.name().value() != "tab" || name_of(n).as_deref() == Some(tab));
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_named_tab_stays() {
        let text = "layout {\n    tab name=\"code\" {\n        pane command=\"vim\"\n    }\n    tab name=\"logs\" focus=true {\n        pane\n    }\n    new_tab_template {\n        pane\n    }\n}\n";
        let kept = only_tab(text, "logs").unwrap();
        assert!(kept.contains("logs") && !kept.contains("code") && kept.contains("new_tab_template"), "{kept}");
        assert_eq!(only_tab(text, "nope").unwrap_err(), "no tab `nope` (it has: code, logs)");
    }
}
