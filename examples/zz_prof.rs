#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! temp profiling
use kube_workloads::api::*;
use kube_workloads::deployment::{self, Action, Observed};
use kube_workloads::*;
fn main() {
    let mut d = Deployment::default();
    d.metadata.name = "web".into(); d.metadata.namespace = "default".into(); d.metadata.uid = "uid-web".into(); d.metadata.generation = 1;
    d.spec.replicas = Some(10);
    d.spec.selector = Some(LabelSelector::from_labels([("app", "web")]));
    d.spec.template.metadata.labels.insert("app".into(), "web".into());
    d.spec.template.spec.containers.push(Container { name: "nginx".into(), image: "nginx:1.0".into(), ..Default::default() });
    kube_workloads::defaults::default_deployment(&mut d);
    let mut rss: Vec<ReplicaSet> = Vec::new();
    let mut now = Time::from_unix(1_700_000_000);
    let mut uid = 0;
    for n in 0..10 {
        d.spec.template.spec.containers[0].image = format!("nginx:1.{n}");
        d.metadata.generation += 1;
        for _ in 0..200 {
            let plan = deployment::reconcile(&d, &Observed::new(&rss), now).unwrap();
            if plan.is_noop() { break; }
            for a in &plan.actions { match a {
                Action::CreateReplicaSet(r) => { let mut r = r.clone(); uid += 1; r.metadata.uid = format!("u{uid}"); r.metadata.creation_timestamp = Some(now); r.metadata.generation = 1; rss.push(r); }
                Action::UpdateReplicaSet(r) => { let o = rss.iter_mut().find(|x| x.metadata.name == r.metadata.name).unwrap(); let st = o.status.clone(); let g = o.metadata.generation; let u = o.metadata.uid.clone(); let ts = o.metadata.creation_timestamp; *o = r.clone(); o.status = st; o.metadata.generation = g; o.metadata.uid = u; o.metadata.creation_timestamp = ts; }
                Action::UpdateDeploymentStatus(s) => { d.status = s.status.clone(); d.metadata.annotations = s.annotations.clone(); }
                Action::DeleteReplicaSet(r) => rss.retain(|x| x.metadata.name != r.name),
                _ => {}
            }}
            for r in &mut rss { let n = r.replicas(); r.status.replicas = n; r.status.ready_replicas = n; r.status.available_replicas = n; r.status.observed_generation = r.metadata.generation; }
            now = now.add_seconds(1);
        }
    }
    assert_eq!(rss.len(), 10);
    let n: usize = std::env::args().nth(1).map(|s| s.parse().unwrap()).unwrap_or(1000);
    let mut acts = 0;
    for _ in 0..n { let p = deployment::reconcile(&d, &Observed::new(&rss), now).unwrap(); acts += p.actions.len(); }
    println!("{acts}");
}
