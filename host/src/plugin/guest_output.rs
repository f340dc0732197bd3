//! Captures a guest's stdout and stderr. Complete lines go to the host log as
//! they arrive; the last few KiB are kept so that an error report can show
//! what the plugin said just before it failed. Writes never fail: a chatty
//! plugin must not trap because its output is full.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamResult};

/// How much of the most recent output an error report may quote.
const TAIL_BYTES: usize = 4096;
/// A line longer than this is logged in pieces.
const MAX_LINE: usize = 8192;

#[derive(Clone)]
pub struct GuestOutput {
    inner: Arc<Mutex<State>>,
}

struct State {
    plugin: Arc<str>,
    stream: &'static str,
    line: Vec<u8>,
    tail: VecDeque<u8>,
}

impl GuestOutput {
    pub fn new(plugin: Arc<str>, stream: &'static str) -> Self {
        GuestOutput {
            inner: Arc::new(Mutex::new(State {
                plugin,
                stream,
                line: Vec::new(),
                tail: VecDeque::with_capacity(TAIL_BYTES),
            })),
        }
    }

    /// The most recent output (up to a few KiB), lossily decoded.
    pub fn tail(&self) -> String {
        let state = self.lock();
        let (a, b) = state.tail.as_slices();
        let mut bytes = Vec::with_capacity(a.len() + b.len());
        bytes.extend_from_slice(a);
        bytes.extend_from_slice(b);
        String::from_utf8_lossy(&bytes).trim_end().to_string()
    }

    /// Forgets the tail, so that the next error report only quotes output of
    /// the call that failed.
    pub fn clear_tail(&self) {
        self.lock().tail.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A poisoned lock only means a logging call panicked; the buffer is
        // still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, bytes: &[u8]) {
        let mut state = self.lock();
        let overflow = (state.tail.len() + bytes.len()).saturating_sub(TAIL_BYTES);
        let drop_front = overflow.min(state.tail.len());
        state.tail.drain(..drop_front);
        let keep = &bytes[bytes.len().saturating_sub(TAIL_BYTES)..];
        state.tail.extend(keep);
        for &b in bytes {
            if b == b'\n' || state.line.len() >= MAX_LINE {
                state.flush_line();
                if b == b'\n' {
                    continue;
                }
            }
            state.line.push(b);
        }
    }
}

impl State {
    fn flush_line(&mut self) {
        let text = String::from_utf8_lossy(&self.line);
        tracing::info!(target: "plugin", plugin = %self.plugin, stream = self.stream, "{}", text.trim_end());
        self.line.clear();
    }
}

impl Drop for State {
    fn drop(&mut self) {
        if !self.line.is_empty() {
            self.flush_line();
        }
    }
}

#[async_trait::async_trait]
impl Pollable for GuestOutput {
    async fn ready(&mut self) {}
}

impl OutputStream for GuestOutput {
    fn write(&mut self, bytes: bytes::Bytes) -> StreamResult<()> {
        self.push(&bytes);
        Ok(())
    }
    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }
    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(64 * 1024)
    }
}

impl tokio::io::AsyncWrite for GuestOutput {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        self.push(buf);
        Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

impl IsTerminal for GuestOutput {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for GuestOutput {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_tail() {
        let out = GuestOutput::new("t".into(), "stderr");
        for i in 0..2000 {
            out.push(format!("line {i}\n").as_bytes());
        }
        let tail = out.tail();
        assert!(tail.len() <= TAIL_BYTES);
        assert!(tail.ends_with("line 1999"), "{tail}");
        assert!(!tail.contains("line 10\n"));
    }

    #[test]
    fn a_huge_write_keeps_its_end() {
        let out = GuestOutput::new("t".into(), "stderr");
        let mut big = vec![b'a'; 100_000];
        big.extend_from_slice(b"END");
        out.push(&big);
        assert!(out.tail().ends_with("END"));
        out.clear_tail();
        assert_eq!(out.tail(), "");
    }
}
