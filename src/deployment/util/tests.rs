//! Upstream's `deployment_util_test.go` tables (v1.32), each case named as upstream names it.

#![allow(clippy::type_complexity)]

use super::*;
use crate::api::{DeploymentStrategy, RollingUpdateDeployment};

fn int(i: i32) -> IntOrString {
    IntOrString::Int(i)
}

fn pct(s: &str) -> IntOrString {
    IntOrString::String(s.to_owned())
}

/// A RollingUpdate Deployment with the given replicas and fenceposts.
fn rolling(
    replicas: i32,
    surge: Option<IntOrString>,
    unavailable: Option<IntOrString>,
) -> Deployment {
    let mut d = Deployment::default();
    d.spec.replicas = Some(replicas);
    d.spec.strategy = DeploymentStrategy {
        type_: DeploymentStrategyType::RollingUpdate,
        rolling_update: Some(RollingUpdateDeployment {
            max_surge: surge,
            max_unavailable: unavailable,
            ..Default::default()
        }),
        ..Default::default()
    };
    d
}

fn recreate(replicas: Option<i32>) -> Deployment {
    let mut d = Deployment::default();
    d.spec.replicas = replicas;
    d.spec.strategy.type_ = DeploymentStrategyType::Recreate;
    d
}

fn rs_with(replicas: i32, annotations: &[(&str, &str)]) -> ReplicaSet {
    let mut rs = ReplicaSet::default();
    rs.metadata.name = "rs".into();
    rs.spec.replicas = Some(replicas);
    for (k, v) in annotations {
        rs.metadata
            .annotations
            .insert((*k).to_owned(), (*v).to_owned());
    }
    rs
}

fn cond(
    type_: DeploymentConditionType,
    status: ConditionStatus,
    reason: &str,
) -> DeploymentCondition {
    DeploymentCondition {
        type_,
        status,
        reason: reason.to_owned(),
        ..Default::default()
    }
}

#[test]
fn resolve_fenceposts_table() {
    // TestResolveFenceposts: upstream's cases are unnamed; they run as "0".."6".
    let cases: [(Option<&str>, Option<&str>, i32, i32, i32, bool); 7] = [
        (Some("0%"), Some("0%"), 0, 0, 1, false),
        (Some("39%"), Some("39%"), 10, 4, 3, false),
        (Some("oops"), Some("39%"), 10, 0, 0, true),
        (Some("55%"), Some("urg"), 10, 0, 0, true),
        (None, Some("39%"), 10, 0, 3, false),
        (Some("39%"), None, 10, 4, 0, false),
        (None, None, 10, 0, 1, false),
    ];
    for (num, (surge, unavailable, desired, want_surge, want_unavailable, want_err)) in
        cases.into_iter().enumerate()
    {
        let surge = surge.map(pct);
        let unavailable = unavailable.map(pct);
        let got = resolve_fenceposts(surge.as_ref(), unavailable.as_ref(), desired);
        match got {
            Ok((s, u)) => {
                assert!(!want_err, "#{num}: expected an error");
                assert_eq!((s, u), (want_surge, want_unavailable), "#{num}");
            }
            Err(_) => assert!(want_err, "#{num}: unexpected error"),
        }
    }
}

#[test]
fn resolve_fenceposts_error_messages() {
    let oops = pct("oops");
    assert_eq!(
        resolve_fenceposts(Some(&oops), None, 10)
            .unwrap_err()
            .to_string(),
        "invalid value for IntOrString: invalid type: string is not a percentage"
    );
    let urg = pct("urg%");
    assert_eq!(
        resolve_fenceposts(None, Some(&urg), 10)
            .unwrap_err()
            .to_string(),
        "invalid value for IntOrString: invalid value \"urg%\": strconv.Atoi: parsing \"urg\": invalid syntax"
    );
}

#[test]
fn scaled_value_rounds_with_exact_integers() {
    // Worked defaults of 25%/25% (reference §4.2).
    for (replicas, surge, unavailable) in [
        (1, 1, 0),
        (3, 1, 0),
        (4, 1, 1),
        (10, 3, 2),
        (15, 4, 3),
        (20, 5, 5),
    ] {
        let d = rolling(replicas, Some(pct("25%")), Some(pct("25%")));
        assert_eq!(max_surge(&d), surge, "surge of {replicas}");
        assert_eq!(
            max_unavailable(&d),
            unavailable,
            "unavailable of {replicas}"
        );
    }
    // No float rounding error near the limits.
    assert_eq!(scaled_value(&pct("100%"), i32::MAX, true), Ok(i32::MAX));
    assert_eq!(scaled_value(&pct("1000%"), i32::MAX, true), Ok(i32::MAX));
    assert_eq!(scaled_value(&pct("-10%"), 15, false), Ok(-2));
    assert_eq!(scaled_value(&int(-3), 15, false), Ok(-3));
}

