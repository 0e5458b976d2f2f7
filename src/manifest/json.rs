//! JSON streams: a fast path straight into the typed objects, and a careful path (through a
//! [`Value`], with the field path of any failure) for everything else.
//!
//! The fast path reads `apiVersion` and `kind` when they come first (as `kubectl` and the API
//! server write them) and hands the rest of the object to the typed decoder, borrowing keys
//! from the input. Any surprise (another field order, an unknown kind, a wrong type, a
//! duplicate) sends the document down the careful path, which reproduces the problem with its
//! path and location.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use serde::Deserialize;
use serde::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
    value::MapAccessDeserializer,
};

use super::error::{ErrorKind, Location, ManifestError};
use super::locate::leading_ws;
use super::object::{Document, Object};
use super::pipeline::{self, DocContext, KindClass, Locator};
use super::{FieldValidation, MAX_DOCUMENT_BYTES};
use crate::api::macros::Key;
use crate::api::{Deployment, Pod, ReplicaSet, ReplicationController};
use crate::validation::field::{FieldPath, PathSegment};
use crate::value::{Mapping, Value};

/// A document as the fast path read it (short-lived: moved into an [`Object`] at once).
#[allow(clippy::large_enum_variant)]
enum Fast {
    Null,
    Pod(Pod),
    ReplicaSet(ReplicaSet),
    ReplicationController(ReplicationController),
    Deployment(Deployment),
    /// Anything the typed decoders do not take directly; the careful path handles it.
    Raw(Value),
}

impl<'de> Deserialize<'de> for Fast {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FastVisitor)
    }
}

struct FastVisitor;

impl<'de> Visitor<'de> for FastVisitor {
    type Value = Fast;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Kubernetes object")
    }

    fn visit_unit<E>(self) -> Result<Fast, E> {
        Ok(Fast::Null)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fast, A::Error> {
        // The leading entries, in the order written, until both type fields are known.
        let mut api_version: Option<Head<'de>> = None;
        let mut kind: Option<Head<'de>> = None;
        let mut kind_first = false;
        while api_version.is_none() || kind.is_none() {
            let Some(key) = map.next_key::<Key<'de>>()? else {
                return Ok(Fast::Raw(raw(api_version, kind, kind_first, None, map)?));
            };
            match key.as_str() {
                "apiVersion" if api_version.is_none() => api_version = Some(map.next_value()?),
                "kind" if kind.is_none() => {
                    kind_first = api_version.is_none();
                    kind = Some(map.next_value()?);
                }
                _ => {
                    let other = (key.into_string(), map.next_value()?);
                    return Ok(Fast::Raw(raw(
                        api_version,
                        kind,
                        kind_first,
                        Some(other),
                        map,
                    )?));
                }
            }
        }
        let class = match (&api_version, &kind) {
            (Some(Head::Str(v)), Some(Head::Str(k))) => match pipeline::classify(k) {
                KindClass::Known(k) if v.as_ref() == pipeline::served_version(k) => Some(k),
                _ => None,
            },
            _ => None,
        };
        let Some(class) = class else {
            return Ok(Fast::Raw(raw(api_version, kind, kind_first, None, map)?));
        };
        let rest = MapAccessDeserializer::new(Rest(map));
        Ok(match class {
            "Pod" => Fast::Pod(Pod::deserialize(rest)?),
            "ReplicaSet" => Fast::ReplicaSet(ReplicaSet::deserialize(rest)?),
            "ReplicationController" => {
                Fast::ReplicationController(ReplicationController::deserialize(rest)?)
            }
            _ => Fast::Deployment(Deployment::deserialize(rest)?),
        })
    }
}

/// The rest of an object whose `apiVersion` and `kind` were read: a second `apiVersion` or
/// `kind` is a duplicate.
struct Rest<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Rest<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.0.next_key::<Key<'de>>()? else {
            return Ok(None);
        };
        if matches!(key.as_str(), "apiVersion" | "kind") {
            return Err(de::Error::custom("duplicate key"));
        }
        match key.0 {
            Cow::Borrowed(k) => seed
                .deserialize(de::value::BorrowedStrDeserializer::new(k))
                .map(Some),
            Cow::Owned(k) => seed
                .deserialize(de::value::StringDeserializer::new(k))
                .map(Some),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.0.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// The value of `apiVersion` or `kind`: borrowed when it is a string, as is usual.
enum Head<'de> {
    Str(Cow<'de, str>),
    Other(Value),
}

impl Head<'_> {
    fn into_value(self) -> Value {
        match self {
            Head::Str(s) => Value::String(s.into_owned()),
            Head::Other(v) => v,
        }
    }
}

