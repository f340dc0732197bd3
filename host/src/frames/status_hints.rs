//! Fitting a mode's key hints into the status bar: whole hints only, the
//! least important dropped first, and the quit hint kept while anything fits.

use revenant_config::Mode;
use unicode_width::UnicodeWidthStr;

/// A hint as the bar draws it: ` <KEYS> LABEL`.
fn width((keys, label): &(String, String)) -> usize {
    1 + keys.width() + 2 + 1 + label.width()
}

/// How much a hint is worth its room: quitting most (a user who cannot
/// see how to leave is stuck), then the keys into the other modes, then
/// the shortcuts.
fn rank(label: &str) -> u8 {
    match label {
        "quit" => 0,
        "lock" | "unlock" | "back" | "search" => 1,
        other if Mode::ALL.iter().any(|m| m.name() == other) => 1,
        _ => 2,
    }
}

/// The hints that fit in `room` columns, in their order: the shortcuts go
/// first (the last listed first), then the mode keys, then quit.
pub(super) fn fit(hints: &[(String, String)], room: usize) -> Vec<&(String, String)> {
    let mut total: usize = hints.iter().map(width).sum();
    let mut dropping: Vec<usize> = (0..hints.len()).collect();
    dropping.sort_by_key(|&i| (std::cmp::Reverse(rank(&hints[i].1)), std::cmp::Reverse(i)));
    let mut dropped = vec![false; hints.len()];
    for i in dropping {
        if total <= room {
            break;
        }
        total -= width(&hints[i]);
        dropped[i] = true;
    }
    hints.iter().zip(dropped).filter(|(_, gone)| !gone).map(|(h, _)| h).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bar at `cols` columns in normal mode with the default keys:
    /// ` NORMAL ` and then the hints that fit.
    fn bar(cols: usize) -> (Vec<(String, String)>, String) {
        let hints = revenant_config::Config::default().keybinds.mode_hints(Mode::Normal);
        let room = cols - " NORMAL ".len();
        let text: String = fit(&hints, room).iter().map(|(k, l)| format!(" <{k}> {l}")).collect();
        assert!(text.width() <= room, "{cols} columns: {text:?} is too wide");
        (hints, text)
    }

    #[test]
    fn hints_fit_whole_and_quit_stays() {
        for cols in [80, 100, 160, 200] {
            let (hints, text) = bar(cols);
            assert!(text.contains(" <Ctrl q> quit"), "{cols} columns: {text:?}");
            for (keys, label) in &hints {
                let key = format!("<{keys}>");
                assert!(
                    !text.contains(&key) || text.contains(&format!(" {key} {label}")),
                    "{cols} columns: {key} without its label in {text:?}"
                );
            }
        }
    }

    #[test]
    fn the_shortcuts_go_before_the_modes_and_the_last_listed_first() {
        let (hints, _) = bar(200);
        let shown = |cols| bar(cols).1.matches(" <").count();
        let counts: Vec<usize> = [80, 100, 160, 200, 260].into_iter().map(shown).collect();
        assert!(counts.windows(2).all(|w| w[0] <= w[1]), "more room, more hints: {counts:?}");
        assert_eq!(counts[4], hints.len(), "all of them in 260 columns");
        let (_, narrow) = bar(100);
        assert!(narrow.contains("<Ctrl p> pane") && narrow.contains("<Ctrl o> session"), "{narrow:?}");
        assert!(!narrow.contains("<Alt n>"), "{narrow:?}");
        let (_, wide) = bar(200);
        assert!(wide.contains("<Alt n> new") && !wide.contains("<Alt -> decrease"), "{wide:?}");
    }
}
