//! kubectl's own test tables (status viewer, history, undo, set image, change cause) and the
//! book's commands, run against the pure kubectl operations.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kube_workloads::api::{
    ConditionStatus, DeploymentCondition, DeploymentConditionType, PodTemplateSpec,
};
use kube_workloads::deployment::{self, Action};
use kube_workloads::kubectl::{
    self, ApplyOutcome, ApplyRequest, HistoryError, Object, RolloutError, RolloutStatus,
    ScaleError, ScaleRequest, SetImage, SetImageError, SetImageFlags, SetImageProblem, StatusError,
    UndoError, UndoOutcome,
};
use kube_workloads::meta::OwnerReference;
use kube_workloads::{Container, Deployment, LabelSelector, ReplicaSet, Time};

fn now() -> Time {
    Time::parse_rfc3339("2024-05-01T12:00:00Z").unwrap()
}

fn labels(pairs: &[(&str, &str)]) -> kube_workloads::meta::Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn template(image: &str) -> PodTemplateSpec {
    let mut t = PodTemplateSpec::default();
    t.metadata.labels = labels(&[("foo", "bar")]);
    t.spec.containers.push(Container {
        name: "test".into(),
        image: image.into(),
        ..Default::default()
    });
    t
}

/// TestViewDeploymentHistory's fixture: Deployment `moons` and ReplicaSets `moons-1`..`moons-4`
/// with revisions 1..4, images `foo:1`..`foo:4`, change causes on 3 and 4.
fn moons() -> (Deployment, Vec<ReplicaSet>) {
    let mut d = Deployment::default();
    d.metadata.name = "moons".into();
    d.metadata.namespace = "default".into();
    d.metadata.uid = "fc7e66ad-eacc-4413-8277-e22276eacce6".into();
    d.metadata.labels = labels(&[("foo", "bar")]);
    d.spec.selector = Some(LabelSelector::from_labels([("foo", "bar")]));
    d.spec.replicas = Some(1);
    d.spec.template = template("foo:1");
    let mut rss = Vec::new();
    for i in 1..5 {
        let mut rs = ReplicaSet::default();
        rs.metadata.name = format!("moons-{i}");
        rs.metadata.namespace = "default".into();
        rs.metadata.uid = format!("00000000-0000-0000-0000-00000000000{i}");
        rs.metadata.labels = labels(&[("foo", "bar")]);
        rs.metadata.owner_references.push(OwnerReference {
            api_version: "apps/v1".into(),
            kind: "Deployment".into(),
            name: "moons".into(),
            uid: d.metadata.uid.clone(),
            controller: Some(true),
            ..Default::default()
        });
        rs.metadata
            .annotations
            .insert("deployment.kubernetes.io/revision".into(), i.to_string());
        if i == 3 {
            rs.metadata.annotations.insert(
                "kubernetes.io/change-cause".into(),
                "foo change cause".into(),
            );
        } else if i == 4 {
            rs.metadata.annotations.insert(
                "kubernetes.io/change-cause".into(),
                "bar change cause".into(),
            );
        }
        rs.spec.selector = Some(LabelSelector::from_labels([("foo", "bar")]));
        rs.spec.replicas = Some(1);
        rs.spec.template = template(&format!("foo:{i}"));
        rss.push(rs);
    }
    (d, rss)
}

// ---------------------------------------------------------------- rollout status

#[test]
fn status_viewer_table() {
    // TestDeploymentStatusViewerStatus: generation, spec.replicas, (obsGen, replicas, updated,
    // available, unavailable), message, done.
    let cases: &[(i64, i32, [i32; 5], &str, bool)] = &[
        (
            0,
            1,
            [1, 1, 0, 1, 0],
            "Waiting for deployment \"foo\" rollout to finish: 0 out of 1 new replicas have been updated...\n",
            false,
        ),
        (
            1,
            1,
            [1, 2, 1, 2, 0],
            "Waiting for deployment \"foo\" rollout to finish: 1 old replicas are pending termination...\n",
            false,
        ),
        (
            1,
            2,
            [1, 2, 2, 1, 1],
            "Waiting for deployment \"foo\" rollout to finish: 1 of 2 updated replicas are available...\n",
            false,
        ),
        (
            1,
            2,
            [1, 2, 2, 2, 0],
            "deployment \"foo\" successfully rolled out\n",
            true,
        ),
        (
            2,
            2,
            [1, 2, 2, 2, 0],
            "Waiting for deployment spec update to be observed...\n",
            false,
        ),
    ];
    for (generation, replicas, s, msg, done) in cases {
        let mut d = Deployment::default();
        d.metadata.name = "foo".into();
        d.metadata.namespace = "bar".into();
        d.metadata.generation = *generation;
        d.spec.replicas = Some(*replicas);
        d.status.observed_generation = i64::from(s[0]);
        d.status.replicas = s[1];
        d.status.updated_replicas = s[2];
        d.status.available_replicas = s[3];
        d.status.unavailable_replicas = s[4];
        let got = kubectl::status(&Object::Deployment(d), 0).unwrap();
        assert_eq!(got.message(), *msg);
        assert_eq!(got.is_done(), *done, "{msg}");
    }
}

