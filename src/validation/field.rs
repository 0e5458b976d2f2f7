//! Field paths and field errors, shaped and printed as the API server prints them.
//!
//! One error prints as `<path>: <type text>[: <bad value>][: <detail>]`, for example
//! `spec.template.spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"`.

use std::borrow::Cow;
use std::fmt;

/// One step of a [`FieldPath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSegment {
    /// A struct field, by its JSON name (`spec`, `containerPort`).
    Field(Cow<'static, str>),
    /// A list index (`[1]`).
    Index(usize),
    /// A map key (`[app]`).
    Key(String),
}

/// A path from the object root to a field: `spec.template.spec.containers[0].ports[1]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(Vec<PathSegment>);

impl FieldPath {
    /// The empty path (the object itself).
    #[must_use]
    pub const fn root() -> Self {
        FieldPath(Vec::new())
    }

    /// Parses the dotted form (`spec.template.spec.containers[1].name`); map keys in brackets
    /// that are not numbers become [`PathSegment::Key`].
    #[must_use]
    pub fn parse(path: &str) -> Self {
        let mut out = FieldPath::root();
        for part in path.split('.').filter(|p| !p.is_empty()) {
            let (name, mut rest) = match part.find('[') {
                Some(i) => part.split_at(i),
                None => (part, ""),
            };
            if !name.is_empty() {
                out.0.push(PathSegment::Field(Cow::Owned(name.to_owned())));
            }
            while let Some(stripped) = rest.strip_prefix('[') {
                let end = stripped.find(']').unwrap_or(stripped.len());
                let inner = &stripped[..end];
                out.0.push(match inner.parse::<usize>() {
                    Ok(i) => PathSegment::Index(i),
                    Err(_) => PathSegment::Key(inner.to_owned()),
                });
                rest = stripped.get(end + 1..).unwrap_or("");
            }
        }
        out
    }

    /// This path extended by a struct field.
    #[must_use]
    pub fn child(&self, name: impl Into<Cow<'static, str>>) -> Self {
        let mut p = self.clone();
        p.0.push(PathSegment::Field(name.into()));
        p
    }

    /// This path extended by a list index.
    #[must_use]
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(PathSegment::Index(i));
        p
    }

    /// This path extended by a map key.
    #[must_use]
    pub fn key(&self, k: impl Into<String>) -> Self {
        let mut p = self.clone();
        p.0.push(PathSegment::Key(k.into()));
        p
    }

    /// Appends a segment in place.
    pub fn push(&mut self, segment: PathSegment) {
        self.0.push(segment);
    }

    /// Removes the last segment in place.
    pub fn pop(&mut self) -> Option<PathSegment> {
        self.0.pop()
    }

    /// The segments, root first.
    #[must_use]
    pub fn segments(&self) -> &[PathSegment] {
        &self.0
    }

    /// True for the root path.
    #[must_use]
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                PathSegment::Field(name) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                PathSegment::Index(i) => write!(f, "[{i}]")?,
                PathSegment::Key(k) => write!(f, "[{k}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// The kind of a [`FieldError`], spelled as upstream's `field.ErrorType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorType {
    /// `Required value`: a needed field is missing or empty.
    Required,
    /// `Invalid value`: malformed or out of range.
    Invalid,
    /// `Unsupported value`: not one of an enumerated set.
    NotSupported,
    /// `Duplicate value`: must be unique.
    Duplicate,
    /// `Forbidden`: may not be set here.
    Forbidden,
    /// `Too long`: longer than allowed.
    TooLong,
    /// `Too many`: more items than allowed.
    TooMany,
    /// `Not found`: refers to something that does not exist.
    NotFound,
    /// `Internal error`.
    Internal,
}

impl ErrorType {
    /// The text upstream prints for this type (`Invalid value`).
    #[must_use]
    pub fn text(self) -> &'static str {
        match self {
            ErrorType::Required => "Required value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::NotFound => "Not found",
            ErrorType::Internal => "Internal error",
        }
    }

    /// The `StatusCause` type the API server reports (`FieldValueInvalid`).
    #[must_use]
    pub fn cause_type(self) -> &'static str {
        match self {
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::Internal => "InternalError",
        }
    }
}

/// The offending value of a [`FieldError`], printed as Go prints it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BadValue {
    /// A string, printed quoted (`"Web"`).
    Str(String),
    /// An integer, printed plain (`-1`).
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A value already rendered the way upstream renders it (Go `%#v` of a map or struct,
    /// for example `map[string]string{"app":"web"}`).
    Rendered(String),
    /// A nil pointer, printed `null`.
    Null,
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadValue::Str(s) => write!(f, "{}", go_quote(s)),
            BadValue::Int(i) => write!(f, "{i}"),
            BadValue::Bool(b) => write!(f, "{b}"),
            BadValue::Rendered(s) => f.write_str(s),
            BadValue::Null => f.write_str("null"),
        }
    }
}

