//! Decode errors: what went wrong, in which document, at which line and column, at which field.

use std::fmt;

use crate::validation::field::{FieldPath, PathSegment, go_quote};

/// A position in manifest text: 1-based line and 1-based column (counted in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column number, starting at 1, counted in Unicode characters.
    pub column: usize,
}

impl Location {
    /// Line 1, column 1.
    pub const START: Location = Location { line: 1, column: 1 };

    /// A location from a 1-based line and column.
    #[must_use]
    pub const fn new(line: usize, column: usize) -> Location {
        Location { line, column }
    }

    /// The location of byte `offset` in `text` (clamped to the text, rounded down to a character).
    #[must_use]
    pub fn of_offset(text: &str, offset: usize) -> Location {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = text.get(..end).unwrap_or("");
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        Location { line, column }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The kinds of objects this crate models, in the order error messages list them.
pub const KNOWN_KINDS: &[&str] = &["Pod", "ReplicaSet", "ReplicationController", "Deployment"];

/// What is wrong with a manifest.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not UTF-8 (nor UTF-16 with a byte-order mark).
    InvalidUtf8 {
        /// Byte offset of the first invalid byte in the input.
        offset: usize,
    },
    /// The input holds no document: it is empty, or only whitespace, comments and `---`.
    Empty,
    /// A line starting with `---` carries more than a comment.
    InvalidSeparator {
        /// What follows `---` on the line.
        text: String,
    },
    /// The YAML or JSON text is malformed; the message is the parser's.
    Syntax {
        /// The parser's description of the problem.
        message: String,
    },
    /// A single document is larger than the API server accepts in one request.
    TooLarge {
        /// The document's size in bytes.
        size: usize,
        /// The limit, 3 MiB ([`MAX_DOCUMENT_BYTES`](super::MAX_DOCUMENT_BYTES)).
        limit: usize,
    },
    /// Mappings and lists nest deeper than the decoder allows.
    TooDeep {
        /// The nesting limit ([`MAX_DEPTH`](super::MAX_DEPTH)).
        limit: usize,
    },
    /// YAML aliases expand to far more nodes than the text holds (an "alias bomb").
    ExcessiveAliasing,
    /// A mapping key is written twice.
    DuplicateKey {
        /// The repeated key.
        key: String,
    },
    /// A mapping key is not a scalar (or is null), which JSON cannot represent.
    UnsupportedKey {
        /// What the key is (`mapping`, `list`, `null`).
        found: &'static str,
    },
    /// A YAML value whose explicit tag does not fit it (`!!int abc`).
    TagMismatch {
        /// The tag as written (`!!int`).
        tag: String,
        /// The value.
        value: String,
    },
    /// `.inf` or `.nan`, which JSON (and so the API) cannot carry.
    NonFiniteNumber {
        /// The number as written.
        text: String,
    },
    /// The document is not a mapping (an object).
    NotAnObject {
        /// What it is instead (`list`, `string`, ...).
        found: &'static str,
    },
    /// `apiVersion` or `kind` is missing or empty.
    MissingField {
        /// `apiVersion` or `kind`.
        field: &'static str,
    },
    /// `kind` is written in the wrong case or is not CamelCase.
    UnknownKind {
        /// The kind as written.
        kind: String,
        /// The known kind it matches ignoring case.
        suggestion: Option<&'static str>,
    },
    /// A known kind with an `apiVersion` this crate does not serve.
    UnsupportedVersion {
        /// The kind.
        kind: &'static str,
        /// The `apiVersion` as written.
        api_version: String,
        /// The `apiVersion` this crate serves for the kind.
        served: &'static str,
    },
    /// An `apiVersion` that is not `version` or `group/version`.
    InvalidApiVersion {
        /// The `apiVersion` as written.
        api_version: String,
    },
    /// A field the Kubernetes API does not define (strict field validation).
    UnknownField {
        /// The field as written.
        field: String,
        /// The closest field the type defines.
        suggestion: Option<&'static str>,
        /// The API type that lacks the field (`Pod`, `Container`).
        type_name: &'static str,
    },
    /// A value of the wrong type (`replicas: "3"`).
    WrongType {
        /// What the field takes (`int32`).
        expected: String,
        /// What was written (`string "3"`).
        found: String,
    },
    /// A number outside the field's range (`replicas: 99999999999`).
    OutOfRange {
        /// The number as written.
        value: String,
        /// What the field takes (`int32`).
        expected: String,
    },
    /// A value the field's type rejects for another reason (a malformed time, ...).
    InvalidValue {
        /// The type's description of the problem.
        message: String,
    },
}

impl ErrorKind {
    /// True for problems in the text itself (syntax, encoding, limits) rather than its content.
    #[must_use]
    pub fn is_parse_error(&self) -> bool {
        matches!(
            self,
            ErrorKind::InvalidUtf8 { .. }
                | ErrorKind::Empty
                | ErrorKind::InvalidSeparator { .. }
                | ErrorKind::Syntax { .. }
                | ErrorKind::TooLarge { .. }
                | ErrorKind::TooDeep { .. }
                | ErrorKind::ExcessiveAliasing
                | ErrorKind::DuplicateKey { .. }
                | ErrorKind::UnsupportedKey { .. }
                | ErrorKind::TagMismatch { .. }
                | ErrorKind::NonFiniteNumber { .. }
        )
    }
}

fn did_you_mean(f: &mut fmt::Formatter<'_>, suggestion: Option<&str>) -> fmt::Result {
    match suggestion {
        Some(s) => write!(f, ", did you mean {}?", go_quote(s)),
        None => Ok(()),
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::InvalidUtf8 { offset } => write!(
                f,
                "invalid UTF-8 at byte offset {offset}: manifests must be UTF-8 text"
            ),
            ErrorKind::Empty => {
                f.write_str("no objects passed to apply: the input holds no document")
            }
            ErrorKind::InvalidSeparator { text } => {
                write!(f, "invalid YAML document separator: {text}")
            }
            ErrorKind::Syntax { message } => f.write_str(message),
            ErrorKind::TooLarge { size, limit } => write!(
                f,
                "document is {size} bytes, larger than the API server's request limit of {limit} bytes"
            ),
            ErrorKind::TooDeep { limit } => {
                write!(f, "nesting is deeper than {limit} levels")
            }
            ErrorKind::ExcessiveAliasing => f.write_str("document contains excessive aliasing"),
            ErrorKind::DuplicateKey { key } => {
                write!(
                    f,
                    "duplicate key {}: each key may appear once",
                    go_quote(key)
                )
            }
            ErrorKind::UnsupportedKey { found } => {
                write!(f, "a mapping key must be a string, found {found}")
            }
            ErrorKind::TagMismatch { tag, value } => {
                write!(f, "cannot decode {} as a {tag}", go_quote(value))
            }
            ErrorKind::NonFiniteNumber { text } => write!(
                f,
                "unsupported value {text}: JSON cannot represent infinity or NaN"
            ),
            ErrorKind::NotAnObject { found } => {
                write!(f, "expected an object (a mapping), found {found}")
            }
            ErrorKind::MissingField { field } => write!(f, "{field} not set"),
            ErrorKind::UnknownKind { kind, suggestion } => {
                write!(f, "unknown kind {}", go_quote(kind))?;
                did_you_mean(f, *suggestion)?;
                write!(
                    f,
                    " (kinds are case-sensitive CamelCase; known kinds: {})",
                    KNOWN_KINDS.join(", ")
                )
            }
            ErrorKind::UnsupportedVersion {
                kind,
                api_version,
                served,
            } => write!(
                f,
                "no matches for kind {} in version {}: use apiVersion: {served}",
                go_quote(kind),
                go_quote(api_version)
            ),
            ErrorKind::InvalidApiVersion { api_version } => write!(
                f,
                "unexpected GroupVersion string {}: expected \"version\" or \"group/version\"",
                go_quote(api_version)
            ),
            ErrorKind::UnknownField {
                field, suggestion, ..
            } => {
                write!(f, "unknown field {}", go_quote(field))?;
                did_you_mean(f, *suggestion)
            }
            ErrorKind::WrongType { expected, found } => {
                write!(f, "invalid type: found {found}, expected {expected}")
            }
            ErrorKind::OutOfRange { value, expected } => {
                write!(f, "value {value} is out of range, expected {expected}")
            }
            ErrorKind::InvalidValue { message } => f.write_str(message),
        }
    }
}

