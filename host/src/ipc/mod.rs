//! The client/server protocol: versioned, length-prefixed frames carrying
//! postcard-encoded messages over a Unix socket.

mod frame;
mod messages;
mod socket;

pub use frame::{FrameError, PROTOCOL_VERSION, decode_frame, frame_len, read_frame, write_frame};
pub use messages::*;
pub use socket::{connect, peer_is_same_user, recv_with_fd, send_with_fd};
