//! Decoded objects: the four workload kinds, typed, and every other kind passed through.

use crate::api::macros::any_unknown;
use crate::api::{ApiFields, Deployment, Pod, ReplicaSet, ReplicationController, UnknownField};
use crate::meta::{ObjectMeta, TypeMeta};
use crate::value::Value;

use super::Format;
use super::encode;
use super::error::{EncodeError, Location, ManifestError};
use crate::validation::field::FieldPath;

/// One object of a manifest.
///
/// The modelled kinds are stored inline (they are all of similar size; only the pass-through
/// variant is small), which saves an allocation per object.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum Object {
    /// A `v1` Pod.
    Pod(Pod),
    /// An `apps/v1` ReplicaSet.
    ReplicaSet(ReplicaSet),
    /// A `v1` ReplicationController.
    ReplicationController(ReplicationController),
    /// An `apps/v1` Deployment.
    Deployment(Deployment),
    /// Any other kind (Service, ConfigMap, ...), kept as written.
    Other(OtherObject),
}

/// An object of a kind this crate does not model, passed through untouched.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OtherObject {
    /// `apiVersion` and `kind`.
    pub type_meta: TypeMeta,
    /// `metadata.name` (empty when absent or not a string).
    pub name: String,
    /// `metadata.namespace` (empty when absent or not a string).
    pub namespace: String,
    /// The whole object as written, `apiVersion` and `kind` included.
    pub value: Value,
}

impl OtherObject {
    /// Wraps a mapping that has string `apiVersion` and `kind` fields.
    #[must_use]
    pub fn from_value(value: Value) -> OtherObject {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_owned();
        let meta = value.get("metadata");
        OtherObject {
            type_meta: TypeMeta {
                api_version: text(value.get("apiVersion")),
                kind: text(value.get("kind")),
            },
            name: text(meta.and_then(|m| m.get("name"))),
            namespace: text(meta.and_then(|m| m.get("namespace"))),
            value,
        }
    }
}

impl Object {
    /// The `kind` (`Deployment`, `Service`, ...).
    #[must_use]
    pub fn kind(&self) -> &str {
        match self {
            Object::Pod(_) => Pod::KIND,
            Object::ReplicaSet(_) => ReplicaSet::KIND,
            Object::ReplicationController(_) => ReplicationController::KIND,
            Object::Deployment(_) => Deployment::KIND,
            Object::Other(o) => &o.type_meta.kind,
        }
    }

    /// The `apiVersion` (`apps/v1`, ...).
    #[must_use]
    pub fn api_version(&self) -> &str {
        match self {
            Object::Pod(_) => Pod::API_VERSION,
            Object::ReplicaSet(_) => ReplicaSet::API_VERSION,
            Object::ReplicationController(_) => ReplicationController::API_VERSION,
            Object::Deployment(_) => Deployment::API_VERSION,
            Object::Other(o) => &o.type_meta.api_version,
        }
    }

    /// The typed metadata of a modelled kind; `None` for [`Object::Other`].
    #[must_use]
    pub fn metadata(&self) -> Option<&ObjectMeta> {
        match self {
            Object::Pod(o) => Some(&o.metadata),
            Object::ReplicaSet(o) => Some(&o.metadata),
            Object::ReplicationController(o) => Some(&o.metadata),
            Object::Deployment(o) => Some(&o.metadata),
            Object::Other(_) => None,
        }
    }

    /// Mutable typed metadata of a modelled kind; `None` for [`Object::Other`].
    pub fn metadata_mut(&mut self) -> Option<&mut ObjectMeta> {
        match self {
            Object::Pod(o) => Some(&mut o.metadata),
            Object::ReplicaSet(o) => Some(&mut o.metadata),
            Object::ReplicationController(o) => Some(&mut o.metadata),
            Object::Deployment(o) => Some(&mut o.metadata),
            Object::Other(_) => None,
        }
    }

    /// `metadata.name`.
    #[must_use]
    pub fn name(&self) -> &str {
        match (self, self.metadata()) {
            (_, Some(m)) => &m.name,
            (Object::Other(o), None) => &o.name,
            _ => "",
        }
    }

