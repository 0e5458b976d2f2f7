//! The error for a rejected object, printed as the API server and kubectl print it.

use std::fmt;

use crate::validation::field::{FieldError, go_quote};

/// The kinds this crate validates, with their API group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ObjectKind {
    /// `Pod` (core).
    Pod,
    /// `ReplicaSet` (apps).
    ReplicaSet,
    /// `ReplicationController` (core).
    ReplicationController,
    /// `Deployment` (apps).
    Deployment,
}

impl ObjectKind {
    /// The kind (`ReplicaSet`).
    #[must_use]
    pub fn kind(self) -> &'static str {
        match self {
            ObjectKind::Pod => "Pod",
            ObjectKind::ReplicaSet => "ReplicaSet",
            ObjectKind::ReplicationController => "ReplicationController",
            ObjectKind::Deployment => "Deployment",
        }
    }

    /// The API group (`apps`; empty for core).
    #[must_use]
    pub fn group(self) -> &'static str {
        match self {
            ObjectKind::Pod | ObjectKind::ReplicationController => "",
            ObjectKind::ReplicaSet | ObjectKind::Deployment => "apps",
        }
    }

    /// `schema.GroupKind.String()`: `ReplicaSet.apps`, or just `Pod` for core.
    #[must_use]
    pub fn qualified(self) -> String {
        match self.group() {
            "" => self.kind().to_owned(),
            g => format!("{}.{g}", self.kind()),
        }
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind())
    }
}

/// The distinct printed forms of `errors`, first occurrence first (upstream's
/// `ErrorList.ToAggregate`, which drops exact duplicates).
#[must_use]
pub fn unique_messages(errors: &[FieldError]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for e in errors {
        let s = e.to_string();
        if !seen.contains(&s) {
            seen.push(s);
        }
    }
    seen
}

/// Upstream's aggregate printing: one distinct error alone, several as `[e1, e2]`; empty for no
/// errors.
#[must_use]
pub fn aggregate_message(errors: &[FieldError]) -> String {
    match unique_messages(errors).as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    }
}

/// An object the API server rejects with `422 Unprocessable Entity` (reason `Invalid`).
///
/// `Display` is the API server's message, `ReplicaSet.apps "x" is invalid: <aggregate>`;
/// [`InvalidError::kubectl_message`] is what kubectl prints for it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct InvalidError {
    /// The kind of the rejected object.
    pub kind: ObjectKind,
    /// Its name (as sent; may be empty).
    pub name: String,
    /// Every error, in the order the checks ran (duplicates kept, as in upstream's list).
    pub errors: Vec<FieldError>,
}

/// One `StatusCause` of the API server's response.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StatusCause {
    /// `FieldValueInvalid`, `FieldValueRequired`, ...
    pub reason: &'static str,
    /// The text after the path (`Invalid value: -1: must be greater than or equal to 0`).
    pub message: String,
    /// The field path (`spec.replicas`).
    pub field: String,
}

impl InvalidError {
    /// The error for `kind`/`name` rejected with `errors`.
    #[must_use]
    pub fn new(kind: ObjectKind, name: impl Into<String>, errors: Vec<FieldError>) -> Self {
        InvalidError {
            kind,
            name: name.into(),
            errors,
        }
    }

    /// The response's `details.causes`: one per error, duplicates included.
    #[must_use]
    pub fn causes(&self) -> Vec<StatusCause> {
        self.errors
            .iter()
            .map(|e| StatusCause {
                reason: e.error_type.cause_type(),
                message: e.message(),
                field: e.path.to_string(),
            })
            .collect()
    }

    /// What kubectl writes to stderr, trailing newline included: for one distinct cause
    /// `The Deployment "zero" is invalid: <cause>`; for several, that header ending in `: `
    /// and then one `* <cause>` line per distinct cause.
    #[must_use]
    pub fn kubectl_message(&self) -> String {
        let header = if self.name.is_empty() && self.kind.kind().is_empty() {
            "The request is invalid".to_owned()
        } else {
            format!(
                "The {} {} is invalid",
                self.kind.kind(),
                go_quote(&self.name)
            )
        };
        let causes = unique_messages(&self.errors);
        match causes.as_slice() {
            [] => format!("{header}\n"),
            [one] => format!("{header}: {one}\n"),
            many => {
                let mut s = format!("{header}: \n");
                for c in many {
                    s.push_str("* ");
                    s.push_str(c);
                    s.push('\n');
                }
                s
            }
        }
    }
}

impl fmt::Display for InvalidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} is invalid",
            self.kind.qualified(),
            go_quote(&self.name)
        )?;
        if !self.errors.is_empty() {
            write!(f, ": {}", aggregate_message(&self.errors))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::field::{BadValue, FieldPath};

    fn e(path: &str, v: i64) -> FieldError {
        FieldError::invalid(
            FieldPath::parse(path),
            BadValue::Int(v),
            "must be greater than or equal to 0",
        )
    }

    #[test]
    fn kinds_print_with_their_group() {
        assert_eq!(ObjectKind::ReplicaSet.qualified(), "ReplicaSet.apps");
        assert_eq!(ObjectKind::Deployment.qualified(), "Deployment.apps");
        assert_eq!(
            ObjectKind::ReplicationController.qualified(),
            "ReplicationController"
        );
        assert_eq!(ObjectKind::Pod.qualified(), "Pod");
        assert_eq!(ObjectKind::Pod.to_string(), "Pod");
    }

    #[test]
    fn aggregates_drop_exact_duplicates() {
        let a = e("spec.replicas", -1);
        let b = e("spec.minReadySeconds", -1);
        assert_eq!(aggregate_message(&[]), "");
        assert_eq!(aggregate_message(&[a.clone(), a.clone()]), a.to_string());
        assert_eq!(
            aggregate_message(&[a.clone(), b.clone(), a.clone()]),
            format!("[{a}, {b}]")
        );
        let err = InvalidError::new(ObjectKind::ReplicaSet, "x", vec![]);
        assert_eq!(err.to_string(), "ReplicaSet.apps \"x\" is invalid");
        assert_eq!(err.kubectl_message(), "The ReplicaSet \"x\" is invalid\n");
        let err = InvalidError::new(ObjectKind::ReplicaSet, "x", vec![a.clone(), b.clone()]);
        assert_eq!(
            err.kubectl_message(),
            format!("The ReplicaSet \"x\" is invalid: \n* {a}\n* {b}\n")
        );
        let causes = err.causes();
        assert_eq!(
            causes[1].message,
            "Invalid value: -1: must be greater than or equal to 0"
        );
        assert_eq!(causes[1].field, "spec.minReadySeconds");
    }
}
