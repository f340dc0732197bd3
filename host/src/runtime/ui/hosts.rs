//! Other hosts' sessions for a session-manager pane: each host of
//! config.kdl's `hosts` block is asked over ssh on a thread of its own,
//! again every few seconds while the pane is open. The pane's thread only
//! reads what came back, so a slow or unreachable host never holds the
//! list up; it shows as one line with its error.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use revenant_config::HostEntry;
use serde_json::Value;

use crate::plugin::types::{HostInfo, SessionInfo, SessionState};
use crate::remote::address::SshHost;
use crate::remote::listing::{UNATTENDED, fetch};
use crate::remote::ssh::Ssh;

/// How often an open manager asks each host again.
const EVERY: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
struct Slot {
    label: String,
    address: String,
    fetching: bool,
    error: Option<String>,
    sessions: Vec<SessionInfo>,
}

/// The hosts' latest answers; dropping it stops the asking.
pub struct RemoteHosts {
    slots: Arc<Mutex<Vec<Slot>>>,
    stop: Arc<AtomicBool>,
}

impl RemoteHosts {
    /// Starts asking every host; `changed` is called after each answer.
    pub fn start(entries: &[HostEntry], ssh: Result<Ssh, String>, changed: impl Fn() + Send + Clone + 'static) -> Self {
        let slots: Vec<Slot> = entries
            .iter()
            .map(|e| Slot {
                label: e.label.clone(),
                address: e.address.clone(),
                fetching: true,
                error: None,
                sessions: Vec::new(),
            })
            .collect();
        let hosts = RemoteHosts { slots: Arc::new(Mutex::new(slots)), stop: Arc::new(AtomicBool::new(false)) };
        for (i, entry) in entries.iter().enumerate() {
            let (slots, stop, changed) = (hosts.slots.clone(), hosts.stop.clone(), changed.clone());
            let (ssh, entry) = (ssh.clone(), entry.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("host-{}", entry.label))
                .spawn(move || ask_while_open(i, &entry, ssh, &slots, &stop, &changed));
            if let Err(e) = spawned {
                hosts.lock()[i].error = Some(format!("cannot start asking: {e}"));
            }
        }
        hosts
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Slot>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every host's sessions, host by host in the order configured.
    pub fn sessions(&self) -> Vec<SessionInfo> {
        self.lock().iter().flat_map(|s| s.sessions.iter().cloned()).collect()
    }

    pub fn infos(&self) -> Vec<HostInfo> {
        self.lock()
            .iter()
            .map(|s| HostInfo {
                label: s.label.clone(),
                address: s.address.clone(),
                fetching: s.fetching,
                error: s.error.clone(),
            })
            .collect()
    }
}

impl Drop for RemoteHosts {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
    }
}

fn ask_while_open(
    i: usize,
    entry: &HostEntry,
    ssh: Result<Ssh, String>,
    slots: &Mutex<Vec<Slot>>,
    stop: &AtomicBool,
    changed: &dyn Fn(),
) {
    let host = SshHost::parse(&entry.address).map_err(|e| e.to_string());
    while !stop.load(Ordering::Acquire) {
        let answer = match (&ssh, &host) {
            (Err(e), _) | (_, Err(e)) => Err(e.clone()),
            (Ok(ssh), Ok(host)) => fetch(ssh, host, UNATTENDED).map_err(|e| format!("{e:#}").replace('\n', " ")),
        };
        {
            let mut slots = slots.lock().unwrap_or_else(|e| e.into_inner());
            let slot = &mut slots[i];
            slot.fetching = false;
            match answer {
                Ok(rows) => {
                    slot.error = None;
                    slot.sessions = rows.iter().filter_map(|r| session_info(r, &entry.label)).collect();
                }
                Err(why) => {
                    slot.error = Some(why);
                    slot.sessions.clear();
                }
            }
        }
        changed();
        let next = Instant::now() + EVERY;
        while Instant::now() < next && !stop.load(Ordering::Acquire) {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// A row of another host's `ls --json` as the manager lists it.
fn session_info(row: &Value, label: &str) -> Option<SessionInfo> {
    let int = |k: &str| row.get(k).and_then(Value::as_u64);
    let state = match row.get("state")?.as_str()? {
        "live" => SessionState::Live,
        "exited" => SessionState::Exited,
        _ => return None,
    };
    let tabs: Vec<String> = row
        .get("tabs")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(|n| n.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let damaged = match row.get("damaged") {
        Some(Value::String(why)) => Some(why.clone()),
        _ if row.get("responding") == Some(&Value::Bool(false)) => Some("not responding".into()),
        _ => None,
    };
    Some(SessionInfo {
        name: row.get("name")?.as_str()?.to_owned(),
        state,
        created_unix: int("created_unix").unwrap_or(0),
        saved_unix: int("saved_unix"),
        focused_tab: 0,
        pane_count: int("panes").unwrap_or(0) as u32,
        tabs,
        panes: Vec::new(),
        connected_clients: int("clients").unwrap_or(0) as u32,
        is_current: false,
        damaged,
        host: Some(label.to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_another_hosts_ls_become_its_sessions() {
        let live = serde_json::json!({
            "name": "w", "state": "live", "created_unix": 5, "clients": 2, "tabs": ["a", "b"], "panes": 3,
            "responding": true,
        });
        let s = session_info(&live, "box").unwrap();
        assert_eq!((s.name.as_str(), s.state, s.host.as_deref()), ("w", SessionState::Live, Some("box")));
        assert_eq!((s.tabs.len(), s.pane_count, s.connected_clients, s.damaged), (2, 3, 2, None));
        let exited = serde_json::json!({"name": "x", "state": "exited", "saved_unix": 9, "damaged": "cut short"});
        let s = session_info(&exited, "box").unwrap();
        assert_eq!((s.state, s.saved_unix, s.damaged.as_deref()), (SessionState::Exited, Some(9), Some("cut short")));
        assert!(session_info(&serde_json::json!({"name": "y", "state": "unreachable"}), "box").is_none());
    }

    #[test]
    fn a_host_that_cannot_be_reached_says_why_and_others_are_not_held_up() {
        let entries = vec![HostEntry { label: "bad".into(), address: "ssh://-x".into() }];
        let (tx, rx) = std::sync::mpsc::channel();
        let hosts = RemoteHosts::start(&entries, Err("no ssh".into()), move || {
            let _ = tx.send(());
        });
        rx.recv_timeout(Duration::from_secs(5)).unwrap();
        let info = &hosts.infos()[0];
        assert!(!info.fetching && info.error.is_some(), "{info:?}");
        assert!(hosts.sessions().is_empty());
    }
}
