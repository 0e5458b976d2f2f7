//! The ReplicaSet controller (and, through [`crate::replication_controller`], the
//! ReplicationController controller) as a pure function of the objects and a time.
//!
//! [`reconcile`] is upstream's `syncReplicaSet` (kube-controller-manager v1.32) without the I/O:
//! it reads the ReplicaSet and the pods the caller observed and returns a [`Plan`] of what the
//! controller would do. The caller carries the plan out in its canonical order:
//!
//! 1. **claims**: [`Plan::adopt`] (patch a controller owner reference onto each orphan; see
//!    [`Plan::controller_ref`]) and [`Plan::release`] (remove our owner reference). If any claim
//!    fails, stop here and reconcile again later: upstream makes no other change in that sync.
//! 2. **creations**: [`Plan::create`], in slow-start batches of 1, 2, 4, ...; stop after the
//!    first batch in which any creation failed.
//! 3. **deletions**: [`Plan::delete`], first-to-delete first.
//! 4. **completion**: report what happened to [`Plan::complete`], which returns the status to
//!    write (with upstream's `ReplicaFailure` condition when something failed), the events to
//!    record, and when to call again. A caller whose actions all succeed may use
//!    [`Plan::status`] and [`Plan::requeue`] directly.
//!
//! The plan depends only on the inputs: the order of the pods slice never matters, and a
//! reconcile with nothing to do allocates nothing (a no-op plan, see [`Plan::is_noop`], copies
//! nothing from the ReplicaSet).
//!
//! ```
//! use kube_workloads::replica_set::{self, Observed, Report};
//! use kube_workloads::{ReplicaSet, Time};
//!
//! let rs: ReplicaSet = serde_yaml::from_str(r#"
//! apiVersion: apps/v1
//! kind: ReplicaSet
//! metadata: {name: sample-rs, namespace: default, uid: rs-1, generation: 1}
//! spec:
//!   replicas: 3
//!   selector: {matchLabels: {app: sample-app}}
//!   template:
//!     metadata: {labels: {app: sample-app}}
//!     spec: {containers: [{name: nginx-container, image: "nginx:1.16"}]}
//! "#)?;
//! let now = Time::from_unix(1_700_000_000);
//! let plan = replica_set::reconcile(&rs, &Observed::new(&[] as &[kube_workloads::Pod]), now)?;
//! let create = plan.create.as_ref().expect("three pods to create");
//! assert_eq!(create.count, 3);
//! assert_eq!(create.pod.metadata.generate_name, "sample-rs-");
//! let names = ["sample-rs-9f9kr", "sample-rs-b7x2q", "sample-rs-4kzvd"].map(String::from);
//! let done = plan.complete(&Report { created: names.to_vec(), ..Report::default() });
//! assert_eq!(done.events[0].message, "Created pod: sample-rs-9f9kr");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod expectations;
mod status;

pub use expectations::{EXPECTATIONS_TIMEOUT, Expectations};

use std::borrow::Borrow;

use crate::api::{Pod, PodTemplateSpec, ReplicaSet, ReplicaSetStatus};
use crate::controller::{BURST_REPLICAS, Requeue, SlowStartBatches, slow_start_batches};
use crate::event::{Event, ObjectReference};
use crate::meta::{ObjectMeta, OwnerReference};
use crate::pods;
use crate::selector::{self, Selector, SelectorError};
use crate::time::Time;

use status::{Counts, StatusInputs, StatusInputsRef};

/// Event reason for a created pod.
pub const SUCCESSFUL_CREATE: &str = "SuccessfulCreate";
/// Event reason for a failed pod creation.
pub const FAILED_CREATE: &str = "FailedCreate";
/// Event reason for a deleted pod.
pub const SUCCESSFUL_DELETE: &str = "SuccessfulDelete";
/// Event reason for a failed pod deletion.
pub const FAILED_DELETE: &str = "FailedDelete";

