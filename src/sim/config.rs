//! Simulator settings: nodes, the pod lifecycle model's delays (per image too), and opt-in
//! faults.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::time::Time;

/// How a pod running one image behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageProfile {
    /// From scheduled to containers running (image pull + start).
    pub start_delay: Duration,
    /// From running to Ready (readiness probe passing).
    pub ready_delay: Duration,
    /// Containers run but never become Ready (a failing readiness probe).
    pub never_ready: bool,
    /// Containers exit this long after starting and restart with kubelet's back-off
    /// (10 s, 20 s, 40 s, ... up to 5 minutes): a crash loop.
    pub crash_after: Option<Duration>,
}

impl Default for ImageProfile {
    fn default() -> Self {
        ImageProfile {
            start_delay: Duration::from_secs(2),
            ready_delay: Duration::from_secs(1),
            never_ready: false,
            crash_after: None,
        }
    }
}

/// Faults the simulator injects; all off by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// At most this many pods per namespace: creations beyond fail as a `ResourceQuota`
    /// would (`pods "x-" is forbidden: exceeded quota: ...`).
    pub pod_quota: Option<usize>,
    /// The next this many pod deletions requested by controllers fail.
    pub fail_pod_deletes: usize,
    /// Controllers observe pods one round late (an informer cache that lags); the ReplicaSet
    /// controller then relies on expectations, as upstream.
    pub lagging_observations: bool,
    /// The next Deployment reconcile carries out only this many of its actions and then
    /// "crashes" (its remaining writes, events and requeue are lost): the controller must
    /// converge from any prefix of a plan. One-shot.
    pub crash_deployment_after_actions: Option<usize>,
}

/// Everything a [`super::Cluster`] is built from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The simulated clock's start.
    pub start: Time,
    /// Seed of the name and uid generator.
    pub seed: u64,
    /// Node names; pods are assigned round-robin.
    pub nodes: Vec<String>,
    /// The lifecycle of images without a profile of their own.
    pub default_image: ImageProfile,
    /// Per-image lifecycles (`nginx:1.17`).
    pub images: BTreeMap<String, ImageProfile>,
    /// How long a deleted pod stays `Terminating` before it is gone (capped by its grace
    /// period).
    pub termination_delay: Duration,
    /// How long after a node is lost its pods are evicted (upstream's default toleration of
    /// `node.kubernetes.io/unreachable` is 300 s).
    pub eviction_delay: Duration,
    /// Faults.
    pub faults: Faults,
    /// Upper bound on controller rounds at one instant before `run_until_idle` reports that
    /// the cluster does not settle.
    pub max_rounds: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            start: Time::from_unix(1_700_000_000),
            seed: 1,
            nodes: vec![
                "node-1".to_owned(),
                "node-2".to_owned(),
                "node-3".to_owned(),
            ],
            default_image: ImageProfile::default(),
            images: BTreeMap::new(),
            termination_delay: Duration::from_secs(1),
            eviction_delay: Duration::from_secs(300),
            faults: Faults::default(),
            max_rounds: 1000,
        }
    }
}

impl Config {
    /// The profile of an image.
    #[must_use]
    pub fn profile(&self, image: &str) -> &ImageProfile {
        self.images.get(image).unwrap_or(&self.default_image)
    }
}
