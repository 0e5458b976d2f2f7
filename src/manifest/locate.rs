//! Finding the line and column of a field path in YAML or JSON text.

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
    match split::format_of(text) {
        Format::Yaml => {
            let (chunks, _) = split::chunks(text);
            chunks
                .into_iter()
                .filter(|c| !yaml_chunk_is_empty(c.text))
                .nth(document_index)
                .and_then(|c| locate_in_chunk(&c, path, Target::Key))
        }
        Format::Json => {
            let start = json_documents(text).nth(document_index)?;
            locate_json(text, start, path, Target::Key)
        }
    }
}

/// Which end of a mapping entry to point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// The key: where a field is written (unknown, duplicate and missing fields).
    Key,
    /// The value: what is wrong with it (wrong type, out of range, unknown kind).
    Value,
}

/// Locates `path` in one YAML chunk of a stream.
pub(crate) fn locate_in_chunk(
    chunk: &Chunk<'_>,
    path: &FieldPath,
    target: Target,
) -> Option<Location> {
    let l = locate_yaml(chunk.text, path.segments(), target)?;
    Some(Location::new(l.line + chunk.line_offset, l.column))
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

/// Locates a path in one YAML document (lines relative to `text`).
fn locate_yaml(text: &str, target: &[PathSegment], end: Target) -> Option<Location> {
    let mut p = Parser::new_from_str(text);
    let (mut ev, mut m) = loop {
        let (ev, m) = p.next_token().ok()?;
        match ev {
            Event::StreamStart | Event::DocumentStart | Event::Nothing => {}
            Event::StreamEnd | Event::DocumentEnd => return None,
            ev => break (ev, m),
        }
    };
    let mut best = node_location(&mut p, &ev, &m);
    let mut rest = target;
    'descend: while let Some((seg, tail)) = rest.split_first() {
        match (&ev, seg) {
            (Event::MappingStart(..), PathSegment::Field(_) | PathSegment::Key(_)) => {
                let name = match seg {
                    PathSegment::Field(n) => n.as_ref(),
                    PathSegment::Key(k) => k.as_str(),
                    PathSegment::Index(_) => return Some(best),
                };
                loop {
                    let (kev, km) = p.next_token().ok()?;
                    if kev == Event::MappingEnd {
                        return Some(best);
                    }
                    let matched = match &kev {
                        Event::Scalar(text, style, _, tag) => {
                            yaml::scalar_value(text.clone(), *style, tag.as_ref())
                                .ok()
                                .and_then(|v| yaml::key_string(&v).ok())
                                .is_some_and(|k| k == name)
                        }
                        other => {
                            skip_node(&mut p, other)?;
                            false
                        }
                    };
                    let (vev, vm) = p.next_token().ok()?;
                    if matched {
                        best = if tail.is_empty() && end == Target::Value {
                            node_location(&mut p, &vev, &vm)
                        } else {
                            location(&km)
                        };
                        ev = vev;
                        m = vm;
                        rest = tail;
                        continue 'descend;
                    }
                    skip_node(&mut p, &vev)?;
                }
            }
            (Event::SequenceStart(..), PathSegment::Index(i)) => {
                let mut j = 0;
                loop {
                    let (iev, im) = p.next_token().ok()?;
                    if iev == Event::SequenceEnd {
                        return Some(best);
                    }
                    if j == *i {
                        best = node_location(&mut p, &iev, &im);
                        ev = iev;
                        m = im;
                        rest = tail;
                        continue 'descend;
                    }
                    skip_node(&mut p, &iev)?;
                    j += 1;
                }
            }
            _ => return Some(best),
        }
    }
    let _ = m;
    Some(best)
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

/// Locates a path in the JSON value starting at byte `start` of `text`.
pub(crate) fn locate_json(
    text: &str,
    start: usize,
    path: &FieldPath,
    target: Target,
) -> Option<Location> {
    let off = JsonScan {
        b: text.as_bytes(),
        pos: start,
    }
    .find(path.segments(), target);
    Some(Location::of_offset(text, off))
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
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }

    /// The byte offset of the deepest existing part of the path.
    fn find(&mut self, target: &[PathSegment], end: Target) -> usize {
        self.ws();
        let mut best = self.pos;
        for (i, seg) in target.iter().enumerate() {
            let found = match (self.peek(), seg) {
                (Some(b'{'), PathSegment::Field(_) | PathSegment::Key(_)) => {
                    let name = match seg {
                        PathSegment::Field(n) => n.as_ref(),
                        PathSegment::Key(k) => k.as_str(),
                        PathSegment::Index(_) => "",
                    };
                    self.pos += 1;
                    self.entry(name)
                }
                (Some(b'['), PathSegment::Index(i)) => {
                    self.pos += 1;
                    self.item(*i)
                }
                _ => None,
            };
            match found {
                Some(_) if i + 1 == target.len() && end == Target::Value => best = self.pos,
                Some(at) => best = at,
                None => return best,
            }
        }
        best
    }

    /// Moves to the value of key `name`; returns the key's offset.
    fn entry(&mut self, name: &str) -> Option<usize> {
        loop {
            self.ws();
            if self.peek()? == b'}' {
                return None;
            }
            let key_at = self.pos;
            let key = self.string()?;
            self.ws();
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            self.ws();
            if key == name {
                return Some(key_at);
            }
            self.skip_value()?;
            self.ws();
            if self.peek() == Some(b',') {
                self.pos += 1;
            }
        }
    }

    /// Moves to item `i`; returns its offset.
    fn item(&mut self, i: usize) -> Option<usize> {
        let mut j = 0;
        loop {
            self.ws();
            if self.peek()? == b']' {
                return None;
            }
            if j == i {
                return Some(self.pos);
            }
            self.skip_value()?;
            self.ws();
            if self.peek() == Some(b',') {
                self.pos += 1;
            }
            j += 1;
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
