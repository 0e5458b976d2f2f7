//! The pod-template hash (the `pod-template-hash` label) and template equality ignoring it.
//!
//! A Deployment names its new ReplicaSet `<deployment>-<hash>`, where `<hash>` is computed from
//! `spec.template` and `status.collisionCount` ([`pod_template_hash`]). It finds the ReplicaSet
//! that belongs to the current template by comparing templates with [`equal_ignore_hash`], never
//! by comparing hashes, exactly as upstream does.
//!
//! # Not a real cluster's hash
//!
//! Upstream (v1.28–v1.32) feeds FNV-1a 32 with a go-spew dump of the Go value of
//! `v1.PodTemplateSpec`: Go type names, every field of every nested struct of one particular
//! `k8s.io/api` release, defaulted values included. That text cannot be reproduced outside Go, and it
//! changes whenever Kubernetes adds a field. **This crate's hash is therefore not byte-identical to
//! the one a real cluster computes for the same template.** It is stable for this crate: the same
//! template and collision count give the same hash on every platform and in every run, it is
//! independent of YAML key order and of map insertion order, and the golden values in
//! `tests/hash.rs` pin it. **Changing the encoding below is a breaking change** (every
//! Deployment's new ReplicaSet name would change); it is versioned by the first byte.
//!
//! What is kept from upstream: FNV-1a 32; the collision count appended as 8 bytes; the sum printed
//! in decimal and mapped through [`safe_encode`]; `collisionCount: None` and `Some(0)` give
//! different hashes.
//!
//! # The encoding, byte by byte
//!
//! The hasher is FNV-1a 32 (offset basis `0x811c9dc5`, prime `0x01000193`), fed the following
//! byte stream. The stream is built on the fly; nothing is formatted into an intermediate buffer.
//!
//! | item | bytes |
//! |---|---|
//! | stream | `0x01` (format version), *template*, then *collision* if `collisionCount` is `Some` |
//! | *collision* | the count as a `u32` (two's complement bits), little-endian, then `00 00 00 00` |
//! | `uvarint(n)` | unsigned LEB128: 7 bits per byte, low bits first, high bit set on all but the last byte |
//! | `str(s)` | `uvarint(byte length)`, then the UTF-8 bytes |
//! | `int(i)` | the value widened to `i64`, 8 bytes little-endian two's complement (`i32` fields too) |
//! | `bool(b)` | `0x00` or `0x01` |
//! | `time(t)` | `int(seconds since the Unix epoch)` |
//! | `opt(x)` | `0x00` for `None`; `0x01` then `x` for `Some` |
//! | `list(x)` | `uvarint(count)`, then each element |
//! | `strmap(m)` | `uvarint(count)`, then `str(key) str(value)` per entry in ascending byte order of the keys |
//! | `enum(e)` | `str` of the spelling as written (`Always`, `TCP`, or the `Other` text) |
//! | `extra(m)` | *mapping body* of the struct's unmodelled fields (see below) |
//!
//! Structs are written field by field in this fixed order (JSON names), each followed by its
//! `extra`:
//!
//! | struct | fields |
//! |---|---|
//! | PodTemplateSpec | *ObjectMeta* `metadata`, *PodSpec* `spec`, `extra` |
//! | ObjectMeta | `str` name, generateName, namespace, uid, resourceVersion; `int` generation; `opt(time)` creationTimestamp, deletionTimestamp; `opt(int)` deletionGracePeriodSeconds; `strmap` labels, annotations; `list(`*OwnerReference*`)` ownerReferences; `list(str)` finalizers; `extra` |
//! | OwnerReference | `str` apiVersion, kind, name, uid; `opt(bool)` controller, blockOwnerDeletion; `extra` |
//! | PodSpec | `list(`*Container*`)` initContainers, containers; `enum` restartPolicy; `opt(int)` terminationGracePeriodSeconds, activeDeadlineSeconds; `strmap` nodeSelector; `str` nodeName; `extra` |
//! | Container | `str` name, image; `list(`*ContainerPort*`)` ports; `opt(enum)` restartPolicy; `extra` |
//! | ContainerPort | `str` name; `int` hostPort, containerPort; `enum` protocol; `str` hostIP; `extra` |
//!
//! Unmodelled fields ([`Value`]s) are written with a one-byte type tag:
//!
//! | node | bytes |
//! |---|---|
//! | null | `0x00` |
//! | boolean | `0x01`, `bool` |
//! | integer (`Int`) | `0x02`, 8 bytes little-endian `i64` |
//! | integer above `i64::MAX` (`UInt`) | `0x03`, 8 bytes little-endian `u64` |
//! | other number (`Float`) | `0x04`, the IEEE-754 bits as 8 bytes little-endian (`-0.0` written as `0.0`) |
//! | string | `0x05`, `str` |
//! | list | `0x06`, `list(node)` |
//! | mapping | `0x07`, *mapping body* |
//! | *mapping body* | `uvarint(count)`, then `str(key) node` per **kept** entry, in ascending byte order of the keys |
//!
//! An entry is **kept** unless its value is absent: `null`, an empty list, or a mapping whose
//! entries are all absent (recursively). List elements are never dropped.
//!
//! # Normalisation: what counts as the same template
//!
//! Upstream compares decoded Go structs with `apiequality.Semantic.DeepEqual`. The hash and
//! [`equal_ignore_hash`] treat a template the same way as far as this crate can know:
//!
//! - nil and empty lists and maps are equal: automatic for modelled fields (an absent list *is* an
//!   empty `Vec`), and inside `extra` by dropping absent entries as described above;
//! - map keys (labels, annotations, node selectors, every `extra` and nested mapping) are
//!   unordered;
//! - string enums compare by their spelling (`Protocol::Tcp` equals `Protocol::Other("TCP")`).
//!
//! Deliberate differences, because the Go type of an unmodelled field is unknown here:
//!
//! - **zero scalars inside unmodelled fields are compared as written**: `stdin: false`,
//!   `priority: 0` or `workingDir: ""` differ from the field being absent, while upstream's
//!   decoded Go struct cannot tell them apart (a non-pointer field) or can (a pointer field);
//! - an unmodelled field written as `{}` (an empty object) equals its absence, although upstream
//!   distinguishes a nil pointer from a pointer to an empty struct (`securityContext: {}`);
//! - resource quantities are compared as written (`cpu: 1`, `cpu: "1"` and `cpu: 1000m` all
//!   differ), while upstream compares quantities numerically.
//!
//! The modelled fields are compared exactly as their Rust types say (`Option` `None` differs from
//! `Some(0)`, as a Go pointer does).

