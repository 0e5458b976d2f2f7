//! Ages as kubectl prints them (`k8s.io/apimachinery/pkg/util/duration.HumanDuration`).

use crate::time::Time;

/// Upstream's `HumanDuration` for a whole number of seconds: `5s`, `2m30s`, `10m`, `3h15m`,
/// `3d`, `2y10d`. Less than −1s is `<invalid>`; −1s is `0s` (clock skew tolerance).
#[must_use]
pub fn human_duration(seconds: i64) -> String {
    if seconds < -1 {
        return "<invalid>".to_owned();
    }
    if seconds < 0 {
        return "0s".to_owned();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        return format!("{hours}h{m}m");
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        return format!("{}d{}h", hours / 24, h);
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        return format!("{}y{}d", hours / 24 / 365, dy);
    }
    format!("{}y", hours / 24 / 365)
}

/// Upstream's `translateTimestampSince`: `<unknown>` for an unset time, else the age at `now`.
#[must_use]
pub fn since(t: Option<Time>, now: Time) -> String {
    match t {
        None => "<unknown>".to_owned(),
        Some(t) => human_duration(now.seconds_since(t)),
    }
}

#[cfg(test)]
mod tests {
    use super::human_duration as h;

    #[test]
    fn upstream_table() {
        // k8s.io/apimachinery duration_test.go TestHumanDuration.
        let cases: &[(i64, &str)] = &[
            (1, "1s"),
            (70, "70s"),
            (190, "3m10s"),
            (70 * 60, "70m"),
            (47 * 60, "47m"),
            (8 * 3600 - 60, "7h59m"),
            (8 * 3600, "8h"),
            (8 * 3600 + 59 * 60, "8h"),
            (2 * 86400 - 1, "47h"),
            (2 * 86400, "2d"),
            (2 * 86400 + 3600, "2d1h"),
            (8 * 86400 - 1, "7d23h"),
            (8 * 86400, "8d"),
            (2 * 365 * 86400 - 1, "729d"),
            (2 * 365 * 86400, "2y"),
            (8 * 365 * 86400 - 1, "7y364d"),
            (8 * 365 * 86400, "8y"),
            (-1, "0s"),
            (-2, "<invalid>"),
            (150, "2m30s"),
            (600, "10m"),
        ];
        for (s, want) in cases {
            assert_eq!(h(*s), *want, "{s}");
        }
    }
}
