//! Upstream's `progress_test.go`: syncRolloutStatus and requeueStuckDeployment.

use std::time::Duration;

use super::*;
use crate::api::DeploymentCondition;
use crate::controller::Requeue;
use util::reason;

/// 2017-02-15 18:49:00 UTC, upstream's `testTime`.
fn test_time() -> Time {
    Time::from_ymd_hms(2017, 2, 15, 18, 49, 0).unwrap()
}

fn progressing(status: ConditionStatus, why: &str, at: Option<Time>) -> DeploymentCondition {
    DeploymentCondition {
        type_: DeploymentConditionType::Progressing,
        status,
        reason: why.into(),
        last_update_time: at,
        last_transition_time: at,
        ..Default::default()
    }
}

/// Upstream's `currentDeployment(pds, replicas, statusReplicas, updated, available, conditions)`:
/// a Recreate Deployment called `progress-test`.
fn current_deployment(
    pds: Option<i32>,
    replicas: i32,
    status_replicas: i32,
    updated: i32,
    available: i32,
    conditions: Vec<DeploymentCondition>,
) -> Deployment {
    let mut d = recreate_deployment("progress-test", replicas);
    d.spec.progress_deadline_seconds = pds;
    d.status.replicas = status_replicas;
    d.status.updated_replicas = updated;
    d.status.available_replicas = available;
    d.status.conditions = conditions;
    d
}

/// What a case expects of the Progressing condition's timestamps.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stamp {
    /// testTime (kept).
    Kept,
    /// The sync's `now` (refreshed).
    Now,
    /// Absent (the condition it kept had none).
    None,
}

