//! `sim::shell::Shell` end to end: kubectl v1.32 command lines over the simulated cluster, read
//! through a `MemoryFs`, with their exact output and exit codes. The book's walkthrough first,
//! then each command family, the simulator's own `sim` command, and sessions (the state file of
//! `examples/kubectl`) replayed in-process.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeSet;

use kube_workloads::sim::Config;
use kube_workloads::sim::shell::{MemoryFs, Output, Session, SessionError, Shell, Stream};

const RECORD_WARNING: &str =
    "Flag --record has been deprecated, --record will be removed in the future\n";

const SAMPLE_RC: &str = "apiVersion: v1
kind: ReplicationController
metadata:
  name: sample-rc
spec:
  replicas: 2
  selector:
    app: sample-rc
  template:
    metadata:
      labels:
        app: sample-rc
    spec:
      containers:
      - name: nginx-container
        image: nginx:1.16
";

fn files() -> MemoryFs {
    let mut fs = support::book_files();
    fs.insert("sample-rc.yaml", SAMPLE_RC);
    fs
}

/// A shell over a fresh cluster and the book's manifests.
struct Kubectl {
    sh: Shell,
    fs: MemoryFs,
}

impl Kubectl {
    fn new() -> Kubectl {
        Kubectl {
            sh: Shell::new(Config::default()),
            fs: files(),
        }
    }

    /// `kubectl <line>` (arguments split on whitespace).
    fn run(&mut self, line: &str) -> Output {
        let argv: Vec<&str> = std::iter::once("kubectl")
            .chain(line.split_whitespace())
            .collect();
        self.sh.run(&argv, &mut self.fs)
    }

    /// A command that succeeds with nothing on stderr: its stdout.
    #[track_caller]
    fn ok(&mut self, line: &str) -> String {
        let out = self.run(line);
        assert_eq!(
            (out.code, out.stderr.as_str()),
            (0, ""),
            "kubectl {line}\nstdout:\n{}",
            out.stdout
        );
        out.stdout
    }

    /// A command's exact output.
    #[track_caller]
    fn expect(&mut self, line: &str, stdout: &str, stderr: &str, code: i32) {
        let out = self.run(line);
        assert_eq!(out.stdout, stdout, "stdout of kubectl {line}");
        assert_eq!(out.stderr, stderr, "stderr of kubectl {line}");
        assert_eq!(out.code, code, "exit code of kubectl {line}");
    }