/// What the controller reads besides the ReplicaSet itself.
///
/// `P` is anything that borrows a [`Pod`] (`Pod`, `&Pod`, `Box<Pod>`, `Arc<Pod>`), and `R`
/// anything that borrows a [`ReplicaSet`].
#[derive(Debug)]
pub struct Observed<'a, P = Pod, R = ReplicaSet> {
    /// Pods, in any order, of any owner and any namespace: the function filters. Pass every pod
    /// of the ReplicaSet's namespace (upstream lists the whole namespace, so that pods which
    /// stopped matching but still name it as controller are seen and released).
    pub pods: &'a [P],
    /// ReplicaSets of the namespace, used only when scaling down to rank pods by how many pods
    /// of sibling ReplicaSets (those with the same controller owner, e.g. one Deployment's)
    /// share their node. May be empty.
    pub replica_sets: &'a [R],
    /// Whether the caller's expectations are satisfied (see [`Expectations`]). When false the
    /// controller claims pods and computes status but neither creates nor deletes, as upstream.
    /// Callers with a consistent store leave it `true`.
    pub expectations_satisfied: bool,
}

impl<'a, P> Observed<'a, P, ReplicaSet> {
    /// Observed pods only (no sibling ReplicaSets, expectations satisfied).
    #[must_use]
    pub fn new(pods: &'a [P]) -> Self {
        Observed {
            pods,
            replica_sets: &[],
            expectations_satisfied: true,
        }
    }
}

impl<'a, P, R> Observed<'a, P, R> {
    /// The same observation with sibling ReplicaSets for colocation ranking.
    #[must_use]
    pub fn with_replica_sets<R2>(self, replica_sets: &'a [R2]) -> Observed<'a, P, R2> {
        Observed {
            pods: self.pods,
            replica_sets,
            expectations_satisfied: self.expectations_satisfied,
        }
    }

    /// The same observation with the given expectations state.
    #[must_use]
    pub fn with_expectations_satisfied(mut self, satisfied: bool) -> Self {
        self.expectations_satisfied = satisfied;
        self
    }
}

/// Why a ReplicaSet cannot be reconciled. Upstream makes no change for such objects (the API
/// server's validation normally keeps them out); neither does this crate.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReconcileError {
    /// `spec.selector` does not convert to a selector (upstream logs and skips the sync).
    #[error("invalid label selector: {0}")]
    InvalidSelector(#[from] SelectorError),
    /// `spec.replicas` is negative.
    #[error("spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0")]
    NegativeReplicas {
        /// The value found.
        replicas: i32,
    },
    /// The selector does not match the template's labels, so every pod created would be
    /// released again.
    #[error(
        "spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`"
    )]
    SelectorDoesNotMatchTemplate,
    /// A ReplicationController without `spec.template`.
    #[error("spec.template: Required value")]
    MissingTemplate,
    /// A ReplicationController with an empty `spec.selector`.
    #[error("spec.selector: Required value")]
    MissingSelector,
}

/// Which workload kind a plan is for: the owner reference and event source differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ControllerKind {
    /// `apps/v1` ReplicaSet, events from `replicaset-controller`.
    ReplicaSet,
    /// `v1` ReplicationController, events from `replication-controller`.
    ReplicationController,
}

impl ControllerKind {
    /// The owner reference's `apiVersion`.
    #[must_use]
    pub fn api_version(self) -> &'static str {
        match self {
            ControllerKind::ReplicaSet => "apps/v1",
            ControllerKind::ReplicationController => "v1",
        }
    }

    /// The owner reference's `kind`.
    #[must_use]
    pub fn kind(self) -> &'static str {
        match self {
            ControllerKind::ReplicaSet => "ReplicaSet",
            ControllerKind::ReplicationController => "ReplicationController",
        }
    }

    /// The event source component.
    #[must_use]
    pub fn source(self) -> &'static str {
        match self {
            ControllerKind::ReplicaSet => "replicaset-controller",
            ControllerKind::ReplicationController => "replication-controller",
        }
    }
}

/// A pod the plan acts on, identified as the caller's store knows it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PodRef {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// UID (use it as a precondition where the store supports one).
    pub uid: String,
}

impl PodRef {
    fn of(pod: &Pod) -> Self {
        PodRef {
            namespace: pod.metadata.namespace.clone(),
            name: pod.metadata.name.clone(),
            uid: pod.metadata.uid.clone(),
        }
    }

