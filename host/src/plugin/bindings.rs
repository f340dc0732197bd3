//! Host bindings generated from the WIT contract: `v3` from `wit/` (the
//! current contract, 0.3.0), `v2` and `v1` from `wit/released/0.2.0/` and
//! `wit/released/0.1.0/`, one module per world. Within a version the shared `types` and `log` interfaces are
//! generated once, with the serializer world, and reused by the others.
//! The host works in the current version's types; `compat` converts at the
//! boundary for components built against 0.1.0 and 0.2.0.

pub mod v3 {
    pub mod serializer {
        wasmtime::component::bindgen!({
            world: "serializer",
            path: "../wit",
            additional_derives: [PartialEq],
        });
    }

    pub mod command_discovery {
        wasmtime::component::bindgen!({
            world: "command-discovery",
            path: "../wit",
            with: {
                "revenant:plugin/types": crate::plugin::bindings::v3::serializer::revenant::plugin::types,
                "revenant:plugin/log": crate::plugin::bindings::v3::serializer::revenant::plugin::log,
            },
        });
    }

    pub mod session_manager {
        wasmtime::component::bindgen!({
            world: "session-manager",
            path: "../wit",
            with: {
                "revenant:plugin/types": crate::plugin::bindings::v3::serializer::revenant::plugin::types,
                "revenant:plugin/log": crate::plugin::bindings::v3::serializer::revenant::plugin::log,
            },
        });
    }

    pub use serializer::revenant::plugin::types;
}

pub mod v2 {
    pub mod serializer {
        wasmtime::component::bindgen!({
            world: "serializer",
            path: "../wit/released/0.2.0",
        });
    }

    pub mod command_discovery {
        wasmtime::component::bindgen!({
            world: "command-discovery",
            path: "../wit/released/0.2.0",
            with: {
                "revenant:plugin/types": crate::plugin::bindings::v2::serializer::revenant::plugin::types,
                "revenant:plugin/log": crate::plugin::bindings::v2::serializer::revenant::plugin::log,
            },
        });
    }

    pub mod session_manager {
        wasmtime::component::bindgen!({
            world: "session-manager",
            path: "../wit/released/0.2.0",
            with: {
                "revenant:plugin/types": crate::plugin::bindings::v2::serializer::revenant::plugin::types,
                "revenant:plugin/log": crate::plugin::bindings::v2::serializer::revenant::plugin::log,
            },
        });
    }

    pub use serializer::revenant::plugin::types;
}

pub mod v1 {
    pub mod serializer {
        wasmtime::component::bindgen!({
            world: "serializer",
            path: "../wit/released/0.1.0",
        });
    }

    pub mod command_discovery {
        wasmtime::component::bindgen!({
            world: "command-discovery",
            path: "../wit/released/0.1.0",
            with: {
                "revenant:plugin/types": crate::plugin::bindings::v1::serializer::revenant::plugin::types,
                "revenant:plugin/log": crate::plugin::bindings::v1::serializer::revenant::plugin::log,
            },
        });
    }

    pub mod session_manager {
        wasmtime::component::bindgen!({
            world: "session-manager",
            path: "../wit/released/0.1.0",
            with: {
                "revenant:plugin/types": crate::plugin::bindings::v1::serializer::revenant::plugin::types,
                "revenant:plugin/log": crate::plugin::bindings::v1::serializer::revenant::plugin::log,
            },
        });
    }

    pub use serializer::revenant::plugin::types;
}

/// The WIT data types, as the host sees them (the current contract).
pub mod types {
    pub use super::v3::types::*;
}
