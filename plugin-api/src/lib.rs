//! The Revenant plugin SDK.
//!
//! A plugin author writes only the logic of one world:
//!
//! ```ignore
//! use revenant_plugin_api::{Serializer, types::*};
//!
//! struct MySerializer;
//! impl Serializer for MySerializer {
//!     fn serialize(manifest: SessionManifest) -> Result<SerializedSession, String> {
//!         revenant_plugin_api::log!(info, "saving {}", manifest.name);
//!         todo!()
//!     }
//! }
//! revenant_plugin_api::export_serializer!(MySerializer);
//! ```
//!
//! and builds the crate (`crate-type = ["cdylib", "rlib"]`) with
//! `cargo build --release --target wasm32-wasip2`. The export macros expand
//! to nothing on native targets, so the same crate's logic is unit-tested with
//! a plain `cargo test`.

pub mod bindings;
mod host;
pub mod log;

#[cfg(target_arch = "wasm32")]
pub use host::ComponentHost;
pub use host::SessionHost;

/// The data types of the WIT contract (`revenant:plugin/types`).
pub mod types {
    pub use crate::bindings::serializer::revenant::plugin::types::*;
}

use types::{DiscoveredCommand, DiscoveryDecision, Event, SerializedSession, SessionManifest};

/// The `serializer` world: session manifest in, layout KDL and sidecars out.
pub trait Serializer {
    /// Returns the layout (KDL v1) and its sidecar files, or a reason why not.
    fn serialize(manifest: SessionManifest) -> Result<SerializedSession, String>;
}

/// The `command-discovery` world: decides what to save for a pane's command.
pub trait CommandDiscovery {
    /// Keep, rewrite or drop a discovered command.
    fn discover(command: DiscoveredCommand) -> DiscoveryDecision;
}

/// The `session-manager` world: a UI plugin with state. The host creates one
/// value with `Default` per instance, then calls `init` once.
pub trait SessionManager: Default + 'static {
    /// Called once with the plugin's configuration.
    fn init(&mut self, configuration: Vec<(String, String)>, host: &mut dyn SessionHost);
    /// Handles an event; returns true to be re-rendered.
    fn update(&mut self, event: Event, host: &mut dyn SessionHost) -> bool;
    /// Draws at most `rows` lines of at most `cols` cells (ANSI SGR allowed).
    fn render(&mut self, rows: u32, cols: u32) -> Vec<String>;
}

/// Exports a type implementing [`Serializer`] as the component's serializer.
#[macro_export]
macro_rules! export_serializer {
    ($ty:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            struct __RevenantExport;
            impl $crate::bindings::serializer::exports::revenant::plugin::serialize::Guest for __RevenantExport {
                fn serialize(
                    manifest: $crate::types::SessionManifest,
                ) -> ::core::result::Result<$crate::types::SerializedSession, ::std::string::String> {
                    $crate::log::install_panic_hook();
                    <$ty as $crate::Serializer>::serialize(manifest)
                }
            }
            $crate::bindings::serializer::__export_serializer_world!(__RevenantExport);
        };
    };
}

/// Exports a type implementing [`CommandDiscovery`] as the component's
/// command-discovery plugin.
#[macro_export]
macro_rules! export_command_discovery {
    ($ty:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            struct __RevenantExport;
            impl $crate::bindings::command_discovery::exports::revenant::plugin::discover::Guest for __RevenantExport {
                fn discover(command: $crate::types::DiscoveredCommand) -> $crate::types::DiscoveryDecision {
                    $crate::log::install_panic_hook();
                    <$ty as $crate::CommandDiscovery>::discover(command)
                }
            }
            $crate::bindings::command_discovery::__export_command_discovery_world!(__RevenantExport);
        };
    };
}

/// Exports a type implementing [`SessionManager`] as the component's session
/// manager. The value lives for the life of the instance.
#[macro_export]
macro_rules! export_session_manager {
    ($ty:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            ::std::thread_local! {
                static STATE: ::core::cell::RefCell<::core::option::Option<$ty>> =
                    const { ::core::cell::RefCell::new(::core::option::Option::None) };
            }
            fn with_state<R>(f: impl FnOnce(&mut $ty) -> R) -> R {
                $crate::log::install_panic_hook();
                STATE.with(|cell| {
                    let mut slot = cell.borrow_mut();
                    f(slot.get_or_insert_with(<$ty as ::core::default::Default>::default))
                })
            }
            struct __RevenantExport;
            impl $crate::bindings::session_manager::exports::revenant::plugin::ui::Guest for __RevenantExport {
                fn init(configuration: ::std::vec::Vec<(::std::string::String, ::std::string::String)>) {
                    with_state(|s| <$ty as $crate::SessionManager>::init(s, configuration, &mut $crate::ComponentHost))
                }
                fn update(event: $crate::types::Event) -> bool {
                    with_state(|s| <$ty as $crate::SessionManager>::update(s, event, &mut $crate::ComponentHost))
                }
                fn render(rows: u32, cols: u32) -> ::std::vec::Vec<::std::string::String> {
                    with_state(|s| <$ty as $crate::SessionManager>::render(s, rows, cols))
                }
            }
            $crate::bindings::session_manager::__export_session_manager_world!(__RevenantExport);
        };
    };
}
