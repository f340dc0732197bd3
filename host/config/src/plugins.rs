//! The `plugins` block: which components fill the plugin roles, the limits
//! they run under and what they are granted.
//!
//! Node names and the `location=` property follow Zellij's plugin aliases so
//! `session-manager location="zellij:session-manager"` means the same thing
//! in both. `serializer` and `session-manager` take one plugin each;
//! `command-discovery` takes a chain (see [`Plugins::command_discovery`]).

use kdl::{KdlEntry, KdlNode, KdlValue};

use crate::error::{ErrorKind, Fault};
use crate::values;
use revenant_kdl_file::suggest;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plugins {
    pub serializer: PluginEntry,
    /// The discovery chain, in the order its plugins run: the entries as
    /// written, then the built-in `revenant:command-discovery` unless the
    /// chain lists it (it then runs where it is listed) or an entry turns it
    /// off with `enabled=false`. Each plugin sees the previous one's result;
    /// `drop` ends the chain.
    pub command_discovery: Vec<PluginEntry>,
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
    /// `None` keeps the host's start-up (instantiation) deadline.
    pub startup_ms: Option<u64>,
    /// Passed to the plugin verbatim, in the order written.
    pub configuration: Vec<(String, String)>,
    pub grants: PluginGrants,
}

/// What a plugin may reach beyond its arguments (nothing by default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PluginGrants {
    /// Read-only access to the pane's cwd during a discovery call.
    pub cwd: bool,
    /// Environment variables passed through, by name.
    pub env: Vec<String>,
}

pub const BUILTIN_DISCOVERY: &str = "revenant:command-discovery";

impl PluginEntry {
    pub fn builtin(name: &str) -> Self {
        PluginEntry {
            location: format!("revenant:{name}"),
            deadline_ms: None,
            memory_mb: None,
            startup_ms: None,
            configuration: Vec::new(),
            grants: PluginGrants::default(),
        }
    }

    /// `file:PATH`'s path.
    pub fn file(&self) -> Option<&str> {
        self.location.strip_prefix("file:")
    }
}

impl Default for Plugins {
    fn default() -> Self {
        Plugins {
            serializer: PluginEntry::builtin("serializer"),
            command_discovery: vec![PluginEntry::builtin("command-discovery")],
            session_manager: PluginEntry::builtin("session-manager"),
        }
    }
}

const ROLES: &[&str] = &["serializer", "command-discovery", "session-manager"];
const PROPERTIES: &[&str] = &["location", "deadline_ms", "memory_mb", "startup_ms", "enabled"];
const LOCATION_HELP: &str =
    "use `revenant:NAME` for a built-in plugin, `zellij:NAME` for a Zellij alias, or `file:/path/to/plugin.wasm`";

pub(crate) fn parse(node: &KdlNode) -> Result<Plugins, Fault> {
    values::reject_arguments(node, "plugins")?;
    values::reject_properties(node, &[], "plugins")?;
    let mut plugins = Plugins::default();
    let Some(children) = node.children() else { return Ok(plugins) };
    let mut seen: Vec<(&str, miette::SourceSpan)> = Vec::new();
    // (entry, enabled, where it was written)
    let mut chain: Vec<(PluginEntry, bool, miette::SourceSpan)> = Vec::new();
    for child in children.nodes() {
        let name = values::name(child);
        if !ROLES.contains(&name) {
            return Err(Fault::new(
                ErrorKind::BadPlugin,
                values::name_span(child),
                format!("unknown plugin role `{name}`"),
                "unknown role",
            )
            .help(suggest::help(name, ROLES, "the plugin roles")));
        }
        if name == "command-discovery" {
            for (entry, enabled, span) in discovery_entries(child)? {
                if let Some((_, _, first)) = chain.iter().find(|(e, _, _)| e.location == entry.location) {
                    return Err(Fault::new(
                        ErrorKind::Duplicate,
                        span,
                        format!("`{}` is in the command-discovery chain twice", entry.location),
                        "second time",
                    )
                    .also(*first, "first time")
                    .help("a plugin runs once per command; remove one of them"));
                }
                chain.push((entry, enabled, span));
            }
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            return Err(Fault::new(
                ErrorKind::Duplicate,
                values::name_span(child),
                format!("plugin `{name}` is configured twice"),
                "second entry",
            )
            .also(*first, "first entry")
            .help(format!("`{name}` takes one plugin; only `command-discovery` takes a chain")));
        }
        seen.push((name, values::name_span(child)));
        let slot = if name == "serializer" { &mut plugins.serializer } else { &mut plugins.session_manager };
        let (entry, enabled) = entry(child, slot, None)?;
        if !enabled {
            return Err(Fault::new(
                ErrorKind::BadPlugin,
                child.entry("enabled").map_or(values::name_span(child), KdlEntry::span),
                format!("`{name}` cannot be turned off"),
                "not allowed here",
            )
            .help(format!("a session needs a {name}; only command-discovery plugins can be disabled")));
        }
        *slot = entry;
    }
    if !chain.is_empty() {
        plugins.command_discovery = resolve_chain(chain);
    }
    Ok(plugins)
}

/// The written chain with the built-in placed: where it is listed, else
/// last (it drops bare shells, so it belongs after plugins that unwrap
/// commands into one), and not at all when an entry disables it.
fn resolve_chain(chain: Vec<(PluginEntry, bool, miette::SourceSpan)>) -> Vec<PluginEntry> {
    let lists_builtin = chain.iter().any(|(e, _, _)| e.location == BUILTIN_DISCOVERY);
    let mut out: Vec<PluginEntry> = chain.into_iter().filter(|(_, enabled, _)| *enabled).map(|(e, _, _)| e).collect();
    if !lists_builtin {
        out.push(PluginEntry::builtin("command-discovery"));
    }
    out
}

