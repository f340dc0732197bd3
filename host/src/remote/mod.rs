//! Sessions on other hosts, reached through the system's ssh: addresses
//! (`ssh://[user@]host[:port]/NAME`), the ssh command line, the local end
//! of a link and the bridge at the far end, the client's endpoint over it,
//! and the command lines and listings that name other hosts. Nothing here
//! listens: ssh is the only way in.

pub mod address;
pub mod bridge;
pub mod forward;
pub mod link;
pub mod listing;
pub mod sessions;
pub mod ssh;

pub use address::{SessionAddress, SshHost};
