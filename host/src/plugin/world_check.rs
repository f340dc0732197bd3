//! Tells which world and contract version a component implements by what it
//! exports and imports, so that a wrong plugin is refused at load with a
//! message that names the mismatch instead of failing on its first call.

use wasmtime::Engine;
use wasmtime::component::Component;

use super::World;
use super::contract::{Contract, split_interface};

/// The world and contract `component` implements, or why it implements none.
pub fn detect_world(engine: &Engine, component: &Component) -> Result<(World, Contract), String> {
    let exports = export_names(engine, component);
    for export in &exports {
        if let Some((world, contract)) = world_of(export)? {
            check_imports(engine, component, world, contract)?;
            return Ok((world, contract));
        }
    }
    Err(describe_missing_export(&exports, None))
}

/// Checks that `component` implements `world`; returns the contract version
/// it was built for, or says what differs.
pub(crate) fn check_world(engine: &Engine, component: &Component, world: World) -> Result<Contract, String> {
    let exports = export_names(engine, component);
    for export in &exports {
        if let Some((found, contract)) = world_of(export)?
            && found == world
        {
            check_imports(engine, component, world, contract)?;
            return Ok(contract);
        }
    }
    Err(describe_missing_export(&exports, Some(world)))
}

/// The world an export names, if it names one; an error if it names one in
/// a contract version this host does not know.
fn world_of(export: &str) -> Result<Option<(World, Contract)>, String> {
    let Some((name, version)) = split_interface(export) else { return Ok(None) };
    let Some(world) = World::ALL.into_iter().find(|w| w.export_interface() == name) else { return Ok(None) };
    match Contract::from_version(version) {
        Some(contract) => Ok(Some((world, contract))),
        None => Err(unknown_version(export, version)),
    }
}

fn unknown_version(export: &str, version: &str) -> String {
    format!(
        "it was built for revenant:plugin@{version} (it exports `{export}`), a contract version this host does not \
         know: this Revenant loads revenant:plugin@{} (current: {}). Update Revenant, or rebuild the plugin against \
         this Revenant's wit/ ({})",
        Contract::known(),
        Contract::CURRENT.version(),
        Contract::CURRENT,
    )
}

fn export_names(engine: &Engine, component: &Component) -> Vec<String> {
    component.component_type().exports(engine).map(|(name, _)| name.to_string()).collect()
}

fn check_imports(engine: &Engine, component: &Component, world: World, contract: Contract) -> Result<(), String> {
    let allowed = contract.allowed_imports(world);
    let ty = component.component_type();
    for (name, _) in ty.imports(engine) {
        // WASI is linked for the language runtimes' sake; it grants nothing
        // beyond what the plugin's `grants` allow.
        if name.starts_with("wasi:") || allowed.iter().any(|a| a == name) {
            continue;
        }
        let hint = match split_interface(name) {
            Some((_, version)) if version != contract.version() => format!(
                "; it exports the {world} world of {contract} but imports from revenant:plugin@{version}: build the \
                 whole plugin against one version of the WIT package"
            ),
            Some(_) => format!("; the {world} world grants only {}", allowed.join(", ")),
            None => String::new(),
        };
        return Err(format!("it imports `{name}`, which the host does not provide to the {world} world{hint}"));
    }
    Ok(())
}

fn describe_missing_export(exports: &[String], expected: Option<World>) -> String {
    let wanted = match expected {
        Some(w) => format!("the {w} world needs an export of `{}`", Contract::CURRENT.export(w)),
        None => format!(
            "a Revenant plugin exports one of {}",
            World::ALL.map(|w| format!("`{}`", Contract::CURRENT.export(w))).join(", ")
        ),
    };
    if let Some((found, other)) = exports.iter().find_map(|e| world_of(e).ok().flatten().map(|(w, _)| (e, w))) {
        return format!("it exports `{found}` (the {other} world), but {wanted}");
    }
    if exports.is_empty() {
        return format!("it exports nothing; {wanted}");
    }
    format!("it exports {}; {wanted}", exports.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", "))
}
