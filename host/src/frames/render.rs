//! Composing a client's frame: the tab bar, the panes of the client's tab
//! (frames, terminal contents, floating panes on top) and the status bar
//! with the keys of the client's current mode. Pane contents are copied cell
//! by cell with every attribute; the bars, frames and banners are ratatui
//! widgets drawn onto the same screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect as RRect;
use ratatui::style::{Color as RColor, Modifier, Style as RStyle};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget, Wrap};
use revenant_config::Mode;
use revenant_config::themes::UiColours;
use revenant_terminal::{Cell, Color, Terminal};

use crate::frames::{Pen, Screen, ScreenCell, draw_widget};
use revenant_session::tiling::Rect;

use super::row_cache::{Chrome, RowCache};
use revenant_session::Pane;
use revenant_session::bars::BarKind;

pub use super::context::Context;
use super::context::mode_name;
use super::theme;

/// Whether a pane gets a frame: every pane when `pane_frames` is on, a
/// floating one always (it needs an edge), never a `borderless` one.
pub fn framed(pane_frames: bool, floating: bool, borderless: bool) -> bool {
    (pane_frames || floating) && !borderless
}

/// A stacked pane's terminal: below the list of its stack's `list` members.
pub fn below_list(inner: Rect, list: u16) -> Rect {
    let list = list.min(inner.h.saturating_sub(1));
    Rect::new(inner.x, inner.y + list, inner.w, inner.h - list)
}

/// The part of a pane's rectangle its terminal gets: all of it when a
/// frame would leave no room.
pub fn inner(rect: Rect, framed: bool) -> Rect {
    if framed && rect.w > 2 && rect.h > 2 { Rect::new(rect.x + 1, rect.y + 1, rect.w - 2, rect.h - 2) } else { rect }
}

/// Composes the client's frame onto `screen` and says where its cursor
/// goes, if it shows. `screen` starts blank, or as the last frame left it
/// when `rows` may skip pane rows that did not change.
pub fn draw<Io>(screen: &mut Screen, ctx: &Context<Io>, rows: &mut RowCache) -> Option<(u16, u16)> {
    let full = RRect::new(0, 0, screen.cols(), screen.rows());
    let bars = ctx.session.bars;
    // The bars get only the rows the pane area leaves them: on a screen
    // too small for both, a bar drawn under a pane would show through the
    // pane rows a frame drawn in part skips.
    if let Some(bar) = bars.top.filter(|_| ctx.area.y > 0) {
        let area = RRect::new(0, 0, full.width, bar.rows.min(ctx.area.y).min(full.height));
        if !rows.chrome_unchanged(Chrome::TopBar, bar_key(ctx, bar.kind, area)) {
            draw_bar(screen, ctx, bar.kind, area);
        }
    }
    let focused = ctx.view.focused(ctx.session);
    let mut cursor = None;
    if let Some(tab) = ctx.view.tab(ctx.session) {
        for placement in tab.placements(ctx.area) {
            let Some(pane) = ctx.session.panes.get(&placement.id) else { continue };
            let rect = clip(placement.rect, full);
            if rect.width == 0 || rect.height == 0 {
                continue;
            }
            if placement.floating {
                screen.fill(rect.x, rect.y, rect.width, rect.height, &Pen::DEFAULT);
            }
            let is_focused = focused == Some(pane.id);
            if placement.collapsed {
                // Shown as an entry of its stack's list, in the open pane.
                continue;
            }
            let framed = framed(ctx.frames, placement.floating, pane.borderless);
            let mut inner_rect = inner(placement.rect, framed);
            // A frame too small to fit is not drawn: the terminal covers
            // the pane, and rows it skips must not show a frame under them.
            if framed
                && inner_rect != placement.rect
                && !rows.chrome_unchanged(
                    Chrome::Frame(pane.id),
                    Some(frame_key(pane, rect, is_focused, placement.floating, &ctx.ui)),
                )
            {
                draw_pane_frame(
                    screen,
                    rect,
                    pane,
                    &Framing { focused: is_focused, floating: placement.floating, ui: &ctx.ui },
                );
            }
            if let Some(stack) = tab.tiled.stack_of(pane.id) {
                let titles: Vec<String> = stack
                    .panes
                    .iter()
                    .map(|id| ctx.session.panes.get(id).map(Pane::title).unwrap_or_default())
                    .collect();
                let list = clip(inner_rect, full);
                let open = stack.panes.iter().position(|id| *id == pane.id).unwrap_or(0);
                // Blank first: a shorter title must not leave the end of a
                // longer one from the last frame.
                let listed = (titles.len() as u16).min(list.height.saturating_sub(1));
                screen.fill(list.x, list.y, list.width, listed, &Pen::DEFAULT);
                draw_widget(screen, list, |area, buf| stack_list(buf, &titles, open, area, &ctx.ui));
                inner_rect = below_list(inner_rect, stack.panes.len() as u16);
            }
            let inner_rect = clip(inner_rect, full);
            terminal(screen, pane, inner_rect, rows, &ctx.ui);
            if let Some(code) = pane.exited {
                draw_widget(screen, inner_rect, |area, buf| exit_banner(buf, code, area, &ctx.ui));
            } else if pane.suspended {
                draw_widget(screen, inner_rect, |area, buf| suspended_banner(buf, pane, area, &ctx.ui));
            }
            if is_focused
                && ctx.view.mode == Mode::Copy
                && let Some(copy) = pane.copy
            {
                // Copy mode's cursor is the terminal's cursor meanwhile.
                let top = revenant_session::selection::top_line(&pane.term, pane.scroll);
                let row = copy.at.line.checked_sub(top).filter(|r| *r < usize::from(inner_rect.height));
                if let Some(row) = row.filter(|_| copy.at.col < inner_rect.width) {
                    cursor = Some((inner_rect.x + copy.at.col, inner_rect.y + row as u16));
                }
            } else if is_focused
                && pane.scroll == 0
                && pane.exited.is_none()
                && !pane.suspended
                && ctx.view.mode == Mode::Normal
            {
                let c = pane.term.cursor();
                if c.visible && c.col < inner_rect.width && c.row < inner_rect.height {
                    cursor = Some((inner_rect.x + c.col, inner_rect.y + c.row));
                }
            }
        }
    }
    if let Some(bar) = bars.bottom {
        // A watcher smaller than the session still gets its status bar,
        // over the panes (and so always drawn whole: see `compose`).
        let height = bar.rows.min(full.height.saturating_sub(ctx.area.y + 1));
        let area = RRect::new(0, full.height - height, full.width, height);
        if !rows.chrome_unchanged(Chrome::BottomBar, bar_key(ctx, bar.kind, area)) {
            draw_bar(screen, ctx, bar.kind, area);
        }
    }
    cursor
}

