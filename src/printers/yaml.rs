//! YAML as kubectl's `-o yaml` writes it: the object goes through JSON into
//! `sigs.k8s.io/yaml`, i.e. go-yaml v2's encoder, so map keys come out in go-yaml's natural
//! order (digit runs compared as numbers, other characters by code point, non-letters before
//! letters), sequences are not indented under their key, strings that would read back as
//! another type are double-quoted, strings with a newline become literal blocks, and long
//! plain or quoted scalars are folded at spaces past column 80.
//!
//! Known gaps (rare in Kubernetes objects): keys longer than 128 bytes use go-yaml's simple
//! form instead of `? key`, and a `|+` block at the very end of a document is not followed by
//! go-yaml's `...` marker.

use std::cmp::Ordering;

use serde_json::Value as Json;

use super::gojson;
use crate::manifest::scalar::{Resolved, is_base60_float, resolve_plain};

const BEST_WIDTH: usize = 80;

/// Renders a JSON value as `sigs.k8s.io/yaml.Marshal` does (a trailing newline included).
#[must_use]
pub fn to_yaml(v: &Json) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
    };
    match v {
        Json::Object(m) if !m.is_empty() => e.block_mapping(m, -1),
        Json::Array(a) if !a.is_empty() => e.block_sequence(a, -1, false),
        Json::Object(_) => {
            e.indicator("{", true, true, false);
            e.indicator("}", false, false, false);
        }
        Json::Array(_) => {
            e.indicator("[", true, true, false);
            e.indicator("]", false, false, false);
        }
        other => e.scalar(other, 0, false),
    }
    e.write_indent(0);
    e.out
}

struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
}

