//! How go-yaml v2 resolves a plain (unquoted, untagged) scalar: the one set of YAML 1.1 rules
//! behind the manifest reader (`manifest::yaml`), the manifest writer (`manifest::encode`) and
//! the `-o yaml` printer (`printers::yaml`), which quote every string that would read back as
//! something else.

/// What a plain scalar means under go-yaml v2's rules.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Resolved {
    /// `~`, `null`, empty.
    Null,
    /// YAML 1.1 booleans, `yes`/`on`/`y` included.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// A non-negative integer above `i64::MAX`.
    UInt(u64),
    /// A float (possibly infinite or NaN).
    Float(f64),
    /// A timestamp (`2001-12-14`, `2001-12-14t21:59:43.10-05:00`): go-yaml decodes it as a
    /// string for kubectl, but quotes such strings on output.
    Timestamp,
    /// The merge key `<<`.
    Merge,
    /// Anything else is a string.
    Str,
}

/// go-yaml v2's table of special plain scalars: YAML 1.1 booleans, nulls, infinities, NaN.
fn lookup(s: &str) -> Option<Resolved> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Resolved::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

/// Go's `strconv.ParseUint(s, 0, 64)` on the digits after an optional sign: base prefixes
/// `0x`, `0o`, `0b`, and a bare leading `0` for octal.
fn parse_go_unsigned(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let (digits, radix) = match b {
        [b'0', b'x' | b'X', ..] => (s.get(2..)?, 16),
        [b'0', b'o' | b'O', ..] => (s.get(2..)?, 8),
        [b'0', b'b' | b'B', ..] => (s.get(2..)?, 2),
        [b'0', _, ..] => (s.get(1..)?, 8),
        _ => (s, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// go-yaml's float syntax: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Resolves a plain (unquoted, untagged) scalar as go-yaml v2's `resolve("", s)` does; a
/// string is written without quotes exactly when this gives [`Resolved::Str`] (and it is not
/// a base-60 float).
pub(crate) fn resolve_plain(s: &str) -> Resolved {
    let Some(&first) = s.as_bytes().first() else {
        return Resolved::Null;
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            lookup(s).unwrap_or(Resolved::Str)
        }
        b'.' => {
            if let Some(r) = lookup(s) {
                return r;
            }
            match s.parse::<f64>() {
                Ok(f) if f.is_finite() && s.len() > 1 => Resolved::Float(f),
                _ => Resolved::Str,
            }
        }
        b'+' | b'-' | b'0'..=b'9' => {
            if let Some(r) = lookup(s) {
                return r;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            let (negative, unsigned) = match plain.as_bytes().first() {
                Some(b'-') => (true, plain.get(1..).unwrap_or("")),
                Some(b'+') => (false, plain.get(1..).unwrap_or("")),
                _ => (false, plain.as_str()),
            };
            if let Some(u) = parse_go_unsigned(unsigned) {
                if negative {
                    if let Some(i) = i64::try_from(u)
                        .ok()
                        .map(|i| -i)
                        .or_else(|| (u == i64::MIN.unsigned_abs()).then_some(i64::MIN))
                    {
                        return Resolved::Int(i);
                    }
                } else if let Ok(i) = i64::try_from(u) {
                    return Resolved::Int(i);
                } else if !plain.starts_with('+') {
                    return Resolved::UInt(u);
                }
            }
            if is_yaml_float(&plain) {
                if let Ok(f) = plain.parse::<f64>() {
                    if f.is_finite() {
                        return Resolved::Float(f);
                    }
                }
            }
            if is_timestamp(s) {
                return Resolved::Timestamp;
            }
            Resolved::Str
        }
        b'<' if s == "<<" => Resolved::Merge,
        _ => Resolved::Str,
    }
}

/// go-yaml's timestamp shapes (`2006-1-2`, optionally followed by a time); only used to
/// decide quoting on output, since such values decode as strings.
pub(crate) fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize, min: usize, max: usize| {
        let start = *i;
        while *i - start < max && b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start >= min
    };
    if !digits(&mut i, 4, 4) || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    if !digits(&mut i, 1, 2) || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    if !digits(&mut i, 1, 2) {
        return false;
    }
    i == b.len() || matches!(b.get(i), Some(b'T' | b't' | b' '))
}

/// go-yaml's base-60 floats (`1:20`), which it quotes on output.
pub(crate) fn looks_like_base60(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let mut parts = b.split(|&c| c == b':');
    let head_ok = parts
        .next()
        .is_some_and(|p| p.iter().all(|c| c.is_ascii_digit() || *c == b'_'));
    let mut groups = 0;
    let mut rest_ok = true;
    for p in parts {
        groups += 1;
        let (sexa, frac) = match p.iter().position(|&c| c == b'.') {
            Some(i) => (p.get(..i).unwrap_or(&[]), p.get(i + 1..)),
            None => (p, None),
        };
        let sexa_ok = match sexa {
            [d] => d.is_ascii_digit(),
            [a, d] => (b'0'..=b'5').contains(a) && d.is_ascii_digit(),
            _ => false,
        };
        let frac_ok = frac.is_none_or(|f| f.iter().all(|c| c.is_ascii_digit() || *c == b'_'));
        rest_ok &= sexa_ok && frac_ok;
    }
    head_ok && groups > 0 && rest_ok
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
pub(crate) fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) && i - start < 2 {
            i += 1;
        }
        let g = &b[start..i];
        let ok = match g {
            [d] => d.is_ascii_digit(),
            [d0, d1] => (b'0'..=b'5').contains(d0) && d1.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

fn take_num(b: &[u8], i: &mut usize, max: usize) -> Option<u32> {
    let start = *i;
    let mut v = 0u32;
    while *i - start < max {
        match b.get(*i) {
            Some(d) if d.is_ascii_digit() => {
                v = v * 10 + u32::from(d - b'0');
                *i += 1;
            }
            _ => break,
        }
    }
    if *i == start { None } else { Some(v) }
}

/// go-yaml's `parseTimestamp`: `YYYY-M-D`, optionally followed by a time (`T`/`t` with a zone,
/// or a space without one).
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year: u32 = s[..4].parse().unwrap_or(0);
    let mut i = 5;
    let Some(month) = take_num(b, &mut i, 2) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(day) = take_num(b, &mut i, 2) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let dim = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > dim {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let sep = b[i];
    if !matches!(sep, b'T' | b't' | b' ') {
        return false;
    }
    i += 1;
    let Some(h) = take_num(b, &mut i, 2) else {
        return false;
    };
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(m) = take_num(b, &mut i, 2) else {
        return false;
    };
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(sec) = take_num(b, &mut i, 2) else {
        return false;
    };
    if h > 23 || m > 59 || sec > 59 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if take_num(b, &mut i, 9).is_none() {
            return false;
        }
    }
    if sep == b' ' {
        return i == b.len();
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i += 1;
            let ok_h = take_num(b, &mut i, 2).is_some_and(|v| v < 24);
            let colon = b.get(i) == Some(&b':');
            i += 1;
            ok_h && colon && take_num(b, &mut i, 2).is_some_and(|v| v < 60) && i == b.len()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_helpers() {
        assert!(looks_like_timestamp("2016-05-20"));
        assert!(looks_like_timestamp("2016-05-20T02:00:00Z"));
        assert!(!looks_like_timestamp("2016-05"));
        assert!(looks_like_base60("1:20"));
        assert!(looks_like_base60("190:20:30.15"));
        assert!(!looks_like_base60("1:60"));
        assert!(!looks_like_base60("a:1"));
    }
}
