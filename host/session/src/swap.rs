//! Arranging a tab's panes in the shape of a swap layout's step: the
//! step's panes are filled in order, the rest go where its `children`
//! node is, and what the step has no pane for is left out.

use revenant_layout::{PaneNode, Size as LSize, SplitDirection as LDir};

use crate::bars::BarKind;
use crate::pane::PaneIo;
use crate::session::Session;
use crate::tiling::{Child, Direction, PaneId, Rect, Size, Stack, Tile};

/// Where a tab's tiled panes get their arrangement, in the order Alt-]
/// walks: its own layout (Zellij's BASE, which only fits the number of
/// panes it had), then the session's swap layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Base,
    Swap(usize),
}

impl<Io: PaneIo> Session<Io> {
    /// Zellij counts the bars among a tab's tiled panes (they are plugin
    /// panes there): `max_panes=5` in its default swap layouts means three
    /// terminals between the tab bar and the status bar.
    fn tiled_count(&self, t: usize) -> usize {
        self.tabs[t].tiled.panes().len() + self.bar_count()
    }

    fn bar_count(&self) -> usize {
        usize::from(self.bars.top.is_some()) + usize::from(self.bars.bottom.is_some())
    }

    fn tiled_step(&self, t: usize, entry: Entry) -> Option<PaneNode> {
        let count = self.tiled_count(t);
        match entry {
            // BASE fits its own number of panes only.
            Entry::Base => {
                let base = self.tabs[t].base.as_ref()?;
                (place_count(base) + self.bar_count() == count).then(|| base.clone())
            }
            // A step of bars alone has no place for a pane.
            Entry::Swap(i) => {
                let step = self.swap_tiled.get(i)?.step_for(count)?;
                (place_count(step) > 0).then(|| step.clone())
            }
        }
    }

    fn entries(&self) -> Vec<Entry> {
        std::iter::once(Entry::Base).chain((0..self.swap_tiled.len()).map(Entry::Swap)).collect()
    }

    fn current(&self, t: usize) -> Entry {
        self.tabs[t].swap.map_or(Entry::Base, Entry::Swap)
    }

    /// Alt-] (`step` 1) and Alt-[ (-1) in tab `t`: the next (previous)
    /// arrangement, round again, that fits the tab's panes; the floating
    /// ones while floating panes are shown. After a change by hand the
    /// first press puts the current one back. Says which one is in use
    /// now. `focused`: the panes views have the keyboard on, kept in sight.
    pub fn step_swap_layout(
        &mut self,
        t: usize,
        step: isize,
        area: Rect,
        focused: &[PaneId],
    ) -> Result<String, String> {
        let tab = self.tabs.get(t).ok_or("the session has no tabs")?;
        if tab.floating_visible && !tab.floating.is_empty() && !self.swap_floating.is_empty() {
            return self.step_swap_floating(t, step, area);
        }
        if self.swap_tiled.is_empty() {
            return Err("this session has no swap layouts (its layout gives none)".into());
        }
        let entries = self.entries();
        let current = self.current(t);
        let at = entries.iter().position(|e| *e == current).unwrap_or(0) as isize;
        let n = entries.len() as isize;
        // Dirty: try the current one first.
        let first = if self.tabs[t].swap_dirty { 0 } else { 1 };
        let next = (first..=n)
            .map(|k| entries[(at + step * k).rem_euclid(n) as usize])
            .find(|&e| self.tiled_step(t, e).is_some())
            .ok_or_else(|| format!("no swap layout has a place for {} panes", self.tiled_count(t)))?;
        self.apply_tiled(t, next, focused);
        Ok(self.swap_name(t).unwrap_or_default() + "\n")
    }

    fn step_swap_floating(&mut self, t: usize, step: isize, area: Rect) -> Result<String, String> {
        let count = self.tabs[t].floating.len();
        let n = self.swap_floating.len() as isize;
        let at = self.tabs[t].swap_floating.map_or(-1, |i| i as isize);
        let at = if at < 0 && step < 0 { n } else { at };
        let next = (1..=n)
            .map(|k| (at + step * k).rem_euclid(n) as usize)
            .find(|&i| self.swap_floating[i].step_for(count).is_some())
            .ok_or_else(|| format!("no floating swap layout has a place for {count} panes"))?;
        self.apply_swap_floating(t, next, area);
        Ok(self.swap_name(t).unwrap_or_default() + "\n")
    }

