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

impl From<revenant_config::Dir4> for Towards {
    fn from(d: revenant_config::Dir4) -> Towards {
        use revenant_config::Dir4;
        match d {
            Dir4::Left => Towards::Left,
            Dir4::Right => Towards::Right,
            Dir4::Up => Towards::Up,
            Dir4::Down => Towards::Down,
        }
    }
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

    /// All pane ids in tree order (the order of [`Tile::layout`]).
    pub fn panes(&self) -> Vec<PaneId> {
        let mut out = Vec::new();
        self.panes_into(&mut out);
        out
    }

    fn panes_into(&self, out: &mut Vec<PaneId>) {
        match self {
            Tile::Pane(id) => out.push(*id),
            Tile::Stack(stack) => out.extend_from_slice(&stack.panes),
            Tile::Split { children, .. } => children.iter().for_each(|c| c.tile.panes_into(out)),
        }
    }

    /// The first pane in tree order that is not hidden in a stack: what
    /// has the focus when nothing was focused yet.
    pub fn first_shown(&self) -> Option<PaneId> {
        match self {
            Tile::Pane(id) => Some(*id),
            Tile::Stack(stack) => (!stack.panes.is_empty()).then(|| stack.expanded_pane()),
            Tile::Split { children, .. } => children.iter().find_map(|c| c.tile.first_shown()),
        }
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

    /// The pane that takes `target`'s place when it is removed, and so its
    /// focus: in a stack, the member that opens; else the pane of the
    /// sibling that gets its space nearest to it (the pane it was split
    /// from, when it was the last child).
    pub fn heir(&self, target: PaneId) -> Option<PaneId> {
        match self {
            Tile::Pane(_) => None,
            Tile::Stack(_) => {
                let mut rest = self.clone();
                rest.remove(target).then(|| rest.edge_pane(true))
            }
            Tile::Split { children, .. } => {
                let i = children.iter().position(|c| c.tile.contains(target))?;
                if children[i].tile != Tile::Pane(target) {
                    return children[i].tile.heir(target);
                }
                match children.get(i + 1) {
                    Some(next) => Some(next.tile.edge_pane(true)),
                    None => Some(children.get(i.checked_sub(1)?)?.tile.edge_pane(false)),
                }
            }
        }
    }

    /// The visible pane at the first (or last) end of this subtree.
    fn edge_pane(&self, first: bool) -> PaneId {
        match self {
            Tile::Pane(id) => *id,
            Tile::Stack(stack) => stack.expanded_pane(),
            Tile::Split { children, .. } => {
                let child = if first { children.first() } else { children.last() };
                child.expect("a split has children").tile.edge_pane(first)
            }
        }
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
mod tests;
