//! Finding the line and column of a field path in YAML or JSON text.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

use super::Format;
use super::error::Location;
use super::split::{self, Chunk};
use super::yaml::{self, location};
use crate::validation::field::{FieldPath, PathSegment};

/// The line and column of `path` in document `document_index` (0-based, counting the
/// documents that hold something, as [`decode`](super::decode) numbers them) of a YAML or JSON
/// stream.
///
/// A mapping entry is located at its key, a list item or the root at its first character (for
/// a mapping, its first key). When only a prefix of the path exists (the rest is missing, or
/// comes from a YAML alias or merge), the location of the deepest existing part is returned.
/// `None` when the text is not UTF-8 text the decoder reads, or has no such document.
#[must_use]
pub fn locate(text: &str, document_index: usize, path: &FieldPath) -> Option<Location> {
    let index = match split::format_of(text) {
        Format::Yaml => {
            let (chunks, _) = split::chunks(text);
            let chunk = chunks
                .into_iter()
                .filter(|c| !yaml_chunk_is_empty(c.text))
                .nth(document_index)?;
            index_yaml(&chunk, &[path])
        }
        Format::Json => {
            let start = json_documents(text).nth(document_index)?;
            index_json(text, start, &[path])
        }
    };
    index.get(path, Target::Key)
}

/// Which end of a mapping entry to point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// The key: where a field is written (unknown, duplicate and missing fields).
    Key,
    /// The value: what is wrong with it (wrong type, out of range, unknown kind).
    Value,
}

/// True when a YAML chunk holds no document (comments and whitespace only) or `null`.
pub(crate) fn yaml_chunk_is_empty(text: &str) -> bool {
    matches!(yaml::load(text, 0), Ok(None))
}

/// Starting byte offsets of the non-null values of a JSON stream (stops at the first error).
pub(crate) fn json_documents(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<IsNull>();
    let mut offset = 0;
    std::iter::from_fn(move || {
        loop {
            let start = offset + leading_ws(text.get(offset..)?);
            let is_null = stream.next()?.ok()?.0;
            offset = stream.byte_offset();
            if !is_null {
                return Some(start);
            }
        }
    })
}

pub(crate) fn leading_ws(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t', '\n', '\r']).len()
}

/// Whether a JSON value is `null`, skipping over anything else.
struct IsNull(bool);

impl<'de> Deserialize<'de> for IsNull {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = IsNull;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_unit<E>(self) -> Result<IsNull, E> {
                Ok(IsNull(true))
            }
            fn visit_bool<E>(self, _: bool) -> Result<IsNull, E> {
                Ok(IsNull(false))
            }
            fn visit_i64<E>(self, _: i64) -> Result<IsNull, E> {
                Ok(IsNull(false))
            }
            fn visit_u64<E>(self, _: u64) -> Result<IsNull, E> {
                Ok(IsNull(false))
            }
            fn visit_f64<E>(self, _: f64) -> Result<IsNull, E> {
                Ok(IsNull(false))
            }
            fn visit_str<E>(self, _: &str) -> Result<IsNull, E> {
                Ok(IsNull(false))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<IsNull, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(IsNull(false))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<IsNull, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(IsNull(false))
            }
        }
        d.deserialize_any(V).map_err(de::Error::custom)
    }
}

/// The locations of the nodes on the way to some paths: for each path that exists (or each
/// existing prefix of one), where its key and its value are.
#[derive(Debug, Default)]
pub(crate) struct PathIndex {
    nodes: BTreeMap<FieldPath, (Location, Location)>,
}

impl PathIndex {
    /// The location of `path`, or of its deepest existing prefix (at the key, for a prefix).
    pub(crate) fn get(&self, path: &FieldPath, target: Target) -> Option<Location> {
        let mut p = normalise(path);
        let mut exact = true;
        loop {
            if let Some((key, value)) = self.nodes.get(&p) {
                return Some(if exact && target == Target::Value {
                    *value
                } else {
                    *key
                });
            }
            p.pop()?;
            exact = false;
        }
    }
}

