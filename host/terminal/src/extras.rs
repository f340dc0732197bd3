//! What only some cells carry: an underline colour (`SGR 58`) and a
//! hyperlink (`OSC 8`). Each distinct combination is kept once per terminal
//! and cells refer to it by a 16-bit index, so the common cell stays small.
//! Entries are never removed (scrollback may refer to any of them), so the
//! table is capped: past the cap, new combinations are dropped (the text
//! keeps its other attributes).

use std::collections::HashMap;
use std::sync::Arc;

use crate::style::Color;

/// A hyperlink as `OSC 8 ; params ; URI` gave it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Hyperlink {
    pub uri: String,
    /// The `id=` parameter, which joins separate runs into one link.
    pub id: Option<String>,
}

/// One combination of the rare attributes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Extra {
    pub underline_color: Color,
    pub link: Option<Arc<Hyperlink>>,
}

impl Extra {
    pub const NONE: Extra = Extra { underline_color: Color::Default, link: None };
}

/// Distinct combinations kept before new ones are dropped.
const MAX_ENTRIES: usize = 16_384;
/// Bytes of URIs kept before new links are dropped.
const MAX_LINK_BYTES: usize = 1 << 20;
/// Longer URIs are not links (xterm and kitty use similar limits).
pub(crate) const MAX_URI: usize = 8192;

#[derive(Debug)]
pub struct Extras {
    list: Vec<Extra>,
    index: HashMap<Extra, u16>,
    link_bytes: usize,
}

impl Default for Extras {
    fn default() -> Self {
        Extras { list: vec![Extra::NONE], index: HashMap::new(), link_bytes: 0 }
    }
}

impl Extras {
    /// The combination `index` refers to; an unknown index reads as none.
    pub fn get(&self, index: u16) -> &Extra {
        self.list.get(usize::from(index)).unwrap_or(&self.list[0])
    }

    /// Every combination, by index.
    pub(crate) fn list(&self) -> &[Extra] {
        &self.list
    }

    /// The index of `extra`, adding it if new and there is room.
    pub(crate) fn intern(&mut self, extra: Extra) -> u16 {
        if extra == Extra::NONE {
            return 0;
        }
        if let Some(&i) = self.index.get(&extra) {
            return i;
        }
        let link_bytes = extra.link.as_ref().map_or(0, |l| l.uri.len() + l.id.as_ref().map_or(0, String::len));
        if self.list.len() >= MAX_ENTRIES || self.link_bytes + link_bytes > MAX_LINK_BYTES {
            // Keep what fits: an underline colour without its link.
            if extra.link.is_some() && extra.underline_color != Color::Default {
                return self.intern(Extra { link: None, ..extra });
            }
            return 0;
        }
        let i = self.list.len() as u16;
        self.link_bytes += link_bytes;
        self.list.push(extra.clone());
        self.index.insert(extra, i);
        i
    }

    /// `index` with its underline colour replaced.
    pub(crate) fn with_underline_color(&mut self, index: u16, color: Color) -> u16 {
        let extra = Extra { underline_color: color, ..self.get(index).clone() };
        self.intern(extra)
    }

    /// `index` with its hyperlink replaced.
    pub(crate) fn with_link(&mut self, index: u16, link: Option<Arc<Hyperlink>>) -> u16 {
        let extra = Extra { link, ..self.get(index).clone() };
        self.intern(extra)
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.len() <= 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_are_kept_once() {
        let mut e = Extras::default();
        assert_eq!(e.intern(Extra::NONE), 0);
        let red = e.with_underline_color(0, Color::Indexed(1));
        assert_eq!(e.with_underline_color(0, Color::Indexed(1)), red);
        let link = Some(Arc::new(Hyperlink { uri: "https://x".into(), id: None }));
        let both = e.with_link(red, link.clone());
        assert_ne!(both, red);
        assert_eq!(e.get(both), &Extra { underline_color: Color::Indexed(1), link });
        assert_eq!(e.with_link(both, None), red);
        assert_eq!(e.with_underline_color(red, Color::Default), 0);
        assert_eq!(e.get(999), &Extra::NONE);
    }

    #[test]
    fn the_table_is_capped() {
        let mut e = Extras::default();
        for i in 0..MAX_ENTRIES + 10 {
            e.with_underline_color(0, Color::Rgb((i % 256) as u8, (i / 256 % 256) as u8, (i / 65536) as u8));
        }
        assert_eq!(e.len(), MAX_ENTRIES);
        let long = Some(Arc::new(Hyperlink { uri: "x".repeat(MAX_URI), id: None }));
        let mut e = Extras::default();
        for i in 0..200 {
            let link = Some(Arc::new(Hyperlink { uri: format!("{}{i}", long.as_ref().unwrap().uri), id: None }));
            e.with_link(0, link);
        }
        assert!(e.link_bytes <= MAX_LINK_BYTES);
    }
}
