//! Upstream's `deployment/util`: rollout arithmetic (fenceposts, surge, proportions), revision
//! and replica annotations, condition helpers, and the ReplicaSet orderings.

use std::cmp::Ordering;

use crate::api::{
    ConditionStatus, Deployment, DeploymentCondition, DeploymentConditionType, DeploymentStatus,
    DeploymentStrategyType, IntOrString, ReplicaSet, ReplicaSetCondition,
};
use crate::meta::lookup;
use crate::time::Time;

/// `deployment.kubernetes.io/revision`: the rollout sequence number.
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// `deployment.kubernetes.io/revision-history`: earlier revisions a ReplicaSet served.
pub const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
/// `deployment.kubernetes.io/desired-replicas`: the Deployment's replicas when last scaled.
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
/// `deployment.kubernetes.io/max-replicas`: replicas + maxSurge when last scaled.
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";
/// `deprecated.deployment.rollback.to`: the removed `spec.rollbackTo.revision`.
pub const DEPRECATED_ROLLBACK_TO: &str = "deprecated.deployment.rollback.to";
/// `kubectl.kubernetes.io/last-applied-configuration`.
pub const LAST_APPLIED_CONFIG: &str = "kubectl.kubernetes.io/last-applied-configuration";
/// `kubernetes.io/change-cause`: shown by `rollout history`.
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";

/// Annotations never copied from a Deployment to its ReplicaSets (upstream's
/// `annotationsToSkip`).
pub const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    LAST_APPLIED_CONFIG,
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION,
    MAX_REPLICAS_ANNOTATION,
    DEPRECATED_ROLLBACK_TO,
];

/// Longest `revision-history` annotation the controller writes (upstream: 2000 characters).
pub const MAX_REV_HISTORY_LENGTH_IN_CHARS: usize = 2000;

/// `progressDeadlineSeconds` / `revisionHistoryLimit` value meaning "none" (`math.MaxInt32`).
pub const NO_LIMIT: i32 = i32::MAX;

/// Condition reasons, spelled as upstream.
pub mod reason {
    /// Progressing=True: the new ReplicaSet was created.
    pub const NEW_REPLICA_SET_CREATED: &str = "NewReplicaSetCreated";
    /// Progressing=True: an existing new ReplicaSet was found.
    pub const FOUND_NEW_REPLICA_SET: &str = "FoundNewReplicaSet";
    /// Progressing=True: progress was observed.
    pub const REPLICA_SET_UPDATED: &str = "ReplicaSetUpdated";
    /// Progressing=True: the rollout completed.
    pub const NEW_REPLICA_SET_AVAILABLE: &str = "NewReplicaSetAvailable";
    /// Progressing=False: no progress within the deadline.
    pub const PROGRESS_DEADLINE_EXCEEDED: &str = "ProgressDeadlineExceeded";
    /// Progressing=False: the new ReplicaSet could not be created.
    pub const REPLICA_SET_CREATE_ERROR: &str = "ReplicaSetCreateError";
    /// Progressing=Unknown: paused.
    pub const DEPLOYMENT_PAUSED: &str = "DeploymentPaused";
    /// Progressing=Unknown: resumed.
    pub const DEPLOYMENT_RESUMED: &str = "DeploymentResumed";
    /// Available=True.
    pub const MINIMUM_REPLICAS_AVAILABLE: &str = "MinimumReplicasAvailable";
    /// Available=False.
    pub const MINIMUM_REPLICAS_UNAVAILABLE: &str = "MinimumReplicasUnavailable";
}

/// Why an `IntOrString` cannot be scaled (upstream's `GetScaledValueFromIntOrPercent` errors).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IntOrStringError {
    /// A string without a trailing `%`.
    #[error("invalid value for IntOrString: invalid type: string is not a percentage")]
    NotAPercentage {
        /// The string.
        value: String,
    },
    /// A `%` string whose number does not parse.
    #[error(
        "invalid value for IntOrString: invalid value {value:?}: strconv.Atoi: parsing {number:?}: invalid syntax"
    )]
    InvalidPercent {
        /// The whole string.
        value: String,
        /// The part before `%`.
        number: String,
    },
}