    /// The names `get <kind> -o name` lists (`pod/x` form).
    fn names(&mut self, kind: &str) -> BTreeSet<String> {
        self.ok(&format!("get {kind} -o name"))
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

// ---------------------------------------------------------------------------------------------
// The book, chapter by chapter.

#[test]
fn book_pod_commands() {
    let mut k = Kubectl::new();
    assert_eq!(k.ok("apply -f sample-pod.yaml"), "pod/sample-pod created\n");
    assert_eq!(
        k.ok("get pods"),
        "NAME         READY   STATUS    RESTARTS   AGE\n\
         sample-pod   1/1     Running   0          5s\n"
    );
    assert_eq!(
        k.ok("get pods -o wide"),
        "NAME         READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES\n\
         sample-pod   1/1     Running   0          10s   10.244.1.3   node-1   <none>           <none>\n"
    );
    // The broken manifest (lower-case `apiversion` and `kind: pod`): every problem is named,
    // with its line and column, and nothing is applied.
    k.expect(
        "apply -f sample-2pod.yaml",
        "",
        "error: error validating \"sample-2pod.yaml\": document 1, line 1:1: unknown field \"apiversion\", did you mean \"apiVersion\"?\n\
         error: error validating \"sample-2pod.yaml\": document 1, line 2:7: kind: unknown kind \"pod\", did you mean \"Pod\"? (kinds are case-sensitive CamelCase; known kinds: Pod, ReplicaSet, ReplicationController, Deployment)\n",
        1,
    );
    assert_eq!(k.names("pods"), set(&["pod/sample-pod"]));
    // Applying the same manifest again changes nothing.
    assert_eq!(
        k.ok("apply -f sample-pod.yaml"),
        "pod/sample-pod unchanged\n"
    );
}

#[test]
fn book_replica_set_commands() {
    let mut k = Kubectl::new();
    assert_eq!(
        k.ok("apply -f sample-rs.yaml"),
        "replicaset.apps/sample-rs created\n"
    );
    assert_eq!(
        k.ok("get rs"),
        "NAME        DESIRED   CURRENT   READY   AGE\n\
         sample-rs   3         3         3       5s\n"
    );
    let before = k.names("pods");
    assert_eq!(before.len(), 3);
    assert!(before.iter().all(|n| n.starts_with("pod/sample-rs-")));

    // Deleting one pod: the ReplicaSet creates exactly one replacement.
    let victim = before.iter().next().unwrap().clone();
    let name = victim.strip_prefix("pod/").unwrap();
    assert_eq!(
        k.ok(&format!("delete pod {name}")),
        format!("pod \"{name}\" deleted\n")
    );
    let after = k.names("pods");
    assert_eq!(after.len(), 3);
    let added: Vec<&String> = after.difference(&before).collect();
    let gone: Vec<&String> = before.difference(&after).collect();
    assert_eq!(gone, [&victim]);
    assert_eq!(added.len(), 1);
    let replacement = added[0].strip_prefix("pod/").unwrap();

    // describe shows the four creations, the replacement's last.
    let describe = k.ok("describe rs sample-rs");
    assert!(describe.starts_with(
        "Name:         sample-rs\n\
         Namespace:    default\n\
         Selector:     app=sample-app\n\
         Labels:       <none>\n\
         Annotations:  <none>\n\
         Replicas:     3 current / 3 desired\n\
         Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
    ));
    let events: Vec<&str> = describe
        .split_once("Events:\n")
        .unwrap()
        .1
        .lines()
        .collect();
    assert_eq!(
        events[0],
        "  Type    Reason            Age   From                   Message"
    );
    let created: Vec<&str> = events[2..]
        .iter()
        .map(|l| {
            assert!(l.starts_with("  Normal  SuccessfulCreate  "), "{l}");
            l.rsplit_once("Created pod: ").unwrap().1
        })
        .collect();
    assert_eq!(created.len(), 4);
    assert_eq!(created[3], replacement);
    for n in &before {
        assert!(created.contains(&n.strip_prefix("pod/").unwrap()));
    }
}

#[test]
fn book_deployment_commands() {
    let mut k = Kubectl::new();
    k.expect(
        "apply -f sample-deployment.yaml --record",
        "deployment.apps/sample-deployment created\n",
        RECORD_WARNING,
        0,
    );
    assert_eq!(
        k.ok("get deploy"),
        "NAME                READY   UP-TO-DATE   AVAILABLE   AGE\n\
         sample-deployment   3/3     3            3           5s\n"
    );
    k.expect(
        "set image deployment sample-deployment nginx-container=nginx:1.17 --record",
        "deployment.apps/sample-deployment image updated\n",
        RECORD_WARNING,
        0,
    );
    assert_eq!(
        k.ok("rollout status deployment sample-deployment"),
        "Waiting for deployment \"sample-deployment\" rollout to finish: 2 out of 3 new replicas have been updated...\n\
         Waiting for deployment \"sample-deployment\" rollout to finish: 1 old replicas are pending termination...\n\
         deployment \"sample-deployment\" successfully rolled out\n"
    );
    // The old ReplicaSet is kept, scaled to 0.
    assert_eq!(
        k.ok("get rs"),
        "NAME                           DESIRED   CURRENT   READY   AGE\n\
         sample-deployment-5579f58d5b   3         3         3       14s\n\
         sample-deployment-5c4864fd4f   0         0         0       24s\n"
    );
    let history_1_2 = "deployment.apps/sample-deployment \n\
         REVISION  CHANGE-CAUSE\n\
         1         kubectl apply --filename=sample-deployment.yaml --record=true\n\
         2         kubectl set image deployment sample-deployment nginx-container=nginx:1.17 --record=true\n\
         \n";
    assert_eq!(
        k.ok("rollout history deployment sample-deployment"),
        history_1_2
    );
    let revision = |n: u32, hash: &str, cause: &str, image: &str| {
        format!(
            "deployment.apps/sample-deployment with revision #{n}\n\
             Pod Template:\n\
             \x20 Labels:\tapp=sample-app\n\
             \tpod-template-hash={hash}\n\
             \x20 Annotations:\tkubernetes.io/change-cause: {cause}\n\
             \x20 Containers:\n\
             \x20  nginx-container:\n\
             \x20   Image:\t{image}\n\
             \x20   Port:\t<none>\n\
             \x20   Host Port:\t<none>\n\
             \x20   Environment:\t<none>\n\
             \x20   Mounts:\t<none>\n\
             \x20 Volumes:\t<none>\n\
             \x20 Node-Selectors:\t<none>\n\
             \x20 Tolerations:\t<none>\n\
             \n"
        )
    };
    assert_eq!(
        k.ok("rollout history deployment sample-deployment --revision 1"),
        revision(
            1,
            "5c4864fd4f",
            "kubectl apply --filename=sample-deployment.yaml --record=true",
            "nginx:1.16"
        )
    );
    assert_eq!(
        k.ok("rollout history deployment sample-deployment --revision=2"),
        revision(
            2,
            "5579f58d5b",
            "kubectl set image deployment sample-deployment nginx-container=nginx:1.17 --record=true",
            "nginx:1.17"
        )
    );

    // The book's typo: pflag rejects the flag before anything runs.
    k.expect(
        "rollout undo deployment sample-deployment --to-revisino 1",
        "",
        "error: unknown flag: --to-revisino\nSee 'kubectl rollout undo --help' for usage.\n",
        1,
    );
    assert_eq!(
        k.ok("rollout history deployment sample-deployment"),
        history_1_2
    );
    assert_eq!(
        k.ok("rollout undo deployment sample-deployment --to-revision 1"),
        "deployment.apps/sample-deployment rolled back\n"
    );
    let status = k.ok("rollout status deployment sample-deployment");
    assert!(
        status.ends_with("deployment \"sample-deployment\" successfully rolled out\n"),
        "{status}"
    );
    // Revision 1 became revision 3 (its change cause goes with it).
    assert_eq!(
        k.ok("rollout history deployment sample-deployment"),
        "deployment.apps/sample-deployment \n\
         REVISION  CHANGE-CAUSE\n\
         2         kubectl set image deployment sample-deployment nginx-container=nginx:1.17 --record=true\n\
         3         kubectl apply --filename=sample-deployment.yaml --record=true\n\
         \n"
    );
    k.expect(
        "rollout history deployment sample-deployment --revision 1",
        "",
        "error: unable to find the specified revision\n",
        1,
    );
    // The first ReplicaSet serves again; no third one was created.
    let rs = k.ok("get rs");
    let rows: Vec<Vec<&str>> = rs
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0][..4],
        ["sample-deployment-5579f58d5b", "0", "0", "0"]
    );
    assert_eq!(
        rows[1][..4],
        ["sample-deployment-5c4864fd4f", "3", "3", "3"]
    );
    let describe = k.ok("describe deploy sample-deployment");
    assert!(describe.contains(
        "Annotations:            deployment.kubernetes.io/revision: 3\n\
         \x20                       kubernetes.io/change-cause: kubectl apply --filename=sample-deployment.yaml --record=true\n"
    ));
    assert!(describe.contains(
        "OldReplicaSets:  sample-deployment-5579f58d5b (0/0 replicas created)\n\
         NewReplicaSet:   sample-deployment-5c4864fd4f (3/3 replicas created)\n"
    ));
}

// ---------------------------------------------------------------------------------------------
// get