fn clip(r: Rect, area: RRect) -> RRect {
    RRect::new(r.x, r.y, r.w, r.h).intersection(area)
}

/// What a bar is drawn from, hashed: a frame drawn in part redraws a bar
/// only when this changed. While a tab is renamed or a search typed, the
/// bar changes with each key and is always drawn.
fn bar_key<Io>(ctx: &Context<Io>, kind: BarKind, area: RRect) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let mode = ctx.view.mode;
    if ctx.view.rename.is_some() || matches!(mode, Mode::RenameTab | Mode::EnterSearch | Mode::Search | Mode::Copy) {
        return None;
    }
    let mut h = KeyHasher::default();
    (kind as u8, area.x, area.y, area.width, area.height).hash(&mut h);
    (&ctx.session.name, mode, ctx.notice, ctx.watcher, ctx.swap, ctx.hints, ctx.ui).hash(&mut h);
    ctx.view.tab_index(ctx.session).hash(&mut h);
    for tab in &ctx.session.tabs {
        (&tab.name, tab.fullscreen.is_some(), tab.sync, super::tab_bar::rang(ctx, tab)).hash(&mut h);
    }
    Some(h.finish())
}

/// What a pane's frame is drawn from, hashed (see [`bar_key`]).
fn frame_key<Io>(pane: &Pane<Io>, rect: RRect, focused: bool, floating: bool, ui: &UiColours) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = KeyHasher::default();
    ui.hash(&mut h);
    (rect.x, rect.y, rect.width, rect.height, focused, floating, pane.title_ref(), pane.scroll, pane.bell).hash(&mut h);
    if pane.scroll > 0 {
        pane.term.scrollback_len().hash(&mut h);
    }
    h.finish()
}

/// FNV-1a: a few dozen bytes per key, where SipHash's setup cost more
/// than the hashing. Nothing hostile picks these inputs to collide, and a
/// collision costs one bar drawn stale until its next change (the debug
/// check would catch a pattern).
struct KeyHasher(u64);