fn indent_of(parent: isize) -> usize {
    usize::try_from(parent + 2).unwrap_or(0)
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self, indent: usize) {
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        for c in ind.chars() {
            self.put(c);
        }
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    fn block_mapping(&mut self, m: &serde_json::Map<String, Json>, parent: isize) {
        let indent = if parent < 0 { 0 } else { indent_of(parent) };
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort_by(|a, b| natural_cmp(a, b));
        for k in keys {
            self.write_indent(indent);
            let key = Json::String(k.clone());
            let simple =
                k.len() <= 128 && !k.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']);
            if simple {
                self.scalar(&key, indent + 2, true);
                self.indicator(":", false, false, false);
            } else {
                self.indicator("?", true, false, true);
                self.scalar(&key, indent + 2, false);
                self.write_indent(indent);
                self.indicator(":", true, false, true);
            }
            if let Some(v) = m.get(k) {
                self.node(v, isize::try_from(indent).unwrap_or(0), true);
            }
        }
    }

    fn block_sequence(&mut self, a: &[Json], parent: isize, indentless: bool) {
        let indent = if parent < 0 {
            0
        } else if indentless {
            usize::try_from(parent).unwrap_or(0)
        } else {
            indent_of(parent)
        };
        for item in a {
            self.write_indent(indent);
            self.indicator("-", true, false, true);
            self.node(item, isize::try_from(indent).unwrap_or(0), false);
        }
    }

    /// A node below a mapping key (`in_mapping`) or a sequence dash, whose parent collection
    /// has indentation `indent`.
    fn node(&mut self, v: &Json, indent: isize, in_mapping: bool) {
        match v {
            Json::Object(m) if !m.is_empty() => self.block_mapping(m, indent),
            Json::Array(a) if !a.is_empty() => self.block_sequence(a, indent, in_mapping),
            Json::Object(_) => {
                self.indicator("{", true, true, false);
                self.indicator("}", false, false, false);
            }
            Json::Array(_) => {
                self.indicator("[", true, true, false);
                self.indicator("]", false, false, false);
            }
            other => self.scalar(other, indent_of(indent), false),
        }
    }

    fn scalar(&mut self, v: &Json, cont_indent: usize, simple_key: bool) {
        let (text, requested) = match v {
            Json::Null => ("null".to_owned(), Style::Plain),
            Json::Bool(b) => (b.to_string(), Style::Plain),
            Json::Number(n) => (number_text(n), Style::Plain),
            Json::String(s) => {
                let style = if s.contains('\n') {
                    Style::Literal
                } else if resolve_plain(s) == Resolved::Str && !is_base60_float(s) {
                    Style::Plain
                } else {
                    Style::Double
                };
                (s.clone(), style)
            }
            Json::Array(_) | Json::Object(_) => (String::new(), Style::Plain),
        };
        let a = analyze(&text);
        let mut style = requested;
        if simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain && (!a.block_plain_allowed || (text.is_empty() && simple_key)) {
            style = Style::Single;
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || simple_key) {
            style = Style::Double;
        }
        let allow_breaks = !simple_key;
        match style {
            Style::Plain => self.plain(&text, cont_indent, allow_breaks),
            Style::Single => self.single(&text, cont_indent, allow_breaks),
            Style::Double => self.double(&text, cont_indent, allow_breaks),
            Style::Literal => self.literal(&text, cont_indent),
        }
    }

    fn plain(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_space {
                    self.write_indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn single(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        self.indicator("'", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let n = chars.len();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < n
                    && !next_space
                {
                    self.write_indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.put_break();
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent(indent);
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn double(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        self.indicator("\"", true, false, false);
        let mut spaces = false;
        let bytes_len = s.len();
        let mut iter = s.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{07}' => self.put('a'),
                    '\u{08}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{0b}' => self.put('v'),
                    '\u{0c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    c => {
                        let v = u32::from(c);
                        let (p, w) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(p);
                        for k in (0..w).rev() {
                            let digit = (v >> (k * 4)) & 0xF;
                            let ch =
                                char::from_digit(digit, 16).map_or('0', |d| d.to_ascii_uppercase());
                            self.put(ch);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i + 1 != bytes_len
                {
                    self.write_indent(indent);
                    if iter.peek().map(|(_, n)| *n) == Some(' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn literal(&mut self, s: &str, indent: usize) {
        self.indicator("|", true, false, false);
        // Block scalar hints.
        if s.starts_with(' ') || s.starts_with(is_break) {
            self.indicator("2", false, false, false);
        }
        let chars: Vec<char> = s.chars().collect();
        let chomp = match chars.as_slice() {
            [] => Some('-'),
            [.., last] if !is_break(*last) => Some('-'),
            [_] => Some('+'),
            [.., prev, _] if is_break(*prev) => Some('+'),
            _ => None,
        };
        if let Some(c) = chomp {
            let mut b = [0u8; 4];
            self.indicator(c.encode_utf8(&mut b), false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in &chars {
            if is_break(c) {
                self.put_break();
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent(indent);
                    breaks = false;
                }
                self.put(c);
                self.indention = false;
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

fn number_text(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    // The value went through Go's JSON encoder first: an integral float comes back as an int.
    let f = n.as_f64().unwrap_or(0.0);
    let text = gojson::go_float(f);
    if text.parse::<i64>().is_ok() {
        return text;
    }
    match gojson::go_float_g(f).as_str() {
        "+Inf" => ".inf".to_owned(),
        "-Inf" => "-.inf".to_owned(),
        "NaN" => ".nan".to_owned(),
        s => s.to_owned(),
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_printable(c: char) -> bool {
    let v = u32::from(c);
    v == 0x0A
        || (0x20..=0x7E).contains(&v)
        || (0xA0..=0xD7FF).contains(&v)
        || ((0xE000..=0xFFFD).contains(&v) && v != 0xFEFF)
}

struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

/// libyaml's `yaml_emitter_analyze_scalar` (block context).
fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let mut line_breaks = false;
    let mut special = false;
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_ws = true;
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_ws = chars.get(i + 1).is_none_or(|&d| is_blank(d));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' | '-' if followed_by_ws => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_ws => block_indicators = true,
                '#' if preceded_by_ws => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_ws = is_blank(c) || is_break(c) || c == '\0';
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// go-yaml v2's map key order (`keyList.Less`) for string keys.
#[must_use]
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        let (ca, cb) = (ar[i], br[i]);
        if ca == cb {
            i += 1;
            continue;
        }
        let al = ca.is_alphabetic();
        let bl = cb.is_alphabetic();
        if al && bl {
            return ca.cmp(&cb);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if ca == '0' || cb == '0' {
            let mut j = i;
            while j > 0 {
                j -= 1;
                if !ar[j].is_ascii_digit() {
                    break;
                }
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .saturating_mul(10)
                .saturating_add(i64::from(u32::from(ar[ai]) - 48));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .saturating_mul(10)
                .saturating_add(i64::from(u32::from(br[bi]) - 48));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ca.cmp(&cb);
    }
    ar.len().cmp(&br.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(json: &str) -> String {
        to_yaml(&serde_json::from_str(json).unwrap())
    }

    #[test]
    fn kubectl_shapes() {
        let out = y(
            r#"{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"1"},"creationTimestamp":"2024-05-01T12:00:00Z"},"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.16","resources":{},"ports":[{"containerPort":80}]}]}}},"status":{}}"#,
        );
        assert_eq!(
            out,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    deployment.kubernetes.io/revision: \"1\"\n  creationTimestamp: \"2024-05-01T12:00:00Z\"\n  name: web\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - image: nginx:1.16\n        name: nginx\n        ports:\n        - containerPort: 80\n        resources: {}\nstatus: {}\n"
        );
    }

    #[test]
    fn quoting_and_blocks() {
        assert_eq!(y(r#"{"a":""}"#), "a: \"\"\n");
        assert_eq!(y(r#"{"a":"true"}"#), "a: \"true\"\n");
        assert_eq!(y(r#"{"a":"0123"}"#), "a: \"0123\"\n");
        assert_eq!(y(r#"{"a":"1:20"}"#), "a: \"1:20\"\n");
        assert_eq!(y(r#"{"a":"*x"}"#), "a: '*x'\n");
        assert_eq!(y(r#"{"a":"x\n"}"#), "a: |\n  x\n");
        assert_eq!(y(r#"{"a":{"b":"x\ny"}}"#), "a:\n  b: |-\n    x\n    y\n");
        assert_eq!(y(r#"{"a":"tab\there"}"#), "a: \"tab\\there\"\n");
        assert_eq!(y(r#"{"a":[[1,2]]}"#), "a:\n- - 1\n  - 2\n");
    }

    #[test]
    fn long_plain_scalars_fold_past_column_80() {
        let v = "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1 --record=true";
        let out = y(&format!(
            r#"{{"metadata":{{"annotations":{{"kubernetes.io/change-cause":"{v}"}}}}}}"#
        ));
        assert_eq!(
            out,
            "metadata:\n  annotations:\n    kubernetes.io/change-cause: kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1\n      --record=true\n"
        );
    }

    #[test]
    fn natural_key_order() {
        let mut keys = vec!["a10", "a2", "a_b", "ab", "B", "a"];
        keys.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(keys, ["B", "a", "a_b", "a2", "a10", "ab"]);
    }
}