#[test]
fn max_unavailable_table() {
    // TestMaxUnavailable: maxSurge int 1.
    let d = |replicas, unavailable| rolling(replicas, Some(int(1)), Some(unavailable));
    let cases = [
        ("maxUnavailable less than replicas", d(10, int(5)), 5),
        ("maxUnavailable equal replicas", d(10, int(10)), 10),
        ("maxUnavailable greater than replicas", d(5, int(10)), 5),
        ("maxUnavailable with replicas is 0", d(0, int(10)), 0),
        (
            "maxUnavailable with Recreate deployment strategy",
            recreate(None),
            0,
        ),
        (
            "maxUnavailable less than replicas with percents",
            d(10, pct("50%")),
            5,
        ),
        (
            "maxUnavailable equal replicas with percents",
            d(10, pct("100%")),
            10,
        ),
        (
            "maxUnavailable greater than replicas with percents",
            d(5, pct("100%")),
            5,
        ),
    ];
    for (name, d, want) in cases {
        assert_eq!(max_unavailable(&d), want, "{name}");
    }
}

#[test]
fn min_available_table() {
    // TestMinAvailable: maxSurge int 1.
    let d = |replicas, unavailable| rolling(replicas, Some(int(1)), Some(unavailable));
    let cases = [
        ("replicas greater than maxUnavailable", d(10, int(5)), 5),
        ("replicas equal maxUnavailable", d(10, int(10)), 0),
        ("replicas less than maxUnavailable", d(5, int(10)), 0),
        ("replicas is 0", d(0, int(10)), 0),
        (
            "minAvailable with Recreate deployment strategy",
            recreate(Some(10)),
            0,
        ),
        (
            "replicas greater than maxUnavailable with percents",
            d(10, pct("60%")),
            4,
        ),
        (
            "replicas equal maxUnavailable with percents",
            d(10, pct("100%")),
            0,
        ),
        (
            "replicas less than maxUnavailable with percents",
            d(5, pct("100%")),
            0,
        ),
    ];
    for (name, d, want) in cases {
        assert_eq!(min_available(&d), want, "{name}");
    }
}

#[test]
fn max_surge_is_never_clamped_and_zero_for_recreate() {
    assert_eq!(max_surge(&rolling(2, Some(int(7)), Some(int(1)))), 7);
    assert_eq!(max_surge(&rolling(4, Some(pct("300%")), None)), 12);
    assert_eq!(max_surge(&recreate(Some(4))), 0);
    // Errors count as 0 (upstream ignores them).
    assert_eq!(max_surge(&rolling(4, Some(pct("x")), None)), 0);
    assert_eq!(max_unavailable(&rolling(4, None, Some(pct("x")))), 0);
}

#[test]
fn new_rs_new_replicas_table() {
    // TestNewRSNewReplicas: allRSs is one ReplicaSet of 5 (the new one is not in the list),
    // maxUnavailable int 1.
    let cases = [
        (
            "can not scale up - to newRSReplicas",
            DeploymentStrategyType::RollingUpdate,
            1,
            5,
            1,
            5,
        ),
        (
            "scale up - to depReplicas",
            DeploymentStrategyType::RollingUpdate,
            6,
            2,
            10,
            6,
        ),
        (
            "recreate - to depReplicas",
            DeploymentStrategyType::Recreate,
            3,
            1,
            1,
            3,
        ),
    ];
    for (name, strategy, dep_replicas, new_rs_replicas, surge, want) in cases {
        let mut d = rolling(dep_replicas, Some(int(surge)), Some(int(1)));
        d.spec.strategy.type_ = strategy;
        let all = [rs_with(5, &[])];
        let got = new_rs_new_replicas(&d, replica_count(&all), new_rs_replicas);
        assert_eq!(got, Ok(want), "{name}");
    }
}

#[test]
fn new_rs_new_replicas_rejects_a_bad_surge() {
    let d = rolling(3, Some(pct("lots")), Some(int(1)));
    assert!(new_rs_new_replicas(&d, 0, 0).is_err());
}

