//! The tiled tree: layout, splits, closes, resizes and stacks.

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
    assert_eq!((t.heir(3), t.heir(2), t.heir(1)), (Some(2), Some(3), Some(2)));
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
    assert_eq!(t.heir(5), Some(4));
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

#[test]
fn panes_and_the_first_shown_one_come_without_a_layout() {
    let t = stack_of_three();
    let laid: Vec<PaneId> = t.layout(area()).into_iter().map(|(id, _)| id).collect();
    assert_eq!(t.panes(), laid, "tree order is layout order");
    assert_eq!(t.first_shown(), Some(1));
    let only_stack = Tile::Split {
        dir: Direction::Horizontal,
        children: vec![
            Child { size: None, tile: Tile::Stack(Stack { panes: vec![], expanded: 0 }) },
            Child { size: None, tile: Tile::Stack(Stack { panes: vec![2, 3, 4], expanded: 2 }) },
        ],
    };
    assert_eq!(only_stack.first_shown(), Some(4), "the open one, not one hidden under it");
}
