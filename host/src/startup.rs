//! Where a server's start goes: each phase of bringing a session up is
//! marked as it ends, and the whole is logged once the session answers and
//! again when the last saved screen was replayed. `bench-persist` reads
//! these lines to break a resurrection down.

use std::sync::Mutex;
use std::time::Instant;

struct Marks {
    start: Instant,
    phases: Vec<(&'static str, Instant)>,
}

static MARKS: Mutex<Option<Marks>> = Mutex::new(None);

/// The server process began (first thing in `main`'s server branch).
pub fn begin() {
    *MARKS.lock().unwrap_or_else(|e| e.into_inner()) = Some(Marks { start: Instant::now(), phases: Vec::new() });
}

/// `phase` just ended.
pub fn mark(phase: &'static str) {
    if let Some(m) = MARKS.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
        m.phases.push((phase, Instant::now()));
    }
}

/// `phase` just ended, unless it was marked before; true the first time.
pub fn mark_once(phase: &'static str) -> bool {
    let mut guard = MARKS.lock().unwrap_or_else(|e| e.into_inner());
    match guard.as_mut() {
        Some(m) if !m.phases.iter().any(|(p, _)| *p == phase) => {
            m.phases.push((phase, Instant::now()));
            true
        }
        _ => false,
    }
}

/// Every phase with the time it took, as `name=ms` pairs, and the total.
pub fn summary() -> String {
    let guard = MARKS.lock().unwrap_or_else(|e| e.into_inner());
    let Some(m) = guard.as_ref() else { return String::new() };
    let mut last = m.start;
    let mut out = Vec::new();
    for (phase, at) in &m.phases {
        out.push(format!("{phase}={:.1}", at.duration_since(last).as_secs_f64() * 1e3));
        last = *at;
    }
    out.push(format!("total={:.1}", last.duration_since(m.start).as_secs_f64() * 1e3));
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_timed_from_the_one_before() {
        begin();
        mark("config");
        std::thread::sleep(std::time::Duration::from_millis(5));
        mark("layout");
        let s = summary();
        let fields: Vec<&str> = s.split(' ').collect();
        assert_eq!(fields.len(), 3, "{s}");
        assert!(fields[0].starts_with("config=") && fields[2].starts_with("total="), "{s}");
        let layout: f64 = fields[1].trim_start_matches("layout=").parse().unwrap();
        assert!(layout >= 5.0, "{s}");
    }
}
