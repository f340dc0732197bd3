//! Framing: `RVNT`, a protocol version, a length, then the payload. The
//! header never changes between versions, so a client and server of
//! different versions can tell each other so instead of misreading bytes.

use std::io::{self, Read, Write};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// 2: the hello says what the client's terminal can draw; 3: and where
/// the client starts (`switch-session --tab-position`); 4: the hello may
/// bring the client's terminal; 5: a client on another host runs its own
/// `copy_command` (`Hello.copy_here`, `ServerMsg::Copied`), and a
/// subscriber is sent the session's events (`Role::Subscribe`,
/// `ServerMsg::Event`).
pub const PROTOCOL_VERSION: u16 = 6;
const MAGIC: &[u8; 4] = b"RVNT";
/// Large enough for a full scrollback dump, small enough that a corrupt
/// length cannot make us allocate gigabytes.
const MAX_FRAME: u32 = 256 * 1024 * 1024;
/// What a client may send in one message (a paste, `action paste` from
/// stdin): a pane takes 8 MiB of queued input at most anyway, and the
/// server buffers a message whole before it decodes it.
pub const MAX_TO_SERVER: u32 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("connection closed")]
    Closed,
    #[error("the peer is not a Revenant process (bad frame header)")]
    NotRevenant,
    #[error(
        "the peer speaks Revenant protocol version {theirs}, this binary speaks version {ours}: \
         use the same revenant binary for server and client"
    )]
    Version { ours: u16, theirs: u16 },
    #[error("frame of {0} bytes is over the limit")]
    TooLarge(u32),
    #[error("malformed message: {0}")]
    Decode(#[from] postcard::Error),
    #[error(transparent)]
    Io(io::Error),
}

impl From<io::Error> for FrameError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe => {
                FrameError::Closed
            }
            _ => FrameError::Io(e),
        }
    }
}

pub fn write_frame<W: Write, T: Serialize>(w: &mut W, msg: &T) -> Result<(), FrameError> {
    let payload = postcard::to_stdvec(msg)?;
    let len = u32::try_from(payload.len()).map_err(|_| FrameError::TooLarge(u32::MAX))?;
    if len > MAX_FRAME {
        return Err(FrameError::TooLarge(len));
    }
    let mut buf = Vec::with_capacity(10 + payload.len());
    buf.extend_from_slice(MAGIC);
    buf.extend_from_slice(&PROTOCOL_VERSION.to_le_bytes());
    buf.extend_from_slice(&len.to_le_bytes());
    buf.extend_from_slice(&payload);
    w.write_all(&buf)?;
    w.flush()?;
    Ok(())
}

/// The first whole frame at the start of `buf` and how many bytes it took
/// with its header; `None` while part of it has not arrived. For a reader
/// that must never wait: it keeps what arrived and calls again. Frames
/// over [`MAX_TO_SERVER`] are refused as soon as their header arrives.
pub fn decode_frame<T: DeserializeOwned>(buf: &[u8]) -> Result<Option<(T, usize)>, FrameError> {
    let Some(header) = buf.get(..10) else {
        // A wrong magic is told at once, not after ten bytes.
        let n = buf.len().min(4);
        return if buf[..n] != MAGIC[..n] { Err(FrameError::NotRevenant) } else { Ok(None) };
    };
    let len = check_header(header.try_into().expect("ten bytes"))?;
    if len > MAX_TO_SERVER {
        return Err(FrameError::TooLarge(len));
    }
    let len = len as usize;
    let Some(payload) = buf.get(10..10 + len) else { return Ok(None) };
    Ok(Some((postcard::from_bytes(payload)?, 10 + len)))
}

/// The payload length a frame header announces, once the header is
/// checked (for readers of their own, like the web bridge's async one).
pub fn frame_len(header: &[u8; 10]) -> Result<u32, FrameError> {
    check_header(header)
}

fn check_header(header: &[u8; 10]) -> Result<u32, FrameError> {
    if &header[..4] != MAGIC {
        return Err(FrameError::NotRevenant);
    }
    let version = u16::from_le_bytes([header[4], header[5]]);
    if version != PROTOCOL_VERSION {
        return Err(FrameError::Version { ours: PROTOCOL_VERSION, theirs: version });
    }
    let len = u32::from_le_bytes([header[6], header[7], header[8], header[9]]);
    if len > MAX_FRAME {
        return Err(FrameError::TooLarge(len));
    }
    Ok(len)
}

pub fn read_frame<R: Read, T: DeserializeOwned>(r: &mut R) -> Result<T, FrameError> {
    let mut header = [0u8; 10];
    r.read_exact(&mut header)?;
    let len = check_header(&header)?;
    // Only what arrives is allocated: a length that lies costs nothing.
    let mut payload = Vec::new();
    r.take(u64::from(len)).read_to_end(&mut payload)?;
    if payload.len() < len as usize {
        return Err(FrameError::Closed);
    }
    Ok(postcard::from_bytes(&payload)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_detects_other_versions() {
        let mut buf = Vec::new();
        write_frame(&mut buf, &("hello".to_string(), 7u32)).unwrap();
        let back: (String, u32) = read_frame(&mut buf.as_slice()).unwrap();
        assert_eq!(back, ("hello".to_string(), 7));

        buf[4] = 9;
        let err = read_frame::<_, (String, u32)>(&mut buf.as_slice()).unwrap_err();
        assert!(matches!(err, FrameError::Version { theirs: 9, .. }), "{err}");
        assert!(err.to_string().contains("version 9"));

        let err = read_frame::<_, u32>(&mut &b"GET / HTTP/1.1\r\n"[..]).unwrap_err();
        assert!(matches!(err, FrameError::NotRevenant));
        assert!(matches!(read_frame::<_, u32>(&mut &b""[..]).unwrap_err(), FrameError::Closed));
    }

    #[test]
    fn decode_waits_for_the_whole_frame_and_says_how_much_it_took() {
        let mut buf = Vec::new();
        write_frame(&mut buf, &"first".to_string()).unwrap();
        let first = buf.len();
        write_frame(&mut buf, &"second".to_string()).unwrap();
        for cut in 0..first {
            assert!(decode_frame::<String>(&buf[..cut]).unwrap().is_none(), "cut at {cut}");
        }
        let (msg, used) = decode_frame::<String>(&buf).unwrap().unwrap();
        assert_eq!((msg.as_str(), used), ("first", first));
        let (msg, _) = decode_frame::<String>(&buf[used..]).unwrap().unwrap();
        assert_eq!(msg, "second");
        assert!(matches!(decode_frame::<String>(b"GET "), Err(FrameError::NotRevenant)));
    }

    #[test]
    fn a_corrupt_length_is_refused_before_allocating() {
        let mut buf = Vec::new();
        buf.extend_from_slice(MAGIC);
        buf.extend_from_slice(&PROTOCOL_VERSION.to_le_bytes());
        buf.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(read_frame::<_, u32>(&mut buf.as_slice()).unwrap_err(), FrameError::TooLarge(_)));
    }
}
