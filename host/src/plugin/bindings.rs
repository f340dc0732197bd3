//! Host bindings generated from `wit/`, one module per world. The shared
//! `types` and `log` interfaces are generated with the serializer world and
//! reused by the others, so the host implements `log` once.

pub mod serializer {
    wasmtime::component::bindgen!({
        world: "serializer",
        path: "../wit",
    });
}

pub mod command_discovery {
    wasmtime::component::bindgen!({
        world: "command-discovery",
        path: "../wit",
        with: {
            "revenant:plugin/types": crate::plugin::bindings::serializer::revenant::plugin::types,
            "revenant:plugin/log": crate::plugin::bindings::serializer::revenant::plugin::log,
        },
    });
}

pub mod session_manager {
    wasmtime::component::bindgen!({
        world: "session-manager",
        path: "../wit",
        with: {
            "revenant:plugin/types": crate::plugin::bindings::serializer::revenant::plugin::types,
            "revenant:plugin/log": crate::plugin::bindings::serializer::revenant::plugin::log,
        },
    });
}

/// The WIT data types, as the host sees them.
pub mod types {
    pub use super::serializer::revenant::plugin::types::*;
}
