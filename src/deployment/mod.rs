//! The Deployment controller as a pure function of the objects and a time.
//!
//! [`reconcile`] is upstream's `syncDeployment` (kube-controller-manager v1.32) without the
//! I/O. It reads the Deployment, the ReplicaSets of its namespace and (for `Recreate`) the pods,
//! and returns a [`Plan`]: the writes upstream would make, **in the order it makes them**, plus
//! events and when to call again. The split follows upstream's files: [`sync`](self) (new
//! ReplicaSet, revisions, scaling, status), `rolling`, `recreate`, `progress` (conditions and the
//! progress deadline), `history` (cleanup of old ReplicaSets), `scaling` (proportional scaling)
//! and `rollback` (the deprecated `rollbackTo` annotation).
//!
//! Everything a later reconcile needs is written into the objects (revision annotations,
//! desired/max-replicas annotations, conditions), exactly as upstream persists it, so the caller
//! keeps no hidden state: apply the actions to your store, let the ReplicaSet controller act on
//! the ReplicaSets, and reconcile again when something changed or [`Plan::requeue`] says so.
//!
//! ```
//! use kube_workloads::deployment::{self, Action, Observed};
//! use kube_workloads::{Deployment, Time};
//!
//! let d: Deployment = serde_yaml::from_str(r#"
//! apiVersion: apps/v1
//! kind: Deployment
//! metadata: {name: sample-deployment, namespace: default, uid: d-1, generation: 1}
//! spec:
//!   replicas: 3
//!   selector: {matchLabels: {app: sample-app}}
//!   strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
//!   template:
//!     metadata: {labels: {app: sample-app}}
//!     spec: {containers: [{name: nginx-container, image: "nginx:1.16"}]}
//! "#)?;
//! let now = Time::from_unix(1_700_000_000);
//! let plan = deployment::reconcile(&d, &Observed::new(&[] as &[kube_workloads::ReplicaSet]), now)?;
//! let Action::CreateReplicaSet(rs) = &plan.actions[0] else { panic!("expected a new ReplicaSet") };
//! assert_eq!(rs.spec.replicas, Some(3));
//! assert_eq!(rs.metadata.annotations["deployment.kubernetes.io/revision"], "1");
//! assert_eq!(plan.events[0].message, format!("Scaled up replica set {} from 0 to 3", rs.metadata.name));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod history;
mod progress;
mod recreate;
mod rollback;
mod rolling;
mod scaling;
mod sync;
pub mod util;

use std::borrow::{Borrow, Cow};

use crate::api::{
    Deployment, DeploymentStatus, DeploymentStrategyType, IntOrString, Pod, PodPhase, ReplicaSet,
};
use crate::controller::Requeue;
use crate::event::{Event, ObjectReference};
use crate::meta::{Labels, OwnerReference};
use crate::selector::{Selector, SelectorError};
use crate::time::Time;

/// The event source of the Deployment controller.
pub const SOURCE: &str = "deployment-controller";

/// What the controller reads besides the Deployment.
///
/// `R` is anything that borrows a [`ReplicaSet`], `P` anything that borrows a [`Pod`].
#[derive(Debug)]
pub struct Observed<'a, R = ReplicaSet, P = Pod> {
    /// The ReplicaSets of the Deployment's namespace, in any order and of any owner: the
    /// function picks those the Deployment owns or may adopt, and needs the others to detect
    /// name collisions of a new ReplicaSet.
    pub replica_sets: &'a [R],
    /// Pods of the namespace; only read by the `Recreate` strategy (which waits until no old
    /// pod is running). May be empty for `RollingUpdate` Deployments.
    pub pods: &'a [P],
}

impl<'a, R> Observed<'a, R, Pod> {
    /// ReplicaSets only (enough for `RollingUpdate`).
    #[must_use]
    pub fn new(replica_sets: &'a [R]) -> Self {
        Observed {
            replica_sets,
            pods: &[],
        }
    }
}

impl<'a, R, P> Observed<'a, R, P> {
    /// The same observation with pods (needed by `Recreate`).
    #[must_use]
    pub fn with_pods<P2>(self, pods: &'a [P2]) -> Observed<'a, R, P2> {
        Observed {
            replica_sets: self.replica_sets,
            pods,
        }
    }
}

/// A ReplicaSet an action refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReplicaSetRef {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// UID (use it as a precondition where the store supports one).
    pub uid: String,
}

