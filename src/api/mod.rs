//! The resource types users write: Pod, ReplicaSet, ReplicationController and Deployment, with
//! the JSON names and enum spellings of the Kubernetes v1.32 API.
//!
//! Every struct keeps the fields this crate does not model in an `extra` map (see
//! [`crate::value`]), so decoding and re-encoding a manifest loses nothing.

pub(crate) mod macros;

mod deployment;
mod intstr;
mod pod;
mod replica_set;
mod replication_controller;

pub use deployment::{
    Deployment, DeploymentCondition, DeploymentConditionType, DeploymentSpec, DeploymentStatus,
    DeploymentStrategy, DeploymentStrategyType, RollingUpdateDeployment,
};
pub use intstr::IntOrString;
pub use macros::{UnknownField, suggest};
pub use pod::{
    ConditionStatus, Container, ContainerPort, ContainerRestartPolicy, ContainerState,
    ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting, ContainerStatus, Pod,
    PodCondition, PodConditionType, PodPhase, PodSpec, PodStatus, PodTemplateSpec, Protocol,
    RestartPolicy,
};
pub use replica_set::{
    REPLICA_FAILURE, ReplicaSet, ReplicaSetCondition, ReplicaSetSpec, ReplicaSetStatus,
};
pub use replication_controller::{
    ReplicationController, ReplicationControllerSpec, ReplicationControllerStatus,
};

use crate::validation::field::FieldPath;

/// Types whose field names can be checked against the Kubernetes API (strict decoding).
pub trait ApiFields {
    /// Every field, at any depth this crate models, that the v1.32 API does not define: what
    /// `kubectl apply --validate=strict` rejects as `unknown field`.
    fn unknown_fields(&self) -> Vec<UnknownField>;
}

macro_rules! api_fields {
    ($($t:ty),*) => {$(
        impl ApiFields for $t {
            fn unknown_fields(&self) -> Vec<UnknownField> {
                let mut out = Vec::new();
                macros::Field::check_fields(self, &mut FieldPath::root(), &mut out);
                out
            }
        }
    )*};
}
api_fields!(
    Pod,
    PodTemplateSpec,
    ReplicaSet,
    ReplicationController,
    Deployment
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_round_trip_keeps_unmodelled_fields_and_reports_unknown_ones() {
        let yaml = r#"
apiVersion: v1
kind: Pod
metadata:
  name: sample-pod
spec:
  containers:
  - name: nginx-container
    image: nginx:1.16
    env:
    - name: A
      value: "1"
    ports:
    - containerPort: 80
      protocl: TCP
  volumes:
  - name: data
    emptyDir: {}
"#;
        let pod: Pod = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(pod.spec.containers[0].ports[0].container_port, 80);
        assert!(pod.spec.extra.contains_key("volumes"));
        let unknown = pod.unknown_fields();
        assert_eq!(unknown.len(), 1);
        assert_eq!(
            unknown[0].path.to_string(),
            "spec.containers[0].ports[0].protocl"
        );
        assert_eq!(unknown[0].suggestion, Some("protocol"));
        let out = serde_yaml::to_string(&pod).unwrap();
        assert!(out.starts_with("apiVersion: v1\nkind: Pod\n"), "{out}");
        let back: Pod = serde_yaml::from_str(&out).unwrap();
        assert_eq!(back, pod);
        let json = serde_json::to_string(&pod).unwrap();
        let back: Pod = serde_json::from_str(&json).unwrap();
        assert_eq!(back, pod);
    }

    #[test]
    fn wrong_types_and_versions_are_errors() {
        let err = serde_yaml::from_str::<Deployment>(
            "apiVersion: extensions/v1beta1\nkind: Deployment\n",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("this crate serves apps/v1"),
            "{err}"
        );
        let err = serde_yaml::from_str::<ReplicaSet>("spec:\n  replicas: \"3\"\n").unwrap_err();
        assert!(err.to_string().contains("spec.replicas"), "{err}");
        assert!(serde_yaml::from_str::<ReplicaSet>("spec:\n  replicas: 99999999999\n").is_err());
    }

    #[test]
    fn intorstring_and_enums() {
        let d: Deployment = serde_yaml::from_str(
            "spec:\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 25%\n",
        )
        .unwrap();
        let ru = d.spec.strategy.rolling_update.as_ref().unwrap();
        assert_eq!(ru.max_surge, Some(IntOrString::Int(1)));
        assert_eq!(ru.max_unavailable, Some(IntOrString::String("25%".into())));
        assert_eq!(d.spec.strategy.type_, DeploymentStrategyType::RollingUpdate);
        assert_eq!(
            IntOrString::Int(0).go_repr(),
            "intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}"
        );
    }
}