/// One problem in a manifest (an error, or a warning in [`FieldValidation::Warn`] mode).
///
/// Printed as `document 1, line 3:13: spec.replicas: invalid type: ...`; the document number is
/// printed 1-based like lines, while [`ManifestError::document`] is the 0-based index.
///
/// [`FieldValidation::Warn`]: super::FieldValidation::Warn
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ManifestError {
    /// 0-based index of the document in the stream (`---`-separated YAML or concatenated JSON).
    pub document: usize,
    /// Where in the input the problem is.
    pub location: Location,
    /// The field, from the root of the stream document (`spec.replicas`, `items[1].kind`).
    pub path: FieldPath,
    /// What is wrong.
    pub kind: ErrorKind,
}

impl ManifestError {
    pub(crate) fn new(
        document: usize,
        location: Location,
        path: FieldPath,
        kind: ErrorKind,
    ) -> Self {
        ManifestError {
            document,
            location,
            path,
            kind,
        }
    }
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "document {}, line {}: ",
            self.document + 1,
            self.location
        )?;
        match &self.kind {
            // The path is the field itself, quoted as the API server quotes it.
            ErrorKind::UnknownField { suggestion, .. } => {
                write!(f, "unknown field {}", go_quote(&self.path.to_string()))?;
                did_you_mean(f, *suggestion)
            }
            // `kind not set`, as kubectl says it, under the object's own path if any.
            ErrorKind::MissingField { field } => {
                let mut parent = self.path.clone();
                if matches!(parent.segments().last(), Some(PathSegment::Field(f)) if f == field) {
                    parent.pop();
                }
                if !parent.is_root() {
                    write!(f, "{parent}: ")?;
                }
                write!(f, "{field} not set")
            }
            kind if self.path.is_root() => write!(f, "{kind}"),
            kind => write!(f, "{}: {kind}", self.path),
        }
    }
}

