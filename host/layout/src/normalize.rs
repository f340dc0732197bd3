//! From pane trees to rectangles.

use std::fmt::Write as _;

use miette::SourceSpan;

use crate::error::{ErrorKind, Fault};
use crate::split::{Share, need, split_reserving};
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
    // Floating panes float over the area between the bars, as in a session.
    let top = panes.iter().take_while(|p| is_bar(p)).map(|p| p.y + p.rows).max().unwrap_or(0);
    let bottom = panes.iter().rev().take_while(|p| is_bar(p) && p.y >= top).map(|p| p.y).min().unwrap_or(rows);
    let area = (top, bottom.saturating_sub(top));
    panes.extend(tab.floating.iter().map(|f| floating(f, cols, area)));
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
            collapsed: false,
            spec: node.pane.clone().unwrap_or_default(),
        });
        return Ok(());
    }
    if node.stacked {
        return place_stack(node, rect, area, out);
    }
    let (total, unit) = match node.split {
        SplitDirection::Vertical => (rect.cols, "columns"),
        SplitDirection::Horizontal => (rect.rows, "rows"),
    };
    let extents = extents(&node.children, node.split, total).map_err(|(i, msg)| {
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

/// A stack, as Zellij 0.45 places it: every member on the whole rectangle,
/// the open one (`expanded=true`, else the last) shown under the list of
/// all members' titles (one row each), the others hidden.
fn place_stack(node: &PaneNode, rect: Rect, area: (u16, u16), out: &mut Vec<NormalPane>) -> Result<(), Fault> {
    let mut leaves = Vec::new();
    collect_leaves(node, &mut leaves);
    let expanded = leaves
        .iter()
        .position(|l| l.pane.as_ref().is_some_and(|p| p.expanded))
        .unwrap_or(leaves.len().saturating_sub(1));
    // Its frame's two rows, the list, and a row to show.
    let need = leaves.len() as u16 + 3;
    if rect.rows < need {
        return Err(Fault::new(
            ErrorKind::NoRoom,
            span_of(node),
            format!("this stack of {} panes needs {need} rows, it gets {}", leaves.len(), rect.rows),
            "does not fit",
        ));
    }
    for (i, leaf) in leaves.into_iter().enumerate() {
        place(leaf, rect, area, out)?;
        if let Some(last) = out.last_mut() {
            last.collapsed = i != expanded;
        }
    }
    Ok(())
}

fn collect_leaves<'a>(node: &'a PaneNode, out: &mut Vec<&'a PaneNode>) {
    if node.children.is_empty() {
        out.push(node);
    }
    for child in &node.children {
        collect_leaves(child, out);
    }
}

/// The children's extents, shared as Zellij shares them ([`crate::split`]).
/// On failure: the index of the child to blame and a message that the
/// caller finishes with the unit.
fn extents(children: &[PaneNode], dir: SplitDirection, total: u16) -> Result<Vec<u16>, (usize, String)> {
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
    let shares: Vec<Share> = children
        .iter()
        .map(|c| match c.size {
            Some(Size::Fixed(n)) => Share::Fixed(n),
            Some(Size::Percent(p)) => Share::Percent(f64::from(p.min(100))),
            None => Share::Flexible,
        })
        .collect();
    fn kids(n: &PaneNode) -> Vec<(&PaneNode, Option<u16>)> {
        n.children.iter().map(|c| (c, if let Some(Size::Fixed(f)) = c.size { Some(f) } else { None })).collect()
    }
    let along = |n: &PaneNode| !n.children.is_empty() && n.split == dir;
    let reserved: Vec<u16> = children.iter().map(|c| need(c, kids, &along)).collect();
    let out = split_reserving(total, &shares, &reserved);
    if let Some(i) = out.iter().position(|e| *e == 0) {
        return Err((i, format!("this pane gets none of the {total}")));
    }
    Ok(out)
}

fn resolve(size: Size, total: u16) -> u16 {
    match size {
        Size::Fixed(n) => n,
        Size::Percent(p) => (u32::from(total) * u32::from(p.min(100)) / 100) as u16,
    }
}

/// Where a floating pane goes on a `cols`×`rows` area whose top-left cell
/// is `origin` on the screen, relative to the area. As in Zellij (measured,
/// see [`crate::split`]): percents are of the area's size, but an explicit
/// x or y (cells or percent) counts from the screen's corner, so under a
/// one-row tab bar `y=1` is the area's first row. Missing width/height are half the area; a
/// missing x/y centres the pane, or without any geometry puts it a quarter
/// in (rounded). The result is clamped to lie inside the area.
pub(crate) fn floating_rect(f: &FloatingLayout, origin: (u16, u16), cols: u16, rows: u16) -> (u16, u16, u16, u16) {
    let w = f.width.map_or(cols / 2, |s| resolve(s, cols)).min(cols).max(1);
    let h = f.height.map_or(rows / 2, |s| resolve(s, rows)).min(rows).max(1);
    let centred = |size: Option<Size>, total: u16, extent: u16| match size {
        None => ((f64::from(total) / 4.0).round() as u16).min(total.saturating_sub(extent)),
        Some(_) => total.saturating_sub(extent) / 2,
    };
    let explicit = |s: Size, total: u16, origin: u16| resolve(s, total).saturating_sub(origin);
    let x = f.x.map_or_else(|| centred(f.width, cols, w), |s| explicit(s, cols, origin.0)).min(cols.saturating_sub(w));
    let y = f.y.map_or_else(|| centred(f.height, rows, h), |s| explicit(s, rows, origin.1)).min(rows.saturating_sub(h));
    (x, y, w, h)
}

/// A bar plugin pane (`zellij:tab-bar`, or Zellij's bare alias `tab-bar`,
/// and the status and compact bars): the session draws its own there.
fn is_bar(p: &NormalPane) -> bool {
    p.spec.plugin.as_ref().is_some_and(|plugin| {
        let l = plugin.location.as_str();
        let bare = l.strip_prefix("zellij:").or_else(|| l.strip_prefix("revenant:")).unwrap_or(l);
        matches!(bare, "tab-bar" | "status-bar" | "compact-bar")
    })
}

/// A floating pane on the `cols` × `area.1` rows that start at row
/// `area.0`: explicit x/y count from the screen's corner, as in Zellij.
fn floating(f: &FloatingLayout, cols: u16, area: (u16, u16)) -> NormalPane {
    let (x, y, w, h) = floating_rect(f, (0, area.0), cols, area.1);
    NormalPane {
        x,
        y: y + area.0,
        cols: w,
        rows: h,
        floating: true,
        borderless: f.borderless,
        pinned: f.pinned,
        collapsed: false,
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
        (p.collapsed, "collapsed"),
        (spec.focus, "focus"),
        (spec.stacked, "stacked"),
        (spec.expanded, "expanded"),
        (spec.close_on_exit, "close_on_exit"),
        (spec.start_suspended, "start_suspended"),
        (spec.exclude_from_sync, "exclude_from_sync"),
        (spec.never_save_contents, "save_contents=false"),
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
    if let Some(fg) = &spec.default_fg {
        let _ = write!(s, " default_fg {:?}", fg.text);
    }
    if let Some(bg) = &spec.default_bg {
        let _ = write!(s, " default_bg {:?}", bg.text);
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
        assert_eq!(extents(&kids, SplitDirection::Horizontal, 30).unwrap(), vec![1, 14, 13, 2]);
        let kids = [node(Some(Size::Percent(33))), node(Some(Size::Percent(33))), node(Some(Size::Percent(33)))];
        assert_eq!(extents(&kids, SplitDirection::Horizontal, 100).unwrap(), vec![34, 33, 33]);
        let kids = [node(Some(Size::Percent(20))), node(None), node(None)];
        assert_eq!(extents(&kids, SplitDirection::Horizontal, 101).unwrap(), vec![21, 40, 40]);
        let kids = [node(Some(Size::Fixed(3))), node(Some(Size::Fixed(3)))];
        assert_eq!(extents(&kids, SplitDirection::Horizontal, 10).unwrap(), vec![3, 7]);
        assert!(extents(&kids, SplitDirection::Horizontal, 5).is_err());
        let kids = [node(Some(Size::Percent(100))), node(None)];
        assert_eq!(extents(&kids, SplitDirection::Horizontal, 10).unwrap_err().0, 1);
    }
}
