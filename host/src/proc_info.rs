//! What `/proc` tells about a process: its argv, its working directory and
//! the environment it was started with.

use std::path::PathBuf;

/// The process's argv, split on the NULs of `/proc/PID/cmdline`; `None` for
/// a process that is gone or a kernel thread (empty command line).
pub fn cmdline(pid: u32) -> Option<Vec<String>> {
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let argv: Vec<String> = raw
        .strip_suffix(&[0])
        .unwrap_or(&raw)
        .split(|b| *b == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    (!raw.is_empty() && !argv.is_empty()).then_some(argv)
}

/// The variables the process was started with (`/proc/PID/environ`: what
/// it was given at exec, not what it exported since), those of them that
/// are UTF-8; `None` for a process that is gone or not ours.
pub fn environ(pid: u32) -> Option<Vec<(String, String)>> {
    let raw = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
    Some(
        raw.split(|b| *b == 0)
            .filter_map(|entry| std::str::from_utf8(entry).ok()?.split_once('='))
            .filter(|(name, _)| !name.is_empty())
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect(),
    )
}

/// The process's working directory.
pub fn cwd(pid: u32) -> Option<PathBuf> {
    std::fs::read_link(format!("/proc/{pid}/cwd")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_our_own_process() {
        let me = std::process::id();
        let argv = cmdline(me).expect("our argv");
        assert!(!argv.is_empty());
        assert_eq!(cwd(me), std::env::current_dir().ok());
        assert!(cmdline(u32::MAX).is_none());
    }

    #[test]
    fn a_childs_environment_is_read_as_it_was_given() {
        let mut child =
            std::process::Command::new("sleep").arg("30").env("REVENANT_TEST_VAR", "a=b c").spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        let env = environ(child.id()).unwrap();
        assert!(env.contains(&("REVENANT_TEST_VAR".into(), "a=b c".into())), "{env:?}");
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(environ(u32::MAX).is_none());
    }

    #[test]
    fn a_childs_argv_keeps_its_words_apart() {
        let mut child = std::process::Command::new("sh").args(["-c", "sleep 30; :", "a b", ""]).spawn().unwrap();
        // Give exec a moment to replace the forked image's command line.
        std::thread::sleep(std::time::Duration::from_millis(50));
        let argv = cmdline(child.id()).unwrap();
        assert_eq!(argv, ["sh", "-c", "sleep 30; :", "a b", ""]);
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