    /// `metadata.namespace` (empty means the caller's default namespace).
    #[must_use]
    pub fn namespace(&self) -> &str {
        match (self, self.metadata()) {
            (_, Some(m)) => &m.namespace,
            (Object::Other(o), None) => &o.namespace,
            _ => "",
        }
    }

    /// True for the kinds this crate models (not [`Object::Other`]).
    #[must_use]
    pub fn is_modelled(&self) -> bool {
        !matches!(self, Object::Other(_))
    }

    /// Fields the Kubernetes v1.32 API does not define (none are checked for other kinds).
    #[must_use]
    pub fn unknown_fields(&self) -> Vec<UnknownField> {
        let any = match self {
            Object::Pod(o) => any_unknown(o),
            Object::ReplicaSet(o) => any_unknown(o),
            Object::ReplicationController(o) => any_unknown(o),
            Object::Deployment(o) => any_unknown(o),
            Object::Other(_) => false,
        };
        if !any {
            return Vec::new();
        }
        match self {
            Object::Pod(o) => o.unknown_fields(),
            Object::ReplicaSet(o) => o.unknown_fields(),
            Object::ReplicationController(o) => o.unknown_fields(),
            Object::Deployment(o) => o.unknown_fields(),
            Object::Other(_) => Vec::new(),
        }
    }

    /// The object as a [`Value`] tree: modelled fields in this crate's order (Go's `omitempty`
    /// applied), then unmodelled ones in the order they were written.
    pub fn to_value(&self) -> Result<Value, EncodeError> {
        match self {
            Object::Pod(o) => encode::to_value(o),
            Object::ReplicaSet(o) => encode::to_value(o),
            Object::ReplicationController(o) => encode::to_value(o),
            Object::Deployment(o) => encode::to_value(o),
            Object::Other(o) => Ok(o.value.clone()),
        }
    }

    /// The object as YAML (one document, no `---`) or as JSON (indented by four spaces, as
    /// `kubectl get -o json` prints it); both end with a newline.
    pub fn encode(&self, format: Format) -> Result<String, EncodeError> {
        let value = self.to_value()?;
        Ok(match format {
            Format::Yaml => encode::yaml(&value),
            Format::Json => encode::json(&value),
        })
    }
}

impl serde::Serialize for Object {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Object::Pod(o) => o.serialize(s),
            Object::ReplicaSet(o) => o.serialize(s),
            Object::ReplicationController(o) => o.serialize(s),
            Object::Deployment(o) => o.serialize(s),
            Object::Other(o) => o.value.serialize(s),
        }
    }
}

impl From<Pod> for Object {
    fn from(o: Pod) -> Self {
        Object::Pod(o)
    }
}

impl From<ReplicaSet> for Object {
    fn from(o: ReplicaSet) -> Self {
        Object::ReplicaSet(o)
    }
}

impl From<ReplicationController> for Object {
    fn from(o: ReplicationController) -> Self {
        Object::ReplicationController(o)
    }
}

impl From<Deployment> for Object {
    fn from(o: Deployment) -> Self {
        Object::Deployment(o)
    }
}

impl From<OtherObject> for Object {
    fn from(o: OtherObject) -> Self {
        Object::Other(o)
    }
}

/// One decoded object and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// 0-based index of the document in the stream, counting documents that hold something
    /// (empty documents between `---` are skipped, as kubectl skips them). Items of a `List`
    /// share their list's index.
    pub index: usize,
    /// Where the object sits inside its stream document: the root, or `items[2]` in a `List`.
    pub path: FieldPath,
    /// Where the object starts (its first key).
    pub location: Location,
    /// Whether the stream was YAML or JSON.
    pub format: Format,
    /// The object.
    pub object: Object,
    /// Unknown fields, when decoding with [`FieldValidation::Warn`](super::FieldValidation::Warn).
    pub warnings: Vec<ManifestError>,
}

impl Document {
    /// The first line of the object in the input.
    #[must_use]
    pub fn line(&self) -> usize {
        self.location.line
    }
}
