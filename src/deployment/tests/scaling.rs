//! Upstream's `TestScale` (sync_test.go) and scaling events.

use super::*;

struct ScaleCase {
    name: &'static str,
    /// (replicas, maxSurge, maxUnavailable)
    d: (i32, i32, i32),
    /// (replicas, maxSurge) of the Deployment the annotations were written for.
    old_d: (i32, i32),
    new_rs: Option<(&'static str, i32, Time)>,
    old_rss: Vec<(&'static str, i32, Time)>,
    expected_new: Option<i32>,
    expected_old: Vec<i32>,
    wasnt_updated: &'static [&'static str],
    desired_overrides: &'static [(&'static str, i32)],
}

fn case(
    name: &'static str,
    d: (i32, i32, i32),
    old_d: (i32, i32),
    new_rs: Option<(&'static str, i32, Time)>,
    old_rss: Vec<(&'static str, i32, Time)>,
    expected_new: Option<i32>,
    expected_old: Vec<i32>,
) -> ScaleCase {
    ScaleCase {
        name,
        d,
        old_d,
        new_rs,
        old_rss,
        expected_new,
        expected_old,
        wasnt_updated: &[],
        desired_overrides: &[],
    }
}

fn scale_cases() -> Vec<ScaleCase> {
    let (new, old, older) = (new_ts(), old_ts(), older_ts());
    vec![
        case(
            "normal scaling event: 10 -> 12",
            (12, 0, 0),
            (10, 0),
            Some(("foo-v1", 10, new)),
            vec![],
            Some(12),
            vec![],
        ),
        case(
            "normal scaling event: 10 -> 5",
            (5, 0, 0),
            (10, 0),
            Some(("foo-v1", 10, new)),
            vec![],
            Some(5),
            vec![],
        ),
        case(
            "proportional scaling: 5 -> 10",
            (10, 0, 0),
            (5, 0),
            Some(("foo-v2", 2, new)),
            vec![("foo-v1", 3, old)],
            Some(4),
            vec![6],
        ),
        case(
            "proportional scaling: 5 -> 3",
            (3, 0, 0),
            (5, 0),
            Some(("foo-v2", 2, new)),
            vec![("foo-v1", 3, old)],
            Some(1),
            vec![2],
        ),
        case(
            "proportional scaling: 9 -> 4",
            (4, 0, 0),
            (9, 0),
            Some(("foo-v2", 8, new)),
            vec![("foo-v1", 1, old)],
            Some(4),
            vec![0],
        ),
        case(
            "proportional scaling: 7 -> 10",
            (10, 0, 0),
            (7, 0),
            Some(("foo-v3", 2, new)),
            vec![("foo-v2", 3, old), ("foo-v1", 2, older)],
            Some(3),
            vec![4, 3],
        ),
        case(
            "proportional scaling: 13 -> 8",
            (8, 0, 0),
            (13, 0),
            Some(("foo-v3", 2, new)),
            vec![("foo-v2", 8, old), ("foo-v1", 3, older)],
            Some(1),
            vec![5, 2],
        ),
        case(
            "leftover distribution: 3 -> 4",
            (4, 0, 0),
            (3, 0),
            Some(("foo-v3", 1, new)),
            vec![("foo-v2", 1, old), ("foo-v1", 1, older)],
            Some(2),
            vec![1, 1],
        ),
        case(
            "leftover distribution: 3 -> 2",
            (2, 0, 0),
            (3, 0),
            Some(("foo-v3", 1, new)),
            vec![("foo-v2", 1, old), ("foo-v1", 1, older)],
            Some(1),
            vec![1, 0],
        ),
        case(
            "proportional scaling (no new rs): 4 -> 5",
            (5, 0, 0),
            (4, 0),
            None,
            vec![("foo-v2", 2, old), ("foo-v1", 2, older)],
            None,
            vec![3, 2],
        ),
        case(
            "proportional scaling: 6 -> 0",
            (0, 0, 0),
            (6, 0),
            Some(("foo-v3", 3, new)),
            vec![("foo-v2", 2, old), ("foo-v1", 1, older)],
            Some(0),
            vec![0, 0],
        ),
        ScaleCase {
            wasnt_updated: &["foo-v2", "foo-v1"],
            ..case(
                "proportional scaling: 0 -> 6",
                (6, 0, 0),
                (6, 0),
                Some(("foo-v3", 0, new)),
                vec![("foo-v2", 0, old), ("foo-v1", 0, older)],
                Some(6),
                vec![0, 0],
            )
        },
        ScaleCase {
            wasnt_updated: &["foo-v3", "foo-v1"],
            desired_overrides: &[("foo-v2", 3)],
            ..case(
                "failed rs update",
                (5, 0, 0),
                (5, 0),
                Some(("foo-v3", 2, new)),
                vec![("foo-v2", 1, old), ("foo-v1", 1, older)],
                Some(2),
                vec![2, 1],
            )
        },
        case(
            "deployment with surge pods",
            (20, 2, 0),
            (10, 2),
            Some(("foo-v2", 6, new)),
            vec![("foo-v1", 6, old)],
            Some(11),
            vec![11],
        ),
        case(
            "change both surge and size",
            (50, 6, 0),
            (10, 3),
            Some(("foo-v2", 5, new)),
            vec![("foo-v1", 8, old)],
            Some(22),
            vec![34],
        ),
        case(
            "change both size and template",
            (14, 0, 0),
            (10, 0),
            None,
            vec![("foo-v2", 7, new), ("foo-v1", 3, old)],
            None,
            vec![10, 4],
        ),
        case(
            "saturated but broken new replica set does not affect old pods",
            (2, 1, 1),
            (2, 1),
            Some(("foo-v2", 2, new)),
            vec![("foo-v1", 1, old)],
            Some(2),
            vec![1],
        ),
    ]
}

/// Runs upstream's `scale` for one case; returns the sizes as upstream's test reads them
/// (updates of `wasnt_updated` ReplicaSets ignored) and the context's actions.
fn run_scale(t: &ScaleCase) -> (Vec<(String, i32)>, Vec<Action>, Vec<String>) {
    let mut d = deployment("foo", t.d.0, t.d.1, t.d.2);
    if t.name == "change both size and template" {
        d.spec
            .template
            .metadata
            .labels
            .insert("another".into(), "label".into());
    }
    let old_d = deployment("foo", t.old_d.0, t.old_d.1, 0);
    let annotate = |name: &str, size: i32, ts: Time| {
        let mut r = rs(name, size, Some(ts));
        let desired = t
            .desired_overrides
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(old_d.replicas(), |(_, v)| *v);
        util::set_replicas_annotations(&mut r, desired, desired + util::max_surge(&old_d));
        r
    };
    let mut rss: Vec<ReplicaSet> = Vec::new();
    if let Some((name, size, ts)) = t.new_rs {
        rss.push(annotate(name, size, ts));
    }
    for &(name, size, ts) in &t.old_rss {
        rss.push(annotate(name, size, ts));
    }
    let mut c = ctx(&d, &rss, now());
    let new = t.new_rs.map(|(name, _, _)| ix(&c, name));
    let old: Vec<usize> = t.old_rss.iter().map(|(name, _, _)| ix(&c, name)).collect();
    assert!(c.scale(new, &old).is_ok(), "{}", t.name);
    let mut sizes: Vec<(String, i32)> = rss
        .iter()
        .map(|r| (r.metadata.name.clone(), r.replicas()))
        .collect();
    for (name, size) in updated_sizes(&c.actions) {
        if t.wasnt_updated.contains(&name.as_str()) {
            continue;
        }
        if let Some(slot) = sizes.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = size;
        }
    }
    let events = c.events.iter().map(|e| e.message.clone()).collect();
    (sizes, c.actions, events)
}

#[test]
fn scale_table() {
    // TestScale: all 17 cases. Before scale, every ReplicaSet carries desired = the OLD
    // Deployment's replicas (or the per-case override) and max = desired + MaxSurge(old).
    let cases = scale_cases();
    assert_eq!(cases.len(), 17);
    for t in &cases {
        let (sizes, _, _) = run_scale(t);
        let size = |name: &str| sizes.iter().find(|(n, _)| n == name).unwrap().1;
        if let (Some(want), Some((name, _, _))) = (t.expected_new, t.new_rs) {
            assert_eq!(size(name), want, "{}: new {name}", t.name);
        }
        assert_eq!(t.old_rss.len(), t.expected_old.len(), "{}", t.name);
        for ((name, _, _), want) in t.old_rss.iter().zip(&t.expected_old) {
            assert_eq!(size(name), *want, "{}: old {name}", t.name);
        }
    }
}

#[test]
fn scale_refreshes_annotations_and_says_the_overall_direction() {
    // #8 "leftover distribution: 3 -> 4": every active ReplicaSet is written (annotations
    // 4/4), only foo-v3 changes size, and the verb is the Deployment's direction.
    let cases = scale_cases();
    let t = cases
        .iter()
        .find(|c| c.name == "leftover distribution: 3 -> 4")
        .unwrap();
    let (_, actions, events) = run_scale(t);
    let written: Vec<(String, String, String)> = actions
        .iter()
        .filter_map(|a| match a {
            Action::UpdateReplicaSet(r) => Some((
                r.metadata.name.clone(),
                r.metadata.annotations[util::DESIRED_REPLICAS_ANNOTATION].clone(),
                r.metadata.annotations[util::MAX_REPLICAS_ANNOTATION].clone(),
            )),
            _ => None,
        })
        .collect();
    let names: Vec<&str> = written.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, ["foo-v3", "foo-v2", "foo-v1"], "BySizeNewer order");
    assert!(written.iter().all(|(_, d, m)| d == "4" && m == "4"));
    assert_eq!(events, ["Scaled up replica set foo-v3 from 1 to 2"]);

    // #9 "3 -> 2": BySizeOlder, the leftover −1 goes to the oldest.
    let t = cases
        .iter()
        .find(|c| c.name == "leftover distribution: 3 -> 2")
        .unwrap();
    let (_, actions, events) = run_scale(t);
    let order: Vec<String> = actions
        .iter()
        .filter_map(|a| match a {
            Action::UpdateReplicaSet(r) => Some(r.metadata.name.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(order, ["foo-v1", "foo-v2", "foo-v3"]);
    assert_eq!(events, ["Scaled down replica set foo-v1 from 1 to 0"]);
}

#[test]
fn scale_single_active_replica_set_skips_annotations_when_size_matches() {
    // FindActiveOrLatest shortcut: the only active ReplicaSet already has the size → no write,
    // even though its annotations are stale.
    let d = deployment("foo", 5, 1, 0);
    let mut only = rs("foo-v1", 5, Some(new_ts()));
    util::set_replicas_annotations(&mut only, 3, 4);
    let rss = [only, rs("foo-v0", 0, Some(old_ts()))];
    let mut c = ctx(&d, &rss, now());
    let (v1, v0) = (ix(&c, "foo-v1"), ix(&c, "foo-v0"));
    assert!(c.scale(Some(v1), &[v0]).is_ok());
    assert!(c.actions.is_empty());
    // No active ReplicaSet and no new one: the newest old one gets the whole size.
    let rss = [
        rs("foo-v1", 0, Some(older_ts())),
        rs("foo-v2", 0, Some(old_ts())),
    ];
    let mut c = ctx(&d, &rss, now());
    let old = [ix(&c, "foo-v1"), ix(&c, "foo-v2")];
    assert!(c.scale(None, &old).is_ok());
    assert_eq!(updated_sizes(&c.actions), [("foo-v2".to_owned(), 5)]);
}

#[test]
fn scale_with_saturated_new_replica_set_zeroes_old_ones() {
    // IsSaturated: new at full size, desired annotation equal, all available → old to 0.
    let d = deployment("foo", 3, 1, 0);
    let mut new = rs("foo-v2", 3, Some(new_ts()));
    util::set_replicas_annotations(&mut new, 3, 4);
    new.status.available_replicas = 3;
    let mut old = rs("foo-v1", 2, Some(old_ts()));
    util::set_replicas_annotations(&mut old, 3, 4);
    let rss = [new, old];
    let mut c = ctx(&d, &rss, now());
    let (n, o) = (ix(&c, "foo-v2"), ix(&c, "foo-v1"));
    assert!(c.scale(Some(n), &[o]).is_ok());
    assert_eq!(updated_sizes(&c.actions), [("foo-v1".to_owned(), 0)]);
}

#[test]
fn recreate_never_scales_proportionally() {
    let mut d = recreate_deployment("foo", 10);
    d.spec.replicas = Some(10);
    let mut a = rs("foo-v2", 2, Some(new_ts()));
    util::set_replicas_annotations(&mut a, 5, 5);
    let mut b = rs("foo-v1", 3, Some(old_ts()));
    util::set_replicas_annotations(&mut b, 5, 5);
    let rss = [a, b];
    let mut c = ctx(&d, &rss, now());
    let (n, o) = (ix(&c, "foo-v2"), ix(&c, "foo-v1"));
    assert!(c.scale(Some(n), &[o]).is_ok());
    assert!(c.actions.is_empty());
}

#[test]
fn is_scaling_event_reads_desired_replicas_of_active_replica_sets() {
    let d = deployment("foo", 5, 1, 0);
    let with = |name: &str, size: i32, desired: Option<&str>, ts: Time| {
        let mut r = owned_rs(&d, name, size);
        r.metadata.creation_timestamp = Some(ts);
        // Old ReplicaSets get another template.
        if name != "foo-new" {
            r.spec.template.spec.containers[0].image = format!("foo/{name}");
        }
        if let Some(v) = desired {
            r.metadata
                .annotations
                .insert(util::DESIRED_REPLICAS_ANNOTATION.into(), v.into());
        }
        r.metadata
            .annotations
            .insert(util::REVISION_ANNOTATION.into(), "1".into());
        r
    };
    let mut d_rev = d.clone();
    d_rev
        .metadata
        .annotations
        .insert(util::REVISION_ANNOTATION.into(), "2".into());
    let cases: [(&str, Vec<ReplicaSet>, bool); 5] = [
        (
            "annotation equals replicas",
            vec![with("foo-new", 5, Some("5"), new_ts())],
            false,
        ),
        (
            "annotation differs",
            vec![with("foo-new", 5, Some("4"), new_ts())],
            true,
        ),
        (
            "missing annotation never triggers",
            vec![with("foo-new", 5, None, new_ts())],
            false,
        ),
        (
            "unparseable annotation never triggers",
            vec![with("foo-new", 5, Some("five"), new_ts())],
            false,
        ),
        (
            "inactive ReplicaSets are ignored",
            vec![
                with("foo-new", 5, Some("5"), new_ts()),
                with("foo-old", 0, Some("9"), old_ts()),
            ],
            false,
        ),
    ];
    for (name, rss, want) in cases {
        let mut c = ctx(&d_rev, &rss, now());
        assert_eq!(c.is_scaling_event().ok(), Some(want), "{name}");
    }
}