use indexmap::IndexMap;

use crate::api::{Container, ContainerPort, PodSpec, PodTemplateSpec};
use crate::meta::{Labels, ObjectMeta, OwnerReference};
use crate::selector::str_eq as eq_str;
use crate::time::Time;
use crate::value::{Mapping, Value};

/// The label the Deployment controller adds to ReplicaSets, their selectors and their pods.
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";

/// Kubernetes' vowel-free alphabet (`k8s.io/apimachinery/pkg/util/rand`).
pub const SAFE_ALPHABET: &[u8; 27] = b"bcdfghjklmnpqrstvwxz2456789";

/// The first byte of the hashed stream; bumped whenever the encoding changes.
pub const ENCODING_VERSION: u8 = 1;

/// Upstream's `SafeEncodeString`: every byte `c` becomes `SAFE_ALPHABET[c % 27]`.
#[must_use]
pub fn safe_encode(s: &str) -> String {
    s.bytes().map(|c| char::from(safe_byte(c))).collect()
}

#[inline]
fn safe_byte(c: u8) -> u8 {
    SAFE_ALPHABET[usize::from(c) % SAFE_ALPHABET.len()]
}

/// The hash of a template and collision count, as used in `<deployment>-<hash>` and the
/// `pod-template-hash` label: [`pod_template_sum32`] in decimal, mapped through [`safe_encode`].
#[must_use]
pub fn pod_template_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    let mut sum = pod_template_sum32(template, collision_count);
    // Decimal digits, least significant first, then reversed while encoding.
    let mut digits = [0u8; 10];
    let mut len = 0;
    loop {
        if let Some(slot) = digits.get_mut(len) {
            // `sum % 10` is below 10, so the conversion never fails.
            *slot = b'0' + u8::try_from(sum % 10).unwrap_or(0);
            len += 1;
        }
        sum /= 10;
        if sum == 0 || len == digits.len() {
            break;
        }
    }
    digits
        .get(..len)
        .unwrap_or_default()
        .iter()
        .rev()
        .map(|&d| char::from(safe_byte(d)))
        .collect()
}

