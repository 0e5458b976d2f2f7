//! `-o json` and `-o yaml`: the object as the API server returns it, printed through Go's JSON
//! encoder (keys sorted) and `sigs.k8s.io/yaml`. `metadata.managedFields` is dropped, as
//! kubectl does without `--show-managed-fields`.

use serde::Serialize;
use serde_json::Value as Json;

use super::{gojson, yaml};

/// The object could not be turned into JSON (only possible for non-finite floats in unmodelled
/// fields).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct OutputError {
    /// The encoder's message.
    pub message: String,
}

fn to_json<T: Serialize>(obj: &T) -> Result<Json, OutputError> {
    let mut v = serde_json::to_value(obj).map_err(|e| OutputError {
        message: e.to_string(),
    })?;
    if let Some(meta) = v.get_mut("metadata").and_then(Json::as_object_mut) {
        meta.remove("managedFields");
    }
    Ok(v)
}

fn list<T: Serialize>(items: &[T]) -> Result<Json, OutputError> {
    let items = items.iter().map(to_json).collect::<Result<Vec<_>, _>>()?;
    let mut m = serde_json::Map::new();
    m.insert("apiVersion".into(), Json::String("v1".into()));
    m.insert("items".into(), Json::Array(items));
    m.insert("kind".into(), Json::String("List".into()));
    let mut meta = serde_json::Map::new();
    meta.insert("resourceVersion".into(), Json::String(String::new()));
    m.insert("metadata".into(), Json::Object(meta));
    Ok(Json::Object(m))
}

/// `kubectl get <kind> <name> -o json`.
pub fn object_json<T: Serialize>(obj: &T) -> Result<String, OutputError> {
    Ok(gojson::indented(&to_json(obj)?) + "\n")
}

/// `kubectl get <kind> <name> -o yaml`.
pub fn object_yaml<T: Serialize>(obj: &T) -> Result<String, OutputError> {
    Ok(yaml::to_yaml(&to_json(obj)?))
}

/// `kubectl get <kind> -o json`: a `List` of the items.
pub fn list_json<T: Serialize>(items: &[T]) -> Result<String, OutputError> {
    Ok(gojson::indented(&list(items)?) + "\n")
}

/// `kubectl get <kind> -o yaml`: a `List` of the items.
pub fn list_yaml<T: Serialize>(items: &[T]) -> Result<String, OutputError> {
    Ok(yaml::to_yaml(&list(items)?))
}