    /// `namespace/name`, the key expectations track deletions by.
    #[must_use]
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// `count` identical pods to create from the template.
#[derive(Clone, Debug, PartialEq)]
pub struct CreatePods {
    /// The pod to create, `count` times: `generateName` set, `name` empty (the store generates
    /// names), labels/annotations/finalizers and spec from the template, and one controller
    /// owner reference.
    pub pod: Pod,
    /// How many (at most 500 per reconcile).
    pub count: usize,
    regarding: ObjectReference,
    source: &'static str,
}

impl CreatePods {
    /// Slow-start batch sizes (1, 2, 4, ...) summing to `count`: create a batch, and stop after
    /// the first batch in which any creation failed.
    #[must_use]
    pub fn batches(&self) -> SlowStartBatches {
        slow_start_batches(self.count)
    }

    /// The event upstream records for a created pod (`Created pod: NAME`).
    #[must_use]
    pub fn created_event(&self, pod_name: &str) -> Event {
        Event::normal(
            self.regarding.clone(),
            self.source,
            SUCCESSFUL_CREATE,
            format!("Created pod: {pod_name}"),
        )
    }

    /// The event upstream records for a failed creation (`Error creating: <error>`).
    #[must_use]
    pub fn failed_event(&self, error: &str) -> Event {
        Event::warning(
            self.regarding.clone(),
            self.source,
            FAILED_CREATE,
            format!("Error creating: {error}"),
        )
    }
}

/// What happened when the caller carried a plan out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Names of the pods created, in creation order.
    pub created: Vec<String>,
    /// The error text of every failed creation, in order. Leave out failures the store reports
    /// because the namespace is terminating: upstream counts those as successes without events.
    pub failed_creates: Vec<String>,
    /// Pods deleted.
    pub deleted: Vec<PodRef>,
    /// Pods whose deletion failed, with the error text. Leave out "not found" errors, which
    /// upstream ignores.
    pub failed_deletes: Vec<(PodRef, String)>,
}

/// The outcome of a carried-out plan: what to write and record.
#[derive(Clone, Debug, PartialEq)]
#[must_use = "the status must be written and the events recorded"]
pub struct Completion {
    /// The status to write (`None`: unchanged, skip the write).
    pub status: Option<ReplicaSetStatus>,
    /// Events, in the order upstream records them.
    pub events: Vec<Event>,
    /// When to reconcile again.
    pub requeue: Option<Requeue>,
}

/// What the controller decided in one reconcile. See the module docs for the order in which
/// the caller MUST carry the actions out.
#[derive(Clone, Debug, PartialEq)]
#[must_use = "a plan does nothing until the caller carries it out"]
pub struct Plan {
    /// The owner reference adoption patches add (controller and blockOwnerDeletion set), the
    /// one created pods carry. Empty (`OwnerReference::default()`) in a no-op plan (see
    /// [`Plan::is_noop`]), which has nothing to adopt or create and copies nothing from the
    /// ReplicaSet, so that a reconcile with nothing to do allocates nothing.
    pub controller_ref: OwnerReference,
    /// Orphan pods to adopt, ordered by name then uid.
    pub adopt: Vec<PodRef>,
    /// Owned pods that no longer match the selector, whose owner reference must be removed;
    /// ordered by name then uid.
    pub release: Vec<PodRef>,
    /// Pods to create, if any.
    pub create: Option<CreatePods>,
    /// Pods to delete, first-to-delete first (upstream's ranking).
    pub delete: Vec<PodRef>,
    /// The status to write if every action succeeds (`None`: unchanged). Use
    /// [`Plan::complete`] when something failed.
    pub status: Option<ReplicaSetStatus>,
    /// When to reconcile again if every action succeeds.
    pub requeue: Option<Requeue>,
    /// What [`Plan::complete`] and the event helpers need; `None` in a no-op plan.
    context: Option<Context>,
    source: &'static str,
}

/// The parts of a plan only needed once the caller reports back.
#[derive(Clone, Debug, PartialEq)]
struct Context {
    inputs: StatusInputs,
    regarding: ObjectReference,
}

