//! Which pods a ReplicaSet deletes first when it scales down (upstream v1.32 `getPodsToDelete` and
//! `ActivePodsWithRanks`), and upstream's plain `ActivePods` order.
//!
//! # The v1.32 deletion order
//!
//! A pod is deleted before another when the first of these criteria that tells them apart says so
//! (`LogarithmicScaleDown` is locked on since v1.31; `PodDeletionCost` is on by default and can be
//! switched off through [`RankingGates`]):
//!
//! 1. unscheduled (empty `spec.nodeName`) before scheduled;
//! 2. lower phase ordinal first: `Pending` = 0, `Unknown` = 1, `Running` = 2, any other phase 0;
//! 3. not ready before ready;
//! 4. lower [`deletion_cost`] first;
//! 5. higher colocation rank first ([`colocation_ranks`]: active related pods on the same node);
//! 6. for two ready pods whose ready times differ: a zero (unset) ready time counts as the newest;
//!    otherwise each time gets the bucket `floor(log2(now − t in nanoseconds))` (−1 when
//!    `now − t ≤ 0`) and the smaller bucket goes first; **in the same bucket the UIDs decide
//!    (string order) and nothing later is consulted**;
//! 7. more restarts first: the maximum `restartCount` of the regular containers, then of the
//!    sidecars (init containers with `restartPolicy: Always`);
//! 8. creation timestamps that differ, with the same zero / bucket / UID rule as 6;
//! 9. this crate's tie-break: name, then UID.
//!
//! A zero `now` (0001-01-01T00:00:00Z, Go's zero time) disables the buckets: the later time simply
//! goes first, as upstream does. Times are whole seconds, so `now − t` is a multiple of 10⁹ ns;
//! for such values the integer `floor(log2)` equals Go's `int64(math.Log2(float64(d)))` (checked in
//! the tests), and ages beyond Go's `time.Duration` range (about 292 years) get bucket 63 as Go's
//! saturated duration does.
//!
//! # Deviations from upstream
//!
//! - **A total order.** Upstream's comparator is not transitive: inside one log2 bucket, two pods
//!   with *equal* ready times fall through to restarts and creation time, while two pods with
//!   *unequal* ready times are ordered by UID. With A and B ready at the same instant (A has more
//!   restarts, UID `z`; B has UID `a`) and C ready a second later in the same bucket (UID `m`),
//!   upstream says A < B (restarts), B < C (`a` < `m`) and C < A (`m` < `z`): a cycle, which Go's
//!   `sort.Sort` resolves arbitrarily. This crate orders every set totally and deterministically,
//!   and agrees with upstream on every set on which upstream's relation is a strict weak order.
//!   It does so per set: pods with exactly equal ready times (and equal criteria 1–5) form a
//!   group, ordered inside by criteria 7, 8 and 9; each pod's key is the **largest UID among the
//!   pods of its group up to and including itself** in that order (then the group's ready time,
//!   latest first). Sorting by that key is the same as merging the groups, always taking the
//!   group whose next pod has the smallest UID; when upstream is consistent, that merge never puts
//!   a pod after one that upstream deletes later. Inside a creation-time bucket (criterion 8) the
//!   pods are simply ordered by UID, then creation time, which upstream's relation allows.
//!   Because the key depends on the set, compare only [`DeletionRank`]s from one call.
//! - **Deterministic ties.** Upstream sorts with an unstable sort over cache order; pods that
//!   upstream cannot tell apart are ordered here by the criteria-6/8 tie-breaks above, then name,
//!   then UID, so the result does not depend on the order of the input slice. (Pods equal in
//!   every compared field, name and UID included, are interchangeable.)
//! - **`n ≥ len`.** Upstream returns all pods in cache order, unsorted, when it deletes all of
//!   them; [`pods_to_delete`] returns them in deletion order.
//!
//! Notes on fidelity: `now` is the caller's whole-second time, where upstream reads the wall clock
//! (nanoseconds) when it ranks; restart counts below zero count as 0, as upstream's maximum starts
//! at 0; a timestamp equal to Go's zero time counts as unset, as in Go.
//!
//! [`active_pods_with_ranks_less`] is upstream's pairwise comparison as written (not transitive),
//! kept for tests and diagnostics. [`compare_active_pods`] is upstream's plain `ActivePods`
//! order, which is transitive.
//!
//! # Cost
//!
//! Comparing never parses an annotation or computes a logarithm: [`deletion_ranks`] builds a
//! [`DeletionRank`] per pod once. [`select_for_deletion`] and [`pods_to_delete`] go further:
//! one pass packs criteria 1–5 and the ready-time bucket of each pod into an integer, built most
//! significant field first and abandoned as soon as it cannot beat the `n`-th smallest seen so far
//! (so most pods never have their conditions, annotation or node looked at); a bounded max-heap
//! keeps the `n` smallest and the pods tied with the largest of them; full ranks, lead UIDs and
//! the final sort are computed for those candidates only. Time O(len · log n) at worst, memory
//! O(n + pods tied at the cut). Colocation ranks count related pods per node name in a map with a
//! fixed (unseeded) hasher.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::hash::{BuildHasherDefault, Hasher};

