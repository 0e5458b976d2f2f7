//! Objects to [`Value`] trees, and trees to YAML (kubectl's block style, quoting every string
//! that go-yaml would read as something else) and JSON (`kubectl -o json`'s layout).

use std::fmt::Write as _;
use std::io;

use serde::Serialize;
use serde::ser::{self, Serializer};

use super::error::EncodeError;
use super::scalar::{Resolved, looks_like_base60, looks_like_timestamp, resolve_plain};
use crate::value::{Mapping, Value};

impl ser::Error for EncodeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        EncodeError::Serialize {
            message: msg.to_string(),
        }
    }
}

/// Serializes anything into a [`Value`], keeping map order.
pub(crate) fn to_value<T: Serialize + ?Sized>(v: &T) -> Result<Value, EncodeError> {
    v.serialize(ValueSerializer)
}

struct ValueSerializer;

/// A list being serialized.
struct SeqBuilder(Vec<Value>);

/// A mapping being serialized.
struct MapBuilder {
    map: Mapping,
    key: Option<String>,
}

fn key_of(v: Value) -> Result<String, EncodeError> {
    match v {
        Value::String(s) => Ok(s),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Int(i) => Ok(i.to_string()),
        Value::UInt(u) => Ok(u.to_string()),
        other => Err(EncodeError::UnsupportedKey {
            found: other.type_name(),
        }),
    }
}

impl Serializer for ValueSerializer {
    type Ok = Value;
    type Error = EncodeError;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = SeqBuilder;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = MapBuilder;

