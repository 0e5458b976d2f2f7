//! One document's [`Value`] to objects: kind and version checks, `List` expansion, typed
//! decoding and strict field validation.

use std::borrow::Cow;

use serde::Deserialize;

use super::error::{ErrorKind, KNOWN_KINDS, Location, ManifestError};
use super::locate::{self, PathIndex, Target};
use super::object::{Document, Object, OtherObject};
use super::split::Chunk;
use super::typed;
use super::{FieldValidation, Format};
use crate::api::{Deployment, Pod, ReplicaSet, ReplicationController, UnknownField, suggest};
use crate::validation::field::FieldPath;
use crate::value::Value;

/// Finds locations in the text one document came from.
#[derive(Clone, Copy)]
pub(crate) enum Locator<'a> {
    /// A `---`-separated YAML chunk.
    Yaml(Chunk<'a>),
    /// A JSON value starting at a byte offset of the whole text.
    Json {
        /// The whole input.
        text: &'a str,
        /// Where the value starts.
        start: usize,
    },
}

impl Locator<'_> {
    /// Indexes the nodes on the way to `paths`, in one pass over the document.
    fn index(&self, paths: &[&FieldPath]) -> PathIndex {
        match self {
            Locator::Yaml(chunk) => locate::index_yaml(chunk, paths),
            Locator::Json { text, start } => locate::index_json(text, *start, paths),
        }
    }

    fn format(&self) -> Format {
        match self {
            Locator::Yaml(_) => Format::Yaml,
            Locator::Json { .. } => Format::Json,
        }
    }
}

/// Which end of a field an error points at: the value for what is wrong with a value, the
/// key for fields that are unknown, repeated or missing.
fn target_of(kind: &ErrorKind) -> Target {
    match kind {
        ErrorKind::WrongType { .. }
        | ErrorKind::OutOfRange { .. }
        | ErrorKind::InvalidValue { .. }
        | ErrorKind::UnknownKind { .. }
        | ErrorKind::UnsupportedVersion { .. }
        | ErrorKind::InvalidApiVersion { .. } => Target::Value,
        _ => Target::Key,
    }
}

/// Everything needed to turn one stream document into objects.
pub(crate) struct DocContext<'a> {
    pub(crate) index: usize,
    pub(crate) locator: Locator<'a>,
    /// Where the document starts, for problems that cannot be located more precisely.
    pub(crate) start: Location,
    pub(crate) validation: FieldValidation,
}

impl DocContext<'_> {
    /// An error at `path`, placed at the document start until [`DocContext::locate`] runs.
    fn error(&self, path: FieldPath, kind: ErrorKind) -> ManifestError {
        ManifestError::new(self.index, self.start, path, kind)
    }

    /// Turns unknown fields into errors (strict) or warnings (warn).
    pub(crate) fn unknown_fields(
        &self,
        prefix: &FieldPath,
        unknown: Vec<UnknownField>,
        errors: &mut Vec<ManifestError>,
        warnings: &mut Vec<ManifestError>,
    ) {
        let sink = match self.validation {
            FieldValidation::Strict => errors,
            FieldValidation::Warn => warnings,
            FieldValidation::Ignore => return,
        };
        for u in unknown {
            let kind = ErrorKind::UnknownField {
                field: u.field,
                suggestion: u.suggestion,
                type_name: u.type_name,
            };
            sink.push(self.error(join(prefix, &u.path), kind));
        }
    }

    pub(crate) fn document(
        &self,
        path: FieldPath,
        object: Object,
        warnings: Vec<ManifestError>,
    ) -> Document {
        Document {
            index: self.index,
            path,
            location: self.start,
            format: self.locator.format(),
            object,
            warnings,
        }
    }

    /// Gives the errors and the documents (list items, warnings) this document produced their
    /// lines and columns, finding them all in one pass over the text.
    pub(crate) fn locate(&self, errors: &mut [ManifestError], docs: &mut [Document]) {
        let mut paths: Vec<&FieldPath> = errors.iter().map(|e| &e.path).collect();
        for d in docs.iter() {
            if !d.path.is_root() {
                paths.push(&d.path);
            }
            paths.extend(d.warnings.iter().map(|w| &w.path));
        }
        if paths.is_empty() {
            return;
        }
        let index = self.locator.index(&paths);
        let at = |path: &FieldPath, target| index.get(path, target).unwrap_or(self.start);
        for e in errors.iter_mut() {
            e.location = at(&e.path, target_of(&e.kind));
        }
        for d in docs.iter_mut() {
            if !d.path.is_root() {
                d.location = at(&d.path, Target::Key);
            }
            for w in &mut d.warnings {
                w.location = at(&w.path, Target::Key);
            }
            d.warnings.sort_by_key(|w| w.location);
        }
    }
}

