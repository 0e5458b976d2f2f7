//! The simulated cluster: store operations with API-server semantics, the control loop, the
//! clock and the lifecycle queue.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::config::{Config, Faults};
use super::lifecycle::{self, Step};
use super::store::{Key, Kind, Rng, Store, generate_name};
use super::timeline::{
    Activity, DeploymentSample, DeploymentSync, PodDeletion, Recorded, ReplicaSetSample,
    ReplicaSetState, Sample, Timeline,
};
use crate::api::{Deployment, Pod, ReplicaSet, ReplicationController};
use crate::controller::{Requeue, backoff};
use crate::deployment::{self, Action};
use crate::event::{Event, ObjectReference};
use crate::meta::ObjectMeta;
use crate::replica_set::{self, Expectations, Observed, Report};
use crate::time::Time;

/// What happens to the dependents of a deleted object (`kubectl delete --cascade`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cascade {
    /// Dependents are deleted by the garbage collector (kubectl's default).
    #[default]
    Background,
    /// Dependents are kept and their owner references removed (`--cascade=orphan`).
    Orphan,
}

/// Why a simulator operation failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// An object of that kind and name exists.
    #[error("{kind} {key} already exists", kind = kind.as_str())]
    AlreadyExists {
        /// Kind.
        kind: Kind,
        /// `namespace/name`.
        key: Key,
    },
    /// No object of that kind and name.
    #[error("{kind} {key} not found", kind = kind.as_str())]
    NotFound {
        /// Kind.
        kind: Kind,
        /// `namespace/name`.
        key: Key,
    },
    /// Neither a name nor a generateName.
    #[error("{kind}: metadata.name: Required value: name or generateName is required", kind = kind.as_str())]
    NameRequired {
        /// Kind.
        kind: Kind,
    },
    /// The controllers kept acting at one instant beyond the configured bound.
    #[error("the cluster did not settle at {time}: still busy after {rounds} rounds")]
    Busy {
        /// When.
        time: Time,
        /// Rounds run.
        rounds: usize,
    },
    /// The API server's validation rejected the object.
    #[error(transparent)]
    Invalid(#[from] crate::validation::InvalidError),
    /// kubectl's client side refused the apply (immutable selector, namespace mismatch, ...).
    #[error(transparent)]
    Apply(#[from] crate::kubectl::ApplyError),
    /// No object of a pass-through kind with that name.
    #[error("{kind} {key} not found")]
    NotFoundKind {
        /// The kind.
        kind: String,
        /// `namespace/name`.
        key: Key,
    },
    /// Work was still pending when the time budget ran out.
    #[error("the cluster did not settle by {time}: next deadline {next}")]
    DidNotSettle {
        /// Where the clock stopped.
        time: Time,
        /// The next pending deadline.
        next: Time,
    },
}

type Ref = (Kind, Key);

/// What [`Cluster::apply`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// kubectl's line (`deployment.apps/web created`).
    pub output: String,
    /// Created, configured or unchanged.
    pub outcome: crate::kubectl::ApplyOutcome,
    /// The API server's warnings (duplicate container ports, ...).
    pub warnings: Vec<crate::validation::Warning>,
}

/// A simulated cluster; see the [module docs](super). Cloning it forks the simulation.
#[derive(Clone, Debug)]
pub struct Cluster {
    config: Config,
    now: Time,
    rng: Rng,
    store: Store,
    dirty: BTreeSet<Ref>,
    requeues: BTreeMap<Time, BTreeSet<Ref>>,
    requeue_at: BTreeMap<Ref, Time>,
    failures: BTreeMap<Ref, u32>,
    lifecycle: BTreeMap<(Time, u64), (Key, String, Step)>,
    seq: u64,
    events: Vec<Recorded>,
    timeline: Timeline,
    next_node: usize,
    next_ip: BTreeMap<String, u32>,
    lost_nodes: BTreeMap<String, Time>,
    expectations: Expectations,
    pod_cache: Option<BTreeMap<Key, Pod>>,
    controllers: BTreeMap<String, Ref>,
    delete_failures_left: usize,
    activity: Activity,
    /// Objects of kinds the simulator does not run (Services, ConfigMaps, ...), kept as
    /// applied, by kind and key.
    others: BTreeMap<(String, Key), crate::manifest::OtherObject>,
}

impl Cluster {
    /// An empty cluster.
    #[must_use]
    pub fn new(config: Config) -> Self {
        let lag = config.faults.lagging_observations;
        Cluster {
            now: config.start,
            rng: Rng::new(config.seed),
            delete_failures_left: config.faults.fail_pod_deletes,
            config,
            store: Store::default(),
            dirty: BTreeSet::new(),
            requeues: BTreeMap::new(),
            requeue_at: BTreeMap::new(),
            failures: BTreeMap::new(),
            lifecycle: BTreeMap::new(),
            seq: 0,
            events: Vec::new(),
            timeline: Timeline::default(),
            next_node: 0,
            next_ip: BTreeMap::new(),
            lost_nodes: BTreeMap::new(),
            expectations: Expectations::new(),
            pod_cache: lag.then(BTreeMap::new),
            controllers: BTreeMap::new(),
            activity: Activity::default(),
            others: BTreeMap::new(),
        }
    }

    /// The simulated clock.
    #[must_use]
    pub fn now(&self) -> Time {
        self.now
    }

    /// The configuration (faults may have changed since, see [`Cluster::set_faults`]).
    #[must_use]
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Replaces the fault settings.
    pub fn set_faults(&mut self, faults: Faults) {
        self.delete_failures_left = faults.fail_pod_deletes;
        if faults.lagging_observations && self.pod_cache.is_none() {
            self.pod_cache = Some(self.store.pods.clone());
        } else if !faults.lagging_observations {
            self.pod_cache = None;
        }
        self.config.faults = faults;
    }

    // ---- reads -------------------------------------------------------------------------

    /// A pod.
    #[must_use]
    pub fn pod(&self, key: &Key) -> Option<&Pod> {
        self.store.pods.get(key)
    }

    /// Every pod, in key order.
    pub fn pods(&self) -> impl Iterator<Item = &Pod> {
        self.store.pods.values()
    }

    /// A ReplicaSet.
    #[must_use]
    pub fn replica_set(&self, key: &Key) -> Option<&ReplicaSet> {
        self.store.replica_sets.get(key)
    }

    /// Every ReplicaSet, in key order.
    pub fn replica_sets(&self) -> impl Iterator<Item = &ReplicaSet> {
        self.store.replica_sets.values()
    }

    /// A ReplicationController.
    #[must_use]
    pub fn replication_controller(&self, key: &Key) -> Option<&ReplicationController> {
        self.store.replication_controllers.get(key)
    }

