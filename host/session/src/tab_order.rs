//! Tabs by name, id and position: renaming and its undo, moving a tab
//! left or right (round the ends, as in Zellij), and views that follow the
//! tab they look at.

use crate::session::Session;
use crate::view::View;

impl<Io> Session<Io> {
    /// Renames tab `t`, keeping the old name for `undo-rename-tab`.
    pub fn rename_tab(&mut self, t: usize, name: String) -> Result<(), String> {
        if name.trim().is_empty() {
            return Err("a tab's name cannot be empty".into());
        }
        let tab = self.tabs.get_mut(t).ok_or("the session has no tabs")?;
        tab.previous_name = Some(std::mem::replace(&mut tab.name, name));
        Ok(())
    }

    /// Puts tab `t`'s name before its last rename back; false when there
    /// is none.
    pub fn undo_rename_tab(&mut self, t: usize) -> bool {
        let Some(tab) = self.tabs.get_mut(t) else { return false };
        let Some(previous) = tab.previous_name.take() else { return false };
        tab.name = previous;
        true
    }

    /// The position of the tab with stable id `id`; the error lists them.
    pub fn tab_by_id(&self, id: u32) -> Result<usize, String> {
        self.tabs.iter().position(|t| t.id == id).ok_or_else(|| {
            let ids: Vec<String> = self.tabs.iter().map(|t| format!("{} ({})", t.id, t.name)).collect();
            format!("no tab with id {id} (the tabs: {})", ids.join(", "))
        })
    }

    /// The first tab called `name`; the error lists the names.
    pub fn tab_named(&self, name: &str) -> Result<usize, String> {
        self.tabs.iter().position(|t| t.name == name).ok_or_else(|| {
            let names: Vec<&str> = self.tabs.iter().map(|t| t.name.as_str()).collect();
            format!("no tab named {name:?} (the tabs: {})", names.join(", "))
        })
    }

    /// Tab `from` changes places with the one to its left (`right` false)
    /// or right; past an end it goes to the other end, the others moving
    /// up one. Returns where each tab came from (the old index at each new
    /// position), for views to follow; `None` when nothing moved.
    pub fn move_tab(&mut self, from: usize, right: bool) -> Option<Vec<usize>> {
        let count = self.tabs.len();
        if count < 2 || from >= count {
            return None;
        }
        let to = if right { (from + 1) % count } else { (from + count - 1) % count };
        let tab = self.tabs.remove(from);
        self.tabs.insert(to, tab);
        let mut order: Vec<usize> = (0..count).collect();
        let moved = order.remove(from);
        order.insert(to, moved);
        Some(order)
    }
}

impl View {
    /// Tab `one_based` (1 is the first); out of range changes nothing.
    pub fn go_to_tab<Io>(&mut self, session: &Session<Io>, one_based: u32) {
        let count = session.tabs.len();
        if one_based >= 1 && (one_based as usize) <= count {
            self.tab = one_based as usize - 1;
        }
    }

    /// The tab `step` places on, round the ends.
    pub fn step_tab<Io>(&mut self, session: &Session<Io>, step: isize) {
        let count = session.tabs.len() as isize;
        if count > 0 {
            let current = self.tab_index(session) as isize;
            self.tab = (current + step).rem_euclid(count) as usize;
        }
    }

    /// After [`Session::move_tab`]: keeps looking at the same tab.
    pub fn follow_tab_move(&mut self, order: &[usize]) {
        if let Some(now) = order.iter().position(|old| *old == self.tab) {
            self.tab = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tiling::Tile;

    fn tabs(names: &[&str]) -> Session<()> {
        let mut s = Session::new("t".into());
        for (i, name) in names.iter().enumerate() {
            s.add_tab(Some(name.to_string()), Tile::Pane(i as u32));
        }
        s
    }

    fn names(s: &Session<()>) -> Vec<&str> {
        s.tabs.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn a_rename_can_be_undone_once_and_an_empty_name_is_refused() {
        let mut s = tabs(&["a"]);
        assert_eq!(s.rename_tab(0, "  ".into()), Err("a tab's name cannot be empty".into()));
        s.rename_tab(0, "build".into()).unwrap();
        assert_eq!(names(&s), ["build"]);
        assert!(s.undo_rename_tab(0));
        assert_eq!(names(&s), ["a"]);
        assert!(!s.undo_rename_tab(0));
        assert!(s.rename_tab(3, "x".into()).is_err());
    }

    #[test]
    fn tabs_are_found_by_name_and_id_and_a_miss_lists_them() {
        let s = tabs(&["a", "b"]);
        assert_eq!(s.tab_named("b"), Ok(1));
        assert_eq!(s.tab_named("c"), Err("no tab named \"c\" (the tabs: a, b)".into()));
        assert_eq!(s.tab_by_id(1), Ok(1));
        assert_eq!(s.tab_by_id(9), Err("no tab with id 9 (the tabs: 0 (a), 1 (b))".into()));
    }

    #[test]
    fn moving_a_tab_past_an_end_takes_it_round_and_views_follow_their_tab() {
        let mut s = tabs(&["a", "b", "c"]);
        let mut on_c = View { tab: 2, ..View::default() };
        let mut on_a = View::default();
        let order = s.move_tab(0, false).unwrap();
        assert_eq!(names(&s), ["b", "c", "a"]);
        on_c.follow_tab_move(&order);
        on_a.follow_tab_move(&order);
        assert_eq!((on_c.tab, on_a.tab), (1, 2));
        let order = s.move_tab(0, true).unwrap();
        assert_eq!(names(&s), ["c", "b", "a"]);
        on_c.follow_tab_move(&order);
        assert_eq!(s.tabs[on_c.tab].name, "c");
        assert_eq!(tabs(&["only"]).move_tab(0, true), None);
    }

    #[test]
    fn stepping_goes_round_and_going_to_a_missing_tab_stays() {
        let s = tabs(&["a", "b", "c"]);
        let mut v = View::default();
        v.step_tab(&s, -1);
        assert_eq!(v.tab, 2);
        v.step_tab(&s, 2);
        assert_eq!(v.tab, 1);
        v.go_to_tab(&s, 4);
        assert_eq!(v.tab, 1);
        v.go_to_tab(&s, 1);
        assert_eq!(v.tab, 0);
    }
}
