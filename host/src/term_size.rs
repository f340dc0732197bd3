//! The largest terminal a session takes. A size comes from a client's
//! terminal, the CLI or (over ssh) another machine; every cell of a pane
//! and of each client's screen is allocated, so an unbounded size was an
//! allocation of tens of gigabytes: a 30000x30000 client aborted the server
//! and took every pane's program with it.
//!
//! tmux caps each side at 10 000; so do we. tmux also allocates rows only
//! as they are written; we allocate them whole, so the area is capped too,
//! at about a million cells (4096x256, 1024x1024): 28 MB a screen, where
//! a 4K monitor at a small font shows some 130 000.

/// The most columns or rows a terminal may have.
pub const MAX_SIDE: u16 = 10_000;
/// The most cells a terminal may have.
pub const MAX_CELLS: u32 = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SizeError {
    #[error("a terminal of {0}x{1} has no room: at least 1x1")]
    Empty(u16, u16),
}

/// `cols`x`rows` within the bounds: each side at most [`MAX_SIDE`], and a
/// larger area shrunk to [`MAX_CELLS`] keeping its shape. A side of 0 is
/// refused.
pub fn bounded(cols: u16, rows: u16) -> Result<(u16, u16), SizeError> {
    if cols == 0 || rows == 0 {
        return Err(SizeError::Empty(cols, rows));
    }
    let (cols, rows) = (cols.min(MAX_SIDE), rows.min(MAX_SIDE));
    let cells = u32::from(cols) * u32::from(rows);
    if cells <= MAX_CELLS {
        return Ok((cols, rows));
    }
    let scale = (f64::from(MAX_CELLS) / f64::from(cells)).sqrt();
    let shrink = |side: u16| ((f64::from(side) * scale).floor() as u16).max(1);
    let (mut c, mut r) = (shrink(cols), shrink(rows));
    // Rounding can leave it a cell over.
    while u32::from(c) * u32::from(r) > MAX_CELLS {
        if c >= r { c -= 1 } else { r -= 1 }
    }
    Ok((c, r))
}

/// Whether `cols`x`rows` is within the bounds as it is.
pub fn within(cols: u16, rows: u16) -> bool {
    bounded(cols, rows) == Ok((cols, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_sizes_pass_as_they_are() {
        for (c, r) in [(1, 1), (80, 24), (120, 40), (640, 200), (4096, 256), (1024, 1024)] {
            assert_eq!(bounded(c, r), Ok((c, r)));
        }
    }

    #[test]
    fn huge_sizes_shrink_to_the_bounds_keeping_their_shape() {
        let (c, r) = bounded(30_000, 30_000).unwrap();
        assert!(u32::from(c) * u32::from(r) <= MAX_CELLS);
        assert_eq!(c, r, "square stays square");
        assert!(c > 1000, "{c}x{r}");
        let (c, r) = bounded(10_000, 500).unwrap();
        assert!(u32::from(c) * u32::from(r) <= MAX_CELLS && c > r * 10, "{c}x{r}");
        assert_eq!(bounded(65_535, 1), Ok((MAX_SIDE, 1)));
        assert_eq!(bounded(1, 65_535), Ok((1, MAX_SIDE)));
        for c in (1..=u16::MAX).step_by(997) {
            for r in (1..=u16::MAX).step_by(1009) {
                let (bc, br) = bounded(c, r).unwrap();
                assert!(bc >= 1 && br >= 1 && bc <= MAX_SIDE && br <= MAX_SIDE);
                assert!(u32::from(bc) * u32::from(br) <= MAX_CELLS, "{c}x{r} → {bc}x{br}");
            }
        }
    }

    #[test]
    fn no_room_is_refused() {
        assert_eq!(bounded(0, 0), Err(SizeError::Empty(0, 0)));
        assert_eq!(bounded(80, 0), Err(SizeError::Empty(80, 0)));
        assert!(!within(20_000, 10));
    }
}
