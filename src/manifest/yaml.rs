//! YAML documents to [`Value`] trees, with the scalar rules kubectl applies.
//!
//! kubectl converts YAML to JSON with `sigs.k8s.io/yaml`, which parses with go-yaml v2: YAML 1.1
//! scalars (`yes`/`on` are booleans, `0644` is octal, `1_000` is an integer), merge keys (`<<`),
//! floats with no fractional part written as JSON integers, and a guard against alias bombs. This
//! module reproduces those rules on top of the `yaml-rust2` event parser, which also gives every
//! node a line and column.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::MAX_DEPTH;
use super::error::{ErrorKind, Location};
use super::scalar::{Resolved, resolve_plain};
use crate::validation::field::{FieldPath, PathSegment};
use crate::value::{Mapping, Value};

/// The prefix `!!` expands to.
const CORE_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// go-yaml's alias-expansion guard: below this many decoded nodes, up to 99% may come from
/// aliases; above [`ALIAS_RATIO_RANGE_HIGH`], only 10%; linear in between.
const ALIAS_RATIO_RANGE_LOW: u64 = 400_000;
const ALIAS_RATIO_RANGE_HIGH: u64 = 4_000_000;

/// A loading failure, relative to the text that was loaded.
#[derive(Debug)]
pub(crate) struct LoadError {
    pub(crate) location: Location,
    pub(crate) path: FieldPath,
    pub(crate) kind: ErrorKind,
}

/// A loaded document: its root value and where it starts.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub(crate) value: Value,
    pub(crate) start: Location,
}

/// Converts a parser marker (1-based line, 0-based character column) to a [`Location`].
pub(crate) fn location(m: &Marker) -> Location {
    Location::new(m.line().max(1), m.col() + 1)
}

/// What a scalar becomes, given its style and tag.
pub(crate) fn scalar_value(
    text: String,
    style: TScalarStyle,
    tag: Option<&Tag>,
) -> Result<Value, ErrorKind> {
    let explicit = tag.and_then(|t| {
        if t.handle == CORE_TAG_PREFIX {
            Some(t.suffix.as_str())
        } else {
            None
        }
    });
    let resolved = match (explicit, tag) {
        (Some("str" | "binary" | "merge" | "timestamp"), _) => {
            return Ok(Value::String(text));
        }
        (Some(kind @ ("int" | "float" | "bool" | "null")), _) => {
            let r = resolve_plain(&text);
            let ok = matches!(
                (kind, &r),
                ("int", Resolved::Int(_) | Resolved::UInt(_))
                    | (
                        "float",
                        Resolved::Float(_) | Resolved::Int(_) | Resolved::UInt(_)
                    )
                    | ("bool", Resolved::Bool(_))
                    | ("null", Resolved::Null)
            );
            if !ok {
                return Err(ErrorKind::TagMismatch {
                    tag: format!("!!{kind}"),
                    value: text,
                });
            }
            match (kind, r) {
                ("float", Resolved::Int(i)) => Resolved::Float(i as f64),
                ("float", Resolved::UInt(u)) => Resolved::Float(u as f64),
                (_, r) => r,
            }
        }
        // Unknown tags, local tags and the non-specific `!` keep the text as a string.
        (_, Some(_)) => return Ok(Value::String(text)),
        (_, None) if style == TScalarStyle::Plain => resolve_plain(&text),
        (_, None) => return Ok(Value::String(text)),
    };
    Ok(match resolved {
        Resolved::Null => Value::Null,
        Resolved::Bool(b) => Value::Bool(b),
        Resolved::Int(i) => Value::Int(i),
        Resolved::UInt(u) => Value::UInt(u),
        Resolved::Float(f) => float_value(f).ok_or(ErrorKind::NonFiniteNumber { text })?,
        Resolved::Str | Resolved::Timestamp | Resolved::Merge => Value::String(text),
    })
}

/// A float as kubectl sends it: JSON has no integral floats (`3.0` is written `3`), and no
/// infinities or NaN.
fn float_value(f: f64) -> Option<Value> {
    if !f.is_finite() {
        return None;
    }
    // 2^63: integral floats below it are exact `i64`s.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.fract() == 0.0 && f.abs() < LIMIT {
        let i = format!("{f:.0}").parse::<i64>().ok()?;
        return Some(Value::Int(i));
    }
    Some(Value::Float(f))
}

/// The JSON key a YAML mapping key becomes (`sigs.k8s.io/yaml` stringifies scalar keys).
pub(crate) fn key_string(v: &Value) -> Result<String, &'static str> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Int(i) => Ok(i.to_string()),
        Value::UInt(u) => Ok(u.to_string()),
        Value::Float(f) => Ok(f.to_string()),
        other => Err(other.type_name()),
    }
}