    /// After panes opened or closed in tab `t`: the current arrangement,
    /// else the next that fits (round again), arranges them again, as in
    /// Zellij. Nothing fitting, or a change by hand, leaves them be.
    pub fn reapply_swap(&mut self, t: usize, area: Rect, focused: &[PaneId]) {
        if t >= self.tabs.len() {
            return;
        }
        if !self.tabs[t].swap_dirty && !self.swap_tiled.is_empty() {
            let entries = self.entries();
            let at = entries.iter().position(|e| *e == self.current(t)).unwrap_or(0);
            let n = entries.len();
            match (0..n).map(|k| entries[(at + k) % n]).find(|&e| self.tiled_step(t, e).is_some()) {
                Some(e) => self.apply_tiled(t, e, focused),
                // As Zellij: nothing fits, the arrangement is left as it is.
                None => self.tabs[t].swap_dirty = true,
            }
        }
        let tab = &self.tabs[t];
        if let Some(i) = tab.swap_floating
            && self.swap_floating[i].step_for(tab.floating.len()).is_some()
        {
            self.apply_swap_floating(t, i, area);
        }
    }

    fn apply_tiled(&mut self, t: usize, entry: Entry, focused: &[PaneId]) {
        let Some(step) = self.tiled_step(t, entry) else { return };
        let tab = &mut self.tabs[t];
        let panes = tab.tiled.panes();
        tab.tiled = arrange(&step, &panes);
        tab.swap = match entry {
            Entry::Base => None,
            Entry::Swap(i) => Some(i),
        };
        tab.swap_dirty = false;
        tab.fullscreen = None;
        // The pane with the keyboard stays in sight.
        for id in focused {
            tab.tiled.expand(*id);
        }
        self.relayout_wanted = true;
    }

    fn apply_swap_floating(&mut self, t: usize, i: usize, area: Rect) {
        let tab = &mut self.tabs[t];
        let Some(step) = self.swap_floating[i].step_for(tab.floating.len()) else { return };
        // The step's places go to the floating panes in order; panes past
        // its last place stay where they are.
        for (f, place) in tab.floating.iter_mut().zip(step) {
            let (x, y, w, h) = place.place_at((area.x, area.y), area.w, area.h);
            f.rect = Rect::new(x, y, w, h);
        }
        tab.swap_floating = Some(i);
        self.relayout_wanted = true;
    }

    /// What the tab bar shows for tab `t`: the floating swap layout while
    /// floating panes are shown, else the tiled one (`BASE` for the tab's
    /// own layout); nothing for a tab of one pane or a session without swap
    /// layouts. Unnamed ones are `Layout #N`, counting BASE as #1.
    pub fn swap_name(&self, t: usize) -> Option<String> {
        let tab = self.tabs.get(t)?;
        if tab.floating_visible && !tab.floating.is_empty() && !self.swap_floating.is_empty() {
            let i = tab.swap_floating?;
            return Some(self.swap_floating[i].name.clone().unwrap_or_else(|| format!("Layout #{}", i + 1)));
        }
        if self.swap_tiled.is_empty() || tab.tiled.panes().len() <= 1 {
            return None;
        }
        Some(match tab.swap {
            None => "BASE".to_owned(),
            Some(i) => self.swap_tiled[i].name.clone().unwrap_or_else(|| format!("Layout #{}", i + 2)),
        })
    }

    /// Whether tab `t`'s panes were arranged by hand since its swap
    /// layout was applied.
    pub fn swap_dirty(&self, t: usize) -> bool {
        self.tabs.get(t).is_some_and(|tab| tab.swap_dirty)
    }
}

