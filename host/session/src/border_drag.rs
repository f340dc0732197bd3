//! Dragging the border between two tiled panes with the mouse: which edge
//! a cell is on, and moving that edge to where the pointer is. The split
//! sizes are shares of their enclosing split, whose size the model does
//! not keep, so the edge is moved a column (or row) at a time until it is
//! under the pointer: exact at every depth of nesting.

use crate::tab::Tab;
use crate::tiling::{PaneId, Rect, Towards, neighbour};

/// Steps before giving up (a pane at its minimum stops the edge anyway).
const MAX_STEPS: usize = 400;

impl Tab {
    /// The tiled pane and edge at `(col, row)` of `area`, when that cell is
    /// on a pane's outer edge and a pane lies beyond it.
    pub fn border_at(&self, area: Rect, col: u16, row: u16) -> Option<(PaneId, Towards)> {
        let placements: Vec<_> = self.placements(area).into_iter().filter(|p| !p.floating && !p.collapsed).collect();
        let rects: Vec<(PaneId, Rect)> = placements.iter().map(|p| (p.id, p.rect)).collect();
        let hit = placements.iter().find(|p| p.rect.contains(col, row))?;
        let r = hit.rect;
        let edges = [
            (col + 1 == r.x + r.w, Towards::Right),
            (col == r.x, Towards::Left),
            (row + 1 == r.y + r.h, Towards::Down),
            (row == r.y, Towards::Up),
        ];
        edges
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, towards)| towards)
            .find(|towards| neighbour(&rects, hit.id, *towards).is_some())
            .map(|towards| (hit.id, towards))
    }

    /// Moves `id`'s edge facing `towards` until it is at column (or row)
    /// `to`, as far as the panes allow; true when anything moved.
    pub fn drag_border(&mut self, area: Rect, id: PaneId, towards: Towards, to: u16) -> bool {
        let edge = |tab: &Tab| {
            let r = tab.placements(area).into_iter().find(|p| p.id == id)?.rect;
            Some(match towards {
                Towards::Right => i32::from(r.x + r.w) - 1,
                Towards::Left => i32::from(r.x),
                Towards::Down => i32::from(r.y + r.h) - 1,
                Towards::Up => i32::from(r.y),
            })
        };
        let span = if matches!(towards, Towards::Left | Towards::Right) { area.w } else { area.h };
        let step = 100.0 / f64::from(span.max(1));
        let mut moved = false;
        for _ in 0..MAX_STEPS {
            let Some(at) = edge(self) else { break };
            let diff = i32::from(to) - at;
            if diff == 0 {
                break;
            }
            // Growing towards Right/Down moves the edge forward; towards
            // Left/Up, back.
            let grow = match towards {
                Towards::Right | Towards::Down => diff > 0,
                Towards::Left | Towards::Up => diff < 0,
            };
            if !self.tiled.resize(id, towards, if grow { step } else { -step }) {
                break;
            }
            moved = true;
            if edge(self) == Some(at) {
                // A share too small to move a whole cell: take another.
                continue;
            }
            let now = edge(self).unwrap_or(at);
            if (i32::from(to) - now).signum() != diff.signum() {
                break;
            }
        }
        if moved {
            self.swap_dirty = true;
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use crate::tab::Tab;
    use crate::tiling::{Child, Direction, Rect, Tile, Towards};

    fn split(dir: Direction, tiles: Vec<Tile>) -> Tile {
        Tile::Split { dir, children: tiles.into_iter().map(|tile| Child { size: None, tile }).collect() }
    }

    fn side_by_side() -> Tab {
        Tab::new(0, "t".into(), split(Direction::Vertical, vec![Tile::Pane(1), Tile::Pane(2)]))
    }

    #[test]
    fn the_border_follows_the_pointer_both_ways() {
        let area = Rect::new(0, 1, 100, 30);
        let mut tab = side_by_side();
        let right = |tab: &Tab| tab.placements(area).into_iter().find(|p| p.id == 1).unwrap().rect;
        assert_eq!(right(&tab).w, 50);
        assert_eq!(tab.border_at(area, 49, 10), Some((1, Towards::Right)));
        assert_eq!(tab.border_at(area, 50, 10), Some((2, Towards::Left)));
        assert_eq!(tab.border_at(area, 0, 10), None, "nothing lies beyond the screen's edge");
        assert_eq!(tab.border_at(area, 20, 10), None, "inside a pane");
        assert!(tab.drag_border(area, 1, Towards::Right, 69));
        assert_eq!(right(&tab).w, 70);
        assert!(tab.drag_border(area, 2, Towards::Left, 30));
        assert_eq!(right(&tab).w, 30);
        // No further than a pane's minimum.
        tab.drag_border(area, 1, Towards::Right, 99);
        assert!(right(&tab).w < 100);
        assert!(tab.swap_dirty);
    }

    #[test]
    fn a_nested_border_lands_under_the_pointer_too() {
        let area = Rect::new(0, 0, 120, 40);
        let inner = split(Direction::Horizontal, vec![Tile::Pane(2), Tile::Pane(3)]);
        let mut tab = Tab::new(0, "t".into(), split(Direction::Vertical, vec![Tile::Pane(1), inner]));
        let rect = |tab: &Tab, id| tab.placements(area).into_iter().find(|p| p.id == id).unwrap().rect;
        assert_eq!(tab.border_at(area, 80, rect(&tab, 2).h - 1), Some((2, Towards::Down)));
        assert!(tab.drag_border(area, 2, Towards::Down, 9));
        assert_eq!(rect(&tab, 2).h, 10);
        assert_eq!(rect(&tab, 3).y, 10);
    }
}