/// Map keys and struct fields are the same thing in the text.
fn normalise(path: &FieldPath) -> FieldPath {
    let mut out = FieldPath::root();
    for seg in path.segments() {
        out.push(match seg {
            PathSegment::Key(k) => PathSegment::Field(Cow::Owned(k.clone())),
            other => other.clone(),
        });
    }
    out
}

/// Every prefix of every path (the root included): the nodes worth descending into.
fn prefixes(paths: &[&FieldPath]) -> BTreeSet<FieldPath> {
    let mut out = BTreeSet::new();
    out.insert(FieldPath::root());
    for path in paths {
        let mut p = FieldPath::root();
        for seg in normalise(path).segments() {
            p.push(seg.clone());
            out.insert(p.clone());
        }
    }
    out
}

/// Indexes the nodes on the way to `paths` in one YAML chunk, in a single pass that skips
/// every other subtree.
pub(crate) fn index_yaml(chunk: &Chunk<'_>, paths: &[&FieldPath]) -> PathIndex {
    let mut index = PathIndex::default();
    let wanted = prefixes(paths);
    let mut p = Parser::new_from_str(chunk.text);
    let first = loop {
        match p.next_token() {
            Ok((Event::StreamStart | Event::DocumentStart | Event::Nothing, _)) => {}
            Ok((Event::StreamEnd | Event::DocumentEnd, _)) | Err(_) => return index,
            Ok(x) => break x,
        }
    };
    let (ev, m) = first;
    let root = node_location(&mut p, &ev, &m);
    index.nodes.insert(FieldPath::root(), (root, root));
    let mut path = FieldPath::root();
    let _ = walk_yaml(&mut p, &ev, &mut path, &wanted, &mut index);
    // Lines are relative to the chunk.
    for (key, value) in index.nodes.values_mut() {
        key.line += chunk.line_offset;
        value.line += chunk.line_offset;
    }
    index
}

/// Records the children of the node that started with `ev` that lead to a wanted path, and
/// descends into them; everything else is skipped.
fn walk_yaml<T: Iterator<Item = char>>(
    p: &mut Parser<T>,
    ev: &Event,
    path: &mut FieldPath,
    wanted: &BTreeSet<FieldPath>,
    index: &mut PathIndex,
) -> Option<()> {
    match ev {
        Event::MappingStart(..) => loop {
            let (kev, km) = p.next_token().ok()?;
            if kev == Event::MappingEnd {
                return Some(());
            }
            let key = match &kev {
                Event::Scalar(text, style, _, tag) => {
                    yaml::scalar_value(text.clone(), *style, tag.as_ref())
                        .ok()
                        .and_then(|v| yaml::key_string(&v).ok())
                }
                other => {
                    skip_node(p, other)?;
                    None
                }
            };
            let (vev, vm) = p.next_token().ok()?;
            let Some(key) = key else {
                skip_node(p, &vev)?;
                continue;
            };
            path.push(PathSegment::Field(Cow::Owned(key)));
            if wanted.contains(path) {
                let value = node_location(p, &vev, &vm);
                index.nodes.insert(path.clone(), (location(&km), value));
                walk_yaml(p, &vev, path, wanted, index)?;
            } else {
                skip_node(p, &vev)?;
            }
            path.pop();
        },
        Event::SequenceStart(..) => {
            for i in 0.. {
                let (iev, im) = p.next_token().ok()?;
                if iev == Event::SequenceEnd {
                    return Some(());
                }
                path.push(PathSegment::Index(i));
                if wanted.contains(path) {
                    let at = node_location(p, &iev, &im);
                    index.nodes.insert(path.clone(), (at, at));
                    walk_yaml(p, &iev, path, wanted, index)?;
                } else {
                    skip_node(p, &iev)?;
                }
                path.pop();
            }
            Some(())
        }
        _ => Some(()),
    }
}

