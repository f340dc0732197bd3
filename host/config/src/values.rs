//! Reading typed values out of KDL nodes. Every check fails with a span on
//! the exact entry at fault, so errors land on the right column.

use kdl::{KdlEntry, KdlNode, KdlValue};

use crate::error::{ErrorKind, Fault};
use revenant_kdl_file::suggest;

pub(crate) use revenant_kdl_file::node::{describe, name, name_span};

pub(crate) fn arguments(node: &KdlNode) -> Vec<&KdlEntry> {
    node.entries().iter().filter(|e| e.name().is_none()).collect()
}

pub(crate) fn property_name(entry: &KdlEntry) -> Option<&str> {
    entry.name().map(|n| n.value())
}

/// Fails on the first property not in `allowed`.
pub(crate) fn reject_properties(node: &KdlNode, allowed: &[&str], owner: &str) -> Result<(), Fault> {
    for entry in node.entries() {
        let Some(prop) = property_name(entry) else { continue };
        if allowed.contains(&prop) {
            continue;
        }
        let fault = Fault::new(
            ErrorKind::UnexpectedProperty,
            entry.span(),
            format!("`{owner}` has no property `{prop}`"),
            "unknown property",
        );
        return Err(if allowed.is_empty() {
            fault.help(format!("`{owner}` takes no `name=value` properties"))
        } else {
            fault.help(suggest::help(prop, allowed, "its properties"))
        });
    }
    Ok(())
}

/// Points at the first node inside the block: the block's own span starts
/// after its `{`, which is a confusing place for a caret.
pub(crate) fn reject_children(node: &KdlNode, owner: &str) -> Result<(), Fault> {
    match node.children() {
        Some(children) => Err(Fault::new(
            ErrorKind::UnexpectedChildren,
            children.nodes().first().map_or(children.span(), name_span),
            format!("`{owner}` takes no `{{ ... }}` block"),
            "unexpected block",
        )),
        None => Ok(()),
    }
}

pub(crate) fn reject_arguments(node: &KdlNode, owner: &str) -> Result<(), Fault> {
    match arguments(node).first() {
        Some(entry) => Err(Fault::new(
            ErrorKind::TooManyValues,
            entry.span(),
            format!("`{owner}` takes no values"),
            "unexpected value",
        )),
        None => Ok(()),
    }
}

/// The one positional value of a `name value` node. `expected` names the
/// type for the message ("a boolean"); `example` shows a correct line.
pub(crate) fn single<'a>(node: &'a KdlNode, expected: &str, example: &str) -> Result<&'a KdlEntry, Fault> {
    let owner = name(node);
    reject_properties(node, &[], owner)?;
    reject_children(node, owner)?;
    let args = arguments(node);
    match args.as_slice() {
        [] => Err(Fault::new(
            ErrorKind::MissingValue,
            name_span(node),
            format!("`{owner}` needs a value: {expected}"),
            format!("missing {expected}"),
        )
        .help(format!("for example: {example}"))),
        [one] => Ok(one),
        [_, second, ..] => Err(Fault::new(
            ErrorKind::TooManyValues,
            second.span(),
            format!("`{owner}` takes one value, found {}", args.len()),
            "unexpected value",
        )
        .help(format!("for example: {example}"))),
    }
}

pub(crate) fn wrong_type(entry: &KdlEntry, owner: &str, expected: &str) -> Fault {
    Fault::new(
        ErrorKind::WrongType,
        entry.span(),
        format!("`{owner}`: expected {expected}, found {}", describe(entry.value())),
        format!("expected {expected}"),
    )
}

pub(crate) fn boolean(entry: &KdlEntry, owner: &str) -> Result<bool, Fault> {
    entry.value().as_bool().ok_or_else(|| {
        wrong_type(entry, owner, "a boolean")
            .help(format!("write `{owner} true` or `{owner} false` (KDL v2 spells them `#true` and `#false`)"))
    })
}

pub(crate) fn string<'a>(entry: &'a KdlEntry, owner: &str) -> Result<&'a str, Fault> {
    entry.value().as_string().ok_or_else(|| wrong_type(entry, owner, "a string").help("put the value in double quotes"))
}

/// The one value of `node`, which must be one of the words in `choices`
/// (`what` names them: "a clipboard" errs as "is not a clipboard").
pub(crate) fn choice<T: Copy>(node: &KdlNode, owner: &str, what: &str, choices: &[(&str, T)]) -> Result<T, Fault> {
    let words: Vec<String> = choices.iter().map(|(word, _)| format!("\"{word}\"")).collect();
    let entry = single(node, &format!("a {what}"), &format!("{owner} {}", words[0]))?;
    let written = string(entry, owner)?;
    if let Some((_, value)) = choices.iter().find(|(word, _)| *word == written) {
        return Ok(*value);
    }
    let listed = match words.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        [] => String::new(),
    };
    Err(Fault::new(
        ErrorKind::InvalidValue,
        entry.span(),
        format!("`{owner}`: {written:?} is not a {what}"),
        format!("not a {what}"),
    )
    .help(format!("use {listed}")))
}

/// A string that must say something: an empty shell or layout name is
/// always a mistake, and would otherwise surface much later as a spawn error.
pub(crate) fn non_empty_string<'a>(entry: &'a KdlEntry, owner: &str) -> Result<&'a str, Fault> {
    let s = string(entry, owner)?;
    if s.trim().is_empty() {
        return Err(Fault::new(
            ErrorKind::InvalidValue,
            entry.span(),
            format!("`{owner}` must not be empty"),
            "empty string",
        ));
    }
    Ok(s)
}

pub(crate) fn unsigned<T: TryFrom<i128>>(entry: &KdlEntry, owner: &str) -> Result<T, Fault> {
    integer_from(entry, owner, 0)
}

/// Zero is meaningless for intervals, deadlines and memory caps, so those
/// reject it here rather than misbehave later.
pub(crate) fn positive<T: TryFrom<i128>>(entry: &KdlEntry, owner: &str) -> Result<T, Fault> {
    integer_from(entry, owner, 1)
}

fn integer_from<T: TryFrom<i128>>(entry: &KdlEntry, owner: &str, min: i128) -> Result<T, Fault> {
    let expected = if min > 0 { "a positive integer" } else { "a non-negative integer" };
    match entry.value() {
        KdlValue::Integer(i) if *i < 0 => Err(wrong_type(entry, owner, expected)),
        KdlValue::Integer(i) if *i < min => Err(Fault::new(
            ErrorKind::InvalidValue,
            entry.span(),
            format!("`{owner}` must be at least {min}, found {i}"),
            format!("must be at least {min}"),
        )),
        KdlValue::Integer(i) => T::try_from(*i).map_err(|_| {
            Fault::new(ErrorKind::InvalidValue, entry.span(), format!("`{owner}`: {i} is too large"), "too large")
        }),
        _ => Err(wrong_type(entry, owner, expected)),
    }
}