impl<'de> Deserialize<'de> for Head<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Head<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Head<'de>, E> {
                Ok(Head::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Head<'de>, E> {
                Ok(Head::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Head<'de>, E> {
                Ok(Head::Str(Cow::Owned(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Head<'de>, E> {
                Ok(Head::Other(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Head<'de>, E> {
                Ok(Head::Other(Value::Int(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Head<'de>, E> {
                Ok(Head::Other(
                    i64::try_from(v).map_or(Value::UInt(v), Value::Int),
                ))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Head<'de>, E> {
                Ok(Head::Other(Value::Float(v)))
            }
            fn visit_unit<E>(self) -> Result<Head<'de>, E> {
                Ok(Head::Other(Value::Null))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Head<'de>, A::Error> {
                Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Head::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Head<'de>, A::Error> {
                Value::deserialize(MapAccessDeserializer::new(map)).map(Head::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// The whole object as a [`Value`]: the entries read so far (in the order written), then the
/// rest of the map.
fn raw<'de, A: MapAccess<'de>>(
    api_version: Option<Head<'de>>,
    kind: Option<Head<'de>>,
    kind_first: bool,
    other: Option<(String, Value)>,
    mut map: A,
) -> Result<Value, A::Error> {
    let mut out = Mapping::with_capacity(4 + map.size_hint().unwrap_or(4).min(64));
    let api_version = api_version.map(|v| ("apiVersion".to_owned(), v.into_value()));
    let kind = kind.map(|v| ("kind".to_owned(), v.into_value()));
    let head = if kind_first {
        [kind, api_version, other]
    } else {
        [api_version, kind, other]
    };
    for (k, v) in head.into_iter().flatten() {
        out.insert(k, v);
    }
    while let Some(key) = map.next_key::<Key<'de>>()? {
        let v: Value = map.next_value()?;
        if out.insert(key.into_string(), v).is_some() {
            return Err(de::Error::custom("duplicate key"));
        }
    }
    Ok(Value::Mapping(out))
}

/// The careful path's record of a failure: the path (leaf first) and a repeated key.
#[derive(Default)]
struct Trail {
    rev_path: Vec<PathSegment>,
    duplicate: Option<String>,
}

/// Reads any value, recording where a failure happened.
#[derive(Clone, Copy)]
struct Tracked<'t>(&'t RefCell<Trail>);

impl<'de> DeserializeSeed<'de> for Tracked<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Tracked<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::UInt(v), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            match seq.next_element_seed(self) {
                Ok(Some(v)) => out.push(v),
                Ok(None) => return Ok(Value::Sequence(out)),
                Err(e) => {
                    self.0
                        .borrow_mut()
                        .rev_path
                        .push(PathSegment::Index(out.len()));
                    return Err(e);
                }
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Mapping::new();
        while let Some(key) = map.next_key::<String>()? {
            let failed = |e: A::Error| {
                self.0
                    .borrow_mut()
                    .rev_path
                    .push(PathSegment::Field(Cow::Owned(key.clone())));
                e
            };
            if out.contains_key(&key) {
                self.0.borrow_mut().duplicate = Some(key.clone());
                return Err(failed(de::Error::custom("duplicate key")));
            }
            let v = map.next_value_seed(self).map_err(failed)?;
            out.insert(key, v);
        }
        Ok(Value::Mapping(out))
    }
}

/// Tracks line numbers while walking forward through the text.
struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    line_start: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    fn at(&mut self, offset: usize) -> Location {
        if offset < self.offset {
            return Location::of_offset(self.text, offset);
        }
        let seg = self.text.get(self.offset..offset).unwrap_or("");
        for (i, b) in seg.bytes().enumerate() {
            if b == b'\n' {
                self.line += 1;
                self.line_start = self.offset + i + 1;
            }
        }
        self.offset = offset;
        let column = self
            .text
            .get(self.line_start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        Location::new(self.line, column)
    }
}

/// The byte offset of a serde_json error position (1-based line, byte column) in `text`.
fn error_offset(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text.get(start..).and_then(|r| r.find('\n')) {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    (start + column.saturating_sub(1)).min(text.len())
}

/// serde_json's message without its " at line L column C" suffix.
fn message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    full.strip_suffix(&suffix).unwrap_or(&full).to_owned()
}

/// Decodes a JSON stream: objects separated by whitespace (or written back to back).
pub(crate) fn decode(
    text: &str,
    validation: FieldValidation,
    docs: &mut Vec<Document>,
    errors: &mut Vec<ManifestError>,
) {
    let mut lines = Lines::new(text);
    let mut offset = 0;
    let mut index = 0;
    let root = FieldPath::root();
    'stream: while offset < text.len() {
        let Some(rest) = text.get(offset..) else {
            break;
        };
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Fast>();
        loop {
            let start = offset
                + stream.byte_offset()
                + leading_ws(rest.get(stream.byte_offset()..).unwrap_or(""));
            let Some(next) = stream.next() else {
                break 'stream;
            };
            let end = offset + stream.byte_offset();
            let locator = Locator::Json { text, start };
            let fast = match next {
                Ok(Fast::Null) => continue,
                Ok(fast) if end - start <= MAX_DOCUMENT_BYTES => fast,
                Ok(_) => {
                    errors.push(ManifestError::new(
                        index,
                        lines.at(start),
                        root.clone(),
                        ErrorKind::TooLarge {
                            size: end - start,
                            limit: MAX_DOCUMENT_BYTES,
                        },
                    ));
                    index += 1;
                    continue;
                }
                Err(_) => {
                    // Redo this document carefully, then resume after it.
                    match careful(text, start, &mut lines) {
                        Ok((Value::Null, doc_end)) => {
                            offset = doc_end;
                            continue 'stream;
                        }
                        Ok((value, doc_end)) => {
                            let ctx = DocContext {
                                index,
                                locator,
                                start: lines.at(start),
                                validation,
                            };
                            if doc_end - start > MAX_DOCUMENT_BYTES {
                                errors.push(ManifestError::new(
                                    index,
                                    ctx.start,
                                    root.clone(),
                                    ErrorKind::TooLarge {
                                        size: doc_end - start,
                                        limit: MAX_DOCUMENT_BYTES,
                                    },
                                ));
                            } else {
                                let (e0, d0) = (errors.len(), docs.len());
                                pipeline::objects(&ctx, Cow::Owned(value), &root, docs, errors);
                                ctx.locate(
                                    errors.get_mut(e0..).unwrap_or_default(),
                                    docs.get_mut(d0..).unwrap_or_default(),
                                );
                            }
                            index += 1;
                            offset = doc_end;
                            continue 'stream;
                        }
                        Err(e) => {
                            errors.push(ManifestError {
                                document: index,
                                ..e
                            });
                        }
                    }
                    break 'stream;
                }
            };
            let ctx = DocContext {
                index,
                locator,
                start: lines.at(start),
                validation,
            };
            index += 1;
            let (e0, d0) = (errors.len(), docs.len());
            let object = match fast {
                Fast::Raw(value) => {
                    pipeline::objects(&ctx, Cow::Owned(value), &root, docs, errors);
                    ctx.locate(
                        errors.get_mut(e0..).unwrap_or_default(),
                        docs.get_mut(d0..).unwrap_or_default(),
                    );
                    continue;
                }
                Fast::Pod(o) => Object::Pod(o),
                Fast::ReplicaSet(o) => Object::ReplicaSet(o),
                Fast::ReplicationController(o) => Object::ReplicationController(o),
                Fast::Deployment(o) => Object::Deployment(o),
                Fast::Null => continue,
            };
            let unknown = object.unknown_fields();
            let mut warnings = Vec::new();
            let before = errors.len();
            if !unknown.is_empty() {
                ctx.unknown_fields(&root, unknown, errors, &mut warnings);
            }
            if errors.len() == before {
                docs.push(ctx.document(root.clone(), object, warnings));
            }
            if errors.len() > e0 || docs.get(d0).is_some_and(|d| !d.warnings.is_empty()) {
                ctx.locate(
                    errors.get_mut(e0..).unwrap_or_default(),
                    docs.get_mut(d0..).unwrap_or_default(),
                );
            }
        }
    }
}

/// Every value of a JSON stream except `null`s, with the index each would have as a
/// document; stops at the first syntax error.
pub(crate) fn values(text: &str, out: &mut Vec<Value>, errors: &mut Vec<ManifestError>) {
    let mut lines = Lines::new(text);
    let mut offset = 0;
    loop {
        let Some(rest) = text.get(offset..) else {
            return;
        };
        let start = offset + leading_ws(rest);
        if start >= text.len() {
            return;
        }
        match careful(text, start, &mut lines) {
            Ok((value, end)) => {
                if end - start > MAX_DOCUMENT_BYTES {
                    errors.push(ManifestError::new(
                        out.len(),
                        lines.at(start),
                        FieldPath::root(),
                        ErrorKind::TooLarge {
                            size: end - start,
                            limit: MAX_DOCUMENT_BYTES,
                        },
                    ));
                } else if value != Value::Null {
                    out.push(value);
                }
                offset = end.max(start + 1);
            }
            Err(e) => {
                errors.push(ManifestError {
                    document: out.len(),
                    ..e
                });
                return;
            }
        }
    }
}

/// Parses the JSON value at `start` into a [`Value`], returning it with the offset where it
/// ends. A failure carries its location and path (document index unset).
fn careful(
    text: &str,
    start: usize,
    lines: &mut Lines<'_>,
) -> Result<(Value, usize), ManifestError> {
    let slice = text.get(start..).unwrap_or("");
    let trail = RefCell::new(Trail::default());
    let mut de = serde_json::Deserializer::from_str(slice);
    match Tracked(&trail).deserialize(&mut de) {
        Ok(value) => {
            let mut s = serde_json::Deserializer::from_str(slice).into_iter::<IgnoredAny>();
            let _ = s.next();
            let end = start + s.byte_offset();
            Ok((value, end))
        }
        Err(e) => {
            let trail = trail.into_inner();
            let mut path = FieldPath::root();
            for seg in trail.rev_path.into_iter().rev() {
                path.push(seg);
            }
            let msg = message(&e);
            let kind = if let Some(key) = trail.duplicate {
                ErrorKind::DuplicateKey { key }
            } else if msg.starts_with("recursion limit exceeded") {
                ErrorKind::TooDeep {
                    limit: super::MAX_DEPTH,
                }
            } else {
                ErrorKind::Syntax { message: msg }
            };
            let at = start + error_offset(slice, e.line(), e.column());
            Err(ManifestError::new(0, lines.at(at), path, kind))
        }
    }
}