impl Plan {
    /// True when the plan asks for no action and no status write. Such a plan may still ask
    /// to be called again ([`Plan::requeue`]).
    #[must_use]
    pub fn is_noop(&self) -> bool {
        self.adopt.is_empty()
            && self.release.is_empty()
            && self.create.is_none()
            && self.delete.is_empty()
            && self.status.is_none()
    }

    /// The object the plan's events are recorded against (empty in a no-op plan).
    fn regarding(&self) -> ObjectReference {
        self.context
            .as_ref()
            .map(|c| c.regarding.clone())
            .unwrap_or_default()
    }

    /// The event upstream records for a deleted pod (`Deleted pod: NAME`).
    #[must_use]
    pub fn deleted_event(&self, pod: &PodRef) -> Event {
        Event::normal(
            self.regarding(),
            self.source,
            SUCCESSFUL_DELETE,
            format!("Deleted pod: {}", pod.name),
        )
    }

    /// The event upstream records for a failed deletion (`Error deleting: <error>`).
    #[must_use]
    pub fn delete_failed_event(&self, error: &str) -> Event {
        Event::warning(
            self.regarding(),
            self.source,
            FAILED_DELETE,
            format!("Error deleting: {error}"),
        )
    }

    /// Status, events and requeue once the caller reports what happened. The first failure
    /// becomes the `ReplicaFailure` condition's message (for deletions prefixed
    /// `unable to delete pods: `, as upstream's pod control wraps it), the condition is kept
    /// unchanged while failures continue and removed by the first error-free reconcile.
    ///
    /// A no-op plan asked for nothing, so its completion has no status and no events whatever
    /// the report says.
    pub fn complete(&self, report: &Report) -> Completion {
        let Some(context) = &self.context else {
            return Completion {
                status: None,
                events: Vec::new(),
                requeue: self.requeue,
            };
        };
        let mut events = Vec::new();
        if let Some(create) = &self.create {
            events.extend(report.created.iter().map(|n| create.created_event(n)));
            events.extend(report.failed_creates.iter().map(|e| create.failed_event(e)));
        }
        events.extend(report.deleted.iter().map(|p| self.deleted_event(p)));
        events.extend(
            report
                .failed_deletes
                .iter()
                .map(|(_, e)| self.delete_failed_event(e)),
        );
        let error = report.failed_creates.first().cloned().or_else(|| {
            report
                .failed_deletes
                .first()
                .map(|(_, e)| format!("unable to delete pods: {e}"))
        });
        match error {
            None => Completion {
                status: self.status.clone(),
                events,
                requeue: self.requeue,
            },
            Some(message) => Completion {
                status: context.inputs.status(Some(&message)),
                events,
                requeue: Some(Requeue::Backoff),
            },
        }
    }
}

/// The controller's borrowed view of a ReplicaSet or ReplicationController.
pub(crate) struct Target<'a> {
    pub(crate) kind: ControllerKind,
    pub(crate) meta: &'a ObjectMeta,
    pub(crate) replicas: i32,
    pub(crate) min_ready_seconds: i32,
    pub(crate) selector: Selector<'a>,
    pub(crate) template: &'a PodTemplateSpec,
    pub(crate) status: &'a ReplicaSetStatus,
}

/// How one pod relates to the ReplicaSet (upstream's `ClaimPods` decision).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Claim {
    Ignore,
    Owned,
    Adopt,
    Release,
}

/// Reconciles a ReplicaSet: upstream's `syncReplicaSet` as a pure function.
pub fn reconcile<P: Borrow<Pod>, R: Borrow<ReplicaSet>>(
    rs: &ReplicaSet,
    observed: &Observed<'_, P, R>,
    now: Time,
) -> Result<Plan, ReconcileError> {
    let target = Target {
        kind: ControllerKind::ReplicaSet,
        meta: &rs.metadata,
        replicas: rs.replicas(),
        min_ready_seconds: rs.spec.min_ready_seconds,
        selector: Selector::compile(rs.spec.selector.as_ref())?,
        template: &rs.spec.template,
        status: &rs.status,
    };
    reconcile_target(&target, observed, now)
}