use indexmap::IndexMap;

use crate::api::{ConditionStatus, Pod, PodConditionType, PodPhase};
use crate::pods::{deletion_cost, is_active, is_ready, ready_since, restart_counts};
use crate::time::Time;

/// Feature gates of the v1.32 kube-controller-manager that change the deletion order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RankingGates {
    /// `PodDeletionCost` (beta, on by default in v1.32): compare the pod-deletion-cost annotation.
    pub pod_deletion_cost: bool,
}

impl Default for RankingGates {
    /// The v1.32 defaults: every gate on.
    fn default() -> Self {
        RankingGates {
            pod_deletion_cost: true,
        }
    }
}

/// How one time criterion (ready time, creation time) sorts; variants in deletion order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum TimeKey<'a> {
    /// The criterion does not apply (ready time of a pod that is not ready).
    Skipped,
    /// Go's zero time: counts as the newest.
    Zero,
    /// `now` is zero: the later time first.
    Plain(Reverse<i64>),
    /// Log scale: smaller bucket first, then the lead UID (module docs), then the later time.
    Log {
        bucket: i8,
        lead: &'a str,
        at: Reverse<i64>,
    },
}

/// A pod's position in the deletion order: the smaller rank is deleted first.
///
/// Built once per pod by [`deletion_ranks`] (or internally by [`pods_to_delete`]), so comparing
/// two ranks parses no annotation and computes no logarithm. Ranks are only comparable with ranks
/// from the same call (the criterion-6 key depends on the whole set; see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeletionRank<'a> {
    scheduled: bool,
    phase: u8,
    ready: bool,
    cost: i32,
    colocated: Reverse<usize>,
    ready_time: TimeKey<'a>,
    restarts: Reverse<(i32, i32)>,
    created: TimeKey<'a>,
    name: &'a str,
    uid: &'a str,
}

/// The fields of criteria 1–5.
type Prefix = (bool, u8, bool, i32, Reverse<usize>);

impl<'a> DeletionRank<'a> {
    fn new(pod: &'a Pod, colocated: usize, now: Time, gates: RankingGates) -> Self {
        let (head, ready_time) = head(pod, colocated, now, gates);
        let (scheduled, phase, ready, cost, colocated) = head;
        let uid = pod.metadata.uid.as_str();
        DeletionRank {
            scheduled,
            phase,
            ready,
            cost,
            colocated,
            ready_time,
            restarts: Reverse(restarts(pod)),
            created: time_key(
                pod.metadata.creation_timestamp,
                now,
                !is_zero_time(now),
                uid,
            ),
            name: pod.metadata.name.as_str(),
            uid,
        }
    }

    fn prefix(&self) -> Prefix {
        (
            self.scheduled,
            self.phase,
            self.ready,
            self.cost,
            self.colocated,
        )
    }

