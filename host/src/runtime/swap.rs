//! Swap layouts from a client's side: Alt-[ and Alt-] step the tab it looks
//! at, and opening or closing panes arranges them again. The arranging is
//! the model's; this gives it the area and the panes every view has
//! focused, and lays the panes out afterwards.

use revenant_session::tiling::PaneId;

use super::Server;
use super::clients::Who;

impl Server {
    /// Every pane some view has the keyboard on: a new arrangement keeps
    /// them in sight.
    fn focused_everywhere(&self) -> Vec<PaneId> {
        std::iter::once(&self.base)
            .chain(self.clients.values().map(|c| &c.view))
            .flat_map(|v| v.tiled_focus.values().copied())
            .collect()
    }

    pub(super) fn step_swap_layout(&mut self, who: Who, step: isize) -> Result<String, String> {
        let t = self.view(who).tab_index(&self.session);
        let (area, focused) = (self.pane_area(), self.focused_everywhere());
        let stepped = self.session.step_swap_layout(t, step, area, &focused);
        self.relayout_if_wanted();
        stepped
    }

    pub(super) fn reapply_swap(&mut self, t: usize) {
        let (area, focused) = (self.pane_area(), self.focused_everywhere());
        self.session.reapply_swap(t, area, &focused);
        self.relayout_if_wanted();
    }
}
