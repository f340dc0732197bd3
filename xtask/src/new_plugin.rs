//! Scaffolds a plugin crate that builds, passes its own test, and is
//! recognised by `revenant plugin check` out of the box.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

const WORLDS: &[(&str, &str)] = &[
    ("serializer", include_str!("templates/serializer.rs")),
    ("command-discovery", include_str!("templates/command-discovery.rs")),
    ("session-manager", include_str!("templates/session-manager.rs")),
];

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let mut name = None;
    let mut world = None;
    let mut path = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--world" => world = it.next().cloned(),
            "--path" => path = it.next().map(PathBuf::from),
            flag if flag.starts_with('-') => bail!("unknown option {flag}"),
            n => name = Some(n.to_string()),
        }
    }
    let name = name.context("usage: cargo xtask new-plugin NAME --world W [--path DIR]")?;
    let world = world.context("--world serializer|command-discovery|session-manager is required")?;
    let Some(&(_, template)) = WORLDS.iter().find(|(w, _)| *w == world) else {
        bail!("unknown world `{world}`: expected serializer, command-discovery or session-manager");
    };
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        bail!("`{name}` is not a valid crate name (letters, digits, - and _)");
    }

    // Inside the workspace the crate becomes a member; elsewhere it is a
    // workspace of its own, with the size-tuned profile.
    let in_workspace = path.is_none();
    let dir = path.unwrap_or_else(|| root.join("plugins").join(&name));
    if dir.exists() {
        bail!("{} already exists", dir.display());
    }
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(dir.join("src/lib.rs"), template)?;
    std::fs::write(dir.join("Cargo.toml"), manifest(root, &name, &world, in_workspace))?;
    if in_workspace {
        add_member(root, &format!("plugins/{name}"))?;
    }
    println!("created {} ({world} plugin)", dir.display());
    print!("{}", next_steps(&name, in_workspace));
    Ok(())
}

/// What to run next. The target comes first: without it, a fresh
/// machine's build fails with "can't find crate for `core`".
fn next_steps(name: &str, in_workspace: bool) -> String {
    let package = if in_workspace { format!(" -p {name}") } else { String::new() };
    format!(
        "  test:   cargo test{package}\n  target: rustup target add wasm32-wasip2   (once per toolchain)\n  build:  cargo build --release --target wasm32-wasip2{package}\n  check:  revenant plugin check <target>/wasm32-wasip2/release/{}.wasm\n",
        name.replace('-', "_")
    )
}

fn manifest(root: &Path, name: &str, world: &str, in_workspace: bool) -> String {
    let api = if in_workspace {
        "revenant-plugin-api = { workspace = true }".to_string()
    } else {
        format!("revenant-plugin-api = {{ path = {:?} }}", root.join("plugin-api").display().to_string())
    };
    let standalone = if in_workspace {
        String::new()
    } else {
        "\n[workspace]\n\n[profile.release]\nopt-level = \"s\"\nlto = true\nstrip = true\ncodegen-units = 1\npanic = \"abort\"\n"
            .to_string()
    };
    format!(
        "[package]\nname = \"{name}\"\ndescription = \"A Revenant {world} plugin.\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[lib]\n# cdylib: the wasm32-wasip2 component; rlib: native unit tests.\ncrate-type = [\"cdylib\", \"rlib\"]\n\n[dependencies]\n{api}\n{standalone}"
    )
}

/// Adds `member` to the root workspace's `members` list.
fn add_member(root: &Path, member: &str) -> Result<()> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)?;
    let Some(start) = text.find("members = [") else {
        bail!("no `members = [` list in {}", path.display());
    };
    let close = start + text[start..].find(']').context("unterminated members list")?;
    let updated = format!("{}    \"{member}\",\n{}", &text[..close], &text[close..]);
    std::fs::write(&path, updated)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_next_steps_add_the_wasm_target_before_building() {
        let steps = super::next_steps("my-plugin", true);
        let target = steps.find("rustup target add wasm32-wasip2").expect("the target step");
        let build = steps.find("cargo build --release --target wasm32-wasip2 -p my-plugin").expect("the build step");
        assert!(target < build, "{steps}");
        assert!(steps.contains("release/my_plugin.wasm"), "{steps}");
    }
}