/// One `command-discovery` node: `location=` (or none: the built-in), or
/// several locations as values, each with the node's limits, grants and
/// configuration.
fn discovery_entries(node: &KdlNode) -> Result<Vec<(PluginEntry, bool, miette::SourceSpan)>, Fault> {
    let args = values::arguments(node);
    let default = PluginEntry::builtin("command-discovery");
    if args.is_empty() {
        let (entry, enabled) = entry(node, &default, None)?;
        let span = node.entry("location").map_or(values::name_span(node), KdlEntry::span);
        return Ok(vec![(entry, enabled, span)]);
    }
    if let Some(prop) = node.entry("location") {
        return Err(Fault::new(
            ErrorKind::BadPlugin,
            prop.span(),
            "give the plugins either as values or as one `location=`, not both",
            "second way",
        )
        .help("write `command-discovery \"file:/a.wasm\" \"file:/b.wasm\"` or one node per plugin"));
    }
    let mut out = Vec::new();
    for arg in args {
        let location = values::string(arg, "command-discovery")?;
        let (entry, enabled) = entry(node, &default, Some((location, arg)))?;
        out.push((entry, enabled, arg.span()));
    }
    Ok(out)
}

/// Reads one entry. `listed` is a location given as a value instead of
/// `location=`. Returns the entry and whether it is enabled.
fn entry(
    node: &KdlNode,
    default: &PluginEntry,
    listed: Option<(&str, &KdlEntry)>,
) -> Result<(PluginEntry, bool), Fault> {
    let name = values::name(node);
    values::reject_properties(node, PROPERTIES, name)?;
    if listed.is_none()
        && let Some(arg) = values::arguments(node).first()
    {
        return Err(Fault::new(
            ErrorKind::BadPlugin,
            arg.span(),
            format!("plugin `{name}` takes `name=value` properties, not values"),
            "unexpected value",
        )
        .help(format!("write `{name} location=\"revenant:{name}\"`")));
    }
    let mut out = PluginEntry { configuration: Vec::new(), ..default.clone() };
    let mut enabled = true;
    if let Some((location, arg)) = listed {
        set_location(&mut out, location, arg)?;
    }
    for prop in node.entries() {
        match values::property_name(prop) {
            Some("location") => set_location(&mut out, values::string(prop, "location")?, prop)?,
            Some("deadline_ms") => out.deadline_ms = Some(values::positive(prop, "deadline_ms")?),
            Some("memory_mb") => out.memory_mb = Some(values::positive(prop, "memory_mb")?),
            Some("startup_ms") => out.startup_ms = Some(values::positive(prop, "startup_ms")?),
            Some("enabled") => enabled = values::boolean(prop, "enabled")?,
            _ => {}
        }
    }
    if let Some(children) = node.children() {
        for setting in children.nodes() {
            let key = values::name(setting);
            if key == "grants" {
                out.grants = grants(setting, name)?;
                continue;
            }
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
    Ok((out, enabled))
}

fn set_location(out: &mut PluginEntry, location: &str, at: &KdlEntry) -> Result<(), Fault> {
    check_location(location)
        .map_err(|(message, help)| Fault::new(ErrorKind::BadPlugin, at.span(), message, "bad location").help(help))?;
    out.location = location.to_owned();
    Ok(())
}

/// `grants { cwd; env "NAME" …; }`.
fn grants(node: &KdlNode, role: &str) -> Result<PluginGrants, Fault> {
    values::reject_arguments(node, "grants")?;
    values::reject_properties(node, &[], "grants")?;
    let mut out = PluginGrants::default();
    let Some(children) = node.children() else { return Ok(out) };
    for grant in children.nodes() {
        match values::name(grant) {
            "cwd" => {
                values::reject_arguments(grant, "cwd")?;
                values::reject_properties(grant, &[], "cwd")?;
                if role != "command-discovery" {
                    return Err(Fault::new(
                        ErrorKind::BadPlugin,
                        values::name_span(grant),
                        format!("the `cwd` grant is for command-discovery plugins, not the {role}"),
                        "not for this role",
                    )
                    .help("it exposes the pane's working directory during a discovery call"));
                }
                out.cwd = true;
            }
            "env" => {
                values::reject_properties(grant, &[], "env")?;
                let names = values::arguments(grant);
                if names.is_empty() {
                    return Err(Fault::new(
                        ErrorKind::MissingValue,
                        values::name_span(grant),
                        "`env` needs the names of the variables to pass",
                        "no names",
                    )
                    .help("write `env \"VIRTUAL_ENV\" \"HOME\"`"));
                }
                for entry in names {
                    let var = values::non_empty_string(entry, "env")?;
                    if var.contains('=') {
                        return Err(values::wrong_type(entry, "env", "a variable name (without `=`)"));
                    }
                    if !out.env.iter().any(|v| v == var) {
                        out.env.push(var.to_owned());
                    }
                }
            }
            other => {
                return Err(Fault::new(
                    ErrorKind::BadPlugin,
                    values::name_span(grant),
                    format!("unknown grant `{other}`"),
                    "unknown grant",
                )
                .help(suggest::help(other, &["cwd", "env"], "the grants")));
            }
        }
    }
    Ok(out)
}

/// `Err((message, help))`.
fn check_location(location: &str) -> Result<(), (String, String)> {
    let builtins: Vec<String> = ROLES.iter().map(|s| format!("revenant:{s}")).collect();
    if let Some(name) = location.strip_prefix("revenant:") {
        if ROLES.contains(&name) {
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
