//! The contract versions this host implements, and the names a component's
//! imports and exports carry for each of them.

use std::fmt;

use super::World;

/// A version of the `revenant:plugin` WIT package the host can load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Contract {
    /// `revenant:plugin@0.1.0`, the first release (frozen).
    V0_1,
    /// `revenant:plugin@0.2.0` (frozen).
    V0_2,
    /// `revenant:plugin@0.3.0` (frozen).
    V0_3,
    /// `revenant:plugin@0.4.0` (frozen).
    V0_4,
    /// `revenant:plugin@0.5.0` (frozen).
    V0_5,
    /// `revenant:plugin@0.6.0`, the current one.
    V0_6,
}

impl Contract {
    /// Every version the host loads, oldest first.
    pub const ALL: [Contract; 6] =
        [Contract::V0_1, Contract::V0_2, Contract::V0_3, Contract::V0_4, Contract::V0_5, Contract::V0_6];
    /// The version new plugins are built against (`wit/`).
    pub const CURRENT: Contract = Contract::V0_6;

    pub fn version(self) -> &'static str {
        match self {
            Contract::V0_1 => "0.1.0",
            Contract::V0_2 => "0.2.0",
            Contract::V0_3 => "0.3.0",
            Contract::V0_4 => "0.4.0",
            Contract::V0_5 => "0.5.0",
            Contract::V0_6 => "0.6.0",
        }
    }

    pub fn from_version(version: &str) -> Option<Contract> {
        Contract::ALL.into_iter().find(|c| c.version() == version)
    }

    /// `revenant:plugin/NAME@VERSION`.
    pub fn interface(self, name: &str) -> String {
        format!("revenant:plugin/{name}@{}", self.version())
    }

    /// The interface a component of `world` exports under this version.
    pub fn export(self, world: World) -> String {
        self.interface(world.export_interface())
    }

    /// The host interfaces a component of `world` may import under this
    /// version (besides WASI, which is linked but grants nothing unless a
    /// grant says otherwise).
    pub fn allowed_imports(self, world: World) -> Vec<String> {
        let mut names = vec![self.interface("types"), self.interface("log")];
        if world == World::SessionManager {
            names.push(self.interface("session-control"));
        }
        names
    }

    /// "0.1.0, 0.2.0, 0.3.0, 0.4.0, 0.5.0 and 0.6.0", for messages.
    pub fn known() -> String {
        let versions: Vec<&str> = Contract::ALL.iter().map(|c| c.version()).collect();
        match versions.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => versions.join(""),
        }
    }
}

impl fmt::Display for Contract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "revenant:plugin@{}", self.version())
    }
}

/// Splits `revenant:plugin/NAME@VERSION` into its name and version.
pub(crate) fn split_interface(name: &str) -> Option<(&str, &str)> {
    let rest = name.strip_prefix("revenant:plugin/")?;
    rest.split_once('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_versions() {
        assert_eq!(Contract::V0_1.export(World::CommandDiscovery), "revenant:plugin/discover@0.1.0");
        assert_eq!(Contract::CURRENT.export(World::Serializer), "revenant:plugin/serialize@0.6.0");
        assert_eq!(Contract::from_version("0.2.0"), Some(Contract::V0_2));
        assert_eq!(Contract::from_version("0.7.0"), None);
        assert_eq!(Contract::known(), "0.1.0, 0.2.0, 0.3.0, 0.4.0, 0.5.0 and 0.6.0");
        assert_eq!(split_interface("revenant:plugin/ui@0.9.1"), Some(("ui", "0.9.1")));
        assert_eq!(split_interface("wasi:cli/stdout@0.2.0"), None);
    }
}