/// Where a node starts; a block mapping starts at its first key.
fn node_location<T: Iterator<Item = char>>(p: &mut Parser<T>, ev: &Event, m: &Marker) -> Location {
    if matches!(ev, Event::MappingStart(..)) {
        if let Ok((Event::Scalar(..), km)) = p.peek() {
            return location(km);
        }
    }
    location(m)
}

/// Consumes the rest of a node whose first event was `ev`.
fn skip_node<T: Iterator<Item = char>>(p: &mut Parser<T>, ev: &Event) -> Option<()> {
    let mut depth: usize = match ev {
        Event::MappingStart(..) | Event::SequenceStart(..) => 1,
        _ => return Some(()),
    };
    while depth > 0 {
        match p.next_token().ok()?.0 {
            Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
            Event::MappingEnd | Event::SequenceEnd => depth -= 1,
            Event::StreamEnd => return None,
            _ => {}
        }
    }
    Some(())
}

/// Indexes the nodes on the way to `paths` in the JSON value starting at byte `start`.
pub(crate) fn index_json(text: &str, start: usize, paths: &[&FieldPath]) -> PathIndex {
    let wanted = prefixes(paths);
    let mut scan = JsonScan {
        b: text.as_bytes(),
        pos: start,
    };
    scan.ws();
    let mut offsets: BTreeMap<FieldPath, (usize, usize)> = BTreeMap::new();
    offsets.insert(FieldPath::root(), (scan.pos, scan.pos));
    let mut path = FieldPath::root();
    let _ = scan.walk(&mut path, &wanted, &mut offsets);
    // Offsets to lines and columns, in one pass over the text.
    let mut all: Vec<usize> = offsets.values().flat_map(|(k, v)| [*k, *v]).collect();
    all.sort_unstable();
    all.dedup();
    let locations = locations_of(text, &all);
    let at = |off: usize| {
        all.binary_search(&off)
            .ok()
            .and_then(|i| locations.get(i).copied())
            .unwrap_or(Location::START)
    };
    PathIndex {
        nodes: offsets
            .into_iter()
            .map(|(p, (k, v))| (p, (at(k), at(v))))
            .collect(),
    }
}

/// The locations of sorted byte offsets of `text`.
fn locations_of(text: &str, sorted: &[usize]) -> Vec<Location> {
    let mut out = Vec::with_capacity(sorted.len());
    let (mut line, mut line_start, mut pos) = (1, 0, 0);
    for &off in sorted {
        let off = off.min(text.len());
        if let Some(seg) = text.get(pos..off) {
            for (i, b) in seg.bytes().enumerate() {
                if b == b'\n' {
                    line += 1;
                    line_start = pos + i + 1;
                }
            }
            pos = off;
        }
        let column = text.get(line_start..pos).map_or(0, |s| s.chars().count()) + 1;
        out.push(Location::new(line, column));
    }
    out
}

/// A minimal JSON scanner that walks to a path without building values.
struct JsonScan<'a> {
    b: &'a [u8],
    pos: usize,
}