/// `prefix` followed by `path`.
pub(crate) fn join(prefix: &FieldPath, path: &FieldPath) -> FieldPath {
    let mut p = prefix.clone();
    for seg in path.segments() {
        p.push(seg.clone());
    }
    p
}

/// How a `kind` is handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KindClass {
    /// One of the modelled kinds, spelled exactly.
    Known(&'static str),
    /// A kind passed through as [`Object::Other`].
    Other,
    /// Wrong case or not CamelCase; with the known kind it matches ignoring case.
    Invalid(Option<&'static str>),
}

/// Classifies a non-empty `kind`.
pub(crate) fn classify(kind: &str) -> KindClass {
    if let Some(k) = KNOWN_KINDS.iter().find(|k| **k == kind) {
        return KindClass::Known(k);
    }
    let insensitive = KNOWN_KINDS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(kind))
        .copied();
    if insensitive.is_some() || !kind.starts_with(|c: char| c.is_ascii_uppercase()) {
        return KindClass::Invalid(insensitive);
    }
    KindClass::Other
}

/// The `apiVersion` served for a known kind.
pub(crate) fn served_version(kind: &str) -> &'static str {
    match kind {
        "ReplicaSet" | "Deployment" => "apps/v1",
        _ => "v1",
    }
}

/// `apiVersion` syntax as `schema.ParseGroupVersion` accepts it: `version` or `group/version`.
pub(crate) fn valid_group_version(s: &str) -> bool {
    s.matches('/').count() <= 1
}

/// Every field a top-level object of a known kind may have.
fn top_level_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "Pod" => Pod::API_FIELDS,
        "ReplicaSet" => ReplicaSet::API_FIELDS,
        "ReplicationController" => ReplicationController::API_FIELDS,
        "Deployment" => Deployment::API_FIELDS,
        _ => &["apiVersion", "kind", "metadata"],
    }
}

/// A string field of the root mapping: `Ok(None)` when absent, null or empty.
fn string_field<'v>(
    ctx: &DocContext<'_>,
    map: &'v crate::value::Mapping,
    prefix: &FieldPath,
    name: &'static str,
    errors: &mut Vec<ManifestError>,
) -> Option<&'v str> {
    match map.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            errors.push(ctx.error(
                prefix.child(name),
                ErrorKind::WrongType {
                    expected: "string".to_owned(),
                    found: other.type_name().to_owned(),
                },
            ));
            None
        }
    }
}

