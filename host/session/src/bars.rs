//! The host's own bars above and below the panes, and the area they leave.

use revenant_layout::{Layout, Size as LSize};

use crate::tiling::Rect;

/// The host's own bars, which stand in for Zellij's bar plugins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarKind {
    /// `tab-bar`: the session name and the tabs.
    Tabs,
    /// `status-bar`: the mode and its keys.
    Status,
    /// `compact-bar`: name, mode and tabs on one line.
    Compact,
}

impl BarKind {
    /// The bar a layout's plugin location stands for.
    /// `zellij:tab-bar`, `revenant:tab-bar`, or the bare `tab-bar`, which
    /// Zellij's default config defines as an alias of its own bar.
    pub fn from_location(location: &str) -> Option<BarKind> {
        let bare = location.strip_prefix("zellij:").or_else(|| location.strip_prefix("revenant:")).unwrap_or(location);
        match bare {
            "tab-bar" => Some(BarKind::Tabs),
            "status-bar" => Some(BarKind::Status),
            "compact-bar" => Some(BarKind::Compact),
            _ => None,
        }
    }

    /// The plugin location written for this bar when the session is saved
    /// (Zellij's names, so Zellij opens the layout with its own bars).
    pub fn location(self) -> &'static str {
        match self {
            BarKind::Tabs => "zellij:tab-bar",
            BarKind::Status => "zellij:status-bar",
            BarKind::Compact => "zellij:compact-bar",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bar {
    pub kind: BarKind,
    pub rows: u16,
}

/// At most one bar above the panes and one below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bars {
    pub top: Option<Bar>,
    pub bottom: Option<Bar>,
}

impl Bars {
    /// The bars a layout asks for: a bar plugin pane before every terminal pane
    /// of its tab goes on top, any other at the bottom; the first claim of a
    /// place wins.
    pub fn from_layout(layout: &Layout) -> Bars {
        let mut bars = Bars::default();
        for tab in &layout.tabs {
            let mut seen_pane = false;
            tab.root.visit_leaves(&mut |node| {
                let spec = node.pane.as_ref();
                match spec.and_then(|s| s.plugin.as_ref()).and_then(|p| BarKind::from_location(&p.location)) {
                    Some(kind) => {
                        let rows = match node.size {
                            Some(LSize::Fixed(n)) => n.clamp(1, 2),
                            _ => 1,
                        };
                        let slot = if seen_pane { &mut bars.bottom } else { &mut bars.top };
                        if slot.is_none() {
                            *slot = Some(Bar { kind, rows });
                        }
                    }
                    None => seen_pane = true,
                }
            });
        }
        bars
    }

    /// What a session gets when nothing says otherwise: the built-in
    /// default layout's one-line tab bar and status bar.
    pub fn standard() -> Bars {
        Bars { top: Some(Bar { kind: BarKind::Tabs, rows: 1 }), bottom: Some(Bar { kind: BarKind::Status, rows: 1 }) }
    }

    pub fn top_rows(&self) -> u16 {
        self.top.map_or(0, |b| b.rows)
    }

    pub fn bottom_rows(&self) -> u16 {
        self.bottom.map_or(0, |b| b.rows)
    }

    /// The rows left for panes on a screen `rows` high (at least one).
    pub fn pane_area(&self, cols: u16, rows: u16) -> Rect {
        let top = self.top_rows().min(rows.saturating_sub(1));
        let bottom = self.bottom_rows().min(rows.saturating_sub(1 + top));
        Rect::new(0, top, cols, rows.saturating_sub(top + bottom).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(text: &str) -> Layout {
        Layout::parse(std::path::Path::new("t.kdl"), text, None).expect("parses")
    }

    #[test]
    fn bars_go_where_the_layout_puts_them() {
        let l = layout(include_str!("../../../layouts/default.kdl"));
        assert_eq!(Bars::from_layout(&l), Bars::standard());
        let l = layout(include_str!("../../../layouts/compact.kdl"));
        assert_eq!(Bars::from_layout(&l), Bars { top: None, bottom: Some(Bar { kind: BarKind::Compact, rows: 1 }) });
        let l = layout(include_str!("../../../layouts/classic.kdl"));
        assert_eq!(Bars::from_layout(&l).bottom, Some(Bar { kind: BarKind::Status, rows: 2 }));
        assert_eq!(Bars::from_layout(&layout("layout { pane; }")), Bars::default());
    }
}
