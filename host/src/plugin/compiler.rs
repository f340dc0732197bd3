//! Cranelift in a process of its own. A server that compiles a plugin in
//! place keeps what the compile left behind for its whole life: heap the
//! compile fragmented around the session's own allocations, and pages of
//! Cranelift's code. A child (`revenant __compile`) takes the component's
//! bytes on stdin, writes the build into the plugin cache and exits; the
//! server then maps the build like any cached one. A compile that crashes,
//! runs out of memory or never ends costs the child, not the session.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::artifacts::Artifacts;
use super::error::Failure;

/// The binary that compiles (set by a server: this very executable).
static HELPER: OnceLock<PathBuf> = OnceLock::new();

/// Longest a compile may take before the child is killed. A large
/// component (a Python plugin is tens of megabytes) takes seconds; this
/// only stops one that would never end.
const LIMIT: Duration = Duration::from_secs(600);

/// Makes this process compile in a child running `exe __compile`, for
/// engines with a plugin cache to put the build in.
pub fn compile_in_child(exe: PathBuf) {
    let _ = HELPER.set(exe);
}

pub(crate) fn helper() -> Option<&'static Path> {
    HELPER.get().map(PathBuf::as_path)
}

/// Why a child brought no build.
pub(crate) enum ChildError {
    /// The component is not valid: the same answer a compile here gives.
    Invalid(Failure),
    /// The child could not run, or compiled but could not write the build
    /// (a full disk): a compile here can still do the work.
    Unavailable(String),
    /// It crashed, was killed or ran out of time: a compile here could do
    /// the same to the server.
    Broke(Failure),
}

/// Runs the child on `bytes`; on success the build `key` is in `dir`.
pub(crate) fn compile(exe: &Path, dir: &Path, bytes: &[u8], key: u64) -> Result<(), ChildError> {
    let mut command = Command::new(exe);
    command
        .arg("__compile")
        .arg(dir)
        .arg(format!("{key:016x}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl is async-signal-safe and touches no memory of
        // ours. The child dies with the thread that waits for it, so a
        // server killed mid-compile leaves no compiler running.
        unsafe {
            command.pre_exec(|| {
                rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))
                    .map_err(std::io::Error::from)
            });
        }
    }
    let broke = |why: String| ChildError::Broke(Failure::CompilerFailed(format!("its compiler process {why}")));
    let mut child =
        command.spawn().map_err(|e| ChildError::Unavailable(format!("cannot start {}: {e}", exe.display())))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // The child reads all of its input before it writes anything, so
    // writing first cannot deadlock on a full stderr pipe.
    let written = stdin.write_all(bytes);
    drop(stdin);
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + LIMIT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(broke(format!("had no build after {} s and was stopped", LIMIT.as_secs())));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(ChildError::Unavailable(format!("cannot wait for the compiler process: {e}"))),
        }
    };
    let said = reader.join().unwrap_or_default();
    if status.success() {
        return Ok(());
    }
    let said = said.trim().to_string();
    match status.code() {
        // Its message is the compile error itself.
        Some(COMPILE_ERROR) if !said.is_empty() => Err(ChildError::Invalid(Failure::Compile(said))),
        Some(NOT_KEPT) => Err(ChildError::Unavailable(said)),
        // Killed (by the OOM killer, say) or crashed: whether or not it had
        // read all of its input, the cause is the child's.
        None => Err(broke(format!("was stopped ({status}){}", tail(&said)))),
        Some(_) => match written {
            Err(e) => Err(ChildError::Unavailable(format!("cannot hand the compiler process the component: {e}"))),
            Ok(()) => Err(broke(format!("ended without a build ({status}){}", tail(&said)))),
        },
    }
}

/// The child's exit codes: the component does not compile; it compiled
/// but the build could not be written.
const COMPILE_ERROR: i32 = 1;
const NOT_KEPT: i32 = 3;

fn tail(said: &str) -> String {
    said.lines().last().map(|l| format!(": {l}")).unwrap_or_default()
}

/// `revenant __compile DIR KEY`: the child's side. Its exit code: 0,
/// [`COMPILE_ERROR`] or [`NOT_KEPT`] (with the reason on stderr), or 2.
pub fn child_main(mut args: impl Iterator<Item = std::ffi::OsString>) -> i32 {
    let (Some(dir), Some(key)) = (args.next(), args.next()) else {
        eprintln!("usage: revenant __compile DIR KEY < component.wasm");
        return 2;
    };
    let Some(key) = key.to_str().and_then(|k| u64::from_str_radix(k, 16).ok()) else {
        eprintln!("revenant __compile: the key is not a hex number");
        return 2;
    };
    match build(Path::new(&dir), key) {
        Ok(()) => 0,
        Err((code, e)) => {
            eprintln!("{e}");
            code
        }
    }
}

fn build(dir: &Path, key: u64) -> Result<(), (i32, String)> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|e| (2, format!("reading the component: {e}")))?;
    let engine = wasmtime::Engine::new(&super::settings::config()).map_err(|e| (2, format!("{e:#}")))?;
    let built = engine.precompile_component(&bytes).map_err(|e| (COMPILE_ERROR, format!("{e:#}")))?;
    Artifacts::new(dir, &engine).store_serialized(&built, key).map_err(|e| (NOT_KEPT, format!("{e:#}")))
}