impl ReplicaSetRef {
    fn of(rs: &ReplicaSet) -> Self {
        ReplicaSetRef {
            namespace: rs.metadata.namespace.clone(),
            name: rs.metadata.name.clone(),
            uid: rs.metadata.uid.clone(),
        }
    }
}

/// The Deployment fields a status write carries: upstream writes the revision annotation
/// through the status subresource, whose strategy keeps annotations.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusUpdate {
    /// The Deployment's annotations after the write.
    pub annotations: Labels,
    /// The status after the write.
    pub status: DeploymentStatus,
}

/// One write the controller makes. The caller MUST apply them in order; if one fails, stop and
/// reconcile again (upstream returns the error and retries with backoff).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Action {
    /// Patch a controller owner reference (see [`Plan::controller_ref`]) onto an orphan
    /// ReplicaSet whose labels match the selector.
    AdoptReplicaSet(ReplicaSetRef),
    /// Remove this Deployment's owner reference from a ReplicaSet that stopped matching.
    ReleaseReplicaSet(ReplicaSetRef),
    /// Create this ReplicaSet (its name is `<deployment>-<pod-template-hash>`).
    CreateReplicaSet(ReplicaSet),
    /// Replace this ReplicaSet's spec and metadata (scaling, annotations, minReadySeconds).
    UpdateReplicaSet(ReplicaSet),
    /// Delete this old ReplicaSet (history cleanup).
    DeleteReplicaSet(ReplicaSetRef),
    /// Write the Deployment's status and annotations (status subresource).
    UpdateDeploymentStatus(StatusUpdate),
    /// Write the Deployment's spec and annotations (only the deprecated `rollbackTo` path).
    UpdateDeployment(Box<Deployment>),
}

/// What the controller decided in one reconcile.
#[derive(Clone, Debug, PartialEq)]
#[must_use = "a plan does nothing until the caller carries it out"]
pub struct Plan {
    /// The owner reference adoption patches add (left empty in a plan with no actions).
    pub controller_ref: OwnerReference,
    /// The writes, in upstream's order.
    pub actions: Vec<Action>,
    /// Events, in the order upstream records them (each after its write succeeded).
    pub events: Vec<Event>,
    /// When to reconcile again even if nothing changes.
    pub requeue: Option<Requeue>,
}

impl Plan {
    /// True when the plan asks for no write.
    #[must_use]
    pub fn is_noop(&self) -> bool {
        self.actions.is_empty()
    }

    /// The ReplicaSet to create, if any.
    #[must_use]
    pub fn created_replica_set(&self) -> Option<&ReplicaSet> {
        self.actions.iter().find_map(|a| match a {
            Action::CreateReplicaSet(rs) => Some(rs),
            _ => None,
        })
    }

    /// The final state of every ReplicaSet the plan updates (later writes win), by name.
    #[must_use]
    pub fn updated_replica_sets(&self) -> Vec<&ReplicaSet> {
        let mut out: Vec<&ReplicaSet> = Vec::new();
        for a in &self.actions {
            if let Action::UpdateReplicaSet(rs) = a {
                out.retain(|o| o.metadata.name != rs.metadata.name);
                out.push(rs);
            }
        }
        out
    }

    /// The last status write, if any.
    #[must_use]
    pub fn status(&self) -> Option<&StatusUpdate> {
        self.actions.iter().rev().find_map(|a| match a {
            Action::UpdateDeploymentStatus(s) => Some(s),
            _ => None,
        })
    }
}

/// Why a Deployment cannot be reconciled. The API server's validation keeps such objects out;
/// if one gets here the controller changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReconcileError {
    /// `spec.selector` is missing.
    #[error("spec.selector: Required value")]
    MissingSelector,
    /// `spec.selector` does not convert to a selector.
    #[error("invalid label selector: {0}")]
    InvalidSelector(#[from] SelectorError),
    /// The selector does not match the template's labels.
    #[error(
        "spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`"
    )]
    SelectorDoesNotMatchTemplate,
    /// `spec.replicas` is negative.
    #[error("spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0")]
    NegativeReplicas {
        /// The value found.
        replicas: i32,
    },
    /// `maxSurge` or `maxUnavailable` does not resolve.
    #[error("spec.strategy.rollingUpdate: {0}")]
    InvalidStrategy(#[from] util::IntOrStringError),
    /// Both `maxSurge` and `maxUnavailable` are 0.
    #[error(
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: {max_unavailable}: may not be 0 when `maxSurge` is 0"
    )]
    ZeroSurgeAndUnavailable {
        /// `maxUnavailable` rendered as Go's `%#v`.
        max_unavailable: String,
    },
    /// A strategy type other than `RollingUpdate` or `Recreate`.
    #[error("unexpected deployment strategy type: {strategy}")]
    UnknownStrategy {
        /// The type found.
        strategy: String,
    },
}