/// A mapping being built.
struct MapFrame {
    map: Mapping,
    /// The key whose value comes next, with its location and whether it is `<<`.
    key: Option<(String, Location, bool)>,
    /// Keys whose current value came from a merge (`<<`), which explicit keys may override.
    merged: BTreeSet<String>,
}

enum Frame {
    Seq(Vec<Value>),
    Map(MapFrame),
}

struct Open {
    frame: Frame,
    anchor: usize,
    /// Nodes decoded inside this container, itself included (for alias accounting).
    nodes: u64,
}

/// Builds one document's [`Value`] from parser events.
struct Loader {
    stack: Vec<Open>,
    anchors: BTreeMap<usize, (Value, u64)>,
    decode_count: u64,
    alias_count: u64,
    /// Nodes copied when anchored nodes were stored.
    anchor_copies: u64,
    line_offset: usize,
}

impl Loader {
    fn loc(&self, m: &Marker) -> Location {
        let l = location(m);
        Location::new(l.line + self.line_offset, l.column)
    }

    fn path(&self) -> FieldPath {
        let mut p = FieldPath::root();
        for open in &self.stack {
            match &open.frame {
                Frame::Seq(items) => p.push(PathSegment::Index(items.len())),
                Frame::Map(m) => {
                    if let Some((k, _, _)) = &m.key {
                        p.push(PathSegment::Field(k.clone().into()));
                    }
                }
            }
        }
        p
    }

    fn err(&self, m: &Marker, kind: ErrorKind) -> LoadError {
        LoadError {
            location: self.loc(m),
            path: self.path(),
            kind,
        }
    }

    /// Counts decoded nodes and applies go-yaml's alias ratio guard.
    fn count(&mut self, nodes: u64, from_alias: bool) -> bool {
        self.decode_count += nodes;
        if from_alias {
            self.alias_count += nodes;
        }
        if self.alias_count <= 100 || self.decode_count <= 1000 {
            return true;
        }
        // allowed ratio in parts per million: 99% up to the low end, 10% above the high end.
        let d = self.decode_count;
        let allowed_ppm: u128 = if d <= ALIAS_RATIO_RANGE_LOW {
            990_000
        } else if d >= ALIAS_RATIO_RANGE_HIGH {
            100_000
        } else {
            990_000
                - 890_000 * u128::from(d - ALIAS_RATIO_RANGE_LOW)
                    / u128::from(ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW)
        };
        u128::from(self.alias_count) * 1_000_000 <= allowed_ppm * u128::from(d)
    }

    /// Adds a finished node to its parent; returns the root when the document is complete.
    fn finish(
        &mut self,
        value: Value,
        nodes: u64,
        anchor: usize,
        m: &Marker,
        merge_key: bool,
    ) -> Result<Option<Value>, LoadError> {
        let loc = self.loc(m);
        if anchor > 0 {
            // Anchored nodes are copied so that aliases can copy them again; nested anchors
            // would multiply that work, so it is bounded too.
            self.anchor_copies += nodes;
            if self.anchor_copies > 8 * self.decode_count + 10_000 {
                return Err(LoadError {
                    location: loc,
                    path: self.path(),
                    kind: ErrorKind::ExcessiveAliasing,
                });
            }
            self.anchors.insert(anchor, (value.clone(), nodes));
        }
        let Some(parent) = self.stack.last_mut() else {
            return Ok(Some(value));
        };
        parent.nodes += nodes;
        let failure = match &mut parent.frame {
            Frame::Seq(items) => {
                items.push(value);
                None
            }
            Frame::Map(frame) => match frame.key.take() {
                None => match key_string(&value) {
                    Ok(k) => {
                        frame.key = Some((k, loc, merge_key));
                        None
                    }
                    Err(found) => Some((loc, ErrorKind::UnsupportedKey { found })),
                },
                Some((key, key_loc, true)) => match merge_into(frame, value) {
                    Ok(()) => None,
                    Err(kind) => {
                        frame.key = Some((key, key_loc, true));
                        Some((loc, kind))
                    }
                },
                Some((key, key_loc, false)) => {
                    if frame.map.contains_key(&key) && !frame.merged.remove(&key) {
                        frame.key = Some((key.clone(), key_loc, false));
                        Some((key_loc, ErrorKind::DuplicateKey { key }))
                    } else {
                        frame.map.insert(key, value);
                        None
                    }
                }
            },
        };
        match failure {
            Some((location, kind)) => Err(LoadError {
                location,
                path: self.path(),
                kind,
            }),
            None => Ok(None),
        }
    }
}

