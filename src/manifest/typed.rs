//! Typed objects read out of a [`Value`] with structured errors that know their field path.
//!
//! The path costs nothing on success: each map or list access adds its key or index to an
//! error only while the error travels back up.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Unexpected};

use super::error::ErrorKind;
use crate::validation::field::{FieldPath, PathSegment};
use crate::value::{TreeError, Value, ValueDeserializer};

/// A typed-decoding failure: what went wrong, and where (segments collected leaf first).
#[derive(Debug)]
pub(crate) struct TypedError {
    pub(crate) kind: ErrorKind,
    rev_path: Vec<PathSegment>,
}

impl TypedError {
    /// The path from the decoded value's root.
    pub(crate) fn path(&self) -> FieldPath {
        let mut p = FieldPath::root();
        for seg in self.rev_path.iter().rev() {
            p.push(seg.clone());
        }
        p
    }

    fn at(mut self, seg: PathSegment) -> Self {
        self.rev_path.push(seg);
        self
    }
}

impl fmt::Display for TypedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path(), self.kind)
    }
}

impl std::error::Error for TypedError {}

/// Names Rust's primitive expectations the way Kubernetes' API documents them.
fn expected_name(exp: &dyn de::Expected) -> String {
    let s = exp.to_string();
    match s.as_str() {
        "i8" | "i16" | "i32" | "u8" | "u16" => "int32".to_owned(),
        "i64" | "u32" | "u64" => "int64".to_owned(),
        "a boolean" | "bool" => "boolean".to_owned(),
        "f32" | "f64" => "number".to_owned(),
        _ => s,
    }
}

fn found_name(u: &Unexpected<'_>) -> String {
    match u {
        Unexpected::Bool(b) => format!("boolean {b}"),
        Unexpected::Unsigned(n) => format!("integer {n}"),
        Unexpected::Signed(n) => format!("integer {n}"),
        Unexpected::Float(n) => format!("number {n}"),
        Unexpected::Char(c) => format!(
            "string {}",
            crate::validation::field::go_quote(&c.to_string())
        ),
        Unexpected::Str(s) => format!("string {}", crate::validation::field::go_quote(s)),
        Unexpected::Unit => "null".to_owned(),
        Unexpected::Seq => "list".to_owned(),
        Unexpected::Map => "mapping".to_owned(),
        other => other.to_string(),
    }
}

impl de::Error for TypedError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        let message = msg.to_string();
        // The API types report repeated keys with these words (see `api::macros`).
        let kind = match message
            .strip_prefix("duplicate field `")
            .and_then(|r| r.strip_suffix('`'))
        {
            Some(key) => ErrorKind::DuplicateKey {
                key: key.to_owned(),
            },
            None => ErrorKind::InvalidValue { message },
        };
        TypedError {
            kind,
            rev_path: Vec::new(),
        }
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        TypedError {
            kind: ErrorKind::WrongType {
                expected: expected_name(exp),
                found: found_name(&unexp),
            },
            rev_path: Vec::new(),
        }
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        let kind = match unexp {
            Unexpected::Signed(n) => ErrorKind::OutOfRange {
                value: n.to_string(),
                expected: expected_name(exp),
            },
            Unexpected::Unsigned(n) => ErrorKind::OutOfRange {
                value: n.to_string(),
                expected: expected_name(exp),
            },
            other => ErrorKind::InvalidValue {
                message: format!("invalid value: {}, expected {}", found_name(&other), exp),
            },
        };
        TypedError {
            kind,
            rev_path: Vec::new(),
        }
    }

    fn duplicate_field(field: &'static str) -> Self {
        TypedError {
            kind: ErrorKind::DuplicateKey {
                key: field.to_owned(),
            },
            rev_path: Vec::new(),
        }
    }
}

impl TreeError for TypedError {
    const WHOLE_LISTS: bool = false;
    fn in_field(self, key: &str) -> Self {
        self.at(PathSegment::Field(Cow::Owned(key.to_owned())))
    }
    fn in_item(self, index: usize) -> Self {
        self.at(PathSegment::Index(index))
    }
}

/// Reads `T` out of `value`.
pub(crate) fn from_value<'a, T: Deserialize<'a>>(value: &'a Value) -> Result<T, TypedError> {
    T::deserialize(ValueDeserializer::new(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ReplicaSet;

    fn rs_error(json: &str) -> TypedError {
        let v: Value = serde_json::from_str(json).unwrap();
        from_value::<ReplicaSet>(&v).unwrap_err()
    }

    #[test]
    fn wrong_types_and_ranges_have_paths() {
        let e = rs_error(r#"{"spec": {"replicas": "3"}}"#);
        assert_eq!(e.path().to_string(), "spec.replicas");
        assert_eq!(
            e.kind,
            ErrorKind::WrongType {
                expected: "int32".into(),
                found: "string \"3\"".into()
            }
        );
        let e = rs_error(r#"{"spec": {"replicas": 99999999999}}"#);
        assert_eq!(
            e.kind,
            ErrorKind::OutOfRange {
                value: "99999999999".into(),
                expected: "int32".into()
            }
        );
        let e = rs_error(
            r#"{"spec": {"template": {"spec": {"containers": [{"name": "a"}, {"ports": [{"containerPort": true}]}]}}}}"#,
        );
        assert_eq!(
            e.path().to_string(),
            "spec.template.spec.containers[1].ports[0].containerPort"
        );
        let e = rs_error(r#"{"metadata": {"creationTimestamp": "yesterday"}}"#);
        assert_eq!(e.path().to_string(), "metadata.creationTimestamp");
        assert!(matches!(e.kind, ErrorKind::InvalidValue { .. }));
    }
}
