//! The simulator end to end: a 10,000-replica rolling update (every reconcile and every
//! lifecycle step on the virtual clock), goal < 1 s; plus a 1,000-replica one for scale.
//!
//! `cargo bench --bench simulation -- --warm-up-time 1 --measurement-time 10`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use kube_workloads::sim::{Cluster, Config, Key};
use kube_workloads::{Deployment, Pod};

fn deployment(replicas: i32) -> Deployment {
    serde_yaml::from_str(&format!(
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: default}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec: {{containers: [{{name: nginx, image: "nginx:1.16"}}]}}
"#
    ))
    .unwrap()
}

/// A settled cluster running `replicas` pods of nginx:1.16.
fn settled(replicas: i32) -> (Cluster, Key) {
    let mut c = Cluster::new(Config {
        nodes: (1..=20).map(|i| format!("node-{i}")).collect(),
        ..Config::default()
    });
    let key = c.create_deployment(deployment(replicas)).unwrap();
    c.settle(Duration::from_secs(3600)).unwrap();
    assert_eq!(c.pods().count(), usize::try_from(replicas).unwrap());
    (c, key)
}

fn rollout(c: &mut Cluster, key: &Key) {
    let mut d = c.deployment(key).unwrap().clone();
    d.spec.template.spec.containers[0].image = "nginx:1.17".into();
    c.update_deployment(d).unwrap();
    c.settle(Duration::from_secs(24 * 3600)).unwrap();
}

fn rolling_update(c: &mut Criterion) {
    let mut group = c.benchmark_group("simulation");
    group.sample_size(10);
    for replicas in [1_000, 10_000] {
        let (base, key) = settled(replicas);
        group.bench_function(format!("rolling_update_{replicas}_replicas"), |b| {
            b.iter_batched(
                || base.clone(),
                |mut c| {
                    rollout(&mut c, &key);
                    debug_assert!(
                        c.pods()
                            .all(|p: &Pod| p.spec.containers[0].image == "nginx:1.17")
                    );
                    c
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, rolling_update);
criterion_main!(benches);