#[test]
fn status_viewer_errors() {
    let mut d = Deployment::default();
    d.metadata.name = "foo".into();
    d.metadata.generation = 1;
    d.status.observed_generation = 1;
    d.status.conditions.push(DeploymentCondition {
        type_: DeploymentConditionType::Progressing,
        status: ConditionStatus::False,
        reason: "ProgressDeadlineExceeded".into(),
        ..Default::default()
    });
    let obj = Object::Deployment(d.clone());
    assert_eq!(
        kubectl::status(&obj, 0).unwrap_err().to_string(),
        "deployment \"foo\" exceeded its progress deadline"
    );
    d.metadata
        .annotations
        .insert("deployment.kubernetes.io/revision".into(), "2".into());
    assert_eq!(
        kubectl::status(&Object::Deployment(d.clone()), 3).unwrap_err(),
        StatusError::RevisionMismatch {
            desired: 3,
            running: 2
        }
    );
    assert_eq!(
        kubectl::status(&Object::Deployment(d.clone()), 3)
            .unwrap_err()
            .to_string(),
        "desired revision (3) is different from the running revision (2)"
    );
    d.metadata
        .annotations
        .insert("deployment.kubernetes.io/revision".into(), "x".into());
    assert_eq!(
        kubectl::status(&Object::Deployment(d), 1)
            .unwrap_err()
            .to_string(),
        "cannot get the revision of deployment \"foo\": strconv.ParseInt: parsing \"x\": invalid syntax"
    );
    let (_, rss) = moons();
    assert_eq!(
        kubectl::status(&Object::ReplicaSet(rss[0].clone()), 0)
            .unwrap_err()
            .to_string(),
        "no status viewer has been implemented for ReplicaSet.apps"
    );
    assert!(matches!(
        kubectl::status(&Object::Deployment(Deployment::default()), 0).unwrap(),
        RolloutStatus::Done(_)
    ));
}

// ---------------------------------------------------------------- rollout history

#[test]
fn history_table_and_revision_detail() {
    let (d, rss) = moons();
    let obj = Object::Deployment(d);
    assert_eq!(
        kubectl::view_history(&obj, &rss, 0).unwrap(),
        "REVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n3         foo change cause\n4         bar change cause\n"
    );
    assert_eq!(
        kubectl::view_history(&obj, &rss, 3).unwrap(),
        "Pod Template:\n  Labels:\tfoo=bar\n  Annotations:\tkubernetes.io/change-cause: foo change cause\n  Containers:\n   test:\n    Image:\tfoo:3\n    Port:\t<none>\n    Host Port:\t<none>\n    Environment:\t<none>\n    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n"
    );
    // The command output: name printer with a trailing space, and a final blank line.
    assert_eq!(
        kubectl::history(&obj, &rss, 0).unwrap(),
        "deployment.apps/moons \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n3         foo change cause\n4         bar change cause\n\n"
    );
    assert!(
        kubectl::history(&obj, &rss, 2)
            .unwrap()
            .starts_with("deployment.apps/moons with revision #2\nPod Template:\n")
    );
}

#[test]
fn history_errors_and_empty_history() {
    let (d, rss) = moons();
    let obj = Object::Deployment(d);
    assert_eq!(
        kubectl::history(&obj, &rss, 7).unwrap_err(),
        HistoryError::RevisionNotFound
    );
    assert_eq!(
        kubectl::history(&obj, &rss, 7).unwrap_err().to_string(),
        "unable to find the specified revision"
    );
    assert_eq!(
        kubectl::history(&obj, &rss, -1).unwrap_err().to_string(),
        "revision must be a positive integer: -1"
    );
    assert_eq!(
        kubectl::history(&obj, &[], 0).unwrap(),
        "deployment.apps/moons \nNo rollout history found.\n"
    );
    assert_eq!(
        kubectl::history(&Object::ReplicaSet(rss[0].clone()), &rss, 0)
            .unwrap_err()
            .to_string(),
        "no history viewer has been implemented for \"ReplicaSet.apps\""
    );
    // A ReplicaSet of another owner is not part of the history.
    let mut foreign = rss.clone();
    foreign[3].metadata.owner_references[0].uid = "other".into();
    assert!(
        !kubectl::view_history(&obj, &foreign, 0)
            .unwrap()
            .contains("bar change cause")
    );
}

