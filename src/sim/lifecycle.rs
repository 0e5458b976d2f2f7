//! The pod lifecycle model: what the scheduler and the kubelet would do to a pod, as timed
//! steps on the simulated clock.

use std::time::Duration;

use crate::api::{
    ConditionStatus, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, Pod, PodCondition, PodConditionType, PodPhase,
};
use crate::time::Time;

/// One scheduled change to a pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Step {
    /// Bind to a node.
    Schedule,
    /// Containers start running.
    Start,
    /// Readiness passes.
    Ready,
    /// Containers exit (crash loop).
    Crash,
    /// Containers start again after the back-off.
    Restart,
    /// A terminating pod is gone.
    Finalize,
}

/// Kubelet's crash-loop back-off before restart `n` (1-based): 10 s doubling, capped at 5 min.
pub(crate) fn crash_backoff(restarts: i32) -> Duration {
    let exp = u32::try_from(restarts.saturating_sub(1).clamp(0, 10)).unwrap_or(10);
    Duration::from_secs((10u64 << exp).min(300))
}

fn set_condition(pod: &mut Pod, type_: PodConditionType, status: ConditionStatus, now: Time) {
    let conditions = &mut pod.status.conditions;
    match conditions.iter_mut().find(|c| c.type_ == type_) {
        Some(c) => {
            if c.status != status {
                c.status = status;
                c.last_transition_time = Some(now);
            }
        }
        None => conditions.push(PodCondition {
            type_,
            status,
            last_transition_time: Some(now),
            ..PodCondition::default()
        }),
    }
}

/// Binds the pod to `node` (PodScheduled) and shows its containers as being created.
pub(crate) fn schedule(pod: &mut Pod, node: &str, host_ip: &str, now: Time) {
    pod.spec.node_name = node.to_owned();
    pod.status.host_ip = host_ip.to_owned();
    set_condition(
        pod,
        PodConditionType::PodScheduled,
        ConditionStatus::True,
        now,
    );
    set_condition(
        pod,
        PodConditionType::Initialized,
        ConditionStatus::True,
        now,
    );
    set_condition(pod, PodConditionType::Ready, ConditionStatus::False, now);
    set_condition(
        pod,
        PodConditionType::ContainersReady,
        ConditionStatus::False,
        now,
    );
    pod.status.container_statuses = pod
        .spec
        .containers
        .iter()
        .map(|c| ContainerStatus {
            name: c.name.clone(),
            image: c.image.clone(),
            state: ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: "ContainerCreating".to_owned(),
                    ..ContainerStateWaiting::default()
                }),
                ..ContainerState::default()
            },
            ..ContainerStatus::default()
        })
        .collect();
}

/// Containers run (not yet ready).
pub(crate) fn start(pod: &mut Pod, pod_ip: &str, now: Time) {
    pod.status.phase = PodPhase::Running;
    if pod.status.pod_ip.is_empty() {
        pod.status.pod_ip = pod_ip.to_owned();
    }
    if pod.status.start_time.is_none() {
        pod.status.start_time = Some(now);
    }
    for (i, s) in pod.status.container_statuses.iter_mut().enumerate() {
        s.state = ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(now),
                ..ContainerStateRunning::default()
            }),
            ..ContainerState::default()
        };
        s.started = Some(true);
        s.ready = false;
        s.image_id = format!("docker.io/library/{}@sha256:{:064x}", s.image, i + 1);
        s.container_id = format!("containerd://{:064x}", now.unix().unsigned_abs() + i as u64);
    }
}

/// Readiness passes.
pub(crate) fn ready(pod: &mut Pod, now: Time) {
    for s in &mut pod.status.container_statuses {
        s.ready = true;
    }
    set_condition(
        pod,
        PodConditionType::ContainersReady,
        ConditionStatus::True,
        now,
    );
    set_condition(pod, PodConditionType::Ready, ConditionStatus::True, now);
}

/// Not ready any more (a crash, a lost node, termination).
pub(crate) fn not_ready(pod: &mut Pod, now: Time) {
    for s in &mut pod.status.container_statuses {
        s.ready = false;
    }
    set_condition(
        pod,
        PodConditionType::ContainersReady,
        ConditionStatus::False,
        now,
    );
    set_condition(pod, PodConditionType::Ready, ConditionStatus::False, now);
}

/// Containers exit with an error; returns the new restart count.
pub(crate) fn crash(pod: &mut Pod, now: Time) -> i32 {
    not_ready(pod, now);
    let mut restarts = 0;
    for s in &mut pod.status.container_statuses {
        s.last_state = ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: 1,
                reason: "Error".to_owned(),
                started_at: s.state.running.as_ref().and_then(|r| r.started_at),
                finished_at: Some(now),
                ..ContainerStateTerminated::default()
            }),
            ..ContainerState::default()
        };
        s.restart_count = s.restart_count.saturating_add(1);
        restarts = s.restart_count;
        s.started = Some(false);
        s.state = ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: "CrashLoopBackOff".to_owned(),
                message: format!(
                    "back-off {}s restarting failed container={} pod={}",
                    crash_backoff(s.restart_count).as_secs(),
                    s.name,
                    pod.metadata.name
                ),
                ..ContainerStateWaiting::default()
            }),
            ..ContainerState::default()
        };
    }
    restarts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crash_backoff_doubles_to_five_minutes() {
        let secs: Vec<u64> = (1..=7).map(|n| crash_backoff(n).as_secs()).collect();
        assert_eq!(secs, [10, 20, 40, 80, 160, 300, 300]);
    }
}
