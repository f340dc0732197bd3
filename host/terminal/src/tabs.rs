//! Horizontal tab stops (HT, HTS, TBC, CHT, CBT).

/// Default stops sit every 8 columns, as every terminfo entry assumes.
const DEFAULT_INTERVAL: usize = 8;

#[derive(Debug, Clone)]
pub(crate) struct TabStops {
    stops: Vec<bool>,
}

impl TabStops {
    pub(crate) fn new(cols: usize) -> TabStops {
        TabStops { stops: (0..cols).map(|x| x % DEFAULT_INTERVAL == 0).collect() }
    }

    /// Keeps the stops the application set; new columns get default stops.
    pub(crate) fn resize(&mut self, cols: usize) {
        let old = self.stops.len();
        self.stops.truncate(cols);
        self.stops.extend((old..cols).map(|x| x % DEFAULT_INTERVAL == 0));
    }

    pub(crate) fn set(&mut self, x: usize) {
        if let Some(stop) = self.stops.get_mut(x) {
            *stop = true;
        }
    }

    pub(crate) fn clear(&mut self, x: usize) {
        if let Some(stop) = self.stops.get_mut(x) {
            *stop = false;
        }
    }

    pub(crate) fn clear_all(&mut self) {
        self.stops.fill(false);
    }

    /// The next stop right of `x`, or the last column when there is none.
    pub(crate) fn next(&self, x: usize) -> usize {
        let last = self.stops.len().saturating_sub(1);
        (x + 1..self.stops.len()).find(|&i| self.stops[i]).unwrap_or(last)
    }

    /// The previous stop left of `x`, or column 0.
    pub(crate) fn prev(&self, x: usize) -> usize {
        (0..x.min(self.stops.len())).rev().find(|&i| self.stops[i]).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_every_eight() {
        let t = TabStops::new(20);
        assert_eq!(t.next(0), 8);
        assert_eq!(t.next(8), 16);
        assert_eq!(t.next(16), 19);
        assert_eq!(t.next(19), 19);
        assert_eq!(t.prev(19), 16);
        assert_eq!(t.prev(8), 0);
        assert_eq!(t.prev(0), 0);
    }

    #[test]
    fn set_clear_and_resize() {
        let mut t = TabStops::new(10);
        t.clear_all();
        t.set(3);
        assert_eq!(t.next(0), 3);
        assert_eq!(t.next(3), 9);
        t.clear(3);
        assert_eq!(t.next(0), 9);
        t.resize(20);
        assert_eq!(t.next(0), 16, "new columns get default stops, old ones stay cleared");
    }
}