/// The FNV-1a 32 sum of the canonical encoding (module docs) of a template and collision count.
#[must_use]
pub fn pod_template_sum32(template: &PodTemplateSpec, collision_count: Option<i32>) -> u32 {
    let mut h = Fnv1a::new();
    h.byte(ENCODING_VERSION);
    h.template(template);
    if let Some(c) = collision_count {
        let mut buf = [0u8; 8];
        buf[..4].copy_from_slice(&c.to_le_bytes());
        h.bytes(&buf);
    }
    h.0
}

/// Upstream's `EqualIgnoreHash`: the templates are semantically equal once the
/// `pod-template-hash` label is removed from both (see the module docs for what "semantically"
/// covers). Neither template is copied or changed.
#[must_use]
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    // Exhaustive destructuring: a field added to the struct must be added here (and to the hash).
    let PodTemplateSpec {
        metadata: meta_a,
        spec: spec_a,
        extra: extra_a,
    } = a;
    let PodTemplateSpec {
        metadata: meta_b,
        spec: spec_b,
        extra: extra_b,
    } = b;
    // Templates of one Deployment's ReplicaSets mostly differ in an image: check that first (a
    // conjunction, so the order changes speed only).
    let images_differ = spec_a.containers.len() != spec_b.containers.len()
        || spec_a
            .containers
            .iter()
            .zip(&spec_b.containers)
            .any(|(x, y)| !eq_str(&x.image, &y.image));
    !images_differ
        && meta_eq(meta_a, meta_b, Some(POD_TEMPLATE_HASH_LABEL))
        && spec_eq(spec_a, spec_b)
        && mapping_eq(extra_a, extra_b)
}

// ---------------------------------------------------------------------------------------------
// Hashing

/// FNV-1a 32 with the encoding primitives of the module docs.
struct Fnv1a(u32);

impl Fnv1a {
    const OFFSET_BASIS: u32 = 0x811c_9dc5;
    const PRIME: u32 = 0x0100_0193;

    fn new() -> Self {
        Fnv1a(Self::OFFSET_BASIS)
    }

