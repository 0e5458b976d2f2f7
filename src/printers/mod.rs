//! kubectl's human-readable output, byte for byte as v1.32 prints it: `get` tables (plain,
//! `-o wide`, `--show-labels`, `-o name`), `-o yaml` / `-o json`, and `describe` for pods,
//! ReplicaSets, ReplicationControllers and Deployments.
//!
//! Every function is pure: ages are computed from the caller's `now`, events are data the
//! caller passes in. Deliberate differences from kubectl, all because this crate has no local
//! time zone: dates in `describe` are printed in UTC (`+0000`).
//!
//! The building blocks are public too: Go's tab writer ([`tabwriter`]), upstream's
//! `HumanDuration` ([`duration`]), Go's JSON encoder ([`gojson`]) and go-yaml's emitter
//! ([`yaml`]).

pub mod describe;
pub mod duration;
pub mod format;
pub mod get;
pub mod gojson;
pub mod output;
pub mod quantity;
pub mod tabwriter;
pub mod yaml;

pub use describe::{
    DescribeOptions, EventRecord, describe_deployment, describe_pod, describe_pod_template,
    describe_replica_set, describe_replication_controller,
};
pub use duration::human_duration;
pub use get::{
    TableOptions, deployments_table, pods_table, replica_sets_table, replication_controllers_table,
};
pub use output::{list_json, list_yaml, object_json, object_yaml};