#[test]
fn get_replica_set_fraction_table() {
    // TestGetReplicaSetFraction (added by PR #128535; this is its expected column):
    // maxUnavailable int 1, maxSurge int as given.
    let cases: [(&str, i32, i32, i32, i32, &[(&str, &str)], i32); 9] = [
        ("empty deployment always scales to 0", 0, 0, 0, 10, &[], -10),
        (
            "unsynced deployment does not scale when max-replicas annotation is missing (removed by a 3rd party)",
            10,
            0,
            0,
            5,
            &[],
            0,
        ),
        (
            "unsynced deployment does not scale when max-replicas annotation is incorrectly set to 0 (by a 3rd party)",
            10,
            0,
            0,
            5,
            &[(MAX_REPLICAS_ANNOTATION, "0")],
            0,
        ),
        (
            "scale up by 1/5 should increase RS replicas by 1/5 when max-replicas annotation is missing (removed by a 3rd party)",
            120,
            100,
            0,
            50,
            &[],
            10,
        ),
        (
            "scale up by 1/5 should increase RS replicas by 1/5 when max-replicas annotation is incorrectly set to 0 (by a 3rd party)",
            120,
            100,
            0,
            50,
            &[(MAX_REPLICAS_ANNOTATION, "0")],
            10,
        ),
        (
            "scale up by 1/5 should increase RS replicas by 1/5",
            120,
            0,
            0,
            50,
            &[(MAX_REPLICAS_ANNOTATION, "100")],
            10,
        ),
        (
            "scale up with maxSurge by 1/5 should increase RS replicas approximately by 1/5",
            120,
            0,
            10,
            50,
            &[(MAX_REPLICAS_ANNOTATION, "110")],
            9,
        ),
        (
            "scale down by 1/6 should decrease RS replicas by 1/6",
            10,
            0,
            0,
            6,
            &[(MAX_REPLICAS_ANNOTATION, "12")],
            -1,
        ),
        (
            "scale down with maxSurge by 1/6 should decrease RS replicas approximately by 1/6",
            100,
            0,
            10,
            50,
            &[(MAX_REPLICAS_ANNOTATION, "130")],
            -8,
        ),
    ];
    for (name, replicas, status_replicas, surge, rs_replicas, annotations, want) in cases {
        let mut d = rolling(replicas, Some(int(surge)), Some(int(1)));
        d.status.replicas = status_replicas;
        let rs = rs_with(rs_replicas, annotations);
        assert_eq!(replica_set_fraction(&rs, &d), want, "{name}");
    }
}

#[test]
fn replica_set_fraction_rounds_half_away_from_zero() {
    // 2·5/4 = 2.5 → 3 (TestScale #10); 1·2/4 = 0.5 → 1 ; rs 3 of 6 → 5: 2.5 → 3.
    let d = rolling(5, Some(int(0)), Some(int(1)));
    assert_eq!(
        replica_set_fraction(&rs_with(2, &[(MAX_REPLICAS_ANNOTATION, "4")]), &d),
        1
    );
    let d = rolling(2, Some(int(0)), Some(int(1)));
    assert_eq!(
        replica_set_fraction(&rs_with(1, &[(MAX_REPLICAS_ANNOTATION, "4")]), &d),
        0
    );
    // A garbage annotation falls back to status.replicas.
    let mut d = rolling(20, Some(int(0)), Some(int(1)));
    d.status.replicas = 10;
    assert_eq!(
        replica_set_fraction(&rs_with(4, &[(MAX_REPLICAS_ANNOTATION, "many")]), &d),
        4
    );
    // Huge values do not overflow (upstream's int32 product would wrap).
    let d = rolling(i32::MAX, Some(int(0)), Some(int(1)));
    assert_eq!(
        replica_set_fraction(&rs_with(i32::MAX, &[(MAX_REPLICAS_ANNOTATION, "1")]), &d),
        i32::MAX
    );
}

#[test]
fn get_proportion_derived_examples() {
    // No upstream TestGetProportion; examples derived from the algorithm (reference §5.4).
    // (rs 3, toAdd 5, added 0, fraction 3) → 3
    let d = rolling(10, Some(int(0)), Some(int(1)));
    let rs3 = rs_with(3, &[(MAX_REPLICAS_ANNOTATION, "5")]);
    assert_eq!(replica_set_fraction(&rs3, &d), 3);
    assert_eq!(proportion(&rs3, &d, 5, 0), 3);
    // (rs 2, toAdd 5, added 3, fraction 2) → 2
    let rs2 = rs_with(2, &[(MAX_REPLICAS_ANNOTATION, "5")]);
    assert_eq!(proportion(&rs2, &d, 5, 3), 2);
    // capped by what remains: (rs 3, toAdd 5, added 4) → 1
    assert_eq!(proportion(&rs3, &d, 5, 4), 1);
    // (toAdd −2, added −1, fraction −1) → −1
    let d8 = rolling(8, Some(int(0)), Some(int(1)));
    let rs_down = rs_with(3, &[(MAX_REPLICAS_ANNOTATION, "13")]);
    assert_eq!(replica_set_fraction(&rs_down, &d8), -1);
    assert_eq!(proportion(&rs_down, &d8, -2, -1), -1);
    // capped when scaling down: (toAdd −2, added −1, fraction −3) → −1
    let rs_big = rs_with(8, &[(MAX_REPLICAS_ANNOTATION, "13")]);
    assert_eq!(replica_set_fraction(&rs_big, &d8), -3);
    assert_eq!(proportion(&rs_big, &d8, -2, -1), -1);
    // (toAdd 3, added 3) → 0
    assert_eq!(proportion(&rs3, &d, 3, 3), 0);
    // toAdd 0 → 0
    assert_eq!(proportion(&rs3, &d, 0, 0), 0);
    // (rs 0) → 0
    assert_eq!(
        proportion(&rs_with(0, &[(MAX_REPLICAS_ANNOTATION, "5")]), &d, 5, 0),
        0
    );
    // (toAdd 1, added 0, stale annotation making fraction −2) → −2: an RS can shrink during a
    // scale-up.
    let d4 = rolling(4, Some(int(0)), Some(int(1)));
    let stale = rs_with(4, &[(MAX_REPLICAS_ANNOTATION, "8")]);
    assert_eq!(replica_set_fraction(&stale, &d4), -2);
    assert_eq!(proportion(&stale, &d4, 1, 0), -2);
}