/// Shared by ReplicaSets and ReplicationControllers.
pub(crate) fn reconcile_target<P: Borrow<Pod>, R: Borrow<ReplicaSet>>(
    target: &Target<'_>,
    observed: &Observed<'_, P, R>,
    now: Time,
) -> Result<Plan, ReconcileError> {
    if target.replicas < 0 {
        return Err(ReconcileError::NegativeReplicas {
            replicas: target.replicas,
        });
    }
    if !target.selector.is_empty() && !target.selector.matches(&target.template.metadata.labels) {
        return Err(ReconcileError::SelectorDoesNotMatchTemplate);
    }
    let deleting = target.meta.is_terminating();
    let namespace = target.meta.namespace.as_str();
    let uid = target.meta.uid.as_str();
    // Cheapest test first: pods of other controllers are skipped before their namespace is
    // read (every test is a conjunct of `Ignore`'s complement, so the order changes speed only).
    let classify = |pod: &Pod| -> Claim {
        if !pods::is_active(pod) {
            return Claim::Ignore;
        }
        let controller = pod.metadata.controller_ref();
        if controller.is_some_and(|r| !selector::str_eq(&r.uid, uid))
            || !selector::str_eq(&pod.metadata.namespace, namespace)
        {
            return Claim::Ignore;
        }
        match controller {
            Some(_) => {
                if target.selector.matches(&pod.metadata.labels) {
                    Claim::Owned
                } else if deleting {
                    Claim::Ignore
                } else {
                    Claim::Release
                }
            }
            None => {
                if deleting || !target.selector.matches(&pod.metadata.labels) {
                    Claim::Ignore
                } else {
                    Claim::Adopt
                }
            }
        }
    };

    // One pass: classify, count, and remember claim changes (rare).
    let mut counts = Counts::default();
    let mut next_available: Option<Time> = None;
    let mut adopt = Vec::new();
    let mut release = Vec::new();
    let template_labels = &target.template.metadata.labels;
    // Every claimed pod matches the selector; when the selector requires each template label
    // (the usual case), every claimed pod is fully labelled without looking again.
    let labels_implied = target.selector.requires_all(template_labels);
    for p in observed.pods {
        let pod = p.borrow();
        match classify(pod) {
            Claim::Ignore => continue,
            Claim::Release => {
                release.push(PodRef::of(pod));
                continue;
            }
            Claim::Adopt => adopt.push(PodRef::of(pod)),
            Claim::Owned => {}
        }
        counts.replicas += 1;
        if labels_implied || selector::contains_all(&pod.metadata.labels, template_labels) {
            counts.fully_labeled += 1;
        }
        match pods::readiness(pod, target.min_ready_seconds, now) {
            pods::Readiness::NotReady => {}
            pods::Readiness::Available => {
                counts.ready += 1;
                counts.available += 1;
            }
            pods::Readiness::AvailableFrom(at) => {
                counts.ready += 1;
                if let Some(at) = at {
                    next_available = Some(next_available.map_or(at, |t: Time| t.min(at)));
                }
            }
        }
    }
    adopt.sort_unstable();
    release.sort_unstable();

    let desired = usize::try_from(target.replicas).unwrap_or(0);
    let claimed = counts.replicas;
    let mut create = None;
    let mut delete = Vec::new();
    if observed.expectations_satisfied && !deleting {
        if claimed < desired {
            create = Some(CreatePods {
                pod: pod_from_template(target),
                count: (desired - claimed).min(BURST_REPLICAS),
                regarding: regarding(target),
                source: target.kind.source(),
            });
        } else if claimed > desired {
            let n = (claimed - desired).min(BURST_REPLICAS);
            let mine: Vec<&Pod> = observed
                .pods
                .iter()
                .map(Borrow::borrow)
                .filter(|p| matches!(classify(p), Claim::Owned | Claim::Adopt))
                .collect();
            let related = related_pods(target, observed);
            delete = pods::pods_to_delete(&mine, &related, n, now)
                .into_iter()
                .map(PodRef::of)
                .collect();
        }
    }

    let inputs = StatusInputsRef {
        counts,
        old: target.status,
        generation: target.meta.generation,
        desired: target.replicas,
        now,
    };
    let status = inputs.status(None);
    let written = status.as_ref().unwrap_or(target.status);
    let mut requeue = None;
    if target.min_ready_seconds > 0
        && written.ready_replicas == target.replicas
        && written.available_replicas != target.replicas
    {
        requeue = Some(Requeue::After(std::time::Duration::from_secs(
            u64::try_from(target.min_ready_seconds).unwrap_or(0),
        )));
    }
    if let Some(at) = next_available {
        let wait = at
            .duration_since(now)
            .max(std::time::Duration::from_secs(1));
        requeue = Requeue::min(requeue, Some(Requeue::After(wait)));
    }

    let mut plan = Plan {
        controller_ref: OwnerReference::default(),
        adopt,
        release,
        create,
        delete,
        status,
        requeue,
        context: None,
        source: target.kind.source(),
    };
    // A plan with nothing to do copies nothing from the ReplicaSet (no allocation).
    if !plan.is_noop() {
        plan.controller_ref = controller_ref(target);
        plan.context = Some(Context {
            inputs: inputs.into_owned(),
            regarding: regarding(target),
        });
    }
    Ok(plan)
}