/// Applies a merge key's value (a mapping or a list of mappings) to a mapping, as go-yaml v2
/// does: merged entries overwrite what precedes them, later explicit keys overwrite them, and
/// in a list the earlier mappings take precedence.
fn merge_into(frame: &mut MapFrame, value: Value) -> Result<(), ErrorKind> {
    let not_map = || ErrorKind::InvalidValue {
        message: "map merge requires map or sequence of maps as the value".to_owned(),
    };
    let sources = match value {
        Value::Mapping(m) => vec![m],
        Value::Sequence(items) => {
            let mut maps = Vec::with_capacity(items.len());
            for item in items.into_iter().rev() {
                match item {
                    Value::Mapping(m) => maps.push(m),
                    _ => return Err(not_map()),
                }
            }
            maps
        }
        _ => return Err(not_map()),
    };
    for source in sources {
        for (k, v) in source {
            frame.merged.insert(k.clone());
            frame.map.insert(k, v);
        }
    }
    Ok(())
}

/// Loads the first YAML document of `text` (kubectl reads one document per `---` chunk).
/// `Ok(None)` means the chunk holds no document (only comments or whitespace) or is `null`.
pub(crate) fn load(text: &str, line_offset: usize) -> Result<Option<Loaded>, LoadError> {
    let mut parser = Parser::new_from_str(text);
    let mut loader = Loader {
        stack: Vec::new(),
        anchors: BTreeMap::new(),
        decode_count: 0,
        alias_count: 0,
        anchor_copies: 0,
        line_offset,
    };
    let mut start: Option<Location> = None;
    let mut await_first_key = false;
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(x) => x,
            Err(e) => {
                // The scanner has its own bound on flow nesting (it reads ahead).
                let kind = if e.info() == "recursion limit exceeded" {
                    ErrorKind::TooDeep { limit: MAX_DEPTH }
                } else {
                    ErrorKind::Syntax {
                        message: e.info().to_owned(),
                    }
                };
                return Err(LoadError {
                    location: loader.loc(e.marker()),
                    path: loader.path(),
                    kind,
                });
            }
        };
        // The document starts at its first node; for a mapping, at its first key (the parser
        // places a block mapping's start at its first `:`).
        if await_first_key {
            await_first_key = false;
            if matches!(event, Event::Scalar(..)) {
                start = Some(loader.loc(&mark));
            }
        } else if start.is_none() {
            match &event {
                Event::Scalar(..) | Event::SequenceStart(..) | Event::Alias(_) => {
                    start = Some(loader.loc(&mark));
                }
                Event::MappingStart(..) => {
                    start = Some(loader.loc(&mark));
                    await_first_key = true;
                }
                _ => {}
            }
        }
        let done = match event {
            Event::StreamEnd => return Ok(None),
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => None,
            Event::Scalar(text, style, anchor, tag) => {
                let is_merge = style == TScalarStyle::Plain
                    && text == "<<"
                    && tag
                        .as_ref()
                        .is_none_or(|t| t.handle == CORE_TAG_PREFIX && t.suffix == "merge");
                let expecting_key = matches!(
                    loader.stack.last(),
                    Some(Open {
                        frame: Frame::Map(MapFrame { key: None, .. }),
                        ..
                    })
                );
                let value = match scalar_value(text, style, tag.as_ref()) {
                    Ok(v) => v,
                    Err(kind) => return Err(loader.err(&mark, kind)),
                };
                if !loader.count(1, false) {
                    return Err(loader.err(&mark, ErrorKind::ExcessiveAliasing));
                }
                loader.finish(value, 1, anchor, &mark, is_merge && expecting_key)?
            }
            Event::Alias(id) => {
                let Some((value, nodes)) = loader.anchors.get(&id).cloned() else {
                    return Err(loader.err(
                        &mark,
                        ErrorKind::Syntax {
                            message: "anchor value contains itself".to_owned(),
                        },
                    ));
                };
                if !loader.count(nodes, true) {
                    return Err(loader.err(&mark, ErrorKind::ExcessiveAliasing));
                }
                loader.finish(value, nodes, 0, &mark, false)?
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _)
                if loader.stack.len() >= MAX_DEPTH =>
            {
                let _ = anchor;
                return Err(loader.err(&mark, ErrorKind::TooDeep { limit: MAX_DEPTH }));
            }
            Event::SequenceStart(anchor, _) => {
                if !loader.count(1, false) {
                    return Err(loader.err(&mark, ErrorKind::ExcessiveAliasing));
                }
                loader.stack.push(Open {
                    frame: Frame::Seq(Vec::new()),
                    anchor,
                    nodes: 1,
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                if !loader.count(1, false) {
                    return Err(loader.err(&mark, ErrorKind::ExcessiveAliasing));
                }
                loader.stack.push(Open {
                    frame: Frame::Map(MapFrame {
                        map: Mapping::new(),
                        key: None,
                        merged: BTreeSet::new(),
                    }),
                    anchor,
                    nodes: 1,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match loader.stack.pop() {
                Some(open) => {
                    let value = match open.frame {
                        Frame::Seq(items) => Value::Sequence(items),
                        Frame::Map(m) => Value::Mapping(m.map),
                    };
                    loader.finish(value, open.nodes, open.anchor, &mark, false)?
                }
                None => None,
            },
        };
        if let Some(value) = done {
            return Ok(match value {
                Value::Null => None,
                value => Some(Loaded {
                    value,
                    start: start.unwrap_or(Location::new(1 + line_offset, 1)),
                }),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        load(text, 0).unwrap().unwrap().value
    }

    #[test]
    fn yaml_1_1_scalars_as_go_yaml_v2_reads_them() {
        let cases: &[(&str, Value)] = &[
            ("yes", Value::Bool(true)),
            ("On", Value::Bool(true)),
            ("n", Value::Bool(false)),
            ("0644", Value::Int(420)),
            ("0x1F", Value::Int(31)),
            ("0o17", Value::Int(15)),
            ("0b101", Value::Int(5)),
            ("-0b11", Value::Int(-3)),
            ("+12", Value::Int(12)),
            ("1_000", Value::Int(1000)),
            ("08", Value::Int(8)),
            ("3.0", Value::Int(3)),
            ("1e3", Value::Int(1000)),
            ("0.5", Value::Float(0.5)),
            (".5", Value::Float(0.5)),
            ("18446744073709551615", Value::UInt(u64::MAX)),
            ("-9223372036854775808", Value::Int(i64::MIN)),
            ("~", Value::Null),
            ("2016-05-20", Value::String("2016-05-20".into())),
            ("1:20", Value::String("1:20".into())),
            ("'yes'", Value::String("yes".into())),
            ("!!str 12", Value::String("12".into())),
            ("!!int '12'", Value::Int(12)),
            ("!foo bar", Value::String("bar".into())),
            ("1e400", Value::String("1e400".into())),
            ("nginx:1.16", Value::String("nginx:1.16".into())),
        ];
        for (text, want) in cases {
            let got = yaml(&format!("v: {text}\n"));
            assert_eq!(got.get("v"), Some(want), "{text}");
        }
    }

    #[test]
    fn keys_become_strings_and_merges_apply() {
        // `y` is a YAML 1.1 boolean, so go-yaml v2 reads the key `y` as `true`.
        assert_eq!(yaml("y: 4\n").get("true"), Some(&Value::Int(4)));
        let v = yaml("1: a\nyes: b\nbase: &b {p: 1, q: 2}\nm:\n  <<: *b\n  q: 3\n");
        assert_eq!(v.get("1"), Some(&Value::from("a")));
        assert_eq!(v.get("true"), Some(&Value::from("b")));
        let m = v.get("m").unwrap();
        assert_eq!(m.get("p"), Some(&Value::Int(1)));
        assert_eq!(m.get("q"), Some(&Value::Int(3)));
    }

    #[test]
    fn failures_are_located() {
        let e = load("a: 1\nb:\n  c: 1\n  c: 2\n", 10).unwrap_err();
        assert_eq!(e.kind, ErrorKind::DuplicateKey { key: "c".into() });
        assert_eq!(e.location, Location::new(14, 3));
        assert_eq!(e.path.to_string(), "b.c");
        let e = load("a: .inf\n", 0).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::NonFiniteNumber { .. }));
        let e = load("a: !!int abc\n", 0).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::TagMismatch { .. }));
        let e = load("? [a]\n: 1\n", 0).unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnsupportedKey { found: "list" });
        let e = load("a: &x [*x]\n", 0).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Syntax { .. }));
        let e = load("a: b: c\n", 0).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Syntax { .. }));
        assert_eq!(e.location.line, 1);
    }

    #[test]
    fn depth_and_aliases_are_bounded() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(
            load(&deep, 0).unwrap_err().kind,
            ErrorKind::TooDeep { limit: MAX_DEPTH }
        );
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert_eq!(
            load(&bomb, 0).unwrap_err().kind,
            ErrorKind::ExcessiveAliasing
        );
        // Anchors nested around one big mapping: each would copy all of it.
        let mut nested = String::new();
        for i in 0..100 {
            nested.push_str(&format!("{}k{i}: &a{i}\n", " ".repeat(i)));
        }
        for j in 0..2000 {
            nested.push_str(&format!("{}x{j}: {j}\n", " ".repeat(100)));
        }
        assert_eq!(
            load(&nested, 0).unwrap_err().kind,
            ErrorKind::ExcessiveAliasing
        );
    }

    #[test]
    fn empty_documents_and_starts() {
        assert!(load("# only a comment\n", 0).unwrap().is_none());
        assert!(load("", 0).unwrap().is_none());
        assert!(load("null\n", 0).unwrap().is_none());
        let l = load("\n# c\n  apiVersion: v1\n  kind: Pod\n", 4)
            .unwrap()
            .unwrap();
        assert_eq!(l.start, Location::new(7, 3));
    }
}