#[test]
fn deployment_complete_table() {
    // TestDeploymentComplete: (desired, current, updated, available, maxUnavailable, maxSurge).
    let d = |desired, current, updated, available, unavailable, surge| {
        let mut d = rolling(desired, Some(int(surge)), Some(int(unavailable)));
        d.status.replicas = current;
        d.status.updated_replicas = updated;
        d.status.available_replicas = available;
        d
    };
    let cases = [
        (
            "not complete: min but not all pods become available",
            d(5, 5, 5, 4, 1, 0),
            false,
        ),
        (
            "not complete: min availability is not honored",
            d(5, 5, 5, 3, 1, 0),
            false,
        ),
        ("complete", d(5, 5, 5, 5, 0, 0), true),
        (
            "not complete: all pods are available but not updated",
            d(5, 5, 4, 5, 0, 0),
            false,
        ),
        (
            "not complete: still running old pods",
            d(1, 2, 1, 1, 0, 1),
            false,
        ),
        (
            "not complete: one replica deployment never comes up",
            d(1, 1, 1, 0, 1, 1),
            false,
        ),
    ];
    for (name, d, want) in cases {
        assert_eq!(deployment_complete(&d, &d.status), want, "{name}");
    }
}

#[test]
fn deployment_complete_needs_the_generation_observed() {
    let mut d = rolling(5, Some(int(1)), Some(int(0)));
    d.status.replicas = 5;
    d.status.updated_replicas = 5;
    d.status.available_replicas = 5;
    d.metadata.generation = 3;
    d.status.observed_generation = 2;
    assert!(!deployment_complete(&d, &d.status));
    d.status.observed_generation = 3;
    assert!(deployment_complete(&d, &d.status));
}

#[test]
fn deployment_progressing_table() {
    // TestDeploymentProgressing: (replicas, updated, ready, available), old → new.
    let status = |replicas, updated, ready, available| DeploymentStatus {
        replicas,
        updated_replicas: updated,
        ready_replicas: ready,
        available_replicas: available,
        ..Default::default()
    };
    let cases = [
        (
            "progressing: updated pods",
            status(10, 4, 4, 4),
            status(10, 6, 4, 4),
            true,
        ),
        (
            "not progressing",
            status(10, 4, 4, 4),
            status(10, 4, 4, 4),
            false,
        ),
        (
            "progressing: old pods removed",
            status(10, 4, 6, 6),
            status(8, 4, 6, 6),
            true,
        ),
        (
            "not progressing: less new pods",
            status(10, 7, 3, 3),
            status(10, 6, 3, 3),
            false,
        ),
        (
            "progressing: less overall but more new pods",
            status(10, 4, 7, 7),
            status(8, 8, 5, 5),
            true,
        ),
        (
            "progressing: more ready pods",
            status(10, 10, 9, 8),
            status(10, 10, 10, 8),
            true,
        ),
        (
            "progressing: more available pods",
            status(10, 10, 10, 9),
            status(10, 10, 10, 10),
            true,
        ),
    ];
    for (name, old, new, want) in cases {
        let d = Deployment {
            status: old,
            ..Default::default()
        };
        assert_eq!(deployment_progressing(&d, &new), want, "{name}");
    }
}

#[test]
fn deployment_timed_out_table() {
    // TestDeploymentTimedOut: times are 2016-01-01 00:mm:ss UTC.
    let at = |min: u8, sec: u8| Time::from_ymd_hms(2016, 1, 1, 0, min, sec).unwrap();
    let d = |reason: &str, pds: Option<i32>, from: Option<Time>| {
        let mut d = Deployment::default();
        d.spec.progress_deadline_seconds = pds;
        d.status.conditions.push(DeploymentCondition {
            last_update_time: from,
            ..cond(
                DeploymentConditionType::Progressing,
                ConditionStatus::True,
                reason,
            )
        });
        d
    };
    let cases = [
        (
            "nil progressDeadlineSeconds specified - no timeout",
            d("", None, Some(at(1, 9))),
            at(1, 20),
            false,
        ),
        (
            "infinite progressDeadlineSeconds specified - no timeout",
            d("", Some(i32::MAX), Some(at(1, 9))),
            at(1, 20),
            false,
        ),
        (
            "progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:09 => 11s",
            d("", Some(10), Some(at(1, 9))),
            at(1, 20),
            true,
        ),
        (
            "progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:11 => 9s",
            d("", Some(10), Some(at(1, 11))),
            at(1, 20),
            false,
        ),
        (
            "previous status was a complete deployment",
            d(reason::NEW_REPLICA_SET_AVAILABLE, None, None),
            at(1, 20),
            false,
        ),
    ];
    for (name, d, now, want) in cases {
        assert_eq!(deployment_timed_out(&d, &d.status, now), want, "{name}");
    }
}

