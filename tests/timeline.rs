//! The timeline of snapshots with real servers: thinning by the retention
//! policy (old generations faked in time by their `saved` stamps),
//! sidecars stored once across generations and sessions (counted in
//! inodes), a truncated shared sidecar falling back by its hash, and
//! `snapshots diff`.

mod common;

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use common::{Env, files_under, kill9, wait_until};

fn session_dir(env: &Env, name: &str) -> PathBuf {
    env.cache_dir().join("contract_version_1/session_info").join(name)
}

/// Generation folders, oldest first.
fn generations(env: &Env, name: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(session_dir(env, name).join("snapshots")) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().parse::<u64>().is_ok())
        .collect();
    out.sort();
    out
}

fn id(generation: &Path) -> String {
    generation.file_name().unwrap().to_str().unwrap().parse::<u64>().unwrap().to_string()
}

fn sidecars(generation: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(generation)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| !p.ends_with("session-layout.kdl") && !p.ends_with("info.kdl"))
        .collect()
}

fn now_unix() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[test]
fn old_generations_are_thinned_by_the_policy_and_listed_with_their_rule() {
    let env = Env::new();
    let pid = env.start("thin", &[]);
    while generations(&env, "thin").len() < 5 {
        env.action("thin", &["save-session"]);
    }
    kill9(pid);
    // Five saves made over three weeks, as their stamps say.
    let now = now_unix();
    let days = [20, 10, 9, 5, 2];
    let old = generations(&env, "thin");
    let old = &old[old.len() - 5..];
    for (generation, ago) in old.iter().zip(days) {
        let info = std::fs::read_to_string(generation.join("info.kdl")).unwrap();
        let faked: String = info
            .lines()
            .map(|l| if l.starts_with("saved ") { format!("saved {}\n", now - ago * 86_400) } else { format!("{l}\n") })
            .collect();
        std::fs::write(generation.join("info.kdl"), faked).unwrap();
    }
    // The next server thins by this policy.
    env.write_config("snapshot_retention { last 1; hourly 0; daily 3; }\n");
    env.ok(&["attach", "-b", "thin", "--size", "100x30"]);
    let _guard = common::KillOnDrop(vec![env.pid_of("thin").expect("resurrected")]);
    env.action("thin", &["save-session"]);
    // Thinning follows the save's answer.
    wait_until("the old generations to be thinned", || generations(&env, "thin").len() <= 3);
    let left: Vec<String> = generations(&env, "thin").iter().map(|g| id(g)).collect();
    let kept_old: Vec<String> = old[3..].iter().map(|g| id(g)).collect();
    assert_eq!(left.len(), 3, "the newest, and the newest of 2 and 5 days ago: {left:?}");
    assert_eq!(left[..2], kept_old[..], "{left:?}");
    let listing = env.ok(&["snapshots", "thin"]);
    assert_eq!(listing.matches("kept: daily").count(), 2, "{listing}");
    assert_eq!(listing.matches("kept: last").count(), 1, "{listing}");
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["snapshots", "thin", "--json"])).unwrap();
    assert_eq!(json[0]["kept_by"], "last");
}

#[test]
fn sidecars_are_stored_once_across_generations_and_sessions() {
    let env = Env::new();
    env.write_config("serialize_pane_viewport true\n");
    for name in ["twin1", "twin2"] {
        env.start_sized(name, "80x24", &["--", "sh", "-c", "echo the-same-screen; exec sleep 1000"]);
        env.wait_for_screen(name, "the-same-screen");
    }
    for _ in 0..3 {
        for name in ["twin1", "twin2"] {
            env.action(name, &["save-session"]);
        }
    }
    let files: Vec<PathBuf> =
        ["twin1", "twin2"].iter().flat_map(|n| generations(&env, n)).flat_map(|g| sidecars(&g)).collect();
    assert!(files.len() >= 6, "{files:?}");
    let inodes: HashSet<u64> = files.iter().map(|f| std::fs::metadata(f).unwrap().ino()).collect();
    assert_eq!(inodes.len(), 1, "one screen, one file on disk: {files:?}");
    let blobs: Vec<_> =
        std::fs::read_dir(env.cache_dir().join("contract_version_1/blobs")).unwrap().flatten().collect();
    assert_eq!(blobs.len(), 1, "{blobs:?}");
    let meta = blobs[0].metadata().unwrap();
    assert_eq!(meta.nlink() as usize, files.len() + 1, "every generation links the blob");
    let modes = std::fs::metadata(session_dir(&env, "twin1").join("snapshots")).unwrap().mode() & 0o777;
    assert_eq!(modes, 0o700, "snapshot folders are private");
}

