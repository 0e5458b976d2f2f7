//! Label selector costs: the compiled selector a controller matches every pod against (goal:
//! at most 20 ns for 2 `matchLabels` + 1 expression against a 6-label pod), the owned
//! `Requirements`, and parsing the string form.
//!
//! Run: `cargo bench --bench selector -- --warm-up-time 1 --measurement-time 3`

#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use kube_workloads::meta::{LabelSelectorOperator, LabelSelectorRequirement};
use kube_workloads::selector::{Requirements, Selector, parse};
use kube_workloads::{LabelSelector, Labels};

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A Deployment-made ReplicaSet's selector: two `matchLabels` and one expression.
fn replica_set_selector() -> LabelSelector {
    LabelSelector {
        match_labels: labels(&[("app", "web"), ("pod-template-hash", "7c5ddbdf54")]),
        match_expressions: vec![LabelSelectorRequirement {
            key: "tier".into(),
            operator: LabelSelectorOperator::In,
            values: vec!["frontend".into(), "edge".into()],
            ..Default::default()
        }],
        ..Default::default()
    }
}

const POD_6: [(&str, &str); 6] = [
    ("app", "web"),
    ("env", "prod"),
    ("team", "payments"),
    ("version", "v1.4.2"),
    ("tier", "frontend"),
    ("pod-template-hash", "7c5ddbdf54"),
];

fn pod_20() -> Labels {
    let mut l = Labels::new();
    for i in 0..17 {
        l.insert(format!("example.com/annotation-like-{i}"), format!("v{i}"));
    }
    l.insert("tier".into(), "frontend".into());
    l.insert("pod-template-hash".into(), "7c5ddbdf54".into());
    l.insert("app".into(), "web".into());
    l
}

fn bench_compiled(c: &mut Criterion) {
    let sel = replica_set_selector();
    let compiled = Selector::compile(Some(&sel)).unwrap();
    let pod = labels(&POD_6);
    let mut other = pod.clone();
    other.insert("pod-template-hash".into(), "59b8c4d6f8".into());
    let big = pod_20();
    assert!(compiled.matches(&pod) && !compiled.matches(&other) && compiled.matches(&big));

    let mut g = c.benchmark_group("selector/compiled");
    g.bench_function("match 2 labels + 1 expr, 6-label pod", |b| {
        b.iter(|| black_box(&compiled).matches(black_box(&pod)));
    });
    g.bench_function("mismatch on 2nd label, 6-label pod", |b| {
        b.iter(|| black_box(&compiled).matches(black_box(&other)));
    });
    g.bench_function("match 2 labels + 1 expr, 20-label pod", |b| {
        b.iter(|| black_box(&compiled).matches(black_box(&big)));
    });
    g.bench_function("compile", |b| {
        b.iter(|| Selector::compile(Some(black_box(&sel))).is_ok());
    });
    g.finish();
}

fn bench_owned(c: &mut Criterion) {
    let sel = replica_set_selector();
    let owned = Requirements::from_label_selector(&sel).unwrap();
    let pod = labels(&POD_6);
    let text = "app=web,pod-template-hash=7c5ddbdf54,tier in (edge,frontend),!canary";

    let mut g = c.benchmark_group("selector/owned");
    g.bench_function("Requirements::matches, 6-label pod", |b| {
        b.iter(|| black_box(&owned).matches(black_box(&pod)));
    });
    g.bench_function("from_label_selector", |b| {
        b.iter(|| Requirements::from_label_selector(black_box(&sel)).unwrap());
    });
    g.bench_function("parse 4 requirements", |b| {
        b.iter(|| parse(black_box(text)).unwrap());
    });
    g.bench_function("print 4 requirements", |b| {
        let r = parse(text).unwrap();
        b.iter(|| black_box(&r).to_string());
    });
    g.finish();
}

criterion_group!(benches, bench_compiled, bench_owned);
criterion_main!(benches);