#[test]
fn deployment_timed_out_is_strictly_after_the_deadline() {
    let last = Time::from_unix(1_000);
    let mut d = Deployment::default();
    d.spec.progress_deadline_seconds = Some(10);
    d.status.conditions.push(DeploymentCondition {
        last_update_time: Some(last),
        ..cond(
            DeploymentConditionType::Progressing,
            ConditionStatus::True,
            reason::REPLICA_SET_UPDATED,
        )
    });
    assert!(!deployment_timed_out(&d, &d.status, last.add_seconds(10)));
    assert!(deployment_timed_out(&d, &d.status, last.add_seconds(11)));
    // An existing ProgressDeadlineExceeded stays timed out whatever the clock says.
    d.status.conditions[0].reason = reason::PROGRESS_DEADLINE_EXCEEDED.to_owned();
    assert!(deployment_timed_out(&d, &d.status, last));
}

fn cond_progressing() -> DeploymentCondition {
    cond(
        DeploymentConditionType::Progressing,
        ConditionStatus::False,
        "ForSomeReason",
    )
}

fn cond_progressing2() -> DeploymentCondition {
    cond(
        DeploymentConditionType::Progressing,
        ConditionStatus::True,
        "BecauseItIs",
    )
}

fn cond_available() -> DeploymentCondition {
    cond(
        DeploymentConditionType::Available,
        ConditionStatus::True,
        "AwesomeController",
    )
}

fn status_with(conditions: Vec<DeploymentCondition>) -> DeploymentStatus {
    DeploymentStatus {
        conditions,
        ..Default::default()
    }
}

#[test]
fn get_condition_table() {
    // TestGetCondition
    let example = status_with(vec![cond_progressing(), cond_available()]);
    let cases = [
        ("condition exists", DeploymentConditionType::Available, true),
        (
            "condition does not exist",
            DeploymentConditionType::ReplicaFailure,
            false,
        ),
    ];
    for (name, type_, want) in cases {
        assert_eq!(get_condition(&example, &type_).is_some(), want, "{name}");
    }
}

#[test]
fn set_condition_table() {
    // TestSetCondition
    let cases = [
        (
            "set for the first time",
            status_with(vec![]),
            cond_available(),
            status_with(vec![cond_available()]),
        ),
        (
            "simple set",
            status_with(vec![cond_progressing()]),
            cond_available(),
            status_with(vec![cond_progressing(), cond_available()]),
        ),
        (
            "overwrite",
            status_with(vec![cond_progressing()]),
            cond_progressing2(),
            status_with(vec![cond_progressing2()]),
        ),
    ];
    for (name, mut status, c, want) in cases {
        set_condition(&mut status, c);
        assert_eq!(status, want, "{name}");
    }
}

#[test]
fn set_condition_keeps_times_as_upstream() {
    let t1 = Time::from_unix(100);
    let t2 = Time::from_unix(200);
    let at = |c: DeploymentCondition, t: Time| DeploymentCondition {
        last_update_time: Some(t),
        last_transition_time: Some(t),
        ..c
    };
    // Same status and reason: nothing changes, not even lastUpdateTime.
    let mut s = status_with(vec![at(cond_progressing2(), t1), at(cond_available(), t1)]);
    set_condition(&mut s, at(cond_progressing2(), t2));
    assert_eq!(s.conditions[0].last_update_time, Some(t1));
    assert_eq!(s.conditions[0].type_, DeploymentConditionType::Progressing);
    // Same status, other reason: transition time kept, update time new, moved to the end.
    let mut other = at(cond_progressing2(), t2);
    other.reason = "Other".into();
    set_condition(&mut s, other);
    let last = s.conditions.last().unwrap();
    assert_eq!(last.type_, DeploymentConditionType::Progressing);
    assert_eq!(last.reason, "Other");
    assert_eq!(last.last_transition_time, Some(t1));
    assert_eq!(last.last_update_time, Some(t2));
    assert_eq!(s.conditions[0].type_, DeploymentConditionType::Available);
    // Other status: both times new.
    set_condition(&mut s, at(cond_progressing(), t2));
    let last = s.conditions.last().unwrap();
    assert_eq!(last.last_transition_time, Some(t2));
}

