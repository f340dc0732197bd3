//! Components built for an earlier contract keep working: the host speaks
//! the current version (0.3.0) inside and translates at the boundary, to
//! 0.2.0 (`v2`) and from there to 0.1.0 (`v1`).

pub(crate) mod v1;
pub(crate) mod v2;

pub(crate) use v2::Convert;
