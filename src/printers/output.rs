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
    go_zero_times(&mut v);
    Ok(v)
}

/// Writes the `metav1.Time` fields that Go stores as values (not pointers) as `null` when they
/// are unset: `omitempty` never omits a struct, so the API server's JSON always has them. The
/// familiar case is `creationTimestamp: null` in a pod template; pod conditions show
/// `lastProbeTime: null`.
fn go_zero_times(v: &mut Json) {
    fn null_if_absent(obj: Option<&mut Json>, key: &str) {
        if let Some(m) = obj.and_then(Json::as_object_mut) {
            m.entry(key).or_insert(Json::Null);
        }
    }
    fn conditions(status: Option<&mut Json>, keys: &[&str]) {
        let list = status
            .and_then(|s| s.get_mut("conditions"))
            .and_then(Json::as_array_mut);
        for c in list.into_iter().flatten() {
            for key in keys {
                null_if_absent(Some(c), key);
            }
        }
    }
    null_if_absent(v.get_mut("metadata"), "creationTimestamp");
    let kind = v
        .get("kind")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned();
    match kind.as_str() {
        "Pod" => conditions(
            v.get_mut("status"),
            &["lastProbeTime", "lastTransitionTime"],
        ),
        "ReplicaSet" | "ReplicationController" | "Deployment" => {
            if let Some(template) = v
                .get_mut("spec")
                .and_then(|s| s.get_mut("template"))
                .and_then(Json::as_object_mut)
            {
                let meta = template
                    .entry("metadata")
                    .or_insert_with(|| Json::Object(serde_json::Map::new()));
                null_if_absent(Some(meta), "creationTimestamp");
            }
            let keys: &[&str] = if kind == "Deployment" {
                &["lastTransitionTime", "lastUpdateTime"]
            } else {
                &["lastTransitionTime"]
            };
            conditions(v.get_mut("status"), keys);
        }
        _ => {}
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ConditionStatus, Pod, PodCondition, PodConditionType};

    #[test]
    fn unset_value_times_print_as_null_like_the_api_server() {
        let mut pod = Pod::default();
        pod.metadata.name = "p".into();
        pod.status.conditions.push(PodCondition {
            type_: PodConditionType::Ready,
            status: ConditionStatus::True,
            ..PodCondition::default()
        });
        let yaml = object_yaml(&pod).unwrap_or_default();
        assert!(yaml.contains("  creationTimestamp: null\n"), "{yaml}");
        assert!(
            yaml.contains("  - lastProbeTime: null\n    lastTransitionTime: null\n"),
            "{yaml}"
        );
    }
}
