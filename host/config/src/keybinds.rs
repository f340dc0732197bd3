//! The `keybinds` block: per-mode tables from keys to actions.
//!
//! Blocks apply in document order on top of the defaults, so a later `bind`
//! of the same key wins and `unbind` removes whatever is bound at that point.
//! `clear-defaults=true` (on `keybinds` or on one mode block) removes only the
//! defaults, never the user's own bindings, whatever its position.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use kdl::{KdlEntry, KdlNode};

use crate::actions::{self, Action};
use crate::error::{ErrorKind, Fault};
use crate::hints;
use crate::keys::KeySpec;
use crate::mode::{self, Mode};
use crate::values;
use revenant_kdl_file::suggest;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keybinds {
    /// Every mode is present, possibly with no bindings. Each list keeps the
    /// order the bindings were written in, which is the order hints show.
    pub modes: BTreeMap<Mode, Vec<(KeySpec, Vec<Action>)>>,
}

/// The defaults are the `keybinds` block of the documented default config,
/// so the text users read and the behaviour they get cannot drift apart.
static DEFAULT: LazyLock<Keybinds> = LazyLock::new(|| {
    let doc = revenant_kdl_file::parse_document::<crate::ErrorKind>(
        std::path::Path::new("default.kdl"),
        crate::default_text(),
    )
    .expect("the default config is valid KDL");
    let node = doc.get("keybinds").expect("the default config has a keybinds block");
    parse(node, &Keybinds::empty()).unwrap_or_else(|f| panic!("the default keybinds are invalid: {}", f.message))
});

impl Default for Keybinds {
    fn default() -> Self {
        DEFAULT.clone()
    }
}

const BLOCKS: &[&str] = &["shared", "shared_except", "shared_among", "unbind"];

impl Keybinds {
    /// No bindings at all: what `clear-defaults=true` starts from.
    pub fn empty() -> Self {
        Keybinds { modes: Mode::ALL.into_iter().map(|m| (m, Vec::new())).collect() }
    }

    /// The actions bound to `key` in `mode`. `Some(&[])` means the key is
    /// bound to nothing (swallowed), unlike `None`, where it goes to the pane.
    pub fn lookup(&self, mode: Mode, key: &KeySpec) -> Option<&[Action]> {
        self.bindings(mode).iter().find(|(k, _)| k == key).map(|(_, actions)| actions.as_slice())
    }

    pub fn bindings(&self, mode: Mode) -> &[(KeySpec, Vec<Action>)] {
        self.modes.get(&mode).map_or(&[], Vec::as_slice)
    }

    /// Rebinding keeps the key's place so hints do not reorder.
    pub fn bind(&mut self, mode: Mode, key: KeySpec, actions: Vec<Action>) {
        let list = self.modes.entry(mode).or_default();
        match list.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = actions,
            None => list.push((key, actions)),
        }
    }

    /// Returns whether the key was bound.
    pub fn unbind(&mut self, mode: Mode, key: &KeySpec) -> bool {
        let list = self.modes.entry(mode).or_default();
        let before = list.len();
        list.retain(|(k, _)| k != key);
        list.len() != before
    }

    /// `(keys, label)` pairs for the status bar, e.g. `("Ctrl p", "pane")` or
    /// `("←↓↑→hjkl", "focus")`, derived from the current bindings so that
    /// rebinding a key updates what the bar shows.
    pub fn mode_hints(&self, mode: Mode) -> Vec<(String, String)> {
        hints::for_mode(self.bindings(mode), mode)
    }
}

pub(crate) fn parse(node: &KdlNode, base: &Keybinds) -> Result<Keybinds, Fault> {
    values::reject_arguments(node, "keybinds")?;
    values::reject_properties(node, &["clear-defaults"], "keybinds")?;
    let mut binds = if clear_defaults(node)? { Keybinds::empty() } else { base.clone() };
    let Some(children) = node.children() else { return Ok(binds) };

    for child in children.nodes() {
        if let Ok(mode) = values::name(child).parse::<Mode>()
            && clear_defaults(child)?
        {
            binds.modes.insert(mode, Vec::new());
        }
    }

    for child in children.nodes() {
        let name = values::name(child);
        let modes: Vec<Mode> = match name {
            "unbind" => {
                values::reject_properties(child, &[], name)?;
                values::reject_children(child, name)?;
                for key in keys(child)? {
                    for mode in Mode::ALL {
                        binds.unbind(mode, &key);
                    }
                }
                continue;
            }
            // Copy mode is Revenant's own: a Zellij config's shared keys
            // (Enter, Esc, Alt f) would take its keys. Bind there by name.
            "shared" => {
                values::reject_properties(child, &[], name)?;
                values::reject_arguments(child, name)?;
                Mode::ALL.into_iter().filter(|m| *m != Mode::Copy).collect()
            }
            "shared_except" => {
                values::reject_properties(child, &[], name)?;
                let except = mode_args(child)?;
                Mode::ALL.into_iter().filter(|m| !except.contains(m) && *m != Mode::Copy).collect()
            }
            "shared_among" => {
                values::reject_properties(child, &[], name)?;
                mode_args(child)?
            }
            _ => match name.parse::<Mode>() {
                Ok(mode) => {
                    values::reject_properties(child, &["clear-defaults"], name)?;
                    values::reject_arguments(child, name)?;
                    vec![mode]
                }
                Err(()) => return Err(unknown_block(child)),
            },
        };
        apply_block(&mut binds, child, &modes)?;
    }
    Ok(binds)
}