    #[inline]
    fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ u32::from(b)).wrapping_mul(Self::PRIME);
    }

    #[inline]
    fn bytes(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        for &b in bytes {
            h = (h ^ u32::from(b)).wrapping_mul(Self::PRIME);
        }
        self.0 = h;
    }

    #[inline]
    fn uvarint(&mut self, n: usize) {
        let mut n = u64::try_from(n).unwrap_or(u64::MAX);
        while n >= 0x80 {
            self.byte(u8::try_from(n & 0x7f).unwrap_or(0) | 0x80);
            n >>= 7;
        }
        self.byte(u8::try_from(n).unwrap_or(0));
    }

    #[inline]
    fn str(&mut self, s: &str) {
        self.uvarint(s.len());
        self.bytes(s.as_bytes());
    }

    #[inline]
    fn int(&mut self, i: i64) {
        self.bytes(&i.to_le_bytes());
    }

    #[inline]
    fn bool(&mut self, b: bool) {
        self.byte(u8::from(b));
    }

    #[inline]
    fn time(&mut self, t: Time) {
        self.int(t.unix());
    }

    #[inline]
    fn opt<T>(&mut self, o: Option<T>, f: impl FnOnce(&mut Self, T)) {
        match o {
            None => self.byte(0),
            Some(v) => {
                self.byte(1);
                f(self, v);
            }
        }
    }

    fn strmap(&mut self, m: &Labels) {
        self.uvarint(m.len());
        for_each_sorted(
            m,
            |_| true,
            |k, v| {
                self.str(k);
                self.str(v);
            },
        );
    }

    fn mapping(&mut self, m: &Mapping) {
        self.uvarint(m.values().filter(|v| !is_absent(v)).count());
        for_each_sorted(
            m,
            |v| !is_absent(v),
            |k, v| {
                self.str(k);
                self.value(v);
            },
        );
    }

    fn value(&mut self, v: &Value) {
        match v {
            Value::Null => self.byte(0x00),
            Value::Bool(b) => {
                self.byte(0x01);
                self.bool(*b);
            }
            Value::Int(i) => {
                self.byte(0x02);
                self.int(*i);
            }
            Value::UInt(u) => {
                self.byte(0x03);
                self.bytes(&u.to_le_bytes());
            }
            Value::Float(f) => {
                self.byte(0x04);
                self.bytes(&float_bits(*f).to_le_bytes());
            }
            Value::String(s) => {
                self.byte(0x05);
                self.str(s);
            }
            Value::Sequence(items) => {
                self.byte(0x06);
                self.uvarint(items.len());
                for item in items {
                    self.value(item);
                }
            }
            Value::Mapping(m) => {
                self.byte(0x07);
                self.mapping(m);
            }
        }
    }

    fn template(&mut self, t: &PodTemplateSpec) {
        let PodTemplateSpec {
            metadata,
            spec,
            extra,
        } = t;
        self.meta(metadata);
        self.spec(spec);
        self.mapping(extra);
    }

    fn meta(&mut self, m: &ObjectMeta) {
        let ObjectMeta {
            name,
            generate_name,
            namespace,
            uid,
            resource_version,
            generation,
            creation_timestamp,
            deletion_timestamp,
            deletion_grace_period_seconds,
            labels,
            annotations,
            owner_references,
            finalizers,
            extra,
        } = m;
        self.str(name);
        self.str(generate_name);
        self.str(namespace);
        self.str(uid);
        self.str(resource_version);
        self.int(*generation);
        self.opt(*creation_timestamp, Self::time);
        self.opt(*deletion_timestamp, Self::time);
        self.opt(*deletion_grace_period_seconds, Self::int);
        self.strmap(labels);
        self.strmap(annotations);
        self.uvarint(owner_references.len());
        for r in owner_references {
            self.owner_reference(r);
        }
        self.uvarint(finalizers.len());
        for f in finalizers {
            self.str(f);
        }
        self.mapping(extra);
    }

    fn owner_reference(&mut self, r: &OwnerReference) {
        let OwnerReference {
            api_version,
            kind,
            name,
            uid,
            controller,
            block_owner_deletion,
            extra,
        } = r;
        self.str(api_version);
        self.str(kind);
        self.str(name);
        self.str(uid);
        self.opt(*controller, Self::bool);
        self.opt(*block_owner_deletion, Self::bool);
        self.mapping(extra);
    }

    fn spec(&mut self, s: &PodSpec) {
        let PodSpec {
            init_containers,
            containers,
            restart_policy,
            termination_grace_period_seconds,
            active_deadline_seconds,
            node_selector,
            node_name,
            extra,
        } = s;
        self.uvarint(init_containers.len());
        for c in init_containers {
            self.container(c);
        }
        self.uvarint(containers.len());
        for c in containers {
            self.container(c);
        }
        self.str(restart_policy.as_str());
        self.opt(*termination_grace_period_seconds, Self::int);
        self.opt(*active_deadline_seconds, Self::int);
        self.strmap(node_selector);
        self.str(node_name);
        self.mapping(extra);
    }

    fn container(&mut self, c: &Container) {
        let Container {
            name,
            image,
            ports,
            restart_policy,
            extra,
        } = c;
        self.str(name);
        self.str(image);
        self.uvarint(ports.len());
        for p in ports {
            self.port(p);
        }
        self.opt(restart_policy.as_ref(), |h, p| h.str(p.as_str()));
        self.mapping(extra);
    }

    fn port(&mut self, p: &ContainerPort) {
        let ContainerPort {
            name,
            host_port,
            container_port,
            protocol,
            host_ip,
            extra,
        } = p;
        self.str(name);
        self.int(i64::from(*host_port));
        self.int(i64::from(*container_port));
        self.str(protocol.as_str());
        self.str(host_ip);
        self.mapping(extra);
    }
}

/// The bits of a float with `-0.0` folded onto `0.0` (they compare equal).
#[inline]
fn float_bits(f: f64) -> u64 {
    let bits = f.to_bits();
    if bits & !(1 << 63) == 0 { 0 } else { bits }
}

/// Maps with at most this many entries are walked in key order without allocating.
const SMALL_MAP: usize = 8;