impl JsonScan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Reads a string at the cursor, decoding escapes.
    fn string(&mut self) -> Option<String> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return String::from_utf8(out).ok();
                }
                b'\\' => {
                    self.pos += 1;
                    let c = match self.peek()? {
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'u' => {
                            let hex = |s: &Self, at: usize| -> Option<u32> {
                                let h = s.b.get(at..at + 4)?;
                                u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
                            };
                            let hi = hex(self, self.pos + 1)?;
                            self.pos += 4;
                            let code = if (0xD800..0xDC00).contains(&hi)
                                && self.b.get(self.pos + 1..self.pos + 3) == Some(b"\\u")
                            {
                                let lo = hex(self, self.pos + 3)?;
                                self.pos += 6;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                hi
                            };
                            char::from_u32(code).unwrap_or('\u{FFFD}')
                        }
                        other => char::from(other),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    self.pos += 1;
                }
                other => {
                    out.push(other);
                    self.pos += 1;
                }
            }
        }
    }

    /// Skips the value at the cursor.
    fn skip_value(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                self.pos += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
            }
            _ => {
                let start = self.pos;
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.pos += 1;
                }
                // Malformed text (a stray `}`): stop rather than loop.
                (self.pos > start).then_some(())
            }
        }
    }

    /// Records the entries or items of the value at the cursor that lead to a wanted path
    /// (key and value offsets), descending into them and skipping the rest.
    fn walk(
        &mut self,
        path: &mut FieldPath,
        wanted: &BTreeSet<FieldPath>,
        out: &mut BTreeMap<FieldPath, (usize, usize)>,
    ) -> Option<()> {
        match self.peek()? {
            b'{' => {
                self.pos += 1;
                loop {
                    self.ws();
                    if self.peek()? == b'}' {
                        self.pos += 1;
                        return Some(());
                    }
                    let key_at = self.pos;
                    let key = self.string()?;
                    self.ws();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.pos += 1;
                    self.ws();
                    path.push(PathSegment::Field(Cow::Owned(key)));
                    if wanted.contains(path) {
                        out.insert(path.clone(), (key_at, self.pos));
                        self.walk(path, wanted, out)?;
                    } else {
                        self.skip_value()?;
                    }
                    path.pop();
                    self.ws();
                    if self.peek() == Some(b',') {
                        self.pos += 1;
                    }
                }
            }
            b'[' => {
                self.pos += 1;
                for i in 0.. {
                    self.ws();
                    if self.peek()? == b']' {
                        self.pos += 1;
                        return Some(());
                    }
                    path.push(PathSegment::Index(i));
                    if wanted.contains(path) {
                        out.insert(path.clone(), (self.pos, self.pos));
                        self.walk(path, wanted, out)?;
                    } else {
                        self.skip_value()?;
                    }
                    path.pop();
                    self.ws();
                    if self.peek() == Some(b',') {
                        self.pos += 1;
                    }
                }
                Some(())
            }
            _ => self.skip_value(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "# header\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\n# empty\n---\napiVersion: apps/v1\nkind: ReplicaSet\nspec:\n  replicas: \"3\"\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x\n      - name: b\n        ports:\n        - containerPort: 80\n";

    #[test]
    fn yaml_paths() {
        let at = |doc, p: &str| locate(YAML, doc, &FieldPath::parse(p));
        assert_eq!(at(0, ""), Some(Location::new(3, 1)));
        assert_eq!(at(0, "metadata.name"), Some(Location::new(6, 3)));
        assert_eq!(at(1, "spec.replicas"), Some(Location::new(13, 3)));
        assert_eq!(
            at(1, "spec.template.spec.containers[1].ports[0].containerPort"),
            Some(Location::new(21, 11))
        );
        assert_eq!(
            at(1, "spec.template.spec.containers[1]"),
            Some(Location::new(19, 9))
        );
        // Missing tails give the deepest existing prefix.
        assert_eq!(at(1, "spec.template.nope.x"), Some(Location::new(14, 3)));
        assert_eq!(at(2, ""), None);
    }

    #[test]
    fn malformed_json_ends_the_walk() {
        for text in [
            "[}",
            "{\"a\": [}",
            "[1 }",
            "{\"a\": 1 }}",
            "[,,,",
            "{\"a\"",
            "[\"x",
        ] {
            let _ = locate(text, 0, &FieldPath::parse("a[3].b"));
            let _ = locate(text, 0, &FieldPath::parse("[3]"));
        }
    }

    #[test]
    fn json_paths() {
        let text =
            "{\"kind\": \"Pod\"}\nnull\n  {\"a\": {\"b\\u0063\": [1, {\"d\": \"}\"}, {\"e\": 2}]}}";
        let at = |doc, p: &str| locate(text, doc, &FieldPath::parse(p));
        assert_eq!(at(0, "kind"), Some(Location::new(1, 2)));
        assert_eq!(at(1, ""), Some(Location::new(3, 3)));
        assert_eq!(at(1, "a.bc[2].e"), Some(Location::new(3, 38)));
        assert_eq!(at(1, "a.bc[5]"), Some(Location::new(3, 10)));
        assert_eq!(at(2, ""), None);
    }
}
