//! Host bindings generated from the WIT contract: `v6` from `wit/` (the
//! current contract, 0.6.0), `v5`, `v4`, `v3`, `v2` and `v1` from `wit/released/`, one
//! module per world. Within a version the shared `types` and `log`
//! interfaces are generated once, with the serializer world, and reused by
//! the others. The host works in the current version's types; `compat`
//! converts at the boundary for components built against earlier ones.

/// The three worlds of one contract version, from the WIT folder `$path`.
macro_rules! contract_bindings {
    ($v:ident, $path:literal $(, $derive:ident)?) => {
        pub mod $v {
            pub mod serializer {
                wasmtime::component::bindgen!({
                    world: "serializer",
                    path: $path,
                    $(additional_derives: [$derive],)?
                });
            }

            pub mod command_discovery {
                wasmtime::component::bindgen!({
                    world: "command-discovery",
                    path: $path,
                    with: {
                        "revenant:plugin/types": crate::plugin::bindings::$v::serializer::revenant::plugin::types,
                        "revenant:plugin/log": crate::plugin::bindings::$v::serializer::revenant::plugin::log,
                    },
                });
            }

            pub mod session_manager {
                wasmtime::component::bindgen!({
                    world: "session-manager",
                    path: $path,
                    with: {
                        "revenant:plugin/types": crate::plugin::bindings::$v::serializer::revenant::plugin::types,
                        "revenant:plugin/log": crate::plugin::bindings::$v::serializer::revenant::plugin::log,
                    },
                });
            }

            pub use serializer::revenant::plugin::types;
        }
    };
}

contract_bindings!(v6, "../wit", PartialEq);
contract_bindings!(v5, "../wit/released/0.5.0");
contract_bindings!(v4, "../wit/released/0.4.0");
contract_bindings!(v3, "../wit/released/0.3.0");
contract_bindings!(v2, "../wit/released/0.2.0");
contract_bindings!(v1, "../wit/released/0.1.0");

/// The WIT data types, as the host sees them (the current contract).
pub mod types {
    pub use super::v6::types::*;
}
