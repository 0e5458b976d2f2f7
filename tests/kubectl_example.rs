//! The `kubectl` example end to end: the book's commands typed one at a time, each a separate
//! process, against a state file in a temporary directory.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The example's binary, built by `cargo test` alongside this test (or built now, when only
/// this test target was asked for).
fn binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap();
    let bin = profile_dir
        .join("examples")
        .join(format!("kubectl{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", "kubectl"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(status.success());
    }
    bin
}

/// A fresh working directory holding the book's manifests.
fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kube-workloads-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let manifests = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/manifests");
    for f in [
        "sample-pod.yaml",
        "sample-2pod.yaml",
        "sample-rs.yaml",
        "sample-deployment.yaml",
    ] {
        std::fs::copy(manifests.join(f), dir.join(f)).unwrap();
    }
    dir
}

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn kubectl(dir: &Path, env_state: Option<&Path>, args: &[&str]) -> Run {
    let mut cmd = Command::new(binary());
    cmd.args(args)
        .current_dir(dir)
        .env_remove("KUBE_WORKLOADS_STATE");
    if let Some(p) = env_state {
        cmd.env("KUBE_WORKLOADS_STATE", p);
    }
    let out = cmd.output().unwrap();
    Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn ok(dir: &Path, line: &str) -> Run {
    let args: Vec<&str> = line.split_whitespace().collect();
    let r = kubectl(dir, None, &args);
    assert_eq!(r.code, 0, "`kubectl {line}` failed: {}", r.stderr);
    r
}

fn names(table: &str) -> Vec<String> {
    table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_books_commands_in_order_against_the_default_state_file() {
    let dir = workdir("book");

    // Pods.
    assert_eq!(
        ok(&dir, "apply -f sample-pod.yaml").stdout,
        "pod/sample-pod created\n"
    );
    assert!(dir.join(".kube-workloads/state.yaml").exists());
    let pods = ok(&dir, "get pods").stdout;
    assert_eq!(
        pods,
        "NAME         READY   STATUS    RESTARTS   AGE\nsample-pod   1/1     Running   0          5s\n"
    );
    let wide = ok(&dir, "get pods --output wide").stdout;
    assert!(wide.starts_with(
        "NAME         READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n"
    ));
    let broken = kubectl(&dir, None, &["apply", "-f", "sample-2pod.yaml"]);
    assert_eq!(broken.code, 1);
    assert_eq!(broken.stdout, "");
    assert!(
        broken.stderr.contains("did you mean \"apiVersion\"?"),
        "{}",
        broken.stderr
    );

    // The ReplicaSet heals a deleted pod.
    assert_eq!(
        ok(&dir, "apply -f sample-rs.yaml").stdout,
        "replicaset.apps/sample-rs created\n"
    );
    let rs = ok(&dir, "get replicasets -o wide").stdout;
    assert!(rs.contains("\nsample-rs   3         3         3  "), "{rs}");
    let before: Vec<String> = names(&ok(&dir, "get pods -o wide").stdout)
        .into_iter()
        .filter(|n| n.starts_with("sample-rs-"))
        .collect();
    assert_eq!(before.len(), 3);
    let victim = &before[0];
    assert_eq!(
        ok(&dir, &format!("delete pod {victim}")).stdout,
        format!("pod \"{victim}\" deleted\n")
    );
    let after: Vec<String> = names(&ok(&dir, "get pods -o wide").stdout)
        .into_iter()
        .filter(|n| n.starts_with("sample-rs-"))
        .collect();
    assert_eq!(after.len(), 3);
    assert!(!after.contains(victim));
    let describe = ok(&dir, "describe replicaset sample-rs").stdout;
    assert_eq!(describe.matches("Created pod: sample-rs-").count(), 4);
    ok(&dir, "delete replicaset sample-rs");

    // The Deployment, its update, history and rollback.
    let created = ok(&dir, "apply -f sample-deployment.yaml --record");
    assert_eq!(
        created.stdout,
        "deployment.apps/sample-deployment created\n"
    );
    assert_eq!(
        created.stderr,
        "Flag --record has been deprecated, --record will be removed in the future\n"
    );
    let head: Vec<String> = ok(&dir, "get replicasets -o yaml")
        .stdout
        .lines()
        .take(10)
        .map(str::to_owned)
        .collect();
    assert_eq!(head[0], "apiVersion: v1");
    assert_eq!(head.len(), 10);
    assert!(
        ok(&dir, "get deployments")
            .stdout
            .contains("sample-deployment   3/3     3            3")
    );
    assert_eq!(names(&ok(&dir, "get replicasets").stdout).len(), 1);
    assert_eq!(names(&ok(&dir, "get pods").stdout).len(), 4);

    // The book's quoting makes one argument of "set image": kubectl does not know that command.
    let quoted = kubectl(
        &dir,
        None,
        &[
            "set image",
            "deployment",
            "sample-deployment",
            "nginx-container=nginx:1.17",
            "--record",
        ],
    );
    assert_eq!(quoted.code, 1);
    assert!(
        quoted
            .stderr
            .starts_with("error: unknown command \"set image\" for \"kubectl\"")
    );
    let set = ok(
        &dir,
        "set image deployment sample-deployment nginx-container=nginx:1.17 --record",
    );
    assert_eq!(
        set.stdout,
        "deployment.apps/sample-deployment image updated\n"
    );
    let status = ok(&dir, "rollout status deployment sample-deployment").stdout;
    assert!(status.starts_with("Waiting for deployment \"sample-deployment\" rollout to finish: "));
    assert!(status.ends_with("deployment \"sample-deployment\" successfully rolled out\n"));
    let rs = ok(&dir, "get replicasets").stdout;
    let zero: Vec<&str> = rs
        .lines()
        .filter(|l| l.contains("   0         0         0  "))
        .collect();
    assert_eq!(zero.len(), 1, "{rs}");

    let history = ok(&dir, "rollout history deployment sample-deployment").stdout;
    assert_eq!(
        history,
        "deployment.apps/sample-deployment \nREVISION  CHANGE-CAUSE\n\
         1         kubectl apply --filename=sample-deployment.yaml --record=true\n\
         2         kubectl set image deployment sample-deployment nginx-container=nginx:1.17 --record=true\n\n"
    );
    assert!(
        ok(
            &dir,
            "rollout history deployment sample-deployment --revision 1"
        )
        .stdout
        .contains("Image:\tnginx:1.16")
    );
    assert!(
        ok(
            &dir,
            "rollout history deployment sample-deployment --revision 2"
        )
        .stdout
        .contains("Image:\tnginx:1.17")
    );
    let typo = kubectl(
        &dir,
        None,
        &[
            "rollout",
            "undo",
            "deployment",
            "sample-deployment",
            "--to-revisino",
            "1",
        ],
    );
    assert_eq!(typo.code, 1);
    assert_eq!(
        typo.stderr,
        "error: unknown flag: --to-revisino\nSee 'kubectl rollout undo --help' for usage.\n"
    );
    assert_eq!(
        ok(&dir, "rollout undo deployment sample-deployment").stdout,
        "deployment.apps/sample-deployment rolled back\n"
    );
    ok(&dir, "rollout status deployment sample-deployment");
    let rs = ok(&dir, "get replicasets").stdout;
    assert!(
        rs.lines()
            .skip(1)
            .any(|l| l.contains("   3         3         3  ")),
        "{rs}"
    );
    let history = ok(&dir, "rollout history deployment sample-deployment").stdout;
    assert!(
        history.contains(
            "\n3         kubectl apply --filename=sample-deployment.yaml --record=true\n"
        )
    );

    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_state_file_comes_from_the_flag_then_the_environment() {
    let dir = workdir("state");
    let flag = dir.join("flag/state.yaml");
    let env = dir.join("env.yaml");
    let flag_arg = flag.to_str().unwrap();

    let r = kubectl(
        &dir,
        None,
        &["--state", flag_arg, "apply", "-f", "sample-pod.yaml"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(flag.exists());
    let r = kubectl(&dir, Some(&env), &["apply", "-f", "sample-rs.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(env.exists());
    assert!(!dir.join(".kube-workloads").exists());

    // Each file holds its own cluster; the flag wins over the environment.
    let via_flag = kubectl(
        &dir,
        Some(&env),
        &[&format!("--state={flag_arg}"), "get", "pods", "-o", "name"],
    );
    assert_eq!(via_flag.stdout, "pod/sample-pod\n");
    let via_env = kubectl(&dir, Some(&env), &["get", "rs", "-o", "name"]);
    assert_eq!(via_env.stdout, "replicaset.apps/sample-rs\n");
    let default = kubectl(&dir, None, &["get", "pods"]);
    assert_eq!((default.code, default.stdout.as_str()), (0, ""));
    assert_eq!(default.stderr, "No resources found in default namespace.\n");

    // `sim reset` starts over.
    let r = kubectl(&dir, Some(&env), &["sim", "reset"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let empty = kubectl(&dir, Some(&env), &["get", "rs"]);
    assert_eq!(empty.stderr, "No resources found in default namespace.\n");

    std::fs::remove_dir_all(&dir).unwrap();
}