    /// The colocation rank this pod was ranked with.
    #[must_use]
    pub fn colocation(&self) -> usize {
        self.colocated.0
    }

    /// The deletion cost this pod was ranked with (0 when the gate is off).
    #[must_use]
    pub fn cost(&self) -> i32 {
        self.cost
    }
}

/// Criteria 1–5 and the criterion-6 key (lead UID still the pod's own).
fn head<'a>(
    pod: &'a Pod,
    colocated: usize,
    now: Time,
    gates: RankingGates,
) -> (Prefix, TimeKey<'a>) {
    let ready_at = ready_info(pod);
    let prefix = (
        !pod.spec.node_name.is_empty(),
        phase_ordinal(pod),
        ready_at.is_some(),
        if gates.pod_deletion_cost {
            deletion_cost(pod)
        } else {
            0
        },
        Reverse(colocated),
    );
    let ready_time = match ready_at {
        Some(at) => time_key(at, now, !is_zero_time(now), pod.metadata.uid.as_str()),
        None => TimeKey::Skipped,
    };
    (prefix, ready_time)
}

/// `None` when the pod is not ready, else `Some(lastTransitionTime)` of its `Ready=True`
/// condition: [`is_ready`] and [`ready_since`] in one scan (the first `Ready` condition decides).
#[inline]
fn ready_info(pod: &Pod) -> Option<Option<Time>> {
    pod.status
        .conditions
        .iter()
        .find(|c| c.type_ == PodConditionType::Ready)
        .filter(|c| c.status == ConditionStatus::True)
        .map(|c| c.last_transition_time)
}

/// Packs criteria 1–5 and the criterion-6 key, with log2 buckets collapsed (lead UID and exact
/// time dropped), into one integer. Monotone: a smaller packed key means a smaller
/// [`DeletionRank`]; equal packed keys need the full rank. The fields are the same as [`head`]'s.
///
/// Built most significant field first: `None` as soon as the key is known to exceed `bound`, so
/// the annotation, the conditions and the colocation rank (`rank`) of a pod that cannot be among
/// the selected ones are not looked at.
fn packed_head(
    pod: &Pod,
    rank: impl FnOnce() -> usize,
    now: Time,
    gates: RankingGates,
    bound: Option<u128>,
) -> Option<u128> {
    // True when the key's bits above `shift` already exceed the bound's.
    let beyond = |key: u128, shift: u32| bound.is_some_and(|b| (key >> shift) > (b >> shift));
    let mut key = (u128::from(!pod.spec.node_name.is_empty()) << 127)
        | (u128::from(phase_ordinal(pod)) << 125);
    if beyond(key, 125) {
        return None;
    }
    let ready_at = ready_info(pod);
    key |= u128::from(ready_at.is_some()) << 124;
    if beyond(key, 124) {
        return None;
    }
    let cost = if gates.pod_deletion_cost {
        deletion_cost(pod)
    } else {
        0
    };
    // Order-preserving map of the cost to an unsigned integer.
    key |= u128::from(u32::from_ne_bytes(cost.to_ne_bytes()) ^ (1 << 31)) << 92;
    if beyond(key, 92) {
        return None;
    }
    let fewer_colocated = u32::MAX - u32::try_from(rank()).unwrap_or(u32::MAX);
    key |= u128::from(fewer_colocated) << 60;
    if beyond(key, 60) {
        return None;
    }
    key |= match ready_at.map(|at| time_key(at, now, !is_zero_time(now), "")) {
        None | Some(TimeKey::Skipped) => 0,
        Some(TimeKey::Zero) => 1 << 58,
        // `Time` spans fewer than 2^39 seconds, so `MAX - t` fits below bit 58.
        Some(TimeKey::Plain(Reverse(t))) => {
            (2 << 58) | u128::from(u64::try_from(Time::MAX.unix().saturating_sub(t)).unwrap_or(0))
        }
        Some(TimeKey::Log { bucket, .. }) => {
            (3 << 58) | u128::from(u8::try_from(i16::from(bucket) + 1).unwrap_or(0))
        }
    };
    Some(key)
}