    fn serialize_bool(self, v: bool) -> Result<Value, EncodeError> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, EncodeError> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, EncodeError> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, EncodeError> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, EncodeError> {
        Ok(Value::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, EncodeError> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, EncodeError> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, EncodeError> {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, EncodeError> {
        Ok(i64::try_from(v).map_or(Value::UInt(v), Value::Int))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, EncodeError> {
        Ok(Value::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, EncodeError> {
        Ok(Value::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, EncodeError> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, EncodeError> {
        Ok(Value::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, EncodeError> {
        Ok(Value::Sequence(
            v.iter().map(|b| Value::Int(i64::from(*b))).collect(),
        ))
    }
    fn serialize_none(self) -> Result<Value, EncodeError> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Value, EncodeError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, EncodeError> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, EncodeError> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, EncodeError> {
        Ok(Value::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Value, EncodeError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<Value, EncodeError> {
        let mut m = Mapping::new();
        m.insert(variant.to_owned(), v.serialize(self)?);
        Ok(Value::Mapping(m))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, EncodeError> {
        Ok(SeqBuilder(Vec::with_capacity(len.unwrap_or(0).min(256))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, EncodeError> {
        Ok(MapBuilder {
            map: Mapping::with_capacity(len.unwrap_or(0).min(64)),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapBuilder, EncodeError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<MapBuilder, EncodeError> {
        self.serialize_map(Some(len))
    }
}

impl ser::SerializeSeq for SeqBuilder {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), EncodeError> {
        self.0.push(v.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, EncodeError> {
        Ok(Value::Sequence(self.0))
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), EncodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Value, EncodeError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), EncodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Value, EncodeError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for SeqBuilder {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), EncodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<Value, EncodeError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), EncodeError> {
        self.key = Some(key_of(k.serialize(ValueSerializer)?)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), EncodeError> {
        let key = self.key.take().unwrap_or_default();
        self.map.insert(key, v.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, EncodeError> {
        Ok(Value::Mapping(self.map))
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        k: &'static str,
        v: &T,
    ) -> Result<(), EncodeError> {
        self.map.insert(k.to_owned(), v.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, EncodeError> {
        Ok(Value::Mapping(self.map))
    }
}

impl ser::SerializeStructVariant for MapBuilder {
    type Ok = Value;
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        k: &'static str,
        v: &T,
    ) -> Result<(), EncodeError> {
        ser::SerializeStruct::serialize_field(self, k, v)
    }
    fn end(self) -> Result<Value, EncodeError> {
        Ok(Value::Mapping(self.map))
    }
}

// ---------------------------------------------------------------------------------------------
// YAML

/// A value as one YAML document in kubectl's style (two-space indents, list items at their
/// key's indentation), ending with a newline.
pub(crate) fn yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Mapping(m) if !m.is_empty() => mapping(&mut out, m, 0, false),
        Value::Sequence(s) if !s.is_empty() => sequence(&mut out, s, 0, false),
        scalar => {
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Implicit keys longer than this are written in the explicit `? key` form.
const MAX_SIMPLE_KEY: usize = 1000;

fn mapping(out: &mut String, m: &Mapping, indent: usize, inline_first: bool) {
    for (i, (k, v)) in m.iter().enumerate() {
        if !(i == 0 && inline_first) {
            pad(out, indent);
        }
        let key = string_scalar(k);
        if key.len() > MAX_SIMPLE_KEY || key.contains('\n') {
            out.push_str("? ");
            out.push_str(&quoted(k));
            out.push('\n');
            pad(out, indent);
        } else {
            out.push_str(&key);
        }
        out.push(':');
        after_key(out, v, indent);
    }
}

fn after_key(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Mapping(m) if !m.is_empty() => {
            out.push('\n');
            mapping(out, m, indent + 2, false);
        }
        Value::Sequence(s) if !s.is_empty() => {
            out.push('\n');
            sequence(out, s, indent, false);
        }
        Value::String(s) if literal_allowed(s) => {
            out.push(' ');
            literal(out, s, indent + 2);
        }
        scalar => {
            out.push(' ');
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
}

fn sequence(out: &mut String, items: &[Value], indent: usize, inline_first: bool) {
    for (i, item) in items.iter().enumerate() {
        if !(i == 0 && inline_first) {
            pad(out, indent);
        }
        out.push_str("- ");
        match item {
            Value::Mapping(m) if !m.is_empty() => mapping(out, m, indent + 2, true),
            Value::Sequence(s) if !s.is_empty() => sequence(out, s, indent + 2, true),
            Value::String(s) if literal_allowed(s) => literal(out, s, indent + 2),
            scalar => {
                out.push_str(&inline(scalar));
                out.push('\n');
            }
        }
    }
}

/// A scalar, or an empty collection, on one line.
fn inline(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::UInt(u) => u.to_string(),
        Value::Float(f) => float_text(*f),
        Value::String(s) => string_scalar(s),
        Value::Sequence(_) => "[]".to_owned(),
        Value::Mapping(_) => "{}".to_owned(),
    }
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        ".nan".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.to_owned()
    } else {
        // Shortest round-trip form, always with a `.` or an exponent (`1.0`, `1e300`).
        serde_json::to_string(&f).unwrap_or_else(|_| format!("{f:?}"))
    }
}

/// Multi-line strings are written as literal blocks when every line survives that style.
fn literal_allowed(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\n'])
        && s.trim_end_matches('\n').len() == s.trim_end().len()
        && !s.split('\n').any(|l| l.ends_with(' '))
        && s.chars().all(|c| c == '\n' || !needs_escape(c))
}

fn literal(out: &mut String, s: &str, indent: usize) {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    out.push_str(match trailing {
        0 => "|-",
        1 => "|",
        _ => "|+",
    });
    out.push('\n');
    for line in body.split('\n') {
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
    for _ in 1..trailing {
        out.push('\n');
    }
}

/// Characters that must be escaped (only possible in double quotes).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{FEFF}' | '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}'
        )
}

/// True when `s` can be written without quotes and reads back as the same string, both by
/// go-yaml v2 (kubectl) and by YAML 1.2 parsers.
fn plain_allowed(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if resolve_plain(s) != Resolved::Str || looks_like_timestamp(s) || looks_like_base60(s) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`<=".contains(first) || first.is_whitespace() {
        return false;
    }
    if s.ends_with([' ', '\t', ':']) || s.starts_with("...") {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.contains(":\t") || s.contains("\t#") {
        return false;
    }
    // Words other YAML readers take for booleans, nulls or numbers.
    let lower = s.to_ascii_lowercase();
    if matches!(lower.as_str(), "nan" | "inf" | "infinity" | "-inf" | "+inf") {
        return false;
    }
    !s.chars().any(|c| needs_escape(c) || c == '\t')
}

fn string_scalar(s: &str) -> String {
    if plain_allowed(s) {
        s.to_owned()
    } else {
        quoted(s)
    }
}

/// A double-quoted YAML string.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if needs_escape(c) => {
                let code = u32::from(c);
                let _ = if code <= 0xFF {
                    write!(out, "\\x{code:02X}")
                } else {
                    write!(out, "\\u{code:04X}")
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------------
// JSON

/// A value as `kubectl get -o json` prints it: four-space indents, `<`, `>` and `&` escaped as
/// Go's encoder escapes them, and a final newline.
pub(crate) fn json(v: &Value) -> String {
    let mut buf = Vec::with_capacity(256);
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, GoFormatter::new());
    // Writing to a Vec cannot fail, and a `Value` always serializes.
    let _ = v.serialize(&mut ser);
    buf.push(b'\n');
    String::from_utf8(buf).unwrap_or_default()
}

/// serde_json's pretty printer with Go's `encoding/json` string escaping.
struct GoFormatter<'a>(serde_json::ser::PrettyFormatter<'a>);

impl GoFormatter<'_> {
    fn new() -> Self {
        GoFormatter(serde_json::ser::PrettyFormatter::with_indent(b"    "))
    }
}

impl serde_json::ser::Formatter for GoFormatter<'_> {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some(i) = rest.find(['<', '>', '&', '\u{2028}', '\u{2029}']) {
            w.write_all(rest.get(..i).unwrap_or("").as_bytes())?;
            let c = rest.get(i..).and_then(|r| r.chars().next()).unwrap_or('&');
            write!(w, "\\u{:04x}", u32::from(c))?;
            rest = rest.get(i + c.len_utf8()..).unwrap_or("");
        }
        w.write_all(rest.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn yaml_layout_matches_kubectl() {
        let doc = v(
            r#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "labels": {}},
                "spec": {"containers": [{"name": "c", "args": ["yes", "0644", "1:20", "", "a: b", "x"],
                "env": [{"name": "A", "value": "2016-05-20"}]}], "volumes": [[1, 2], []]}}"#,
        );
        assert_eq!(
            yaml(&doc),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {}\nspec:\n  containers:\n  - name: c\n    args:\n    - \"yes\"\n    - \"0644\"\n    - \"1:20\"\n    - \"\"\n    - \"a: b\"\n    - x\n    env:\n    - name: A\n      value: \"2016-05-20\"\n  volumes:\n  - - 1\n    - 2\n  - []\n"
        );
    }

    #[test]
    fn literal_blocks_and_escapes() {
        let doc = v(
            r#"{"a": "x\ny\n", "b": "x\ny", "c": "x\n\n", "d": " x\ny", "e": "tab\there\u0001"}"#,
        );
        assert_eq!(
            yaml(&doc),
            "a: |\n  x\n  y\nb: |-\n  x\n  y\nc: |+\n  x\n\nd: \" x\\ny\"\ne: \"tab\\there\\x01\"\n"
        );
        assert_eq!(inline(&Value::Float(1.0)), "1.0");
        assert_eq!(inline(&Value::Float(0.5)), "0.5");
    }

    #[test]
    fn json_layout_matches_kubectl() {
        let doc = v(r#"{"a": {"b": [1, {}], "c": []}, "d": "<x & y>"}"#);
        assert_eq!(
            json(&doc),
            "{\n    \"a\": {\n        \"b\": [\n            1,\n            {}\n        ],\n        \"c\": []\n    },\n    \"d\": \"\\u003cx \\u0026 y\\u003e\"\n}\n"
        );
    }
}
