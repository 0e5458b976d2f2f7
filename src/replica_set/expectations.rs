//! Expectations: what a controller whose pod cache lags must remember between reconciles.
//!
//! Upstream's informer cache sees the controller's own writes late; without expectations a
//! reconcile right after creating ten pods would still see none and create ten more. A caller
//! whose observations can lag records what each plan did ([`Expectations::observe_plan`]),
//! reports the creations and deletions it later observes, and passes
//! [`Expectations::satisfied`] as [`super::Observed::expectations_satisfied`]. Semantics follow
//! upstream's `ControllerExpectations` / `UIDTrackingControllerExpectations`: records are
//! replaced (not added to), counts may go negative (negative counts are satisfied), and a
//! record older than five minutes is satisfied. A caller with a consistent store needs none
//! of this.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::{Plan, Report};
use crate::time::Time;

/// How long a record is honoured before it counts as satisfied (upstream: 5 minutes).
pub const EXPECTATIONS_TIMEOUT: Duration = Duration::from_secs(5 * 60);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Record {
    add: i64,
    del: i64,
    timestamp: Time,
    pending_deletions: BTreeSet<String>,
}

/// Per-controller expectations, keyed by the controller's `namespace/name`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expectations {
    records: BTreeMap<String, Record>,
}

impl Expectations {
    /// No expectations.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the controller may create or delete again: no record, both counts ≤ 0, or the
    /// record is older than [`EXPECTATIONS_TIMEOUT`].
    #[must_use]
    pub fn satisfied(&self, key: &str, now: Time) -> bool {
        match self.records.get(key) {
            None => true,
            Some(r) => {
                (r.add <= 0 && r.del <= 0)
                    || now.seconds_since(r.timestamp)
                        > i64::try_from(EXPECTATIONS_TIMEOUT.as_secs()).unwrap_or(i64::MAX)
            }
        }
    }

    /// Replaces the record: expect `count` creations.
    pub fn expect_creations(&mut self, key: &str, count: usize, now: Time) {
        self.records.insert(
            key.to_owned(),
            Record {
                add: i64::try_from(count).unwrap_or(i64::MAX),
                del: 0,
                timestamp: now,
                pending_deletions: BTreeSet::new(),
            },
        );
    }

    /// Replaces the record: expect the deletion of these pods (`namespace/name` keys).
    pub fn expect_deletions<I: IntoIterator<Item = String>>(
        &mut self,
        key: &str,
        pod_keys: I,
        now: Time,
    ) {
        let pending: BTreeSet<String> = pod_keys.into_iter().collect();
        self.records.insert(
            key.to_owned(),
            Record {
                add: 0,
                del: i64::try_from(pending.len()).unwrap_or(i64::MAX),
                timestamp: now,
                pending_deletions: pending,
            },
        );
    }

    /// A pod with this controller as owner was observed being created.
    pub fn creation_observed(&mut self, key: &str) {
        if let Some(r) = self.records.get_mut(key) {
            r.add -= 1;
        }
    }

    /// A pod was observed deleted (or terminating); counted once per expected pod.
    pub fn deletion_observed(&mut self, key: &str, pod_key: &str) {
        if let Some(r) = self.records.get_mut(key) {
            if r.pending_deletions.remove(pod_key) {
                r.del -= 1;
            }
        }
    }

    /// Forgets the controller (it was deleted).
    pub fn forget(&mut self, key: &str) {
        self.records.remove(key);
    }

    /// Records what a carried-out plan did, with upstream's net effect: expect the creations
    /// that succeeded (skipped and failed ones are observed at once) and the deletions that
    /// succeeded (failed ones are observed at once).
    pub fn observe_plan(&mut self, key: &str, plan: &Plan, report: &Report, now: Time) {
        if plan.create.is_some() {
            self.expect_creations(key, report.created.len(), now);
        } else if !plan.delete.is_empty() {
            self.expect_deletions(key, report.deleted.iter().map(super::PodRef::key), now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creations_block_until_observed_or_expired() {
        let mut e = Expectations::new();
        let t0 = Time::from_unix(1000);
        assert!(e.satisfied("ns/rs", t0));
        e.expect_creations("ns/rs", 2, t0);
        assert!(!e.satisfied("ns/rs", t0));
        e.creation_observed("ns/rs");
        assert!(!e.satisfied("ns/rs", t0));
        e.creation_observed("ns/rs");
        assert!(e.satisfied("ns/rs", t0));
        e.creation_observed("ns/rs");
        assert!(e.satisfied("ns/rs", t0), "negative counts are satisfied");
        e.expect_creations("ns/rs", 1, t0);
        assert!(!e.satisfied("ns/rs", t0.add_seconds(300)));
        assert!(
            e.satisfied("ns/rs", t0.add_seconds(301)),
            "expired after five minutes"
        );
    }

    #[test]
    fn deletions_count_each_pod_once() {
        let mut e = Expectations::new();
        let t0 = Time::from_unix(1000);
        e.expect_deletions("ns/rs", ["ns/a".to_owned(), "ns/b".to_owned()], t0);
        e.deletion_observed("ns/rs", "ns/a");
        e.deletion_observed("ns/rs", "ns/a");
        assert!(!e.satisfied("ns/rs", t0));
        e.deletion_observed("ns/rs", "ns/c");
        assert!(!e.satisfied("ns/rs", t0));
        e.deletion_observed("ns/rs", "ns/b");
        assert!(e.satisfied("ns/rs", t0));
        e.forget("ns/rs");
        assert!(e.satisfied("ns/rs", t0));
    }

    #[test]
    fn records_are_replaced_not_added() {
        let mut e = Expectations::new();
        let t0 = Time::from_unix(1000);
        e.expect_creations("k", 5, t0);
        e.expect_creations("k", 1, t0);
        e.creation_observed("k");
        assert!(e.satisfied("k", t0));
    }
}
