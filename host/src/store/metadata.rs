//! `session-metadata.kdl`: the live marker other tools read to see what a
//! running session holds. The server writes it (`runtime/metadata.rs`);
//! this is where it lives, how it is written safely, and how it is read.

use crate::store;

/// Replaces session `name`'s marker with `text`, inside the cache folder
/// and through no symlink.
pub fn write(name: &str, text: &str) -> Result<(), String> {
    let dir = store::session_dir(name);
    let root = store::trusted_root(&dir).map_err(|e| e.to_string())?;
    crate::no_follow::ensure_dir_under(&root, &dir).map_err(|e| e.to_string())?;
    store::durable::replace_atomically(&dir.join(store::METADATA), text.as_bytes(), false).map_err(|e| e.to_string())
}

/// Removes session `name`'s marker (a clean exit).
pub fn remove(name: &str) {
    let _ = std::fs::remove_file(store::session_dir(name).join(store::METADATA));
}

/// What a session's `session-metadata.kdl` says, for listing a server that
/// is too busy to answer: `(created_unix, pid, clients, tab names, panes)`.
pub fn read(name: &str) -> Option<(u64, u32, usize, Vec<String>, usize)> {
    let text = std::fs::read_to_string(store::session_dir(name).join(store::METADATA)).ok()?;
    let doc = kdl::KdlDocument::parse_v1(&text).or_else(|_| kdl::KdlDocument::parse(&text)).ok()?;
    let session = doc.get("session")?;
    let int = |n: &kdl::KdlNode, key: &str| n.get(key).and_then(|v| v.as_integer()).unwrap_or(0);
    let mut tabs = Vec::new();
    let mut panes = 0;
    for tab in doc.nodes().iter().filter(|n| n.name().value() == "tab") {
        tabs.push(tab.get("name").and_then(|v| v.as_string()).unwrap_or_default().to_string());
        panes += tab.children().map_or(0, |c| c.nodes().len());
    }
    Some((int(session, "created") as u64, int(session, "pid") as u32, int(session, "clients") as usize, tabs, panes))
}