#[test]
fn get_variants() {
    let mut k = Kubectl::new();
    k.ok("apply -f sample-pod.yaml");
    k.ok("apply -f sample-deployment.yaml");
    assert_eq!(
        k.ok("apply -f sample-rc.yaml"),
        "replicationcontroller/sample-rc created\n"
    );
    let pods = k.names("pods");
    assert_eq!(pods.len(), 6);
    assert!(pods.contains("pod/sample-pod"));
    assert_eq!(
        pods.iter()
            .filter(|p| p.starts_with("pod/sample-deployment-5c4864fd4f-"))
            .count(),
        3
    );
    assert_eq!(
        pods.iter()
            .filter(|p| p.starts_with("pod/sample-rc-"))
            .count(),
        2
    );
    // Short names and plural/singular forms name the same resources.
    for kind in ["po", "pod", "pods"] {
        assert_eq!(k.names(kind), pods, "{kind}");
    }
    for kind in ["rs", "replicaset", "replicasets.apps"] {
        assert_eq!(
            k.ok(&format!("get {kind} -o name")),
            "replicaset.apps/sample-deployment-5c4864fd4f\n",
            "{kind}"
        );
    }
    for kind in ["deploy", "deployment", "deployments.apps"] {
        assert_eq!(
            k.ok(&format!("get {kind} -o name")),
            "deployment.apps/sample-deployment\n",
            "{kind}"
        );
    }
    for kind in ["rc", "replicationcontrollers"] {
        assert_eq!(
            k.ok(&format!("get {kind} -o name")),
            "replicationcontroller/sample-rc\n",
            "{kind}"
        );
    }
    assert_eq!(
        k.ok("get rc"),
        "NAME        DESIRED   CURRENT   READY   AGE\n\
         sample-rc   2         2         2       65s\n"
    );

    // By name, by TYPE/NAME, and the NotFound errors.
    assert_eq!(
        k.ok("get pod sample-pod"),
        "NAME         READY   STATUS    RESTARTS   AGE\n\
         sample-pod   1/1     Running   0          80s\n"
    );
    assert_eq!(
        k.ok("get deploy/sample-deployment rc/sample-rc -o name"),
        "deployment.apps/sample-deployment\nreplicationcontroller/sample-rc\n"
    );
    k.expect(
        "get pods x",
        "",
        "Error from server (NotFound): pods \"x\" not found\n",
        1,
    );
    k.expect(
        "get deploy/x",
        "",
        "Error from server (NotFound): deployments.apps \"x\" not found\n",
        1,
    );
    k.expect(
        "get pod sample-pod x -o name",
        "pod/sample-pod\n",
        "Error from server (NotFound): pods \"x\" not found\n",
        1,
    );
    k.expect(
        "get pods x y",
        "",
        "Error from server (NotFound): pods \"x\" not found\n\
         Error from server (NotFound): pods \"y\" not found\n",
        1,
    );
    assert_eq!(k.ok("get pods x --ignore-not-found"), "");

    // Label selectors and --show-labels.
    let app = k.ok("get pods -l app=sample-app -o name");
    assert_eq!(app.lines().count(), 3);
    assert!(app.lines().all(|l| l.starts_with("pod/sample-deployment-")));
    assert_eq!(
        k.ok("get pods -l app!=sample-app,app -o name")
            .lines()
            .count(),
        2
    );
    k.expect(
        "get pods -l app=nothing",
        "",
        "No resources found in default namespace.\n",
        0,
    );
    k.expect(
        "get pods -n other",
        "",
        "No resources found in other namespace.\n",
        0,
    );
    let shown = k.ok("get pods --show-labels -l app=sample-app");
    let header = shown.lines().next().unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"]
    );
    for line in shown.lines().skip(1) {
        assert!(
            line.ends_with("app=sample-app,pod-template-hash=5c4864fd4f"),
            "{line}"
        );
    }
    assert!(
        k.ok("get pod sample-pod --show-labels")
            .lines()
            .nth(1)
            .unwrap()
            .ends_with("   <none>")
    );
    k.expect(
        "get pods --show-labels -o json",
        "",
        "error: --show-labels option cannot be used with json printer\n",
        1,
    );

    // -o json: one object alone, a List otherwise.
    let one: serde_json::Value = serde_json::from_str(&k.ok("get pod sample-pod -o json")).unwrap();
    assert_eq!(one["kind"], "Pod");
    assert_eq!(one["metadata"]["name"], "sample-pod");
    assert_eq!(one["status"]["phase"], "Running");
    assert_eq!(one["spec"]["containers"][0]["image"], "nginx:1.16");
    let list: serde_json::Value = serde_json::from_str(&k.ok("get rs,deploy -o json")).unwrap();
    assert_eq!(list["kind"], "List");
    let kinds: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["ReplicaSet", "Deployment"]);
    assert_eq!(
        k.ok("get rs -l app=nothing -o json"),
        "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
    );
    let yaml = k.ok("get deploy sample-deployment -o yaml");
    assert!(yaml.starts_with("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"));

    // get all: pods, replication controllers, deployments, replica sets, with their kinds.
    assert_eq!(
        k.ok("get all"),
        "NAME                                     READY   STATUS    RESTARTS   AGE\n\
         pod/sample-deployment-5c4864fd4f-c56b2   1/1     Running   0          2m45s\n\
         pod/sample-deployment-5c4864fd4f-mqbzj   1/1     Running   0          2m45s\n\
         pod/sample-deployment-5c4864fd4f-zfj6x   1/1     Running   0          2m45s\n\
         pod/sample-pod                           1/1     Running   0          2m50s\n\
         pod/sample-rc-242v9                      1/1     Running   0          2m40s\n\
         pod/sample-rc-6kmcs                      1/1     Running   0          2m40s\n\
         \n\
         NAME                              DESIRED   CURRENT   READY   AGE\n\
         replicationcontroller/sample-rc   2         2         2       2m40s\n\
         \n\
         NAME                                READY   UP-TO-DATE   AVAILABLE   AGE\n\
         deployment.apps/sample-deployment   3/3     3            3           2m45s\n\
         \n\
         NAME                                           DESIRED   CURRENT   READY   AGE\n\
         replicaset.apps/sample-deployment-5c4864fd4f   3         3         3       2m45s\n"
    );
    assert_eq!(k.ok("get all -o name").lines().count(), 6 + 1 + 1 + 1);
    k.expect(
        "get all -l app=nothing",
        "",
        "No resources found in default namespace.\n",
        0,
    );
}

#[test]
fn get_errors() {
    let mut k = Kubectl::new();
    k.expect(
        "get",
        "",
        "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n\
         error: Required resource not specified.\n\
         Use \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\n\
         See 'kubectl get -h' for help and examples\n",
        1,
    );
    k.expect(
        "get foos",
        "",
        "error: the server doesn't have a resource type \"foos\"\n",
        1,
    );
    k.expect(
        "get services",
        "",
        "error: the simulated cluster does not serve \"services\": kube-workloads runs pods, replicasets, replicationcontrollers and deployments\n",
        1,
    );
    k.expect(
        "get pods -o yamll",
        "",
        "error: unable to match a printer suitable for the output format \"yamll\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n",
        1,
    );
    k.expect(
        "get pods -o jsonpath={.items}",
        "",
        "error: -o jsonpath is not supported by kube-workloads' simulated cluster\n",
        1,
    );
    k.expect(
        "get pods --watch",
        "",
        "error: --watch is not supported by kube-workloads' simulated cluster\n",
        1,
    );
    k.expect(
        "get pod x pod/y",
        "",
        "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n",
        1,
    );
}

// ---------------------------------------------------------------------------------------------
// label and annotate

/// The owner of a pod, from `get -o json`: `None` when it has none.
fn owner(k: &mut Kubectl, pod: &str) -> Option<String> {
    let v: serde_json::Value =
        serde_json::from_str(&k.ok(&format!("get pod {pod} -o json"))).unwrap();
    let refs = v["metadata"]["ownerReferences"].as_array()?;
    assert_eq!(refs.len(), 1);
    Some(format!(
        "{}/{}",
        refs[0]["kind"].as_str().unwrap(),
        refs[0]["name"].as_str().unwrap()
    ))
}

