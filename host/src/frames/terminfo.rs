//! Just enough of a compiled terminfo entry to tell what the user's terminal
//! can draw: its number of colours, and the extended capabilities tmux reads
//! for the same purpose (`Tc`/`RGB` for truecolor, `Smulx`/`Setulc` for
//! underline styles and colours).

use std::path::{Path, PathBuf};

/// What an entry says, of what we ask.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// `colors` (max_colors), if given.
    pub colors: Option<i32>,
    /// Names of the extended booleans and strings present (`Tc`, `Smulx`…).
    pub extended: Vec<String>,
}

impl Entry {
    pub fn has(&self, name: &str) -> bool {
        self.extended.iter().any(|n| n == name)
    }
}

/// The entry for `term`, looked up where ncurses looks.
pub fn load(term: &str) -> Option<Entry> {
    if term.is_empty() || term.contains('/') {
        return None;
    }
    let first = term.chars().next()?;
    for dir in search_dirs() {
        for sub in [first.to_string(), format!("{:x}", first as u32)] {
            let path = dir.join(&sub).join(term);
            if let Ok(bytes) = std::fs::read(&path) {
                return parse(&bytes);
            }
        }
    }
    None
}

fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("TERMINFO") {
        dirs.push(PathBuf::from(d));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".terminfo"));
    }
    if let Ok(list) = std::env::var("TERMINFO_DIRS") {
        dirs.extend(list.split(':').filter(|d| !d.is_empty()).map(PathBuf::from));
    }
    for d in ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo"] {
        dirs.push(PathBuf::from(d));
    }
    dirs
}

/// `max_colors` is the 14th standard number.
const MAX_COLORS: usize = 13;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn i16(&mut self) -> Option<i32> {
        let b = self.bytes.get(self.at..self.at + 2)?;
        self.at += 2;
        Some(i16::from_le_bytes([b[0], b[1]]) as i32)
    }
    fn i32(&mut self) -> Option<i32> {
        let b = self.bytes.get(self.at..self.at + 4)?;
        self.at += 4;
        Some(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn skip(&mut self, n: usize) -> Option<()> {
        (self.at + n <= self.bytes.len()).then(|| self.at += n)
    }
    fn align(&mut self) {
        self.at += self.at % 2;
    }
    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.i16()?.max(0)).ok()
    }
}

/// Parses the legacy (16-bit) and the 32-bit number formats, with the
/// extended section when present.
pub fn parse(bytes: &[u8]) -> Option<Entry> {
    let mut r = Reader { bytes, at: 0 };
    let wide_numbers = match r.i16()? {
        0o432 => false,
        0o1036 => true,
        _ => return None,
    };
    let (names, bools, nums, strings, table) = (r.count()?, r.count()?, r.count()?, r.count()?, r.count()?);
    r.skip(names)?;
    r.skip(bools)?;
    r.align();
    let mut colors = None;
    for i in 0..nums {
        let n = if wide_numbers { r.i32()? } else { r.i16()? };
        if i == MAX_COLORS && n >= 0 {
            colors = Some(n);
        }
    }
    r.skip(strings * 2)?;
    r.skip(table)?;
    r.align();
    let extended = extended_names(&mut r, wide_numbers).unwrap_or_default();
    Some(Entry { colors, extended })
}

/// The names of the extended booleans (that are true) and strings (that are
/// present).
fn extended_names(r: &mut Reader, wide_numbers: bool) -> Option<Vec<String>> {
    let (bools, nums, strings, _items, table_size) = (r.count()?, r.count()?, r.count()?, r.count()?, r.count()?);
    let bool_values: Vec<bool> = (0..bools).map(|i| r.bytes.get(r.at + i).is_some_and(|b| *b == 1)).collect();
    r.skip(bools)?;
    r.align();
    r.skip(nums * if wide_numbers { 4 } else { 2 })?;
    let string_offsets: Vec<i32> = (0..strings).map(|_| r.i16()).collect::<Option<_>>()?;
    let name_offsets: Vec<i32> = (0..bools + nums + strings).map(|_| r.i16()).collect::<Option<_>>()?;
    let table = r.bytes.get(r.at..r.at + table_size)?;
    let cstr = |at: usize| -> Option<&str> {
        let rest = table.get(at..)?;
        std::str::from_utf8(&rest[..rest.iter().position(|&b| b == 0)?]).ok()
    };
    // The names follow the string values in the table.
    let names_start = string_offsets
        .iter()
        .filter(|&&o| o >= 0)
        .filter_map(|&o| cstr(o as usize).map(|s| o as usize + s.len() + 1))
        .max()
        .unwrap_or(0);
    let name = |i: usize| cstr(names_start + usize::try_from(name_offsets[i]).ok()?).map(str::to_string);
    let mut out = Vec::new();
    for (i, &set) in bool_values.iter().enumerate() {
        if set {
            out.extend(name(i));
        }
    }
    for (k, &offset) in string_offsets.iter().enumerate() {
        if offset >= 0 {
            out.extend(name(bools + nums + k));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compiled entry: 16-bit numbers, `colors#256`, one standard string,
    /// extended `Tc` (true), `AX` (false) and `Smulx`.
    fn sample() -> Vec<u8> {
        let mut b = Vec::new();
        let push = |b: &mut Vec<u8>, v: i16| b.extend_from_slice(&v.to_le_bytes());
        let names = b"test|a test terminal\0";
        push(&mut b, 0o432);
        push(&mut b, names.len() as i16);
        push(&mut b, 1); // bools
        push(&mut b, 14); // numbers
        push(&mut b, 1); // strings
        push(&mut b, 4); // string table
        b.extend_from_slice(names);
        b.push(1);
        if b.len() % 2 == 1 {
            b.push(0);
        }
        for i in 0..14 {
            push(&mut b, if i == 13 { 256 } else { -1 });
        }
        push(&mut b, 0);
        b.extend_from_slice(b"\x1b[H\0");
        if b.len() % 2 == 1 {
            b.push(0);
        }
        // Extended: 2 booleans, 0 numbers, 1 string.
        let values = b"\x1b[4:%p1%dm\0";
        let ext_names = b"Tc\0AX\0Smulx\0";
        push(&mut b, 2);
        push(&mut b, 0);
        push(&mut b, 1);
        push(&mut b, 4);
        push(&mut b, (values.len() + ext_names.len()) as i16);
        b.extend_from_slice(&[1, 0]);
        push(&mut b, 0); // Smulx's value at 0
        push(&mut b, 0); // "Tc"
        push(&mut b, 3); // "AX"
        push(&mut b, 6); // "Smulx"
        b.extend_from_slice(values);
        b.extend_from_slice(ext_names);
        b
    }

    #[test]
    fn reads_colours_and_extended_capabilities() {
        let e = parse(&sample()).unwrap();
        assert_eq!(e.colors, Some(256));
        assert!(e.has("Tc") && e.has("Smulx"), "{e:?}");
        assert!(!e.has("AX"), "a false boolean is not set: {e:?}");
        assert!(parse(b"garbage").is_none());
        assert!(parse(&sample()[..20]).is_none());
    }

    #[test]
    fn the_system_database_is_read_where_there_is_one() {
        // Debian's ncurses-base ships xterm-256color; where it is missing
        // there is nothing to read, which `load` must survive.
        if let Some(e) = load("xterm-256color") {
            assert_eq!(e.colors, Some(256), "{e:?}");
        }
        assert!(load("no-such-terminal-anywhere").is_none());
        assert!(load("../etc/passwd").is_none());
    }
}
