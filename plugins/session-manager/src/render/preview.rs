//! The preview beside the list (wide panes only): a miniature of the
//! selected session's focused tab, or of the selected generation's, with
//! each pane's rectangle and what runs in it.

use revenant_plugin_api::types::PaneSummary;

use crate::state::State;
use crate::text::{Color, Line, Style, char_width};

/// `rows` lines of at most `cols` cells.
pub fn render(state: &State, rows: usize, cols: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(rows);
    let Some(session) = state.selected_session() else {
        out.resize(rows, String::new());
        return out;
    };
    let (tabs, panes, tab, label): (&[String], &[PaneSummary], u32, String) = match state.selected_generation() {
        Some(g) => {
            let tab = g.panes.iter().find(|p| p.focused).map_or(0, |p| p.tab);
            (&g.tabs, &g.panes, tab, format!("{} · snapshot #{}", session.name, g.id))
        }
        None => (&session.tabs, &session.panes, session.focused_tab, session.name.clone()),
    };
    let mut head = Line::new();
    head.push(" ", Style::PLAIN);
    head.push(&label, Style::PLAIN.bold());
    if let Some(name) = tabs.get(tab as usize) {
        head.push(&format!(" · tab {name}"), Style::PLAIN.dim());
    }
    out.push(head.finish(cols));
    let shown: Vec<&PaneSummary> = panes.iter().filter(|p| p.tab == tab).collect();
    let grid = miniature(&shown, rows.saturating_sub(1), cols);
    out.extend(grid);
    out.resize(rows, String::new());
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Ink {
    Blank,
    Border,
    Focused,
    Label,
}

/// The panes scaled into `rows` × `cols` cells, as styled lines.
fn miniature(panes: &[&PaneSummary], rows: usize, cols: usize) -> Vec<String> {
    if rows < 3 || cols < 4 || panes.is_empty() {
        let mut line = Line::new();
        if rows > 0 && panes.is_empty() {
            line.push(" nothing to show", Style::PLAIN.dim());
        }
        return (0..rows.min(1)).map(|_| line.finish(cols)).collect();
    }
    let width = panes.iter().map(|p| p.x + p.cols).max().unwrap_or(1).max(1) as usize;
    let height = panes.iter().map(|p| p.y + p.rows).max().unwrap_or(1).max(1) as usize;
    let mut cells = vec![vec![(' ', Ink::Blank); cols]; rows];
    let sx = |x: u32| (x as usize * cols / width).min(cols - 1);
    let sy = |y: u32| (y as usize * rows / height).min(rows - 1);
    // Tiled panes first, floating ones over them.
    let mut order: Vec<&&PaneSummary> = panes.iter().collect();
    order.sort_by_key(|p| p.floating);
    for p in order {
        let (x0, y0) = (sx(p.x), sy(p.y));
        let x1 = sx(p.x + p.cols).saturating_sub(usize::from(p.x + p.cols < width as u32)).max(x0 + 1).min(cols - 1);
        let y1 = sy(p.y + p.rows).saturating_sub(usize::from(p.y + p.rows < height as u32)).max(y0 + 1).min(rows - 1);
        let ink = if p.focused { Ink::Focused } else { Ink::Border };
        for row in cells.iter_mut().take(y1).skip(y0 + 1) {
            for cell in row.iter_mut().take(x1).skip(x0 + 1) {
                *cell = (' ', Ink::Blank);
            }
        }
        for y in [y0, y1] {
            cells[y][x0..=x1].fill(('─', ink));
        }
        for row in cells.iter_mut().take(y1 + 1).skip(y0) {
            row[x0] = ('│', ink);
            row[x1] = ('│', ink);
        }
        cells[y0][x0] = ('┌', ink);
        cells[y0][x1] = ('┐', ink);
        cells[y1][x0] = ('└', ink);
        cells[y1][x1] = ('┘', ink);
        if y1 > y0 + 1 && x1 > x0 + 1 {
            let label = p.command.clone().or_else(|| p.cwd.clone()).unwrap_or_else(|| p.title.clone());
            for (i, c) in label.chars().filter(|c| !c.is_control()).take(x1 - x0 - 1).enumerate() {
                // One cell per character: a wide one would push the border.
                cells[y0 + 1][x0 + 1 + i] = (if char_width(c) == 1 { c } else { '…' }, Ink::Label);
            }
        }
    }
    cells
        .iter()
        .map(|row| {
            let mut line = Line::new();
            let mut run = String::new();
            let mut ink = Ink::Blank;
            for &(c, i) in row {
                if i != ink && !run.is_empty() {
                    line.push(&run, style(ink));
                    run.clear();
                }
                ink = i;
                run.push(c);
            }
            line.push(&run, style(ink));
            line.finish(cols)
        })
        .collect()
}

fn style(ink: Ink) -> Style {
    match ink {
        Ink::Blank | Ink::Label => Style::PLAIN,
        Ink::Border => Style::PLAIN.dim(),
        Ink::Focused => Style::PLAIN.fg(Color::Green),
    }
}