#[test]
fn a_truncated_shared_sidecar_damages_the_generations_that_name_it_and_no_other() {
    let env = Env::new();
    env.write_config("serialize_pane_viewport true\n");
    let pid = env.start_sized("trunc", "80x24", &[]);
    env.action("trunc", &["write-chars", "echo first-''screen\n"]);
    env.wait_for_screen("trunc", "first-screen");
    env.action("trunc", &["save-session"]);
    let first = generations(&env, "trunc").pop().unwrap();
    env.action("trunc", &["write-chars", "clear; echo second-''screen\n"]);
    env.wait_for_screen("trunc", "second-screen");
    env.action("trunc", &["save-session"]);
    env.action("trunc", &["save-session"]);
    kill9(pid);
    let all = generations(&env, "trunc");
    let (newest, before) = (&all[all.len() - 1], &all[all.len() - 2]);
    let shared = sidecars(newest)[0].clone();
    let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
    assert_eq!(ino(&shared), ino(&sidecars(before)[0]), "the two saves of one screen share their sidecar");
    assert_ne!(ino(&shared), ino(&sidecars(&first)[0]));
    // The generations that name the truncated file, and the newest one
    // that does not: what resurrection must come back from.
    let naming: Vec<String> = all.iter().filter(|g| ino(&sidecars(g)[0]) == ino(&shared)).map(|g| id(g)).collect();
    let whole = all.iter().rev().find(|g| ino(&sidecars(g)[0]) != ino(&shared)).map(|g| id(g)).unwrap();
    // Truncated in place: every generation that names it is damaged.
    let bytes = std::fs::read(&shared).unwrap();
    std::fs::write(&shared, &bytes[..bytes.len() / 2]).unwrap();
    let out = env.run(&["attach", "-b", "trunc", "--size", "80x24"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let _guard = common::KillOnDrop(vec![env.pid_of("trunc").expect("resurrected")]);
    assert!(stderr.contains(&format!("from snapshot {whole}")), "{stderr}");
    for damaged in &naming {
        assert!(stderr.contains(&format!("snapshot {damaged}: its sidecar")), "{damaged}: {stderr}");
    }
    env.wait_for_screen("trunc", "first-screen");
}

#[test]
fn snapshots_diff_names_what_changed_between_two_generations() {
    let env = Env::new();
    env.start("diffs", &[]);
    env.action("diffs", &["rename-tab", "one"]);
    env.action("diffs", &["save-session"]);
    let a = id(&generations(&env, "diffs").pop().unwrap());
    env.action("diffs", &["new-tab", "--name", "two"]);
    env.action("diffs", &["save-session"]);
    let b = id(&generations(&env, "diffs").pop().unwrap());
    let out = env.ok(&["snapshots", "diff", "diffs", &a, &b]);
    assert!(out.contains("tab \"two\": added"), "{out}");
    let same = env.ok(&["snapshots", "diff", "diffs", &b, &b]);
    assert!(same.contains("hold the same"), "{same}");
    let wrong = env.run(&["snapshots", "diff", "diffs", &a, "999"]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("has no generation 999"));
}

#[test]
fn planted_secrets_never_reach_the_cache_in_any_generation() {
    let env = Env::new();
    env.write_config("serialize_pane_viewport true\nsecret_rules {\n    rule \"acme\" \"ACME-[0-9]{6}\"\n}\n");
    env.start_sized("leak", "80x24", &[]);
    // Made-up values in each provider's real format; the JWT is longer
    // than a row, so it wraps.
    let secrets = [
        "AKIAZ7EXAMPLE4QW3ERT",
        "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
        "glpat-Zx9Yw8Vu7Ts6Rq5Po4Nm",
        "xoxb-1234567890-0987654321-AbCdEfGhIjKl",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "hunter2hunter2",
        "ACME-424242",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    ];
    let script = env.root.path().join("print-secrets.sh");
    std::fs::write(
        &script,
        format!(
            "echo 'export AWS_ACCESS_KEY_ID={}'\necho 'GITHUB_TOKEN={}'\necho 'gitlab {}'\necho 'slack {}'\n\
             echo 'Authorization: Bearer {}'\necho 'mysql --password={}'\necho 'key {}'\n\
             echo '-----BEGIN OPENSSH PRIVATE KEY-----'\necho '{}'\necho '-----END OPENSSH PRIVATE KEY-----'\n\
             echo printed-''all\n",
            secrets[0], secrets[1], secrets[2], secrets[3], secrets[4], secrets[5], secrets[6], secrets[7]
        ),
    )
    .unwrap();
    env.action("leak", &["write-chars", &format!("sh {}\n", script.display())]);
    env.wait_for_screen("leak", "printed-all");
    env.action("leak", &["save-session"]);
    // Into the history, and saved again.
    env.action("leak", &["write-chars", "seq 1 60; echo scrolled-''away\n"]);
    env.wait_for_screen("leak", "scrolled-away");
    env.action("leak", &["save-session"]);
    let mut files = Vec::new();
    files_under(&env.cache_dir().join("contract_version_1"), &mut files);
    let mut redacted = 0;
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in secrets {
            assert!(!text.contains(secret), "{} holds {secret}", file.display());
        }
        redacted += text.matches("[REDACTED:").count();
        let mode = std::fs::metadata(file).unwrap().mode() & 0o777;
        assert_eq!(mode & 0o077, 0, "{} is mode {mode:o}", file.display());
    }
    assert!(redacted >= 8, "the marks stand where the secrets were: {redacted}");
    for generation in generations(&env, "leak") {
        assert_eq!(std::fs::metadata(&generation).unwrap().mode() & 0o777, 0o700, "{}", generation.display());
    }
}

#[test]
fn restore_tab_brings_one_tab_of_an_older_snapshot_back() {
    let env = Env::new();
    env.start("rt", &[]);
    env.action("rt", &["rename-tab", "keep"]);
    env.action("rt", &["new-tab", "--name", "logs"]);
    env.action("rt", &["new-pane", "--", "sleep", "1000"]);
    env.action("rt", &["save-session"]);
    let id = id(&generations(&env, "rt").pop().unwrap());
    env.action("rt", &["close-tab"]);
    let tabs = |env: &Env| -> Vec<String> {
        let panes = env.json("rt", &["list-panes", "--json"]);
        let mut names: Vec<String> =
            panes.as_array().unwrap().iter().map(|p| p["tab_name"].as_str().unwrap().to_string()).collect();
        names.dedup();
        names
    };
    assert_eq!(tabs(&env), ["keep"]);
    let out = env.action("rt", &["restore-tab", "--snapshot", &id, "--tab", "logs"]);
    assert_eq!(out.trim(), "2", "its number");
    assert_eq!(tabs(&env), ["keep", "logs"]);
    let panes = env.json("rt", &["list-panes", "--json"]);
    let restored: Vec<&serde_json::Value> =
        panes.as_array().unwrap().iter().filter(|p| p["tab_name"] == "logs").collect();
    assert_eq!(restored.len(), 2, "{panes}");
    let sleeper = restored.iter().find(|p| p["command"][0] == "sleep").unwrap_or_else(|| panic!("{panes}"));
    assert_eq!(sleeper["suspended"], true, "its command waits for ENTER, as after a resurrection");
    let wrong = env.run(&["-s", "rt", "action", "restore-tab", "--snapshot", &id, "--tab", "nope"]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("no tab `nope` (it has: keep, logs)"));
}