/// Upstream's `GetScaledValueFromIntOrPercent`: an int as is; `N%` of `total`, rounded up or
/// down (exact integer arithmetic; upstream uses float64, which agrees for realistic sizes).
pub fn scaled_value(v: &IntOrString, total: i32, round_up: bool) -> Result<i32, IntOrStringError> {
    match v {
        IntOrString::Int(i) => Ok(*i),
        IntOrString::String(s) => {
            let Some(number) = s.strip_suffix('%') else {
                return Err(IntOrStringError::NotAPercentage { value: s.clone() });
            };
            let p: i64 = number
                .parse()
                .map_err(|_| IntOrStringError::InvalidPercent {
                    value: s.clone(),
                    number: number.to_owned(),
                })?;
            let product = i128::from(p) * i128::from(total);
            let scaled = if round_up {
                product.div_euclid(100) + i128::from(product.rem_euclid(100) != 0)
            } else {
                product.div_euclid(100)
            };
            Ok(clamp_i32(scaled))
        }
    }
}

/// Saturates a wide integer into `i32`.
#[must_use]
pub fn clamp_i32(v: i128) -> i32 {
    i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
}

/// Upstream's `ResolveFenceposts`: surge rounds up, unavailable rounds down, and if both come
/// out 0, unavailable becomes 1. Absent values count as 0.
pub fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> Result<(i32, i32), IntOrStringError> {
    let zero = IntOrString::Int(0);
    let surge = scaled_value(max_surge.unwrap_or(&zero), desired, true)?;
    let mut unavailable = scaled_value(max_unavailable.unwrap_or(&zero), desired, false)?;
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    Ok((surge, unavailable))
}

fn is_rolling_update(d: &Deployment) -> bool {
    d.spec.strategy.type_ == DeploymentStrategyType::RollingUpdate
}

fn fenceposts(d: &Deployment) -> Result<(i32, i32), IntOrStringError> {
    let ru = d.spec.strategy.rolling_update.as_ref();
    resolve_fenceposts(
        ru.and_then(|r| r.max_surge.as_ref()),
        ru.and_then(|r| r.max_unavailable.as_ref()),
        d.replicas(),
    )
}

/// Upstream's `MaxSurge`: 0 unless RollingUpdate; never clamped; errors count as 0.
#[must_use]
pub fn max_surge(d: &Deployment) -> i32 {
    if !is_rolling_update(d) {
        return 0;
    }
    fenceposts(d).map(|(s, _)| s).unwrap_or(0)
}

/// Upstream's `MaxUnavailable`: 0 unless RollingUpdate or when replicas is 0; otherwise the
/// fencepost value clamped to `replicas`.
#[must_use]
pub fn max_unavailable(d: &Deployment) -> i32 {
    if !is_rolling_update(d) || d.replicas() == 0 {
        return 0;
    }
    let (_, unavailable) = fenceposts(d).unwrap_or((0, 0));
    unavailable.min(d.replicas())
}

/// Upstream's `MinAvailable`: `replicas − MaxUnavailable` for RollingUpdate, else 0.
#[must_use]
pub fn min_available(d: &Deployment) -> i32 {
    if !is_rolling_update(d) {
        return 0;
    }
    d.replicas().saturating_sub(max_unavailable(d))
}

/// `spec.replicas` of a ReplicaSet (API default 1 when unset).
#[must_use]
pub fn rs_replicas(rs: &ReplicaSet) -> i32 {
    rs.replicas()
}

/// Σ spec.replicas.
#[must_use]
pub fn replica_count<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    clamp_i32(rss.into_iter().map(|r| i128::from(r.replicas())).sum())
}

/// Upstream's `NewRSNewReplicas`: how big the new ReplicaSet may be now. `all_replicas` is
/// Σ spec.replicas over every ReplicaSet (new included), `new_replicas` the new one's.
pub fn new_rs_new_replicas(
    d: &Deployment,
    all_replicas: i32,
    new_replicas: i32,
) -> Result<i32, IntOrStringError> {
    match &d.spec.strategy.type_ {
        DeploymentStrategyType::RollingUpdate => {
            let surge_value = d
                .spec
                .strategy
                .rolling_update
                .as_ref()
                .and_then(|r| r.max_surge.clone())
                .unwrap_or(IntOrString::Int(0));
            let surge = scaled_value(&surge_value, d.replicas(), true)?;
            let max_total = i64::from(d.replicas()) + i64::from(surge);
            if i64::from(all_replicas) >= max_total {
                return Ok(new_replicas);
            }
            let scale_up = (max_total - i64::from(all_replicas))
                .min(i64::from(d.replicas()) - i64::from(new_replicas));
            Ok(clamp_i32(i128::from(new_replicas) + i128::from(scale_up)))
        }
        _ => Ok(d.replicas()),
    }
}

