//! "A reconcile that has nothing to do allocates nothing" (DESIGN.md, Performance design),
//! checked with a counting global allocator around the `reconcile` call.
//!
//! The counter is per thread, so the test harness running other tests in parallel does not
//! disturb the count.

#![allow(unsafe_code)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use kube_workloads::api::{ConditionStatus, Container, PodCondition, PodConditionType, PodPhase};
use kube_workloads::replica_set::{self, Observed, Plan};
use kube_workloads::{LabelSelector, OwnerReference, Pod, ReplicaSet, ReplicationController, Time};

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn note_allocation() {
    // `try_with`: the thread-local may already be gone while a thread shuts down.
    let counting = COUNTING.try_with(Cell::get).unwrap_or(false);
    if counting {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; the bookkeeping touches
// only const-initialised thread-locals without destructors, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the number of allocations (and reallocations) it made
/// on this thread.
fn count_allocations<T>(f: impl FnOnce() -> T) -> (T, u64) {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    let out = f();
    COUNTING.with(|c| c.set(false));
    (out, ALLOCATIONS.with(Cell::get))
}

fn now() -> Time {
    Time::from_unix(1_700_000_000)
}

fn labels(pairs: &[(&str, &str)]) -> kube_workloads::Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn replica_set(replicas: i32, min_ready_seconds: i32) -> ReplicaSet {
    let mut rs = ReplicaSet::default();
    rs.metadata.name = "web-7c5ddbdf54".into();
    rs.metadata.namespace = "default".into();
    rs.metadata.uid = "3f0c5b2e-2a43-4f53-9c57-2f3c8d1e5a01".into();
    rs.metadata.generation = 3;
    rs.spec.replicas = Some(replicas);
    rs.spec.min_ready_seconds = min_ready_seconds;
    let template = [("app", "web"), ("pod-template-hash", "7c5ddbdf54")];
    rs.spec.selector = Some(LabelSelector::from_labels(template));
    rs.spec.template.metadata.labels = labels(&template);
    rs.spec.template.spec.containers.push(Container {
        name: "nginx".into(),
        image: "nginx:1.16".into(),
        ..Container::default()
    });
    rs
}

/// `n` running pods owned by `rs`, ready for an hour, with a realistic set of conditions.
fn owned_ready_pods(rs: &ReplicaSet, n: usize) -> Vec<Pod> {
    let owner = OwnerReference {
        api_version: "apps/v1".into(),
        kind: "ReplicaSet".into(),
        name: rs.metadata.name.clone(),
        uid: rs.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
        ..OwnerReference::default()
    };
    let since = Some(now().add_seconds(-3600));
    (0..n)
        .map(|i| {
            let mut p = Pod::default();
            p.metadata.name = format!("web-7c5ddbdf54-{i:05}");
            p.metadata.namespace = "default".into();
            p.metadata.uid = format!("8d7e6f5a-0000-4000-8000-{i:012}");
            p.metadata.labels = rs.spec.template.metadata.labels.clone();
            p.metadata.owner_references.push(owner.clone());
            p.spec = rs.spec.template.spec.clone();
            p.spec.node_name = format!("node-{}", i % 50);
            p.status.phase = PodPhase::Running;
            for type_ in [
                PodConditionType::PodReadyToStartContainers,
                PodConditionType::Initialized,
                PodConditionType::Ready,
                PodConditionType::ContainersReady,
                PodConditionType::PodScheduled,
            ] {
                p.status.conditions.push(PodCondition {
                    type_,
                    status: ConditionStatus::True,
                    last_transition_time: since,
                    ..PodCondition::default()
                });
            }
            p
        })
        .collect()
}

/// Reconciles once and writes the resulting status back, so that the next reconcile of the
/// same pods is in steady state.
fn settle(rs: &mut ReplicaSet, pods: &[Pod]) {
    let plan = replica_set::reconcile(rs, &Observed::new(pods), now()).unwrap();
    assert!(plan.create.is_none() && plan.delete.is_empty() && plan.adopt.is_empty());
    if let Some(status) = plan.status {
        rs.status = status;
    }
}

fn steady_state_allocations(n: usize, min_ready_seconds: i32) -> (Plan, u64) {
    let mut rs = replica_set(i32::try_from(n).unwrap(), min_ready_seconds);
    let pods = owned_ready_pods(&rs, n);
    settle(&mut rs, &pods);
    let observed = Observed::new(&pods);
    let (plan, allocations) = count_allocations(|| replica_set::reconcile(&rs, &observed, now()));
    (plan.unwrap(), allocations)
}

#[test]
fn counting_allocator_sees_allocations() {
    let (v, n) = count_allocations(|| vec![1u8; 16]);
    assert_eq!(v.len(), 16);
    assert_eq!(n, 1);
}

#[test]
fn steady_state_reconcile_allocates_nothing() {
    for n in [0, 1, 10, 1_000, 10_000] {
        let (plan, allocations) = steady_state_allocations(n, 0);
        assert!(plan.is_noop(), "n = {n}: {plan:?}");
        assert_eq!(plan.requeue, None);
        assert_eq!(allocations, 0, "steady state with {n} pods allocated");
    }
}

#[test]
fn steady_state_with_min_ready_seconds_allocates_nothing() {
    // Ready for an hour, minReadySeconds 30: all available, nothing to wait for.
    let (plan, allocations) = steady_state_allocations(1_000, 30);
    assert!(plan.is_noop(), "{plan:?}");
    assert_eq!(allocations, 0);
}

#[test]
fn waiting_for_availability_allocates_nothing() {
    // Ready for an hour, minReadySeconds two hours: nothing to do now, but a requeue.
    let (plan, allocations) = steady_state_allocations(100, 7200);
    assert!(plan.is_noop(), "{plan:?}");
    assert!(plan.requeue.is_some());
    assert_eq!(allocations, 0);
}

#[test]
fn steady_state_with_foreign_pods_allocates_nothing() {
    // Pods of other owners, orphans that do not match, terminal and terminating pods and pods
    // of other namespaces are skipped without allocating.
    let mut rs = replica_set(100, 0);
    let mut pods = owned_ready_pods(&rs, 100);
    let mut foreign = owned_ready_pods(&rs, 50);
    for (i, p) in foreign.iter_mut().enumerate() {
        p.metadata.name.push_str("-x");
        match i % 5 {
            0 => p.metadata.owner_references[0].uid = "another-owner".into(),
            1 => {
                p.metadata.owner_references.clear();
                p.metadata.labels = labels(&[("app", "other")]);
            }
            2 => p.status.phase = PodPhase::Succeeded,
            3 => p.metadata.deletion_timestamp = Some(now()),
            _ => p.metadata.namespace = "elsewhere".into(),
        }
    }
    pods.extend(foreign);
    settle(&mut rs, &pods);
    let observed = Observed::new(&pods);
    let (plan, allocations) = count_allocations(|| replica_set::reconcile(&rs, &observed, now()));
    assert!(plan.unwrap().is_noop());
    assert_eq!(allocations, 0);
}

#[test]
fn steady_state_replication_controller_allocates_nothing() {
    let rs = replica_set(10, 0);
    let mut rc = ReplicationController {
        metadata: rs.metadata.clone(),
        ..ReplicationController::default()
    };
    rc.spec.replicas = Some(10);
    rc.spec.selector = rs.spec.template.metadata.labels.clone();
    rc.spec.template = Some(rs.spec.template.clone());
    let mut pods = owned_ready_pods(&rs, 10);
    for p in &mut pods {
        p.metadata.owner_references[0].kind = "ReplicationController".into();
        p.metadata.owner_references[0].api_version = "v1".into();
    }
    let plan = kube_workloads::replication_controller::reconcile(&rc, &Observed::new(&pods), now())
        .unwrap();
    rc.status = plan.status.unwrap();
    let observed = Observed::new(&pods);
    let (plan, allocations) = count_allocations(|| {
        kube_workloads::replication_controller::reconcile(&rc, &observed, now())
    });
    assert!(plan.unwrap().is_noop());
    assert_eq!(allocations, 0);
}

#[test]
fn allocations_do_not_grow_with_pods_when_acting() {
    // Not zero (the plan owns its actions), but independent of how many pods are scanned.
    let counts: Vec<u64> = [100usize, 1_000, 10_000]
        .into_iter()
        .map(|n| {
            let rs = replica_set(i32::try_from(n).unwrap() + 3, 0);
            let pods = owned_ready_pods(&rs, n);
            let observed = Observed::new(&pods);
            let (plan, allocations) =
                count_allocations(|| replica_set::reconcile(&rs, &observed, now()));
            assert_eq!(plan.unwrap().create.unwrap().count, 3);
            allocations
        })
        .collect();
    assert!(counts.windows(2).all(|w| w[0] == w[1]), "{counts:?}");
}
