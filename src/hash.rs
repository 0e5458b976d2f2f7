//! The pod-template hash (`pod-template-hash` label) and template equality ignoring it.
//!
//! PLACEHOLDER: the documented canonical encoding, golden values and semantic equality land with
//! issue 3. This version hashes the JSON encoding with FNV-1a 32.

use crate::api::PodTemplateSpec;

/// The label the Deployment controller adds to ReplicaSets, their selectors and their pods.
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";

/// Kubernetes' vowel-free alphabet (`k8s.io/apimachinery/pkg/util/rand`).
pub const SAFE_ALPHABET: &[u8; 27] = b"bcdfghjklmnpqrstvwxz2456789";

/// Upstream's `SafeEncodeString`: every byte `c` becomes `SAFE_ALPHABET[c % 27]`.
#[must_use]
pub fn safe_encode(s: &str) -> String {
    s.bytes()
        .map(|c| char::from(SAFE_ALPHABET[usize::from(c) % SAFE_ALPHABET.len()]))
        .collect()
}

/// The hash of a template and collision count, as used in `<deployment>-<hash>`.
#[must_use]
pub fn pod_template_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    let mut h: u32 = 0x811c_9dc5;
    let mut write = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    };
    write(
        serde_json::to_string(template)
            .unwrap_or_default()
            .as_bytes(),
    );
    if let Some(c) = collision_count {
        let mut buf = [0u8; 8];
        buf[..4].copy_from_slice(&u32::from_ne_bytes(c.to_ne_bytes()).to_le_bytes());
        write(&buf);
    }
    safe_encode(&h.to_string())
}

/// Upstream's `EqualIgnoreHash`: templates equal once the `pod-template-hash` label is removed
/// from both.
#[must_use]
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    let mut a = a.clone();
    let mut b = b.clone();
    a.metadata.labels.shift_remove(POD_TEMPLATE_HASH_LABEL);
    b.metadata.labels.shift_remove(POD_TEMPLATE_HASH_LABEL);
    a == b
}
