//! The tiled pane tree of a tab: nested splits with fixed, percent or
//! flexible sizes, laid out onto a rectangle, and edited by splitting,
//! closing and resizing panes.

pub type PaneId = u32;

/// A rectangle of terminal cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rect {
    pub x: u16,
    pub y: u16,
    pub w: u16,
    pub h: u16,
}

impl Rect {
    pub fn new(x: u16, y: u16, w: u16, h: u16) -> Self {
        Rect { x, y, w, h }
    }
    pub fn right(&self) -> u16 {
        self.x.saturating_add(self.w)
    }
    pub fn bottom(&self) -> u16 {
        self.y.saturating_add(self.h)
    }
    pub fn contains(&self, col: u16, row: u16) -> bool {
        col >= self.x && col < self.right() && row >= self.y && row < self.bottom()
    }
}

/// How a split lays out its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Children top to bottom (Zellij's `horizontal`).
    Horizontal,
    /// Children left to right (Zellij's `vertical`).
    Vertical,
}

/// A child's extent along its parent's direction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Size {
    Fixed(u16),
    Percent(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tile {
    Pane(PaneId),
    Split {
        dir: Direction,
        children: Vec<Child>,
    },
    /// Panes sharing one rectangle: the expanded one shows, under a list of
    /// every member's title (one row each); the others are hidden.
    Stack(Stack),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    /// Top to bottom; at least two.
    pub panes: Vec<PaneId>,
    /// Index into `panes`.
    pub expanded: usize,
}

impl Stack {
    pub fn expanded_pane(&self) -> PaneId {
        self.panes[self.expanded.min(self.panes.len() - 1)]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    /// `None`: share what fixed and percent siblings leave.
    pub size: Option<Size>,
    pub tile: Tile,
}

/// Which way to look or grow from a pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Towards {
    Left,
    Right,
    Up,
    Down,
}

impl Tile {
    /// Every pane's rectangle inside `area`, in tree order.
    pub fn layout(&self, area: Rect) -> Vec<(PaneId, Rect)> {
        let mut out = Vec::new();
        self.layout_into(area, &mut out);
        out
    }

    fn layout_into(&self, area: Rect, out: &mut Vec<(PaneId, Rect)>) {
        match self {
            Tile::Pane(id) => out.push((*id, area)),
            // As Zellij 0.45 draws a stack: one rectangle, the open pane's,
            // whose top rows list every member; the others are hidden in it.
            Tile::Stack(stack) => out.extend(stack.panes.iter().map(|id| (*id, area))),
            Tile::Split { dir, children } => {
                let total = match dir {
                    Direction::Vertical => area.w,
                    Direction::Horizontal => area.h,
                };
                let extents = distribute_children(*dir, total, children);
                let mut offset = 0u16;
                for (child, extent) in children.iter().zip(extents) {
                    let rect = match dir {
                        Direction::Vertical => Rect::new(area.x + offset, area.y, extent, area.h),
                        Direction::Horizontal => Rect::new(area.x, area.y + offset, area.w, extent),
                    };
                    offset += extent;
                    child.tile.layout_into(rect, out);
                }
            }
        }
    }

    /// All pane ids in tree order.
    pub fn panes(&self) -> Vec<PaneId> {
        self.layout(Rect::new(0, 0, 1000, 1000)).into_iter().map(|(id, _)| id).collect()
    }

    pub fn contains(&self, id: PaneId) -> bool {
        match self {
            Tile::Pane(p) => *p == id,
            Tile::Split { children, .. } => children.iter().any(|c| c.tile.contains(id)),
            Tile::Stack(stack) => stack.panes.contains(&id),
        }
    }

    /// The stack `id` sits in, if any.
    pub fn stack_of(&self, id: PaneId) -> Option<&Stack> {
        match self {
            Tile::Pane(_) => None,
            Tile::Stack(stack) => stack.panes.contains(&id).then_some(stack),
            Tile::Split { children, .. } => children.iter().find_map(|c| c.tile.stack_of(id)),
        }
    }

    fn stack_of_mut(&mut self, id: PaneId) -> Option<&mut Stack> {
        match self {
            Tile::Pane(_) => None,
            Tile::Stack(stack) => stack.panes.contains(&id).then_some(stack),
            Tile::Split { children, .. } => children.iter_mut().find_map(|c| c.tile.stack_of_mut(id)),
        }
    }

    /// Panes showing only their title row: every stack's panes but the
    /// expanded one.
    pub fn collapsed(&self) -> Vec<PaneId> {
        match self {
            Tile::Pane(_) => Vec::new(),
            Tile::Stack(stack) => stack.panes.iter().copied().filter(|p| *p != stack.expanded_pane()).collect(),
            Tile::Split { children, .. } => children.iter().flat_map(|c| c.tile.collapsed()).collect(),
        }
    }

    /// `a` and `b` change places (`move-pane`); false unless both are here.
    pub fn swap_panes(&mut self, a: PaneId, b: PaneId) -> bool {
        if a == b || !self.contains(a) || !self.contains(b) {
            return false;
        }
        self.rename_pane(|id| {
            if id == a {
                b
            } else if id == b {
                a
            } else {
                id
            }
        });
        true
    }

    /// Pane `to` takes `from`'s place.
    pub fn replace_id(&mut self, from: PaneId, to: PaneId) {
        self.rename_pane(|id| if id == from { to } else { id });
    }

    fn rename_pane(&mut self, f: impl Fn(PaneId) -> PaneId + Copy) {
        match self {
            Tile::Pane(p) => *p = f(*p),
            Tile::Stack(stack) => stack.panes.iter_mut().for_each(|p| *p = f(*p)),
            Tile::Split { children, .. } => children.iter_mut().for_each(|c| c.tile.rename_pane(f)),
        }
    }

    /// Expands `id` in its stack (focus moving onto a title row opens it).
    /// Returns whether anything changed.
    pub fn expand(&mut self, id: PaneId) -> bool {
        let Some(stack) = self.stack_of_mut(id) else { return false };
        let i = stack.panes.iter().position(|p| *p == id).expect("stack_of_mut found it");
        let changed = stack.expanded != i;
        stack.expanded = i;
        changed
    }

    /// Adds `new` to the stack of `target` right below it, expanded; a
    /// pane outside any stack becomes a stack of the two. False when
    /// `target` is not in the tree.
    pub fn stack_with(&mut self, target: PaneId, new: PaneId) -> bool {
        if let Some(stack) = self.stack_of_mut(target) {
            let i = stack.panes.iter().position(|p| *p == target).expect("in the stack");
            stack.panes.insert(i + 1, new);
            stack.expanded = i + 1;
            return true;
        }
        self.replace_pane(target, Tile::Stack(Stack { panes: vec![target, new], expanded: 1 }))
    }

    fn replace_pane(&mut self, target: PaneId, with: Tile) -> bool {
        match self {
            Tile::Pane(p) if *p == target => {
                *self = with;
                true
            }
            Tile::Pane(_) | Tile::Stack(_) => false,
            Tile::Split { children, .. } => {
                let Some(c) = children.iter_mut().find(|c| c.tile.contains(target)) else { return false };
                c.tile.replace_pane(target, with)
            }
        }
    }

    /// Splits `target` in `dir`, putting `new` after it with half its space.
    /// A pane in a stack is split as the whole stack is.
    pub fn split(&mut self, target: PaneId, dir: Direction, new: PaneId) -> bool {
        let whole = match self.stack_of(target) {
            Some(stack) => Tile::Stack(stack.clone()),
            None => Tile::Pane(target),
        };
        self.split_tile(&whole, dir, new)
    }

    /// Splits the subtree `target` (a pane, or a whole stack).
    fn split_tile(&mut self, target: &Tile, dir: Direction, new: PaneId) -> bool {
        // Same-direction parent: insert a sibling, halving the target's share.
        if let Tile::Split { dir: d, children } = self
            && *d == dir
            && let Some(i) = children.iter().position(|c| c.tile == *target)
        {
            let (a, b) = halve(children[i].size, children.len());
            children[i].size = a;
            children.insert(i + 1, Child { size: b, tile: Tile::Pane(new) });
            return true;
        }
        if self == target {
            let old = std::mem::replace(self, Tile::Pane(new));
            *self = Tile::Split {
                dir,
                children: vec![
                    Child { size: Some(Size::Percent(50.0)), tile: old },
                    Child { size: Some(Size::Percent(50.0)), tile: Tile::Pane(new) },
                ],
            };
            return true;
        }
        match self {
            Tile::Split { children, .. } => children.iter_mut().any(|c| c.tile.split_tile(target, dir, new)),
            _ => false,
        }
    }

    /// Removes `target`; its space goes to the next sibling (or the previous
    /// one when it was last). Returns false when `target` is the only pane.
    pub fn remove(&mut self, target: PaneId) -> bool {
        if let Tile::Stack(stack) = self {
            let Some(i) = stack.panes.iter().position(|p| *p == target) else { return false };
            stack.panes.remove(i);
            // The pane below the closed one opens (the one above at the end).
            if stack.expanded > i || stack.expanded >= stack.panes.len() {
                stack.expanded = stack.expanded.saturating_sub(1);
            }
            if stack.panes.len() == 1 {
                *self = Tile::Pane(stack.panes[0]);
            }
            return true;
        }
        let Tile::Split { children, .. } = self else { return false };
        if let Some(i) = children.iter().position(|c| c.tile == Tile::Pane(target)) {
            let freed = children.remove(i).size;
            let heir = if i < children.len() { i } else { i - 1 };
            children[heir].size = merge(children[heir].size, freed);
            if children.len() == 1 {
                *self = children.pop().expect("one child left").tile;
            }
            return true;
        }
        for child in children.iter_mut() {
            if child.tile.remove(target) {
                return true;
            }
        }
        false
    }

    /// Moves the edge of `target` that faces `towards` by `percent` of the
    /// enclosing split, growing `target` and shrinking its neighbour. Works on
    /// the nearest ancestor split along that axis that has a neighbour there.
    pub fn resize(&mut self, target: PaneId, towards: Towards, percent: f64) -> bool {
        let Tile::Split { dir, children } = self else { return false };
        let Some(i) = children.iter().position(|c| c.tile.contains(target)) else { return false };
        if children[i].tile.resize(target, towards, percent) {
            return true;
        }
        let axis_matches = matches!(
            (dir, towards),
            (Direction::Vertical, Towards::Left | Towards::Right)
                | (Direction::Horizontal, Towards::Up | Towards::Down)
        );
        let neighbour = match towards {
            Towards::Right | Towards::Down => i + 1,
            Towards::Left | Towards::Up => match i.checked_sub(1) {
                Some(n) => n,
                None => return false,
            },
        };
        if !axis_matches || neighbour >= children.len() {
            return false;
        }
        // Work in percents: fixed and flexible sizes become their current
        // share so the move is proportional.
        let n = children.len();
        let shares: Vec<f64> = children.iter().map(|c| percent_of(c.size, n)).collect();
        let movable = (shares[neighbour] - 5.0).max(0.0);
        let delta = if percent >= 0.0 { percent.min(movable) } else { percent.max(-(shares[i] - 5.0).max(0.0)) };
        if delta == 0.0 {
            return false;
        }
        for (c, s) in children.iter_mut().zip(&shares) {
            c.size = Some(Size::Percent(*s));
        }
        children[i].size = Some(Size::Percent(shares[i] + delta));
        children[neighbour].size = Some(Size::Percent(shares[neighbour] - delta));
        true
    }
}

/// The pane whose rectangle lies next to `from` towards `towards`, with the
/// largest shared edge (ties: the one nearest the top/left).
pub fn neighbour(rects: &[(PaneId, Rect)], from: PaneId, towards: Towards) -> Option<PaneId> {
    let r = rects.iter().find(|(id, _)| *id == from)?.1;
    let overlap = |a0: u16, a1: u16, b0: u16, b1: u16| a1.min(b1).saturating_sub(a0.max(b0));
    rects
        .iter()
        .filter(|(id, _)| *id != from)
        .filter_map(|(id, o)| {
            let shared = match towards {
                Towards::Right if o.x == r.right() => overlap(r.y, r.bottom(), o.y, o.bottom()),
                Towards::Left if o.right() == r.x => overlap(r.y, r.bottom(), o.y, o.bottom()),
                Towards::Down if o.y == r.bottom() => overlap(r.x, r.right(), o.x, o.right()),
                Towards::Up if o.bottom() == r.y => overlap(r.x, r.right(), o.x, o.right()),
                _ => 0,
            };
            (shared > 0).then_some((shared, std::cmp::Reverse((o.y, o.x)), *id))
        })
        .max()
        .map(|(_, _, id)| id)
}

/// Splits `total` cells among children as Zellij does (fixed first, then
/// percents of what the fixed ones leave, then flexible children share the
/// rest; see [`revenant_layout::split`]), so a layout opens on the same cells
/// in both. The extents always sum to `total`.
pub fn distribute(total: u16, sizes: &[Option<Size>]) -> Vec<u16> {
    revenant_layout::split::split(total, &shares(sizes.iter().copied()))
}

fn shares(sizes: impl Iterator<Item = Option<Size>>) -> Vec<revenant_layout::split::Share> {
    use revenant_layout::split::Share;
    sizes
        .map(|s| match s {
            Some(Size::Fixed(f)) => Share::Fixed(f),
            Some(Size::Percent(p)) => Share::Percent(p),
            None => Share::Flexible,
        })
        .collect()
}

/// [`distribute`], with the cells that fixed panes nested in each child
/// need along `dir` set aside first, as Zellij does.
fn distribute_children(dir: Direction, total: u16, children: &[Child]) -> Vec<u16> {
    use revenant_layout::split::{need, split_reserving};
    let shares = shares(children.iter().map(|c| c.size));
    fn kids(t: &Tile) -> Vec<(&Tile, Option<u16>)> {
        match t {
            Tile::Pane(_) | Tile::Stack(_) => Vec::new(),
            Tile::Split { children, .. } => children
                .iter()
                .map(|c| (&c.tile, if let Some(Size::Fixed(f)) = c.size { Some(f) } else { None }))
                .collect(),
        }
    }
    let along = |t: &Tile| matches!(t, Tile::Split { dir: d, .. } if *d == dir);
    let reserved: Vec<u16> = children.iter().map(|c| need(&c.tile, kids, &along)).collect();
    split_reserving(total, &shares, &reserved)
}

fn halve(size: Option<Size>, siblings: usize) -> (Option<Size>, Option<Size>) {
    match size {
        Some(Size::Fixed(f)) => (Some(Size::Fixed(f - f / 2)), Some(Size::Fixed(f / 2))),
        other => {
            let p = percent_of(other, siblings) / 2.0;
            (Some(Size::Percent(p)), Some(Size::Percent(p)))
        }
    }
}

fn merge(heir: Option<Size>, freed: Option<Size>) -> Option<Size> {
    match (heir, freed) {
        (Some(Size::Percent(a)), Some(Size::Percent(b))) => Some(Size::Percent(a + b)),
        (Some(Size::Fixed(a)), Some(Size::Fixed(b))) => Some(Size::Fixed(a.saturating_add(b))),
        // Mixed kinds: let the heir flex into whatever is left.
        _ => None,
    }
}

fn percent_of(size: Option<Size>, siblings: usize) -> f64 {
    match size {
        Some(Size::Percent(p)) => p,
        _ => 100.0 / siblings.max(1) as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area() -> Rect {
        Rect::new(0, 0, 100, 40)
    }

    #[test]
    fn distribute_fills_exactly() {
        // Zellij's rounding: spare cells go to the first children.
        assert_eq!(distribute(100, &[None, None, None]), vec![34, 33, 33]);
        assert_eq!(distribute(10, &[Some(Size::Fixed(3)), None]), vec![3, 7]);
        assert_eq!(distribute(81, &[Some(Size::Percent(50.0)), Some(Size::Percent(50.0))]), vec![41, 40]);
        assert_eq!(distribute(5, &[Some(Size::Fixed(8)), None]), vec![5, 0]);
        // Percents are shares of what fixed siblings leave.
        let bars = [Some(Size::Fixed(1)), Some(Size::Percent(70.0)), Some(Size::Percent(30.0)), Some(Size::Fixed(2))];
        assert_eq!(distribute(33, &bars), vec![1, 21, 9, 2]);
        assert_eq!(distribute(0, &[None]), vec![0]);
    }

    #[test]
    fn split_right_then_down_nests() {
        let mut t = Tile::Pane(1);
        assert!(t.split(1, Direction::Vertical, 2));
        assert!(t.split(2, Direction::Horizontal, 3));
        let rects = t.layout(area());
        assert_eq!(
            rects,
            vec![(1, Rect::new(0, 0, 50, 40)), (2, Rect::new(50, 0, 50, 20)), (3, Rect::new(50, 20, 50, 20))]
        );
        // A second right split of 1 inserts a sibling and halves 1's share.
        assert!(t.split(1, Direction::Vertical, 4));
        let rects = t.layout(area());
        assert_eq!(rects[0], (1, Rect::new(0, 0, 25, 40)));
        assert_eq!(rects[1], (4, Rect::new(25, 0, 25, 40)));
    }

    #[test]
    fn closing_gives_space_to_a_neighbour_and_collapses() {
        let mut t = Tile::Pane(1);
        t.split(1, Direction::Vertical, 2);
        t.split(2, Direction::Horizontal, 3);
        assert!(t.remove(3));
        assert_eq!(t.layout(area()), vec![(1, Rect::new(0, 0, 50, 40)), (2, Rect::new(50, 0, 50, 40))]);
        assert!(t.remove(1));
        assert_eq!(t, Tile::Pane(2));
        assert!(!t.remove(2), "the last pane is not removed by the tree");
    }

    #[test]
    fn neighbours_by_direction() {
        let mut t = Tile::Pane(1);
        t.split(1, Direction::Vertical, 2);
        t.split(2, Direction::Horizontal, 3);
        let rects = t.layout(area());
        assert_eq!(neighbour(&rects, 1, Towards::Right), Some(2));
        assert_eq!(neighbour(&rects, 3, Towards::Left), Some(1));
        assert_eq!(neighbour(&rects, 2, Towards::Down), Some(3));
        assert_eq!(neighbour(&rects, 3, Towards::Up), Some(2));
        assert_eq!(neighbour(&rects, 1, Towards::Left), None);
    }

    #[test]
    fn resize_moves_the_shared_edge() {
        let mut t = Tile::Pane(1);
        t.split(1, Direction::Vertical, 2);
        assert!(t.resize(1, Towards::Right, 10.0));
        assert_eq!(t.layout(area())[0].1.w, 60);
        assert!(t.resize(2, Towards::Left, 20.0));
        assert_eq!(t.layout(area())[0].1.w, 40);
        assert!(!t.resize(1, Towards::Up, 10.0), "no neighbour up there");
        // Never shrinks a neighbour below 5 %.
        t.resize(1, Towards::Right, 90.0);
        assert_eq!(t.layout(area())[1].1.w, 5);
    }

    fn stack_of_three() -> Tile {
        Tile::Split {
            dir: Direction::Vertical,
            children: vec![
                Child { size: None, tile: Tile::Pane(1) },
                Child { size: None, tile: Tile::Stack(Stack { panes: vec![2, 3, 4], expanded: 1 }) },
            ],
        }
    }

    #[test]
    fn a_stacks_panes_share_its_rectangle_and_one_shows() {
        let t = stack_of_three();
        assert_eq!(
            t.layout(area()),
            vec![
                (1, Rect::new(0, 0, 50, 40)),
                (2, Rect::new(50, 0, 50, 40)),
                (3, Rect::new(50, 0, 50, 40)),
                (4, Rect::new(50, 0, 50, 40)),
            ]
        );
        assert_eq!(t.collapsed(), vec![2, 4]);
        assert_eq!(t.stack_of(3).map(Stack::expanded_pane), Some(3));
        assert_eq!(t.stack_of(1), None);
    }

    #[test]
    fn focus_expands() {
        let mut t = stack_of_three();
        assert!(t.expand(4));
        assert!(!t.expand(4), "already expanded");
        assert_eq!(t.collapsed(), vec![2, 3]);
        assert!(!t.expand(1), "not in a stack");
    }

    #[test]
    fn new_panes_join_a_stack_and_closing_collapses_it() {
        let mut t = stack_of_three();
        assert!(t.stack_with(3, 5));
        assert_eq!(t.stack_of(5).map(|s| (s.panes.clone(), s.expanded_pane())), Some((vec![2, 3, 5, 4], 5)));
        // Closing the expanded pane opens the one below it.
        assert!(t.remove(5));
        assert_eq!(t.stack_of(4).map(Stack::expanded_pane), Some(4));
        assert!(t.remove(4));
        assert_eq!(t.stack_of(3).map(Stack::expanded_pane), Some(3));
        assert!(t.remove(2));
        assert_eq!(t.stack_of(3), None, "one pane left is a plain pane");
        assert_eq!(t.panes(), vec![1, 3]);
        // A plain pane stacked with a new one becomes a stack of the two.
        assert!(t.stack_with(1, 6));
        assert_eq!(t.collapsed(), vec![1]);
    }

    #[test]
    fn splitting_a_stacked_pane_splits_the_whole_stack() {
        let mut t = stack_of_three();
        assert!(t.split(3, Direction::Horizontal, 7));
        let rects = t.layout(area());
        assert_eq!(rects.iter().find(|(id, _)| *id == 7).map(|(_, r)| *r), Some(Rect::new(50, 20, 50, 20)));
        assert_eq!(rects.iter().find(|(id, _)| *id == 2).map(|(_, r)| *r), Some(Rect::new(50, 0, 50, 20)));
        assert_eq!(t.stack_of(2).map(|s| s.panes.clone()), Some(vec![2, 3, 4]));
        assert!(t.split(1, Direction::Vertical, 8), "a same-direction sibling of the stack's column");
    }
}
