//! Sessions on other hosts, reached through the system's ssh: addresses
//! (`ssh://[user@]host[:port]/NAME`), the ssh command line, the local end
//! of a link (the far end is `cli::bridge`), the client's endpoint over
//! it, and another host's session list. Nothing here listens: ssh is the
//! only way in.

pub mod address;
pub mod link;
pub mod listing;
pub mod sessions;
pub mod ssh;

pub use address::{SessionAddress, SshHost};
