//! A pane's saved screen (`contents_file`, or a resurrected pane's
//! sidecar) and its replay into a terminal: by the restoring thread when a
//! pane starts, and by the plugin worker when a save meets a pane still
//! dormant. Reads are bounded, so a huge or endless file (a FIFO) cannot
//! stall either.

use std::path::PathBuf;
use std::sync::Arc;

use revenant_session::tiling::PaneId;
use revenant_terminal::Terminal;

/// The largest `contents_file` replayed into a pane: a full scrollback
/// dump of a wide pane with colours is some tens of megabytes.
pub(super) const MAX_CONTENTS: u64 = 64 * 1024 * 1024;

/// Where a pane's saved contents are read from.
pub(in crate::runtime) enum Contents {
    Path(PathBuf),
    /// Opened when the layout was applied (a dormant pane's), so a later
    /// save or wake reads what was saved then.
    Open(Arc<std::fs::File>),
}

impl Contents {
    fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Contents::Path(path) => revenant_kdl_file::read_bounded(path, MAX_CONTENTS),
            Contents::Open(file) => revenant_kdl_file::read_open(file, MAX_CONTENTS),
        }
    }

    fn describe(&self) -> String {
        match self {
            Contents::Path(path) => path.display().to_string(),
            Contents::Open(_) => "(held open)".into(),
        }
    }

    /// A terminal of this size showing the contents; one that cannot be
    /// read is logged and left blank (the pane still starts). The restoring
    /// thread replays a waking pane's, the plugin worker a dormant pane's
    /// for a save.
    pub(in crate::runtime) fn replay(&self, cols: u16, rows: u16, scrollback: usize, pane: PaneId) -> Terminal {
        let mut term = Terminal::new(cols, rows, scrollback);
        match self.read() {
            Ok(bytes) => term.replay(&bytes),
            Err(e) => tracing::warn!(pane, "saved contents {}: {e}", self.describe()),
        }
        term
    }
}