/// The object a ReplicaSet's events are recorded against.
fn regarding(target: &Target<'_>) -> ObjectReference {
    ObjectReference {
        kind: target.kind.kind().to_owned(),
        namespace: target.meta.namespace.clone(),
        name: target.meta.name.clone(),
        uid: target.meta.uid.clone(),
    }
}

/// The controller owner reference a ReplicaSet puts on its pods.
fn controller_ref(target: &Target<'_>) -> OwnerReference {
    OwnerReference {
        api_version: target.kind.api_version().to_owned(),
        kind: target.kind.kind().to_owned(),
        name: target.meta.name.clone(),
        uid: target.meta.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
        ..OwnerReference::default()
    }
}

/// Upstream's `GetPodFromTemplate`: labels, annotations and finalizers from the template's
/// metadata (nothing else of it), the spec, the namespace, `generateName` = `<name>-` (the dash
/// is dropped only when the name is 253 characters long), and the controller reference.
fn pod_from_template(target: &Target<'_>) -> Pod {
    let name = &target.meta.name;
    let generate_name = if name.len() >= crate::validation::names::DNS1123_SUBDOMAIN_MAX_LENGTH {
        name.clone()
    } else {
        format!("{name}-")
    };
    let tm = &target.template.metadata;
    Pod {
        metadata: ObjectMeta {
            generate_name,
            namespace: target.meta.namespace.clone(),
            labels: tm.labels.clone(),
            annotations: tm.annotations.clone(),
            finalizers: tm.finalizers.clone(),
            owner_references: vec![controller_ref(target)],
            ..ObjectMeta::default()
        },
        spec: target.template.spec.clone(),
        ..Pod::default()
    }
}

/// Pods of every ReplicaSet controlled by the same owner as this one (the pods upstream ranks
/// colocation against). Empty when this ReplicaSet has no controller.
fn related_pods<'p, P: Borrow<Pod>, R: Borrow<ReplicaSet>>(
    target: &Target<'_>,
    observed: &Observed<'p, P, R>,
) -> Vec<&'p Pod> {
    let Some(owner) = target.meta.controller_ref() else {
        return Vec::new();
    };
    let namespace = &target.meta.namespace;
    let mut selectors = vec![target.selector];
    for rs in observed.replica_sets {
        let rs = rs.borrow();
        if rs.metadata.namespace != *namespace
            || rs.metadata.uid == target.meta.uid
            || rs.metadata.controller_ref().map(|r| &r.uid) != Some(&owner.uid)
        {
            continue;
        }
        if let Ok(s) = Selector::compile(rs.spec.selector.as_ref()) {
            selectors.push(s);
        }
    }
    observed
        .pods
        .iter()
        .map(Borrow::borrow)
        .filter(|p| {
            p.metadata.namespace == *namespace
                && selectors.iter().any(|s| s.matches(&p.metadata.labels))
        })
        .collect()
}

#[cfg(test)]
mod tests;