impl Default for KeyHasher {
    fn default() -> Self {
        KeyHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn draw_bar<Io>(screen: &mut Screen, ctx: &Context<Io>, kind: BarKind, area: RRect) {
    if area.height == 0 {
        return;
    }
    draw_widget(screen, area, |area, buf| match kind {
        BarKind::Tabs => super::tab_bar::draw(buf, ctx, area, false),
        BarKind::Status => status_bar(buf, ctx, area),
        BarKind::Compact => super::tab_bar::draw(buf, ctx, area, true),
    });
}

fn status_bar<Io>(buf: &mut Buffer, ctx: &Context<Io>, area: RRect) {
    let ui = &ctx.ui;
    let base = theme::style(ui.bar);
    let key = theme::style(ui.key_hint).add_modifier(Modifier::BOLD);
    let mode = ctx.view.mode;
    let mut spans =
        vec![Span::styled(format!(" {} ", mode_name(mode)), theme::style(ui.mode).add_modifier(Modifier::BOLD))];
    if let Some(notice) = ctx.notice {
        spans.push(Span::styled(format!(" {notice} "), theme::style(ui.notice)));
    }
    if ctx.view.tab(ctx.session).is_some_and(|t| t.sync) {
        spans.push(Span::styled(" SYNC ", theme::style(ui.sync).add_modifier(Modifier::BOLD)));
    }
    if mode == Mode::RenameTab {
        spans.push(Span::styled(" type the new name · ENTER done · ESC cancel ", base));
    }
    let focused = ctx.view.focused(ctx.session).and_then(|id| ctx.session.panes.get(&id));
    // Copy mode's `/` and `?` type a query as search mode does.
    let typing = mode == Mode::Copy && focused.and_then(|p| p.copy).is_some_and(|c| c.typing.is_some());
    if let Some(search) = focused.and_then(|p| p.search.as_ref())
        && (matches!(mode, Mode::EnterSearch | Mode::Search) || mode == Mode::Copy)
    {
        let shown = if typing {
            Mode::EnterSearch
        } else if mode == Mode::Copy {
            Mode::Search
        } else {
            mode
        };
        spans.push(Span::styled(format!(" {} ", search_status(search, shown)), base.add_modifier(Modifier::BOLD)));
    }
    let hints = ctx.hints;
    // One row cuts what does not fit: only whole hints go in it. A taller
    // bar (Zellij's two-line status bar) wraps them onto its further lines.
    let room = if area.height > 1 {
        usize::MAX
    } else {
        (area.width as usize).saturating_sub(spans.iter().map(Span::width).sum())
    };
    for (k, label) in super::status_hints::fit(hints, room) {
        spans.push(Span::styled(" ", base));
        spans.push(Span::styled(format!("<{k}>"), key));
        spans.push(Span::styled(format!(" {label}"), base));
    }
    Paragraph::new(Line::from(spans)).style(base).wrap(Wrap { trim: false }).render(area, buf);
}

/// `Find: text_` while typing; then the query, which match is current and
/// the options.
fn search_status(search: &revenant_session::search::Search, mode: Mode) -> String {
    if mode == Mode::EnterSearch {
        return format!("Find: {}_ · ENTER search", search.query);
    }
    let position = match search.current {
        Some(i) => format!("{}/{}", i + 1, search.matches.len()),
        None => format!("0/{}", search.matches.len()),
    };
    let on = |b: bool| if b { "on" } else { "off" };
    format!(
        "Find: {} · {position} · case {} · whole word {} · wrap {}",
        search.query,
        on(search.case_sensitive),
        on(search.whole_word),
        on(search.wrap)
    )
}

/// How a frame is drawn: focused or not, floating or not, in which colours.
struct Framing<'a> {
    focused: bool,
    floating: bool,
    ui: &'a UiColours,
}

/// A pane's frame, drawn edge by edge: a widget buffer the size of the
/// whole pane, for a border one cell wide, cost more than the rest of the
/// frame (about 0.2 ms of each key's echo at 120x40).
fn draw_pane_frame<Io>(screen: &mut Screen, rect: RRect, pane: &Pane<Io>, how: &Framing) {
    if rect.width < 2 || rect.height < 3 {
        draw_widget(screen, rect, |area, buf| pane_frame(buf, pane, area, how, Borders::ALL));
        return;
    }
    let (x, y, w, h) = (rect.x, rect.y, rect.width, rect.height);
    let edges = [
        (RRect::new(x, y, w, 1), Borders::TOP | Borders::LEFT | Borders::RIGHT),
        (RRect::new(x, y + h - 1, w, 1), Borders::BOTTOM | Borders::LEFT | Borders::RIGHT),
        (RRect::new(x, y + 1, 1, h - 2), Borders::LEFT),
        (RRect::new(x + w - 1, y + 1, 1, h - 2), Borders::RIGHT),
    ];
    for (edge, borders) in edges {
        draw_widget(screen, edge, |area, buf| pane_frame(buf, pane, area, how, borders));
    }
}

/// The frame's `borders` (all of them, or the edges [`draw_pane_frame`]
/// draws one at a time); the title goes on the top edge.
fn pane_frame<Io>(buf: &mut Buffer, pane: &Pane<Io>, rect: RRect, how: &Framing, borders: Borders) {
    let Framing { focused, floating, ui } = *how;
    let colour = match (focused, pane.bell) {
        (true, _) => theme::rcolor(ui.frame_focused),
        (false, true) => theme::rcolor(ui.frame_bell),
        // A theme without `frame_unselected`: the terminal's own colour.
        (false, false) => ui.frame_unfocused.map_or(RColor::Reset, theme::rcolor),
    };
    let style = RStyle::default().fg(colour);
    let block = Block::new()
        .borders(borders)
        .border_type(if focused { BorderType::Thick } else { BorderType::Rounded })
        .border_style(style);
    if !borders.contains(Borders::TOP) {
        block.render(rect, buf);
        return;
    }
    let mut title = format!(" {} ", pane.title());
    if floating {
        title.push_str("(FLOATING) ");
    }
    if pane.scroll > 0 {
        title.push_str(&format!("[SCROLL {}/{}] ", pane.scroll, pane.term.scrollback_len()));
    }
    if pane.bell && !focused {
        title.push_str("(BELL) ");
    }
    let block =
        block.title(Span::styled(title, style.add_modifier(if focused { Modifier::BOLD } else { Modifier::empty() })));
    block.render(rect, buf);
}

/// A stack's members, one row each at the top of its open pane (Zellij
/// 0.45's stacked list): the open one in brackets and bold.
fn stack_list(buf: &mut Buffer, titles: &[String], open: usize, rect: RRect, ui: &UiColours) {
    let dim = RStyle::default().fg(ui.frame_unfocused.map_or(RColor::Reset, theme::rcolor));
    let lines: Vec<Line> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i == open {
                Line::styled(format!("[ {t} ]"), RStyle::default().add_modifier(Modifier::BOLD))
            } else {
                Line::styled(format!("  {t}"), dim)
            }
        })
        .collect();
    let height = (titles.len() as u16).min(rect.height.saturating_sub(1));
    Paragraph::new(lines).render(RRect::new(rect.x, rect.y, rect.width, height), buf);
}