    /// Every ReplicationController, in key order.
    pub fn replication_controllers(&self) -> impl Iterator<Item = &ReplicationController> {
        self.store.replication_controllers.values()
    }

    /// A Deployment.
    #[must_use]
    pub fn deployment(&self, key: &Key) -> Option<&Deployment> {
        self.store.deployments.get(key)
    }

    /// Every Deployment, in key order.
    pub fn deployments(&self) -> impl Iterator<Item = &Deployment> {
        self.store.deployments.values()
    }

    /// Every event recorded, in order.
    #[must_use]
    pub fn events(&self) -> &[Recorded] {
        &self.events
    }

    /// Events about one object, in order.
    pub fn events_for<'s>(
        &'s self,
        kind: Kind,
        key: &'s Key,
    ) -> impl Iterator<Item = &'s Recorded> {
        self.events.iter().filter(move |r| {
            r.event.regarding.kind == kind.as_str()
                && r.event.regarding.namespace == key.namespace
                && r.event.regarding.name == key.name
        })
    }

    /// The recorded timeline.
    #[must_use]
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// Drains the controller activity recorded since the last call (what the invariant checker
    /// of the `testkit` module, feature `proptest`, reads).
    pub fn take_activity(&mut self) -> Activity {
        std::mem::take(&mut self.activity)
    }

    /// Objects of kinds the simulator stores but does not run (Services, ConfigMaps, ...).
    pub fn other_objects(&self) -> impl Iterator<Item = &crate::manifest::OtherObject> {
        self.others.values()
    }

    /// The stored object of a manifest object's kind and key, as a manifest object.
    #[must_use]
    pub fn get(&self, kind: &str, key: &Key) -> Option<crate::manifest::Object> {
        use crate::manifest::Object;
        match Kind::parse(kind) {
            Some(Kind::Pod) => self.pod(key).cloned().map(Object::Pod),
            Some(Kind::ReplicaSet) => self.replica_set(key).cloned().map(Object::ReplicaSet),
            Some(Kind::ReplicationController) => self
                .replication_controller(key)
                .cloned()
                .map(Object::ReplicationController),
            Some(Kind::Deployment) => self.deployment(key).cloned().map(Object::Deployment),
            None => self
                .others
                .get(&(kind.to_owned(), key.clone()))
                .cloned()
                .map(Object::Other),
        }
    }

    /// `kubectl apply` of one object: kubectl's client side ([`crate::kubectl::apply`]: the
    /// three-way merge with the last applied configuration, `--record`) then the API server's
    /// create or update (defaulting, validation, generation rule). Returns kubectl's output line
    /// and the API server's warnings.
    pub fn apply(
        &mut self,
        object: &crate::manifest::Object,
        namespace: &str,
        change_cause: Option<&str>,
    ) -> Result<Applied, SimError> {
        use crate::kubectl::{ApplyOutcome, ApplyRequest};
        use crate::manifest::Object;
        let ns = if object.namespace().is_empty() {
            namespace
        } else {
            object.namespace()
        };
        let key = Key::new(ns, object.name());
        let stored = self.get(object.kind(), &key);
        let req = ApplyRequest {
            namespace: ns,
            uid: "",
            resource_version: "",
            change_cause,
            now: self.now,
        };
        let applied = crate::kubectl::apply(object, stored.as_ref(), &req)?;
        let mut warnings = Vec::new();
        if applied.outcome != ApplyOutcome::Unchanged {
            let create = applied.outcome == ApplyOutcome::Created;
            match applied.object.clone() {
                Object::Pod(p) => {
                    let mut d = p.clone();
                    crate::defaults::default_pod(&mut d);
                    warnings = crate::validation::validate_pod(&d).warnings;
                    if create {
                        self.create_pod(p)?;
                    } else {
                        self.update_pod_metadata(&key, p.metadata)?;
                    }
                }
                Object::ReplicaSet(rs) => {
                    let mut d = rs.clone();
                    crate::defaults::default_replica_set(&mut d);
                    warnings = crate::validation::validate_replica_set(&d).warnings;
                    if create {
                        self.create_replica_set(rs)?;
                    } else {
                        self.update_replica_set(rs)?;
                    }
                }
                Object::ReplicationController(rc) => {
                    let mut d = rc.clone();
                    crate::defaults::default_replication_controller(&mut d);
                    warnings = crate::validation::validate_replication_controller(&d).warnings;
                    if create {
                        self.create_replication_controller(rc)?;
                    } else {
                        self.update_replication_controller(rc)?;
                    }
                }
                Object::Deployment(dep) => {
                    let mut d = dep.clone();
                    crate::defaults::default_deployment(&mut d);
                    warnings = crate::validation::validate_deployment(&d).warnings;
                    if create {
                        self.create_deployment(dep)?;
                    } else {
                        self.update_deployment(dep)?;
                    }
                }
                Object::Other(mut o) => {
                    o.namespace = ns.to_owned();
                    self.others
                        .insert((o.type_meta.kind.clone(), key.clone()), o);
                }
            }
        }
        Ok(Applied {
            output: applied.output,
            outcome: applied.outcome,
            warnings,
        })
    }

    /// Deletes an object of any kind by its `kind` name (pass-through kinds included).
    pub fn delete_kind(&mut self, kind: &str, key: &Key, cascade: Cascade) -> Result<(), SimError> {
        match Kind::parse(kind) {
            Some(k) => self.delete(k, key, cascade),
            None => match self.others.remove(&(kind.to_owned(), key.clone())) {
                Some(_) => Ok(()),
                None => Err(SimError::NotFoundKind {
                    kind: kind.to_owned(),
                    key: key.clone(),
                }),
            },
        }
    }

    // ---- writes with API-server semantics ------------------------------------------------

    fn resolve_name(&mut self, kind: Kind, meta: &mut ObjectMeta) -> Result<Key, SimError> {
        if meta.namespace.is_empty() {
            meta.namespace = "default".to_owned();
        }
        if meta.name.is_empty() {
            if meta.generate_name.is_empty() {
                return Err(SimError::NameRequired { kind });
            }
            // The API server retries a colliding generated name (RetryGenerateName, GA in 1.32).
            for _ in 0..16 {
                let name = generate_name(&meta.generate_name, &mut self.rng);
                if !self.store.exists(kind, &Key::new(&meta.namespace, &name)) {
                    meta.name = name;
                    break;
                }
            }
        }
        let key = Key::of(meta);
        if self.store.exists(kind, &key) {
            return Err(SimError::AlreadyExists { kind, key });
        }
        Ok(key)
    }

    fn stamp(&mut self, meta: &mut ObjectMeta, generation: bool) {
        let uid = self.rng.uuid();
        self.store.stamp_create(meta, uid, self.now, generation);
    }

    /// Creates a pod as the API server would: defaulted, named (from `generateName` when
    /// `name` is empty), validated, then stored `Pending` and handed to the scheduler.
    pub fn create_pod(&mut self, mut pod: Pod) -> Result<Key, SimError> {
        crate::defaults::default_pod(&mut pod);
        let key = self.resolve_name(Kind::Pod, &mut pod.metadata)?;
        crate::validation::validate_pod(&pod)
            .into_result(crate::validation::ObjectKind::Pod, &key.name)?;
        self.stamp(&mut pod.metadata, false);
        pod.status = crate::api::PodStatus {
            phase: crate::api::PodPhase::Pending,
            ..crate::api::PodStatus::default()
        };
        let uid = pod.metadata.uid.clone();
        self.pod_written(&pod, None);
        self.store.put_pod(pod);
        self.schedule_step(self.now, &key, &uid, Step::Schedule);
        Ok(key)
    }

    /// Creates a ReplicaSet (defaulted and validated as the API server does).
    pub fn create_replica_set(&mut self, mut rs: ReplicaSet) -> Result<Key, SimError> {
        crate::defaults::default_replica_set(&mut rs);
        let key = self.resolve_name(Kind::ReplicaSet, &mut rs.metadata)?;
        crate::validation::validate_replica_set(&rs)
            .into_result(crate::validation::ObjectKind::ReplicaSet, &key.name)?;
        crate::validation::prepare_replica_set_for_create(&mut rs);
        self.stamp(&mut rs.metadata, true);
        self.controllers
            .insert(rs.metadata.uid.clone(), (Kind::ReplicaSet, key.clone()));
        self.replica_set_written(&rs);
        self.store.replica_sets.insert(key.clone(), rs);
        Ok(key)
    }

    /// Creates a ReplicationController (defaulted and validated as the API server does).
    pub fn create_replication_controller(
        &mut self,
        mut rc: ReplicationController,
    ) -> Result<Key, SimError> {
        crate::defaults::default_replication_controller(&mut rc);
        let key = self.resolve_name(Kind::ReplicationController, &mut rc.metadata)?;
        crate::validation::validate_replication_controller(&rc).into_result(
            crate::validation::ObjectKind::ReplicationController,
            &key.name,
        )?;
        crate::validation::prepare_replication_controller_for_create(&mut rc);
        self.stamp(&mut rc.metadata, true);
        self.controllers.insert(
            rc.metadata.uid.clone(),
            (Kind::ReplicationController, key.clone()),
        );
        self.dirty
            .insert((Kind::ReplicationController, key.clone()));
        self.store.replication_controllers.insert(key.clone(), rc);
        Ok(key)
    }

    /// Creates a Deployment (defaulted and validated as the API server does).
    pub fn create_deployment(&mut self, mut d: Deployment) -> Result<Key, SimError> {
        crate::defaults::default_deployment(&mut d);
        let key = self.resolve_name(Kind::Deployment, &mut d.metadata)?;
        crate::validation::validate_deployment(&d)
            .into_result(crate::validation::ObjectKind::Deployment, &key.name)?;
        crate::validation::prepare_deployment_for_create(&mut d);
        self.stamp(&mut d.metadata, true);
        self.controllers
            .insert(d.metadata.uid.clone(), (Kind::Deployment, key.clone()));
        self.dirty.insert((Kind::Deployment, key.clone()));
        self.store.deployments.insert(key.clone(), d);
        Ok(key)
    }

    /// Replaces a Deployment's spec and metadata as an API `Update`: defaulted, the status and
    /// system fields kept, the generation bumped when the spec or the annotations changed, and
    /// update validation (selector immutability, ...) applied.
    pub fn update_deployment(&mut self, mut new: Deployment) -> Result<(), SimError> {
        let key = Key::of(&new.metadata);
        let Some(old) = self.store.deployments.get(&key) else {
            return Err(SimError::NotFound {
                kind: Kind::Deployment,
                key,
            });
        };
        crate::defaults::default_deployment(&mut new);
        crate::validation::prepare_deployment_for_update(&mut new, old);
        crate::validation::validate_deployment_update(old, &new)
            .into_result(crate::validation::ObjectKind::Deployment, &key.name)?;
        new.metadata.resource_version = self.store.next_resource_version();
        self.store.deployments.insert(key.clone(), new);
        self.dirty.insert((Kind::Deployment, key));
        Ok(())
    }

    /// Replaces a ReplicaSet's spec and metadata as an API `Update` (see
    /// [`Cluster::update_deployment`]; the generation follows spec changes only).
    pub fn update_replica_set(&mut self, mut new: ReplicaSet) -> Result<(), SimError> {
        let key = Key::of(&new.metadata);
        let Some(old) = self.store.replica_sets.get(&key) else {
            return Err(SimError::NotFound {
                kind: Kind::ReplicaSet,
                key,
            });
        };
        crate::defaults::default_replica_set(&mut new);
        crate::validation::prepare_replica_set_for_update(&mut new, old);
        crate::validation::validate_replica_set_update(old, &new)
            .into_result(crate::validation::ObjectKind::ReplicaSet, &key.name)?;
        new.metadata.resource_version = self.store.next_resource_version();
        self.replica_set_written(&new);
        self.store.replica_sets.insert(key, new);
        Ok(())
    }

    /// Replaces a ReplicationController's spec and metadata as an API `Update`.
    pub fn update_replication_controller(
        &mut self,
        mut new: ReplicationController,
    ) -> Result<(), SimError> {
        let key = Key::of(&new.metadata);
        let Some(old) = self.store.replication_controllers.get(&key) else {
            return Err(SimError::NotFound {
                kind: Kind::ReplicationController,
                key,
            });
        };
        crate::defaults::default_replication_controller(&mut new);
        crate::validation::prepare_replication_controller_for_update(&mut new, old);
        crate::validation::validate_replication_controller_update(old, &new).into_result(
            crate::validation::ObjectKind::ReplicationController,
            &key.name,
        )?;
        new.metadata.resource_version = self.store.next_resource_version();
        self.store.replication_controllers.insert(key.clone(), new);
        self.dirty.insert((Kind::ReplicationController, key));
        Ok(())
    }

    /// Replaces a pod's metadata (labels, annotations, owner references), as `kubectl label`
    /// or `annotate` would; the spec of a pod is immutable and is kept.
    pub fn update_pod_metadata(&mut self, key: &Key, metadata: ObjectMeta) -> Result<(), SimError> {
        let Some(old) = self.store.pods.get(key).cloned() else {
            return Err(SimError::NotFound {
                kind: Kind::Pod,
                key: key.clone(),
            });
        };
        let mut pod = old.clone();
        let system = system_fields(&pod.metadata);
        pod.metadata = metadata;
        let rv = self.store.next_resource_version();
        restore_system_fields(&mut pod.metadata, system, rv, false);
        self.pod_written(&pod, Some(&old));
        self.store.put_pod(pod);
        Ok(())
    }

    /// Deletes an object. Pods terminate gracefully; other kinds go at once and their
    /// dependents are garbage-collected (or orphaned).
    pub fn delete(&mut self, kind: Kind, key: &Key, cascade: Cascade) -> Result<(), SimError> {
        let uid = match kind {
            Kind::Pod => {
                if !self.store.pods.contains_key(key) {
                    return Err(SimError::NotFound {
                        kind,
                        key: key.clone(),
                    });
                }
                self.delete_pod(key);
                return Ok(());
            }
            Kind::ReplicaSet => self.store.replica_sets.remove(key).map(|o| {
                self.replica_set_written(&o);
                o.metadata.uid
            }),
            Kind::ReplicationController => self
                .store
                .replication_controllers
                .remove(key)
                .map(|o| o.metadata.uid),
            Kind::Deployment => self.store.deployments.remove(key).map(|o| o.metadata.uid),
        };
        let Some(uid) = uid else {
            return Err(SimError::NotFound {
                kind,
                key: key.clone(),
            });
        };
        self.controllers.remove(&uid);
        self.expectations.forget(&key.to_string());
        for (dep_kind, dep_key) in self.store.dependents(&uid) {
            match cascade {
                Cascade::Background => {
                    let _ = self.delete(dep_kind, &dep_key, Cascade::Background);
                }
                Cascade::Orphan => self.orphan(dep_kind, &dep_key, &uid),
            }
        }
        Ok(())
    }

    fn orphan(&mut self, kind: Kind, key: &Key, owner_uid: &str) {
        let rv = self.store.next_resource_version();
        match kind {
            Kind::Pod => {
                if let Some(old) = self.store.pods.get(key).cloned() {
                    let mut pod = old.clone();
                    pod.metadata.owner_references.retain(|r| r.uid != owner_uid);
                    pod.metadata.resource_version = rv;
                    self.pod_written(&pod, Some(&old));
                    self.store.put_pod(pod);
                }
            }
            Kind::ReplicaSet => {
                if let Some(rs) = self.store.replica_sets.get_mut(key) {
                    rs.metadata.owner_references.retain(|r| r.uid != owner_uid);
                    rs.metadata.resource_version = rv;
                    let rs = rs.clone();
                    self.replica_set_written(&rs);
                }
            }
            _ => {}
        }
    }

    /// Takes a node away: its pods become not ready at once and are evicted (and gone) after
    /// the configured eviction delay. New pods are not scheduled there.
    pub fn lose_node(&mut self, node: &str) {
        self.lost_nodes.insert(node.to_owned(), self.now);
        let keys: Vec<Key> = self
            .store
            .pods
            .iter()
            .filter(|(_, p)| p.spec.node_name == node)
            .map(|(k, _)| k.clone())
            .collect();
        let evict_at = self.now.add_duration(self.config.eviction_delay);
        for key in keys {
            if let Some(old) = self.store.pods.get(&key).cloned() {
                let mut pod = old.clone();
                lifecycle::not_ready(&mut pod, self.now);
                let uid = pod.metadata.uid.clone();
                self.pod_written(&pod, Some(&old));
                self.store.put_pod(pod);
                self.schedule_step(evict_at, &key, &uid, Step::Finalize);
            }
        }
    }

    // ---- the clock -----------------------------------------------------------------------

    /// The next instant something is scheduled (a lifecycle step or a requeue).
    #[must_use]
    pub fn next_deadline(&self) -> Option<Time> {
        let a = self.lifecycle.keys().next().map(|(t, _)| *t);
        let b = self.requeues.keys().next().copied();
        match (a, b) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        }
    }

    /// Runs lifecycle steps and controllers until nothing is left to do at the current
    /// instant; returns the number of controller rounds.
    pub fn run_until_idle(&mut self) -> Result<usize, SimError> {
        let mut rounds = 0;
        loop {
            let due: Vec<Time> = self.requeues.range(..=self.now).map(|(t, _)| *t).collect();
            for t in due {
                if let Some(keys) = self.requeues.remove(&t) {
                    for k in &keys {
                        self.requeue_at.remove(k);
                    }
                    self.dirty.extend(keys);
                }
            }
            let stepped = self.run_lifecycle();
            if self.dirty.is_empty() && !stepped {
                break;
            }
            self.round();
            rounds += 1;
            if rounds > self.config.max_rounds {
                return Err(SimError::Busy {
                    time: self.now,
                    rounds,
                });
            }
        }
        self.sample();
        Ok(rounds)
    }

    /// Moves the clock forward by `d`, stopping at every deadline on the way to run the
    /// controllers there.
    pub fn advance(&mut self, d: Duration) -> Result<(), SimError> {
        let target = self.now.add_duration(d);
        self.advance_to(target)
    }

    /// Moves the clock to `target` (never backwards), running every deadline on the way.
    pub fn advance_to(&mut self, target: Time) -> Result<(), SimError> {
        self.run_until_idle()?;
        while let Some(next) = self.next_deadline() {
            if next > target {
                break;
            }
            self.now = self.now.max(next);
            self.run_until_idle()?;
        }
        self.now = self.now.max(target);
        self.run_until_idle()?;
        Ok(())
    }

    /// Moves from deadline to deadline until nothing is pending; fails if work is still
    /// pending `limit` after the current time. Returns when the cluster settled.
    pub fn settle(&mut self, limit: Duration) -> Result<Time, SimError> {
        let stop = self.now.add_duration(limit);
        self.run_until_idle()?;
        while let Some(next) = self.next_deadline() {
            if next > stop {
                self.now = stop;
                return Err(SimError::DidNotSettle { time: stop, next });
            }
            self.now = self.now.max(next);
            self.run_until_idle()?;
        }
        Ok(self.now)
    }

    // ---- the control loop ----------------------------------------------------------------

    fn round(&mut self) {
        let dirty = std::mem::take(&mut self.dirty);
        for (kind, key) in dirty {
            match kind {
                Kind::Deployment => self.sync_deployment(&key),
                Kind::ReplicaSet => self.sync_replica_set(&key),
                Kind::ReplicationController => self.sync_replication_controller(&key),
                Kind::Pod => {}
            }
        }
        self.refresh_cache();
    }

    /// Schedules the controller's next reconcile. A reconcile's requeue decision replaces any
    /// earlier pending one for the same key (a level-triggered controller that just ran has
    /// nothing to learn from an older timer; upstream's would fire and find nothing to do).
    fn requeue(&mut self, r: Ref, requeue: Option<Requeue>) {
        if let Some(at) = self.requeue_at.remove(&r) {
            if let Some(set) = self.requeues.get_mut(&at) {
                set.remove(&r);
                if set.is_empty() {
                    self.requeues.remove(&at);
                }
            }
        }
        match requeue {
            None => {
                self.failures.remove(&r);
            }
            Some(Requeue::After(d)) => {
                self.failures.remove(&r);
                let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
                let at = self
                    .now
                    .add_seconds(i64::try_from(secs.max(1)).unwrap_or(i64::MAX));
                self.requeues.entry(at).or_default().insert(r.clone());
                self.requeue_at.insert(r, at);
            }
            Some(Requeue::Backoff) => {
                let n = self.failures.entry(r.clone()).or_insert(0);
                let delay = backoff(*n);
                *n = n.saturating_add(1);
                let secs = delay.as_secs().max(1);
                let at = self
                    .now
                    .add_seconds(i64::try_from(secs).unwrap_or(i64::MAX));
                self.requeues.entry(at).or_default().insert(r.clone());
                self.requeue_at.insert(r, at);
            }
        }
    }

    fn record(&mut self, event: Event) {
        self.events.push(Recorded {
            time: self.now,
            event,
        });
    }

    fn sync_deployment(&mut self, key: &Key) {
        let plan = {
            let Some(d) = self.store.deployments.get(key) else {
                return;
            };
            let rss: Vec<&ReplicaSet> = self.store.replica_sets_in(&key.namespace).collect();
            let recreate = d.spec.strategy.type_ == crate::api::DeploymentStrategyType::Recreate;
            let pods: Vec<&Pod> = if recreate {
                self.store.pods_in(&key.namespace).collect()
            } else {
                Vec::new()
            };
            match deployment::reconcile(
                d,
                &deployment::Observed::new(&rss).with_pods(&pods),
                self.now,
            ) {
                Ok(p) => p,
                Err(_) => return,
            }
        };
        let before = if plan.actions.is_empty() {
            None
        } else {
            self.deployment_view(key)
        };
        let crash_after = if plan.actions.is_empty() {
            None
        } else {
            self.config.faults.crash_deployment_after_actions.take()
        };
        let total = plan.actions.len();
        for action in plan
            .actions
            .into_iter()
            .take(crash_after.unwrap_or(usize::MAX))
        {
            self.apply_deployment_action(key, action, &plan.controller_ref);
        }
        if let Some((mut sync, before)) = before {
            sync.before = before;
            sync.after = self
                .deployment_view(key)
                .map(|(_, v)| v)
                .unwrap_or_default();
            self.activity.deployment_syncs.push(sync);
        }
        if crash_after.is_some_and(|k| k < total) {
            // The controller died mid-plan; an informer resync finds the Deployment again.
            self.dirty.insert((Kind::Deployment, key.clone()));
            return;
        }
        for e in plan.events {
            self.record(e);
        }
        self.requeue((Kind::Deployment, key.clone()), plan.requeue);
    }

    /// The Deployment's settings and its ReplicaSets as they are now.
    fn deployment_view(&self, key: &Key) -> Option<(DeploymentSync, Vec<ReplicaSetState>)> {
        let d = self.store.deployments.get(key)?;
        let states: Vec<ReplicaSetState> = self
            .store
            .replica_sets_in(&key.namespace)
            .filter(|rs| {
                rs.metadata
                    .controller_ref()
                    .is_some_and(|r| r.uid == d.metadata.uid)
            })
            .map(|rs| ReplicaSetState {
                name: Key::of(&rs.metadata).to_string(),
                spec: rs.replicas(),
                available: rs.status.available_replicas,
                revision: deployment::util::revision(&rs.metadata.annotations).ok(),
                is_new: crate::hash::equal_ignore_hash(&rs.spec.template, &d.spec.template),
            })
            .collect();
        let replicas = d.replicas();
        let scaling_event = self
            .store
            .replica_sets_in(&key.namespace)
            .filter(|rs| {
                rs.metadata
                    .controller_ref()
                    .is_some_and(|r| r.uid == d.metadata.uid)
            })
            .any(|rs| {
                rs.replicas() > 0
                    && deployment::util::desired_replicas_annotation(rs)
                        .is_some_and(|v| v != replicas)
            });
        let old_uids: Vec<&str> = states
            .iter()
            .filter(|s| !s.is_new)
            .filter_map(|s| {
                self.store
                    .replica_sets
                    .get(&key_of(&s.name))
                    .map(|rs| rs.metadata.uid.as_str())
            })
            .collect();
        let old_pods_running = old_uids.iter().any(|uid| {
            self.store.pods_by_owner.get(*uid).is_some_and(|pods| {
                pods.iter()
                    .filter_map(|k| self.store.pods.get(k))
                    .any(|p| !crate::pods::is_terminal(p))
            })
        });
        let sync = DeploymentSync {
            time: self.now,
            deployment: key.to_string(),
            recreate: d.spec.strategy.type_ == crate::api::DeploymentStrategyType::Recreate,
            paused: d.spec.paused,
            replicas,
            max_surge: deployment::util::max_surge(d),
            max_unavailable: deployment::util::max_unavailable(d),
            scaling_event,
            old_pods_running,
            before: Vec::new(),
            after: Vec::new(),
        };
        Some((sync, states))
    }

    fn apply_deployment_action(
        &mut self,
        dkey: &Key,
        action: Action,
        owner: &crate::meta::OwnerReference,
    ) {
        match action {
            Action::AdoptReplicaSet(r) => {
                let key = Key::new(&r.namespace, &r.name);
                if let Some(mut rs) = self.store.replica_sets.get(&key).cloned() {
                    rs.metadata.owner_references.push(owner.clone());
                    let _ = self.update_replica_set(rs);
                }
            }
            Action::ReleaseReplicaSet(r) => {
                let key = Key::new(&r.namespace, &r.name);
                self.orphan(Kind::ReplicaSet, &key, &owner.uid);
            }
            Action::CreateReplicaSet(rs) => {
                let _ = self.create_replica_set(rs);
            }
            Action::UpdateReplicaSet(rs) => {
                let _ = self.update_replica_set(rs);
            }
            Action::DeleteReplicaSet(r) => {
                let _ = self.delete(
                    Kind::ReplicaSet,
                    &Key::new(&r.namespace, &r.name),
                    Cascade::Background,
                );
            }
            Action::UpdateDeploymentStatus(s) => {
                let rv = self.store.next_resource_version();
                if let Some(d) = self.store.deployments.get_mut(dkey) {
                    d.status = s.status;
                    d.metadata.annotations = s.annotations;
                    d.metadata.resource_version = rv;
                }
                // The informer delivers the controller's own write back to it.
                self.dirty.insert((Kind::Deployment, dkey.clone()));
            }
            Action::UpdateDeployment(d) => {
                let _ = self.update_deployment(*d);
            }
        }
    }

    fn sync_replica_set(&mut self, key: &Key) {
        let lag = self.pod_cache.is_some();
        let exp_key = key.to_string();
        let satisfied = !lag || self.expectations.satisfied(&exp_key, self.now);
        let plan = {
            let Some(rs) = self.store.replica_sets.get(key) else {
                return;
            };
            let pods: Vec<&Pod> = match &self.pod_cache {
                Some(cache) => cache
                    .values()
                    .filter(|p| p.metadata.namespace == key.namespace)
                    .collect(),
                None => self.store.pods_in(&key.namespace).collect(),
            };
            let rss: Vec<&ReplicaSet> = self.store.replica_sets_in(&key.namespace).collect();
            let observed = Observed::new(&pods)
                .with_replica_sets(&rss)
                .with_expectations_satisfied(satisfied);
            match replica_set::reconcile(rs, &observed, self.now) {
                Ok(p) => p,
                Err(_) => return,
            }
        };
        let report = self.execute_pod_plan(&plan);
        if lag {
            self.expectations
                .observe_plan(&exp_key, &plan, &report, self.now);
        }
        let done = plan.complete(&report);
        if let Some(status) = done.status {
            let rv = self.store.next_resource_version();
            if let Some(rs) = self.store.replica_sets.get_mut(key) {
                rs.status = status;
                rs.metadata.resource_version = rv;
                let rs = rs.clone();
                self.replica_set_written(&rs);
            }
        }
        for e in done.events {
            self.record(e);
        }
        self.requeue((Kind::ReplicaSet, key.clone()), done.requeue);
    }

    fn sync_replication_controller(&mut self, key: &Key) {
        let plan = {
            let Some(rc) = self.store.replication_controllers.get(key) else {
                return;
            };
            let pods: Vec<&Pod> = self.store.pods_in(&key.namespace).collect();
            match crate::replication_controller::reconcile(rc, &Observed::new(&pods), self.now) {
                Ok(p) => p,
                Err(_) => return,
            }
        };
        let report = self.execute_pod_plan(&plan);
        let done = plan.complete(&report);
        if let Some(status) = done.status {
            let rv = self.store.next_resource_version();
            if let Some(rc) = self.store.replication_controllers.get_mut(key) {
                rc.status = status;
                rc.metadata.resource_version = rv;
            }
            self.dirty
                .insert((Kind::ReplicationController, key.clone()));
        }
        for e in done.events {
            self.record(e);
        }
        self.requeue((Kind::ReplicationController, key.clone()), done.requeue);
    }

    /// Carries out the pod actions of a ReplicaSet plan (claims, slow-start creations with the
    /// quota fault, deletions with the delete fault).
    fn execute_pod_plan(&mut self, plan: &replica_set::Plan) -> Report {
        for a in &plan.adopt {
            let key = Key::new(&a.namespace, &a.name);
            if let Some(pod) = self.store.pods.get(&key) {
                let mut meta = pod.metadata.clone();
                meta.owner_references.push(plan.controller_ref.clone());
                let _ = self.update_pod_metadata(&key, meta);
            }
        }
        for r in &plan.release {
            self.orphan(
                Kind::Pod,
                &Key::new(&r.namespace, &r.name),
                &plan.controller_ref.uid,
            );
        }
        let mut report = Report::default();
        if let Some(create) = &plan.create {
            let namespace = create.pod.metadata.namespace.clone();
            // Active pods of the namespace, counted once and kept up to date, only when a
            // quota is being simulated.
            let mut used = self.config.faults.pod_quota.map(|_| {
                self.store
                    .pods_in(&namespace)
                    .filter(|p| crate::pods::is_active(p))
                    .count()
            });
            'batches: for batch in create.batches() {
                let mut failed = false;
                for _ in 0..batch {
                    if let (Some(limit), Some(n)) = (self.config.faults.pod_quota, used) {
                        if n >= limit {
                            report.failed_creates.push(format!(
                                "pods {:?} is forbidden: exceeded quota: pod-quota, requested: pods=1, used: pods={n}, limited: pods={limit}",
                                create.pod.metadata.generate_name
                            ));
                            failed = true;
                            continue;
                        }
                    }
                    match self.create_pod(create.pod.clone()) {
                        Ok(k) => {
                            report.created.push(k.name);
                            used = used.map(|n| n + 1);
                        }
                        Err(e) => {
                            report.failed_creates.push(e.to_string());
                            failed = true;
                        }
                    }
                }
                if failed {
                    break 'batches;
                }
            }
        }
        for d in &plan.delete {
            let key = Key::new(&d.namespace, &d.name);
            if let Some(pod) = self.store.pods.get(&key) {
                self.activity.pod_deletions.push(PodDeletion {
                    time: self.now,
                    controller_uid: plan.controller_ref.uid.clone(),
                    pod: key.to_string(),
                    pod_controller_uid: pod.metadata.controller_ref().map(|r| r.uid.clone()),
                    pod_active: crate::pods::is_active(pod),
                });
            }
            if self.delete_failures_left > 0 {
                self.delete_failures_left -= 1;
                report.failed_deletes.push((
                    d.clone(),
                    format!("pods {:?} is forbidden: deletion refused by the simulator's fault injection", d.name),
                ));
                continue;
            }
            let key = Key::new(&d.namespace, &d.name);
            if self
                .store
                .pods
                .get(&key)
                .is_some_and(|p| p.metadata.uid == d.uid)
            {
                self.delete_pod(&key);
                report.deleted.push(d.clone());
            }
        }
        report
    }

    // ---- pods and their lifecycle --------------------------------------------------------

    /// Marks the controllers that watch a pod dirty (its controller, or every controller of
    /// the namespace for an orphan).
    fn pod_written(&mut self, pod: &Pod, old: Option<&Pod>) {
        for p in std::iter::once(pod).chain(old) {
            match p.metadata.controller_ref() {
                Some(owner) => {
                    if let Some(r) = self.controllers.get(&owner.uid) {
                        self.dirty.insert(r.clone());
                    }
                }
                None => {
                    let ns = &p.metadata.namespace;
                    for k in self
                        .store
                        .replica_sets
                        .keys()
                        .filter(|k| &k.namespace == ns)
                    {
                        self.dirty.insert((Kind::ReplicaSet, k.clone()));
                    }
                    for k in self
                        .store
                        .replication_controllers
                        .keys()
                        .filter(|k| &k.namespace == ns)
                    {
                        self.dirty.insert((Kind::ReplicationController, k.clone()));
                    }
                }
            }
        }
    }

    /// A pod is gone: its controller is dirty, and, as upstream's Deployment controller watches
    /// pod deletions for `Recreate` Deployments (which wait for old pods to disappear), so is
    /// the Deployment that controls its ReplicaSet.
    fn pod_removed(&mut self, pod: &Pod) {
        self.pod_written(pod, None);
        let Some(owner) = pod.metadata.controller_ref() else {
            return;
        };
        let Some((Kind::ReplicaSet, rs_key)) = self.controllers.get(&owner.uid).cloned() else {
            return;
        };
        let deployment = self
            .store
            .replica_sets
            .get(&rs_key)
            .and_then(|rs| rs.metadata.controller_ref())
            .and_then(|r| self.controllers.get(&r.uid))
            .cloned();
        if let Some((Kind::Deployment, dkey)) = deployment {
            let recreate = self.store.deployments.get(&dkey).is_some_and(|d| {
                d.spec.strategy.type_ == crate::api::DeploymentStrategyType::Recreate
            });
            if recreate {
                self.dirty.insert((Kind::Deployment, dkey));
            }
        }
    }

    /// Marks a ReplicaSet and the Deployments that watch it dirty.
    fn replica_set_written(&mut self, rs: &ReplicaSet) {
        let key = Key::of(&rs.metadata);
        self.dirty.insert((Kind::ReplicaSet, key));
        match rs.metadata.controller_ref() {
            Some(owner) => {
                if let Some(r) = self.controllers.get(&owner.uid) {
                    self.dirty.insert(r.clone());
                }
            }
            None => {
                let ns = &rs.metadata.namespace;
                for k in self.store.deployments.keys().filter(|k| &k.namespace == ns) {
                    self.dirty.insert((Kind::Deployment, k.clone()));
                }
            }
        }
    }

    fn schedule_step(&mut self, at: Time, key: &Key, uid: &str, step: Step) {
        self.seq += 1;
        self.lifecycle
            .insert((at, self.seq), (key.clone(), uid.to_owned(), step));
    }

    fn delete_pod(&mut self, key: &Key) {
        let Some(old) = self.store.pods.get(key).cloned() else {
            return;
        };
        if old.metadata.deletion_timestamp.is_some() {
            return;
        }
        let grace = old
            .spec
            .termination_grace_period_seconds
            .unwrap_or(30)
            .max(0);
        if old.spec.node_name.is_empty()
            || self.lost_nodes.contains_key(&old.spec.node_name) && grace == 0
        {
            self.pod_removed(&old);
            self.store.remove_pod(key);
            return;
        }
        let mut pod = old.clone();
        pod.metadata.deletion_timestamp = Some(self.now);
        pod.metadata.deletion_grace_period_seconds = Some(grace);
        pod.metadata.resource_version = self.store.next_resource_version();
        for c in &pod.spec.containers {
            self.record(pod_event(
                &pod,
                "kubelet",
                false,
                "Killing",
                format!("Stopping container {}", c.name),
            ));
        }
        let delay = self
            .config
            .termination_delay
            .min(Duration::from_secs(u64::try_from(grace).unwrap_or(0)));
        let uid = pod.metadata.uid.clone();
        self.pod_written(&pod, Some(&old));
        self.store.put_pod(pod);
        let at = self.now.add_duration(delay);
        self.schedule_step(at, key, &uid, Step::Finalize);
    }

    /// Runs every lifecycle step due now; true if any ran.
    fn run_lifecycle(&mut self) -> bool {
        let mut ran = false;
        while let Some(entry) = self.lifecycle.first_entry() {
            if entry.key().0 > self.now {
                break;
            }
            let (key, uid, step) = entry.remove();
            ran = true;
            self.lifecycle_step(&key, &uid, step);
        }
        ran
    }

    fn lifecycle_step(&mut self, key: &Key, uid: &str, step: Step) {
        let Some(current) = self.store.pods.get(key).filter(|p| p.metadata.uid == uid) else {
            return;
        };
        if step == Step::Finalize {
            if let Some(pod) = self.store.remove_pod(key) {
                self.pod_removed(&pod);
            }
            return;
        }
        if current.metadata.deletion_timestamp.is_some()
            || self.lost_nodes.contains_key(&current.spec.node_name)
        {
            return;
        }
        // Work on the stored pod in place (taken out and put back: no copy).
        let mut pod = match self.store.pods.get_mut(key) {
            Some(slot) => std::mem::take(slot),
            None => return,
        };
        let changed = self.advance_pod(&mut pod, key, uid, step);
        if changed {
            pod.metadata.resource_version = self.store.next_resource_version();
            self.pod_written(&pod, None);
        }
        if let Some(slot) = self.store.pods.get_mut(key) {
            *slot = pod;
        }
    }

    /// Applies one lifecycle step to a pod; false when the step no longer applies.
    fn advance_pod(&mut self, pod: &mut Pod, key: &Key, uid: &str, step: Step) -> bool {
        let image = pod
            .spec
            .containers
            .first()
            .map(|c| c.image.clone())
            .unwrap_or_default();
        let profile = self.config.profile(&image).clone();
        match step {
            Step::Schedule => {
                let live = self
                    .config
                    .nodes
                    .iter()
                    .filter(|n| !self.lost_nodes.contains_key(*n))
                    .count();
                if live == 0 {
                    return false;
                }
                let pick = self.next_node % live;
                let Some((index, node)) = self
                    .config
                    .nodes
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| !self.lost_nodes.contains_key(*n))
                    .nth(pick)
                    .map(|(i, n)| (i, n.clone()))
                else {
                    return false;
                };
                self.next_node += 1;
                let host_ip = format!("172.18.0.{}", index + 2);
                lifecycle::schedule(pod, &node, &host_ip, self.now);
                self.record(pod_event(
                    pod,
                    "default-scheduler",
                    false,
                    "Scheduled",
                    format!(
                        "Successfully assigned {}/{} to {node}",
                        key.namespace, key.name
                    ),
                ));
                self.schedule_step(
                    self.now.add_duration(profile.start_delay),
                    key,
                    uid,
                    Step::Start,
                );
            }
            Step::Start | Step::Restart => {
                let node = pod.spec.node_name.clone();
                let index = self
                    .config
                    .nodes
                    .iter()
                    .position(|n| *n == node)
                    .unwrap_or(0);
                let n = self.next_ip.entry(node).or_insert(1);
                *n += 1;
                let pod_ip = format!("10.244.{}.{}", index + 1, *n % 254 + 1);
                lifecycle::start(pod, &pod_ip, self.now);
                if step == Step::Start {
                    for c in pod.spec.containers.clone() {
                        self.record(pod_event(
                            pod,
                            "kubelet",
                            false,
                            "Pulled",
                            format!("Container image {:?} already present on machine", c.image),
                        ));
                        self.record(pod_event(
                            pod,
                            "kubelet",
                            false,
                            "Created",
                            format!("Created container {}", c.name),
                        ));
                        self.record(pod_event(
                            pod,
                            "kubelet",
                            false,
                            "Started",
                            format!("Started container {}", c.name),
                        ));
                    }
                }
                if !profile.never_ready {
                    self.schedule_step(
                        self.now.add_duration(profile.ready_delay),
                        key,
                        uid,
                        Step::Ready,
                    );
                } else {
                    self.record(pod_event(
                        pod,
                        "kubelet",
                        true,
                        "Unhealthy",
                        "Readiness probe failed: HTTP probe failed with statuscode: 503".to_owned(),
                    ));
                }
                if let Some(after) = profile.crash_after {
                    self.schedule_step(self.now.add_duration(after), key, uid, Step::Crash);
                }
            }
            Step::Ready => {
                if pod.status.phase != crate::api::PodPhase::Running
                    || pod
                        .status
                        .container_statuses
                        .iter()
                        .any(|s| s.state.running.is_none())
                {
                    return false;
                }
                lifecycle::ready(pod, self.now);
            }
            Step::Crash => {
                let restarts = lifecycle::crash(pod, self.now);
                let name = pod
                    .spec
                    .containers
                    .first()
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                self.record(pod_event(
                    pod,
                    "kubelet",
                    true,
                    "BackOff",
                    format!(
                        "Back-off restarting failed container {name} in pod {}_{}({uid})",
                        key.name, key.namespace
                    ),
                ));
                let at = self.now.add_duration(lifecycle::crash_backoff(restarts));
                self.schedule_step(at, key, uid, Step::Restart);
            }
            Step::Finalize => {}
        }
        true
    }

    fn refresh_cache(&mut self) {
        let Some(cache) = &self.pod_cache else {
            return;
        };
        // Tell expectations what the informer now sees: new pods and deletions.
        let mut created = Vec::new();
        let mut deleted = Vec::new();
        for (k, p) in &self.store.pods {
            if !cache.contains_key(k) {
                created.push(p.metadata.controller_ref().map(|r| r.uid.clone()));
            }
            if p.metadata.deletion_timestamp.is_some()
                && cache
                    .get(k)
                    .is_some_and(|c| c.metadata.deletion_timestamp.is_none())
            {
                deleted.push((
                    p.metadata.controller_ref().map(|r| r.uid.clone()),
                    k.to_string(),
                ));
            }
        }
        for (k, p) in cache {
            if !self.store.pods.contains_key(k) && p.metadata.deletion_timestamp.is_none() {
                deleted.push((
                    p.metadata.controller_ref().map(|r| r.uid.clone()),
                    k.to_string(),
                ));
            }
        }
        for owner in created.into_iter().flatten() {
            if let Some((_, key)) = self.controllers.get(&owner) {
                self.expectations.creation_observed(&key.to_string());
            }
        }
        for (owner, pod_key) in deleted {
            if let Some((_, key)) = owner.and_then(|o| self.controllers.get(&o)) {
                self.expectations
                    .deletion_observed(&key.to_string(), &pod_key);
            }
        }
        self.pod_cache = Some(self.store.pods.clone());
    }

    fn sample(&mut self) {
        let mut replica_sets = Vec::new();
        for rs in self.store.replica_sets.values() {
            let deployment = rs
                .metadata
                .controller_ref()
                .filter(|r| r.kind == "Deployment")
                .map(|r| r.name.clone());
            let pods = self
                .store
                .pods_by_owner
                .get(&rs.metadata.uid)
                .map_or(0, BTreeSet::len);
            replica_sets.push(ReplicaSetSample {
                name: Key::of(&rs.metadata).to_string(),
                deployment,
                spec: rs.replicas(),
                pods: i32::try_from(pods).unwrap_or(i32::MAX),
                ready: rs.status.ready_replicas,
                available: rs.status.available_replicas,
            });
        }
        let deployments = self
            .store
            .deployments
            .values()
            .map(|d| DeploymentSample {
                name: Key::of(&d.metadata).to_string(),
                replicas: d.replicas(),
                max_surge: deployment::util::max_surge(d),
                max_unavailable: deployment::util::max_unavailable(d),
                conditions: d
                    .status
                    .conditions
                    .iter()
                    .map(|c| (c.type_.to_string(), c.status.to_string(), c.reason.clone()))
                    .collect(),
            })
            .collect();
        self.timeline.record(Sample {
            time: self.now,
            replica_sets,
            deployments,
        });
    }
}

