//! The `plugins` block: which component fills each of the three plugin
//! slots, and the limits it runs under.
//!
//! Node names and the `location=` property follow Zellij's plugin aliases so
//! `session-manager location="zellij:session-manager"` means the same thing
//! in both.

use kdl::{KdlNode, KdlValue};

use crate::error::{ErrorKind, Fault};
use crate::values;
use revenant_kdl_file::suggest;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plugins {
    pub serializer: PluginEntry,
    pub command_discovery: PluginEntry,
    pub session_manager: PluginEntry,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginEntry {
    /// `revenant:NAME` (built in), `zellij:NAME` (a Zellij alias the host
    /// maps) or `file:PATH`; checked when the config is read so a typo is
    /// reported with its line rather than when the plugin is first needed.
    pub location: String,
    /// `None` keeps the host's per-world deadline.
    pub deadline_ms: Option<u64>,
    /// `None` keeps the host's memory cap.
    pub memory_mb: Option<u64>,
    /// Passed to the plugin verbatim, in the order written.
    pub configuration: Vec<(String, String)>,
}

impl PluginEntry {
    pub fn builtin(name: &str) -> Self {
        PluginEntry {
            location: format!("revenant:{name}"),
            deadline_ms: None,
            memory_mb: None,
            configuration: Vec::new(),
        }
    }
}

impl Default for Plugins {
    fn default() -> Self {
        Plugins {
            serializer: PluginEntry::builtin("serializer"),
            command_discovery: PluginEntry::builtin("command-discovery"),
            session_manager: PluginEntry::builtin("session-manager"),
        }
    }
}

const SLOTS: &[&str] = &["serializer", "command-discovery", "session-manager"];
const PROPERTIES: &[&str] = &["location", "deadline_ms", "memory_mb"];
const LOCATION_HELP: &str =
    "use `revenant:NAME` for a built-in plugin, `zellij:NAME` for a Zellij alias, or `file:/path/to/plugin.wasm`";

pub(crate) fn parse(node: &KdlNode) -> Result<Plugins, Fault> {
    values::reject_arguments(node, "plugins")?;
    values::reject_properties(node, &[], "plugins")?;
    let mut plugins = Plugins::default();
    let Some(children) = node.children() else { return Ok(plugins) };
    let mut seen: Vec<(&str, miette::SourceSpan)> = Vec::new();
    for child in children.nodes() {
        let name = values::name(child);
        let slot = match name {
            "serializer" => &mut plugins.serializer,
            "command-discovery" => &mut plugins.command_discovery,
            "session-manager" => &mut plugins.session_manager,
            _ => {
                return Err(Fault::new(
                    ErrorKind::BadPlugin,
                    values::name_span(child),
                    format!("unknown plugin slot `{name}`"),
                    "unknown slot",
                )
                .help(suggest::help(name, SLOTS, "the plugin slots")));
            }
        };
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            return Err(Fault::new(
                ErrorKind::Duplicate,
                values::name_span(child),
                format!("plugin `{name}` is configured twice"),
                "second entry",
            )
            .also(*first, "first entry"));
        }
        seen.push((name, values::name_span(child)));
        *slot = entry(child, slot)?;
    }
    Ok(plugins)
}

fn entry(node: &KdlNode, default: &PluginEntry) -> Result<PluginEntry, Fault> {
    let name = values::name(node);
    values::reject_properties(node, PROPERTIES, name)?;
    if let Some(arg) = values::arguments(node).first() {
        return Err(Fault::new(
            ErrorKind::BadPlugin,
            arg.span(),
            format!("plugin `{name}` takes `name=value` properties, not values"),
            "unexpected value",
        )
        .help(format!("write `{name} location=\"revenant:{name}\"`")));
    }
    let mut out = PluginEntry { configuration: Vec::new(), ..default.clone() };
    for prop in node.entries() {
        match values::property_name(prop) {
            Some("location") => {
                let location = values::string(prop, "location")?;
                check_location(location).map_err(|(message, help)| {
                    Fault::new(ErrorKind::BadPlugin, prop.span(), message, "bad location").help(help)
                })?;
                out.location = location.to_owned();
            }
            Some("deadline_ms") => out.deadline_ms = Some(values::positive(prop, "deadline_ms")?),
            Some("memory_mb") => out.memory_mb = Some(values::positive(prop, "memory_mb")?),
            _ => {}
        }
    }
    if let Some(children) = node.children() {
        for setting in children.nodes() {
            let key = values::name(setting);
            if let Some((first_key, _)) = out.configuration.iter().find(|(k, _)| k == key) {
                return Err(Fault::new(
                    ErrorKind::Duplicate,
                    values::name_span(setting),
                    format!("plugin setting `{first_key}` is given twice"),
                    "second setting",
                ));
            }
            let value = values::single(setting, "a string, number or boolean", &format!("{key} \"value\""))?;
            let text = match value.value() {
                KdlValue::String(s) => s.clone(),
                KdlValue::Integer(i) => i.to_string(),
                KdlValue::Float(f) => f.to_string(),
                KdlValue::Bool(b) => b.to_string(),
                KdlValue::Null => return Err(values::wrong_type(value, key, "a string, number or boolean")),
            };
            out.configuration.push((key.to_owned(), text));
        }
    }
    Ok(out)
}

/// `Err((message, help))`.
fn check_location(location: &str) -> Result<(), (String, String)> {
    let builtins: Vec<String> = SLOTS.iter().map(|s| format!("revenant:{s}")).collect();
    if let Some(name) = location.strip_prefix("revenant:") {
        if SLOTS.contains(&name) {
            return Ok(());
        }
        let help = match suggest::closest(location, builtins.iter().map(String::as_str)) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("the built-in plugins are {}", builtins.join(", ")),
        };
        return Err((format!("no built-in plugin `{location}`"), help));
    }
    for scheme in ["zellij:", "file:"] {
        if let Some(rest) = location.strip_prefix(scheme) {
            if rest.trim().is_empty() {
                return Err((
                    format!("plugin location `{location}` names nothing after `{scheme}`"),
                    LOCATION_HELP.into(),
                ));
            }
            return Ok(());
        }
    }
    Err((
        format!("plugin location `{location}` must start with `revenant:`, `zellij:` or `file:`"),
        LOCATION_HELP.into(),
    ))
}