/// Upstream's `IsSaturated`: the new ReplicaSet has the full size, its desired-replicas
/// annotation says so, and all its pods are available.
#[must_use]
pub fn is_saturated(d: &Deployment, new_rs: Option<&ReplicaSet>) -> bool {
    let Some(rs) = new_rs else {
        return false;
    };
    let Some(desired) = desired_replicas_annotation(rs) else {
        return false;
    };
    rs.replicas() == d.replicas()
        && desired == d.replicas()
        && rs.status.available_replicas == d.replicas()
}

/// The desired-replicas annotation, when it parses as an `i32` (Go's `Atoi` into int32).
#[must_use]
pub fn desired_replicas_annotation(rs: &ReplicaSet) -> Option<i32> {
    lookup(&rs.metadata.annotations, DESIRED_REPLICAS_ANNOTATION)
        .and_then(|v| v.parse::<i32>().ok())
}

/// Upstream's `ReplicasAnnotationsNeedUpdate`.
#[must_use]
pub fn replicas_annotations_need_update(rs: &ReplicaSet, desired: i32, max: i32) -> bool {
    let a = &rs.metadata.annotations;
    lookup(a, DESIRED_REPLICAS_ANNOTATION).map(String::as_str) != Some(desired.to_string().as_str())
        || lookup(a, MAX_REPLICAS_ANNOTATION).map(String::as_str) != Some(max.to_string().as_str())
}

/// Upstream's `SetReplicasAnnotations`; true when something changed.
pub fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i32, max: i32) -> bool {
    let mut changed = false;
    for (key, value) in [
        (DESIRED_REPLICAS_ANNOTATION, desired),
        (MAX_REPLICAS_ANNOTATION, max),
    ] {
        let value = value.to_string();
        if lookup(&rs.metadata.annotations, key) != Some(&value) {
            rs.metadata.annotations.insert(key.to_owned(), value);
            changed = true;
        }
    }
    changed
}

/// Why a revision annotation is unusable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid revision {value:?}")]
pub struct RevisionError {
    /// The annotation value.
    pub value: String,
}

/// Upstream's `Revision`: the revision annotation as an `i64`; 0 when absent.
pub fn revision(annotations: &crate::meta::Labels) -> Result<i64, RevisionError> {
    match lookup(annotations, REVISION_ANNOTATION) {
        None => Ok(0),
        Some(v) => v
            .parse::<i64>()
            .map_err(|_| RevisionError { value: v.clone() }),
    }
}

/// Upstream's `MaxRevision`: the largest parseable revision (0 if none).
#[must_use]
pub fn max_revision<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i64 {
    rss.into_iter()
        .filter_map(|rs| revision(&rs.metadata.annotations).ok())
        .fold(0, i64::max)
}

/// Upstream's `LastRevision`: the second-largest revision, counting duplicates of the top one.
#[must_use]
pub fn last_revision<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i64 {
    let (mut max, mut sec) = (0i64, 0i64);
    for v in rss
        .into_iter()
        .filter_map(|rs| revision(&rs.metadata.annotations).ok())
    {
        if v >= max {
            sec = max;
            max = v;
        } else if v > sec {
            sec = v;
        }
    }
    sec
}

/// Upstream's `SetDeploymentRevision`; true when it changed.
pub fn set_deployment_revision(d: &mut Deployment, revision: &str) -> bool {
    if lookup(&d.metadata.annotations, REVISION_ANNOTATION).map(String::as_str) == Some(revision) {
        return false;
    }
    d.metadata
        .annotations
        .insert(REVISION_ANNOTATION.to_owned(), revision.to_owned());
    true
}

fn skip_annotation(key: &str) -> bool {
    ANNOTATIONS_TO_SKIP.contains(&key)
}