fn clear_defaults(node: &KdlNode) -> Result<bool, Fault> {
    let mut clear = false;
    // KDL lets a later property of the same name override an earlier one.
    for entry in node.entries().iter().filter(|e| values::property_name(e) == Some("clear-defaults")) {
        clear = values::boolean(entry, "clear-defaults")?;
    }
    Ok(clear)
}

fn unknown_block(node: &KdlNode) -> Fault {
    let name = values::name(node);
    let fault = mode::unknown(values::name_span(node), name);
    if name == "bind" {
        return fault.help("`bind` goes inside a mode block, e.g. `normal { bind \"Alt n\" { NewPane; } }`");
    }
    if mode::ZELLIJ_ONLY.contains(&name.to_ascii_lowercase().as_str()) {
        return fault;
    }
    let candidates: Vec<&str> = Mode::NAMES.iter().copied().chain(BLOCKS.iter().copied()).collect();
    fault.help(suggest::help(name, &candidates, "keybinds blocks"))
}

fn mode_args(node: &KdlNode) -> Result<Vec<Mode>, Fault> {
    let args = values::arguments(node);
    if args.is_empty() {
        return Err(Fault::new(
            ErrorKind::MissingValue,
            values::name_span(node),
            format!("`{}` needs at least one mode", values::name(node)),
            "missing modes",
        )
        .help(format!("for example: {} \"locked\" {{ ... }}", values::name(node))));
    }
    args.into_iter()
        .map(|entry| {
            let text = values::string(entry, values::name(node))?;
            text.parse::<Mode>().map_err(|()| mode::unknown(entry.span(), text))
        })
        .collect()
}

fn apply_block(binds: &mut Keybinds, block: &KdlNode, modes: &[Mode]) -> Result<(), Fault> {
    let Some(children) = block.children() else { return Ok(()) };
    for item in children.nodes() {
        match values::name(item) {
            "bind" => {
                values::reject_properties(item, &[], "bind")?;
                let keys = keys(item)?;
                let Some(body) = item.children() else {
                    return Err(Fault::new(
                        ErrorKind::MissingChildren,
                        values::name_span(item),
                        "`bind` needs a `{ ... }` block of actions",
                        "no actions",
                    )
                    .help("for example: bind \"Alt n\" { NewPane; }"));
                };
                let actions = body.nodes().iter().map(actions::parse).collect::<Result<Vec<_>, _>>()?;
                for &mode in modes {
                    for &key in &keys {
                        binds.bind(mode, key, actions.clone());
                    }
                }
            }
            "unbind" => {
                values::reject_properties(item, &[], "unbind")?;
                values::reject_children(item, "unbind")?;
                for key in keys(item)? {
                    for &mode in modes {
                        binds.unbind(mode, &key);
                    }
                }
            }
            other => {
                let fault = Fault::new(
                    ErrorKind::UnknownOption,
                    values::name_span(item),
                    format!("unknown entry `{other}` in `{}`", values::name(block)),
                    "expected `bind` or `unbind`",
                );
                return Err(if actions::is_action_name(other) {
                    fault.help(format!("actions go inside a binding: bind \"KEY\" {{ {other}; }}"))
                } else {
                    fault.help(suggest::help(other, &["bind", "unbind"], "mode blocks hold"))
                });
            }
        }
    }
    Ok(())
}

/// The key arguments of `bind`/`unbind`; one binding may list several keys.
fn keys(node: &KdlNode) -> Result<Vec<KeySpec>, Fault> {
    let owner = values::name(node);
    let args = values::arguments(node);
    if args.is_empty() {
        return Err(Fault::new(
            ErrorKind::MissingValue,
            values::name_span(node),
            format!("`{owner}` needs at least one key"),
            "missing key",
        )
        .help(format!("for example: {owner} \"Ctrl p\"")));
    }
    args.into_iter().map(|entry| key(entry, owner)).collect()
}

fn key(entry: &KdlEntry, owner: &str) -> Result<KeySpec, Fault> {
    let text = values::string(entry, owner)?;
    text.parse::<KeySpec>().map_err(|e| {
        Fault::new(ErrorKind::BadKey, entry.span(), format!("bad key {text:?}: {e}"), "not a key").help(e.help())
    })
}
