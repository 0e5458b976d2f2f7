//! Input text: encodings, format detection and kubectl's YAML document splitting.

use std::borrow::Cow;

use super::Format;
use super::error::{ErrorKind, Location};

/// Decodes the input bytes as kubectl's file reader does: UTF-8 (a byte-order mark is
/// dropped), or UTF-16 when it starts with a byte-order mark. On failure, returns the byte
/// offset of the first bad byte.
pub(crate) fn text(input: &[u8]) -> Result<Cow<'_, str>, usize> {
    match input {
        [0xEF, 0xBB, 0xBF, rest @ ..] => std::str::from_utf8(rest)
            .map(Cow::Borrowed)
            .map_err(|e| e.valid_up_to() + 3),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes).map(Cow::Owned),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes).map(Cow::Owned),
        _ => std::str::from_utf8(input)
            .map(Cow::Borrowed)
            .map_err(|e| e.valid_up_to()),
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, usize> {
    let chunks = bytes.chunks_exact(2);
    if !chunks.remainder().is_empty() {
        return Err(bytes.len() + 1);
    }
    let units = chunks.map(|c| {
        unit([
            c.first().copied().unwrap_or(0),
            c.get(1).copied().unwrap_or(0),
        ])
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => out.push(c),
            Err(_) => return Err(2 + 2 * i),
        }
    }
    Ok(out)
}

/// JSON when the first non-whitespace character opens an object or a list, as kubectl's
/// decoder sniffs it; YAML otherwise.
pub(crate) fn format_of(text: &str) -> Format {
    match text.trim_start().as_bytes().first() {
        Some(b'{' | b'[') => Format::Json,
        _ => Format::Yaml,
    }
}

/// One `---`-separated piece of a YAML stream.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Chunk<'a> {
    /// The piece's text (whole lines, separators excluded).
    pub(crate) text: &'a str,
    /// Byte offset of the piece in the stream.
    pub(crate) offset: usize,
    /// Number of lines before the piece.
    pub(crate) line_offset: usize,
}

/// A separator line with more than a comment after `---`.
#[derive(Clone, Debug)]
pub(crate) struct BadSeparator {
    pub(crate) location: Location,
    pub(crate) kind: ErrorKind,
}

/// Splits a YAML stream as kubectl's reader does: a line starting with `---` ends a document
/// when only whitespace or a comment follows; anything else after `---` is an error.
pub(crate) fn chunks(text: &str) -> (Vec<Chunk<'_>>, Option<BadSeparator>) {
    let mut out = Vec::new();
    let mut start = 0;
    let mut start_line = 0;
    let mut pos = 0;
    let mut line = 0;
    while pos < text.len() {
        let rest = text.get(pos..).unwrap_or("");
        let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let this = rest.get(..len).unwrap_or("");
        if let Some(after) = this.strip_prefix("---") {
            let trimmed = after.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                if pos > start {
                    out.push(Chunk {
                        text: text.get(start..pos).unwrap_or(""),
                        offset: start,
                        line_offset: start_line,
                    });
                }
                return (
                    out,
                    Some(BadSeparator {
                        location: Location::new(line + 1, 4),
                        kind: ErrorKind::InvalidSeparator {
                            text: trimmed.to_owned(),
                        },
                    }),
                );
            }
            if pos > start {
                out.push(Chunk {
                    text: text.get(start..pos).unwrap_or(""),
                    offset: start,
                    line_offset: start_line,
                });
            }
            start = pos + len;
            start_line = line + 1;
        }
        pos += len;
        line += 1;
    }
    if text.len() > start {
        out.push(Chunk {
            text: text.get(start..).unwrap_or(""),
            offset: start,
            line_offset: start_line,
        });
    }
    (out, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_kubectl() {
        let (c, bad) = chunks("a: 1\n---\n---   # comment\nb: 2\n--- \r\nc: 3");
        assert!(bad.is_none());
        let texts: Vec<_> = c.iter().map(|c| c.text).collect();
        assert_eq!(texts, ["a: 1\n", "b: 2\n", "c: 3"]);
        assert_eq!(c[1].line_offset, 3);
        assert_eq!(c[2].line_offset, 5);
        let (c, bad) = chunks("a: 1\n--- b: 2\n");
        assert_eq!(c.len(), 1);
        let bad = bad.unwrap();
        assert_eq!(bad.location, Location::new(2, 4));
        assert_eq!(
            bad.kind,
            ErrorKind::InvalidSeparator {
                text: "b: 2".into()
            }
        );
        // `---` inside a line or indented is content.
        let (c, _) = chunks("a: |\n  ---\nb: x---\n");
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn encodings() {
        assert_eq!(text(b"\xEF\xBB\xBFa: 1").unwrap(), "a: 1");
        assert_eq!(text(b"a: \xFF").unwrap_err(), 3);
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a: é".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(text(&le).unwrap(), "a: é");
        assert!(text(&[0xFF, 0xFE, 0x00]).is_err());
        assert_eq!(format_of("  \n{\"a\": 1}"), Format::Json);
        assert_eq!(format_of("[1]"), Format::Json);
        assert_eq!(format_of("a: {}"), Format::Yaml);
    }
}
