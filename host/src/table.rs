//! Plain-text tables for the command line: each column as wide as its widest
//! cell, so rows line up whatever their contents.

use unicode_width::UnicodeWidthStr;

/// How a column's cells sit in its width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    /// Numbers and sizes read best right-aligned.
    Right,
}

/// `rows` (and `header`, when given) as lines, columns two spaces apart.
/// The last column is not padded: no line ends in spaces.
pub fn render(header: Option<&[&str]>, rows: &[Vec<String>], align: &[Align]) -> String {
    let header: Option<Vec<String>> = header.map(|h| h.iter().map(|c| c.to_string()).collect());
    let lines: Vec<&Vec<String>> = header.iter().chain(rows).collect();
    let columns = lines.iter().map(|r| r.len()).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..columns).map(|c| lines.iter().filter_map(|r| r.get(c)).map(|s| s.width()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in lines {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c > 0 {
                line.push_str("  ");
            }
            let pad = " ".repeat(widths[c].saturating_sub(cell.width()));
            let last = c + 1 == row.len();
            match align.get(c).copied().unwrap_or(Align::Left) {
                Align::Right => {
                    line.push_str(&pad);
                    line.push_str(cell);
                }
                Align::Left if last => line.push_str(cell),
                Align::Left => {
                    line.push_str(cell);
                    line.push_str(&pad);
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_cell() {
        let rows = [row(&["7", "saved 10s ago", "6.9 KiB", "x"]), row(&["12", "saved 1m 3s ago", "16.5 KiB", "y"])];
        let text = render(None, &rows, &[Align::Right, Align::Left, Align::Right]);
        assert_eq!(text, " 7  saved 10s ago     6.9 KiB  x\n12  saved 1m 3s ago  16.5 KiB  y\n");
    }

    #[test]
    fn a_header_lines_up_with_its_rows_and_wide_characters_count_twice() {
        let rows = [row(&["3", "1", "*", "日本"]), row(&["1234", "10", "", "b"])];
        let text = render(Some(&["ID", "TAB", "FOCUS", "TITLE"]), &rows, &[]);
        assert_eq!(text, "ID    TAB  FOCUS  TITLE\n3     1    *      日本\n1234  10          b\n");
        assert_eq!(render(None, &[row(&["日本", "x"]), row(&["abc", "y"])], &[]), "日本  x\nabc   y\n");
    }
}
