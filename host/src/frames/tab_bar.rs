//! The tab bar (and the compact bar, which adds the mode): the session's
//! name, then a label per tab, and where each label is, so that a click
//! on the bar finds its tab by the same arithmetic that drew it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect as RRect;
use ratatui::style::{Modifier, Style as RStyle};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use super::context::{Context, mode_name};
use super::theme;

/// The bar's pieces, left to right: text, style, and the tab it labels.
fn pieces<Io>(ctx: &Context<Io>, with_mode: bool) -> Vec<(String, RStyle, Option<usize>)> {
    let ui = &ctx.ui;
    let base = theme::style(ui.bar);
    let notice = theme::style(ui.notice);
    let mut pieces = vec![(format!(" {} ", ctx.session.name), base.add_modifier(Modifier::BOLD), None)];
    if with_mode {
        pieces.push((
            format!(" {} ", mode_name(ctx.view.mode)),
            theme::style(ui.mode).add_modifier(Modifier::BOLD),
            None,
        ));
        pieces.push((" ".into(), base, None));
        if let Some(text) = ctx.notice {
            pieces.push((format!(" {text} "), notice, None));
        }
    }
    if ctx.watcher {
        pieces.push((" WATCHING (read-only) ".into(), notice, None));
    }
    let active = ctx.view.tab_index(ctx.session);
    for (i, tab) in ctx.session.tabs.iter().enumerate() {
        let name = if i == active
            && let Some(typing) = &ctx.view.rename
        {
            format!("{typing}_")
        } else {
            tab.name.clone()
        };
        let bell = rang(ctx, tab);
        let label = format!(
            " {} {}{}{}{} ",
            i + 1,
            name,
            if tab.fullscreen.is_some() { " (FULLSCREEN)" } else { "" },
            if tab.sync { " (SYNC)" } else { "" },
            if bell { " (BELL)" } else { "" }
        );
        let style = if i == active {
            theme::style(ui.active_tab).add_modifier(Modifier::BOLD)
        } else if bell {
            notice.add_modifier(Modifier::BOLD)
        } else {
            base
        };
        pieces.push((label, style, Some(i)));
        pieces.push((" ".into(), base, None));
    }
    pieces
}

/// The tab whose label is at column `col` of the bar, if any.
pub fn tab_at<Io>(ctx: &Context<Io>, with_mode: bool, col: u16) -> Option<usize> {
    let mut x = 0usize;
    for (text, _, tab) in pieces(ctx, with_mode) {
        let width = text.width();
        if usize::from(col) < x + width {
            return tab;
        }
        x += width;
    }
    None
}

/// Whether a pane of `tab` rang its bell unseen.
pub(super) fn rang<Io>(ctx: &Context<Io>, tab: &revenant_session::Tab) -> bool {
    ctx.session.panes.values().any(|p| p.bell && tab.contains(p.id))
}

/// The tabs; `with_mode` adds the mode (the compact bar, which is the only
/// bar of its layout).
pub(super) fn draw<Io>(buf: &mut Buffer, ctx: &Context<Io>, area: RRect, with_mode: bool) {
    let base = theme::style(ctx.ui.bar);
    let spans: Vec<Span> =
        pieces(ctx, with_mode).into_iter().map(|(text, style, _)| Span::styled(text, style)).collect();
    Paragraph::new(Line::from(spans)).style(base).render(area, buf);
    // As Zellij: the keys, then the layout's name in capitals, drawn plain
    // once the panes were arranged by hand.
    if let Some((name, dirty)) = ctx.swap {
        let keys = " Alt <[]> ";
        let label = format!(" {} ", name.to_uppercase());
        let width = (keys.chars().count() + label.chars().count()) as u16;
        if width + 20 <= area.width {
            let ribbon = if dirty { base } else { theme::style(ctx.ui.active_tab) };
            let line =
                Line::from(vec![Span::styled(keys, base), Span::styled(label, ribbon.add_modifier(Modifier::BOLD))]);
            let at = RRect::new(area.x + area.width - width, area.y, width, 1);
            Paragraph::new(line).style(base).render(at, buf);
        }
    }
}