// ---------------------------------------------------------------- rollout undo

#[test]
fn get_deployment_patch_content() {
    // TestGetDeploymentPatch.
    let mut t = PodTemplateSpec::default();
    t.spec.containers.push(Container {
        image: "foo".into(),
        ..Default::default()
    });
    let patch = kubectl::rollout::deployment_patch(&t, &labels(&[("a", "true")]));
    assert_eq!(
        patch,
        r#"[{"op":"replace","path":"/spec/template","value":{"metadata":{"creationTimestamp":null},"spec":{"containers":[{"name":"","image":"foo","resources":{}}]}}},{"op":"replace","path":"/metadata/annotations","value":{"a":"true"}}]"#
    );
}

#[test]
fn undo_picks_the_second_highest_revision_and_restores_annotations() {
    let (mut d, rss) = moons();
    d.spec.template = template("foo:4");
    d.metadata
        .annotations
        .insert("deployment.kubernetes.io/revision".into(), "4".into());
    d.metadata.annotations.insert(
        "kubernetes.io/change-cause".into(),
        "bar change cause".into(),
    );
    d.metadata.generation = 5;
    let obj = Object::Deployment(d);
    let UndoOutcome::RolledBack {
        deployment,
        patch,
        output,
    } = kubectl::undo(&obj, &rss, 0).unwrap()
    else {
        panic!("expected a rollback");
    };
    assert_eq!(output, "deployment.apps/moons rolled back\n");
    assert_eq!(deployment.spec.template.spec.containers[0].image, "foo:3");
    assert_eq!(deployment.metadata.generation, 6);
    // The skip-list annotations come from the Deployment, the others from the ReplicaSet.
    assert_eq!(
        deployment.metadata.annotations,
        labels(&[
            ("deployment.kubernetes.io/revision", "4"),
            ("kubernetes.io/change-cause", "foo change cause"),
        ])
    );
    assert!(patch.contains(r#""image":"foo:3""#), "{patch}");
    assert!(patch.ends_with(r#"{"op":"replace","path":"/metadata/annotations","value":{"deployment.kubernetes.io/revision":"4","kubernetes.io/change-cause":"foo change cause"}}]"#), "{patch}");

    // --to-revision 2.
    let UndoOutcome::RolledBack { deployment, .. } = kubectl::undo(&obj, &rss, 2).unwrap() else {
        panic!("expected a rollback");
    };
    assert_eq!(deployment.spec.template.spec.containers[0].image, "foo:2");
    assert!(
        !deployment
            .metadata
            .annotations
            .contains_key("kubernetes.io/change-cause")
    );
}

#[test]
fn undo_skips_when_the_template_matches_and_prints_the_requested_revision() {
    let (mut d, rss) = moons();
    d.spec.template = template("foo:3");
    let obj = Object::Deployment(d);
    // Plain undo targets revision 3 (second highest): the message says 0, as kubectl does.
    assert_eq!(
        kubectl::undo(&obj, &rss, 0).unwrap(),
        UndoOutcome::Skipped {
            output: "deployment.apps/moons skipped rollback (current template already matches revision 0)\n".into()
        }
    );
    assert_eq!(
        kubectl::undo(&obj, &rss, 3).unwrap(),
        UndoOutcome::Skipped {
            output: "deployment.apps/moons skipped rollback (current template already matches revision 3)\n".into()
        }
    );
}

#[test]
fn undo_errors() {
    let (mut d, rss) = moons();
    let obj = Object::Deployment(d.clone());
    assert_eq!(
        kubectl::undo(&obj, &rss, 9).unwrap_err().to_string(),
        "unable to find specified revision 9 in history"
    );
    assert_eq!(
        kubectl::undo(&obj, &rss, -2).unwrap_err().to_string(),
        "unable to find specified revision -2 in history"
    );
    assert_eq!(
        kubectl::undo(&obj, &rss[..1], 0).unwrap_err(),
        UndoError::NoHistory {
            name: "moons".into()
        }
    );
    assert_eq!(
        kubectl::undo(&obj, &rss[..1], 0).unwrap_err().to_string(),
        "no rollout history found for deployment \"moons\""
    );
    d.spec.paused = true;
    assert_eq!(
        kubectl::undo(&Object::Deployment(d), &rss, 0)
            .unwrap_err()
            .to_string(),
        "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"
    );
    assert_eq!(
        kubectl::error_output(
            &kubectl::undo(&Object::ReplicaSet(rss[0].clone()), &rss, 0).unwrap_err()
        ),
        "error: no rollbacker has been implemented for \"ReplicaSet.apps\"\n"
    );
}

#[test]
fn undo_with_two_top_revisions_takes_the_later_one_as_previous() {
    let (mut d, mut rss) = moons();
    d.spec.template = template("foo:9");
    rss.truncate(2);
    // Both ReplicaSets claim revision 2: the second one read becomes "previous".
    rss[0]
        .metadata
        .annotations
        .insert("deployment.kubernetes.io/revision".into(), "2".into());
    let UndoOutcome::RolledBack { deployment, .. } =
        kubectl::undo(&Object::Deployment(d), &rss, 0).unwrap()
    else {
        panic!("expected a rollback");
    };
    assert_eq!(deployment.spec.template.spec.containers[0].image, "foo:2");
}

// ---------------------------------------------------------------- set image

#[test]
fn set_image_validation_table() {
    // TestSetImageValidation.
    let no_files = SetImageFlags::default();
    let files = SetImageFlags {
        filenames: vec!["testFile".into()],
        ..Default::default()
    };
    assert_eq!(
        SetImage::parse(&[], &no_files).unwrap_err().to_string(),
        "[one or more resources must be specified as <resource> <name> or <resource>/<name>, at least one image update is required]"
    );
    assert_eq!(
        SetImage::parse(&["a", "b", "c"], &files)
            .unwrap_err()
            .to_string(),
        "at least one image update is required"
    );
    assert_eq!(
        SetImage::parse(&["a", "b", "c", "test=test", "*=test"], &files)
            .unwrap_err()
            .to_string(),
        "all containers are already specified by *, but saw more than one container_name=container_image pairs"
    );
    assert!(SetImage::parse(&["a", "b", "c", "test=test"], &files).is_ok());
    let both = SetImageFlags {
        all: true,
        selector: "app=x".into(),
        local: true,
        dry_run_server: true,
        ..Default::default()
    };
    assert_eq!(
        SetImage::parse(&["deploy/x", "a=b"], &both).unwrap_err(),
        SetImageError::Invalid(vec![
            SetImageProblem::AllAndSelector,
            SetImageProblem::LocalWithServerDryRun
        ])
    );
}

#[test]
fn set_image_argument_parsing() {
    let f = SetImageFlags::default();
    let ok = SetImage::parse(
        &[
            "deployment",
            "nginx",
            "nginx=nginx:1.17",
            "x=y",
            "nginx=nginx:1.18",
        ],
        &f,
    )
    .unwrap();
    assert_eq!(ok.resources, ["deployment", "nginx"]);
    assert_eq!(
        ok.images,
        [
            ("nginx".to_owned(), "nginx:1.18".to_owned()),
            ("x".to_owned(), "y".to_owned())
        ]
    );
    assert_eq!(
        SetImage::parse(&["deployment/nginx", "a=b", "pod/x"], &f)
            .unwrap_err()
            .to_string(),
        "all resources must be specified before image changes: pod/x"
    );
    assert_eq!(
        SetImage::parse(&["deployment/nginx", "a=b", "c-", "d-"], &f)
            .unwrap_err()
            .to_string(),
        "invalid image format: c-, d-"
    );
    // "=x" is not a pair, so it is a resource.
    assert_eq!(
        SetImage::parse(&["=x", "a=b"], &f).unwrap().resources,
        ["=x"]
    );
}

fn sample_deployment() -> Deployment {
    serde_yaml::from_str(
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: sample-deployment, namespace: default, uid: d-1, generation: 3}
spec:
  replicas: 3
  selector: {matchLabels: {app: sample-app}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
  revisionHistoryLimit: 10
  progressDeadlineSeconds: 600
  template:
    metadata: {labels: {app: sample-app}}
    spec:
      initContainers: [{name: init, image: "busybox"}]
      containers: [{name: nginx-container, image: "nginx:1.16"}]
"#,
    )
    .unwrap()
}

#[test]
fn set_image_updates_containers_and_init_containers() {
    let obj = Object::Deployment(sample_deployment());
    let f = SetImageFlags::default();
    let all = SetImage::parse(&["deployment/sample-deployment", "*=thingy"], &f).unwrap();
    let out = all.run(&obj, None).unwrap();
    let Object::Deployment(d) = &out.object else {
        panic!()
    };
    assert_eq!(d.spec.template.spec.containers[0].image, "thingy");
    assert_eq!(d.spec.template.spec.init_containers[0].image, "thingy");
    assert_eq!(d.metadata.generation, 4);
    assert_eq!(
        out.output.as_deref(),
        Some("deployment.apps/sample-deployment image updated\n")
    );

    let init = SetImage::parse(&["deployment/sample-deployment", "init=busybox:2"], &f).unwrap();
    let out = init.run(&obj, None).unwrap();
    let Object::Deployment(d) = &out.object else {
        panic!()
    };
    assert_eq!(d.spec.template.spec.init_containers[0].image, "busybox:2");
    assert_eq!(d.spec.template.spec.containers[0].image, "nginx:1.16");
}

#[test]
fn set_image_reports_unknown_containers_and_prints_nothing_when_unchanged() {
    let obj = Object::Deployment(sample_deployment());
    let f = SetImageFlags::default();
    let same = SetImage::parse(
        &["deployment/sample-deployment", "nginx-container=nginx:1.16"],
        &f,
    )
    .unwrap();
    let out = same.run(&obj, None).unwrap();
    assert!(!out.changed);
    assert_eq!(out.output, None);
    assert_eq!(out.object, obj);

    let missing = SetImage::parse(
        &[
            "deployment/sample-deployment",
            "nope=x",
            "nginx-container=nginx:1.17",
        ],
        &f,
    )
    .unwrap();
    let out = missing.run(&obj, None).unwrap();
    assert!(out.changed);
    assert_eq!(
        out.errors,
        [SetImageError::ContainerNotFound {
            name: "nope".into()
        }]
    );
    assert_eq!(
        kubectl::error_output(&out.errors[0]),
        "error: unable to find container named \"nope\"\n"
    );

    let only_missing = SetImage::parse(&["deployment/sample-deployment", "nope=x"], &f).unwrap();
    let out = only_missing.run(&obj, None).unwrap();
    assert!(!out.changed && out.output.is_none() && out.errors.len() == 1);
}

#[test]
fn set_image_record_writes_the_change_cause() {
    let obj = Object::Deployment(sample_deployment());
    let argv = [
        "kubectl",
        "set",
        "image",
        "deployment",
        "sample-deployment",
        "nginx-container=nginx:1.17",
        "--record",
    ];
    let cause = kubectl::change_cause(&argv, &kubectl::record::command_flags("set image").unwrap());
    assert_eq!(
        cause,
        "kubectl set image deployment sample-deployment nginx-container=nginx:1.17 --record=true"
    );
    let args = SetImage::parse(&argv[3..6], &SetImageFlags::default()).unwrap();
    let out = args.run(&obj, Some(&cause)).unwrap();
    assert_eq!(
        out.object.metadata().unwrap().annotations["kubernetes.io/change-cause"],
        cause
    );
    // Running the same command again changes nothing, so kubectl prints nothing.
    let again = args.run(&out.object, Some(&cause)).unwrap();
    assert!(!again.changed && again.output.is_none());
}

// ---------------------------------------------------------------- scale, pause, resume, restart

#[test]
fn scale_writes_replicas_and_checks_preconditions() {
    let obj = Object::Deployment(sample_deployment());
    let (scaled, line) = kubectl::scale(&obj, &ScaleRequest::to(5)).unwrap();
    assert_eq!(line, "deployment.apps/sample-deployment scaled\n");
    let Object::Deployment(d) = &scaled else {
        panic!()
    };
    assert_eq!((d.spec.replicas, d.metadata.generation), (Some(5), 4));
    let (same, line) = kubectl::scale(&obj, &ScaleRequest::to(3)).unwrap();
    assert_eq!(same, obj);
    assert_eq!(line, "deployment.apps/sample-deployment scaled\n");
    let cases: &[(ScaleRequest, &str)] = &[
        (
            ScaleRequest {
                replicas: None,
                current_replicas: -1,
                resource_version: None,
            },
            "required flag(s) \"replicas\" not set",
        ),
        (
            ScaleRequest::to(-1),
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        ),
        (
            ScaleRequest {
                replicas: Some(1),
                current_replicas: -2,
                resource_version: None,
            },
            "The --current-replicas must specify an integer of -1 or greater",
        ),
        (
            ScaleRequest {
                replicas: Some(1),
                current_replicas: 2,
                resource_version: None,
            },
            "Expected replicas to be 2, was 3",
        ),
        (
            ScaleRequest {
                replicas: Some(1),
                current_replicas: -1,
                resource_version: Some("7".into()),
            },
            "Expected resource version to be 7, was ",
        ),
    ];
    for (req, msg) in cases {
        assert_eq!(kubectl::scale(&obj, req).unwrap_err().to_string(), *msg);
    }
    assert!(matches!(
        kubectl::scale(&Object::Pod(Default::default()), &ScaleRequest::to(1)),
        Err(ScaleError::NotScalable { .. })
    ));
}

#[test]
fn pause_resume_restart() {
    let obj = Object::Deployment(sample_deployment());
    let (paused, line) = kubectl::pause(&obj).unwrap();
    assert_eq!(line, "deployment.apps/sample-deployment paused\n");
    assert_eq!(paused.metadata().unwrap().generation, 4);
    assert_eq!(
        kubectl::error_output(&kubectl::pause(&paused).unwrap_err()),
        "error: deployments.apps \"sample-deployment\" is already paused\n"
    );
    assert_eq!(
        kubectl::restart(&paused, now()).unwrap_err().to_string(),
        "error: deployments.apps \"sample-deployment\" can't restart paused deployment (run rollout resume first)"
    );
    let (resumed, line) = kubectl::resume(&paused).unwrap();
    assert_eq!(line, "deployment.apps/sample-deployment resumed\n");
    assert_eq!(
        kubectl::resume(&resumed).unwrap_err(),
        RolloutError::NotPaused {
            resource: "deployments.apps".into(),
            name: "sample-deployment".into()
        }
    );
    let (restarted, line) = kubectl::restart(&resumed, now()).unwrap();
    assert_eq!(line, "deployment.apps/sample-deployment restarted\n");
    let Object::Deployment(d) = &restarted else {
        panic!()
    };
    assert_eq!(
        d.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"],
        "2024-05-01T12:00:00Z"
    );
    assert_eq!(
        kubectl::restart(&restarted, now()).unwrap_err().to_string(),
        "failed to create patch for sample-deployment: if restart has already been triggered within the past second, please wait before attempting to trigger another"
    );
    let rs = Object::ReplicaSet(ReplicaSet::default());
    assert_eq!(
        kubectl::pause(&rs).unwrap_err().to_string(),
        "error: replicasets.apps \"\" pausing is not supported"
    );
}

// ---------------------------------------------------------------- apply

const SAMPLE_DEPLOYMENT: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: sample-deployment
spec:
  replicas: 3
  selector:
    matchLabels:
      app: sample-app
  template:
    metadata:
      labels:
        app: sample-app
    spec:
      containers:
      - name: nginx-container
        image: nginx:1.16
"#;

fn req<'a>(rv: &'a str, cause: Option<&'a str>) -> ApplyRequest<'a> {
    ApplyRequest {
        namespace: "default",
        uid: "uid-1",
        resource_version: rv,
        change_cause: cause,
        now: now(),
    }
}

#[test]
fn apply_creates_configures_and_leaves_unchanged() {
    let manifest: Deployment = serde_yaml::from_str(SAMPLE_DEPLOYMENT).unwrap();
    let argv = [
        "kubectl",
        "apply",
        "-f",
        "sample-deployment.yaml",
        "--record",
    ];
    let cause = kubectl::change_cause(&argv, &kubectl::record::command_flags("apply").unwrap());
    assert_eq!(
        cause,
        "kubectl apply --filename=sample-deployment.yaml --record=true"
    );
    let created = kubectl::apply(
        &Object::Deployment(manifest.clone()),
        None,
        &req("1", Some(&cause)),
    )
    .unwrap();
    assert_eq!(created.outcome, ApplyOutcome::Created);
    assert_eq!(
        created.output,
        "deployment.apps/sample-deployment created\n"
    );
    let m = created.object.metadata().unwrap();
    assert_eq!(
        (m.uid.as_str(), m.generation, m.resource_version.as_str()),
        ("uid-1", 1, "1")
    );
    assert_eq!(m.creation_timestamp, Some(now()));
    assert_eq!(
        m.annotations["kubectl.kubernetes.io/last-applied-configuration"],
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{\"kubernetes.io/change-cause\":\"kubectl apply --filename=sample-deployment.yaml --record=true\"},\"name\":\"sample-deployment\",\"namespace\":\"default\"},\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"sample-app\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"sample-app\"}},\"spec\":{\"containers\":[{\"image\":\"nginx:1.16\",\"name\":\"nginx-container\"}]}}}}\n"
    );

    // The controller writes status and a revision annotation; applying the same file again
    // changes nothing.
    let mut stored = created.object.clone();
    if let Object::Deployment(d) = &mut stored {
        d.status.replicas = 3;
        d.metadata
            .annotations
            .insert("deployment.kubernetes.io/revision".into(), "1".into());
    }
    let again = kubectl::apply(
        &Object::Deployment(manifest.clone()),
        Some(&stored),
        &req("2", Some(&cause)),
    )
    .unwrap();
    assert_eq!(again.outcome, ApplyOutcome::Unchanged);
    assert_eq!(
        again.output,
        "deployment.apps/sample-deployment unchanged\n"
    );
    assert_eq!(again.object, stored);

    // A new image configures it: generation bumps, status and foreign annotations stay.
    let mut changed = manifest.clone();
    changed.spec.template.spec.containers[0].image = "nginx:1.17".into();
    let configured =
        kubectl::apply(&Object::Deployment(changed), Some(&stored), &req("3", None)).unwrap();
    assert_eq!(configured.outcome, ApplyOutcome::Configured);
    assert_eq!(
        configured.output,
        "deployment.apps/sample-deployment configured\n"
    );
    let Object::Deployment(d) = &configured.object else {
        panic!()
    };
    assert_eq!(d.spec.template.spec.containers[0].image, "nginx:1.17");
    assert_eq!((d.metadata.generation, d.status.replicas), (2, 3));
    assert_eq!(
        d.metadata.annotations["deployment.kubernetes.io/revision"],
        "1"
    );
    // Applied without --record: the change cause it applied before is removed.
    assert!(
        !d.metadata
            .annotations
            .contains_key("kubernetes.io/change-cause")
    );
    assert_eq!(d.metadata.resource_version, "3");
}

#[test]
fn apply_refuses_a_selector_change_and_a_foreign_namespace() {
    let manifest: Deployment = serde_yaml::from_str(SAMPLE_DEPLOYMENT).unwrap();
    let created =
        kubectl::apply(&Object::Deployment(manifest.clone()), None, &req("1", None)).unwrap();
    let mut other = manifest.clone();
    other.spec.selector = Some(LabelSelector::from_labels([("app", "other")]));
    other.spec.template.metadata.labels = labels(&[("app", "other")]);
    let err = kubectl::apply(
        &Object::Deployment(other),
        Some(&created.object),
        &req("2", None),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "The Deployment \"sample-deployment\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"other\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
    );
    let mut foreign = manifest;
    foreign.metadata.namespace = "prod".into();
    assert_eq!(
        kubectl::apply(&Object::Deployment(foreign), None, &req("1", None))
            .unwrap_err()
            .to_string(),
        "the namespace from the provided object \"prod\" does not match the namespace \"default\". You must pass '--namespace=prod' to perform this operation."
    );
}

#[test]
fn apply_pod_and_replica_set_lines() {
    let pod: kube_workloads::Pod = serde_yaml::from_str(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: sample-pod}\nspec: {containers: [{name: nginx-container, image: \"nginx:1.16\"}]}\n",
    )
    .unwrap();
    let out = kubectl::apply(&Object::Pod(pod), None, &req("1", None)).unwrap();
    assert_eq!(out.output, "pod/sample-pod created\n");
    let Object::Pod(p) = &out.object else {
        panic!()
    };
    assert_eq!(p.status.phase.as_str(), "Pending");
    assert_eq!(p.metadata.generation, 0);
    let rs: ReplicaSet = serde_yaml::from_str(
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: sample-rs}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: sample-app}}\n  template:\n    metadata: {labels: {app: sample-app}}\n    spec: {containers: [{name: nginx-container, image: \"nginx:1.16\"}]}\n",
    )
    .unwrap();
    let created = kubectl::apply(&Object::ReplicaSet(rs.clone()), None, &req("1", None)).unwrap();
    let mut bigger = rs;
    bigger.spec.replicas = Some(5);
    let out = kubectl::apply(
        &Object::ReplicaSet(bigger),
        Some(&created.object),
        &req("2", None),
    )
    .unwrap();
    assert_eq!(out.output, "replicaset.apps/sample-rs configured\n");
    assert_eq!(out.object.metadata().unwrap().generation, 2);
}

// ---------------------------------------------------------------- undo, then the controller

fn reconcile_into(d: &mut Deployment, rss: &mut Vec<ReplicaSet>, at: Time) {
    let plan = deployment::reconcile(d, &deployment::Observed::new(rss), at).unwrap();
    for a in &plan.actions {
        match a {
            Action::CreateReplicaSet(rs) => {
                let mut rs = rs.clone();
                rs.metadata.uid = format!("rs-uid-{}", rss.len() + 1);
                rs.metadata.creation_timestamp = Some(at);
                rss.push(rs);
            }
            Action::UpdateReplicaSet(new) => {
                let old = rss
                    .iter_mut()
                    .find(|r| r.metadata.name == new.metadata.name)
                    .unwrap();
                old.spec = new.spec.clone();
                old.metadata.annotations = new.metadata.annotations.clone();
            }
            Action::UpdateDeploymentStatus(s) => {
                d.status = s.status.clone();
                d.metadata.annotations = s.annotations.clone();
            }
            _ => {}
        }
    }
}

#[test]
fn after_undo_the_controller_reuses_the_old_replica_set_with_revision_max_plus_one() {
    let mut d = sample_deployment();
    d.spec.template.spec.init_containers.clear();
    let mut rss: Vec<ReplicaSet> = Vec::new();
    reconcile_into(&mut d, &mut rss, now());
    assert_eq!(rss.len(), 1);
    // set image nginx:1.17 → revision 2.
    let args = SetImage::parse(
        &["deployment/sample-deployment", "nginx-container=nginx:1.17"],
        &SetImageFlags::default(),
    )
    .unwrap();
    let Object::Deployment(next) = args
        .run(&Object::Deployment(d.clone()), None)
        .unwrap()
        .object
    else {
        panic!()
    };
    d = next;
    reconcile_into(&mut d, &mut rss, now().add_seconds(10));
    assert_eq!(rss.len(), 2);
    let first = rss[0].metadata.name.clone();
    // rollout undo → back to the first template; the next reconcile adopts the first
    // ReplicaSet as new and gives it revision 3, keeping 1 in its revision history.
    let UndoOutcome::RolledBack { deployment, .. } =
        kubectl::undo(&Object::Deployment(d.clone()), &rss, 0).unwrap()
    else {
        panic!()
    };
    d = *deployment;
    reconcile_into(&mut d, &mut rss, now().add_seconds(20));
    assert_eq!(rss.len(), 2, "no new ReplicaSet");
    let reused = rss.iter().find(|r| r.metadata.name == first).unwrap();
    assert_eq!(
        reused.metadata.annotations["deployment.kubernetes.io/revision"],
        "3"
    );
    assert_eq!(
        reused.metadata.annotations["deployment.kubernetes.io/revision-history"],
        "1"
    );
    let out = kubectl::history(&Object::Deployment(d.clone()), &rss, 0).unwrap();
    assert_eq!(
        out,
        "deployment.apps/sample-deployment \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
    );
}

#[test]
fn apply_passes_other_kinds_through() {
    use kube_workloads::kubectl::{ApplyOutcome, ApplyRequest, apply};
    let svc = kube_workloads::manifest::decode_objects(
        "apiVersion: v1\nkind: Service\nmetadata: {name: frontend}\nspec: {ports: [{port: 80}]}\n",
    )
    .unwrap()
    .remove(0);
    let req = ApplyRequest {
        namespace: "default",
        uid: "uid-svc",
        resource_version: "1",
        change_cause: None,
        now: kube_workloads::Time::from_unix(1_700_000_000),
    };
    let created = apply(&svc, None, &req).unwrap();
    assert_eq!(created.outcome, ApplyOutcome::Created);
    assert_eq!(created.output, "service/frontend created\n");
    let again = apply(&svc, Some(&created.object), &req).unwrap();
    assert_eq!(again.outcome, ApplyOutcome::Unchanged);
    assert_eq!(again.output, "service/frontend unchanged\n");
    let ing = kube_workloads::manifest::decode_objects(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n",
    )
    .unwrap()
    .remove(0);
    assert_eq!(
        apply(&ing, None, &req).unwrap().output,
        "ingress.networking.k8s.io/web created\n"
    );
}
