//! The book's Deployment chapter, driven by a small loop: the Deployment and ReplicaSet
//! controllers reconcile against an in-memory store, and the loop makes new pods ready.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kube_workloads::api::{
    ConditionStatus, Container, DeploymentStrategy, DeploymentStrategyType, PodCondition,
    PodConditionType, PodPhase, RollingUpdateDeployment,
};
use kube_workloads::deployment::{self, Action};
use kube_workloads::replica_set::{self, Observed, Report};
use kube_workloads::{Deployment, IntOrString, LabelSelector, Pod, ReplicaSet, Time};

struct Store {
    now: Time,
    uid: u64,
    d: Deployment,
    rss: Vec<ReplicaSet>,
    pods: Vec<Pod>,
    max_pods: usize,
    min_available: usize,
}

impl Store {
    fn new(d: Deployment) -> Self {
        Store {
            now: Time::from_unix(1_700_000_000),
            uid: 0,
            d,
            rss: Vec::new(),
            pods: Vec::new(),
            max_pods: 0,
            min_available: usize::MAX,
        }
    }

    fn next_uid(&mut self) -> String {
        self.uid += 1;
        format!("uid-{}", self.uid)
    }

    fn reconcile_deployment(&mut self) -> deployment::Plan {
        let plan = deployment::reconcile(&self.d, &deployment::Observed::new(&self.rss), self.now)
            .unwrap();
        for a in &plan.actions {
            match a {
                Action::CreateReplicaSet(rs) => {
                    let mut rs = rs.clone();
                    rs.metadata.uid = self.next_uid();
                    rs.metadata.creation_timestamp = Some(self.now);
                    rs.metadata.generation = 1;
                    self.rss.push(rs);
                }
                Action::UpdateReplicaSet(new) => {
                    let old = self
                        .rss
                        .iter_mut()
                        .find(|r| r.metadata.name == new.metadata.name)
                        .unwrap();
                    if old.spec != new.spec {
                        old.metadata.generation += 1;
                    }
                    old.spec = new.spec.clone();
                    old.metadata.annotations = new.metadata.annotations.clone();
                }
                Action::UpdateDeploymentStatus(s) => {
                    self.d.status = s.status.clone();
                    self.d.metadata.annotations = s.annotations.clone();
                }
                Action::DeleteReplicaSet(r) => {
                    self.rss.retain(|x| x.metadata.name != r.name);
                }
                other => panic!("unexpected action {other:?}"),
            }
        }
        plan
    }

    fn reconcile_replica_sets(&mut self) {
        for i in 0..self.rss.len() {
            let rs = self.rss[i].clone();
            let plan = replica_set::reconcile(&rs, &Observed::new(&self.pods), self.now).unwrap();
            let mut report = Report::default();
            if let Some(c) = &plan.create {
                for _ in 0..c.count {
                    let mut p = c.pod.clone();
                    p.metadata.uid = self.next_uid();
                    p.metadata.name = format!("{}{}", p.metadata.generate_name, self.uid);
                    p.metadata.creation_timestamp = Some(self.now);
                    p.status.phase = PodPhase::Pending;
                    report.created.push(p.metadata.name.clone());
                    self.pods.push(p);
                }
            }
            for d in &plan.delete {
                self.pods.retain(|p| p.metadata.uid != d.uid);
                report.deleted.push(d.clone());
            }
            let done = plan.complete(&report);
            if let Some(s) = done.status {
                self.rss[i].status = s;
            }
        }
    }

    /// Pending pods become Running and Ready one second after creation.
    fn kubelet(&mut self) {
        for p in &mut self.pods {
            if p.status.phase == PodPhase::Pending
                && p.metadata.creation_timestamp.unwrap() < self.now
            {
                p.spec.node_name = "node-1".into();
                p.status.phase = PodPhase::Running;
                p.status.conditions.push(PodCondition {
                    type_: PodConditionType::Ready,
                    status: ConditionStatus::True,
                    last_transition_time: Some(self.now),
                    ..Default::default()
                });
            }
        }
    }

    fn step(&mut self) {
        let _ = self.reconcile_deployment();
        self.reconcile_replica_sets();
        self.max_pods = self.max_pods.max(self.pods.len());
        let available = self
            .pods
            .iter()
            .filter(|p| kube_workloads::pods::is_available(p, 0, self.now))
            .count();
        if self.rss.iter().any(|r| r.status.available_replicas > 0) {
            self.min_available = self.min_available.min(available);
        }
        self.now = self.now.add_seconds(1);
        self.kubelet();
    }

    fn settle(&mut self) {
        for _ in 0..30 {
            self.step();
        }
    }

    fn sizes(&self) -> Vec<(String, i32)> {
        let mut v: Vec<_> = self
            .rss
            .iter()
            .map(|r| {
                (
                    r.metadata.annotations["deployment.kubernetes.io/revision"].clone(),
                    r.replicas(),
                )
            })
            .collect();
        v.sort();
        v
    }
}

