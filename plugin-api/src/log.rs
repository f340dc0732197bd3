//! Logging into the host's log, and a panic hook that reports through it.

use crate::types::LogLevel;

/// Writes one message to the host's log. Inside a component this calls the
/// `log` import; in a native build (unit tests) it goes to stderr, so plugin
/// logic can be tested with a plain `cargo test`.
pub fn write(level: LogLevel, message: &str) {
    #[cfg(target_arch = "wasm32")]
    crate::bindings::serializer::revenant::plugin::log::log(level, message);
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("[{level:?}] {message}");
}

/// Logs a formatted message: `log!(info, "saved {} panes", n)`. The level is
/// one of `trace`, `debug`, `info`, `warn`, `error`.
#[macro_export]
macro_rules! log {
    (trace, $($arg:tt)+) => { $crate::log::write($crate::types::LogLevel::Trace, &format!($($arg)+)) };
    (debug, $($arg:tt)+) => { $crate::log::write($crate::types::LogLevel::Debug, &format!($($arg)+)) };
    (info, $($arg:tt)+) => { $crate::log::write($crate::types::LogLevel::Info, &format!($($arg)+)) };
    (warn, $($arg:tt)+) => { $crate::log::write($crate::types::LogLevel::Warn, &format!($($arg)+)) };
    (error, $($arg:tt)+) => { $crate::log::write($crate::types::LogLevel::Error, &format!($($arg)+)) };
}

/// Installs (once) a panic hook that sends the panic message and location
/// through `log` at error level and to stderr, before the component traps.
/// The export macros call this on every entry, so plugin authors never need to.
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            // One line, so the host's report can quote it whole.
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
                .unwrap_or("(no message)");
            let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
            let message = format!("plugin panicked{location}: {payload}");
            write(LogLevel::Error, &message);
            #[cfg(target_arch = "wasm32")]
            eprintln!("{message}");
        }));
    });
}