/// Go's `Time.IsZero`: 0001-01-01T00:00:00Z, which is [`Time::MIN`].
#[inline]
fn is_zero_time(t: Time) -> bool {
    t == Time::MIN
}

/// Seconds since the epoch, or `None` for an unset or zero time.
#[inline]
fn nonzero(t: Option<Time>) -> Option<i64> {
    t.filter(|t| !is_zero_time(*t)).map(Time::unix)
}

fn time_key<'a>(t: Option<Time>, now: Time, log_scale: bool, uid: &'a str) -> TimeKey<'a> {
    match nonzero(t) {
        None => TimeKey::Zero,
        Some(secs) if !log_scale => TimeKey::Plain(Reverse(secs)),
        Some(secs) => TimeKey::Log {
            bucket: log2_bucket(now.unix(), secs),
            lead: uid,
            at: Reverse(secs),
        },
    }
}

/// `floor(log2(now − t in nanoseconds))`, −1 when `now − t ≤ 0`, 63 beyond Go's duration range.
#[must_use]
fn log2_bucket(now: i64, t: i64) -> i8 {
    let secs = now.saturating_sub(t);
    if secs <= 0 {
        return -1;
    }
    match secs.checked_mul(1_000_000_000) {
        // `ns > 0`, so `leading_zeros` is at most 63 and the difference fits.
        Some(ns) => i8::try_from(63 - ns.leading_zeros()).unwrap_or(63),
        // Go saturates the duration at i64::MAX, which float64 rounds to 2^63.
        None => 63,
    }
}

#[inline]
fn phase_ordinal(p: &Pod) -> u8 {
    match p.status.phase {
        PodPhase::Unknown => 1,
        PodPhase::Running => 2,
        _ => 0,
    }
}

/// A fixed (unseeded) multiply-rotate hasher for node names: deterministic and fast on short
/// strings. Only counts are looked up with it, so its order never reaches any output.
#[derive(Default)]
struct NodeHasher(u64);

impl NodeHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for NodeHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            for (w, b) in word.iter_mut().zip(rest) {
                *w = *b;
            }
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Colocation rank of each pod: how many active pods of `related` share its node (the pod itself
/// counts when it is in `related`; unscheduled pods share the node `""`).
#[must_use]
pub fn colocation_ranks(pods: &[&Pod], related: &[&Pod]) -> Vec<usize> {
    let counts = NodeCounts::new(related);
    pods.iter().map(|p| counts.rank(p)).collect()
}

/// Active related pods per node name.
struct NodeCounts<'r>(IndexMap<&'r str, usize, BuildHasherDefault<NodeHasher>>);

impl<'r> NodeCounts<'r> {
    fn new(related: &[&'r Pod]) -> Self {
        let mut on_node: IndexMap<&'r str, usize, BuildHasherDefault<NodeHasher>> =
            IndexMap::default();
        for r in related.iter().filter(|r| is_active(r)) {
            *on_node.entry(r.spec.node_name.as_str()).or_insert(0) += 1;
        }
        NodeCounts(on_node)
    }

    #[inline]
    fn rank(&self, pod: &Pod) -> usize {
        self.0
            .get(pod.spec.node_name.as_str())
            .copied()
            .unwrap_or(0)
    }
}

/// The deletion rank of every pod (`ranks[i]` is pod `i`'s colocation rank; missing entries
/// count as 0). Sorting the pods by their ranks gives the deletion order, first-to-delete first.
#[must_use]
pub fn deletion_ranks<'a>(
    pods: &[&'a Pod],
    ranks: &[usize],
    now: Time,
    gates: RankingGates,
) -> Vec<DeletionRank<'a>> {
    let mut keys: Vec<DeletionRank<'a>> = pods
        .iter()
        .enumerate()
        .map(|(i, p)| DeletionRank::new(p, ranks.get(i).copied().unwrap_or(0), now, gates))
        .collect();
    assign_leads(&mut keys);
    keys
}

