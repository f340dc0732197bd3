//! Everything a session's resurrection rests on, in one place: what the
//! cache folder keeps (`store`), the live marker written while the server
//! runs (`metadata`), the session as plugins see it (`manifest`), and the
//! save pipeline from panes to disk (`snapshot`), and which snapshot an
//! exited session comes back from (`fallback`). Restoring a snapshot is
//! applying its layout (`server/apply.rs`).

pub mod fallback;
pub mod manifest;
pub mod metadata;
pub mod snapshot;
pub mod store;
pub mod summary;
