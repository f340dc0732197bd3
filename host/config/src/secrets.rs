//! `secret_rules { rule "name" "regex" }`: patterns of secrets, added to
//! the built-in ones, that saved screens never hold (the host compiles
//! and applies them).

use kdl::KdlNode;

use crate::error::{ErrorKind, Fault};
use crate::values;

const EXAMPLE: &str = "secret_rules { rule \"acme-key\" \"ACME-[0-9]{6}\"; }";

pub(crate) fn parse(node: &KdlNode) -> Result<Vec<(String, String)>, Fault> {
    values::reject_properties(node, &[], "secret_rules")?;
    values::reject_arguments(node, "secret_rules")?;
    let mut rules: Vec<(String, String)> = Vec::new();
    for child in node.children().map(|c| c.nodes()).unwrap_or_default() {
        let written = values::name(child);
        if written != "rule" {
            return Err(Fault::new(
                ErrorKind::UnknownOption,
                values::name_span(child),
                format!("`secret_rules` holds `rule` nodes, found `{written}`"),
                "not `rule`",
            )
            .help(EXAMPLE));
        }
        values::reject_properties(child, &[], "rule")?;
        values::reject_children(child, "rule")?;
        let args = values::arguments(child);
        let [name, pattern] = args.as_slice() else {
            return Err(Fault::new(
                ErrorKind::MissingValue,
                values::name_span(child),
                format!("`rule` takes a name and a pattern, found {} value(s)", args.len()),
                "needs two values",
            )
            .help(EXAMPLE));
        };
        let name = values::non_empty_string(name, "rule")?.to_owned();
        let pattern = values::non_empty_string(pattern, "rule")?.to_owned();
        if rules.iter().any(|(n, _)| *n == name) {
            return Err(Fault::new(
                ErrorKind::Duplicate,
                values::name_span(child),
                format!("secret rule `{name}` is listed twice"),
                "listed again here",
            ));
        }
        rules.push((name, pattern));
    }
    Ok(rules)
}
