//! From pane trees to rectangles.

use std::fmt::Write as _;

use miette::SourceSpan;

use crate::error::{ErrorKind, Fault};
use crate::{FloatingLayout, Layout, NormalPane, NormalTab, PaneNode, PaneSpec, Size, SplitDirection, TabLayout};

#[derive(Clone, Copy)]
struct Rect {
    x: u16,
    y: u16,
    cols: u16,
    rows: u16,
}

pub(crate) fn tabs(layout: &Layout, cols: u16, rows: u16) -> Result<Vec<NormalTab>, Fault> {
    if layout.tabs.is_empty() {
        let root = PaneNode { pane: Some(PaneSpec::default()), ..PaneNode::default() };
        let tab = TabLayout {
            name: None,
            focus: false,
            cwd: layout.cwd.clone(),
            hide_floating_panes: false,
            root,
            floating: Vec::new(),
        };
        return Ok(vec![normal_tab(&tab, 0, cols, rows)?]);
    }
    layout.tabs.iter().enumerate().map(|(i, tab)| normal_tab(tab, i, cols, rows)).collect()
}

fn normal_tab(tab: &TabLayout, index: usize, cols: u16, rows: u16) -> Result<NormalTab, Fault> {
    let mut panes = Vec::new();
    place(&tab.root, Rect { x: 0, y: 0, cols, rows }, (cols, rows), &mut panes)?;
    panes.extend(tab.floating.iter().map(|f| floating(f, cols, rows)));
    Ok(NormalTab {
        name: tab.name.clone().unwrap_or_else(|| format!("Tab #{}", index + 1)),
        focus: tab.focus,
        hide_floating_panes: tab.hide_floating_panes,
        panes,
    })
}

fn span_of(node: &PaneNode) -> SourceSpan {
    node.span.unwrap_or_else(|| SourceSpan::from(0..0))
}

fn place(node: &PaneNode, rect: Rect, area: (u16, u16), out: &mut Vec<NormalPane>) -> Result<(), Fault> {
    if node.children.is_empty() {
        if rect.cols == 0 || rect.rows == 0 {
            return Err(Fault::new(
                ErrorKind::NoRoom,
                span_of(node),
                format!("this pane gets no room ({}x{}) on a {}x{} area", rect.cols, rect.rows, area.0, area.1),
                "no room for this pane",
            ));
        }
        out.push(NormalPane {
            x: rect.x,
            y: rect.y,
            cols: rect.cols,
            rows: rect.rows,
            floating: false,
            borderless: node.borderless,
            pinned: false,
            spec: node.pane.clone().unwrap_or_default(),
        });
        return Ok(());
    }
    let (total, unit) = match node.split {
        SplitDirection::Vertical => (rect.cols, "columns"),
        SplitDirection::Horizontal => (rect.rows, "rows"),
    };
    let extents = extents(&node.children, total).map_err(|(i, msg)| {
        Fault::new(
            ErrorKind::NoRoom,
            span_of(&node.children[i]),
            format!("{msg} {unit} on a {}x{} area", area.0, area.1),
            "does not fit",
        )
        .help("make the fixed sizes smaller, or the area larger")
    })?;
    let mut offset = 0u16;
    for (child, extent) in node.children.iter().zip(extents) {
        let r = match node.split {
            SplitDirection::Vertical => Rect { x: rect.x + offset, y: rect.y, cols: extent, rows: rect.rows },
            SplitDirection::Horizontal => Rect { x: rect.x, y: rect.y + offset, cols: rect.cols, rows: extent },
        };
        place(child, r, area, out)?;
        offset += extent;
    }
    Ok(())
}

/// Fixed sizes first, then percents of what is left, then unsized children
/// share the rest equally; rounding leftovers go to the last non-fixed child
/// (the last child when all are fixed), so the extents sum to `total`.
/// On failure: the index of the child to blame and a message that the
/// caller finishes with the unit.
fn extents(children: &[PaneNode], total: u16) -> Result<Vec<u16>, (usize, String)> {
    let total32 = u32::from(total);
    let mut fixed_sum = 0u32;
    for (i, child) in children.iter().enumerate() {
        if let Some(Size::Fixed(n)) = child.size {
            fixed_sum += u32::from(n);
            if fixed_sum > total32 {
                let need: u32 = children
                    .iter()
                    .filter_map(|c| if let Some(Size::Fixed(n)) = c.size { Some(u32::from(n)) } else { None })
                    .sum();
                return Err((i, format!("fixed sizes in this split need {need} of the {total}")));
            }
        }
    }
    let rest = total32 - fixed_sum;
    let unsized_count = children.iter().filter(|c| c.size.is_none()).count() as u32;
    let mut out: Vec<u32> = children
        .iter()
        .map(|c| match c.size {
            Some(Size::Fixed(n)) => u32::from(n),
            Some(Size::Percent(p)) => rest * u32::from(p.min(100)) / 100,
            None => 0,
        })
        .collect();
    let percent_sum: u32 =
        out.iter().zip(children).filter(|(_, c)| matches!(c.size, Some(Size::Percent(_)))).map(|(e, _)| *e).sum();
    let left = rest.saturating_sub(percent_sum);
    if let Some(share) = left.checked_div(unsized_count) {
        for (e, c) in out.iter_mut().zip(children) {
            if c.size.is_none() {
                *e = share;
            }
        }
    }
    let used: u32 = out.iter().sum();
    let last_flexible =
        children.iter().rposition(|c| !matches!(c.size, Some(Size::Fixed(_)))).unwrap_or(children.len() - 1);
    out[last_flexible] += total32.saturating_sub(used);
    if let Some(i) = out.iter().position(|e| *e == 0) {
        return Err((i, format!("this pane gets none of the {total}")));
    }
    Ok(out.into_iter().map(|e| e as u16).collect())
}