/// Upstream's `SetNewReplicaSetAnnotations`: copy the Deployment's annotations (except the
/// skip list, never deleting any), raise the revision (never lower it), append the replaced
/// revision to `revision-history` when an existing ReplicaSet is re-used (front-trimmed to
/// `limit` characters), and on creation set the replica annotations. True when changed.
pub fn set_new_replica_set_annotations(
    d: &Deployment,
    rs: &mut ReplicaSet,
    new_revision: &str,
    exists: bool,
    limit: usize,
) -> bool {
    let mut changed = false;
    for (k, v) in &d.metadata.annotations {
        if skip_annotation(k) {
            continue;
        }
        if rs.metadata.annotations.get(k) != Some(v) {
            rs.metadata.annotations.insert(k.clone(), v.clone());
            changed = true;
        }
    }
    let old_revision = rs.metadata.annotations.get(REVISION_ANNOTATION).cloned();
    let old_int = match old_revision.as_deref() {
        None | Some("") => 0,
        Some(v) => match v.parse::<i64>() {
            Ok(i) => i,
            Err(_) => return false,
        },
    };
    let Ok(new_int) = new_revision.parse::<i64>() else {
        return false;
    };
    if old_int < new_int {
        rs.metadata
            .annotations
            .insert(REVISION_ANNOTATION.to_owned(), new_revision.to_owned());
        changed = true;
    }
    if let Some(old) = old_revision.as_deref() {
        if old_int < new_int {
            append_revision_history(rs, old, limit);
        }
    }
    if !exists
        && set_replicas_annotations(rs, d.replicas(), d.replicas().saturating_add(max_surge(d)))
    {
        changed = true;
    }
    changed
}

/// Read-only twin of [`set_new_replica_set_annotations`] for an existing ReplicaSet
/// (`exists = true`): whether it would change anything. Lets the no-change path of a sync skip
/// copying the ReplicaSet.
#[must_use]
pub fn new_replica_set_annotations_need_update(
    d: &Deployment,
    rs: &ReplicaSet,
    new_revision: &str,
) -> bool {
    let copied = d
        .metadata
        .annotations
        .iter()
        .any(|(k, v)| !skip_annotation(k) && lookup(&rs.metadata.annotations, k) != Some(v));
    let old_int = match lookup(&rs.metadata.annotations, REVISION_ANNOTATION).map(String::as_str) {
        None | Some("") => 0,
        Some(v) => match v.parse::<i64>() {
            Ok(i) => i,
            Err(_) => return false,
        },
    };
    let Ok(new_int) = new_revision.parse::<i64>() else {
        return false;
    };
    copied || old_int < new_int
}

fn append_revision_history(rs: &mut ReplicaSet, old: &str, limit: usize) {
    let history = rs
        .metadata
        .annotations
        .get(REVISION_HISTORY_ANNOTATION)
        .cloned()
        .unwrap_or_default();
    // Upstream tests the first comma-separated entry: an empty one replaces the whole history.
    if history.is_empty() || history.starts_with(',') {
        rs.metadata
            .annotations
            .insert(REVISION_HISTORY_ANNOTATION.to_owned(), old.to_owned());
        return;
    }
    let mut entries: Vec<&str> = history.split(',').collect();
    let mut total = history.len() + old.len() + 1;
    let mut start = 0;
    while total > limit && start < entries.len() {
        total -= entries.get(start).map_or(0, |e| e.len()) + 1;
        start += 1;
    }
    if total <= limit {
        let mut kept: Vec<&str> = entries.drain(start..).collect();
        kept.push(old);
        rs.metadata
            .annotations
            .insert(REVISION_HISTORY_ANNOTATION.to_owned(), kept.join(","));
    }
}

/// True when `progressDeadlineSeconds` is set and not `MaxInt32`.
#[must_use]
pub fn has_progress_deadline(d: &Deployment) -> bool {
    d.spec
        .progress_deadline_seconds
        .is_some_and(|s| s != NO_LIMIT)
}

/// True when `revisionHistoryLimit` is set and not `MaxInt32`.
#[must_use]
pub fn has_revision_history_limit(d: &Deployment) -> bool {
    d.spec.revision_history_limit.is_some_and(|s| s != NO_LIMIT)
}

