//! Pod predicates (active, ready, available), the deletion-cost annotation, restart counts, and
//! the order in which a ReplicaSet deletes pods when it scales down.
//!
//! Every predicate that depends on time takes the caller's `now`.

mod ranking;

pub use ranking::{
    DeletionRank, RankingGates, active_pods_with_ranks_less, colocation_ranks, compare_active_pods,
    deletion_ranks, pods_to_delete, select_for_deletion,
};

use crate::api::{ConditionStatus, ContainerRestartPolicy, Pod, PodConditionType, PodPhase};
use crate::time::Time;

/// The pod-deletion-cost annotation (`controller.kubernetes.io/pod-deletion-cost`).
pub const POD_DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";

/// Upstream's `IsPodActive`: not `Succeeded`, not `Failed`, and not terminating.
#[inline]
#[must_use]
pub fn is_active(pod: &Pod) -> bool {
    !matches!(pod.status.phase, PodPhase::Succeeded | PodPhase::Failed)
        && pod.metadata.deletion_timestamp.is_none()
}

/// True for `Succeeded` and `Failed` pods.
#[inline]
#[must_use]
pub fn is_terminal(pod: &Pod) -> bool {
    matches!(pod.status.phase, PodPhase::Succeeded | PodPhase::Failed)
}

/// The first `Ready` condition, if it is `True` (upstream's `IsPodReady` looks only at the
/// first condition of type Ready).
#[inline]
fn ready_condition(pod: &Pod) -> Option<&crate::api::PodCondition> {
    pod.status
        .conditions
        .iter()
        .find(|c| c.type_ == PodConditionType::Ready)
        .filter(|c| c.status == ConditionStatus::True)
}

/// Upstream's `IsPodReady`: the pod has a `Ready` condition with status `True`. Phase and
/// deletion are not consulted.
#[inline]
#[must_use]
pub fn is_ready(pod: &Pod) -> bool {
    ready_condition(pod).is_some()
}

/// When the pod became ready: the `lastTransitionTime` of its `Ready=True` condition (`None`
/// when not ready or the time is unset, upstream's zero time).
#[inline]
#[must_use]
pub fn ready_since(pod: &Pod) -> Option<Time> {
    ready_condition(pod).and_then(|c| c.last_transition_time)
}

/// Upstream's `IsPodAvailable` (v1.32): ready, and either `minReadySeconds` is 0 or the pod has
/// been ready since a known time `t` with `t + minReadySeconds < now` (strictly).
#[inline]
#[must_use]
pub fn is_available(pod: &Pod, min_ready_seconds: i32, now: Time) -> bool {
    let Some(cond) = ready_condition(pod) else {
        return false;
    };
    if min_ready_seconds <= 0 {
        return true;
    }
    cond.last_transition_time
        .is_some_and(|t| t.add_seconds(i64::from(min_ready_seconds)) < now)
}

/// The first instant at which a ready pod counts as available, given `minReadySeconds`
/// (`None` if it is not ready or its ready time is unknown while `minReadySeconds > 0`).
#[inline]
#[must_use]
pub fn available_at(pod: &Pod, min_ready_seconds: i32) -> Option<Time> {
    let cond = ready_condition(pod)?;
    if min_ready_seconds <= 0 {
        return Some(Time::MIN);
    }
    // Strict comparison at second precision: available from t + minReadySeconds + 1.
    cond.last_transition_time
        .map(|t| t.add_seconds(i64::from(min_ready_seconds) + 1))
}

/// Ready and available at once, from one scan of the conditions (what the ReplicaSet status
/// counts per pod).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Readiness {
    /// Not [`is_ready`].
    NotReady,
    /// Ready and [`is_available`].
    Available,
    /// Ready but not yet available: available from [`available_at`] (`None` when the ready
    /// time is unknown, so it never becomes available).
    AvailableFrom(Option<Time>),
}

/// [`is_ready`], [`is_available`] and [`available_at`] in one scan of the conditions.
#[inline]
pub(crate) fn readiness(pod: &Pod, min_ready_seconds: i32, now: Time) -> Readiness {
    let Some(cond) = ready_condition(pod) else {
        return Readiness::NotReady;
    };
    if min_ready_seconds <= 0 {
        return Readiness::Available;
    }
    let min_ready = i64::from(min_ready_seconds);
    match cond.last_transition_time {
        Some(t) if t.add_seconds(min_ready) < now => Readiness::Available,
        Some(t) => Readiness::AvailableFrom(Some(t.add_seconds(min_ready + 1))),
        None => Readiness::AvailableFrom(None),
    }
}