/// Calls `f` on the entries of `m` that `keep` accepts, in ascending byte order of the keys.
fn for_each_sorted<'m, V>(
    m: &'m IndexMap<String, V>,
    keep: impl Fn(&V) -> bool,
    mut f: impl FnMut(&'m str, &'m V),
) {
    let already_sorted = m
        .keys()
        .zip(m.keys().skip(1))
        .all(|(a, b)| a.as_str() < b.as_str());
    if already_sorted {
        for (k, v) in m {
            if keep(v) {
                f(k, v);
            }
        }
    } else if m.len() <= SMALL_MAP {
        // Repeated selection of the next larger key: O(k²) comparisons, no allocation.
        let mut last: Option<&str> = None;
        loop {
            let mut next: Option<(&'m str, &'m V)> = None;
            for (k, v) in m {
                let k = k.as_str();
                if last.is_some_and(|l| k <= l) {
                    continue;
                }
                if next.is_none_or(|(n, _)| k < n) {
                    next = Some((k, v));
                }
            }
            let Some((k, v)) = next else { break };
            if keep(v) {
                f(k, v);
            }
            last = Some(k);
        }
    } else {
        let mut entries: Vec<(&'m str, &'m V)> = m
            .iter()
            .filter(|(_, v)| keep(v))
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (k, v) in entries {
            f(k, v);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Semantic equality

/// True for values that count as absent inside a mapping: `null`, `[]`, and mappings whose
/// entries are all absent.
fn is_absent(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Sequence(items) => items.is_empty(),
        Value::Mapping(m) => m.values().all(is_absent),
        _ => false,
    }
}

/// Maps equal over the entries `skip` does not drop, regardless of key order.
///
/// Walks both maps in lockstep first (no hashing): maps decoded from the same text, or copied
/// from one another, usually list their keys in the same order. Falls back to lookups at the
/// first key that differs.
fn maps_eq<V>(
    a: &IndexMap<String, V>,
    b: &IndexMap<String, V>,
    skip: impl Fn(&str, &V) -> bool,
    eq: impl Fn(&V, &V) -> bool,
) -> bool {
    let mut ia = a.iter().filter(|(k, v)| !skip(k, v));
    let mut ib = b.iter().filter(|(k, v)| !skip(k, v));
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return true,
            (Some((ka, va)), Some((kb, vb))) if eq_str(ka, kb) => {
                if !eq(va, vb) {
                    return false;
                }
            }
            _ => break,
        }
    }
    let kept = |m: &IndexMap<String, V>| m.iter().filter(|(k, v)| !skip(k, v)).count();
    kept(a) == kept(b)
        && a.iter()
            .filter(|(k, v)| !skip(k, v))
            .all(|(k, v)| b.get(k.as_str()).is_some_and(|w| !skip(k, w) && eq(v, w)))
}

/// Mappings equal once absent entries are dropped, regardless of key order.
fn mapping_eq(a: &Mapping, b: &Mapping) -> bool {
    maps_eq(a, b, |_, v| is_absent(v), value_eq)
}

/// Values equal under the normalisation of the module docs.
fn value_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Mapping(a), Value::Mapping(b)) => mapping_eq(a, b),
        (Value::Sequence(a), Value::Sequence(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| value_eq(x, y))
        }
        (Value::Float(x), Value::Float(y)) => float_bits(*x) == float_bits(*y),
        _ => a == b,
    }
}

/// String maps equal, ignoring the key `skip` in both.
fn labels_eq(a: &Labels, b: &Labels, skip: Option<&str>) -> bool {
    maps_eq(
        a,
        b,
        |k, _| skip.is_some_and(|s| eq_str(s, k)),
        |x, y| eq_str(x, y),
    )
}

fn list_eq<T>(a: &[T], b: &[T], eq: impl Fn(&T, &T) -> bool) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| eq(x, y))
}

fn meta_eq(a: &ObjectMeta, b: &ObjectMeta, skip_label: Option<&str>) -> bool {
    let ObjectMeta {
        name,
        generate_name,
        namespace,
        uid,
        resource_version,
        generation,
        creation_timestamp,
        deletion_timestamp,
        deletion_grace_period_seconds,
        labels,
        annotations,
        owner_references,
        finalizers,
        extra,
    } = a;
    eq_str(name, &b.name)
        && eq_str(generate_name, &b.generate_name)
        && eq_str(namespace, &b.namespace)
        && eq_str(uid, &b.uid)
        && eq_str(resource_version, &b.resource_version)
        && *generation == b.generation
        && *creation_timestamp == b.creation_timestamp
        && *deletion_timestamp == b.deletion_timestamp
        && *deletion_grace_period_seconds == b.deletion_grace_period_seconds
        && labels_eq(labels, &b.labels, skip_label)
        && labels_eq(annotations, &b.annotations, None)
        && list_eq(owner_references, &b.owner_references, owner_reference_eq)
        && list_eq(finalizers, &b.finalizers, |x, y| eq_str(x, y))
        && mapping_eq(extra, &b.extra)
}