/// Quotes a string as Go's `%q` does for the printable text found in manifests.
#[must_use]
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let code = u32::from(c);
                if code < 0x80 {
                    out.push_str(&format!("\\x{code:02x}"));
                } else {
                    out.push_str(&format!("\\u{code:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One validation failure at one field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FieldError {
    /// Where the problem is.
    pub path: FieldPath,
    /// What kind of problem it is.
    pub error_type: ErrorType,
    /// The offending value, when upstream prints one.
    pub bad_value: Option<BadValue>,
    /// Upstream's explanation (may be empty).
    pub detail: String,
}

impl FieldError {
    /// `Required value`, with an optional detail.
    #[must_use]
    pub fn required(path: FieldPath, detail: impl Into<String>) -> Self {
        FieldError {
            path,
            error_type: ErrorType::Required,
            bad_value: None,
            detail: detail.into(),
        }
    }

    /// `Invalid value: <value>: <detail>`.
    #[must_use]
    pub fn invalid(path: FieldPath, value: BadValue, detail: impl Into<String>) -> Self {
        FieldError {
            path,
            error_type: ErrorType::Invalid,
            bad_value: Some(value),
            detail: detail.into(),
        }
    }

    /// `Unsupported value: <value>: supported values: "A", "B"`.
    #[must_use]
    pub fn not_supported(path: FieldPath, value: BadValue, supported: &[&str]) -> Self {
        let detail = if supported.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        FieldError {
            path,
            error_type: ErrorType::NotSupported,
            bad_value: Some(value),
            detail,
        }
    }

    /// `Duplicate value: <value>`.
    #[must_use]
    pub fn duplicate(path: FieldPath, value: BadValue) -> Self {
        FieldError {
            path,
            error_type: ErrorType::Duplicate,
            bad_value: Some(value),
            detail: String::new(),
        }
    }

    /// `Forbidden: <detail>`.
    #[must_use]
    pub fn forbidden(path: FieldPath, detail: impl Into<String>) -> Self {
        FieldError {
            path,
            error_type: ErrorType::Forbidden,
            bad_value: None,
            detail: detail.into(),
        }
    }

    /// `Too long: may not be more than <max> bytes` style errors.
    #[must_use]
    pub fn too_long(path: FieldPath, detail: impl Into<String>) -> Self {
        FieldError {
            path,
            error_type: ErrorType::TooLong,
            bad_value: None,
            detail: detail.into(),
        }
    }

    /// The text after the path (`Invalid value: -1: must be greater than or equal to 0`), which
    /// is what the API server puts in a `StatusCause` message.
    #[must_use]
    pub fn message(&self) -> String {
        let mut s = self.error_type.text().to_owned();
        if let Some(v) = &self.bad_value {
            if !matches!(
                self.error_type,
                ErrorType::Required | ErrorType::Forbidden | ErrorType::TooLong
            ) {
                s.push_str(": ");
                s.push_str(&v.to_string());
            }
        }
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message())
    }
}

impl std::error::Error for FieldError {}

/// Every error found in one object, in the order the checks ran.
pub type FieldErrors = Vec<FieldError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_like_upstream() {
        let p = FieldPath::root()
            .child("spec")
            .child("template")
            .child("spec")
            .child("containers")
            .index(1)
            .child("ports")
            .index(0)
            .child("hostPort");
        assert_eq!(
            p.to_string(),
            "spec.template.spec.containers[1].ports[0].hostPort"
        );
        assert_eq!(FieldPath::parse(&p.to_string()), p);
        assert_eq!(
            FieldPath::root()
                .child("metadata")
                .child("labels")
                .key("app")
                .to_string(),
            "metadata.labels[app]"
        );
    }

    #[test]
    fn errors_print_like_upstream() {
        let e = FieldError::invalid(
            FieldPath::parse("spec.replicas"),
            BadValue::Int(-1),
            "must be greater than or equal to 0",
        );
        assert_eq!(
            e.to_string(),
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
        let e = FieldError::not_supported(
            FieldPath::parse("spec.template.spec.restartPolicy"),
            BadValue::Str("OnFailure".into()),
            &["Always"],
        );
        assert_eq!(
            e.to_string(),
            "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""
        );
        let e = FieldError::required(FieldPath::parse("spec.selector"), "");
        assert_eq!(e.to_string(), "spec.selector: Required value");
        let e = FieldError::duplicate(
            FieldPath::parse("spec.template.spec.containers[1].ports[0].hostPort"),
            BadValue::Str("TCP//8080".into()),
        );
        assert_eq!(
            e.to_string(),
            "spec.template.spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\""
        );
    }
}
