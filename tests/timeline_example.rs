//! The `timeline` example, run in-process: both scenarios roll out within their bounds, and the
//! SVG names every series.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../examples/timeline.rs"]
#[allow(dead_code)]
mod timeline;

use timeline::{Rollout, Scenario, Summary};

fn within_bounds(r: &Rollout) {
    let surge_bound = r.replicas + r.max_surge;
    let floor = r.replicas - r.max_unavailable;
    for (i, t) in r.times.iter().enumerate() {
        assert!(
            r.total_pods[i] <= surge_bound,
            "{} pods at {t} s",
            r.total_pods[i]
        );
        assert!(
            r.total_available[i] >= floor,
            "{} available at {t} s",
            r.total_available[i]
        );
        assert!(r.all_pods[i] >= r.total_pods[i]);
        let spec: i32 = r.replica_sets.iter().map(|rs| rs.spec[i]).sum();
        assert!(
            spec <= surge_bound,
            "spec.replicas add up to {spec} at {t} s"
        );
    }
    // Settled before the change, complete at the end: everything on the newest ReplicaSet.
    let [old, new] = r.replica_sets.as_slice() else {
        panic!("{} ReplicaSets", r.replica_sets.len())
    };
    assert_eq!((old.revision.as_str(), new.revision.as_str()), ("1", "2"));
    assert_eq!((old.spec[0], old.available[0]), (r.replicas, r.replicas));
    assert_eq!((new.spec[0], new.available[0]), (0, 0));
    assert_eq!(old.spec.last(), Some(&0));
    assert_eq!(new.available.last(), Some(&r.replicas));
    assert_eq!(r.all_pods.last(), Some(&r.replicas));
}

#[test]
fn upstream_example_rolls_out_in_two_waves() {
    let r = timeline::simulate(Scenario::Upstream).unwrap();
    assert_eq!((r.replicas, r.max_surge, r.max_unavailable), (10, 3, 2));
    within_bounds(&r);
    // New pods are available 5 s after creation (2 s to start, 3 s to be ready): 5 new pods
    // at once (3 surge + 2 unavailable), then the other 5.
    assert_eq!(
        r.summary(),
        Summary {
            seconds: 10,
            max_pods: 13,
            max_pods_with_terminating: 18,
            min_available: 8,
        }
    );
    assert!(
        r.strategy.contains("maxSurge 3, maxUnavailable 2"),
        "{}",
        r.strategy
    );

    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("timeline-upstream.svg");
    timeline::draw_svg(&r, &path).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
    for text in [
        "nginx-deployment: 10 replicas, RollingUpdate (maxSurge 3, maxUnavailable 2)",
        "nginx:1.14.2 → nginx:1.16.1",
        "simulated seconds since the template change",
        "\npods\n",
        "surge bound: replicas + maxSurge = 10 + 3 = 13",
        "availability floor: replicas − maxUnavailable = 10 − 2 = 8",
        "total pods (not terminating)",
        "total available",
        "all pods, terminating ones included",
    ] {
        assert!(svg.contains(text), "no {text:?} in the SVG");
    }
    for rs in &r.replica_sets {
        for series in ["spec.replicas", "available"] {
            let label = format!("{} (revision {}): {series}", rs.name, rs.revision);
            assert!(svg.contains(&label), "no {label:?} in the SVG");
        }
    }
}

#[test]
fn book_sample_deployment_never_loses_availability() {
    let r = timeline::simulate(Scenario::Book).unwrap();
    // 25 % of 3: maxSurge rounds up to 1, maxUnavailable down to 0.
    assert_eq!((r.replicas, r.max_surge, r.max_unavailable), (3, 1, 0));
    within_bounds(&r);
    assert_eq!(r.summary().min_available, 3);
    assert_eq!(r.summary().max_pods, 4);
    assert!(
        r.summary_line()
            .starts_with("sample-deployment: rolled out in ")
    );
}
