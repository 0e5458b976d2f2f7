//! Manifests: YAML and JSON documents decoded into typed objects and encoded back.
//!
//! [`decode`] reads what `kubectl apply -f` reads: one or many YAML documents separated by
//! `---`, or a stream of JSON objects (recognised by a first `{` or `[`), with `List` objects
//! expanded into their items. Pods, ReplicaSets, ReplicationControllers and Deployments become
//! typed objects; every other kind passes through as [`Object::Other`]. Nothing is lost: fields
//! this crate does not model are kept, in the order written, and [`encode_yaml`] /
//! [`encode_json`] write them back.
//!
//! Decoding is as strict as `kubectl apply` (whose `--validate` defaults to `strict`): fields
//! the Kubernetes v1.32 API does not define are errors, as are kinds in the wrong case and
//! known kinds under another `apiVersion`. [`DecodeOptions`] relaxes field validation to
//! warnings or nothing, as `--validate=warn|ignore` does. Every problem comes back as a
//! [`ManifestError`] naming the document, line, column and field path:
//!
//! ```
//! use kube_workloads::manifest::{self, ErrorKind};
//!
//! let text = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web\nspec:\n  replicas: \"3\"\n";
//! let err = manifest::decode(text).unwrap_err();
//! let e = &err.errors()[0];
//! assert_eq!(e.path.to_string(), "spec.replicas");
//! assert!(matches!(e.kind, ErrorKind::WrongType { .. }));
//! assert_eq!(
//!     e.to_string(),
//!     "document 1, line 6:13: spec.replicas: invalid type: found string \"3\", expected int32"
//! );
//! ```
//!
//! # How input is read
//! As kubectl reads it, with these rules:
//! - **Streams.** A line starting with `---` separates YAML documents when only spaces or a
//!   comment follow it (anything else is [`ErrorKind::InvalidSeparator`]); documents that hold
//!   nothing (comments, `null`) are skipped. JSON input holds one or more objects one after
//!   another. A UTF-8 byte-order mark is dropped; UTF-16 with a byte-order mark is decoded.
//! - **YAML 1.1 scalars**, as go-yaml v2 reads them for kubectl: `yes`, `on`, `y` are
//!   booleans, `0644` is octal, `1_000` and `0x1F` are integers, a float with no fraction is an
//!   integer (`3.0` is sent as `3`), timestamps stay strings, `<<` merges mappings, and scalar
//!   keys become strings (`1: x` has the key `"1"`). `.inf` and `.nan` are errors, as JSON
//!   cannot carry them.
//! - **Lists.** `kind: List` (and `PodList` and the like) is expanded into its items; items of
//!   a typed list that carry neither `kind` nor `apiVersion` take them from the list.
//! - **Kinds** are case-sensitive: Pod and ReplicationController in `v1`, ReplicaSet and
//!   Deployment in `apps/v1`. Other CamelCase kinds pass through untouched.
//!
//! # Deliberate differences from kubectl
//! - Every problem in every document is reported, with its document, line, column and field
//!   path; kubectl stops at the first document that fails and often at the first problem.
//! - Duplicate keys are always errors (go-yaml v2 keeps the last one unless it reads strictly;
//!   the API server rejects them under strict field validation).
//! - Aliases are expanded under go-yaml's guard against alias bombs (at most 99% of a
//!   document's nodes may come from aliases, falling to 10% for documents of millions of
//!   nodes), and copying anchored nodes is bounded as well. Nesting is limited to
//!   [`MAX_DEPTH`] levels in YAML and JSON alike; a document may not exceed
//!   [`MAX_DOCUMENT_BYTES`], the API server's request limit.
//! - `!!binary` values are kept as their base64 text.
//! - Strict field validation covers the structs this crate models (Pod, ReplicaSet,
//!   ReplicationController, Deployment and everything they contain down to containers, ports,
//!   statuses and conditions). The contents of unmodelled fields (volumes, probes, ...) and of
//!   [`Object::Other`] kinds are kept but not checked, since they would need the full OpenAPI
//!   schema.
//! - With [`FieldValidation::Ignore`], unknown fields are kept (and written back), where the
//!   API server would drop them.

mod encode;
mod error;
mod json;
mod locate;
mod object;
mod pipeline;
pub(crate) mod scalar;
mod split;
mod typed;
mod yaml;