#[test]
fn sync_rollout_status() {
    // TestSyncRolloutStatus: pds 60 unless nil. Upstream's timestamp checks compare the
    // expectation with itself; here the condition's own timestamps are asserted.
    let pds = Some(60);
    let failed_timed_out = progressing(
        ConditionStatus::False,
        reason::PROGRESS_DEADLINE_EXCEEDED,
        None,
    );
    let new_rs_available = progressing(
        ConditionStatus::True,
        reason::NEW_REPLICA_SET_AVAILABLE,
        Some(test_time()),
    );
    let replica_set_updated = progressing(
        ConditionStatus::True,
        reason::REPLICA_SET_UPDATED,
        Some(test_time()),
    );
    type Expect = Option<(ConditionStatus, &'static str, Stamp, Stamp)>;
    let cases: Vec<(
        &str,
        Deployment,
        Vec<ReplicaSet>,
        Option<ReplicaSet>,
        Expect,
    )> = vec![
        (
            "General: remove Progressing condition and do not estimate progress if deployment has no Progress Deadline",
            current_deployment(None, 3, 2, 2, 2, vec![replica_set_updated.clone()]),
            vec![rs_status("bar", 0, 1, 1)],
            Some(rs_status("foo", 3, 2, 2)),
            None,
        ),
        (
            "General: do not estimate progress of deployment with only one active ReplicaSet",
            current_deployment(pds, 3, 3, 3, 3, vec![new_rs_available.clone()]),
            vec![rs_status("bar", 3, 3, 3)],
            None,
            Some((
                ConditionStatus::True,
                reason::NEW_REPLICA_SET_AVAILABLE,
                Stamp::Kept,
                Stamp::Kept,
            )),
        ),
        (
            "DeploymentProgressing: dont update lastTransitionTime if deployment already has Progressing=True",
            current_deployment(pds, 3, 2, 2, 2, vec![replica_set_updated.clone()]),
            vec![rs_status("bar", 0, 1, 1)],
            Some(rs_status("foo", 3, 2, 2)),
            Some((
                ConditionStatus::True,
                reason::REPLICA_SET_UPDATED,
                Stamp::Now,
                Stamp::Kept,
            )),
        ),
        (
            "DeploymentProgressing: update everything if deployment has Progressing=False",
            current_deployment(pds, 3, 2, 2, 2, vec![failed_timed_out.clone()]),
            vec![rs_status("bar", 0, 1, 1)],
            Some(rs_status("foo", 3, 2, 2)),
            Some((
                ConditionStatus::True,
                reason::REPLICA_SET_UPDATED,
                Stamp::Now,
                Stamp::Now,
            )),
        ),
        (
            "DeploymentProgressing: create Progressing condition if it does not exist",
            current_deployment(pds, 3, 2, 2, 2, vec![]),
            vec![rs_status("bar", 0, 1, 1)],
            Some(rs_status("foo", 3, 2, 2)),
            Some((
                ConditionStatus::True,
                reason::REPLICA_SET_UPDATED,
                Stamp::Now,
                Stamp::Now,
            )),
        ),
        (
            "DeploymentComplete: dont update lastTransitionTime if deployment already has Progressing=True",
            current_deployment(pds, 3, 3, 3, 3, vec![replica_set_updated.clone()]),
            vec![],
            Some(rs_status("foo", 3, 3, 3)),
            Some((
                ConditionStatus::True,
                reason::NEW_REPLICA_SET_AVAILABLE,
                Stamp::Now,
                Stamp::Kept,
            )),
        ),
        (
            "DeploymentComplete: update everything if deployment has Progressing=False",
            current_deployment(pds, 3, 3, 3, 3, vec![failed_timed_out.clone()]),
            vec![],
            Some(rs_status("foo", 3, 3, 3)),
            Some((
                ConditionStatus::True,
                reason::NEW_REPLICA_SET_AVAILABLE,
                Stamp::Now,
                Stamp::Now,
            )),
        ),
        (
            "DeploymentComplete: create Progressing condition if it does not exist",
            current_deployment(pds, 3, 3, 3, 3, vec![]),
            vec![],
            Some(rs_status("foo", 3, 3, 3)),
            Some((
                ConditionStatus::True,
                reason::NEW_REPLICA_SET_AVAILABLE,
                Stamp::Now,
                Stamp::Now,
            )),
        ),
        (
            "DeploymentComplete: defend against NPE when newRS=nil",
            current_deployment(pds, 0, 3, 3, 3, vec![replica_set_updated.clone()]),
            vec![rs_status("foo", 0, 0, 0)],
            None,
            Some((
                ConditionStatus::True,
                reason::NEW_REPLICA_SET_AVAILABLE,
                Stamp::Now,
                Stamp::Kept,
            )),
        ),
        (
            "DeploymentTimedOut: update status if rollout exceeds Progress Deadline",
            current_deployment(pds, 3, 2, 2, 2, vec![replica_set_updated.clone()]),
            vec![],
            Some(rs_status("foo", 3, 2, 2)),
            Some((
                ConditionStatus::False,
                reason::PROGRESS_DEADLINE_EXCEEDED,
                Stamp::Now,
                Stamp::Now,
            )),
        ),
        (
            "DeploymentTimedOut: do not update status if deployment has existing timedOut condition",
            current_deployment(pds, 3, 2, 2, 2, vec![failed_timed_out.clone()]),
            vec![],
            Some(rs_status("foo", 3, 2, 2)),
            Some((
                ConditionStatus::False,
                reason::PROGRESS_DEADLINE_EXCEEDED,
                Stamp::None,
                Stamp::None,
            )),
        ),
    ];
    assert_eq!(cases.len(), 11);
    for (name, d, mut all, new, want) in cases {
        let new_name = new.as_ref().map(|r| r.metadata.name.clone());
        all.extend(new);
        let mut c = ctx(&d, &all, now());
        let all_i: Vec<usize> = (0..all.len()).collect();
        let new_i = new_name.as_deref().map(|n| ix(&c, n));
        c.sync_rollout_status(&all_i, new_i);
        let got = util::get_condition(&c.d.status, &DeploymentConditionType::Progressing);
        let Some((status, why, update, transition)) = want else {
            assert!(got.is_none(), "{name}: {got:?}");
            continue;
        };
        let got = got.unwrap_or_else(|| panic!("{name}: no Progressing condition"));
        assert_eq!((&got.status, got.reason.as_str()), (&status, why), "{name}");
        let stamp = |t: Option<Time>| match t {
            Some(t) if t == test_time() => Stamp::Kept,
            Some(t) if t == now() => Stamp::Now,
            Some(t) => panic!("{name}: unexpected time {t:?}"),
            None => Stamp::None,
        };
        assert_eq!(
            stamp(got.last_update_time),
            update,
            "{name}: lastUpdateTime"
        );
        assert_eq!(
            stamp(got.last_transition_time),
            transition,
            "{name}: lastTransitionTime"
        );
    }
}

#[test]
fn sync_rollout_status_messages() {
    let d = current_deployment(Some(60), 3, 2, 2, 2, vec![]);
    let all = [rs_status("bar", 0, 1, 1), rs_status("foo", 3, 2, 2)];
    let mut c = ctx(&d, &all, now());
    let foo = ix(&c, "foo");
    c.sync_rollout_status(&[0, 1], Some(foo));
    let got = util::get_condition(&c.d.status, &DeploymentConditionType::Progressing).unwrap();
    assert_eq!(got.message, "ReplicaSet \"foo\" is progressing.");
    assert_eq!(crate::controller::Requeue::min(c.requeue, None), None);
    assert!(matches!(c.actions[..], [Action::UpdateDeploymentStatus(_)]));

    let d = current_deployment(Some(60), 0, 3, 3, 3, vec![]);
    let all = [rs_status("foo", 0, 0, 0)];
    let mut c = ctx(&d, &all, now());
    c.sync_rollout_status(&[0], None);
    let got = util::get_condition(&c.d.status, &DeploymentConditionType::Progressing).unwrap();
    assert_eq!(
        got.message,
        "Deployment \"progress-test\" has successfully progressed."
    );

    let d = current_deployment(
        Some(60),
        3,
        2,
        2,
        2,
        vec![progressing(
            ConditionStatus::True,
            reason::REPLICA_SET_UPDATED,
            Some(test_time()),
        )],
    );
    let all = [rs_status("foo", 3, 2, 2)];
    let mut c = ctx(&d, &all, now());
    c.sync_rollout_status(&[0], Some(0));
    let got = util::get_condition(&c.d.status, &DeploymentConditionType::Progressing).unwrap();
    assert_eq!(got.message, "ReplicaSet \"foo\" has timed out progressing.");
}

#[test]
fn requeue_stuck_deployment() {
    // TestRequeueStuckDeployment: pds 60, Recreate. Upstream returns −1 (no requeue), 0 (requeue
    // now, rate limited) or `after` (and enqueues after `after` + 1s); here: None,
    // Some(Backoff), Some(After(after + 1s)).
    //
    // Our clock has whole seconds. Upstream's row "failed deployment - less than a second =>
    // now" (now = 18:49:59.000000001, 999999999ns left) has no whole-second form: 18:49:59
    // leaves 1s (the "stuck deployment - 1s" row) and 18:50:00 leaves 0s (the "failed
    // deployment - now" row). It is expressed as its ceiling, 18:50:00, with upstream's result.
    let pds = Some(60);
    let failed = vec![progressing(
        ConditionStatus::False,
        reason::PROGRESS_DEADLINE_EXCEEDED,
        None,
    )];
    let stuck = vec![DeploymentCondition {
        last_transition_time: None,
        ..progressing(ConditionStatus::True, "", Some(test_time()))
    }];
    let at = |h: u8, m: u8, s: u8| Time::from_ymd_hms(2017, 2, 15, h, m, s).unwrap();
    let status = |r, u, a| DeploymentStatus {
        replicas: r,
        updated_replicas: u,
        available_replicas: a,
        ..Default::default()
    };
    let after = |s: u64| Some(Requeue::After(Duration::from_secs(s + 1)));
    let cases: Vec<(&str, Deployment, DeploymentStatus, Time, Option<Requeue>)> = vec![
        (
            "nil progressDeadlineSeconds specified",
            current_deployment(None, 4, 3, 3, 2, vec![]),
            status(3, 3, 2),
            now(),
            None,
        ),
        (
            "infinite progressDeadlineSeconds specified",
            current_deployment(Some(i32::MAX), 4, 3, 3, 2, vec![]),
            status(3, 3, 2),
            now(),
            None,
        ),
        (
            "no progressing condition found",
            current_deployment(pds, 4, 3, 3, 2, vec![]),
            status(3, 3, 2),
            now(),
            None,
        ),
        (
            "complete deployment does not need to be requeued",
            current_deployment(pds, 3, 3, 3, 3, vec![]),
            status(3, 3, 3),
            now(),
            None,
        ),
        (
            "already failed deployment does not need to be requeued",
            current_deployment(pds, 3, 3, 3, 0, failed),
            status(3, 3, 0),
            now(),
            None,
        ),
        (
            "stuck deployment - 30s",
            current_deployment(pds, 3, 3, 3, 1, stuck.clone()),
            status(3, 3, 1),
            at(18, 49, 30),
            after(30),
        ),
        (
            "stuck deployment - 1s",
            current_deployment(pds, 3, 3, 3, 1, stuck.clone()),
            status(3, 3, 1),
            at(18, 49, 59),
            after(1),
        ),
        (
            "failed deployment - less than a second => now",
            current_deployment(pds, 3, 3, 3, 1, stuck.clone()),
            status(3, 3, 1),
            at(18, 50, 0),
            Some(Requeue::Backoff),
        ),
        (
            "failed deployment - now",
            current_deployment(pds, 3, 3, 3, 1, stuck.clone()),
            status(3, 3, 1),
            at(18, 50, 0),
            Some(Requeue::Backoff),
        ),
        (
            "failed deployment - 1s after deadline",
            current_deployment(pds, 3, 3, 3, 1, stuck.clone()),
            status(3, 3, 1),
            at(18, 50, 1),
            Some(Requeue::Backoff),
        ),
        (
            "failed deployment - 60s after deadline",
            current_deployment(pds, 3, 3, 3, 1, stuck),
            status(3, 3, 1),
            at(18, 51, 0),
            Some(Requeue::Backoff),
        ),
    ];
    assert_eq!(cases.len(), 11);
    for (name, d, new_status, at, want) in cases {
        let c = ctx(&d, &[], at);
        assert_eq!(c.requeue_stuck(&new_status), want, "{name}");
    }
}

#[test]
fn sync_rollout_status_requeues_only_when_nothing_changed() {
    // A stuck rollout whose status is already written: no write, a requeue at the deadline + 1s.
    let mut d = current_deployment(Some(60), 3, 3, 3, 1, vec![]);
    let rss = [rs_status("foo", 3, 3, 1)];
    let settled = ctx(&d, &rss, test_time()).calculate_status(&[0], Some(0));
    d.status = settled;
    d.status.conditions.push(DeploymentCondition {
        reason: reason::REPLICA_SET_UPDATED.into(),
        ..progressing(ConditionStatus::True, "", Some(test_time()))
    });
    let mut c = ctx(&d, &rss, test_time().add_seconds(30));
    c.sync_rollout_status(&[0], Some(0));
    assert!(c.actions.is_empty(), "{:?}", c.actions);
    assert_eq!(c.requeue, Some(Requeue::After(Duration::from_secs(31))));
    // Past the deadline: the timeout is written (and no requeue is asked for).
    let mut c = ctx(&d, &rss, test_time().add_seconds(61));
    c.sync_rollout_status(&[0], Some(0));
    assert_eq!(c.requeue, None);
    let cond = util::get_condition(&c.d.status, &DeploymentConditionType::Progressing).unwrap();
    assert_eq!(cond.reason, reason::PROGRESS_DEADLINE_EXCEEDED);
}

#[test]
fn replica_failure_prefers_the_new_replica_set() {
    let d = current_deployment(Some(60), 3, 0, 0, 0, vec![]);
    let t1 = Time::from_unix(1_000);
    let t2 = Time::from_unix(2_000);
    let mut old = rs_status("bar", 1, 0, 0);
    old.status
        .conditions
        .push(replica_failure("old failure", t1));
    let mut new = rs_status("foo", 3, 0, 0);
    new.status
        .conditions
        .push(replica_failure("new failure", t2));
    let rss = [old.clone(), new];
    let mut c = ctx(&d, &rss, now());
    let foo = ix(&c, "foo");
    c.sync_rollout_status(&[0, 1], Some(foo));
    let f = util::get_condition(&c.d.status, &DeploymentConditionType::ReplicaFailure).unwrap();
    assert_eq!(f.message, "new failure");
    assert_eq!(f.reason, "FailedCreate");
    assert_eq!(
        f.last_update_time,
        Some(t2),
        "both times from the ReplicaSet"
    );
    assert_eq!(f.last_transition_time, Some(t2));

    // Only an old ReplicaSet fails: its condition is copied.
    let rss = [old, rs_status("foo", 3, 0, 0)];
    let mut c = ctx(&d, &rss, now());
    let foo = ix(&c, "foo");
    c.sync_rollout_status(&[0, 1], Some(foo));
    let f = util::get_condition(&c.d.status, &DeploymentConditionType::ReplicaFailure).unwrap();
    assert_eq!(f.message, "old failure");

    // None any more: removed.
    let mut d2 = d.clone();
    d2.status.conditions.push(DeploymentCondition {
        type_: DeploymentConditionType::ReplicaFailure,
        status: ConditionStatus::True,
        ..Default::default()
    });
    let rss = [rs_status("foo", 3, 0, 0)];
    let mut c = ctx(&d2, &rss, now());
    c.sync_rollout_status(&[0], Some(0));
    assert!(util::get_condition(&c.d.status, &DeploymentConditionType::ReplicaFailure).is_none());
}

#[test]
fn a_complete_rollout_is_never_re_evaluated() {
    // isCompleteDeployment: replicas == updated and the condition is NewReplicaSetAvailable →
    // later unavailability never produces ProgressDeadlineExceeded (upstream #106054).
    let d = current_deployment(
        Some(60),
        3,
        3,
        3,
        3,
        vec![progressing(
            ConditionStatus::True,
            reason::NEW_REPLICA_SET_AVAILABLE,
            Some(test_time()),
        )],
    );
    let rss = [rs_status("foo", 3, 3, 0)];
    let mut c = ctx(&d, &rss, test_time().add_seconds(3600));
    c.sync_rollout_status(&[0], Some(0));
    let cond = util::get_condition(&c.d.status, &DeploymentConditionType::Progressing).unwrap();
    assert_eq!(cond.reason, reason::NEW_REPLICA_SET_AVAILABLE);
    assert_eq!(cond.last_update_time, Some(test_time()));
}
