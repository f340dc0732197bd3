//! Connecting to a session's socket, and checking who is on the other end.

use std::io;
use std::os::unix::net::UnixStream;
use std::path::Path;

pub fn connect(path: &Path) -> io::Result<UnixStream> {
    UnixStream::connect(path)
}

/// True when the peer process runs as our uid (SO_PEERCRED): a session
/// serves only its owner, whatever the socket's file permissions say.
pub fn peer_is_same_user(stream: &UnixStream) -> bool {
    match rustix::net::sockopt::socket_peercred(stream) {
        Ok(cred) => cred.uid.as_raw() == rustix::process::getuid().as_raw(),
        Err(_) => false,
    }
}