/// Copies the visible part of a pane's terminal (or of its scrollback, when
/// scrolled) onto the screen, every attribute included.
/// Rows whose cells are as they were when last drawn are skipped when
/// `rows` allows it.
fn terminal<Io>(screen: &mut Screen, pane: &Pane<Io>, area: RRect, rows: &mut RowCache, ui: &UiColours) {
    let term: &Terminal = &pane.term;
    let (skip, unchanged) = rows.begin_pane(pane, area, ui);
    let plugin = pane.plugin_location.is_some();
    if unchanged {
        return;
    }
    let sb = term.scrollback_len();
    let top = sb.saturating_sub(pane.scroll.min(sb));
    let right = area.x + area.width;
    let selected = pane.selection.filter(|s| !s.is_empty()).map(|s| s.bounds(term));
    let mut history: Vec<Cell> = Vec::new();
    for y in 0..area.height.min(term.rows()) {
        let index = top + y as usize;
        // History lines come without their trailing blanks already.
        let (row, content): (&[Cell], &[Cell]) = if index < sb {
            term.scrollback_row_into(index, &mut history);
            (&history, &history)
        } else {
            (term.row((index - sb) as u16), term.row_content((index - sb) as u16))
        };
        if rows.unchanged(pane.id, y, content, skip) {
            continue;
        }
        // A scrollback line may be shorter than the screen is wide: the
        // rest of the row is blank, whatever the last frame drew there.
        let drawn = row.len().min(area.width as usize) as u16;
        if drawn < area.width {
            screen.fill(area.x + drawn, area.y + y, area.width - drawn, 1, &Pen::DEFAULT);
        }
        for (x, cell) in row.iter().take(area.width as usize).enumerate() {
            // The right half of a wide character is written with its head.
            if cell.width == 0 {
                continue;
            }
            let mut cell = screen_cell(term, cell);
            colour_defaults(&mut cell.pen, pane);
            if plugin
                && let Color::Indexed(n) = cell.pen.fg
                && let Some(themed) = theme::plugin_colour(ui, n)
            {
                cell.pen.fg = themed;
            }
            let at = revenant_session::selection::Point { line: index, col: x as u16 };
            if let Some(current) = pane.search.as_ref().and_then(|s| s.highlight(index, x as u16)) {
                let pair = if current { ui.search_current } else { ui.search_match };
                cell.pen.fg = theme::color(pair.fg);
                cell.pen.bg = theme::color(pair.bg);
            }
            if let (Some(sel), Some(bounds)) = (pane.selection, selected)
                && sel.covers(bounds, at)
            {
                let reverse = revenant_terminal::Flags::REVERSE;
                if let Some(pair) = ui.selection {
                    cell.pen.fg = theme::color(pair.fg);
                    cell.pen.bg = theme::color(pair.bg);
                    cell.pen.flags.remove(reverse);
                } else if cell.pen.flags.contains(reverse) {
                    cell.pen.flags.remove(reverse);
                } else {
                    cell.pen.flags.insert(reverse);
                }
            }
            screen.put(area.x + x as u16, area.y + y, right, cell);
        }
    }
}