/// Indices of the `n` pods to delete, first-to-delete first, given explicit colocation ranks
/// (`ranks[i]` for pod `i`; missing entries count as 0).
///
/// One pass over the pods, then a sort of the selected ones: every pod gets a packed integer key
/// for criteria 1–5 and its ready-time bucket, the `n` smallest are kept in a heap, and full ranks
/// are built only for them and for the pods tied with the last one. O(len · log n) time at worst,
/// O(n + ties) memory.
#[must_use]
pub fn select_for_deletion(
    pods: &[&Pod],
    ranks: &[usize],
    n: usize,
    now: Time,
    gates: RankingGates,
) -> Vec<usize> {
    select(
        pods,
        |i, _| ranks.get(i).copied().unwrap_or(0),
        n,
        now,
        gates,
    )
}

/// [`select_for_deletion`] with the colocation rank of pod `i` given by `rank_of(i, pod)`.
fn select(
    pods: &[&Pod],
    rank_of: impl Fn(usize, &Pod) -> usize,
    n: usize,
    now: Time,
    gates: RankingGates,
) -> Vec<usize> {
    let n = n.min(pods.len());
    if n == 0 {
        return Vec::new();
    }
    // Stage 1: stream the packed keys, keeping the `n` smallest in a max-heap plus every pod tied
    // with the heap's maximum that did not fit. At the end the maximum is the cut: the pods before
    // it and the whole class at it (a log2 bucket must be complete to compute its lead UIDs) are
    // the candidates. Memory stays O(n + class at the cut).
    let candidates: Vec<usize> = if n < pods.len() {
        let mut heap: BinaryHeap<(u128, usize)> = BinaryHeap::with_capacity(n + 1);
        let mut ties: Vec<usize> = Vec::new();
        for (i, p) in pods.iter().enumerate() {
            let full = heap.len() >= n;
            let bound = heap.peek().map(|&(max, _)| max).filter(|_| full);
            let Some(key) = packed_head(p, || rank_of(i, p), now, gates, bound) else {
                continue;
            };
            let Some(max) = bound else {
                heap.push((key, i));
                continue;
            };
            if key < max {
                if let Some((old, j)) = heap.pop() {
                    heap.push((key, i));
                    if heap.peek().is_some_and(|&(m, _)| m == old) {
                        ties.push(j);
                    } else {
                        ties.clear();
                    }
                }
            } else if key == max {
                ties.push(i);
            }
        }
        let mut c: Vec<usize> = heap.into_iter().map(|(_, i)| i).collect();
        c.extend(ties);
        c
    } else {
        (0..pods.len()).collect()
    };
    // Stage 2: full ranks for the candidates only.
    let mut keys: Vec<DeletionRank<'_>> = candidates
        .iter()
        .filter_map(|&i| {
            pods.get(i)
                .map(|p| DeletionRank::new(p, rank_of(i, p), now, gates))
        })
        .collect();
    assign_leads(&mut keys);
    let cmp = |a: &usize, b: &usize| {
        keys.get(*a)
            .cmp(&keys.get(*b))
            .then_with(|| candidates.get(*a).cmp(&candidates.get(*b)))
    };
    let mut order: Vec<usize> = (0..keys.len()).collect();
    if n < order.len() {
        order.select_nth_unstable_by(n - 1, cmp);
        order.truncate(n);
    }
    order.sort_unstable_by(cmp);
    order
        .into_iter()
        .filter_map(|p| candidates.get(p).copied())
        .collect()
}

/// Upstream's `getPodsToDelete`: the `n` pods to delete from `pods`, first-to-delete first,
/// ranked against `related` (the active pods of the ReplicaSet and its siblings) at `now`, with the
/// v1.32 default gates.
///
/// When `n ≥ pods.len()` every pod is returned, in deletion order (upstream returns them unsorted
/// in cache order).
#[must_use]
pub fn pods_to_delete<'a>(pods: &[&'a Pod], related: &[&Pod], n: usize, now: Time) -> Vec<&'a Pod> {
    let counts = NodeCounts::new(related);
    select(pods, |_, p| counts.rank(p), n, now, RankingGates::default())
        .into_iter()
        .filter_map(|i| pods.get(i).copied())
        .collect()
}