pub use error::{DecodeError, EncodeError, ErrorKind, KNOWN_KINDS, Location, ManifestError};
pub use locate::locate;
pub use object::{Document, Object, OtherObject};

use std::borrow::Cow;

use crate::validation::field::FieldPath;
use crate::value::{Mapping, Value};

/// The largest document accepted: the API server's request size limit, 3 MiB.
pub const MAX_DOCUMENT_BYTES: usize = 3 * 1024 * 1024;

/// The deepest nesting of mappings and lists accepted (serde_json's default limit).
pub const MAX_DEPTH: usize = 128;

/// The text format of a manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// YAML, possibly several documents separated by `---`.
    Yaml,
    /// JSON, possibly several objects one after another.
    Json,
}

/// What to do with fields the Kubernetes API does not define (kubectl's `--validate`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldValidation {
    /// Unknown fields are errors (kubectl's default, `--validate=strict`).
    #[default]
    Strict,
    /// Unknown fields are reported in [`Document::warnings`] (`--validate=warn`).
    Warn,
    /// Unknown fields are kept without comment (`--validate=ignore`).
    Ignore,
}

/// How [`decode_with`] treats its input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DecodeOptions {
    /// Unknown fields: errors, warnings or nothing.
    pub field_validation: FieldValidation,
}

/// Decodes every object of a YAML or JSON manifest with strict field validation.
///
/// Empty documents are skipped; an input with no object at all is an error. On failure,
/// every problem found in every document is returned.
pub fn decode(input: impl AsRef<[u8]>) -> Result<Vec<Document>, DecodeError> {
    decode_with(input, &DecodeOptions::default())
}

/// Decodes every object of a YAML or JSON manifest.
pub fn decode_with(
    input: impl AsRef<[u8]>,
    options: &DecodeOptions,
) -> Result<Vec<Document>, DecodeError> {
    let bytes = input.as_ref();
    let text = match split::text(bytes) {
        Ok(text) => text,
        Err(offset) => return Err(DecodeError::new(vec![invalid_utf8(bytes, offset)])),
    };
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    match split::format_of(&text) {
        Format::Json => json::decode(&text, options.field_validation, &mut docs, &mut errors),
        Format::Yaml => decode_yaml(&text, options.field_validation, &mut docs, &mut errors),
    }
    if errors.is_empty() && docs.is_empty() {
        errors.push(ManifestError::new(
            0,
            Location::START,
            FieldPath::root(),
            ErrorKind::Empty,
        ));
    }
    if errors.is_empty() {
        Ok(docs)
    } else {
        errors.sort_by_key(|e| (e.document, e.location));
        Err(DecodeError::new(errors))
    }
}

