//! Vocabulary shared by the controllers: when to call again, and upstream's retry backoff.

use std::time::Duration;

/// When a controller wants to be called again even if nothing changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Requeue {
    /// Call again after this long (measured from the `now` the plan was made with).
    After(Duration),
    /// Something failed: call again after the caller's rate-limited backoff, as upstream's work
    /// queue does ([`backoff`] gives upstream's per-item delays).
    Backoff,
}

impl Requeue {
    /// The earlier of two requeue requests (`Backoff` counts as immediate).
    #[must_use]
    pub fn min(a: Option<Requeue>, b: Option<Requeue>) -> Option<Requeue> {
        match (a, b) {
            (None, x) | (x, None) => x,
            (Some(Requeue::Backoff), _) | (_, Some(Requeue::Backoff)) => Some(Requeue::Backoff),
            (Some(Requeue::After(x)), Some(Requeue::After(y))) => Some(Requeue::After(x.min(y))),
        }
    }
}

/// Upstream's per-item exponential backoff for a key that failed `failures` times in a row
/// (`ItemExponentialFailureRateLimiter(5ms, 1000s)`): 5 ms · 2^failures, capped at 1000 s.
#[must_use]
pub fn backoff(failures: u32) -> Duration {
    let cap = Duration::from_secs(1000);
    if failures >= 20 {
        return cap;
    }
    Duration::from_millis(5u64 << failures).min(cap)
}

/// Most pods a ReplicaSet creates or deletes in one reconcile (upstream's `BurstReplicas`).
pub const BURST_REPLICAS: usize = 500;

/// First batch of slow-start pod creation (upstream's `SlowStartInitialBatchSize`).
pub const SLOW_START_INITIAL_BATCH_SIZE: usize = 1;

/// Batch sizes for creating `count` objects with upstream's slow start: 1, 2, 4, ... (each
/// twice the previous, the last one what remains). A caller stops at the first batch with a
/// failure.
#[must_use]
pub fn slow_start_batches(count: usize) -> SlowStartBatches {
    SlowStartBatches {
        remaining: count,
        next: SLOW_START_INITIAL_BATCH_SIZE,
    }
}

/// Iterator over slow-start batch sizes; see [`slow_start_batches`].
#[derive(Clone, Debug)]
pub struct SlowStartBatches {
    remaining: usize,
    next: usize,
}

impl Iterator for SlowStartBatches {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.remaining == 0 {
            return None;
        }
        let size = self.next.min(self.remaining);
        self.remaining -= size;
        self.next = self.next.saturating_mul(2);
        Some(size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_start_batches_double() {
        assert_eq!(slow_start_batches(10).collect::<Vec<_>>(), [1, 2, 4, 3]);
        assert_eq!(slow_start_batches(15).collect::<Vec<_>>(), [1, 2, 4, 8]);
        assert_eq!(slow_start_batches(0).count(), 0);
        // 1 + floor(log2(N)) batches.
        assert_eq!(slow_start_batches(500).count(), 9);
    }

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(0), Duration::from_millis(5));
        assert_eq!(backoff(3), Duration::from_millis(40));
        assert_eq!(backoff(30), Duration::from_secs(1000));
    }

    #[test]
    fn requeue_min() {
        let a = Some(Requeue::After(Duration::from_secs(3)));
        let b = Some(Requeue::After(Duration::from_secs(2)));
        assert_eq!(Requeue::min(a, b), b);
        assert_eq!(
            Requeue::min(a, Some(Requeue::Backoff)),
            Some(Requeue::Backoff)
        );
        assert_eq!(Requeue::min(None, a), a);
    }
}