/// Sets the lead UID of every log-scale ready time (module docs). Every group of pods with equal
/// criteria 1–5 and an equal ready time must be wholly inside `keys` or wholly outside it.
fn assign_leads(keys: &mut [DeletionRank<'_>]) {
    let mut logs: Vec<usize> = (0..keys.len())
        .filter(|&i| matches!(keys[i].ready_time, TimeKey::Log { .. }))
        .collect();
    if logs.len() < 2 {
        return;
    }
    let at = |k: &DeletionRank<'_>| match k.ready_time {
        TimeKey::Log { at, .. } => at,
        _ => Reverse(0),
    };
    // Group order: criteria 1–5, the exact ready time, then the order inside a group.
    logs.sort_unstable_by(|&a, &b| {
        let (ka, kb) = (&keys[a], &keys[b]);
        (ka.prefix(), at(ka))
            .cmp(&(kb.prefix(), at(kb)))
            .then_with(|| {
                (ka.restarts, ka.created, ka.name, ka.uid).cmp(&(
                    kb.restarts,
                    kb.created,
                    kb.name,
                    kb.uid,
                ))
            })
            .then(a.cmp(&b))
    });
    let mut start = 0;
    while start < logs.len() {
        let group = (keys[logs[start]].prefix(), at(&keys[logs[start]]));
        let mut end = start + 1;
        while end < logs.len() && (keys[logs[end]].prefix(), at(&keys[logs[end]])) == group {
            end += 1;
        }
        if end - start > 1 {
            let mut lead = "";
            for &i in &logs[start..end] {
                let key = &mut keys[i];
                if key.uid > lead {
                    lead = key.uid;
                }
                if let TimeKey::Log { lead: l, .. } = &mut key.ready_time {
                    *l = lead;
                }
            }
        }
        start = end;
    }
}

/// Upstream's `ActivePodsWithRanks.Less` as written: true when `a` (with colocation rank
/// `rank_a`) is deleted before `b`. Not transitive (module docs); [`deletion_ranks`] and
/// [`pods_to_delete`] use a total order that agrees with it wherever it is consistent.
#[must_use]
pub fn active_pods_with_ranks_less(
    a: &Pod,
    rank_a: usize,
    b: &Pod,
    rank_b: usize,
    now: Time,
    gates: RankingGates,
) -> bool {
    let (na, nb) = (&a.spec.node_name, &b.spec.node_name);
    if na != nb && (na.is_empty() || nb.is_empty()) {
        return na.is_empty();
    }
    let (pa, pb) = (phase_ordinal(a), phase_ordinal(b));
    if pa != pb {
        return pa < pb;
    }
    let (ra, rb) = (is_ready(a), is_ready(b));
    if ra != rb {
        return !ra;
    }
    if gates.pod_deletion_cost {
        let (ca, cb) = (deletion_cost(a), deletion_cost(b));
        if ca != cb {
            return ca < cb;
        }
    }
    if rank_a != rank_b {
        return rank_a > rank_b;
    }
    let (ua, ub) = (a.metadata.uid.as_str(), b.metadata.uid.as_str());
    if ra && rb {
        let (ta, tb) = (nonzero(ready_since(a)), nonzero(ready_since(b)));
        if ta != tb {
            return log_scaled_less(ta, tb, now, ua, ub);
        }
    }
    let (xa, xb) = (restarts(a), restarts(b));
    if xa != xb {
        return xa > xb;
    }
    let (ta, tb) = (
        nonzero(a.metadata.creation_timestamp),
        nonzero(b.metadata.creation_timestamp),
    );
    if ta != tb {
        return log_scaled_less(ta, tb, now, ua, ub);
    }
    false
}