#[test]
fn remove_condition_table() {
    // TestRemoveCondition
    let cases = [
        (
            "remove from empty status",
            status_with(vec![]),
            DeploymentConditionType::Progressing,
            status_with(vec![]),
        ),
        (
            "simple remove",
            status_with(vec![cond_progressing()]),
            DeploymentConditionType::Progressing,
            status_with(vec![]),
        ),
        (
            "doesn't remove anything",
            status_with(vec![cond_progressing(), cond_available()]),
            DeploymentConditionType::ReplicaFailure,
            status_with(vec![cond_progressing(), cond_available()]),
        ),
    ];
    for (name, mut status, type_, want) in cases {
        remove_condition(&mut status, &type_);
        assert_eq!(status, want, "{name}");
    }
}

#[test]
fn annotation_utils() {
    // TestAnnotationUtils: a Deployment with revision "1" (never copied), a ReplicaSet with no
    // annotations, SetNewReplicaSetAnnotations(…, exists=true, limit 5) with 11..=20.
    let mut d = rolling(1, Some(int(1)), Some(int(0)));
    d.metadata
        .annotations
        .insert(REVISION_ANNOTATION.to_owned(), "1".to_owned());
    let mut rs = rs_with(0, &[]);

    // SetNewReplicaSetAnnotations
    for i in 10..20 {
        let next = (i + 1).to_string();
        set_new_replica_set_annotations(&d, &mut rs, &next, true, 5);
        if i >= 12 {
            assert_eq!(
                rs.metadata.annotations[REVISION_HISTORY_ANNOTATION],
                format!("{},{}", i - 1, i),
                "revision history after {next}"
            );
        }
        assert_eq!(rs.metadata.annotations[REVISION_ANNOTATION], next);
    }

    // SetReplicasAnnotations
    assert!(set_replicas_annotations(&mut rs, 10, 11));
    assert_eq!(rs.metadata.annotations[DESIRED_REPLICAS_ANNOTATION], "10");
    assert_eq!(rs.metadata.annotations[MAX_REPLICAS_ANNOTATION], "11");
    assert!(!set_replicas_annotations(&mut rs, 10, 11));

    // IsSaturated
    rs.metadata
        .annotations
        .insert(DESIRED_REPLICAS_ANNOTATION.to_owned(), "1".to_owned());
    rs.status.available_replicas = 1;
    rs.spec.replicas = Some(1);
    assert!(is_saturated(&d, Some(&rs)));
}

#[test]
fn is_saturated_needs_all_three() {
    let d = rolling(2, Some(int(1)), Some(int(0)));
    let mut rs = rs_with(2, &[(DESIRED_REPLICAS_ANNOTATION, "2")]);
    rs.status.available_replicas = 2;
    assert!(is_saturated(&d, Some(&rs)));
    assert!(!is_saturated(&d, None));
    let mut no_annotation = rs.clone();
    no_annotation.metadata.annotations.clear();
    assert!(!is_saturated(&d, Some(&no_annotation)));
    let mut garbage = rs.clone();
    garbage
        .metadata
        .annotations
        .insert(DESIRED_REPLICAS_ANNOTATION.to_owned(), "two".to_owned());
    assert!(!is_saturated(&d, Some(&garbage)));
    let mut unavailable = rs.clone();
    unavailable.status.available_replicas = 1;
    assert!(!is_saturated(&d, Some(&unavailable)));
    let mut stale = rs;
    stale
        .metadata
        .annotations
        .insert(DESIRED_REPLICAS_ANNOTATION.to_owned(), "3".to_owned());
    assert!(!is_saturated(&d, Some(&stale)));
}

#[test]
fn set_new_replica_set_annotations_facts() {
    let mut d = rolling(4, Some(int(2)), Some(int(0)));
    for (k, v) in [
        (LAST_APPLIED_CONFIG, "{}"),
        (REVISION_ANNOTATION, "7"),
        (CHANGE_CAUSE_ANNOTATION, "kubectl set image"),
        (DEPRECATED_ROLLBACK_TO, "1"),
    ] {
        d.metadata.annotations.insert(k.to_owned(), v.to_owned());
    }
    // Creation: copies non-skipped annotations, sets revision and the replica annotations.
    let mut rs = rs_with(0, &[("kept", "x")]);
    assert!(set_new_replica_set_annotations(
        &d,
        &mut rs,
        "3",
        false,
        MAX_REV_HISTORY_LENGTH_IN_CHARS
    ));
    let a = &rs.metadata.annotations;
    assert_eq!(a[CHANGE_CAUSE_ANNOTATION], "kubectl set image");
    assert_eq!(a[REVISION_ANNOTATION], "3");
    assert_eq!(a[DESIRED_REPLICAS_ANNOTATION], "4");
    assert_eq!(a[MAX_REPLICAS_ANNOTATION], "6");
    assert_eq!(a["kept"], "x", "annotations are never removed");
    assert!(!a.contains_key(LAST_APPLIED_CONFIG));
    assert!(!a.contains_key(DEPRECATED_ROLLBACK_TO));
    assert!(!a.contains_key(REVISION_HISTORY_ANNOTATION));

    // Never lowers a revision.
    assert!(!set_new_replica_set_annotations(
        &d,
        &mut rs,
        "2",
        true,
        MAX_REV_HISTORY_LENGTH_IN_CHARS
    ));
    assert_eq!(rs.metadata.annotations[REVISION_ANNOTATION], "3");

    // An unparseable existing revision stops everything, discarding copied annotations' flag.
    let mut bad = rs_with(0, &[(REVISION_ANNOTATION, "three")]);
    assert!(!set_new_replica_set_annotations(
        &d,
        &mut bad,
        "4",
        true,
        MAX_REV_HISTORY_LENGTH_IN_CHARS
    ));
    assert_eq!(bad.metadata.annotations[REVISION_ANNOTATION], "three");
    // An unparseable new revision likewise.
    let mut fine = rs_with(0, &[(REVISION_ANNOTATION, "1")]);
    assert!(!set_new_replica_set_annotations(
        &d,
        &mut fine,
        "x",
        true,
        MAX_REV_HISTORY_LENGTH_IN_CHARS
    ));
}