/// `panes` (in tree order) in the shape of `step`, as Zellij fills one:
/// the step's places (its panes, and its `children` node as one place) are
/// taken breadth first; `children` takes the panes beyond the step's own
/// places; a step with more places than panes loses the deepest, last ones.
pub fn arrange(step: &PaneNode, panes: &[PaneId]) -> Tile {
    let mut places = Vec::new();
    collect_places(step, 0, &mut places);
    let mut order: Vec<usize> = (0..places.len()).collect();
    order.sort_by_key(|&i| places[i].0);
    let slot = places.iter().position(|&(_, children)| children);
    let mut assigned = vec![Vec::new(); places.len()];
    let mut next = 0;
    for &i in &order {
        let left = panes.len() - next;
        if left == 0 {
            break;
        }
        let take = if Some(i) == slot { (panes.len() + 1).saturating_sub(places.len()).clamp(1, left) } else { 1 };
        assigned[i] = panes[next..next + take].to_vec();
        next += take;
    }
    let rest = &panes[next..];
    let mut fill = Fill { assigned: assigned.into_iter() };
    let mut children = fill.node(step);
    let root = match children.len() {
        0 => Tile::Pane(panes[0]),
        1 => children.pop().expect("one").tile,
        _ => Tile::Split { dir: direction(step.split), children },
    };
    if rest.is_empty() {
        return root;
    }
    // No `children` node: the panes the step has no place for follow the
    // others along the root's direction.
    let mut out = match root {
        Tile::Split { dir, children } if dir == direction(step.split) => children,
        other => vec![Child { size: None, tile: other }],
    };
    out.extend(rest.iter().map(|&id| Child { size: None, tile: Tile::Pane(id) }));
    Tile::Split { dir: direction(step.split), children: out }
}

fn place_count(step: &PaneNode) -> usize {
    let mut places = Vec::new();
    collect_places(step, 0, &mut places);
    places.len()
}

/// The step's places in tree order: `(depth, is the children node)` for
/// every leaf but the bars.
fn collect_places(node: &PaneNode, depth: usize, out: &mut Vec<(usize, bool)>) {
    if node.is_leaf() {
        if !is_bar(node) {
            out.push((depth, is_children(node)));
        }
        return;
    }
    for child in &node.children {
        collect_places(child, depth + 1, out);
    }
}

fn is_bar(node: &PaneNode) -> bool {
    node.pane.as_ref().and_then(|p| p.plugin.as_ref()).is_some_and(|p| BarKind::from_location(&p.location).is_some())
}

fn is_children(node: &PaneNode) -> bool {
    node.pane.as_ref().is_some_and(|p| p.children_slot)
}

fn direction(d: LDir) -> Direction {
    match d {
        LDir::Horizontal => Direction::Horizontal,
        LDir::Vertical => Direction::Vertical,
    }
}

fn size(s: Option<LSize>) -> Option<Size> {
    s.map(|s| match s {
        LSize::Fixed(n) => Size::Fixed(n),
        LSize::Percent(p) => Size::Percent(f64::from(p)),
    })
}

/// The panes each place got, handed out as the tree is walked in order.
struct Fill {
    assigned: std::vec::IntoIter<Vec<PaneId>>,
}

impl Fill {
    /// What `node` becomes, as children of its parent: none (nothing left
    /// to show there), one, or several (a `children` node).
    fn node(&mut self, node: &PaneNode) -> Vec<Child> {
        if node.is_leaf() {
            if is_bar(node) {
                return Vec::new();
            }
            let got = self.assigned.next().unwrap_or_default();
            if is_children(node) {
                return got.into_iter().map(|id| Child { size: None, tile: Tile::Pane(id) }).collect();
            }
            return got.into_iter().map(|id| Child { size: size(node.size), tile: Tile::Pane(id) }).collect();
        }
        if node.stacked {
            return self.stack(node);
        }
        let mut children: Vec<Child> = node.children.iter().flat_map(|c| self.node(c)).collect();
        match children.len() {
            0 => Vec::new(),
            // A split left with one child is that child, in the split's place.
            1 => {
                let only = children.pop().expect("one");
                vec![Child { size: size(node.size), tile: only.tile }]
            }
            _ => vec![Child { size: size(node.size), tile: Tile::Split { dir: direction(node.split), children } }],
        }
    }

