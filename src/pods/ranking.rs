//! Which pods a ReplicaSet deletes first (upstream's `ActivePodsWithRanks`).
//!
//! PLACEHOLDER: the full v1.32 ranking (deletion cost, colocation ranks, log2 ready-time buckets
//! with the UID tie-break, restarts, creation time) lands with issue 3. This version orders by
//! unscheduled, phase and readiness, then name.

use std::cmp::Ordering;

use crate::api::{Pod, PodPhase};
use crate::pods::is_ready;
use crate::time::Time;

/// Per-pod facts the deletion order compares, computed once per pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeletionRank {
    /// Number of active related pods on the same node (the pod itself included).
    pub colocation: usize,
}

/// Colocation rank of each pod: how many active pods of `related` share its node.
#[must_use]
pub fn colocation_ranks(pods: &[&Pod], related: &[&Pod]) -> Vec<usize> {
    pods.iter()
        .map(|p| {
            related
                .iter()
                .filter(|r| crate::pods::is_active(r) && r.spec.node_name == p.spec.node_name)
                .count()
        })
        .collect()
}

fn phase_ordinal(p: &Pod) -> u8 {
    match p.status.phase {
        PodPhase::Unknown => 1,
        PodPhase::Running => 2,
        _ => 0,
    }
}

/// Deletion order of two pods: `Less` means `a` is deleted first.
#[must_use]
pub fn compare_for_deletion(
    a: &Pod,
    rank_a: usize,
    b: &Pod,
    rank_b: usize,
    _now: Time,
) -> Ordering {
    (!a.spec.node_name.is_empty())
        .cmp(&!b.spec.node_name.is_empty())
        .then(phase_ordinal(a).cmp(&phase_ordinal(b)))
        .then(is_ready(a).cmp(&is_ready(b)))
        .then(rank_b.cmp(&rank_a))
        .then(a.metadata.name.cmp(&b.metadata.name))
}

/// Upstream's plain `ActivePods` order (no ranks, no deletion cost, no log scale).
#[must_use]
pub fn compare_active_pods(a: &Pod, b: &Pod) -> Ordering {
    compare_for_deletion(a, 0, b, 0, Time::UNIX_EPOCH)
}

/// Upstream's `getPodsToDelete`: the `n` pods to delete from `pods`, first-to-delete first.
#[must_use]
pub fn pods_to_delete<'a>(pods: &[&'a Pod], related: &[&Pod], n: usize, now: Time) -> Vec<&'a Pod> {
    let ranks = colocation_ranks(pods, related);
    let mut idx: Vec<usize> = (0..pods.len()).collect();
    idx.sort_by(|&i, &j| compare_for_deletion(pods[i], ranks[i], pods[j], ranks[j], now));
    idx.into_iter().take(n).map(|i| pods[i]).collect()
}