/// A pane's `default_fg` / `default_bg` stand in for "the terminal's
/// default colour" in its cells.
fn colour_defaults<Io>(pen: &mut Pen, pane: &Pane<Io>) {
    let value = |c: &revenant_layout::Colour| match c.value {
        revenant_layout::ColourValue::Indexed(i) => Color::Indexed(i),
        revenant_layout::ColourValue::Rgb(r, g, b) => Color::Rgb(r, g, b),
    };
    if let Some(fg) = &pane.default_fg
        && pen.fg == Color::Default
    {
        pen.fg = value(fg);
    }
    if let Some(bg) = &pane.default_bg
        && pen.bg == Color::Default
    {
        pen.bg = value(bg);
    }
}

/// A terminal cell with its extras looked up.
fn screen_cell(term: &Terminal, cell: &Cell) -> ScreenCell {
    let extra = term.extra(cell.style.extra);
    ScreenCell {
        ch: cell.ch,
        combining: cell.combining,
        width: cell.width,
        pen: Pen {
            fg: cell.style.fg,
            bg: cell.style.bg,
            underline_color: extra.underline_color,
            // Protection (DECSCA) and prompt zones (OSC 133) are not drawn.
            flags: {
                let mut flags = cell.style.flags;
                flags.remove(revenant_terminal::Flags::UNDRAWN);
                flags
            },
            link: extra.link.clone(),
        },
    }
}

fn exit_banner(buf: &mut Buffer, code: Option<i32>, area: RRect, ui: &UiColours) {
    if area.height == 0 {
        return;
    }
    let status = match code {
        Some(c) => format!("Exited with code {c}"),
        None => "Killed by a signal".to_string(),
    };
    let colour = theme::rcolor(if code == Some(0) { ui.exit_success } else { ui.exit_error });
    let key = RStyle::default().fg(theme::rcolor(ui.banner_key));
    let line = Line::from(vec![
        Span::styled(format!(" {status} "), RStyle::default().fg(colour).add_modifier(Modifier::BOLD)),
        Span::raw("· "),
        Span::styled("<ENTER>", key),
        Span::raw(" re-run · "),
        Span::styled("<ESC>", key),
        Span::raw(" drop to shell · "),
        Span::styled("<Ctrl-c>", key),
        Span::raw(" close "),
    ]);
    bottom_line(buf, area, line);
}

/// A banner over the last row of a pane.
fn bottom_line(buf: &mut Buffer, area: RRect, line: Line) {
    let row = RRect::new(area.x, area.y + area.height - 1, area.width, 1);
    Clear.render(row, buf);
    Paragraph::new(line).render(row, buf);
}

/// A command held back by `start_suspended` (or by resurrection): the user
/// starts it with ENTER.
fn suspended_banner<Io>(buf: &mut Buffer, pane: &Pane<Io>, area: RRect, ui: &UiColours) {
    if area.height == 0 {
        return;
    }
    let command = pane.spec.argv.join(" ");
    let key = RStyle::default().fg(theme::rcolor(ui.banner_key));
    let line = Line::from(vec![
        Span::styled(
            " Press ENTER to run… ",
            RStyle::default().fg(theme::rcolor(ui.exit_success)).add_modifier(Modifier::BOLD),
        ),
        Span::styled(command, RStyle::default().add_modifier(Modifier::BOLD)),
        Span::raw(" · "),
        Span::styled("<ESC>", key),
        Span::raw(" drop to shell · "),
        Span::styled("<Ctrl-c>", key),
        Span::raw(" close "),
    ]);
    bottom_line(buf, area, line);
}