    /// A stacked node: every pane it gets, `children` included, in one
    /// stack, open at the pane marked `expanded` (else the last).
    fn stack(&mut self, node: &PaneNode) -> Vec<Child> {
        let mut panes = Vec::new();
        let mut expanded = None;
        for child in &node.children {
            let marked = child.pane.as_ref().is_some_and(|p| p.expanded);
            for c in self.node(child) {
                // A split inside a stack gives its panes to the stack.
                for id in c.tile.panes() {
                    if marked && expanded.is_none() {
                        expanded = Some(panes.len());
                    }
                    panes.push(id);
                }
            }
        }
        let tile = match panes.len() {
            0 => return Vec::new(),
            1 => Tile::Pane(panes[0]),
            n => Tile::Stack(Stack { panes, expanded: expanded.unwrap_or(n - 1) }),
        };
        vec![Child { size: size(node.size), tile }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tiling::Rect;
    use revenant_layout::Layout;

    fn step(text: &str) -> PaneNode {
        let l = Layout::parse(std::path::Path::new("t.kdl"), text, None).unwrap_or_else(|e| panic!("{e}"));
        l.swap_tiled[0].steps[0].1.clone()
    }

    const VERTICAL: &str = r#"layout {
    swap_tiled_layout name="vertical" {
        tab max_panes=5 {
            pane split_direction="vertical" {
                pane
                pane { children; }
            }
        }
    }
}"#;

    #[test]
    fn the_first_pane_goes_left_and_the_rest_fill_children() {
        let s = step(VERTICAL);
        let t = arrange(&s, &[1, 2, 3]);
        let rects = t.layout(Rect::new(0, 0, 100, 30));
        assert_eq!(
            rects,
            vec![(1, Rect::new(0, 0, 50, 30)), (2, Rect::new(50, 0, 50, 15)), (3, Rect::new(50, 15, 50, 15))]
        );
        // Four panes in a step of one place, `children` and four more (the
        // second "vertical" step): breadth first, `children` gets the first
        // and the last place goes unused, as Zellij lays out four panes.
        let wide = step(
            "layout {\n    swap_tiled_layout {\n        tab {\n            pane split_direction=\"vertical\" {\n                pane {\n                    children\n                }\n                pane {\n                    pane\n                    pane\n                    pane\n                    pane\n                }\n            }\n        }\n    }\n}\n",
        );
        let rects = arrange(&wide, &[1, 2, 3, 4]).layout(Rect::new(0, 0, 100, 29));
        assert_eq!(
            rects,
            vec![
                (1, Rect::new(0, 0, 50, 29)),
                (2, Rect::new(50, 0, 50, 10)),
                (3, Rect::new(50, 10, 50, 10)),
                (4, Rect::new(50, 20, 50, 9)),
            ]
        );
        // One pane: the empty column goes away.
        assert_eq!(arrange(&s, &[7]), Tile::Pane(7));
        // Two: side by side.
        assert_eq!(arrange(&s, &[1, 2]).layout(Rect::new(0, 0, 100, 30))[1], (2, Rect::new(50, 0, 50, 30)));
    }

    #[test]
    fn a_stacked_children_node_stacks_the_rest() {
        let s = step(
            r#"layout {
    swap_tiled_layout name="stacked" {
        tab min_panes=3 {
            pane split_direction="vertical" {
                pane
                pane stacked=true { children; }
            }
        }
    }
}"#,
        );
        let t = arrange(&s, &[1, 2, 3, 4]);
        assert_eq!(t.collapsed(), vec![2, 3], "the newest is open");
        assert_eq!(t.stack_of(2).map(|s| s.panes.clone()), Some(vec![2, 3, 4]));
    }

    #[test]
    fn bars_are_not_slots_and_extra_panes_follow_without_children() {
        let s = step(
            r#"layout {
    swap_tiled_layout {
        tab {
            pane size=1 borderless=true { plugin location="zellij:tab-bar"; }
            pane split_direction="vertical" {
                pane size="30%"
                pane
            }
        }
    }
}"#,
        );
        let t = arrange(&s, &[1, 2, 3]);
        let rects = t.layout(Rect::new(0, 0, 100, 30));
        assert_eq!(rects.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(rects[0].1.w, 30, "the step's split, then the extra pane below it: {rects:?}");
        assert_eq!(rects[2].1.w, 100);
    }