impl std::error::Error for ManifestError {}

/// Every problem that stopped a decode, in input order. Never empty.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DecodeError {
    errors: Vec<ManifestError>,
}

impl DecodeError {
    pub(crate) fn new(errors: Vec<ManifestError>) -> Self {
        DecodeError { errors }
    }

    /// The problems, in input order (by document, then line and column).
    #[must_use]
    pub fn errors(&self) -> &[ManifestError] {
        &self.errors
    }

    /// The problems, by value.
    #[must_use]
    pub fn into_errors(self) -> Vec<ManifestError> {
        self.errors
    }

    /// The first problem.
    #[must_use]
    pub fn first(&self) -> Option<&ManifestError> {
        self.errors.first()
    }

    /// The problems as kubectl prints them for a file, one `error:` line each:
    /// `error: error validating "pod.yaml": document 1, line 2:7: kind: unknown kind "pod", ...`.
    #[must_use]
    pub fn report(&self, source: &str) -> String {
        let mut out = String::new();
        for e in &self.errors {
            let verb = if e.kind.is_parse_error() {
                "error parsing"
            } else {
                "error validating"
            };
            out.push_str(&format!("error: {verb} {}: {e}\n", go_quote(source)));
        }
        out
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

/// Why an object could not be encoded. This crate's own types always encode; the variants exist
/// for values built by hand that JSON cannot represent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A `Serialize` implementation reported an error.
    #[error("cannot encode: {message}")]
    Serialize {
        /// The implementation's message.
        message: String,
    },
    /// A mapping key that is not a string or a number.
    #[error("cannot encode a mapping key of type {found}")]
    UnsupportedKey {
        /// What the key was.
        found: &'static str,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let text = "a: 1\nbé: 2\n";
        assert_eq!(Location::of_offset(text, 0), Location::new(1, 1));
        assert_eq!(Location::of_offset(text, 5), Location::new(2, 1));
        // "bé: " is 5 bytes but 4 characters.
        assert_eq!(Location::of_offset(text, 10), Location::new(2, 5));
        assert_eq!(Location::of_offset(text, 99), Location::new(3, 1));
        assert_eq!(Location::of_offset(text, 7), Location::new(2, 2));
    }
}
