//! Upstream's `rolling_test.go`.

use super::*;

#[test]
fn reconcile_new_replica_set() {
    // TestDeploymentController_reconcileNewReplicaSet: maxUnavailable 0, one old ReplicaSet.
    // Upstream's cases are unnamed; they run as "0".."4".
    // (d.replicas, maxSurge, old, new, scaled, new after)
    let cases = [
        (10, 0, 10, 0, false, 0),
        (10, 2, 10, 0, true, 2),
        (10, 2, 5, 0, true, 7),
        (10, 2, 10, 2, false, 2),
        (10, 2, 2, 11, true, 10),
    ];
    for (num, (replicas, surge, old, new, want_scaled, want_new)) in cases.into_iter().enumerate() {
        let d = deployment("foo", replicas, surge, 0);
        let rss = [
            rs("foo-v1", old, Some(old_ts())),
            rs("foo-v2", new, Some(new_ts())),
        ];
        let mut c = ctx(&d, &rss, now());
        let new_i = ix(&c, "foo-v2");
        let all = [ix(&c, "foo-v1"), new_i];
        let scaled = c.reconcile_new_replica_set(&all, new_i);
        assert_eq!(scaled, want_scaled, "#{num}");
        if want_scaled {
            assert_eq!(
                updated_sizes(&c.actions),
                [("foo-v2".to_owned(), want_new)],
                "#{num}"
            );
        } else {
            assert!(c.actions.is_empty(), "#{num}: {:?}", c.actions);
        }
    }
}

#[test]
fn reconcile_old_replica_sets() {
    // TestDeploymentController_reconcileOldReplicaSets: maxSurge 0. Upstream asserts the
    // scaled flag; the old size after is asserted too.
    // (d.replicas, maxUnavailable, old, new, oldAvailable, newAvailable, scaled, old after)
    let cases = [
        (10, 0, 10, 0, 10, 0, true, 9),
        (10, 2, 10, 0, 10, 0, true, 8),
        (10, 2, 10, 0, 8, 0, true, 8),
        (10, 2, 10, 0, 9, 0, true, 8),
        (10, 2, 8, 2, 8, 0, false, 8),
    ];
    for (num, (replicas, unavailable, old, new, old_avail, new_avail, want_scaled, want_old)) in
        cases.into_iter().enumerate()
    {
        let d = deployment("foo", replicas, 0, unavailable);
        let mut old_rs = rs("foo-old", old, Some(old_ts()));
        old_rs.status.replicas = old;
        old_rs.status.available_replicas = old_avail;
        let mut new_rs = rs("foo-new", new, Some(new_ts()));
        new_rs.status.replicas = new;
        new_rs.status.available_replicas = new_avail;
        let rss = [new_rs, old_rs];
        let mut c = ctx(&d, &rss, now());
        let (o, n) = (ix(&c, "foo-old"), ix(&c, "foo-new"));
        let scaled = c.reconcile_old_replica_sets(&[n, o], &[o], n);
        assert_eq!(scaled, want_scaled, "#{num}");
        let after = updated_sizes(&c.actions)
            .into_iter()
            .find(|(name, _)| name == "foo-old")
            .map_or(old, |(_, s)| s);
        assert_eq!(after, want_old, "#{num}");
    }
}

#[test]
fn reconcile_old_replica_sets_cleans_unhealthy_then_healthy() {
    // Row 4 above, step by step: one unhealthy replica is removed first (10 → 9), then one
    // healthy one within maxUnavailable (9 → 8), each an update with its own event.
    let d = deployment("foo", 10, 0, 2);
    let mut old_rs = rs("foo-old", 10, Some(old_ts()));
    old_rs.status.available_replicas = 9;
    let rss = [old_rs, rs("foo-new", 0, Some(new_ts()))];
    let mut c = ctx(&d, &rss, now());
    let (o, n) = (ix(&c, "foo-old"), ix(&c, "foo-new"));
    assert!(c.reconcile_old_replica_sets(&[o, n], &[o], n));
    let sizes: Vec<i32> = c
        .actions
        .iter()
        .filter_map(|a| match a {
            Action::UpdateReplicaSet(r) => Some(r.replicas()),
            _ => None,
        })
        .collect();
    assert_eq!(sizes, [9, 8]);
    let msgs: Vec<&str> = c.events.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "Scaled down replica set foo-old from 10 to 9",
            "Scaled down replica set foo-old from 9 to 8"
        ]
    );
}

