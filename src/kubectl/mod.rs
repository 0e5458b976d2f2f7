//! kubectl's workload operations (v1.32) as pure functions over objects and the caller's `now`:
//! `apply`, `set image`, `scale`, `rollout restart|pause|resume|history|undo|status`, and
//! `--record`'s change cause.
//!
//! Each operation takes the objects it would read from the API server and returns what kubectl
//! would write (the object after the API server applied the write, with its `generation` bumped
//! as the registry strategy does) together with the line kubectl prints
//! (`deployment.apps/web image updated`). Failures are typed errors whose `Display` is
//! kubectl's message; [`error_output`] adds the `error: ` prefix that `kubectl` prints on
//! stderr. Nothing here assigns `resourceVersion` except [`apply`] (which is told the value):
//! the caller's store owns it.
//!
//! ```
//! use kube_workloads::kubectl::{self, Object};
//! use kube_workloads::{Deployment, Time};
//!
//! let d: Deployment = serde_yaml::from_str(r#"
//! apiVersion: apps/v1
//! kind: Deployment
//! metadata: {name: web, namespace: default, generation: 1}
//! spec:
//!   selector: {matchLabels: {app: web}}
//!   template:
//!     metadata: {labels: {app: web}}
//!     spec: {containers: [{name: nginx, image: "nginx:1.16"}]}
//! "#)?;
//! let args = kubectl::SetImage::parse(&["deployment/web", "nginx=nginx:1.17"], &Default::default())?;
//! let out = args.run(&Object::Deployment(d), None)?;
//! assert_eq!(out.output.as_deref(), Some("deployment.apps/web image updated\n"));
//! let Object::Deployment(d) = out.object else { unreachable!() };
//! assert_eq!(d.spec.template.spec.containers[0].image, "nginx:1.17");
//! assert_eq!(d.metadata.generation, 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod apply;
pub mod record;
pub mod rollout;
mod scale;
mod server;
mod set_image;
pub mod util;

use std::fmt;

use crate::api::PodSpec;

pub use apply::{
    Applied, ApplyError, ApplyOutcome, ApplyRequest, apply, last_applied_configuration,
};
pub use record::{FlagSpec, change_cause};
pub use rollout::{
    HistoryError, RolloutError, RolloutStatus, StatusError, UndoError, UndoOutcome, history, pause,
    restart, resume, status, undo, view_history,
};
pub use scale::{ScaleError, ScaleRequest, scale};
pub use set_image::{SetImage, SetImageError, SetImageFlags, SetImageOutcome, SetImageProblem};

/// The workload kinds kubectl operates on here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Kind {
    /// `pods` (core/v1).
    Pod,
    /// `replicasets.apps`.
    ReplicaSet,
    /// `replicationcontrollers` (core/v1).
    ReplicationController,
    /// `deployments.apps`.
    Deployment,
}

impl Kind {
    /// The `kind` field.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::ReplicationController => "ReplicationController",
            Kind::Deployment => "Deployment",
        }
    }

    /// The name printer's prefix: `pod`, `replicaset.apps`, `replicationcontroller`,
    /// `deployment.apps`.
    #[must_use]
    pub fn name_prefix(self) -> &'static str {
        match self {
            Kind::Pod => "pod",
            Kind::ReplicaSet => "replicaset.apps",
            Kind::ReplicationController => "replicationcontroller",
            Kind::Deployment => "deployment.apps",
        }
    }

    /// The resource string kubectl puts in per-object errors: `deployments.apps`, `pods`.
    #[must_use]
    pub fn resource(self) -> &'static str {
        match self {
            Kind::Pod => "pods",
            Kind::ReplicaSet => "replicasets.apps",
            Kind::ReplicationController => "replicationcontrollers",
            Kind::Deployment => "deployments.apps",
        }
    }

    /// `schema.GroupKind.String()`: `Deployment.apps`, `Pod`.
    #[must_use]
    pub fn group_kind(self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::ReplicaSet => "ReplicaSet.apps",
            Kind::ReplicationController => "ReplicationController",
            Kind::Deployment => "Deployment.apps",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub use crate::manifest::Object;

impl Kind {
    /// The workload kind of an object, `None` for other kinds.
    #[must_use]
    pub fn of(obj: &Object) -> Option<Kind> {
        match obj {
            Object::Pod(_) => Some(Kind::Pod),
            Object::ReplicaSet(_) => Some(Kind::ReplicaSet),
            Object::ReplicationController(_) => Some(Kind::ReplicationController),
            Object::Deployment(_) => Some(Kind::Deployment),
            _ => None,
        }
    }
}

/// How kubectl names an object's type in its output, for any kind: the name printer's prefix
/// (`deployment.apps`, `service`), the resource in per-object errors (`deployments.apps`,
/// `services`) and the group-kind (`Deployment.apps`, `Service`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TypeNames {
    /// `deployment.apps`, `pod`, `service`, `ingress.networking.k8s.io`.
    pub name_prefix: String,
    /// `deployments.apps`, `pods`, `services`.
    pub resource: String,
    /// `Deployment.apps`, `Pod`, `Service`.
    pub group_kind: String,
}

