//! Design notes and every deliberate difference from upstream Kubernetes v1.32 (documentation
//! only; no code).
//!
//! # What this crate is
//!
//! The decisions of kube-controller-manager's workload controllers and of kubectl's workload
//! commands, as pure functions: objects and a time in, a plan (data) out. The caller owns the
//! store and the clock. Nothing reads a clock, draws a random number, performs I/O or lets the
//! iteration order of a hash map reach its output; `clippy.toml` turns the first three into
//! build errors.
//!
//! # Layers
//!
//! | layer | modules |
//! |---|---|
//! | types | [`crate::time`], [`crate::meta`], [`crate::api`], [`crate::value`] |
//! | input | [`crate::manifest`], [`crate::defaults`], [`crate::validation`] |
//! | primitives | [`crate::selector`], [`crate::hash`], [`crate::pods`] |
//! | controllers | [`crate::replica_set`], [`crate::replication_controller`], [`crate::deployment`] |
//! | operations | [`crate::kubectl`], [`crate::printers`] |
//! | driver | [`crate::sim`] (and, with the `proptest` feature, `testkit`) |
//!
//! Each layer depends only on those above it.
//!
//! # Contracts
//!
//! - **Time** is a parameter, whole seconds in UTC ([`crate::time::Time`]). The caller
//!   promises that `now` never goes backwards between calls.
//! - **Determinism**: equal inputs give equal plans, byte for byte, whatever the order of the
//!   input slices (ties are broken on name, then uid).
//! - **Plans** list actions in upstream's order; each module documents what the caller must do
//!   with them and when to call again (`requeue`).
//! - **No hidden state**: everything a later reconcile needs is in the objects (annotations,
//!   status, conditions), as with a real API server. A caller whose observations lag uses
//!   [`crate::replica_set::Expectations`], as upstream does.
//! - **Nothing a user wrote is lost**: fields this crate does not model live in each struct's
//!   `extra` map, in the order written, and take part in equality and in the hash.
//!
//! # Deliberate differences from upstream
//!
//! Each is also documented where it happens.
//!
//! 1. **The pod-template hash is not a cluster's.** Upstream hashes a go-spew dump of the Go
//!    structs of one `k8s.io/api` release, which cannot be reproduced outside Go. This crate
//!    hashes a documented canonical encoding ([`crate::hash`]) with the same FNV-1a 32, the
//!    same 8-byte collision-count suffix and the same digit alphabet: stable across runs and
//!    releases of this crate (changing it is a breaking change), but the strings differ from a
//!    real cluster's. Like upstream, the new ReplicaSet is found by template equality ignoring
//!    the hash label, never by the hash.
//! 2. **Template equality of unmodelled fields**: upstream compares decoded Go structs, where a
//!    zero value equals an absent field. Inside `extra`, this crate drops null, empty lists and
//!    empty mappings but compares zero scalars (`false`, `0`, `""`) and resource quantities as
//!    written, because it cannot know the Go type.
//! 3. **The scale-down order is a total order.** Upstream's `ActivePodsWithRanks` comparator is
//!    not transitive inside one log2 ready-time bucket (pods with equal ready times fall through
//!    to restarts while pods with different times compare UIDs), and it sorts cache order with
//!    an unstable sort. This crate orders pods so that it agrees with upstream on every set
//!    where upstream is consistent, and breaks remaining ties on name then uid
//!    ([`crate::pods`]). When every pod is deleted upstream returns them in cache order; this
//!    crate returns them in deletion order.
//! 4. **Time has whole seconds**, as the API server stores it. Upstream compares availability
//!    with a nanosecond clock; here a pod ready at `t` with `minReadySeconds: m` is available from
//!    `t + m + 1`. Requeue delays of less than a second become "back off" (see the progress
//!    deadline's requeue in [`crate::deployment`]).
//! 5. **One `now` per reconcile.** Upstream v1.32 reads the clock per pod while computing
//!    availability (v1.34 switched to one reading); a pure function has one `now`.
//! 6. **Integer arithmetic.** Percentages are scaled with exact integer ceil/floor and
//!    proportions rounded half away from zero with integers; upstream uses float64 and
//!    wrapping int32 products, which only differ for absurd sizes.
//! 7. **Requeues** are reported as data ([`crate::controller::Requeue`]); upstream's rate
//!    limiter is the caller's ([`crate::controller::backoff`] gives its delays).
//! 8. **ReplicationControllers with an empty selector are refused.** Upstream distinguishes a
//!    nil map (matches nothing) from an empty one (matches everything); the two decode alike here,
//!    and validation rejects both anyway.
//! 9. **kubectl's local time**: `rollout restart` writes `restartedAt` in UTC, and `describe`
//!    prints dates in UTC, since the crate has no time zone.
//! 10. **The deprecated `getReplicaSetFraction` division**: the v1.32 cycle's guard (PR
//!     #128535) is applied: a missing or zero `max-replicas` falls back to `status.replicas`,
//!     and to no change when that is zero too.
//!
//! # Fidelity notes (upstream behaviour kept on purpose)
//!
//! - Pending and unscheduled pods count as replicas; terminating pods do not, so a replacement
//!   is created while a deleted pod still shuts down.
//! - `ReplicaFailure` is sticky while failures continue; its reason comes from the sign of
//!   claimed − desired.
//! - Scaling events are not bound by `maxUnavailable`, and a paused `Recreate` Deployment may
//!   scale its new ReplicaSet while old pods terminate.
//! - Scaling mid-rollout to the only active ReplicaSet's size stalls the rollout, as in v1.32
//!   (kubernetes/kubernetes#138036).
//! - The `ScalingReplicaSet` events use v1.32's "from M to N" wording.
//!
//! # Performance
//!
//! Measured with the criterion benches in `benches/` (`cargo bench --bench NAME`); figures are
//! from a shared 2-core machine and only their ratios are meaningful.
//!
//! - A ReplicaSet reconcile is one pass over the caller's pods with no allocation when there
//!   is nothing to do (a test with a counting allocator proves it). Per pod it costs about
//!   35 ns while the pods fit in cache (10^3) and about 200 ns at 10^5 pods, where it is bound
//!   by memory: each pod's namespace, owner reference, labels and conditions live behind
//!   pointers in a ~1 KB [`crate::Pod`], some fifteen cache lines per pod. Callers reconciling
//!   10^5-pod ReplicaSets at high rates should pass only the pods of the ReplicaSet's
//!   namespace and keep their pod values compact (no unused `extra` fields).
//! - Choosing pods to delete ranks every claimed pod (about 170 ns per pod at 10^5) before
//!   selecting the cheapest; the selection itself is linear.
//! - A Deployment reconcile over 10 ReplicaSets with nothing to do takes under 2 µs; finding
//!   the new ReplicaSet compares templates image-first.
//! - The simulator runs a 10,000-replica rolling update, every reconcile and lifecycle step
//!   included, in under a second.
