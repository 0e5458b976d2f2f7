//! Resource quantities (`100m`, `1Gi`, `0.5`, `1e3`) compared exactly, as the QoS class needs.

use crate::api::Pod;
use crate::value::Value;

/// Parses a quantity into nano-units (10⁻⁹), rounding a finer fraction up as upstream does.
/// `None` when the text is not a quantity.
#[must_use]
pub fn parse_nanos(s: &str) -> Option<i128> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let num_end = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (num, suffix) = body.split_at(num_end);
    if num.is_empty() || num == "." {
        return None;
    }
    let (int_part, frac_part) = num.split_once('.').unwrap_or((num, ""));
    let mut digits = format!("{int_part}{frac_part}");
    if digits.len() > 30 {
        return None;
    }
    if digits.is_empty() {
        digits.push('0');
    }
    let mantissa: i128 = digits.parse().ok()?;
    let mut exp10: i64 = -i64::try_from(frac_part.len()).ok()?;
    let mut mult: i128 = 1;
    match suffix {
        "" => {}
        "n" => exp10 -= 9,
        "u" => exp10 -= 6,
        "m" => exp10 -= 3,
        "k" => exp10 += 3,
        "M" => exp10 += 6,
        "G" => exp10 += 9,
        "T" => exp10 += 12,
        "P" => exp10 += 15,
        "E" => exp10 += 18,
        "Ki" => mult = 1 << 10,
        "Mi" => mult = 1 << 20,
        "Gi" => mult = 1 << 30,
        "Ti" => mult = 1 << 40,
        "Pi" => mult = 1 << 50,
        "Ei" => mult = 1 << 60,
        other => {
            let e = other.strip_prefix(['e', 'E'])?;
            exp10 += e.parse::<i64>().ok()?;
        }
    }
    exp10 += 9;
    let mut v = mantissa.checked_mul(mult)?;
    if exp10 >= 0 {
        for _ in 0..exp10.min(40) {
            v = v.checked_mul(10)?;
        }
    } else {
        let mut rem = false;
        for _ in 0..(-exp10).min(40) {
            rem |= v % 10 != 0;
            v /= 10;
        }
        if rem {
            v += 1;
        }
    }
    Some(if neg { -v } else { v })
}

fn resource_map<'a>(
    c: &'a crate::api::Container,
    which: &str,
) -> Option<&'a crate::value::Mapping> {
    c.extra
        .get("resources")
        .and_then(|r| r.get(which))
        .and_then(Value::as_mapping)
}

/// The pod's QoS class: `status.qosClass` when set, else computed from the containers'
/// requests and limits for `cpu` and `memory` (upstream's `ComputePodQOS`).
#[must_use]
pub fn qos_class(pod: &Pod) -> String {
    if let Some(q) = pod.status.extra.get("qosClass").and_then(Value::as_str) {
        if !q.is_empty() {
            return q.to_owned();
        }
    }
    let mut requests: Vec<(String, i128)> = Vec::new();
    let mut limits: Vec<(String, i128)> = Vec::new();
    let mut guaranteed = true;
    let add = |acc: &mut Vec<(String, i128)>, k: &str, v: i128| {
        if let Some(e) = acc.iter_mut().find(|(n, _)| n == k) {
            e.1 += v;
        } else {
            acc.push((k.to_owned(), v));
        }
    };
    for c in pod.spec.containers.iter().chain(&pod.spec.init_containers) {
        if let Some(m) = resource_map(c, "requests") {
            for (k, v) in m {
                if k != "cpu" && k != "memory" {
                    continue;
                }
                if let Some(q) = v.as_str().and_then(parse_nanos).filter(|q| *q > 0) {
                    add(&mut requests, k, q);
                }
            }
        }
        let mut found: Vec<&str> = Vec::new();
        if let Some(m) = resource_map(c, "limits") {
            for (k, v) in m {
                if k != "cpu" && k != "memory" {
                    continue;
                }
                if let Some(q) = v.as_str().and_then(parse_nanos).filter(|q| *q > 0) {
                    add(&mut limits, k, q);
                    found.push(k);
                }
            }
        }
        if !(found.contains(&"cpu") && found.contains(&"memory")) {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort".to_owned();
    }
    if guaranteed {
        for (k, r) in &requests {
            if limits
                .iter()
                .find(|(n, _)| n == k)
                .is_none_or(|(_, l)| l != r)
            {
                guaranteed = false;
            }
        }
    }
    if guaranteed && requests.len() == limits.len() {
        "Guaranteed".to_owned()
    } else {
        "Burstable".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_suffixes() {
        assert_eq!(parse_nanos("100m"), Some(100_000_000));
        assert_eq!(parse_nanos("0.1"), Some(100_000_000));
        assert_eq!(parse_nanos("1Ki"), Some(1024 * 1_000_000_000));
        assert_eq!(parse_nanos("1e3"), parse_nanos("1k"));
        assert_eq!(parse_nanos("abc"), None);
    }
}
