//! How a split's cells are shared among its children, as Zellij shares
//! them (measured against Zellij 0.45.1, `tests/fixtures/zellij-geometry/`):
//! fixed sizes first; then every other child is a percent of what the fixed
//! ones leave (flexible children share equally what the percents leave of
//! 100%), rounded to the nearest cell, halves up. When the rounded sizes
//! overshoot, the largest child gives a cell back (the last of equals); when
//! they fall short, the smallest takes one (the first of equals). So 101
//! columns in halves are 51 and 50, and `size=1`, a flexible pane and
//! `50%` on 120 columns are 1, 60 and 59.
/// What a child of a split asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Share {
    Fixed(u16),
    /// A percent of the cells the fixed siblings leave.
    Percent(f64),
    Flexible,
}

/// The children's extents; they always sum to `total` (fixed sizes that do
/// not fit are cut, in order, to what is left).
pub fn split(total: u16, shares: &[Share]) -> Vec<u16> {
    split_reserving(total, shares, &vec![0; shares.len()])
}

/// The same, where `reserved[i]` is what fixed panes nested inside child
/// `i` need along the split's direction (see [`need`]). Zellij sets those
/// cells aside before sharing out percents, then gives them back to the
/// child that holds them: `size=20`, a column holding a `size=7` pane, and
/// `15%` on 101 columns are 20, 70 and 11 (15% of 101 - 20 - 7).
pub fn split_reserving(total: u16, shares: &[Share], reserved: &[u16]) -> Vec<u16> {
    let n = shares.len();
    if n == 0 {
        return Vec::new();
    }
    let mut out = vec![0i64; n];
    let mut left = i64::from(total);
    for (i, s) in shares.iter().enumerate() {
        if let Share::Fixed(f) = s {
            out[i] = i64::from(*f).min(left.max(0));
            left -= out[i];
        }
    }
    let reserve =
        |i: usize| if matches!(shares[i], Share::Fixed(_)) { 0 } else { i64::from(*reserved.get(i).unwrap_or(&0)) };
    let held: i64 = (0..n).map(reserve).sum();
    let rest = (left - held).max(0) as f64;
    let percents: f64 = shares.iter().map(|s| if let Share::Percent(p) = s { p.clamp(0.0, 100.0) } else { 0.0 }).sum();
    let flexible = shares.iter().filter(|s| **s == Share::Flexible).count().max(1) as f64;
    let flexible_percent = (100.0 - percents).max(0.0) / flexible;
    for (i, s) in shares.iter().enumerate() {
        let percent = match s {
            Share::Fixed(_) => continue,
            Share::Percent(p) => p.clamp(0.0, 100.0),
            Share::Flexible => flexible_percent,
        };
        out[i] = (rest * percent / 100.0).round() as i64 + reserve(i);
    }
    let movable: Vec<usize> = (0..n).filter(|&i| !matches!(shares[i], Share::Fixed(_))).collect();
    // All fixed: the last child takes up the slack.
    let movable = if movable.is_empty() { vec![n - 1] } else { movable };
    let mut diff = i64::from(total) - out.iter().sum::<i64>();
    while diff > 0 {
        let smallest = movable.iter().copied().min_by_key(|&i| (out[i], i)).unwrap_or(n - 1);
        out[smallest] += 1;
        diff -= 1;
    }
    while diff < 0 {
        let Some(largest) = movable.iter().copied().filter(|&i| out[i] > 0).max_by_key(|&i| (out[i], i)) else { break };
        out[largest] -= 1;
        diff += 1;
    }
    out.into_iter().map(|e| e.clamp(0, i64::from(u16::MAX)) as u16).collect()
}

/// A node's children, each with its own fixed size along the split.
pub type Children<T> = fn(&T) -> Vec<(&T, Option<u16>)>;

/// What the fixed panes inside a node need along one direction, for a tree
/// whose nodes say how they split (`along`: whether the node's children lie
/// along that direction), and give each child's own fixed size along it.
/// Children in a line add up; children side by side need the most of any.
pub fn need<T>(node: &T, children: Children<T>, along: &impl Fn(&T) -> bool) -> u16 {
    let kids = children(node);
    if along(node) {
        kids.iter()
            .map(|(child, fixed)| fixed.unwrap_or_else(|| need(*child, children, along)))
            .fold(0, u16::saturating_add)
    } else {
        kids.iter().map(|(child, _)| need(*child, children, along)).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::Share::*;
    use super::*;

    #[test]
    fn matches_what_zellij_does() {
        // Figures read off Zellij 0.45.1.
        assert_eq!(split(101, &[Flexible, Flexible]), [51, 50]);
        assert_eq!(split(37, &[Flexible, Flexible, Flexible]), [13, 12, 12]);
        assert_eq!(split(11, &[Flexible, Flexible, Flexible]), [4, 4, 3]);
        assert_eq!(split(101, &[Percent(33.0), Percent(33.0), Percent(34.0)]), [34, 33, 34]);
        assert_eq!(split(31, &[Percent(33.0), Percent(33.0), Percent(34.0)]), [10, 10, 11]);
        assert_eq!(split(57, &[Percent(10.0), Percent(45.0), Percent(45.0)]), [6, 26, 25]);
        assert_eq!(split(120, &[Percent(33.0), Percent(33.0), Percent(34.0)]), [40, 40, 40]);
        assert_eq!(split(101, &[Percent(30.0), Flexible, Fixed(17), Flexible]), [26, 29, 17, 29]);
        assert_eq!(split(37, &[Fixed(3), Flexible, Percent(25.0)]), [3, 25, 9]);
        assert_eq!(split(40, &[Fixed(1), Flexible, Percent(20.0)]), [1, 31, 8]);
        assert_eq!(split(101, &[Percent(60.0), Flexible]), [61, 40]);
        assert_eq!(split(120, &[Fixed(1), Flexible, Percent(50.0)]), [1, 60, 59]);
        assert_eq!(split(41, &[Fixed(3), Flexible, Percent(25.0)]), [3, 28, 10]);
        assert_eq!(split(80, &[Percent(33.0), Percent(33.0), Percent(34.0)]), [27, 26, 27]);
        let nested = [Fixed(20), Flexible, Percent(15.0)];
        assert_eq!(split_reserving(101, &nested, &[0, 7, 0]), [20, 70, 11]);
        assert_eq!(split_reserving(57, &nested, &[0, 7, 0]), [20, 32, 5]);
    }

    #[test]
    fn always_sums_to_the_total() {
        for total in [0u16, 1, 2, 7, 31, 100, 257] {
            for shares in [
                vec![Fixed(50), Fixed(60)],
                vec![Percent(70.0), Percent(70.0), Flexible],
                vec![Fixed(3)],
                vec![Percent(0.0), Percent(0.0)],
                vec![Fixed(5), Percent(33.3), Flexible, Percent(12.5)],
            ] {
                let out = split(total, &shares);
                assert_eq!(out.iter().map(|&e| u32::from(e)).sum::<u32>(), u32::from(total), "{total} {shares:?}");
            }
        }
    }
}
