//! Tells which world a component implements by what it exports and imports,
//! so that a wrong plugin is refused at load with a message that names the
//! mismatch instead of failing on its first call.

use wasmtime::Engine;
use wasmtime::component::Component;

use super::World;

/// The world `component` implements, or why it implements none.
pub fn detect_world(engine: &Engine, component: &Component) -> Result<World, String> {
    let exports = export_names(engine, component);
    let world = World::ALL
        .into_iter()
        .find(|w| exports.iter().any(|e| e == w.export()))
        .ok_or_else(|| describe_missing_export(&exports, None))?;
    check_imports(engine, component, world)?;
    Ok(world)
}

/// Checks that `component` implements `world`; the error says what differs.
pub(crate) fn check_world(engine: &Engine, component: &Component, world: World) -> Result<(), String> {
    let exports = export_names(engine, component);
    if !exports.iter().any(|e| e == world.export()) {
        return Err(describe_missing_export(&exports, Some(world)));
    }
    check_imports(engine, component, world)
}

fn export_names(engine: &Engine, component: &Component) -> Vec<String> {
    component.component_type().exports(engine).map(|(name, _)| name.to_string()).collect()
}

fn check_imports(engine: &Engine, component: &Component, world: World) -> Result<(), String> {
    let ty = component.component_type();
    for (name, _) in ty.imports(engine) {
        // WASI is linked for the language runtimes' sake but grants nothing:
        // no preopens, no environment, no sockets.
        if name.starts_with("wasi:") || world.allowed_imports().contains(&name) {
            continue;
        }
        let hint = if name.starts_with("revenant:plugin/") {
            format!("; the {world} world grants only {}", world.allowed_imports().join(", "))
        } else {
            String::new()
        };
        return Err(format!("it imports `{name}`, which the host does not provide to the {world} world{hint}"));
    }
    Ok(())
}

fn describe_missing_export(exports: &[String], expected: Option<World>) -> String {
    let wanted = match expected {
        Some(w) => format!("the {w} world needs an export of `{}`", w.export()),
        None => {
            format!("a Revenant plugin exports one of {}", World::ALL.map(|w| format!("`{}`", w.export())).join(", "))
        }
    };
    if let Some((found, other)) =
        exports.iter().find_map(|e| World::ALL.into_iter().find(|w| w.export() == e).map(|w| (e, w)))
    {
        return format!("it exports `{found}` (the {other} world), but {wanted}");
    }
    let unversioned = |s: &str| s.split('@').next().unwrap_or(s).to_string();
    if let Some(found) = exports.iter().find(|e| World::ALL.iter().any(|w| unversioned(w.export()) == unversioned(e))) {
        return format!("it exports `{found}`, another version of the interface; {wanted}");
    }
    if exports.is_empty() {
        return format!("it exports nothing; {wanted}");
    }
    format!("it exports {}; {wanted}", exports.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", "))
}