/// Upstream's `NewDeploymentCondition`: both timestamps `now`.
#[must_use]
pub fn new_condition(
    type_: DeploymentConditionType,
    status: ConditionStatus,
    reason: &str,
    message: String,
    now: Time,
) -> DeploymentCondition {
    DeploymentCondition {
        type_,
        status,
        last_update_time: Some(now),
        last_transition_time: Some(now),
        reason: reason.to_owned(),
        message,
        ..DeploymentCondition::default()
    }
}

/// The first condition of a type.
#[must_use]
pub fn get_condition<'s>(
    status: &'s DeploymentStatus,
    type_: &DeploymentConditionType,
) -> Option<&'s DeploymentCondition> {
    status.conditions.iter().find(|c| &c.type_ == type_)
}

/// Upstream's `SetDeploymentCondition`: no change when status and reason are equal; keeps the
/// old transition time when only the reason differs; the new condition goes to the end.
pub fn set_condition(status: &mut DeploymentStatus, mut condition: DeploymentCondition) {
    if let Some(current) = get_condition(status, &condition.type_) {
        if current.status == condition.status && current.reason == condition.reason {
            return;
        }
        if current.status == condition.status {
            condition.last_transition_time = current.last_transition_time;
        }
    }
    remove_condition(status, &condition.type_);
    status.conditions.push(condition);
}

/// Upstream's `RemoveDeploymentCondition`.
pub fn remove_condition(status: &mut DeploymentStatus, type_: &DeploymentConditionType) {
    status.conditions.retain(|c| &c.type_ != type_);
}

/// Upstream's `ReplicaSetToDeploymentCondition`: both timestamps from the ReplicaSet
/// condition's transition time.
#[must_use]
pub fn replica_set_to_deployment_condition(c: &ReplicaSetCondition) -> DeploymentCondition {
    DeploymentCondition {
        type_: DeploymentConditionType::parse(&c.type_),
        status: c.status.clone(),
        last_update_time: c.last_transition_time,
        last_transition_time: c.last_transition_time,
        reason: c.reason.clone(),
        message: c.message.clone(),
        ..DeploymentCondition::default()
    }
}

/// Upstream's `DeploymentComplete`.
#[must_use]
pub fn deployment_complete(d: &Deployment, s: &DeploymentStatus) -> bool {
    let r = d.replicas();
    s.updated_replicas == r
        && s.replicas == r
        && s.available_replicas == r
        && s.observed_generation >= d.metadata.generation
}

/// Upstream's `DeploymentProgressing`, comparing against `d.status`.
#[must_use]
pub fn deployment_progressing(d: &Deployment, s: &DeploymentStatus) -> bool {
    let old = &d.status;
    let old_old = i64::from(old.replicas) - i64::from(old.updated_replicas);
    let new_old = i64::from(s.replicas) - i64::from(s.updated_replicas);
    s.updated_replicas > old.updated_replicas
        || new_old < old_old
        || s.ready_replicas > old.ready_replicas
        || s.available_replicas > old.available_replicas
}

/// Upstream's `DeploymentTimedOut` with the caller's `now`: `lastUpdateTime +
/// progressDeadlineSeconds` strictly before `now`.
#[must_use]
pub fn deployment_timed_out(d: &Deployment, s: &DeploymentStatus, now: Time) -> bool {
    if !has_progress_deadline(d) {
        return false;
    }
    let Some(cond) = get_condition(s, &DeploymentConditionType::Progressing) else {
        return false;
    };
    if cond.reason == reason::NEW_REPLICA_SET_AVAILABLE {
        return false;
    }
    if cond.reason == reason::PROGRESS_DEADLINE_EXCEEDED {
        return true;
    }
    let pds = i64::from(d.spec.progress_deadline_seconds.unwrap_or(0));
    let last = cond.last_update_time.unwrap_or(Time::MIN);
    last.add_seconds(pds) < now
}

/// Upstream's `ReplicaSetsByCreationTimestamp`: oldest first, ties by name (then uid, so the
/// order is total).
#[must_use]
pub fn by_creation(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    a.metadata
        .creation_timestamp
        .cmp(&b.metadata.creation_timestamp)
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
        .then_with(|| a.metadata.uid.cmp(&b.metadata.uid))
}

/// Upstream's `ReplicaSetsBySizeOlder`: larger first; ties oldest first.
#[must_use]
pub fn by_size_older(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    b.replicas()
        .cmp(&a.replicas())
        .then_with(|| by_creation(a, b))
}