/// Every document of a manifest as an untyped tree, exactly as kubectl converts it to JSON
/// (YAML 1.1 scalars, merges and aliases resolved), before any kind, version or field checks.
/// Empty documents are skipped; `List`s are not expanded.
pub fn decode_values(input: impl AsRef<[u8]>) -> Result<Vec<Value>, DecodeError> {
    let bytes = input.as_ref();
    let text = match split::text(bytes) {
        Ok(text) => text,
        Err(offset) => return Err(DecodeError::new(vec![invalid_utf8(bytes, offset)])),
    };
    let mut values = Vec::new();
    let mut errors = Vec::new();
    match split::format_of(&text) {
        Format::Json => json::values(&text, &mut values, &mut errors),
        Format::Yaml => {
            let (chunks, bad_separator) = split::chunks(&text);
            for chunk in chunks {
                let index = values.len() + errors.len();
                if chunk.text.len() > MAX_DOCUMENT_BYTES {
                    errors.push(ManifestError::new(
                        index,
                        Location::new(chunk.line_offset + 1, 1),
                        FieldPath::root(),
                        ErrorKind::TooLarge {
                            size: chunk.text.len(),
                            limit: MAX_DOCUMENT_BYTES,
                        },
                    ));
                    continue;
                }
                match yaml::load(chunk.text, chunk.line_offset) {
                    Ok(None) => {}
                    Ok(Some(loaded)) => values.push(loaded.value),
                    Err(e) => errors.push(ManifestError::new(index, e.location, e.path, e.kind)),
                }
            }
            if let Some(bad) = bad_separator {
                let index = values.len() + errors.len();
                errors.push(ManifestError::new(
                    index,
                    bad.location,
                    FieldPath::root(),
                    bad.kind,
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(DecodeError::new(errors))
    }
}

/// Decodes a manifest and keeps only the objects.
pub fn decode_objects(input: impl AsRef<[u8]>) -> Result<Vec<Object>, DecodeError> {
    Ok(decode(input)?.into_iter().map(|d| d.object).collect())
}

fn decode_yaml(
    text: &str,
    validation: FieldValidation,
    docs: &mut Vec<Document>,
    errors: &mut Vec<ManifestError>,
) {
    let (chunks, bad_separator) = split::chunks(text);
    let root = FieldPath::root();
    let mut index = 0;
    for chunk in chunks {
        let start = Location::new(chunk.line_offset + 1, 1);
        if chunk.text.len() > MAX_DOCUMENT_BYTES {
            let blank = chunk.text.lines().all(|l| {
                let t = l.trim_start();
                t.is_empty() || t.starts_with('#')
            });
            if !blank {
                errors.push(ManifestError::new(
                    index,
                    start,
                    root.clone(),
                    ErrorKind::TooLarge {
                        size: chunk.text.len(),
                        limit: MAX_DOCUMENT_BYTES,
                    },
                ));
                index += 1;
            }
            continue;
        }
        match yaml::load(chunk.text, chunk.line_offset) {
            Ok(None) => continue,
            Ok(Some(loaded)) => {
                let ctx = pipeline::DocContext {
                    index,
                    locator: pipeline::Locator::Yaml(chunk),
                    start: loaded.start,
                    validation,
                };
                let (e0, d0) = (errors.len(), docs.len());
                pipeline::objects(&ctx, Cow::Owned(loaded.value), &root, docs, errors);
                ctx.locate(
                    errors.get_mut(e0..).unwrap_or_default(),
                    docs.get_mut(d0..).unwrap_or_default(),
                );
            }
            Err(e) => errors.push(ManifestError::new(index, e.location, e.path, e.kind)),
        }
        index += 1;
    }
    if let Some(bad) = bad_separator {
        errors.push(ManifestError::new(index, bad.location, root, bad.kind));
    }
}

/// The error for input that is not text; the document index counts the documents before it.
fn invalid_utf8(bytes: &[u8], offset: usize) -> ManifestError {
    let skip = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    let prefix = bytes
        .get(skip..offset)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("");
    let (chunks, _) = split::chunks(prefix);
    let document = match chunks.split_last() {
        Some((last, before)) => {
            let before = before
                .iter()
                .filter(|c| !locate::yaml_chunk_is_empty(c.text))
                .count();
            if last.offset + last.text.len() == prefix.len() {
                before
            } else {
                before + usize::from(!locate::yaml_chunk_is_empty(last.text))
            }
        }
        None => 0,
    };
    ManifestError::new(
        document,
        Location::of_offset(prefix, prefix.len()),
        FieldPath::root(),
        ErrorKind::InvalidUtf8 { offset },
    )
}

/// Encodes objects as a YAML stream, documents separated by `---`.
pub fn encode_yaml(objects: &[Object]) -> Result<String, EncodeError> {
    let mut out = String::new();
    for (i, o) in objects.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&o.encode(Format::Yaml)?);
    }
    Ok(out)
}

/// Encodes objects as `kubectl get -o json` prints them: one object as itself, several (or
/// none) wrapped in a `v1` `List`.
pub fn encode_json(objects: &[Object]) -> Result<String, EncodeError> {
    if let [one] = objects {
        return one.encode(Format::Json);
    }
    let items = objects
        .iter()
        .map(Object::to_value)
        .collect::<Result<Vec<_>, _>>()?;
    let mut list = Mapping::new();
    list.insert("apiVersion".to_owned(), Value::from("v1"));
    list.insert("items".to_owned(), Value::Sequence(items));
    list.insert("kind".to_owned(), Value::from("List"));
    let mut meta = Mapping::new();
    meta.insert("resourceVersion".to_owned(), Value::from(""));
    list.insert("metadata".to_owned(), Value::Mapping(meta));
    Ok(encode::json(&Value::Mapping(list)))
}

/// Encodes a [`Value`] tree as YAML in kubectl's style (see [`encode_yaml`]).
#[must_use]
pub fn value_to_yaml(value: &Value) -> String {
    encode::yaml(value)
}

/// Encodes a [`Value`] tree as JSON in `kubectl -o json`'s style (see [`encode_json`]).
#[must_use]
pub fn value_to_json(value: &Value) -> String {
    encode::json(value)
}