#[test]
fn label_releases_and_adopts_pods() {
    let mut k = Kubectl::new();
    k.ok("apply -f sample-rs.yaml");
    let pods = k.names("pods");
    let first = pods
        .iter()
        .next()
        .unwrap()
        .strip_prefix("pod/")
        .unwrap()
        .to_owned();
    assert_eq!(
        owner(&mut k, &first).as_deref(),
        Some("ReplicaSet/sample-rs")
    );

    // Removing the selected label: the ReplicaSet releases the pod and replaces it.
    assert_eq!(
        k.ok(&format!("label pod {first} app-")),
        format!("pod/{first} unlabeled\n")
    );
    assert_eq!(owner(&mut k, &first), None);
    let now = k.names("pods");
    assert_eq!(now.len(), 4);
    assert!(now.is_superset(&pods));
    assert_eq!(
        k.ok("get pods -l app=sample-app -o name").lines().count(),
        3
    );
    assert_eq!(
        k.ok("get rs sample-rs --no-headers")
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>(),
        ["sample-rs", "3", "3", "3"]
    );

    // Giving the label back: the ReplicaSet adopts the pod and deletes a surplus one (the
    // youngest, the replacement), so the original set is back.
    assert_eq!(
        k.ok(&format!("label pod {first} app=sample-app")),
        format!("pod/{first} labeled\n")
    );
    assert_eq!(
        owner(&mut k, &first).as_deref(),
        Some("ReplicaSet/sample-rs")
    );
    assert_eq!(k.names("pods"), pods);

    // The --overwrite rule.
    k.expect(
        &format!("label pod {first} app=other"),
        "",
        "error: 'app' already has a value (sample-app), and --overwrite is false\n",
        1,
    );
    assert_eq!(
        k.ok(&format!("label pod {first} app=sample-app --overwrite")),
        format!("pod/{first} not labeled\n")
    );
    assert_eq!(
        k.ok(&format!("label pod {first} tier=web")),
        format!("pod/{first} labeled\n")
    );
    // Several conflicts on one object: kubectl's nested aggregate prints one per line, without
    // the `error: ` prefix.
    k.expect(
        &format!("label pod {first} app=x tier=y"),
        "",
        "'app' already has a value (sample-app), and --overwrite is false\n\
         'tier' already has a value (web), and --overwrite is false\n",
        1,
    );
    k.expect(
        &format!("label pod {first} tier=x tier-"),
        "",
        "error: can not both modify and remove a label in the same command\n",
        1,
    );
    assert_eq!(
        k.ok(&format!("label pod {first} nothere-")),
        format!("label \"nothere\" not found.\npod/{first} not labeled\n")
    );
    // Removing a label that is not there still writes the --record annotation.
    k.expect(
        &format!("label pod {first} nothere- --record"),
        &format!("label \"nothere\" not found.\npod/{first} labeled\n"),
        RECORD_WARNING,
        0,
    );
    // With --overwrite, a removal reads as labeled.
    assert_eq!(
        k.ok(&format!("label pod {first} tier- --overwrite")),
        format!("pod/{first} labeled\n")
    );
    k.expect(
        &format!("label pod {first} App=x=y"),
        "",
        "error: invalid label spec: App=x=y\n",
        1,
    );
    k.expect(
        &format!("label pod {first}"),
        "",
        "error: at least one label update is required\n",
        1,
    );
    k.expect(
        &format!("label pod {first} a=b pod"),
        "",
        "error: all resources must be specified before label changes: pod\n",
        1,
    );

    // --list: the labels after the given updates, which are not written.
    assert_eq!(
        k.ok(&format!("label pod {first} --list")),
        "app=sample-app\n"
    );
    assert_eq!(
        k.ok(&format!("label pod {first} zone=a --list")),
        "app=sample-app\nzone=a\n"
    );
    assert_eq!(
        k.ok(&format!("label pod {first} --list")),
        "app=sample-app\n"
    );
    assert_eq!(
        k.ok("label rs --all --list"),
        "Listing labels for ReplicaSet.apps/sample-rs:\n"
    );

    // Labelling every pod, then a resource-version precondition.
    let out = k.ok("label pods --all tier=web");
    assert_eq!(out.lines().count(), 3);
    assert!(out.lines().all(|l| l.ends_with(" labeled")));
    let v: serde_json::Value =
        serde_json::from_str(&k.ok(&format!("get pod {first} -o json"))).unwrap();
    let rv = v["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_owned();
    k.expect(
        &format!("label pod {first} a=b --resource-version 1"),
        "",
        &format!(
            "Error from server (Conflict): Operation cannot be fulfilled on pods \"{first}\": the object has been modified; please apply your changes to the latest version and try again\n"
        ),
        1,
    );
    assert_eq!(
        k.ok(&format!("label pod {first} a=b --resource-version {rv}")),
        format!("pod/{first} labeled\n")
    );
    k.expect(
        &format!("label pods --all a=c --resource-version {rv}"),
        "",
        "error: --resource-version may only be used with a single resource\n",
        1,
    );
}

#[test]
fn annotate_follows_kubectl_rules() {
    let mut k = Kubectl::new();
    k.ok("apply -f sample-rs.yaml");
    assert_eq!(
        k.ok("annotate rs sample-rs note=hello"),
        "replicaset.apps/sample-rs annotated\n"
    );
    k.expect(
        "annotate rs sample-rs note=bye",
        "",
        "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hello)\n",
        1,
    );
    assert_eq!(
        k.ok("annotate rs sample-rs note=bye --overwrite"),
        "replicaset.apps/sample-rs annotated\n"
    );
    // The change cause may always be overwritten.
    k.expect(
        "annotate rs sample-rs other=1 --record",
        "replicaset.apps/sample-rs annotated\n",
        RECORD_WARNING,
        0,
    );
    assert_eq!(
        k.ok("annotate rs sample-rs kubernetes.io/change-cause=by-hand"),
        "replicaset.apps/sample-rs annotated\n"
    );
    assert_eq!(
        k.ok("annotate rs sample-rs --list"),
        "kubectl.kubernetes.io/last-applied-configuration={\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"metadata\":{\"annotations\":{},\"name\":\"sample-rs\",\"namespace\":\"default\"},\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"sample-app\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"sample-app\"}},\"spec\":{\"containers\":[{\"image\":\"nginx:1.16\",\"name\":\"nginx-container\"}]}}}}\n\n\
         kubernetes.io/change-cause=by-hand\n\
         note=bye\n\
         other=1\n"
    );
    assert_eq!(
        k.ok("annotate rs sample-rs note- other-"),
        "replicaset.apps/sample-rs annotated\n"
    );
    k.expect(
        "annotate rs sample-rs a=1 a-",
        "",
        "error: can not both modify and remove the following annotation(s) in the same command: a\n",
        1,
    );
    // A word that is neither KEY=VALUE nor KEY- reads as a resource name.
    k.expect(
        "annotate rs sample-rs note",
        "",
        "error: at least one annotation update is required\n",
        1,
    );
    k.expect(
        "annotate rs nothere a=1",
        "",
        "Error from server (NotFound): replicasets.apps \"nothere\" not found\n",
        1,
    );
    let describe = k.ok("describe rs sample-rs");
    assert!(
        describe.contains("Annotations:  kubernetes.io/change-cause: by-hand\nReplicas:"),
        "{describe}"
    );
}

// ---------------------------------------------------------------------------------------------
// scale and rollout

#[test]
fn scale_commands() {
    let mut k = Kubectl::new();
    k.ok("apply -f sample-deployment.yaml");
    assert_eq!(
        k.ok("scale deployment sample-deployment --replicas=5"),
        "deployment.apps/sample-deployment scaled\n"
    );
    assert_eq!(
        k.ok("get deploy,rs"),
        "NAME                                READY   UP-TO-DATE   AVAILABLE   AGE\n\
         deployment.apps/sample-deployment   5/5     5            5           10s\n\
         \n\
         NAME                                           DESIRED   CURRENT   READY   AGE\n\
         replicaset.apps/sample-deployment-5c4864fd4f   5         5         5       10s\n"
    );
    assert_eq!(k.names("pods").len(), 5);
    k.expect(
        "scale deploy/sample-deployment --replicas 2 --current-replicas 3",
        "",
        "error: Expected replicas to be 3, was 5\n",
        1,
    );
    assert_eq!(
        k.ok("scale deploy/sample-deployment --replicas 2 --current-replicas 5"),
        "deployment.apps/sample-deployment scaled\n"
    );
    assert_eq!(k.names("pods").len(), 2);
    k.expect(
        "scale deployment sample-deployment",
        "",
        "error: required flag(s) \"replicas\" not set\n",
        1,
    );
    k.expect(
        "scale deployment sample-deployment --replicas=-1",
        "",
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n",
        1,
    );
    k.expect(
        "scale deployment sample-deployment --replicas=x",
        "",
        "error: invalid argument \"x\" for \"--replicas\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nSee 'kubectl scale --help' for usage.\n",
        1,
    );
    k.expect(
        "scale deployment nothere --replicas=1",
        "",
        "Error from server (NotFound): deployments.apps \"nothere\" not found\n",
        1,
    );
}

#[test]
fn rollout_pause_resume_restart_undo() {
    let mut k = Kubectl::new();
    // Nothing to pause, resume or restart: kubectl prints nothing and succeeds.
    for verb in ["pause", "resume", "restart"] {
        k.expect(&format!("rollout {verb} deployments"), "", "", 0);
    }
    k.ok("apply -f sample-deployment.yaml");
    let d = "deployment/sample-deployment";

    // One revision only: nothing to undo.
    k.expect(
        &format!("rollout undo {d}"),
        "",
        "error: no rollout history found for deployment \"sample-deployment\"\n",
        1,
    );
    k.ok(&format!("set image {d} nginx-container=nginx:1.17"));
    k.ok(&format!("rollout status {d}"));

    assert_eq!(
        k.ok(&format!("rollout pause {d}")),
        "deployment.apps/sample-deployment paused\n"
    );
    k.expect(
        &format!("rollout pause {d}"),
        "",
        "error: deployments.apps \"sample-deployment\" is already paused\n",
        1,
    );
    k.expect(
        &format!("rollout restart {d}"),
        "",
        "error: deployments.apps \"sample-deployment\" can't restart paused deployment (run rollout resume first)\n",
        1,
    );
    for undo in ["", " --to-revision 1"] {
        k.expect(
            &format!("rollout undo {d}{undo}"),
            "",
            "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n",
            1,
        );
    }
    // The revision is looked up before the paused check.
    k.expect(
        &format!("rollout undo {d} --to-revision 99"),
        "",
        "error: unable to find specified revision 99 in history\n",
        1,
    );

    // A paused deployment does not roll out a template change.
    assert_eq!(
        k.ok(&format!("set image {d} nginx-container=nginx:1.18")),
        "deployment.apps/sample-deployment image updated\n"
    );
    k.expect(
        &format!("rollout status {d} --timeout 20s"),
        "Waiting for deployment \"sample-deployment\" rollout to finish: 0 out of 3 new replicas have been updated...\n",
        "error: timed out waiting for the condition\n",
        1,
    );
    assert_eq!(
        k.ok("get rs -o name"),
        "replicaset.apps/sample-deployment-5579f58d5b\nreplicaset.apps/sample-deployment-5c4864fd4f\n"
    );

    assert_eq!(
        k.ok(&format!("rollout resume {d}")),
        "deployment.apps/sample-deployment resumed\n"
    );
    k.expect(
        &format!("rollout resume {d}"),
        "",
        "error: deployments.apps \"sample-deployment\" is not paused\n",
        1,
    );
    let status = k.ok(&format!("rollout status {d}"));
    assert!(
        status.ends_with("deployment \"sample-deployment\" successfully rolled out\n"),
        "{status}"
    );
    assert_eq!(k.ok("get rs -o name").lines().count(), 3);

    // restart: a new template (the restartedAt annotation), so a new revision.
    assert_eq!(
        k.ok(&format!("rollout restart {d}")),
        "deployment.apps/sample-deployment restarted\n"
    );
    let status = k.ok(&format!("rollout status {d}"));
    assert!(status.ends_with("successfully rolled out\n"), "{status}");
    assert_eq!(
        k.ok(&format!("rollout history {d}")),
        "deployment.apps/sample-deployment \n\
         REVISION  CHANGE-CAUSE\n\
         1         <none>\n\
         2         <none>\n\
         3         <none>\n\
         4         <none>\n\
         \n"
    );
    let rev4 = k.ok(&format!("rollout history {d} --revision 4"));
    assert!(
        rev4.contains("  Annotations:\tkubectl.kubernetes.io/restartedAt: "),
        "{rev4}"
    );

    // History and undo errors.
    k.expect(
        &format!("rollout history {d} --revision 99"),
        "",
        "error: unable to find the specified revision\n",
        1,
    );
    k.expect(
        &format!("rollout history {d} --revision -1"),
        "",
        "error: revision must be a positive integer: -1\n",
        1,
    );
    k.expect(
        &format!("rollout undo {d} --to-revision 99"),
        "",
        "error: unable to find specified revision 99 in history\n",
        1,
    );
    assert_eq!(
        k.ok(&format!("rollout undo {d} --to-revision 4")),
        "deployment.apps/sample-deployment skipped rollback (current template already matches revision 4)\n"
    );
    k.expect(
        &format!("rollout status {d} --revision 9"),
        "",
        "error: desired revision (9) is different from the running revision (4)\n",
        1,
    );
    assert_eq!(
        k.ok(&format!("rollout status {d} --watch=false")),
        "deployment \"sample-deployment\" successfully rolled out\n"
    );

    // Kinds without rollouts.
    let rs = "rs/sample-deployment-5c4864fd4f";
    k.expect(
        &format!("rollout status {rs}"),
        "",
        "error: no status viewer has been implemented for ReplicaSet.apps\n",
        1,
    );
    k.expect(
        &format!("rollout history {rs}"),
        "",
        "error: no history viewer has been implemented for \"ReplicaSet.apps\"\n",
        1,
    );
    k.expect(
        &format!("rollout pause {rs}"),
        "",
        "error: replicasets.apps \"sample-deployment-5c4864fd4f\" pausing is not supported\n",
        1,
    );
    // Validate runs before the builder: the resource first, then the revision.
    for cmd in ["status", "history"] {
        k.expect(
            &format!("rollout {cmd} --revision -1"),
            "",
            "error: required resource not specified\n",
            1,
        );
        k.expect(
            &format!("rollout {cmd} foos/x --revision -1"),
            "",
            "error: revision must be a positive integer: -1\n",
            1,
        );
    }
    k.expect(
        "rollout status deploy/nothere",
        "",
        "Error from server (NotFound): deployments.apps \"nothere\" not found\n",
        1,
    );
}

// ---------------------------------------------------------------------------------------------
// delete

#[test]
fn delete_by_file_and_cascade() {
    let mut k = Kubectl::new();
    k.ok("apply -f sample-deployment.yaml");
    assert_eq!(k.names("pods").len(), 3);
    assert_eq!(
        k.ok("delete -f sample-deployment.yaml"),
        "deployment.apps \"sample-deployment\" deleted\n"
    );
    k.expect(
        "get all",
        "",
        "No resources found in default namespace.\n",
        0,
    );
    k.expect(
        "delete -f sample-deployment.yaml",
        "",
        "Error from server (NotFound): error when deleting \"sample-deployment.yaml\": deployments.apps \"sample-deployment\" not found\n",
        1,
    );
    // A named object that is missing still counts as found: no "No resources found".
    assert_eq!(
        k.ok("delete -f sample-deployment.yaml --ignore-not-found"),
        ""
    );
    assert_eq!(k.ok("delete pod x --ignore-not-found"), "");

    // Background cascade: the ReplicaSet and the pods go with the Deployment.
    k.ok("apply -f sample-deployment.yaml");
    assert_eq!(
        k.ok("delete deployment sample-deployment"),
        "deployment.apps \"sample-deployment\" deleted\n"
    );
    k.expect(
        "get all",
        "",
        "No resources found in default namespace.\n",
        0,
    );

    // Orphan: the ReplicaSet and its pods stay, without an owner.
    k.ok("apply -f sample-deployment.yaml");
    let pods = k.names("pods");
    assert_eq!(
        k.ok("delete deploy sample-deployment --cascade=orphan"),
        "deployment.apps \"sample-deployment\" deleted\n"
    );
    assert_eq!(k.ok("get deploy -o name"), "");
    assert_eq!(
        k.ok("get rs -o name"),
        "replicaset.apps/sample-deployment-5c4864fd4f\n"
    );
    assert_eq!(k.names("pods"), pods);
    let rs: serde_json::Value =
        serde_json::from_str(&k.ok("get rs sample-deployment-5c4864fd4f -o json")).unwrap();
    assert!(rs["metadata"]["ownerReferences"].is_null(), "{rs}");
    // The pods still belong to the ReplicaSet, which keeps them.
    let first = pods
        .iter()
        .next()
        .unwrap()
        .strip_prefix("pod/")
        .unwrap()
        .to_owned();
    assert_eq!(
        owner(&mut k, &first).as_deref(),
        Some("ReplicaSet/sample-deployment-5c4864fd4f")
    );

    // The boolean form still works, with kubectl's deprecation warning.
    k.expect(
        "delete rs sample-deployment-5c4864fd4f --cascade=false",
        "replicaset.apps \"sample-deployment-5c4864fd4f\" deleted\n",
        "warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n",
        0,
    );
    assert_eq!(k.names("pods"), pods);
    assert_eq!(owner(&mut k, &first), None);

    // By selector, --all, and when nothing matches.
    assert_eq!(k.ok("delete pods -l app=sample-app").lines().count(), 3);
    assert_eq!(k.ok("delete pods --all"), "No resources found\n");
    k.expect(
        "delete pods --all -l app=x",
        "",
        "error: cannot set --all and --selector at the same time\n",
        1,
    );
    k.expect(
        "delete pod",
        "",
        "error: resource(s) were provided, but no name was specified\n",
        1,
    );
    k.expect(
        "delete",
        "",
        "error: You must provide one or more resources by argument or filename.\n\
         Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
        1,
    );
    k.expect(
        "delete pod x --cascade=sideways",
        "",
        "error: invalid cascade value (sideways). Must be \"background\", \"foreground\", or \"orphan\"\n",
        1,
    );
    k.expect(
        "delete -f nothere.yaml",
        "",
        "error: the path \"nothere.yaml\" does not exist\n",
        1,
    );
}

// ---------------------------------------------------------------------------------------------
// Time: --no-settle and the sim command

#[test]
fn no_settle_and_the_simulated_clock() {
    let mut k = Kubectl::new();
    assert_eq!(
        k.ok("sim now"),
        "2023-11-14T22:13:20Z (0s after the start)\n"
    );
    assert_eq!(
        k.ok("apply -f sample-rs.yaml --no-settle"),
        "replicaset.apps/sample-rs created\n"
    );
    // Mid-flight: the controller has not created the pods yet, and the clock has not moved.
    assert_eq!(
        k.ok("get rs --no-settle"),
        "NAME        DESIRED   CURRENT   READY   AGE\n\
         sample-rs   3         0         0       0s\n"
    );
    k.expect(
        "--no-settle get pods",
        "",
        "No resources found in default namespace.\n",
        0,
    );
    assert_eq!(
        k.ok("sim now"),
        "2023-11-14T22:13:20Z (0s after the start)\n"
    );
    assert_eq!(k.ok("sim advance 1s"), "2023-11-14T22:13:21Z\n");
    let creating = k.ok("get pods --no-settle");
    assert_eq!(creating.lines().count(), 4);
    for line in creating.lines().skip(1) {
        assert_eq!(
            line.split_whitespace().skip(1).collect::<Vec<_>>(),
            ["0/1", "ContainerCreating", "0", "1s"]
        );
    }
    assert_eq!(k.ok("sim advance 30s"), "2023-11-14T22:13:51Z\n");
    for line in k.ok("get pods --no-settle").lines().skip(1) {
        assert_eq!(
            line.split_whitespace().skip(1).collect::<Vec<_>>(),
            ["1/1", "Running", "0", "31s"]
        );
    }
    // Nothing pending: settle stays where it is.
    assert_eq!(k.ok("sim settle"), "settled at 2023-11-14T22:13:51Z\n");
    assert_eq!(
        k.ok("sim now"),
        "2023-11-14T22:13:51Z (31s after the start)\n"
    );
    // A kubectl command settles for 5 seconds afterwards.
    k.ok("get rs");
    assert_eq!(
        k.ok("sim now"),
        "2023-11-14T22:13:56Z (36s after the start)\n"
    );
    // `sim settle` runs a deletion to its end.
    let first = k.names("pods").into_iter().next().unwrap();
    // (`get -o name` settled: the delete runs at 22:14:01; the replacement, created at once,
    // starts 2 s later and is ready 1 s after that.)
    k.ok(&format!("delete {first} --wait=false --no-settle"));
    assert_eq!(k.ok("sim settle"), "settled at 2023-11-14T22:14:04Z\n");
    assert_eq!(k.names("pods").len(), 3);
    assert!(!k.names("pods").contains(&first));

    k.expect(
        "sim advance 0s",
        "",
        "error: sim advance: the duration must be positive (the clock never goes back)\n",
        1,
    );
    k.expect(
        "sim advance",
        "",
        "error: sim advance needs one duration (30s, 2m, 1h30m)\n",
        1,
    );
    k.expect(
        "sim advance 3x",
        "",
        "error: time: unknown unit \"x\" in duration \"3x\"\n",
        1,
    );
    k.expect(
        "--no-settle=maybe get pods",
        "",
        "error: invalid argument \"maybe\" for \"--no-settle\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'kubectl get --help' for usage.\n",
        1,
    );
    k.expect(
        "sim foo",
        "",
        "error: unknown sim command \"foo\": kubectl sim advance DURATION | settle | now | fault (quota N|none | fail-deletes N | lag on|off) | lose-node NAME | events | reset\n",
        1,
    );
    k.expect(
        "sim lose-node node-1 node-2",
        "",
        "error: wrong arguments for sim lose-node: kubectl sim advance DURATION | settle | now | fault (quota N|none | fail-deletes N | lag on|off) | lose-node NAME | events | reset\n",
        1,
    );
    k.expect(
        "sim lose-node node-9",
        "",
        "error: no node \"node-9\" (nodes: node-1, node-2, node-3)\n",
        1,
    );
    assert_eq!(k.ok("sim reset"), "the simulated cluster is empty again\n");
    k.expect(
        "get all",
        "",
        "No resources found in default namespace.\n",
        0,
    );
}

#[test]
fn quota_fault_shows_in_describe() {
    let mut k = Kubectl::new();
    k.ok("apply -f sample-rs.yaml");
    assert_eq!(
        k.ok("sim fault quota 4"),
        "fault quota: at most 4 pods per namespace\n"
    );
    assert_eq!(
        k.ok("scale rs sample-rs --replicas 6"),
        "replicaset.apps/sample-rs scaled\n"
    );
    assert_eq!(
        k.ok("get rs"),
        "NAME        DESIRED   CURRENT   READY   AGE\n\
         sample-rs   6         4         4       10s\n"
    );
    let describe = k.ok("describe rs sample-rs");
    assert!(
        describe.contains("Replicas:     4 current / 6 desired\n"),
        "{describe}"
    );
    assert!(
        describe.contains(
            "Conditions:\n\
             \x20 Type             Status  Reason\n\
             \x20 ----             ------  ------\n\
             \x20 ReplicaFailure   True    FailedCreate\n"
        ),
        "{describe}"
    );
    let failed: Vec<&str> = describe
        .lines()
        .filter(|l| l.contains("FailedCreate  "))
        .collect();
    assert_eq!(failed.len(), 1, "{describe}");
    assert!(
        failed[0].starts_with("  Warning  FailedCreate  "),
        "{}",
        failed[0]
    );
    assert!(
        failed[0].ends_with(
            "replicaset-controller  Error creating: pods \"sample-rs-\" is forbidden: exceeded quota: pod-quota, requested: pods=1, used: pods=4, limited: pods=4"
        ),
        "{}",
        failed[0]
    );
    let events = k.ok("sim events");
    assert!(events.starts_with("LAST SEEN "), "{events}");
    assert!(
        events
            .lines()
            .any(|l| l
                .contains(" Warning   FailedCreate       ReplicaSet/sample-rs   Error creating: ")),
        "{events}"
    );

    // Lifting the quota: the ReplicaSet catches up and the condition goes.
    assert_eq!(k.ok("sim fault quota none"), "fault quota: off\n");
    k.ok("sim settle");
    assert_eq!(
        k.ok("get rs --no-headers")
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>(),
        ["sample-rs", "6", "6", "6"]
    );
    let describe = k.ok("describe rs sample-rs");
    assert!(!describe.contains("ReplicaFailure"), "{describe}");
    k.expect(
        "sim fault quota x",
        "",
        "error: sim fault quota: \"x\" is not a number\n",
        1,
    );
}

// ---------------------------------------------------------------------------------------------
// Command-line errors

#[test]
fn unknown_commands_and_flags() {
    let mut k = Kubectl::new();
    k.expect(
        "gte pods",
        "",
        "error: unknown command \"gte\" for \"kubectl\"\n\nDid you mean this?\n\tget\n",
        1,
    );
    k.expect(
        "frobnicate",
        "",
        "error: unknown command \"frobnicate\" for \"kubectl\"\n",
        1,
    );
    k.expect(
        "logs x",
        "",
        "error: \"kubectl logs\" is not supported by kube-workloads' simulated cluster\n",
        1,
    );
    k.expect(
        "set env deploy/x A=b",
        "",
        "error: \"kubectl set env\" is not supported by kube-workloads' simulated cluster\n",
        1,
    );
    k.expect(
        "get pods --foo",
        "",
        "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n",
        1,
    );
    k.expect(
        "get pods -z",
        "",
        "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n",
        1,
    );
    k.expect(
        "rollout undo deploy/x --to-revision",
        "",
        "error: flag needs an argument: --to-revision\nSee 'kubectl rollout undo --help' for usage.\n",
        1,
    );
    k.expect(
        "rollout history deploy/x --revision=two",
        "",
        "error: invalid argument \"two\" for \"--revision\" flag: strconv.ParseInt: parsing \"two\": invalid syntax\nSee 'kubectl rollout history --help' for usage.\n",
        1,
    );
    k.expect(
        "apply -f sample-pod.yaml --dry-run=client",
        "",
        "error: --dry-run is not supported by kube-workloads' simulated cluster\n",
        1,
    );
    k.expect("apply", "", "error: must specify one of -f and -k\n", 1);
    k.expect(
        "apply -f sample-pod.yaml extra",
        "",
        "error: Unexpected args: [extra]\nSee 'kubectl apply -h' for help and examples\n",
        1,
    );
    k.expect(
        "rollout foo",
        "",
        "error: unknown command \"foo\"\nSee 'kubectl rollout -h' for help and examples\n",
        1,
    );
    // `kubectl rollout` alone prints its help on stdout and exits 1 (DefaultSubCommandRun).
    let out = k.run("rollout");
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.starts_with("Manage the rollout"),
        "{}",
        out.stdout
    );
    assert_eq!(out.stderr, "");
    // Nothing above touched the cluster.
    k.expect(
        "get all",
        "",
        "No resources found in default namespace.\n",
        0,
    );
    let out = k.run("");
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    assert!(
        out.stdout
            .starts_with("kubectl controls the Kubernetes cluster manager.\n")
    );
    // Ignored kubeconfig flags are accepted.
    k.expect(
        "--context kind-kind get pods --kubeconfig /dev/null",
        "",
        "No resources found in default namespace.\n",
        0,
    );
}

