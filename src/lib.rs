//! Kubernetes' workload controllers as pure, synchronous, deterministic functions.
//!
//! `kube-workloads` makes the decisions of kube-controller-manager's ReplicaSet,
//! ReplicationController and Deployment controllers, and of kubectl's workload commands, as
//! Kubernetes v1.32 makes them: objects and a time in, a plan of actions out. It never performs
//! I/O, never reads a clock and never draws a random number; you own the store and the clock.
//! A deterministic simulated cluster ([`sim`]) drives the controllers for examples, tests and
//! benchmarks, and is there for you to test your own rollouts on.
//!
//! # Tutorial
//!
//! **1. Read a manifest** as `kubectl apply -f` reads it: strict about fields, kinds and
//! versions, with errors that name the line and the field.
//!
//! ```
//! use kube_workloads::manifest::{self, Object};
//!
//! let text = r#"
//! apiVersion: apps/v1
//! kind: Deployment
//! metadata:
//!   name: sample-deployment
//! spec:
//!   replicas: 3
//!   selector:
//!     matchLabels: {app: sample-app}
//!   template:
//!     metadata:
//!       labels: {app: sample-app}
//!     spec:
//!       containers:
//!       - name: nginx-container
//!         image: nginx:1.16
//! "#;
//! let mut objects = manifest::decode_objects(text)?;
//! let Some(Object::Deployment(mut d)) = objects.pop() else { unreachable!() };
//!
//! // The book's broken manifest: both problems, with their lines.
//! let err = manifest::decode("apiversion: v1\nkind: pod\nmetadata: {name: x}\n").unwrap_err();
//! assert_eq!(err.errors().len(), 2);
//! assert!(err.errors()[0].to_string().contains("did you mean \"apiVersion\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **2. Default and validate it** as the API server does (every error with its path, warnings
//! as data).
//!
//! ```
//! # use kube_workloads::{defaults, validation, Deployment};
//! # let mut d: Deployment = serde_yaml::from_str("metadata: {name: sample-deployment, namespace: default}\nspec: {replicas: 3, selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: 'nginx:1.16'}]}}}").unwrap();
//! defaults::default_deployment(&mut d);
//! assert_eq!(d.spec.revision_history_limit, Some(10));
//! let v = validation::validate_deployment(&d);
//! assert!(v.is_valid(), "{:?}", v.errors);
//! ```
//!
//! **3. Reconcile** with your own store and clock: the Deployment controller returns the writes
//! upstream would make, in order.
//!
//! ```
//! # use kube_workloads::{defaults, Deployment, ReplicaSet, Time};
//! use kube_workloads::deployment::{self, Action, Observed};
//! # let mut d: Deployment = serde_yaml::from_str("metadata: {name: sample-deployment, namespace: default, uid: d1, generation: 1}\nspec: {replicas: 3, selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: 'nginx:1.16'}]}}}").unwrap();
//! # defaults::default_deployment(&mut d);
//! let now = Time::from_unix(1_700_000_000);
//! let replica_sets: Vec<ReplicaSet> = Vec::new(); // what your store holds
//! let plan = deployment::reconcile(&d, &Observed::new(&replica_sets), now)?;
//! let Action::CreateReplicaSet(rs) = &plan.actions[0] else { unreachable!() };
//! assert_eq!(rs.spec.replicas, Some(3));
//! assert_eq!(plan.events[0].reason, "ScalingReplicaSet");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The ReplicaSet controller ([`replica_set::reconcile`]) then decides which pods to create
//! and, when scaling down, which to delete, in upstream's order.
//!
//! **4. Or let the simulator run everything**: the API server's semantics, the controllers,
//! and a kubelet model on a virtual clock.
//!
//! ```
//! use std::time::Duration;
//! use kube_workloads::sim::{Cluster, Config};
//! # use kube_workloads::Deployment;
//! # let d: Deployment = serde_yaml::from_str("metadata: {name: web}\nspec: {replicas: 3, selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: 'nginx:1.16'}]}}}").unwrap();
//!
//! let mut cluster = Cluster::new(Config::default());
//! let key = cluster.create_deployment(d)?;
//! cluster.settle(Duration::from_secs(60))?;
//!
//! // kubectl set image, then watch the rolling update to the end.
//! let mut d = cluster.deployment(&key).unwrap().clone();
//! d.spec.template.spec.containers[0].image = "nginx:1.17".into();
//! cluster.update_deployment(d)?;
//! cluster.settle(Duration::from_secs(600))?;
//! assert!(cluster.pods().all(|p| p.spec.containers[0].image == "nginx:1.17"));
//! assert_eq!(cluster.replica_sets().count(), 2); // the old one is kept at 0 for rollbacks
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **5. kubectl's operations** ([`kubectl`]) and output ([`printers`]) work on the same
//! objects: `rollout status`, `history`, `undo`, `set image`, `get`, `describe`.
//!
//! **6. Or type kubectl at the simulator** ([`sim::shell`]): command lines in, kubectl's
//! output and exit code out, simulated time passing between commands as it would for a person.
//!
//! ```
//! use kube_workloads::sim::Config;
//! use kube_workloads::sim::shell::{MemoryFs, Shell};
//!
//! let mut fs = MemoryFs::default();
//! fs.insert("rs.yaml", "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web}\n\
//!     spec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    \
//!     metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: 'nginx:1.16'}]}\n");
//! let mut sh = Shell::new(Config::default());
//! assert_eq!(sh.run(&["kubectl", "apply", "-f", "rs.yaml"], &mut fs).stdout, "replicaset.apps/web created\n");
//! let out = sh.run(&["kubectl", "get", "rs", "web"], &mut fs);
//! assert_eq!(out.stdout, "NAME   DESIRED   CURRENT   READY   AGE\nweb    3         3         3       5s\n");
//! ```
//!
//! The examples put this to use: `cargo run --example walkthrough` replays the book's kubectl
//! session, and `cargo run --example kubectl -- get pods` is a kubectl whose cluster lives in a
//! state file.
//!
//! # Where to read next
//!
//! - [`manual`]: the design, the contracts (time, determinism, plans), and **every deliberate
//!   difference from upstream** (notably: the pod-template hash is stable for this crate but not
//!   byte-identical to a real cluster's).
//! - [`replica_set`] and [`deployment`]: the order in which a caller must carry plans out.
//! - [`sim`]: the simulated cluster, its lifecycle model and fault injection; with the
//!   `proptest` feature, `testkit` adds strategies and a rollout invariant checker.

pub mod api;
pub mod controller;
pub mod defaults;
pub mod deployment;
pub mod event;
pub mod hash;
pub mod kubectl;
pub mod manifest;
pub mod manual;
pub mod meta;
pub mod pods;
pub mod printers;
pub mod replica_set;
pub mod replication_controller;
pub mod selector;
pub mod sim;
#[cfg(feature = "proptest")]
pub mod testkit;
pub mod time;
pub mod validation;
pub mod value;

pub use api::{
    Container, ContainerPort, Deployment, IntOrString, Pod, PodSpec, PodTemplateSpec, ReplicaSet,
    ReplicationController,
};
pub use meta::{LabelSelector, Labels, ObjectMeta, OwnerReference};
pub use time::Time;
pub use value::Value;
