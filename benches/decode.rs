//! Manifest decoding: this crate's `manifest::decode` (and plain serde_json into its types)
//! side by side with `k8s_openapi` through `serde_json::from_slice`, on a typical Deployment and
//! a Pod with full status as the API server sends them (compact JSON). YAML decoding of the
//! same objects is measured for information.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group};
use kube_workloads::manifest::{self, Object};
use kube_workloads::{Deployment, Pod};

const DEPLOYMENT: &[u8] = include_bytes!("fixtures/deployment.min.json");
const POD: &[u8] = include_bytes!("fixtures/pod-status.min.json");

fn yaml_of(json: &[u8]) -> String {
    let objects = manifest::decode_objects(json).expect("fixture decodes");
    manifest::encode_yaml(&objects).expect("fixture encodes")
}

fn bench_json(c: &mut Criterion) {
    // Sanity: every decoder accepts the fixtures.
    assert!(matches!(
        manifest::decode_objects(DEPLOYMENT).unwrap()[0],
        Object::Deployment(_)
    ));
    assert!(matches!(
        manifest::decode_objects(POD).unwrap()[0],
        Object::Pod(_)
    ));
    serde_json::from_slice::<k8s_openapi::api::apps::v1::Deployment>(DEPLOYMENT).unwrap();
    serde_json::from_slice::<k8s_openapi::api::core::v1::Pod>(POD).unwrap();

    for (name, bytes) in [("deployment", DEPLOYMENT), ("pod_with_status", POD)] {
        let mut g = c.benchmark_group(format!("decode_json/{name}"));
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function("manifest::decode", |b| {
            b.iter(|| manifest::decode(black_box(bytes)).unwrap())
        });
        if name == "deployment" {
            g.bench_function("serde_json->kube_workloads", |b| {
                b.iter(|| serde_json::from_slice::<Deployment>(black_box(bytes)).unwrap())
            });
            g.bench_function("serde_json->k8s_openapi", |b| {
                b.iter(|| {
                    serde_json::from_slice::<k8s_openapi::api::apps::v1::Deployment>(black_box(
                        bytes,
                    ))
                    .unwrap()
                })
            });
        } else {
            g.bench_function("serde_json->kube_workloads", |b| {
                b.iter(|| serde_json::from_slice::<Pod>(black_box(bytes)).unwrap())
            });
            g.bench_function("serde_json->k8s_openapi", |b| {
                b.iter(|| {
                    serde_json::from_slice::<k8s_openapi::api::core::v1::Pod>(black_box(bytes))
                        .unwrap()
                })
            });
        }
        g.finish();
    }
}

fn bench_yaml(c: &mut Criterion) {
    for (name, bytes) in [("deployment", DEPLOYMENT), ("pod_with_status", POD)] {
        let yaml = yaml_of(bytes);
        let mut g = c.benchmark_group(format!("decode_yaml/{name}"));
        g.throughput(Throughput::Bytes(yaml.len() as u64));
        g.bench_function("manifest::decode", |b| {
            b.iter(|| manifest::decode(black_box(yaml.as_bytes())).unwrap())
        });
        if name == "deployment" {
            g.bench_function("serde_yaml->k8s_openapi", |b| {
                b.iter(|| {
                    serde_yaml::from_str::<k8s_openapi::api::apps::v1::Deployment>(black_box(&yaml))
                        .unwrap()
                })
            });
        } else {
            g.bench_function("serde_yaml->k8s_openapi", |b| {
                b.iter(|| {
                    serde_yaml::from_str::<k8s_openapi::api::core::v1::Pod>(black_box(&yaml))
                        .unwrap()
                })
            });
        }
        g.finish();
    }
}

fn bench_encode(c: &mut Criterion) {
    let objects = manifest::decode_objects(POD).unwrap();
    let mut g = c.benchmark_group("encode/pod_with_status");
    g.bench_function("json", |b| {
        b.iter(|| manifest::encode_json(black_box(&objects)).unwrap())
    });
    g.bench_function("yaml", |b| {
        b.iter(|| manifest::encode_yaml(black_box(&objects)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench_json, bench_yaml, bench_encode);

/// `DECODE_LOOP=<case> cargo bench --bench decode` runs one decoder in a plain loop (for
/// `perf stat -e instructions` or a profiler, whose counts do not depend on machine load)
/// instead of the Criterion benchmarks. Cases: `ours-pod`, `direct-pod`, `openapi-pod`,
/// `ours-deployment`, `direct-deployment`, `openapi-deployment`, `yaml-pod`.
fn main() {
    let Ok(case) = std::env::var("DECODE_LOOP") else {
        benches();
        Criterion::default().configure_from_args().final_summary();
        return;
    };
    let n: usize = std::env::var("DECODE_LOOP_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let yaml_pod = yaml_of(POD);
    for _ in 0..n {
        match case.as_str() {
            "ours-pod" => drop(black_box(manifest::decode(black_box(POD)).unwrap())),
            "direct-pod" => drop(black_box(
                serde_json::from_slice::<Pod>(black_box(POD)).unwrap(),
            )),
            "openapi-pod" => drop(black_box(
                serde_json::from_slice::<k8s_openapi::api::core::v1::Pod>(black_box(POD)).unwrap(),
            )),
            "ours-deployment" => drop(black_box(manifest::decode(black_box(DEPLOYMENT)).unwrap())),
            "direct-deployment" => drop(black_box(
                serde_json::from_slice::<Deployment>(black_box(DEPLOYMENT)).unwrap(),
            )),
            "openapi-deployment" => drop(black_box(
                serde_json::from_slice::<k8s_openapi::api::apps::v1::Deployment>(black_box(
                    DEPLOYMENT,
                ))
                .unwrap(),
            )),
            "ignore-pod" => drop(black_box(
                serde_json::from_slice::<serde::de::IgnoredAny>(black_box(POD)).unwrap(),
            )),
            "ignore-deployment" => drop(black_box(
                serde_json::from_slice::<serde::de::IgnoredAny>(black_box(DEPLOYMENT)).unwrap(),
            )),
            "value-pod" => drop(black_box(
                serde_json::from_slice::<kube_workloads::Value>(black_box(POD)).unwrap(),
            )),
            "yaml-pod" => drop(black_box(
                manifest::decode(black_box(yaml_pod.as_bytes())).unwrap(),
            )),
            other => panic!("unknown DECODE_LOOP case {other}"),
        }
    }
}
