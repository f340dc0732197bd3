//! The built-in session manager with 500 sessions, through the host as a
//! pane uses it: a keystroke in the filter to the next frame, and a fresh
//! session list (the once-a-second refresh) to the next frame. Prints the
//! plugin's memory high-water mark at the end. Run with
//! `cargo bench -p revenant --bench session_manager`.

use std::hint::black_box;
use std::sync::{Arc, Mutex};

use criterion::{Criterion, criterion_group, criterion_main};
use revenant::plugin::types::*;
use revenant::plugin::{Grants, PluginEngine, PluginLimits, SessionControl, SessionManagerPlugin, World, builtin};

const SESSIONS: usize = 500;
const ROWS: u32 = 40;
const COLS: u32 = 140;

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// Sessions as a busy user has them: three tabs of four panes, commands in
/// half of them, a mix of live and exited.
fn sessions() -> Vec<SessionInfo> {
    let now = now();
    (0..SESSIONS)
        .map(|i| {
            let panes = (0..12u32)
                .map(|p| PaneSummary {
                    tab: p / 4,
                    title: format!("pane {p}"),
                    command: (p % 2 == 0).then(|| format!("cargo watch -x 'test --bin b{p}'")),
                    cwd: Some(format!("/home/user/src/project-{i}/crate-{p}")),
                    x: (p % 2) * 60,
                    y: (p % 4 / 2) * 20,
                    cols: 60,
                    rows: 20,
                    focused: p == 0,
                    floating: false,
                })
                .collect();
            SessionInfo {
                name: format!("project-{i:03}-{}", ["api", "web", "infra", "notes"][i % 4]),
                state: if i % 3 == 0 { SessionState::Exited } else { SessionState::Live },
                created_unix: now - 60 * i as u64,
                saved_unix: Some(now - 30 * i as u64),
                tabs: vec!["editor".into(), "build".into(), "logs".into()],
                focused_tab: 0,
                panes,
                pane_count: 12,
                connected_clients: (i % 2) as u32,
                is_current: i == 7,
                damaged: None,
                host: None,
            }
        })
        .collect()
}

#[derive(Clone)]
struct Control {
    list: Arc<Mutex<Vec<SessionInfo>>>,
}

impl SessionControl for Control {
    fn list_sessions(&mut self) -> Vec<SessionInfo> {
        self.list.lock().unwrap().clone()
    }
    fn switch_session(&mut self, _: &str) -> Result<(), String> {
        Ok(())
    }
    fn resurrect_session(&mut self, _: &str, _: Option<&str>) -> Result<(), String> {
        Ok(())
    }
    fn kill_session(&mut self, _: &str) -> Result<(), String> {
        Ok(())
    }
    fn delete_session(&mut self, _: &str) -> Result<(), String> {
        Ok(())
    }
    fn create_session(&mut self, _: Option<&str>, _: Option<&str>) -> Result<(), String> {
        Ok(())
    }
    fn rename_session(&mut self, _: &str) -> Result<(), String> {
        Ok(())
    }
    fn save_session(&mut self) -> Result<(), String> {
        Ok(())
    }
    fn disconnect_other_clients(&mut self) -> Result<(), String> {
        Ok(())
    }
    fn list_layouts(&mut self) -> Vec<LayoutInfo> {
        Vec::new()
    }
    fn list_generations(&mut self, _: &str) -> Result<Vec<Generation>, String> {
        Ok(Vec::new())
    }
    fn set_timeout(&mut self, _: u32) {}
    fn close(&mut self) {}
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent { key: Key::Char(c), modifiers: Modifiers::empty() })
}

fn benches(c: &mut Criterion) {
    let cache = tempfile::tempdir().unwrap();
    let engine = PluginEngine::new(Some(cache.path())).unwrap();
    let list = sessions();
    let control = Control { list: Arc::new(Mutex::new(list.clone())) };
    let mut ui = SessionManagerPlugin::load(
        &engine,
        &builtin("session-manager").unwrap(),
        PluginLimits::for_world(World::SessionManager),
        Grants::none(),
        Box::new(control),
        Vec::new(),
    )
    .unwrap();
    ui.update(&Event::SessionList(list.clone())).unwrap();
    // Every session shown, so every keystroke re-filters all 500.
    ui.update(&Event::Key(KeyEvent { key: Key::Tab, modifiers: Modifiers::empty() })).unwrap();
    let frame = ui.render(ROWS, COLS).unwrap();
    assert!(frame.iter().any(|l| l.contains("project-")), "{frame:#?}");

    // A letter then Backspace, so every sample sees the same list. After "p"
    // the filter matches everything: the most rows to rank and draw.
    let mut typing = |name: &str, prefix: &str, letter: char| {
        for ch in prefix.chars() {
            ui.update(&key(ch)).unwrap();
        }
        let mut typed = false;
        c.bench_function(name, |b| {
            b.iter(|| {
                let event = if typed {
                    Event::Key(KeyEvent { key: Key::Backspace, modifiers: Modifiers::empty() })
                } else {
                    key(letter)
                };
                typed = !typed;
                ui.update(black_box(&event)).unwrap();
                black_box(ui.render(ROWS, COLS).unwrap())
            })
        });
    };
    typing("500 sessions: keystroke in the filter -> frame (140x40)", "", 'p');
    typing("500 sessions: a fuzzy filter keystroke (\"pj3w\") -> frame", "pj3", 'w');
    c.bench_function("500 sessions: refreshed list -> frame", |b| {
        let event = Event::SessionList(list.clone());
        b.iter(|| {
            ui.update(black_box(&event)).unwrap();
            black_box(ui.render(ROWS, COLS).unwrap())
        })
    });
    let stats = ui.stats();
    eprintln!(
        "session manager with {SESSIONS} sessions: linear memory peak {:.1} MiB, worst call {:?} over {} calls",
        stats.memory_peak as f64 / 1_048_576.0,
        stats.worst,
        stats.calls
    );
}

criterion_group!(session_manager_benches, benches);
criterion_main!(session_manager_benches);