#[test]
fn revision_history_drops_from_the_front_or_gives_up() {
    let d = rolling(1, Some(int(1)), Some(int(0)));
    // Front-trimmed to fit.
    let mut rs = rs_with(
        0,
        &[
            (REVISION_ANNOTATION, "40"),
            (REVISION_HISTORY_ANNOTATION, "1,22,333"),
        ],
    );
    set_new_replica_set_annotations(&d, &mut rs, "41", true, 9);
    assert_eq!(
        rs.metadata.annotations[REVISION_HISTORY_ANNOTATION],
        "22,333,40"
    );
    // An entry longer than the limit cannot be appended: history left as it was.
    let mut rs = rs_with(
        0,
        &[
            (REVISION_ANNOTATION, "123456"),
            (REVISION_HISTORY_ANNOTATION, "1"),
        ],
    );
    set_new_replica_set_annotations(&d, &mut rs, "123457", true, 5);
    assert_eq!(rs.metadata.annotations[REVISION_ANNOTATION], "123457");
    assert_eq!(rs.metadata.annotations[REVISION_HISTORY_ANNOTATION], "1");
    // An empty revision annotation counts as 0 and is still recorded (as "").
    let mut rs = rs_with(0, &[(REVISION_ANNOTATION, "")]);
    assert!(set_new_replica_set_annotations(
        &d, &mut rs, "2", true, 2000
    ));
    assert_eq!(rs.metadata.annotations[REVISION_HISTORY_ANNOTATION], "");
}

#[test]
fn revision_history_with_an_empty_first_entry_is_replaced() {
    // Upstream splits the history on ',' and, when the first entry is empty, replaces the
    // whole annotation by the old revision (it does not append).
    let d = rolling(1, Some(int(1)), Some(int(0)));
    let mut rs = rs_with(
        0,
        &[
            (REVISION_ANNOTATION, "5"),
            (REVISION_HISTORY_ANNOTATION, ",3"),
        ],
    );
    set_new_replica_set_annotations(&d, &mut rs, "6", true, 2000);
    assert_eq!(rs.metadata.annotations[REVISION_HISTORY_ANNOTATION], "5");
}

#[test]
fn replicas_annotations_need_update_table() {
    // TestReplicasAnnotationsNeedUpdate, called with (desired 10, max 20).
    let cases = [
        ("test Annotations nil", rs_with(1, &[]), true),
        (
            "test desiredReplicas update",
            rs_with(
                1,
                &[
                    (DESIRED_REPLICAS_ANNOTATION, "8"),
                    (MAX_REPLICAS_ANNOTATION, "20"),
                ],
            ),
            true,
        ),
        (
            "test maxReplicas update",
            rs_with(
                1,
                &[
                    (DESIRED_REPLICAS_ANNOTATION, "10"),
                    (MAX_REPLICAS_ANNOTATION, "16"),
                ],
            ),
            true,
        ),
        (
            "test needn't update",
            rs_with(
                1,
                &[
                    (DESIRED_REPLICAS_ANNOTATION, "10"),
                    (MAX_REPLICAS_ANNOTATION, "20"),
                ],
            ),
            false,
        ),
    ];
    for (name, rs, want) in cases {
        assert_eq!(
            replicas_annotations_need_update(&rs, 10, 20),
            want,
            "{name}"
        );
    }
}

#[test]
fn get_replica_count_for_replica_sets_table() {
    // TestGetReplicaCountForReplicaSets (the v1.32 rows: spec and status sums).
    let mut rs1 = rs_with(1, &[]);
    rs1.status.replicas = 2;
    let mut rs2 = rs_with(2, &[]);
    rs2.status.replicas = 3;
    let status_sum = |rss: &[&ReplicaSet]| rss.iter().map(|r| r.status.replicas).sum::<i32>();
    let cases: [(&str, Vec<&ReplicaSet>, i32, i32); 2] = [
        ("scaling down rs1", vec![&rs1], 1, 2),
        ("scaling down rs1 and rs2", vec![&rs1, &rs2], 3, 5),
    ];
    for (name, sets, want_count, want_actual) in cases {
        assert_eq!(replica_count(sets.iter().copied()), want_count, "{name}");
        assert_eq!(status_sum(&sets), want_actual, "{name}");
    }
    // Saturates instead of overflowing.
    let big = [rs_with(i32::MAX, &[]), rs_with(i32::MAX, &[])];
    assert_eq!(replica_count(&big), i32::MAX);
}

