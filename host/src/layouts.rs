//! The built-in layouts (`layouts/*.kdl`), compiled into the binary so that
//! `--layout default` works without any files installed.

/// Name and KDL text of every built-in layout.
pub static BUILTIN_LAYOUTS: &[(&str, &str)] = &[
    ("default", include_str!("../../layouts/default.kdl")),
    ("compact", include_str!("../../layouts/compact.kdl")),
    ("classic", include_str!("../../layouts/classic.kdl")),
    ("splits", include_str!("../../layouts/splits.kdl")),
];

/// The built-in layout called `name`.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN_LAYOUTS.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_layout_is_kdl_v1_with_a_layout_root() {
        for (name, text) in BUILTIN_LAYOUTS {
            let doc = kdl::KdlDocument::parse_v1(text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert!(doc.get("layout").is_some(), "{name} has no layout node");
        }
        assert!(builtin("compact").unwrap().contains("zellij:compact-bar"));
        assert!(builtin("nope").is_none());
    }
}