/// A ReplicaSet as the sync sees it: as listed, or the copy this sync wrote (boxed, so that
/// moving and sorting the working set stays cheap).
#[derive(Clone, Debug)]
pub(crate) enum Working<'a> {
    /// As observed.
    Listed(&'a ReplicaSet),
    /// As written (adopted, created or updated) in this sync.
    Written(Box<ReplicaSet>),
}

impl std::ops::Deref for Working<'_> {
    type Target = ReplicaSet;
    fn deref(&self) -> &ReplicaSet {
        match self {
            Working::Listed(rs) => rs,
            Working::Written(rs) => rs,
        }
    }
}

/// Marks a sync that stopped early the way upstream's returned error stops it.
pub(crate) struct Stop;

/// The working state of one sync: copies of the objects as upstream's in-memory pointers see
/// them after each write, and the writes made so far.
pub(crate) struct Ctx<'a> {
    pub(crate) now: Time,
    pub(crate) d: Cow<'a, Deployment>,
    /// The Deployment's ReplicaSets (owned and adopted), sorted by creation.
    pub(crate) rss: Vec<Working<'a>>,
    /// Every ReplicaSet of the namespace (to detect name collisions).
    pub(crate) namespace_rss: Vec<&'a ReplicaSet>,
    /// UIDs of the owned ReplicaSets that still have a pod that is not Succeeded/Failed.
    pub(crate) rs_with_live_pods: Vec<String>,
    /// `spec.replicas` of each ReplicaSet before this sync first wrote it, by index: upstream's
    /// `allRSs`/`oldRSs` slices keep the objects as listed (or as created) after its scale
    /// writes, and its status and history cleanup read them.
    pub(crate) listed_replicas: Vec<(usize, i32)>,
    /// `FindNewReplicaSet`'s answer for the current template and ReplicaSets (cleared when
    /// either changes).
    pub(crate) new_rs_cache: Option<Option<usize>>,
    pub(crate) actions: Vec<Action>,
    pub(crate) events: Vec<Event>,
    pub(crate) requeue: Option<Requeue>,
}

impl<'a> Ctx<'a> {
    /// The working copy of ReplicaSet `i` (indices are only ever produced from `rss`).
    pub(crate) fn rs(&self, i: usize) -> &ReplicaSet {
        &self.rss[i]
    }

    pub(crate) fn regarding(&self) -> ObjectReference {
        ObjectReference {
            kind: "Deployment".to_owned(),
            namespace: self.d.metadata.namespace.clone(),
            name: self.d.metadata.name.clone(),
            uid: self.d.metadata.uid.clone(),
        }
    }

    pub(crate) fn event_normal(&mut self, reason: &str, message: String) {
        let e = Event::normal(self.regarding(), SOURCE, reason, message);
        self.events.push(e);
    }

    pub(crate) fn event_warning(&mut self, reason: &str, message: String) {
        let e = Event::warning(self.regarding(), SOURCE, reason, message);
        self.events.push(e);
    }

    /// Records an `UpdateStatus` of the working Deployment.
    pub(crate) fn write_status(&mut self) {
        self.actions
            .push(Action::UpdateDeploymentStatus(StatusUpdate {
                annotations: self.d.metadata.annotations.clone(),
                status: self.d.status.clone(),
            }));
    }

    /// Records an `Update` of a ReplicaSet and makes it the working copy.
    pub(crate) fn update_rs(&mut self, i: usize, rs: ReplicaSet) {
        self.actions.push(Action::UpdateReplicaSet(rs.clone()));
        if let Some(slot) = self.rss.get_mut(i) {
            if !self.listed_replicas.iter().any(|(j, _)| *j == i) {
                self.listed_replicas.push((i, slot.replicas()));
            }
            *slot = Working::Written(Box::new(rs));
        }
    }