/// Parses the pod-deletion-cost annotation with upstream's rules: absent → 0; the first
/// character must be `-` or `1`–`9`, or the whole value exactly `0`; then a base-10 `i32`;
/// anything else → 0.
#[must_use]
pub fn deletion_cost(pod: &Pod) -> i32 {
    let Some(v) = pod.metadata.annotations.get(POD_DELETION_COST) else {
        return 0;
    };
    let ok_start = v == "0"
        || v.as_bytes()
            .first()
            .is_some_and(|&c| c == b'-' || (b'1'..=b'9').contains(&c));
    if !ok_start {
        return 0;
    }
    v.parse::<i32>().unwrap_or(0)
}

/// Restart counts as the v1.32 ranking compares them: the maximum `restartCount` over the regular
/// containers, then the maximum over restartable (sidecar) init containers. Ordinary init
/// containers are ignored.
#[must_use]
pub fn restart_counts(pod: &Pod) -> (i32, i32) {
    // Upstream's maxima start at 0, so negative counts (invalid, but decodable) count as 0.
    let regular = pod
        .status
        .container_statuses
        .iter()
        .map(|s| s.restart_count)
        .fold(0, i32::max);
    let sidecar = pod
        .status
        .init_container_statuses
        .iter()
        .filter(|s| {
            pod.spec.init_containers.iter().any(|c| {
                c.name == s.name && c.restart_policy == Some(ContainerRestartPolicy::Always)
            })
        })
        .map(|s| s.restart_count)
        .fold(0, i32::max);
    (regular, sidecar)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::PodCondition;

    fn ready_pod(since: Option<Time>) -> Pod {
        let mut p = Pod::default();
        p.status.phase = PodPhase::Running;
        p.status.conditions.push(PodCondition {
            type_: PodConditionType::Ready,
            status: ConditionStatus::True,
            last_transition_time: since,
            ..Default::default()
        });
        p
    }

    #[test]
    fn availability_is_strict() {
        let t0 = Time::from_unix(1000);
        let p = ready_pod(Some(t0));
        assert!(is_available(&p, 0, t0));
        assert!(!is_available(&p, 10, t0.add_seconds(10)));
        assert!(is_available(&p, 10, t0.add_seconds(11)));
        assert_eq!(available_at(&p, 10), Some(t0.add_seconds(11)));
        let zero = ready_pod(None);
        assert!(is_available(&zero, 0, t0));
        assert!(!is_available(&zero, 1, Time::MAX));
    }

    #[test]
    fn readiness_agrees_with_the_predicates() {
        let t0 = Time::from_unix(1000);
        let mut not_ready = ready_pod(Some(t0));
        not_ready.status.conditions[0].status = ConditionStatus::False;
        for pod in [
            ready_pod(Some(t0)),
            ready_pod(None),
            not_ready,
            Pod::default(),
        ] {
            for mrs in [-1, 0, 10] {
                for now in [t0, t0.add_seconds(10), t0.add_seconds(11), Time::MAX] {
                    let want = if !is_ready(&pod) {
                        Readiness::NotReady
                    } else if is_available(&pod, mrs, now) {
                        Readiness::Available
                    } else {
                        Readiness::AvailableFrom(available_at(&pod, mrs))
                    };
                    assert_eq!(readiness(&pod, mrs, now), want, "{mrs} {now:?}");
                }
            }
        }
    }

    #[test]
    fn active_and_terminal() {
        let mut p = ready_pod(None);
        assert!(is_active(&p));
        p.metadata.deletion_timestamp = Some(Time::from_unix(1));
        assert!(!is_active(&p));
        let mut q = Pod::default();
        q.status.phase = PodPhase::Failed;
        assert!(!is_active(&q) && is_terminal(&q));
        q.status.phase = PodPhase::Other(String::new());
        assert!(is_active(&q));
    }

    #[test]
    fn deletion_cost_parsing_follows_upstream() {
        let cost = |v: Option<&str>| {
            let mut p = Pod::default();
            if let Some(v) = v {
                p.metadata
                    .annotations
                    .insert(POD_DELETION_COST.into(), v.into());
            }
            deletion_cost(&p)
        };
        assert_eq!(cost(None), 0);
        assert_eq!(cost(Some("10")), 10);
        assert_eq!(cost(Some("-5")), -5);
        assert_eq!(cost(Some("-008")), -8);
        assert_eq!(cost(Some("0")), 0);
        assert_eq!(cost(Some("+10")), 0);
        assert_eq!(cost(Some("008")), 0);
        assert_eq!(cost(Some("")), 0);
        assert_eq!(cost(Some("99999999999")), 0);
        assert_eq!(cost(Some("12abc")), 0);
    }
}
