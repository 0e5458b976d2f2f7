//! JSON as Go's `encoding/json` writes an unstructured object: keys sorted byte-wise at every
//! level, `<`, `>`, `&`, U+2028 and U+2029 escaped, floats in Go's shortest form. Used for
//! `-o json` (4-space indent) and the compact `last-applied-configuration` annotation.

use serde_json::Value as Json;

/// Compact encoding (`json.Marshal` of a `map[string]interface{}`).
#[must_use]
pub fn compact(v: &Json) -> String {
    let mut out = String::new();
    write_value(&mut out, v, None, 0);
    out
}

/// `json.MarshalIndent(v, "", "    ")`.
#[must_use]
pub fn indented(v: &Json) -> String {
    let mut out = String::new();
    write_value(&mut out, v, Some("    "), 0);
    out
}

fn newline(out: &mut String, indent: Option<&str>, depth: usize) {
    if let Some(ind) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

fn write_value(out: &mut String, v: &Json, indent: Option<&str>, depth: usize) {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                out.push_str(&go_float(n.as_f64().unwrap_or(0.0)));
            }
        }
        Json::String(s) => write_string(out, s),
        Json::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write_value(out, item, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push(']');
        }
        Json::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write_string(out, k);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                if let Some(val) = map.get(*k) {
                    write_value(out, val, indent, depth + 1);
                }
            }
            newline(out, indent, depth);
            out.push('}');
        }
    }
}

/// A JSON string literal as Go writes it (HTML-safe).
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if u32::from(c) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Shortest decimal digits and the decimal point position of a finite, non-zero `f`:
/// `f = 0.d1d2d3… × 10^dp`.
fn shortest_digits(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0').to_owned();
    let digits = if digits.is_empty() {
        "0".to_owned()
    } else {
        digits
    };
    (digits, exp + 1)
}

fn fmt_f(digits: &str, dp: i32) -> String {
    let nd = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    if dp <= 0 {
        let zeros = usize::try_from(-dp).unwrap_or(0);
        format!("0.{}{}", "0".repeat(zeros), digits)
    } else if dp >= nd {
        format!(
            "{}{}",
            digits,
            "0".repeat(usize::try_from(dp - nd).unwrap_or(0))
        )
    } else {
        let cut = usize::try_from(dp).unwrap_or(0);
        format!("{}.{}", &digits[..cut], &digits[cut..])
    }
}

fn fmt_e(digits: &str, dp: i32) -> String {
    let exp = dp - 1;
    let (first, rest) = digits.split_at(1.min(digits.len()));
    let mut s = first.to_owned();
    if !rest.is_empty() {
        s.push('.');
        s.push_str(rest);
    }
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{s}e{sign}{:02}", exp.abs())
}

/// Go's `encoding/json` float64 format: `'f'` unless |f| < 1e-6 or ≥ 1e21, then `'e'` with a
/// one-digit negative exponent cleaned up (`1e-7`, not `1e-07`).
#[must_use]
pub fn go_float(f: f64) -> String {
    if !f.is_finite() {
        return "null".to_owned();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let (digits, dp) = shortest_digits(f);
    let sign = if f < 0.0 { "-" } else { "" };
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        let mut s = fmt_e(&digits, dp);
        if let Some(idx) = s.find("e-0") {
            s.remove(idx + 2);
        }
        format!("{sign}{s}")
    } else {
        format!("{sign}{}", fmt_f(&digits, dp))
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` (what go-yaml writes for floats).
#[must_use]
pub fn go_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let (digits, dp) = shortest_digits(f);
    let sign = if f < 0.0 { "-" } else { "" };
    let exp = dp - 1;
    if !(-4..6).contains(&exp) {
        return format!("{sign}{}", fmt_e(&digits, dp));
    }
    format!("{sign}{}", fmt_f(&digits, dp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_html_safe_compact_and_indented() {
        let v: Json = serde_json::from_str(r#"{"b":[1,2],"a":{"z":"<&>","y":{}},"c":[]}"#).unwrap();
        assert_eq!(
            compact(&v),
            r#"{"a":{"y":{},"z":"\u003c\u0026\u003e"},"b":[1,2],"c":[]}"#
        );
        assert_eq!(
            indented(&v),
            "{\n    \"a\": {\n        \"y\": {},\n        \"z\": \"\\u003c\\u0026\\u003e\"\n    },\n    \"b\": [\n        1,\n        2\n    ],\n    \"c\": []\n}"
        );
    }

    #[test]
    fn floats_as_go_writes_them() {
        assert_eq!(go_float(1.5), "1.5");
        assert_eq!(go_float(100.0), "100");
        assert_eq!(go_float(0.001), "0.001");
        assert_eq!(go_float(1e21), "1e+21");
        assert_eq!(go_float(1.5e-7), "1.5e-7");
        assert_eq!(go_float_g(0.5), "0.5");
        assert_eq!(go_float_g(1e6), "1e+06");
        assert_eq!(go_float_g(123456.0), "123456");
    }
}