    /// `spec.replicas` of ReplicaSet `i` as listed (or created), before this sync's writes.
    pub(crate) fn listed_replicas(&self, i: usize) -> i32 {
        self.listed_replicas
            .iter()
            .find(|(j, _)| *j == i)
            .map_or_else(|| self.rs(i).replicas(), |(_, r)| *r)
    }
}

/// Reconciles a Deployment: upstream's `syncDeployment` as a pure function.
pub fn reconcile<R: Borrow<ReplicaSet>, P: Borrow<Pod>>(
    d: &Deployment,
    observed: &Observed<'_, R, P>,
    now: Time,
) -> Result<Plan, ReconcileError> {
    check(d)?;
    let controller_ref = || controller_ref_of(d);
    let selector_spec = d
        .spec
        .selector
        .as_ref()
        .ok_or(ReconcileError::MissingSelector)?;
    let mut ctx = Ctx {
        now,
        d: Cow::Borrowed(d),
        rss: Vec::with_capacity(observed.replica_sets.len()),
        namespace_rss: Vec::with_capacity(observed.replica_sets.len()),
        rs_with_live_pods: Vec::new(),
        listed_replicas: Vec::new(),
        new_rs_cache: None,
        actions: Vec::new(),
        events: Vec::new(),
        requeue: None,
    };

    // An empty selector selects everything: upstream refuses to act.
    if selector_spec.is_empty() {
        ctx.event_warning(
            "SelectingAll",
            "This deployment is selecting all pods. A non-empty selector is required.".to_owned(),
        );
        if ctx.d.status.observed_generation < ctx.d.metadata.generation {
            let generation = ctx.d.metadata.generation;
            ctx.d.to_mut().status.observed_generation = generation;
            ctx.write_status();
        }
        return Ok(ctx.into_plan(controller_ref));
    }
    let selector = Selector::compile(Some(selector_spec))?;
    claim_replica_sets(&mut ctx, d, &selector, observed);
    if d.spec.strategy.type_ == DeploymentStrategyType::Recreate {
        ctx.rs_with_live_pods = live_pod_owners(&ctx, d, &selector, observed);
    }
    // A sync stopped early (Err(Stop)) still returns what it wrote so far.
    let _ = sync_deployment(&mut ctx);
    Ok(ctx.into_plan(controller_ref))
}

/// Upstream's `syncDeployment` after the listing: deletion, paused conditions, paused,
/// rollback, scaling event, then the strategy.
fn sync_deployment(ctx: &mut Ctx<'_>) -> Result<(), Stop> {
    if ctx.d.metadata.deletion_timestamp.is_some() {
        return ctx.sync_status_only();
    }
    ctx.check_paused_conditions();
    if ctx.d.spec.paused {
        return ctx.sync();
    }
    if rollback::rollback_to(&ctx.d).is_some() {
        return ctx.rollback();
    }
    if ctx.is_scaling_event()? {
        return ctx.sync();
    }
    match ctx.d.spec.strategy.type_ {
        DeploymentStrategyType::Recreate => ctx.rollout_recreate(),
        _ => ctx.rollout_rolling(),
    }
}

impl Ctx<'_> {
    /// The plan; `controller_ref` is only built when there is something to do (a reconcile
    /// with nothing to do stays cheap).
    fn into_plan(self, controller_ref: impl FnOnce() -> OwnerReference) -> Plan {
        Plan {
            controller_ref: if self.actions.is_empty() {
                OwnerReference::default()
            } else {
                controller_ref()
            },
            actions: self.actions,
            events: self.events,
            requeue: self.requeue,
        }
    }
}

/// The controller owner reference a Deployment puts on its ReplicaSets.
fn controller_ref_of(d: &Deployment) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".to_owned(),
        kind: "Deployment".to_owned(),
        name: d.metadata.name.clone(),
        uid: d.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
        ..OwnerReference::default()
    }
}