#[test]
fn stdin_directories_and_interleaving() {
    let mut k = Kubectl::new();
    k.fs.set_stdin(include_str!("../examples/manifests/sample-pod.yaml"));
    assert_eq!(k.ok("apply -f -"), "pod/sample-pod created\n");
    let mut fs = MemoryFs::default();
    fs.insert(
        "dir/a.yaml",
        include_str!("../examples/manifests/sample-rs.yaml"),
    );
    fs.insert("dir/notes.txt", "not a manifest");
    fs.insert(
        "dir/sub/b.yaml",
        include_str!("../examples/manifests/sample-deployment.yaml"),
    );
    k.fs = fs;
    assert_eq!(k.ok("apply -f dir"), "replicaset.apps/sample-rs created\n");
    assert_eq!(
        k.ok("apply -f dir -R"),
        "replicaset.apps/sample-rs unchanged\ndeployment.apps/sample-deployment created\n"
    );
    // A command's stdout and stderr in the order they were written.
    let out = k.run("apply -f dir --record");
    assert_eq!(
        out.interleaved(),
        [
            (Stream::Stderr, RECORD_WARNING.to_owned()),
            (
                Stream::Stdout,
                "replicaset.apps/sample-rs configured\n".to_owned()
            ),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Sessions: the state file of examples/kubectl

/// A mix of commands: successes, failures, reads of files and standard input, `--no-settle` and
/// `sim` commands.
const SCRIPT: &[&str] = &[
    "apply -f sample-pod.yaml",
    "apply -f sample-2pod.yaml",
    "apply -f sample-deployment.yaml --record",
    "apply -f -",
    "label pod sample-pod tier=web",
    "set image deployment sample-deployment nginx-container=nginx:1.17 --record",
    "rollout status deployment sample-deployment",
    "rollout undo deployment sample-deployment --to-revisino 1",
    "sim fault quota 5",
    "scale deployment sample-deployment --replicas 4 --no-settle",
    "sim advance 10s",
    "sim fault quota none",
    "rollout undo deployment sample-deployment --to-revision 1",
    "get pods",
    "delete pod sample-pod",
    "apply -f nothere.yaml",
    "annotate rs sample-rs note=x",
    "sim settle",
];

fn argv(line: &str) -> Vec<&str> {
    std::iter::once("kubectl")
        .chain(line.split_whitespace())
        .collect()
}

fn session_files() -> MemoryFs {
    let mut fs = files();
    fs.set_stdin(include_str!("../examples/manifests/sample-rs.yaml"));
    fs
}

/// Everything the cluster shows: every kind as YAML, the events, the clock. Read with
/// `--no-settle` so that reading does not change it.
fn snapshot(sh: &mut Shell) -> String {
    let mut fs = MemoryFs::default();
    let mut text = String::new();
    for line in [
        "get pods,rc,deploy,rs -o yaml --no-settle",
        "describe all --no-settle",
        "sim events",
        "sim now",
    ] {
        let out = sh.run(&argv(line), &mut fs);
        assert_eq!(out.code, 0, "{line}: {}", out.stderr);
        text.push_str(&out.stdout);
    }
    text
}

#[test]
fn session_replays_to_the_same_cluster() {
    let mut fs = session_files();
    let mut session = Session::new(Config::default().seed);
    let mut shell = Shell::new(session.config());
    let mut outputs = Vec::new();
    for line in SCRIPT {
        outputs.push(session.run(&mut shell, &argv(line), &mut fs));
    }
    assert_eq!(session.commands.len(), SCRIPT.len());
    // The recording holds what was read: the files, standard input, the missing file.
    assert_eq!(session.commands[0].io.len(), 1);
    assert!(session.commands[4].io.is_empty());
    assert!(outputs[1].code == 1 && outputs[7].code == 1 && outputs[15].code == 1);
    assert_eq!(outputs[16].code, 0, "{}", outputs[16].stderr);

    let mut replayed = session.replay().unwrap();
    let before = snapshot(&mut shell);
    assert!(before.contains("\n    name: sample-rs\n"), "{before}");
    assert!(before.contains("\n      note: x\n"), "{before}");
    assert!(before.contains("Killing  "), "{before}");
    assert_eq!(snapshot(&mut replayed), before);

    // The replayed shell goes on exactly as the original does.
    for line in [
        "rollout history deploy/sample-deployment",
        "get all",
        "sim now",
    ] {
        assert_eq!(
            replayed.run(&argv(line), &mut fs),
            shell.run(&argv(line), &mut fs),
            "{line}"
        );
    }
}

#[test]
fn session_state_file_round_trip() {
    // What examples/kubectl does on every invocation: read the state, replay it, run one
    // command, write the state back. The outputs match one long-lived shell's.
    let mut fs = session_files();
    let mut live = Shell::new(Config::default());
    let mut state: Option<String> = None;
    for line in SCRIPT {
        let mut session = match &state {
            Some(text) => Session::from_yaml(text).unwrap(),
            None => Session::default(),
        };
        let mut shell = session.replay().unwrap();
        let out = session.run(&mut shell, &argv(line), &mut fs);
        assert_eq!(out, live.run(&argv(line), &mut fs), "{line}");
        let text = session.to_yaml().unwrap();
        assert!(text.starts_with("# kube-workloads: a simulated cluster"));
        assert_eq!(Session::from_yaml(&text).unwrap(), session);
        state = Some(text);
    }
    let session = Session::from_yaml(state.as_deref().unwrap()).unwrap();
    assert_eq!(session.commands.len(), SCRIPT.len());
    let mut replayed = session.replay().unwrap();
    assert_eq!(snapshot(&mut replayed), snapshot(&mut live));

    // A session written by another version is refused.
    let mut other = session.clone();
    other.version = "0.0.0-other".to_owned();
    let text = other.to_yaml().unwrap();
    assert!(matches!(
        Session::from_yaml(&text).unwrap().replay(),
        Err(SessionError::Version { .. })
    ));
    // So is one whose commands no longer read what was recorded.
    let mut edited = session.clone();
    edited.commands[0].argv = ["kubectl", "apply", "-f", "sample-rs.yaml"]
        .map(str::to_owned)
        .to_vec();
    let err = edited.replay().err().unwrap();
    assert_eq!(
        err.to_string(),
        "command 1 of the session does not replay: it reads \"sample-rs.yaml\""
    );
    assert!(matches!(
        Session::from_yaml("not: [a session"),
        Err(SessionError::Syntax(_))
    ));

    // `sim reset` starts the session over.
    let mut session = session;
    let mut shell = session.replay().unwrap();
    let out = session.run(&mut shell, &argv("sim reset"), &mut fs);
    assert_eq!(out.stdout, "the simulated cluster is empty again\n");
    assert!(session.commands.is_empty());
    let out = session.run(&mut shell, &argv("get all"), &mut fs);
    assert_eq!(out.stderr, "No resources found in default namespace.\n");
    assert_eq!(session.commands.len(), 1);
}