#[test]
fn revision_helpers() {
    let with_rev = |v: &str| rs_with(0, &[(REVISION_ANNOTATION, v)]);
    assert_eq!(revision(&rs_with(0, &[]).metadata.annotations), Ok(0));
    assert_eq!(revision(&with_rev("12").metadata.annotations), Ok(12));
    assert!(revision(&with_rev("x").metadata.annotations).is_err());
    let rss = [with_rev("3"), with_rev("x"), with_rev("9"), rs_with(0, &[])];
    assert_eq!(max_revision(&rss), 9);
    assert_eq!(last_revision(&rss), 3);
    // Two ReplicaSets with the top revision: the second largest is that revision.
    let dup = [with_rev("4"), with_rev("4"), with_rev("2")];
    assert_eq!(last_revision(&dup), 4);
    assert_eq!(max_revision(&[] as &[ReplicaSet]), 0);
    assert_eq!(last_revision(&[with_rev("1")]), 0);
    // Negative revisions never beat the start value 0.
    assert_eq!(max_revision(&[with_rev("-5")]), 0);
}

#[test]
fn orderings_are_upstreams() {
    let mk = |name: &str, replicas: i32, ts: i64, rev: Option<&str>| {
        let mut rs = rs_with(replicas, &[]);
        rs.metadata.name = name.into();
        rs.metadata.creation_timestamp = Some(Time::from_unix(ts));
        if let Some(r) = rev {
            rs.metadata
                .annotations
                .insert(REVISION_ANNOTATION.to_owned(), r.to_owned());
        }
        rs
    };
    let a = mk("a", 2, 10, Some("2"));
    let b = mk("b", 2, 20, Some("1"));
    let c = mk("c", 5, 20, None);
    let names = |mut v: Vec<&ReplicaSet>, f: fn(&ReplicaSet, &ReplicaSet) -> Ordering| {
        v.sort_by(|x, y| f(x, y));
        v.iter()
            .map(|r| r.metadata.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(vec![&c, &b, &a], by_creation), ["a", "b", "c"]);
    assert_eq!(names(vec![&a, &b, &c], by_size_newer), ["c", "b", "a"]);
    assert_eq!(names(vec![&c, &b, &a], by_size_older), ["c", "a", "b"]);
    // Missing revision sorts as 0.
    assert_eq!(names(vec![&a, &b, &c], by_revision), ["c", "b", "a"]);
}

#[test]
fn by_revision_never_panics_on_unparseable_revisions() {
    // Upstream's ReplicaSetsByRevision is not a total order when some revisions do not parse
    // (they compare by creation, the others by revision). Sorting must still not panic.
    let rss: Vec<ReplicaSet> = (0..64)
        .map(|i: i64| {
            let mut rs = rs_with(0, &[]);
            rs.metadata.name = format!("rs-{i:02}");
            // Creation order is the reverse of revision order; every third revision is garbage.
            rs.metadata.creation_timestamp = Some(Time::from_unix(1_000 - i));
            let rev = if i % 3 == 0 {
                format!("x{i}")
            } else {
                i.to_string()
            };
            rs.metadata
                .annotations
                .insert(REVISION_ANNOTATION.to_owned(), rev);
            rs
        })
        .collect();
    let mut refs: Vec<&ReplicaSet> = rss.iter().collect();
    sort_by_revision(&mut refs, |r| r);
    assert_eq!(refs.len(), 64);
    // Parseable revisions keep their relative (revision) order.
    let parsed: Vec<i64> = refs
        .iter()
        .filter_map(|r| revision(&r.metadata.annotations).ok())
        .collect();
    assert!(parsed.windows(2).all(|w| w[0] <= w[1]));
    // Revisions growing with creation: the garbage one stays where its creation puts it.
    let mk = |name: &str, ts: i64, rev: &str| {
        let mut rs = rs_with(0, &[(REVISION_ANNOTATION, rev)]);
        rs.metadata.name = name.into();
        rs.metadata.creation_timestamp = Some(Time::from_unix(ts));
        rs
    };
    let set = [
        mk("c", 3, "3"),
        mk("b", 2, "x"),
        mk("a", 1, "1"),
        mk("d", 4, "4"),
    ];
    let mut refs: Vec<&ReplicaSet> = set.iter().collect();
    sort_by_revision(&mut refs, |r| r);
    let names: Vec<&str> = refs.iter().map(|r| r.metadata.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c", "d"]);
}
