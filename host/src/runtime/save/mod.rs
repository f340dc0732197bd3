//! Saving a live session: the session as plugins see it (`manifest`) and
//! the pipeline from panes to the serializer plugin and on to the store
//! (`snapshot`). What the cache folder keeps, and which snapshot an exited
//! session comes back from, are the store's (`crate::store`); restoring a
//! snapshot is applying its layout (`runtime/apply.rs`).

pub mod manifest;
pub mod snapshot;