#[test]
fn cleanup_unhealthy_replicas() {
    // TestDeploymentController_cleanupUnhealthyReplicas: old ReplicaSet of 10, d 10, maxSurge 2,
    // maxUnavailable 2. (available, unhealthy, maxCleanupCount, cleaned)
    let cases = [(8, 2, 1, 1), (8, 2, 3, 2), (8, 2, 0, 0), (10, 0, 3, 0)];
    for (num, (available, unhealthy, max_cleanup, want)) in cases.into_iter().enumerate() {
        let d = deployment("foo", 10, 2, 2);
        let mut old_rs = rs("foo-v2", 10, Some(old_ts()));
        old_rs.status.replicas = 10;
        old_rs.status.available_replicas = available;
        assert_eq!(10 - available, unhealthy);
        let rss = [old_rs];
        let mut c = ctx(&d, &rss, now());
        let mut old = vec![ix(&c, "foo-v2")];
        let cleaned = c.cleanup_unhealthy_replicas(&mut old, max_cleanup);
        assert_eq!(cleaned, want, "#{num}");
        let expected: Vec<(String, i32)> = if want > 0 {
            vec![("foo-v2".to_owned(), 10 - want)]
        } else {
            vec![]
        };
        assert_eq!(updated_sizes(&c.actions), expected, "#{num}");
    }
}

#[test]
fn scale_down_old_replica_sets_for_rolling_update() {
    // TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate: maxSurge 0,
    // allRSs = oldRSs = [old]. (d.replicas, maxUnavailable, available, old, scaled, old after)
    let cases = [
        (10, 0, 10, 10, true, 9),
        (10, 2, 10, 10, true, 8),
        (10, 2, 8, 10, false, 10),
        (10, 2, 10, 0, false, 0),
        (10, 2, 1, 10, false, 10),
    ];
    for (num, (replicas, unavailable, available, old, want_scaled, want_old)) in
        cases.into_iter().enumerate()
    {
        let d = deployment("foo", replicas, 0, unavailable);
        let mut old_rs = rs("foo-v2", old, Some(old_ts()));
        old_rs.status.available_replicas = available;
        let rss = [old_rs];
        let mut c = ctx(&d, &rss, now());
        let o = ix(&c, "foo-v2");
        let scaled = c.scale_down_old_replica_sets_for_rolling_update(&[o], &[o]);
        assert_eq!(scaled > 0, want_scaled, "#{num}");
        let after = updated_sizes(&c.actions).first().map_or(old, |(_, s)| *s);
        assert_eq!(after, want_old, "#{num}");
        if want_scaled {
            assert_eq!(
                c.events[0].message,
                format!("Scaled down replica set foo-v2 from {old} to {want_old}"),
                "#{num}"
            );
        }
    }
}

#[test]
fn scale_down_old_replica_sets_oldest_first() {
    // Budget 4 over two old ReplicaSets: the oldest loses everything it has first.
    let d = deployment("foo", 10, 0, 4);
    let mut older = rs("foo-v1", 3, Some(older_ts()));
    older.status.available_replicas = 3;
    let mut old = rs("foo-v2", 7, Some(old_ts()));
    old.status.available_replicas = 7;
    let mut new = rs("foo-v3", 0, Some(new_ts()));
    new.status.available_replicas = 0;
    let rss = [old, new, older];
    let mut c = ctx(&d, &rss, now());
    let (v1, v2, v3) = (ix(&c, "foo-v1"), ix(&c, "foo-v2"), ix(&c, "foo-v3"));
    // available 10, minAvailable 6 → budget 4.
    let scaled = c.scale_down_old_replica_sets_for_rolling_update(&[v2, v3, v1], &[v2, v1]);
    assert_eq!(scaled, 4);
    assert_eq!(
        updated_sizes(&c.actions),
        [("foo-v1".to_owned(), 0), ("foo-v2".to_owned(), 6)]
    );
}
