//! Session ages as people read them.
//!
//! Two units at most: "3d 4h" tells which session is older at a glance,
//! while "3d 4h 12m 9s" is noise in a list. A zero second unit is left out
//! ("2h", not "2h 0m").

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;

/// `15s`, `5m 3s`, `2h 5m`, `3d 4h`.
pub fn format_age(seconds: u64) -> String {
    let (major, major_unit, minor, minor_unit) = if seconds < MINUTE {
        return format!("{seconds}s");
    } else if seconds < HOUR {
        (seconds / MINUTE, 'm', seconds % MINUTE, 's')
    } else if seconds < DAY {
        (seconds / HOUR, 'h', seconds % HOUR / MINUTE, 'm')
    } else {
        (seconds / DAY, 'd', seconds % DAY / HOUR, 'h')
    };
    if minor == 0 { format!("{major}{major_unit}") } else { format!("{major}{major_unit} {minor}{minor_unit}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds() {
        assert_eq!(format_age(0), "0s");
        assert_eq!(format_age(15), "15s");
        assert_eq!(format_age(59), "59s");
    }

    #[test]
    fn minutes() {
        assert_eq!(format_age(60), "1m");
        assert_eq!(format_age(5 * 60 + 3), "5m 3s");
        assert_eq!(format_age(HOUR - 1), "59m 59s");
    }

    #[test]
    fn hours() {
        assert_eq!(format_age(HOUR), "1h");
        assert_eq!(format_age(2 * HOUR + 5 * MINUTE + 59), "2h 5m");
        assert_eq!(format_age(DAY - 1), "23h 59m");
    }

    #[test]
    fn days() {
        assert_eq!(format_age(DAY), "1d");
        assert_eq!(format_age(3 * DAY + 4 * HOUR + 30 * MINUTE), "3d 4h");
        assert_eq!(format_age(400 * DAY), "400d");
    }

    #[test]
    fn huge_ages_do_not_overflow() {
        assert_eq!(format_age(u64::MAX), format!("{}d 7h", u64::MAX / DAY));
    }
}
