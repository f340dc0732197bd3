//! Guest bindings generated from `wit/`, one module per world. The shared
//! `types` and `log` interfaces are generated once (with the serializer world)
//! and reused by the others, so a `SessionManifest` is the same Rust type in
//! every world.

pub mod serializer {
    wit_bindgen::generate!({
        world: "serializer",
        path: "../wit",
        pub_export_macro: true,
        export_macro_name: "__export_serializer_world",
        default_bindings_module: "revenant_plugin_api::bindings::serializer",
        generate_all,
        additional_derives: [PartialEq, Eq],
    });
}

pub mod command_discovery {
    wit_bindgen::generate!({
        world: "command-discovery",
        path: "../wit",
        pub_export_macro: true,
        export_macro_name: "__export_command_discovery_world",
        default_bindings_module: "revenant_plugin_api::bindings::command_discovery",
        with: {
            "revenant:plugin/types@0.6.0": crate::bindings::serializer::revenant::plugin::types,
            "revenant:plugin/log@0.6.0": crate::bindings::serializer::revenant::plugin::log,
        },
    });
}

pub mod session_manager {
    wit_bindgen::generate!({
        world: "session-manager",
        path: "../wit",
        pub_export_macro: true,
        export_macro_name: "__export_session_manager_world",
        default_bindings_module: "revenant_plugin_api::bindings::session_manager",
        with: {
            "revenant:plugin/types@0.6.0": crate::bindings::serializer::revenant::plugin::types,
            "revenant:plugin/log@0.6.0": crate::bindings::serializer::revenant::plugin::log,
        },
    });
}