/// The key of a `namespace/name` string.
fn key_of(s: &str) -> Key {
    let (ns, name) = s.split_once('/').unwrap_or(("", s));
    Key::new(ns, name)
}

fn pod_event(
    pod: &Pod,
    source: &'static str,
    warning: bool,
    reason: &str,
    message: String,
) -> Event {
    let regarding = ObjectReference {
        kind: "Pod".to_owned(),
        namespace: pod.metadata.namespace.clone(),
        name: pod.metadata.name.clone(),
        uid: pod.metadata.uid.clone(),
    };
    if warning {
        Event::warning(regarding, source, reason, message)
    } else {
        Event::normal(regarding, source, reason, message)
    }
}

/// The metadata fields only the API server sets.
struct SystemFields {
    uid: String,
    creation: Option<Time>,
    generation: i64,
    deletion: Option<Time>,
    grace: Option<i64>,
}

fn system_fields(meta: &ObjectMeta) -> SystemFields {
    SystemFields {
        uid: meta.uid.clone(),
        creation: meta.creation_timestamp,
        generation: meta.generation,
        deletion: meta.deletion_timestamp,
        grace: meta.deletion_grace_period_seconds,
    }
}

fn restore_system_fields(
    meta: &mut ObjectMeta,
    s: SystemFields,
    resource_version: String,
    bump: bool,
) {
    meta.uid = s.uid;
    meta.creation_timestamp = s.creation;
    meta.generation = s.generation + i64::from(bump);
    meta.deletion_timestamp = s.deletion;
    meta.deletion_grace_period_seconds = s.grace;
    meta.resource_version = resource_version;
}

#[cfg(test)]
mod tests;
