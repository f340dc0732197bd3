//! Components built for an earlier contract keep working: the host speaks
//! the current version (0.4.0) inside and translates at the boundary, one
//! version at a time: to 0.3.0 (`v3`), from there to 0.2.0 (`v2`) and on to
//! 0.1.0 (`v1`).

/// A value of one contract version as the same-shaped value of another.
pub(crate) trait Convert<T> {
    fn convert(&self) -> T;
}

macro_rules! same {
    ($($t:ty),*) => {
        $(impl Convert<$t> for $t {
            fn convert(&self) -> $t {
                self.clone()
            }
        })*
    };
}

same!(String, bool, char, u8, u16, u32, u64);

impl<A: Convert<B>, B> Convert<Option<B>> for Option<A> {
    fn convert(&self) -> Option<B> {
        self.as_ref().map(Convert::convert)
    }
}

impl<A: Convert<B>, B> Convert<Vec<B>> for Vec<A> {
    fn convert(&self) -> Vec<B> {
        self.iter().map(Convert::convert).collect()
    }
}

impl<A: Convert<C>, B: Convert<D>, C, D> Convert<(C, D)> for (A, B) {
    fn convert(&self) -> (C, D) {
        (self.0.convert(), self.1.convert())
    }
}

/// A record, by the target's field names: fields the source has beyond
/// them (what 0.3.0 added) are left behind.
macro_rules! record {
    ($from:ident :: $t:ident => $to:ident { $($field:ident),* $(,)? }) => {
        impl Convert<$to::$t> for $from::$t {
            fn convert(&self) -> $to::$t {
                $to::$t { $($field: self.$field.convert()),* }
            }
        }
    };
}

/// A variant or enum, case by case; a case carries at most one payload.
macro_rules! cases {
    ($from:ident :: $t:ident => $to:ident { $($case:ident $(($x:ident))?),* $(,)? }) => {
        impl Convert<$to::$t> for $from::$t {
            fn convert(&self) -> $to::$t {
                match self {
                    $($from::$t::$case $(($x))? => $to::$t::$case $(($x.convert()))?),*
                }
            }
        }
    };
}

/// Key modifiers, flag by flag.
macro_rules! modifiers {
    ($from:ident => $to:ident) => {
        impl Convert<$to::Modifiers> for $from::Modifiers {
            fn convert(&self) -> $to::Modifiers {
                let mut out = $to::Modifiers::empty();
                for (from, to) in [
                    ($from::Modifiers::SHIFT, $to::Modifiers::SHIFT),
                    ($from::Modifiers::CTRL, $to::Modifiers::CTRL),
                    ($from::Modifiers::ALT, $to::Modifiers::ALT),
                ] {
                    if self.contains(from) {
                        out |= to;
                    }
                }
                out
            }
        }
    };
}

pub(crate) mod v1;
pub(crate) mod v2;
pub(crate) mod v3;

/// Two steps at once: `x` as `M` (the version between), then as `T`.
pub(crate) fn via<M: Convert<T>, T>(x: &impl Convert<M>) -> T {
    x.convert().convert()
}