/// Decodes the object (or, for a list, the objects) in `value`, found at `prefix` of the
/// stream document.
pub(crate) fn objects(
    ctx: &DocContext<'_>,
    value: Cow<'_, Value>,
    prefix: &FieldPath,
    docs: &mut Vec<Document>,
    errors: &mut Vec<ManifestError>,
) {
    let Value::Mapping(map) = value.as_ref() else {
        errors.push(ctx.error(
            prefix.clone(),
            ErrorKind::NotAnObject {
                found: value.type_name(),
            },
        ));
        return;
    };
    let first_error = errors.len();
    let api_version = string_field(ctx, map, prefix, "apiVersion", errors);
    let kind = string_field(ctx, map, prefix, "kind", errors);
    if errors.len() > first_error {
        return;
    }

    // Lists (`List`, `PodList`, ...) are flattened, as kubectl does.
    if let (Some(kind), Some(items)) = (kind, map.get("items")) {
        if kind.ends_with("List") && !matches!(items, Value::Null) {
            list(ctx, kind, api_version, items, prefix, docs, errors);
            return;
        }
    }

    let class = kind.map(classify);
    let mut problems = Vec::new();
    // The fields to check keys against while the object cannot be decoded.
    let top_fields = match class {
        Some(KindClass::Known(k)) | Some(KindClass::Invalid(Some(k))) => top_level_fields(k),
        _ => top_level_fields(""),
    };
    let misspelt_api_version = map
        .keys()
        .any(|k| k != "apiVersion" && suggest(k, &["apiVersion"]).is_some());
    match (api_version, class) {
        // The misspelt key is reported as an unknown field, with the fix.
        (None, _) if misspelt_api_version && ctx.validation == FieldValidation::Strict => {}
        (None, _) => problems.push((
            prefix.child("apiVersion"),
            ErrorKind::MissingField {
                field: "apiVersion",
            },
        )),
        (Some(v), Some(KindClass::Known(k))) if v != served_version(k) => problems.push((
            prefix.child("apiVersion"),
            ErrorKind::UnsupportedVersion {
                kind: k,
                api_version: v.to_owned(),
                served: served_version(k),
            },
        )),
        (Some(v), _) if !valid_group_version(v) => problems.push((
            prefix.child("apiVersion"),
            ErrorKind::InvalidApiVersion {
                api_version: v.to_owned(),
            },
        )),
        _ => {}
    }

    match class {
        None => problems.push((
            prefix.child("kind"),
            ErrorKind::MissingField { field: "kind" },
        )),
        Some(KindClass::Invalid(suggestion)) => problems.push((
            prefix.child("kind"),
            ErrorKind::UnknownKind {
                kind: kind.unwrap_or_default().to_owned(),
                suggestion,
            },
        )),
        Some(KindClass::Known(_) | KindClass::Other) => {}
    }

    if !problems.is_empty() {
        // Report misspelt top-level fields too: the fix for `apiversion: v1` is in the key.
        let mut unknown = Vec::new();
        let modelled = matches!(
            class,
            Some(KindClass::Known(_)) | Some(KindClass::Invalid(Some(_)))
        );
        for key in map.keys() {
            if top_fields.contains(&key.as_str()) {
                continue;
            }
            let suggestion = suggest(key, top_fields);
            if modelled || suggestion.is_some() {
                unknown.push(UnknownField {
                    path: FieldPath::root().child(key.clone()),
                    field: key.clone(),
                    suggestion,
                    type_name: match class {
                        Some(KindClass::Known(k)) | Some(KindClass::Invalid(Some(k))) => k,
                        _ => "Object",
                    },
                });
            }
        }
        let mut sink = Vec::new();
        ctx.unknown_fields(prefix, unknown, errors, &mut sink);
        for (path, kind) in problems {
            errors.push(ctx.error(path, kind));
        }
        return;
    }

    let decoded = match class {
        Some(KindClass::Known("Pod")) => typed_object::<Pod>(&value).map(Object::Pod),
        Some(KindClass::Known("ReplicaSet")) => {
            typed_object::<ReplicaSet>(&value).map(Object::ReplicaSet)
        }
        Some(KindClass::Known("ReplicationController")) => {
            typed_object::<ReplicationController>(&value).map(Object::ReplicationController)
        }
        Some(KindClass::Known(_)) => typed_object::<Deployment>(&value).map(Object::Deployment),
        _ => Ok(Object::Other(OtherObject::from_value(value.into_owned()))),
    };
    match decoded {
        Ok(object) => {
            let mut warnings = Vec::new();
            let before = errors.len();
            ctx.unknown_fields(prefix, object.unknown_fields(), errors, &mut warnings);
            if errors.len() == before {
                docs.push(ctx.document(prefix.clone(), object, warnings));
            }
        }
        Err(e) => errors.push(ctx.error(join(prefix, &e.path()), e.kind)),
    }
}

fn typed_object<'v, T: Deserialize<'v>>(value: &'v Value) -> Result<T, typed::TypedError> {
    typed::from_value(value)
}

/// Expands the items of a list kind. Items of a typed list (`PodList`) that carry neither
/// `kind` nor `apiVersion` take them from the list, as kubectl's decoder does.
fn list(
    ctx: &DocContext<'_>,
    kind: &str,
    api_version: Option<&str>,
    items: &Value,
    prefix: &FieldPath,
    docs: &mut Vec<Document>,
    errors: &mut Vec<ManifestError>,
) {
    let items_path = prefix.child("items");
    let Value::Sequence(items) = items else {
        errors.push(ctx.error(
            items_path,
            ErrorKind::WrongType {
                expected: "list".to_owned(),
                found: items.type_name().to_owned(),
            },
        ));
        return;
    };
    let item_kind = kind.strip_suffix("List").unwrap_or("");
    for (i, item) in items.iter().enumerate() {
        let path = items_path.index(i);
        let untyped = |k: &str| item.get(k).is_none_or(Value::is_empty);
        let item = match (item, api_version) {
            (Value::Mapping(m), Some(v))
                if !item_kind.is_empty() && untyped("kind") && untyped("apiVersion") =>
            {
                let mut m = m.clone();
                m.insert("apiVersion".to_owned(), Value::from(v));
                m.insert("kind".to_owned(), Value::from(item_kind));
                Cow::Owned(Value::Mapping(m))
            }
            (item, _) => Cow::Borrowed(item),
        };
        objects(ctx, item, &path, docs, errors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_case_sensitive_camel_case() {
        assert_eq!(classify("Pod"), KindClass::Known("Pod"));
        assert_eq!(classify("pod"), KindClass::Invalid(Some("Pod")));
        assert_eq!(
            classify("DEPLOYMENT"),
            KindClass::Invalid(Some("Deployment"))
        );
        assert_eq!(classify("service"), KindClass::Invalid(None));
        assert_eq!(classify("Service"), KindClass::Other);
        assert_eq!(classify("1Pod"), KindClass::Invalid(None));
        assert!(valid_group_version("apps/v1"));
        assert!(!valid_group_version("a/b/c"));
    }
}