    /// A session whose tab holds `panes` tiled side by side, with the
    /// swap layouts of `layout` and no bars.
    fn session_with(layout: &str, panes: &[PaneId]) -> Session<()> {
        let l = Layout::parse(std::path::Path::new("t.kdl"), layout, None).unwrap_or_else(|e| panic!("{e}"));
        let mut s = Session::new("t".into());
        s.bars = crate::bars::Bars::default();
        s.swap_tiled = l.swap_tiled;
        let t = s.add_tab(None, Tile::Pane(panes[0]));
        for w in panes.windows(2) {
            s.tabs[t].tiled.split(w[0], Direction::Horizontal, w[1]);
        }
        s
    }

    const TWO: &str = r#"layout {
    swap_tiled_layout name="vertical" {
        tab max_panes=4 {
            pane split_direction="vertical" {
                pane
                pane { children; }
            }
        }
    }
    swap_tiled_layout name="stacked" {
        tab min_panes=2 {
            pane stacked=true { children; }
        }
    }
}"#;

    const AREA: Rect = Rect { x: 0, y: 0, w: 100, h: 30 };

    #[test]
    fn stepping_goes_round_the_swap_layouts_that_fit_and_back() {
        let mut s = session_with(TWO, &[1, 2, 3]);
        assert_eq!(s.swap_name(0).as_deref(), Some("BASE"));
        assert_eq!(s.step_swap_layout(0, 1, AREA, &[]).as_deref(), Ok("vertical\n"));
        assert!(std::mem::take(&mut s.relayout_wanted));
        assert_eq!(s.tabs[0].tiled.layout(AREA)[0], (1, Rect::new(0, 0, 50, 30)));
        assert_eq!(s.step_swap_layout(0, 1, AREA, &[]).as_deref(), Ok("stacked\n"));
        assert!(s.tabs[0].tiled.stack_of(1).is_some());
        // BASE is the tab's own layout: this tab was made by hand, so it
        // has none, and stepping on skips it.
        assert_eq!(s.step_swap_layout(0, 1, AREA, &[]).as_deref(), Ok("vertical\n"));
        assert_eq!(s.step_swap_layout(0, -1, AREA, &[]).as_deref(), Ok("stacked\n"));
    }

    #[test]
    fn a_change_by_hand_stops_rearranging_until_a_layout_is_chosen_again() {
        let mut s = session_with(TWO, &[1, 2]);
        s.step_swap_layout(0, 1, AREA, &[]).unwrap();
        s.tabs[0].swap_dirty = true;
        assert!(s.swap_dirty(0));
        // Opening a pane leaves a tab arranged by hand as it is.
        s.tabs[0].tiled.split(2, Direction::Horizontal, 3);
        let by_hand = s.tabs[0].tiled.layout(AREA);
        s.reapply_swap(0, AREA, &[]);
        assert_eq!(s.tabs[0].tiled.layout(AREA), by_hand);
        // The first step after a change by hand puts the current one back.
        assert_eq!(s.step_swap_layout(0, 1, AREA, &[]).as_deref(), Ok("vertical\n"));
        assert!(!s.swap_dirty(0));
        // Now a fourth pane is arranged by the current layout too.
        s.tabs[0].tiled.split(3, Direction::Horizontal, 4);
        s.reapply_swap(0, AREA, &[]);
        assert_eq!(s.tabs[0].tiled.layout(AREA)[0], (1, Rect::new(0, 0, 50, 30)));
    }

    #[test]
    fn the_focused_pane_of_a_stack_stays_open() {
        let mut s = session_with(TWO, &[1, 2, 3]);
        s.step_swap_layout(0, -1, AREA, &[2]).unwrap();
        assert_eq!(s.tabs[0].tiled.stack_of(2).map(|st| st.expanded_pane()), Some(2));
        assert!(s.step_swap_layout(0, 1, AREA, &[]).is_ok());
        let empty: Session<()> = Session::new("e".into());
        assert_eq!(empty.swap_name(0), None);
    }
}