fn owner_reference_eq(a: &OwnerReference, b: &OwnerReference) -> bool {
    let OwnerReference {
        api_version,
        kind,
        name,
        uid,
        controller,
        block_owner_deletion,
        extra,
    } = a;
    eq_str(api_version, &b.api_version)
        && eq_str(kind, &b.kind)
        && eq_str(name, &b.name)
        && eq_str(uid, &b.uid)
        && *controller == b.controller
        && *block_owner_deletion == b.block_owner_deletion
        && mapping_eq(extra, &b.extra)
}

fn spec_eq(a: &PodSpec, b: &PodSpec) -> bool {
    let PodSpec {
        init_containers,
        containers,
        restart_policy,
        termination_grace_period_seconds,
        active_deadline_seconds,
        node_selector,
        node_name,
        extra,
    } = a;
    list_eq(init_containers, &b.init_containers, container_eq)
        && list_eq(containers, &b.containers, container_eq)
        && eq_str(restart_policy.as_str(), b.restart_policy.as_str())
        && *termination_grace_period_seconds == b.termination_grace_period_seconds
        && *active_deadline_seconds == b.active_deadline_seconds
        && labels_eq(node_selector, &b.node_selector, None)
        && eq_str(node_name, &b.node_name)
        && mapping_eq(extra, &b.extra)
}

fn container_eq(a: &Container, b: &Container) -> bool {
    let Container {
        name,
        image,
        ports,
        restart_policy,
        extra,
    } = a;
    eq_str(name, &b.name)
        && eq_str(image, &b.image)
        && list_eq(ports, &b.ports, port_eq)
        && match (restart_policy, &b.restart_policy) {
            (Some(x), Some(y)) => eq_str(x.as_str(), y.as_str()),
            (x, y) => x.is_none() && y.is_none(),
        }
        && mapping_eq(extra, &b.extra)
}

fn port_eq(a: &ContainerPort, b: &ContainerPort) -> bool {
    let ContainerPort {
        name,
        host_port,
        container_port,
        protocol,
        host_ip,
        extra,
    } = a;
    eq_str(name, &b.name)
        && *host_port == b.host_port
        && *container_port == b.container_port
        && eq_str(protocol.as_str(), b.protocol.as_str())
        && eq_str(host_ip, &b.host_ip)
        && mapping_eq(extra, &b.extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_encode_maps_digits() {
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
        assert_eq!(safe_encode("3718868910"), "7c5ddbdf54");
    }

    #[test]
    fn uvarint_is_leb128() {
        let mut a = Fnv1a::new();
        a.uvarint(300);
        let mut b = Fnv1a::new();
        b.bytes(&[0xac, 0x02]);
        assert_eq!(a.0, b.0);
        let mut a = Fnv1a::new();
        a.uvarint(127);
        let mut b = Fnv1a::new();
        b.byte(127);
        assert_eq!(a.0, b.0);
    }

    #[test]
    fn fnv1a_known_vectors() {
        let sum = |s: &str| {
            let mut h = Fnv1a::new();
            h.bytes(s.as_bytes());
            h.0
        };
        assert_eq!(sum(""), 0x811c_9dc5);
        assert_eq!(sum("a"), 0xe40c_292c);
        assert_eq!(sum("foobar"), 0xbf9c_f968);
    }

    #[test]
    fn sorted_walk_small_large_and_presorted() {
        for n in [0usize, 1, 3, 8, 9, 30] {
            let mut m: IndexMap<String, u32> = IndexMap::new();
            for i in (0..n).rev() {
                m.insert(format!("k{i:02}"), u32::try_from(i).unwrap());
            }
            let mut seen = Vec::new();
            for_each_sorted(&m, |v| v % 3 != 1, |k, _| seen.push(k.to_owned()));
            let mut want: Vec<String> = m
                .iter()
                .filter(|(_, v)| *v % 3 != 1)
                .map(|(k, _)| k.clone())
                .collect();
            want.sort();
            assert_eq!(seen, want, "n = {n}");
            m.sort_keys();
            seen.clear();
            for_each_sorted(&m, |v| v % 3 != 1, |k, _| seen.push(k.to_owned()));
            assert_eq!(seen, want, "sorted, n = {n}");
        }
    }

    #[test]
    fn float_zero_sign_folds() {
        assert_eq!(float_bits(-0.0), float_bits(0.0));
        assert_ne!(float_bits(1.0), float_bits(-1.0));
        assert!(value_eq(&Value::Float(-0.0), &Value::Float(0.0)));
    }
}
