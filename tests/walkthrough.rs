//! The `walkthrough` example (the README's main command), run in-process: the book's story
//! happens as the book tells it, and the run is deterministic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../examples/walkthrough.rs"]
#[allow(dead_code)]
mod walkthrough;

use walkthrough::{Entry, render, transcript};

/// Every command of the transcript: (command line, stdout, stderr, exit code).
fn commands(entries: &[Entry]) -> Vec<(&str, &str, &str, i32)> {
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Command {
                line,
                stdout,
                stderr,
                code,
                ..
            } => Some((line.as_str(), stdout.as_str(), stderr.as_str(), *code)),
            _ => None,
        })
        .collect()
}

fn find<'a>(
    cmds: &'a [(&str, &str, &str, i32)],
    line: &str,
) -> Vec<&'a (&'a str, &'a str, &'a str, i32)> {
    let found: Vec<_> = cmds.iter().filter(|c| c.0 == line).collect();
    assert!(!found.is_empty(), "no command `{line}` in the transcript");
    found
}

/// The rows of a `get` table, without the header, split into columns.
fn rows(table: &str) -> Vec<Vec<&str>> {
    table
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect()
}

#[test]
fn the_books_story_runs_as_told() {
    let entries = transcript();
    let cmds = commands(&entries);

    // Every command but the three deliberate mistakes succeeds.
    let failed: Vec<&str> = cmds.iter().filter(|c| c.3 != 0).map(|c| c.0).collect();
    assert_eq!(
        failed,
        [
            "kubectl apply -f sample-2pod.yaml",
            "kubectl \"set image\" deployment sample-deployment nginx-container=nginx:1.17 --record",
            "kubectl rollout undo deployment sample-deployment --to-revisino 1",
        ]
    );

    // Pods.
    assert_eq!(
        find(&cmds, "kubectl apply -f sample-pod.yaml")[0].1,
        "pod/sample-pod created\n"
    );
    let broken = find(&cmds, "kubectl apply -f sample-2pod.yaml")[0].2;
    assert!(
        broken.contains("unknown field \"apiversion\", did you mean \"apiVersion\"?"),
        "{broken}"
    );
    assert!(
        broken.contains("unknown kind \"pod\", did you mean \"Pod\"?"),
        "{broken}"
    );
    let two = rows(find(&cmds, "kubectl get pods sample-2pod --output wide")[0].1);
    assert_eq!(&two[0][..3], ["sample-2pod", "2/2", "Running"]);
    let same_port = find(&cmds, "kubectl apply -f sample-2pod-same-port.yaml")[0];
    assert_eq!(
        same_port.2,
        "Warning: spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]\n"
    );

    // The ReplicaSet heals a deleted pod with exactly one new pod.
    let before = rows(find(&cmds, "kubectl get pods -o wide")[0].1);
    let after = rows(find(&cmds, "kubectl get pods -o wide")[1].1);
    assert_eq!(before.len(), 3);
    assert_eq!(after.len(), 3);
    let deleted = cmds
        .iter()
        .find(|c| c.0.starts_with("kubectl delete pod sample-rs-"))
        .expect("a pod deletion");
    let victim = deleted.0.rsplit(' ').next().unwrap();
    assert_eq!(deleted.1, format!("pod \"{victim}\" deleted\n"));
    assert!(before.iter().any(|r| r[0] == victim));
    assert!(after.iter().all(|r| r[0] != victim && r[2] == "Running"));
    let new: Vec<_> = after
        .iter()
        .filter(|r| !before.iter().any(|b| b[0] == r[0]))
        .collect();
    assert_eq!(new.len(), 1);
    let describe = find(&cmds, "kubectl describe replicaset sample-rs")[0].1;
    assert!(
        describe.contains("Replicas:     3 current / 3 desired\n"),
        "{describe}"
    );
    assert_eq!(
        describe
            .matches("replicaset-controller  Created pod: sample-rs-")
            .count(),
        4
    );
    assert!(describe.contains(&format!("Created pod: {}\n", new[0][0])));

    // The Deployment: revision 1 recorded, then a rolling update to nginx:1.17.
    let yaml = find(&cmds, "kubectl get replicasets -o yaml | head")[0].1;
    assert_eq!(yaml.lines().count(), 10);
    assert!(yaml.contains("deployment.kubernetes.io/revision: \"1\"\n"));
    let deploy = rows(find(&cmds, "kubectl get deployments")[0].1);
    assert_eq!(&deploy[0][..4], ["sample-deployment", "3/3", "3", "3"]);
    let status = find(&cmds, "kubectl rollout status deployment sample-deployment");
    assert_eq!(status.len(), 3);
    for s in &status {
        let lines: Vec<&str> = s.1.lines().collect();
        assert!(lines.len() >= 2, "no progress shown: {}", s.1);
        assert!(lines[..lines.len() - 1].iter().all(|l| {
            l.starts_with("Waiting for deployment \"sample-deployment\" rollout to finish: ")
        }));
        assert_eq!(
            lines.last().copied(),
            Some("deployment \"sample-deployment\" successfully rolled out")
        );
    }
    assert!(
        status[0]
            .1
            .contains("1 out of 3 new replicas have been updated...")
    );

    // After the update: the old ReplicaSet is kept at 0.
    let rs = find(&cmds, "kubectl get replicasets");
    let after_update = rows(rs[1].1);
    assert_eq!(after_update.len(), 2);
    let (new_rs, old_rs) = (&after_update[0], &after_update[1]);
    assert_eq!(&new_rs[1..4], ["3", "3", "3"]);
    assert_eq!(&old_rs[1..4], ["0", "0", "0"]);
    assert!(
        new_rs[0].starts_with("sample-deployment-") && old_rs[0].starts_with("sample-deployment-")
    );

    // History, with the change causes kubectl records.
    let history = find(
        &cmds,
        "kubectl rollout history deployment sample-deployment",
    );
    assert_eq!(
        history[0].1,
        "deployment.apps/sample-deployment \nREVISION  CHANGE-CAUSE\n\
         1         kubectl apply --filename=sample-deployment.yaml --record=true\n\
         2         kubectl set image deployment sample-deployment nginx-container=nginx:1.17 --record=true\n\n"
    );
    let rev1 = find(
        &cmds,
        "kubectl rollout history deployment sample-deployment --revision 1",
    )[0]
    .1;
    assert!(rev1.starts_with("deployment.apps/sample-deployment with revision #1\n"));
    assert!(rev1.contains("    Image:\tnginx:1.16\n"));
    let rev2 = find(
        &cmds,
        "kubectl rollout history deployment sample-deployment --revision 2",
    )[0]
    .1;
    assert!(rev2.contains("    Image:\tnginx:1.17\n"));

    // The typo, then the rollback to revision 1: its ReplicaSet comes back as revision 3.
    let typo = find(
        &cmds,
        "kubectl rollout undo deployment sample-deployment --to-revisino 1",
    )[0];
    assert_eq!(
        typo.2,
        "error: unknown flag: --to-revisino\nSee 'kubectl rollout undo --help' for usage.\n"
    );
    assert_eq!(
        find(
            &cmds,
            "kubectl rollout undo deployment sample-deployment --to-revision 1"
        )[0]
        .1,
        "deployment.apps/sample-deployment rolled back\n"
    );
    let rolled_back = rows(rs[2].1);
    let back = rolled_back.iter().find(|r| r[0] == old_rs[0]).unwrap();
    assert_eq!(&back[1..4], ["3", "3", "3"]);
    assert!(
        history[1].1.contains(
            "\n3         kubectl apply --filename=sample-deployment.yaml --record=true\n"
        )
    );
    assert!(!history[1].1.contains("\n1 "));

    // And `undo` without a revision goes back to the nginx:1.17 ReplicaSet.
    let last = rows(rs[3].1);
    let again = last.iter().find(|r| r[0] == new_rs[0]).unwrap();
    assert_eq!(&again[1..4], ["3", "3", "3"]);
}

#[test]
fn the_walkthrough_is_deterministic() {
    assert_eq!(render(&transcript()), render(&transcript()));
}