/// Upstream's `ReplicaSetsBySizeNewer`: larger first; ties newest first.
#[must_use]
pub fn by_size_newer(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    b.replicas()
        .cmp(&a.replicas())
        .then_with(|| by_creation(b, a))
}

/// Upstream's `ReplicaSetsByRevision`: ascending revision; unparseable or equal revisions fall
/// back to creation order.
///
/// With some revisions unparseable this comparison is not a total order (it is not
/// transitive), so do not hand it to `sort_by`, which may panic on it: use
/// [`sort_by_revision`].
#[must_use]
pub fn by_revision(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    match (
        revision(&a.metadata.annotations),
        revision(&b.metadata.annotations),
    ) {
        (Ok(x), Ok(y)) if x != y => x.cmp(&y),
        _ => by_creation(a, b),
    }
}

/// Sorts as `sort.Sort(ReplicaSetsByRevision(..))` does whenever [`by_revision`] is a
/// consistent order (every revision parses, or revisions grow with creation), and
/// deterministically otherwise: ReplicaSets whose revision parses are sorted by (revision,
/// creation), the others by creation, and the two lists are merged by creation.
pub fn sort_by_revision<'a, T: Copy>(items: &mut [T], rs: impl Fn(T) -> &'a ReplicaSet) {
    let mut parsed: Vec<(i64, T)> = Vec::with_capacity(items.len());
    let mut unparsed: Vec<T> = Vec::new();
    for &item in items.iter() {
        match revision(&rs(item).metadata.annotations) {
            Ok(v) => parsed.push((v, item)),
            Err(_) => unparsed.push(item),
        }
    }
    parsed.sort_by(|(x, a), (y, b)| x.cmp(y).then_with(|| by_creation(rs(*a), rs(*b))));
    unparsed.sort_by(|&a, &b| by_creation(rs(a), rs(b)));
    let (mut p, mut u) = (
        parsed.into_iter().peekable(),
        unparsed.into_iter().peekable(),
    );
    for slot in items.iter_mut() {
        let take_unparsed = match (p.peek(), u.peek()) {
            (Some((_, a)), Some(&b)) => by_creation(rs(b), rs(*a)) == Ordering::Less,
            (None, Some(_)) => true,
            _ => false,
        };
        let next = if take_unparsed {
            u.next()
        } else {
            p.next().map(|(_, item)| item)
        };
        if let Some(item) = next {
            *slot = item;
        }
    }
}

/// Upstream's `getReplicaSetFraction` (with the division guard of PR #128535): how many
/// replicas this ReplicaSet gains or loses when the Deployment scales, by the ratio of the new
/// allowed size to the one recorded in its `max-replicas` annotation (falling back to
/// `status.replicas` when the annotation is missing, unparseable or 0; 0 when that is 0 too),
/// rounded half away from zero.
#[must_use]
pub fn replica_set_fraction(rs: &ReplicaSet, d: &Deployment) -> i32 {
    if d.replicas() == 0 {
        return rs.replicas().saturating_neg();
    }
    let deployment_replicas = i64::from(d.replicas()) + i64::from(max_surge(d));
    let annotated = lookup(&rs.metadata.annotations, MAX_REPLICAS_ANNOTATION)
        .and_then(|v| v.parse::<i32>().ok())
        .filter(|v| *v > 0)
        .unwrap_or(d.status.replicas);
    if annotated <= 0 {
        return 0;
    }
    let num = i128::from(rs.replicas()) * i128::from(deployment_replicas);
    let den = i128::from(annotated);
    clamp_i32(round_half_away(num, den) - i128::from(rs.replicas()))
}

/// `num / den` rounded half away from zero (`den > 0`).
fn round_half_away(num: i128, den: i128) -> i128 {
    if num >= 0 {
        (2 * num + den) / (2 * den)
    } else {
        -((-2 * num + den) / (2 * den))
    }
}

/// Upstream's `GetProportion`: the share of `to_add` this ReplicaSet gets, never beyond what
/// remains (`to_add − added`).
#[must_use]
pub fn proportion(rs: &ReplicaSet, d: &Deployment, to_add: i32, added: i32) -> i32 {
    if rs.replicas() == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = replica_set_fraction(rs, d);
    let allowed = to_add.saturating_sub(added);
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

#[cfg(test)]
mod tests;
