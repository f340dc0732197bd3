//! Small readings of KDL nodes and values shared by config and layout
//! validation.

use kdl::{KdlNode, KdlValue};
use miette::SourceSpan;

pub fn name(node: &KdlNode) -> &str {
    node.name().value()
}

/// Where the node's name is: what an error about the node underlines.
pub fn name_span(node: &KdlNode) -> SourceSpan {
    node.name().span()
}

/// A value as a message quotes it; strings say so, because `"true"` and
/// `true` look alike once the quotes are gone.
pub fn describe(value: &KdlValue) -> String {
    match value {
        KdlValue::String(s) => format!("string {s:?}"),
        KdlValue::Integer(i) => i.to_string(),
        KdlValue::Float(f) => f.to_string(),
        KdlValue::Bool(b) => b.to_string(),
        KdlValue::Null => "null".into(),
    }
}
