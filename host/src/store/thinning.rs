//! Which generations a session keeps: restic's `forget --keep-last N
//! --keep-hourly H --keep-daily D`. Each rule walks the generations newest
//! first; `hourly` keeps the newest of each hour until it kept H hours,
//! `daily` the same by day. A generation any rule keeps stays. Pure: the
//! store reads the folders, this only decides.

use std::collections::BTreeSet;

use revenant_config::Retention;

/// What thinning knows of one complete generation.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub seq: u64,
    pub saved_unix: u64,
    pub pinned: bool,
}

/// Why a generation is kept, for `revenant snapshots`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Last,
    Hourly,
    Daily,
    Pinned,
}

impl Reason {
    pub fn name(self) -> &'static str {
        match self {
            Reason::Last => "last",
            Reason::Hourly => "hourly",
            Reason::Daily => "daily",
            Reason::Pinned => "pinned",
        }
    }
}

/// The generations `policy` keeps, and the first rule that keeps each.
/// The newest one is always kept, and so are pinned ones.
pub fn keep(entries: &[Entry], policy: &Retention) -> Vec<(u64, Reason)> {
    let mut newest_first: Vec<&Entry> = entries.iter().collect();
    newest_first.sort_by_key(|e| std::cmp::Reverse(e.seq));
    let mut out: Vec<(u64, Reason)> = Vec::new();
    let add = |seq: u64, reason: Reason, out: &mut Vec<(u64, Reason)>| {
        if !out.iter().any(|(s, _)| *s == seq) {
            out.push((seq, reason));
        }
    };
    for entry in newest_first.iter().take(policy.last.max(1)) {
        add(entry.seq, Reason::Last, &mut out);
    }
    for (span, count, reason) in [(3600, policy.hourly, Reason::Hourly), (86_400, policy.daily, Reason::Daily)] {
        let mut buckets: BTreeSet<u64> = BTreeSet::new();
        for entry in &newest_first {
            if buckets.len() >= count {
                break;
            }
            if buckets.insert(entry.saved_unix / span) {
                add(entry.seq, reason, &mut out);
            }
        }
    }
    for entry in newest_first.iter().filter(|e| e.pinned) {
        add(entry.seq, Reason::Pinned, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: u64 = 3600;
    const DAY: u64 = 86_400;

    fn policy(last: usize, hourly: usize, daily: usize) -> Retention {
        Retention { last, hourly, daily, disk_limit: None }
    }

    fn kept(entries: &[Entry], p: &Retention) -> Vec<u64> {
        let mut seqs: Vec<u64> = keep(entries, p).into_iter().map(|(s, _)| s).collect();
        seqs.sort();
        seqs
    }

    /// One save a minute for `minutes`, ending at `end`.
    fn every_minute(minutes: u64, end: u64) -> Vec<Entry> {
        (0..minutes).map(|i| Entry { seq: i + 1, saved_unix: end - (minutes - 1 - i) * 60, pinned: false }).collect()
    }

    #[test]
    fn last_keeps_the_newest_few() {
        let e = every_minute(10, 100 * DAY);
        assert_eq!(kept(&e, &policy(3, 0, 0)), [8, 9, 10]);
        assert_eq!(kept(&e, &policy(0, 0, 0)), [10], "the newest always stays");
    }

    #[test]
    fn hourly_keeps_the_newest_of_each_hour() {
        // Three hours of saves, one a minute, ending at the top of an hour.
        let end = 100 * DAY + 3 * HOUR - 60;
        let e = every_minute(180, end);
        let k = keep(&e, &policy(1, 24, 0));
        let hourly: Vec<u64> = k.iter().filter(|(_, r)| *r == Reason::Hourly).map(|(s, _)| *s).collect();
        // The newest of the last hour is the newest of all (kept by `last`);
        // the other two hours each give their last minute.
        assert_eq!(hourly, [120, 60]);
        assert_eq!(kept(&e, &policy(1, 2, 0)), [120, 180], "two hours: the newest counts as one");
    }

    #[test]
    fn daily_spans_days_and_pinned_stays() {
        let mut e: Vec<Entry> =
            (0..40).map(|d| Entry { seq: d + 1, saved_unix: 10 * DAY + d * DAY + 5, pinned: false }).collect();
        e[2].pinned = true;
        let k = kept(&e, &policy(1, 0, 30));
        assert_eq!(k.len(), 31, "30 days, and the pinned one: {k:?}");
        assert!(k.contains(&3) && k.contains(&40) && k.contains(&11) && !k.contains(&10));
        let reasons = keep(&e, &policy(1, 0, 30));
        assert!(reasons.contains(&(3, Reason::Pinned)));
    }
}