/// Checks what the API server's validation would reject and the controller cannot act on.
fn check(d: &Deployment) -> Result<(), ReconcileError> {
    if d.replicas() < 0 {
        return Err(ReconcileError::NegativeReplicas {
            replicas: d.replicas(),
        });
    }
    let Some(sel) = d.spec.selector.as_ref() else {
        return Err(ReconcileError::MissingSelector);
    };
    let compiled = Selector::compile(Some(sel))?;
    if !compiled.is_empty() && !compiled.matches(&d.spec.template.metadata.labels) {
        return Err(ReconcileError::SelectorDoesNotMatchTemplate);
    }
    match &d.spec.strategy.type_ {
        DeploymentStrategyType::RollingUpdate => {
            let ru = d.spec.strategy.rolling_update.as_ref();
            let surge = ru.and_then(|r| r.max_surge.as_ref());
            let unavailable = ru.and_then(|r| r.max_unavailable.as_ref());
            util::resolve_fenceposts(surge, unavailable, d.replicas())?;
            if is_literal_zero(surge) && is_literal_zero(unavailable) {
                return Err(ReconcileError::ZeroSurgeAndUnavailable {
                    max_unavailable: unavailable
                        .cloned()
                        .unwrap_or(IntOrString::Int(0))
                        .go_repr(),
                });
            }
            Ok(())
        }
        DeploymentStrategyType::Recreate => Ok(()),
        other => Err(ReconcileError::UnknownStrategy {
            strategy: other.as_str().to_owned(),
        }),
    }
}

/// The unscaled value is 0 (`0` or `"0%"`), which validation rejects for both fields at once.
fn is_literal_zero(v: Option<&IntOrString>) -> bool {
    match v {
        None | Some(IntOrString::Int(0)) => true,
        Some(IntOrString::String(s)) => s
            .strip_suffix('%')
            .is_some_and(|n| n.parse::<i64>() == Ok(0)),
        Some(IntOrString::Int(_)) => false,
    }
}

/// Upstream's `getReplicaSetsForDeployment`: adopt matching orphans, release owned
/// ReplicaSets that stopped matching; the result (owned + adopted) sorted by creation.
fn claim_replica_sets<'a, R: Borrow<ReplicaSet>, P>(
    ctx: &mut Ctx<'a>,
    d: &'a Deployment,
    selector: &Selector<'_>,
    observed: &Observed<'a, R, P>,
) {
    let deleting = d.metadata.deletion_timestamp.is_some();
    let mut adopt = Vec::new();
    let mut release = Vec::new();
    for r in observed.replica_sets {
        let rs: &'a ReplicaSet = r.borrow();
        if rs.metadata.namespace != d.metadata.namespace {
            continue;
        }
        ctx.namespace_rss.push(rs);
        match rs.metadata.controller_ref() {
            Some(owner) if owner.uid != d.metadata.uid => {}
            Some(_) => {
                if selector.matches(&rs.metadata.labels) {
                    ctx.rss.push(Working::Listed(rs));
                } else if !deleting {
                    release.push(ReplicaSetRef::of(rs));
                }
            }
            None => {
                if !deleting
                    && rs.metadata.deletion_timestamp.is_none()
                    && selector.matches(&rs.metadata.labels)
                {
                    adopt.push(ReplicaSetRef::of(rs));
                    let mut owned = rs.clone();
                    owned.metadata.owner_references.push(controller_ref_of(d));
                    ctx.rss.push(Working::Written(Box::new(owned)));
                }
            }
        }
    }
    adopt.sort_unstable();
    release.sort_unstable();
    ctx.actions
        .extend(adopt.into_iter().map(Action::AdoptReplicaSet));
    ctx.actions
        .extend(release.into_iter().map(Action::ReleaseReplicaSet));
    ctx.rss.sort_by(|a, b| util::by_creation(a, b));
}

/// UIDs of the Deployment's ReplicaSets that control a pod matching the selector whose phase is
/// not Succeeded/Failed (upstream's `podMap` as `oldPodsRunning` reads it).
fn live_pod_owners<R, P: Borrow<Pod>>(
    ctx: &Ctx<'_>,
    d: &Deployment,
    selector: &Selector<'_>,
    observed: &Observed<'_, R, P>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in observed.pods {
        let pod = p.borrow();
        if pod.metadata.namespace != d.metadata.namespace
            || matches!(pod.status.phase, PodPhase::Succeeded | PodPhase::Failed)
            || !selector.matches(&pod.metadata.labels)
        {
            continue;
        }
        let Some(owner) = pod.metadata.controller_ref() else {
            continue;
        };
        if ctx.rss.iter().any(|rs| rs.metadata.uid == owner.uid) && !out.contains(&owner.uid) {
            out.push(owner.uid.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests;
