//! The kubectl shell never panics: random command lines, built from kubectl's vocabulary and
//! junk, run in sequence against one simulated cluster; each ends with exit code 0 or 1 and
//! the cluster stays consistent (every pod owned by a ReplicaSet that exists).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use kube_workloads::sim::Config;
use kube_workloads::sim::shell::{MemoryFs, Shell};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "apply",
    "get",
    "describe",
    "delete",
    "label",
    "annotate",
    "scale",
    "set",
    "image",
    "rollout",
    "status",
    "history",
    "undo",
    "restart",
    "pause",
    "resume",
    "sim",
    "advance",
    "settle",
    "now",
    "fault",
    "quota",
    "none",
    "reset",
    "events",
    "lose-node",
    "node-1",
    "all",
    "pods",
    "po",
    "pod",
    "rs",
    "replicasets",
    "deploy",
    "deployment",
    "rc",
    "svc",
    "-f",
    "sample-pod.yaml",
    "sample-rs.yaml",
    "sample-deployment.yaml",
    "sample-2pod.yaml",
    "-",
    "missing.yaml",
    ".",
    "sample-pod",
    "sample-rs",
    "sample-deployment",
    "deployment/sample-deployment",
    "pod/sample-pod",
    "nginx-container=nginx:1.17",
    "*=busybox",
    "--replicas=5",
    "--replicas",
    "0",
    "1",
    "-1",
    "30s",
    "--revision",
    "--revision=2",
    "--to-revision=1",
    "--to-revision",
    "-o",
    "yaml",
    "json",
    "wide",
    "name",
    "jsonpath={.x}",
    "-l",
    "app=sample-app",
    "app!=x",
    "--show-labels",
    "--record",
    "--no-settle",
    "--cascade=orphan",
    "--cascade=false",
    "--overwrite",
    "app=other",
    "app-",
    "tier=web",
    "--all",
    "--ignore-not-found",
    "-n",
    "kube-system",
    "--namespace=other",
    "--timeout=5s",
    "--watch=false",
    "--",
    "--help",
    "-h",
    "=",
    "==",
    "x=y=z",
    "",
    "é",
    "--=",
    "-",
    "--current-replicas=3",
    "--list",
    "--resource-version=1",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(WORDS).prop_map(str::to_owned),
        1 => "[ -~]{0,12}",
    ]
}

const VERBS: &[&str] = &[
    "apply",
    "get",
    "describe",
    "delete",
    "label",
    "annotate",
    "scale",
    "set image",
    "rollout status",
    "rollout history",
    "rollout undo",
    "rollout restart",
    "rollout pause",
    "rollout resume",
    "sim advance",
    "sim settle",
    "sim fault",
    "sim lose-node",
];

const TARGETS: &[&str] = &[
    "-f sample-pod.yaml",
    "-f sample-rs.yaml",
    "-f sample-deployment.yaml",
    "-f -",
    "-f .",
    "pods",
    "rs",
    "deploy",
    "all",
    "deployment sample-deployment",
    "deploy/sample-deployment",
    "rs sample-rs",
    "replicaset/sample-rs",
    "pod sample-pod",
    "pods --all",
    "rc",
    "1s",
    "30s",
    "quota 3",
    "quota none",
    "fail-deletes 2",
    "lag on",
    "lag off",
    "node-2",
];

/// A verb and a target that make sense together often enough, then random words.
fn command() -> impl Strategy<Value = Vec<String>> {
    (
        proptest::sample::select(VERBS),
        proptest::sample::select(TARGETS),
        prop_oneof![
            3 => Just(Vec::new()),
            2 => proptest::collection::vec(token(), 1..3),
        ],
    )
        .prop_map(|(verb, target, rest)| {
            verb.split(' ')
                .chain(target.split(' '))
                .map(str::to_owned)
                .chain(rest)
                .collect()
        })
}

/// Anything at all.
fn junk() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(token(), 0..7)
}

fn files() -> MemoryFs {
    let mut fs = support::book_files();
    fs.set_stdin("apiVersion: v1\nkind: Pod\nmetadata: {name: from-stdin}\nspec: {containers: [{name: c, image: x}]}\n");
    fs
}

proptest! {
    #![proptest_config(support::cases(24))]

    #[test]
    fn random_command_lines_never_panic(
        commands in proptest::collection::vec(prop_oneof![3 => command(), 1 => junk()], 1..12),
    ) {
        let mut fs = files();
        let mut sh = Shell::new(Config::default());
        // A populated cluster makes more commands reach their interesting paths.
        for setup in ["sample-rs.yaml", "sample-deployment.yaml"] {
            let out = sh.run(&["kubectl", "apply", "-f", setup], &mut fs);
            prop_assert_eq!(out.code, 0, "{}", out.stderr);
        }
        for args in &commands {
            let mut argv = vec!["kubectl"];
            argv.extend(args.iter().map(String::as_str));
            let out = sh.run(&argv, &mut fs);
            prop_assert!(out.code == 0 || out.code == 1, "{:?} exited {}", argv, out.code);
            prop_assert!(out.code == 0 || !out.stderr.is_empty() || !out.stdout.is_empty(),
                "{:?} failed silently", argv);
        }
        // Every pod a ReplicaSet controls names a ReplicaSet that exists.
        let cluster = sh.cluster();
        for pod in cluster.pods() {
            if let Some(owner) = pod.metadata.owner_references.iter().find(|o| o.controller == Some(true)) {
                prop_assert!(
                    cluster.replica_sets().any(|rs| rs.metadata.uid == owner.uid)
                        || pod.metadata.deletion_timestamp.is_some(),
                    "pod {} owned by a missing {}", pod.metadata.name, owner.name
                );
            }
        }
    }
}
