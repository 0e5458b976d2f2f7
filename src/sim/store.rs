//! The simulated API server's object store: objects by kind, namespace and name, with uids,
//! resource versions, the generation rule, generated names and garbage collection.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::{Deployment, Pod, ReplicaSet, ReplicationController};
use crate::hash::SAFE_ALPHABET;
use crate::meta::ObjectMeta;
use crate::time::Time;

/// The kinds the simulator stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Kind {
    /// `Deployment` (apps/v1).
    Deployment,
    /// `ReplicaSet` (apps/v1).
    ReplicaSet,
    /// `ReplicationController` (v1).
    ReplicationController,
    /// `Pod` (v1).
    Pod,
}

impl Kind {
    /// The kind's name as in manifests.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::ReplicationController => "ReplicationController",
            Kind::Pod => "Pod",
        }
    }

    /// The kind named in an owner reference, if the simulator stores it.
    #[must_use]
    pub fn parse(kind: &str) -> Option<Kind> {
        match kind {
            "Deployment" => Some(Kind::Deployment),
            "ReplicaSet" => Some(Kind::ReplicaSet),
            "ReplicationController" => Some(Kind::ReplicationController),
            "Pod" => Some(Kind::Pod),
            _ => None,
        }
    }
}

/// `namespace/name`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
}

impl Key {
    /// A key.
    #[must_use]
    pub fn new(namespace: &str, name: &str) -> Self {
        Key {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }
    }

    /// The key of an object.
    #[must_use]
    pub fn of(meta: &ObjectMeta) -> Self {
        Key::new(&meta.namespace, &meta.name)
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// A deterministic pseudo-random generator (SplitMix64) for names and uids.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `n` characters of Kubernetes' vowel-free alphabet (the API server's `generateName` suffix).
    pub(crate) fn suffix(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| {
                let i = usize::try_from(self.next_u64() % 27).unwrap_or(0);
                char::from(SAFE_ALPHABET.get(i).copied().unwrap_or(b'x'))
            })
            .collect()
    }

    /// A version-4 style UUID.
    pub(crate) fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

/// The objects, by kind.
#[derive(Clone, Debug, Default)]
pub struct Store {
    pub(crate) deployments: BTreeMap<Key, Deployment>,
    pub(crate) replica_sets: BTreeMap<Key, ReplicaSet>,
    pub(crate) replication_controllers: BTreeMap<Key, ReplicationController>,
    pub(crate) pods: BTreeMap<Key, Pod>,
    /// Pod keys by the uid of their controller (for cheap owner lookups).
    pub(crate) pods_by_owner: BTreeMap<String, BTreeSet<Key>>,
    resource_version: u64,
}

impl Store {
    /// The next resource version (a global counter, as etcd's revision).
    pub(crate) fn next_resource_version(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    /// Fills the fields the API server sets on create.
    pub(crate) fn stamp_create(
        &mut self,
        meta: &mut ObjectMeta,
        uid: String,
        now: Time,
        generation: bool,
    ) {
        meta.uid = uid;
        meta.creation_timestamp = Some(now);
        meta.resource_version = self.next_resource_version();
        meta.generation = i64::from(generation);
        meta.deletion_timestamp = None;
    }

    /// Every pod of a namespace.
    pub(crate) fn pods_in(&self, namespace: &str) -> impl Iterator<Item = &Pod> {
        let start = Key::new(namespace, "");
        self.pods
            .range(start..)
            .take_while(move |(k, _)| k.namespace == namespace)
            .map(|(_, p)| p)
    }

    /// Every ReplicaSet of a namespace.
    pub(crate) fn replica_sets_in(&self, namespace: &str) -> impl Iterator<Item = &ReplicaSet> {
        let start = Key::new(namespace, "");
        self.replica_sets
            .range(start..)
            .take_while(move |(k, _)| k.namespace == namespace)
            .map(|(_, r)| r)
    }

    /// Inserts or replaces a pod, keeping the owner index.
    pub(crate) fn put_pod(&mut self, pod: Pod) {
        let key = Key::of(&pod.metadata);
        if let Some(old) = self.pods.get(&key) {
            if let Some(owner) = old.metadata.controller_ref() {
                if let Some(set) = self.pods_by_owner.get_mut(&owner.uid) {
                    set.remove(&key);
                }
            }
        }
        if let Some(owner) = pod.metadata.controller_ref() {
            self.pods_by_owner
                .entry(owner.uid.clone())
                .or_default()
                .insert(key.clone());
        }
        self.pods.insert(key, pod);
    }

    /// Removes a pod, keeping the owner index.
    pub(crate) fn remove_pod(&mut self, key: &Key) -> Option<Pod> {
        let pod = self.pods.remove(key)?;
        if let Some(owner) = pod.metadata.controller_ref() {
            if let Some(set) = self.pods_by_owner.get_mut(&owner.uid) {
                set.remove(key);
                if set.is_empty() {
                    self.pods_by_owner.remove(&owner.uid);
                }
            }
        }
        Some(pod)
    }

    /// Whether a name is taken in a kind and namespace.
    pub(crate) fn exists(&self, kind: Kind, key: &Key) -> bool {
        match kind {
            Kind::Deployment => self.deployments.contains_key(key),
            Kind::ReplicaSet => self.replica_sets.contains_key(key),
            Kind::ReplicationController => self.replication_controllers.contains_key(key),
            Kind::Pod => self.pods.contains_key(key),
        }
    }

    /// Keys of every object whose owner references name `uid` (any kind), for garbage
    /// collection.
    pub(crate) fn dependents(&self, uid: &str) -> Vec<(Kind, Key)> {
        let owned = |m: &ObjectMeta| m.owner_references.iter().any(|r| r.uid == uid);
        let mut out = Vec::new();
        out.extend(
            self.replica_sets
                .iter()
                .filter(|(_, o)| owned(&o.metadata))
                .map(|(k, _)| (Kind::ReplicaSet, k.clone())),
        );
        out.extend(
            self.pods
                .iter()
                .filter(|(_, o)| owned(&o.metadata))
                .map(|(k, _)| (Kind::Pod, k.clone())),
        );
        out
    }
}

/// The API server's name generator: the prefix truncated to 58 bytes, then 5 random
/// characters.
pub(crate) fn generate_name(prefix: &str, rng: &mut Rng) -> String {
    let mut base = prefix.to_owned();
    if base.len() > 58 {
        let mut cut = 58;
        while !base.is_char_boundary(cut) {
            cut -= 1;
        }
        base.truncate(cut);
    }
    base.push_str(&rng.suffix(5));
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uids_are_deterministic() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let n = generate_name("sample-rs-", &mut a);
        assert_eq!(n, generate_name("sample-rs-", &mut b));
        assert_eq!(n.len(), "sample-rs-".len() + 5);
        assert!(
            n["sample-rs-".len()..]
                .bytes()
                .all(|c| SAFE_ALPHABET.contains(&c))
        );
        let long = "a".repeat(80);
        assert_eq!(generate_name(&long, &mut a).len(), 63);
        let uid = a.uuid();
        assert_eq!(uid.len(), 36);
        assert_eq!(&uid[14..15], "4");
    }
}