/// Upstream's time comparison under `LogarithmicScaleDown` (times already known to differ).
fn log_scaled_less(t1: Option<i64>, t2: Option<i64>, now: Time, uid1: &str, uid2: &str) -> bool {
    match (t1, t2) {
        (Some(x), Some(y)) if !is_zero_time(now) => {
            let (r1, r2) = (log2_bucket(now.unix(), x), log2_bucket(now.unix(), y));
            if r1 == r2 { uid1 < uid2 } else { r1 < r2 }
        }
        _ => after_or_zero(t1, t2),
    }
}

/// Upstream's `afterOrZero`: a zero time counts as the newest.
fn after_or_zero(t1: Option<i64>, t2: Option<i64>) -> bool {
    match (t1, t2) {
        (Some(x), Some(y)) => x > y,
        _ => t1.is_none(),
    }
}

#[inline]
fn restarts(p: &Pod) -> (i32, i32) {
    let (regular, sidecar) = restart_counts(p);
    (regular.max(0), sidecar.max(0))
}

/// Upstream's plain `ActivePods` order (no ranks, no deletion cost, no log scale: criteria 1, 2,
/// 3, 6, 7, 8 with a zero time as the newest and otherwise the later time first), completed by
/// name, then UID. `Less` means `a` comes first. A total order.
#[must_use]
pub fn compare_active_pods(a: &Pod, b: &Pod) -> Ordering {
    let key = |p: &Pod| {
        let ready = is_ready(p);
        let ready_time = if ready {
            Some(plain_time_key(ready_since(p)))
        } else {
            None
        };
        (
            !p.spec.node_name.is_empty(),
            phase_ordinal(p),
            ready,
            ready_time,
            Reverse(restarts(p)),
            plain_time_key(p.metadata.creation_timestamp),
        )
    };
    key(a)
        .cmp(&key(b))
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
        .then_with(|| a.metadata.uid.cmp(&b.metadata.uid))
}

/// `afterOrZero` as a sort key: zero first, then the later time first.
fn plain_time_key(t: Option<Time>) -> (bool, Reverse<i64>) {
    match nonzero(t) {
        None => (false, Reverse(0)),
        Some(s) => (true, Reverse(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_of_common_ages() {
        let now = 1_000_000_000;
        let b = |secs: i64| log2_bucket(now, now - secs);
        assert_eq!(b(0), -1);
        assert_eq!(b(-5), -1);
        assert_eq!(b(1), 29);
        assert_eq!(b(60), 35);
        assert_eq!(b(3600), 41);
        assert_eq!(b(2 * 3600), 42);
        assert_eq!(b(5 * 3600), 44);
        assert_eq!(b(8 * 3600), 44);
        assert_eq!(b(10 * 3600), 45);
        assert_eq!(b(86_400), 46);
        assert_eq!(b(30 * 86_400), 51);
        assert_eq!(log2_bucket(i64::MAX, i64::MIN), 63);
        assert_eq!(
            log2_bucket(Time::MAX.unix(), Time::MIN.unix()),
            63,
            "beyond Go's duration range"
        );
    }

    /// Go computes `int64(math.Log2(float64(d)))` on the nanosecond duration. For whole-second
    /// ages the integer floor agrees everywhere, including next to every power of two.
    #[test]
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    fn integer_log2_matches_float_log2_for_whole_seconds() {
        let go = |secs: i64| -> i8 {
            let d = secs.checked_mul(1_000_000_000).unwrap_or(i64::MAX);
            (d as f64).log2() as i8
        };
        let mut ages: Vec<i64> = (1..=200_000).collect();
        for k in 29..=63u32 {
            let s = (1i128 << k) / 1_000_000_000;
            for delta in -3..=3 {
                let a = i64::try_from(s + delta).unwrap_or(i64::MAX);
                if a > 0 {
                    ages.push(a);
                }
            }
        }
        ages.extend([9_223_372_036, 9_223_372_037, 1 << 40, i64::MAX / 2]);
        for secs in ages {
            assert_eq!(log2_bucket(secs, 0), go(secs), "age {secs} s");
        }
    }
}