impl TypeNames {
    /// The names of an object's type, from its `kind` and `apiVersion` (the plural as
    /// discovery would give it for the built-in kinds: `ies`, `es` and `s` endings).
    #[must_use]
    pub fn of(obj: &Object) -> TypeNames {
        if let Some(k) = Kind::of(obj) {
            return TypeNames {
                name_prefix: k.name_prefix().to_owned(),
                resource: k.resource().to_owned(),
                group_kind: k.group_kind().to_owned(),
            };
        }
        let kind = obj.kind();
        let group = obj.api_version().rsplit_once('/').map_or("", |(g, _)| g);
        let lower = kind.to_ascii_lowercase();
        let plural = if lower == "endpoints" {
            lower.clone()
        } else if let Some(stem) = lower
            .strip_suffix('y')
            .filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u']))
        {
            format!("{stem}ies")
        } else if lower.ends_with('s')
            || lower.ends_with('x')
            || lower.ends_with("ch")
            || lower.ends_with("sh")
        {
            format!("{lower}es")
        } else {
            format!("{lower}s")
        };
        let dotted = |s: &str| {
            if group.is_empty() {
                s.to_owned()
            } else {
                format!("{s}.{group}")
            }
        };
        TypeNames {
            name_prefix: dotted(&lower),
            resource: dotted(&plural),
            group_kind: dotted(kind),
        }
    }
}

/// The name printer's `kind.group/name` (`deployment.apps/web`, `service/frontend`).
#[must_use]
pub fn qualified_name(obj: &Object) -> String {
    format!("{}/{}", TypeNames::of(obj).name_prefix, obj.name())
}

/// The pod spec `set image` edits: the pod's own, or the template's (`None` for other kinds and
/// for a ReplicationController without a template).
pub fn pod_spec_mut(obj: &mut Object) -> Option<&mut PodSpec> {
    match obj {
        Object::Pod(p) => Some(&mut p.spec),
        Object::ReplicaSet(rs) => Some(&mut rs.spec.template.spec),
        Object::ReplicationController(rc) => rc.spec.template.as_mut().map(|t| &mut t.spec),
        Object::Deployment(d) => Some(&mut d.spec.template.spec),
        _ => None,
    }
}

/// A line the name printer prints: `<kind.group>/<name> <operation>\n`.
#[must_use]
pub fn name_line(obj: &Object, operation: &str) -> String {
    if operation.is_empty() {
        format!("{}\n", qualified_name(obj))
    } else {
        format!("{} {operation}\n", qualified_name(obj))
    }
}

/// What `kubectl` prints on stderr for an error (`cmdutil.CheckErr`): the message with an
/// `error: ` prefix unless it already has one, and a final newline.
#[must_use]
pub fn error_output(err: &dyn fmt::Display) -> String {
    let msg = err.to_string();
    let mut out = if msg.starts_with("error: ") {
        msg
    } else {
        format!("error: {msg}")
    };
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// `cmdutil.CheckErr` for an aggregate: one error as [`error_output`], several one per line
/// without a prefix.
#[must_use]
pub fn aggregate_output(errors: &[&dyn fmt::Display]) -> String {
    match errors {
        [] => String::new(),
        [one] => error_output(*one),
        many => many
            .iter()
            .map(|e| {
                let s = e.to_string();
                if s.ends_with('\n') {
                    s
                } else {
                    format!("{s}\n")
                }
            })
            .collect(),
    }
}