fn resolve(size: Size, total: u16) -> u16 {
    match size {
        Size::Fixed(n) => n,
        Size::Percent(p) => (u32::from(total) * u32::from(p.min(100)) / 100) as u16,
    }
}

/// Missing width/height default to half the area, missing x/y centre the
/// pane; the result is clamped to lie inside the area.
pub(crate) fn floating_rect(f: &FloatingLayout, cols: u16, rows: u16) -> (u16, u16, u16, u16) {
    let w = f.width.map_or(cols / 2, |s| resolve(s, cols)).min(cols).max(1);
    let h = f.height.map_or(rows / 2, |s| resolve(s, rows)).min(rows).max(1);
    let x = f.x.map_or(cols.saturating_sub(w) / 2, |s| resolve(s, cols)).min(cols.saturating_sub(w));
    let y = f.y.map_or(rows.saturating_sub(h) / 2, |s| resolve(s, rows)).min(rows.saturating_sub(h));
    (x, y, w, h)
}

fn floating(f: &FloatingLayout, cols: u16, rows: u16) -> NormalPane {
    let (x, y, w, h) = floating_rect(f, cols, rows);
    NormalPane {
        x,
        y,
        cols: w,
        rows: h,
        floating: true,
        borderless: f.borderless,
        pinned: f.pinned,
        spec: f.pane.clone(),
    }
}

/// One line per tab and per pane:
///
/// ```text
/// tab 1 "Tab #1" focus
///   tiled 0,0 100x1 borderless plugin zellij:tab-bar
///   tiled 0,1 100x27 focus command ["htop", "-d", "10"] cwd /tmp
///   floating 25,7 50x15 pinned name "scratch"
/// ```
pub fn describe(tabs: &[NormalTab]) -> String {
    let mut s = String::new();
    for (i, tab) in tabs.iter().enumerate() {
        let _ = write!(s, "tab {} {:?}", i + 1, tab.name);
        if tab.focus {
            s.push_str(" focus");
        }
        if tab.hide_floating_panes {
            s.push_str(" hide_floating_panes");
        }
        s.push('\n');
        for p in &tab.panes {
            let _ =
                write!(s, "  {} {},{} {}x{}", if p.floating { "floating" } else { "tiled" }, p.x, p.y, p.cols, p.rows);
            describe_pane(&mut s, p);
            s.push('\n');
        }
    }
    s
}

fn describe_pane(s: &mut String, p: &NormalPane) {
    let spec = &p.spec;
    let flags = [
        (p.borderless, "borderless"),
        (p.pinned, "pinned"),
        (spec.focus, "focus"),
        (spec.stacked, "stacked"),
        (spec.expanded, "expanded"),
        (spec.close_on_exit, "close_on_exit"),
        (spec.start_suspended, "start_suspended"),
        (spec.exclude_from_sync, "exclude_from_sync"),
    ];
    for (on, word) in flags {
        if on {
            let _ = write!(s, " {word}");
        }
    }
    if let Some(name) = &spec.name {
        let _ = write!(s, " name {name:?}");
    }
    if let Some(argv) = &spec.command {
        let _ = write!(s, " command {argv:?}");
    }
    if let Some(edit) = &spec.edit {
        let _ = write!(s, " edit {edit:?}");
    }
    if let Some(plugin) = &spec.plugin {
        let _ = write!(s, " plugin {}", plugin.location);
        for (k, v) in &plugin.configuration {
            let _ = write!(s, " {k}={v:?}");
        }
    }
    if let Some(file) = &spec.contents_file {
        let _ = write!(s, " contents_file {}", file.display());
    }
    if let Some(cwd) = &spec.cwd {
        let _ = write!(s, " cwd {}", cwd.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(size: Option<Size>) -> PaneNode {
        PaneNode { size, pane: Some(PaneSpec::default()), ..PaneNode::default() }
    }

    #[test]
    fn extents_sum_exactly() {
        let kids = [node(Some(Size::Fixed(1))), node(None), node(None), node(Some(Size::Fixed(2)))];
        assert_eq!(extents(&kids, 30).unwrap(), vec![1, 13, 14, 2]);
        let kids = [node(Some(Size::Percent(33))), node(Some(Size::Percent(33))), node(Some(Size::Percent(33)))];
        assert_eq!(extents(&kids, 100).unwrap(), vec![33, 33, 34]);
        let kids = [node(Some(Size::Percent(20))), node(None), node(None)];
        assert_eq!(extents(&kids, 101).unwrap(), vec![20, 40, 41]);
        let kids = [node(Some(Size::Fixed(3))), node(Some(Size::Fixed(3)))];
        assert_eq!(extents(&kids, 10).unwrap(), vec![3, 7]);
        assert!(extents(&kids, 5).is_err());
        let kids = [node(Some(Size::Percent(100))), node(None)];
        assert_eq!(extents(&kids, 10).unwrap_err().0, 1);
    }
}
