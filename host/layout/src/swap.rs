//! Swap layouts: other arrangements of a tab's panes, each a list of
//! steps chosen by how many panes the tab has.

use crate::{FloatingLayout, PaneNode};

/// Which pane counts a step is for (Zellij's `max_panes`, `min_panes`,
/// `exact_panes`; none: any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    Any,
    Max(u16),
    Min(u16),
    Exact(u16),
}

impl Constraint {
    pub fn fits(self, panes: usize) -> bool {
        match self {
            Constraint::Any => true,
            Constraint::Max(n) => panes <= usize::from(n),
            Constraint::Min(n) => panes >= usize::from(n),
            Constraint::Exact(n) => panes == usize::from(n),
        }
    }
}

/// A `swap_tiled_layout`: its steps in file order; the first that fits
/// the tab's number of tiled panes arranges them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwapTiled {
    pub name: Option<String>,
    pub steps: Vec<(Constraint, PaneNode)>,
}

/// A `swap_floating_layout`: where the floating panes go, by count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwapFloating {
    pub name: Option<String>,
    pub steps: Vec<(Constraint, Vec<FloatingLayout>)>,
}

impl Constraint {
    /// Zellij keeps a swap layout's steps in a map ordered by constraint:
    /// every `max_panes` (smallest first), then `min_panes`, then
    /// `exact_panes`, then the step without one, whatever the file's order;
    /// of two steps with the same constraint the later one is kept.
    fn order(self) -> (u8, u16) {
        match self {
            Constraint::Max(n) => (0, n),
            Constraint::Min(n) => (1, n),
            Constraint::Exact(n) => (2, n),
            Constraint::Any => (3, 0),
        }
    }
}

fn first_fit<T>(steps: &[(Constraint, T)], panes: usize) -> Option<&T> {
    let mut best: Option<((u8, u16), &T)> = None;
    for (c, step) in steps {
        if c.fits(panes) && best.as_ref().is_none_or(|(b, _)| c.order() <= *b) {
            best = Some((c.order(), step));
        }
    }
    best.map(|(_, s)| s)
}

impl SwapTiled {
    /// The arrangement for `panes` tiled panes, if a step fits.
    pub fn step_for(&self, panes: usize) -> Option<&PaneNode> {
        first_fit(&self.steps, panes)
    }
}

impl SwapFloating {
    pub fn step_for(&self, panes: usize) -> Option<&[FloatingLayout]> {
        first_fit(&self.steps, panes).map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_tried_in_zellijs_order() {
        let leaf = |n: &str| PaneNode {
            pane: Some(crate::PaneSpec { name: Some(n.into()), ..Default::default() }),
            ..PaneNode::default()
        };
        let s = SwapTiled {
            name: None,
            steps: vec![
                (Constraint::Any, leaf("any")),
                (Constraint::Min(3), leaf("min3")),
                (Constraint::Max(8), leaf("max8")),
                (Constraint::Max(4), leaf("max4")),
                (Constraint::Exact(6), leaf("exact6")),
            ],
        };
        let name = |n: usize| s.step_for(n).and_then(|p| p.pane.as_ref()?.name.clone());
        assert_eq!(name(2).as_deref(), Some("max4"));
        assert_eq!(name(6).as_deref(), Some("max8"), "max before exact");
        assert_eq!(name(9).as_deref(), Some("min3"));
        let only_exact = SwapTiled { name: None, steps: vec![(Constraint::Exact(2), leaf("e"))] };
        assert!(only_exact.step_for(3).is_none());
    }
}
