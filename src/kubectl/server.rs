//! What the API server's registry strategies do on an update (v1.32): keep the stored status,
//! bump `metadata.generation` when the spec changed (for Deployments also when the annotations
//! changed, §11.2 of the reference); pods have no generation in v1.32.

use super::Object;

/// Applies the update strategy: `new` is the object as written, `old` the stored one.
pub(crate) fn finish_update(old: &Object, new: &mut Object) {
    let bump = match (old, &mut *new) {
        (Object::ReplicaSet(o), Object::ReplicaSet(n)) => {
            n.status = o.status.clone();
            o.spec != n.spec
        }
        (Object::ReplicationController(o), Object::ReplicationController(n)) => {
            n.status = o.status.clone();
            o.spec != n.spec
        }
        (Object::Deployment(o), Object::Deployment(n)) => {
            n.status = o.status.clone();
            o.spec != n.spec || o.metadata.annotations != n.metadata.annotations
        }
        (Object::Pod(o), Object::Pod(n)) => {
            n.status = o.status.clone();
            false
        }
        _ => false,
    };
    let (Some(old_meta), Some(m)) = (old.metadata(), new.metadata_mut()) else {
        return;
    };
    let generation = old_meta.generation;
    m.uid = old_meta.uid.clone();
    m.creation_timestamp = old_meta.creation_timestamp;
    m.generation = if bump { generation + 1 } else { generation };
}

/// True when the write changes anything the API server stores.
pub(crate) fn changed(old: &Object, new: &Object) -> bool {
    old != new
}
