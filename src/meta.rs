//! Object metadata shared by every kind: `ObjectMeta`, `OwnerReference`, label maps and the
//! `LabelSelector` data type (its matching logic lives in [`crate::selector`]).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::api::macros::{k8s_struct, string_enum};
use crate::time::Time;

/// Labels or annotations: string keys and values in the order they were written.
pub type Labels = IndexMap<String, String>;

/// Looks a key up in a label or annotation map, scanning small maps instead of hashing (objects
/// carry a handful of labels and annotations; a scan beats SipHash on the key).
#[inline]
#[must_use]
pub fn lookup<'m>(map: &'m Labels, key: &str) -> Option<&'m String> {
    if map.len() <= 16 {
        map.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        map.get(key)
    }
}

/// `apiVersion` and `kind`, the two fields every manifest document starts with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeMeta {
    /// `apiVersion`, for example `apps/v1`.
    #[serde(rename = "apiVersion", default)]
    pub api_version: String,
    /// `kind`, for example `Deployment`.
    #[serde(default)]
    pub kind: String,
}

k8s_struct! {
    /// Metadata every persisted object has (`metav1.ObjectMeta`).
    pub struct ObjectMeta("ObjectMeta") {
        /// Unique within a namespace; set by the user or generated from `generateName`.
        "name" => name: String,
        /// Prefix the API server uses to generate a unique name when `name` is empty.
        "generateName" => generate_name: String,
        /// The namespace; empty means the caller's default.
        "namespace" => namespace: String,
        /// Unique in time and space; assigned by the store on create.
        "uid" => uid: String,
        /// Opaque version assigned by the store on every write.
        "resourceVersion" => resource_version: String,
        /// Sequence number of spec changes; 1 on create, bumped by the store on a spec change.
        "generation" => generation: i64,
        /// When the object was created (assigned by the store).
        "creationTimestamp" => creation_timestamp: Option<Time>,
        /// When graceful deletion was requested; the object is terminating once set.
        "deletionTimestamp" => deletion_timestamp: Option<Time>,
        /// Grace period the deletion was requested with.
        "deletionGracePeriodSeconds" => deletion_grace_period_seconds: Option<i64>,
        /// Labels, in the order written.
        "labels" => labels: Labels,
        /// Annotations, in the order written.
        "annotations" => annotations: Labels,
        /// Objects this one depends on; at most one has `controller: true`.
        "ownerReferences" => owner_references: Vec<OwnerReference>,
        /// Finalizers that must be removed before the object is deleted.
        "finalizers" => finalizers: Vec<String>,
    }
    unmodelled: ["selfLink", "managedFields"]
}

impl ObjectMeta {
    /// The owner reference with `controller: true`, if any (upstream's `GetControllerOf`).
    #[must_use]
    pub fn controller_ref(&self) -> Option<&OwnerReference> {
        self.owner_references
            .iter()
            .find(|r| r.controller == Some(true))
    }

    /// True while the object is being deleted (`deletionTimestamp` is set).
    #[must_use]
    pub fn is_terminating(&self) -> bool {
        self.deletion_timestamp.is_some()
    }

    /// `namespace/name`, the key upstream's caches and expectations use.
    #[must_use]
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

k8s_struct! {
    /// A reference from a dependent object to its owner (`metav1.OwnerReference`).
    pub struct OwnerReference("OwnerReference") {
        /// The owner's API version (`apps/v1`).
        "apiVersion" always => api_version: String,
        /// The owner's kind (`ReplicaSet`).
        "kind" always => kind: String,
        /// The owner's name.
        "name" always => name: String,
        /// The owner's uid.
        "uid" always => uid: String,
        /// True when the owner is the managing controller.
        "controller" => controller: Option<bool>,
        /// True when the owner cannot be deleted (foreground) before this dependent.
        "blockOwnerDeletion" => block_owner_deletion: Option<bool>,
    }
    unmodelled: []
}

k8s_struct! {
    /// A label query over a set of objects (`metav1.LabelSelector`): the AND of `matchLabels`
    /// and `matchExpressions`. See [`crate::selector`] for how it matches.
    pub struct LabelSelector("LabelSelector") {
        /// `key: value` pairs, each an `In` requirement with one value.
        "matchLabels" => match_labels: Labels,
        /// Set-based requirements.
        "matchExpressions" => match_expressions: Vec<LabelSelectorRequirement>,
    }
    unmodelled: []
}

impl LabelSelector {
    /// A selector with only `matchLabels`.
    #[must_use]
    pub fn from_labels<K: Into<String>, V: Into<String>>(
        labels: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        LabelSelector {
            match_labels: labels
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            ..LabelSelector::default()
        }
    }

    /// True when it has neither `matchLabels` nor `matchExpressions` (matches everything).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }
}

k8s_struct! {
    /// One set-based requirement of a [`LabelSelector`].
    pub struct LabelSelectorRequirement("LabelSelectorRequirement") {
        /// The label key the requirement applies to.
        "key" always => key: String,
        /// How the key relates to the values.
        "operator" always => operator: LabelSelectorOperator,
        /// Values for `In` / `NotIn`; must be empty for `Exists` / `DoesNotExist`.
        "values" => values: Vec<String>,
    }
    unmodelled: []
}

string_enum! {
    /// The operator of a [`LabelSelectorRequirement`].
    pub enum LabelSelectorOperator {
        /// The label's value is one of `values`.
        In = "In",
        /// The label is absent, or its value is not one of `values`.
        NotIn = "NotIn",
        /// The label is present.
        Exists = "Exists",
        /// The label is absent.
        DoesNotExist = "DoesNotExist",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_meta_round_trips_and_keeps_unmodelled_fields() {
        let yaml = "name: web\nlabels:\n  b: '2'\n  a: '1'\nmanagedFields:\n- manager: kubectl\ncreationTimestamp: 2016-05-20T02:00:00Z\n";
        let m: ObjectMeta = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(m.name, "web");
        assert_eq!(m.labels.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert!(m.extra.contains_key("managedFields"));
        let out = serde_yaml::to_string(&m).unwrap();
        let back: ObjectMeta = serde_yaml::from_str(&out).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn null_means_zero_and_duplicates_are_rejected() {
        let m: ObjectMeta = serde_json::from_str(r#"{"name": null, "labels": null}"#).unwrap();
        assert_eq!(m, ObjectMeta::default());
        assert!(serde_json::from_str::<ObjectMeta>(r#"{"name": "a", "name": "b"}"#).is_err());
        assert!(serde_json::from_str::<ObjectMeta>(r#"{"labels": {"a": "1", "a": "2"}}"#).is_err());
        assert!(serde_json::from_str::<ObjectMeta>(r#"{"x": 1, "x": 2}"#).is_err());
    }

    #[test]
    fn nil_and_empty_selectors_differ() {
        #[derive(Deserialize)]
        struct S {
            selector: Option<LabelSelector>,
        }
        let s: S = serde_json::from_str(r#"{"selector": {}}"#).unwrap();
        assert_eq!(s.selector, Some(LabelSelector::default()));
        let s: S = serde_json::from_str(r#"{"selector": null}"#).unwrap();
        assert_eq!(s.selector, None);
        let op: LabelSelectorOperator = serde_json::from_str(r#""Foo""#).unwrap();
        assert_eq!(op, LabelSelectorOperator::Other("Foo".into()));
    }
}