fn sample_deployment() -> Deployment {
    let mut d = Deployment::default();
    d.metadata.name = "sample-deployment".into();
    d.metadata.namespace = "default".into();
    d.metadata.uid = "uid-deployment".into();
    d.metadata.generation = 1;
    d.spec.replicas = Some(3);
    d.spec.selector = Some(LabelSelector::from_labels([("app", "sample-app")]));
    d.spec
        .template
        .metadata
        .labels
        .insert("app".into(), "sample-app".into());
    d.spec.template.spec.containers.push(Container {
        name: "nginx-container".into(),
        image: "nginx:1.16".into(),
        ..Default::default()
    });
    d.spec.strategy = DeploymentStrategy {
        type_: DeploymentStrategyType::RollingUpdate,
        rolling_update: Some(RollingUpdateDeployment {
            max_surge: Some(IntOrString::String("25%".into())),
            max_unavailable: Some(IntOrString::String("25%".into())),
            ..Default::default()
        }),
        ..Default::default()
    };
    d.spec.revision_history_limit = Some(10);
    d.spec.progress_deadline_seconds = Some(600);
    d
}

#[test]
fn book_rolling_update_story() {
    let mut s = Store::new(sample_deployment());
    s.settle();
    assert_eq!(
        s.sizes(),
        [("1".to_owned(), 3)],
        "apply with 3 replicas → one ReplicaSet at 3"
    );
    assert_eq!(s.pods.len(), 3);
    let cond =
        s.d.condition(&kube_workloads::api::DeploymentConditionType::Progressing)
            .unwrap();
    assert_eq!(cond.reason, "NewReplicaSetAvailable");

    // kubectl set image deployment sample-deployment nginx-container=nginx:1.17
    s.d.spec.template.spec.containers[0].image = "nginx:1.17".into();
    s.d.metadata.generation += 1;
    s.max_pods = 0;
    s.min_available = usize::MAX;
    s.settle();
    assert_eq!(
        s.sizes(),
        [("1".to_owned(), 0), ("2".to_owned(), 3)],
        "old ReplicaSet kept at 0"
    );
    assert!(
        s.max_pods <= 4,
        "never more than replicas + maxSurge(1) pods: {}",
        s.max_pods
    );
    assert_eq!(
        s.min_available, 3,
        "maxUnavailable resolves to 0 for 3 replicas"
    );
    assert!(
        s.pods
            .iter()
            .all(|p| p.spec.containers[0].image == "nginx:1.17")
    );
    assert_eq!(s.d.status.updated_replicas, 3);
    assert_eq!(
        s.d.metadata.annotations["deployment.kubernetes.io/revision"],
        "2"
    );

    // Changing only replicas makes no new ReplicaSet.
    s.d.spec.replicas = Some(5);
    s.d.metadata.generation += 1;
    s.settle();
    assert_eq!(s.sizes(), [("1".to_owned(), 0), ("2".to_owned(), 5)]);
    assert_eq!(s.pods.len(), 5);

    // Rolling back to the old template re-uses revision 1's ReplicaSet as revision 3.
    s.d.spec.template.spec.containers[0].image = "nginx:1.16".into();
    s.d.metadata.generation += 1;
    s.settle();
    assert_eq!(s.sizes(), [("2".to_owned(), 0), ("3".to_owned(), 5)]);
    let reused = s
        .rss
        .iter()
        .find(|r| r.metadata.annotations["deployment.kubernetes.io/revision"] == "3")
        .unwrap();
    assert_eq!(
        reused.metadata.annotations["deployment.kubernetes.io/revision-history"],
        "1"
    );
    assert_eq!(s.rss.len(), 2);
}

#[test]
fn worked_example_ten_replicas_surge_three_unavailable_two() {
    let mut d = sample_deployment();
    d.spec.replicas = Some(10);
    d.spec.strategy.rolling_update = Some(RollingUpdateDeployment {
        max_surge: Some(IntOrString::Int(3)),
        max_unavailable: Some(IntOrString::Int(2)),
        ..Default::default()
    });
    let mut s = Store::new(d);
    s.settle();
    s.d.spec.template.spec.containers[0].image = "nginx:1.17".into();
    s.d.metadata.generation += 1;
    // Sync 1: new ReplicaSet created at 3 and old scaled 10 → 8 in the same pass.
    let plan = s.reconcile_deployment();
    let created = plan.created_replica_set().unwrap();
    assert_eq!(created.spec.replicas, Some(3));
    assert_eq!(s.sizes(), [("1".to_owned(), 8), ("2".to_owned(), 3)]);
    let msgs: Vec<_> = plan.events.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        msgs[0],
        format!(
            "Scaled up replica set {} from 0 to 3",
            created.metadata.name
        )
    );
    assert!(
        msgs[1].starts_with("Scaled down replica set sample-deployment-")
            && msgs[1].ends_with(" from 10 to 8")
    );
    // Sync 2: new 3 → 5.
    let _ = s.reconcile_deployment();
    assert_eq!(s.sizes(), [("1".to_owned(), 8), ("2".to_owned(), 5)]);
    // Sync 3: nothing until new pods are available (maxScaledDown = 13 − 8 − 5 = 0).
    let plan = s.reconcile_deployment();
    assert!(
        plan.actions
            .iter()
            .all(|a| !matches!(a, Action::UpdateReplicaSet(_)))
    );
}
