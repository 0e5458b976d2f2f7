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
    set_condition_with(pod, type_, status, "", String::new(), now);
}

/// Sets a condition with its reason and message; the transition time moves only when the
/// status does, as the kubelet keeps it.
fn set_condition_with(
    pod: &mut Pod,
    type_: PodConditionType,
    status: ConditionStatus,
    reason: &str,
    message: String,
    now: Time,
) {
    let conditions = &mut pod.status.conditions;
    let before = conditions.len();
    match conditions.iter_mut().find(|c| c.type_ == type_) {
        Some(c) => {
            if c.status != status {
                c.status = status;
                c.last_transition_time = Some(now);
            }
            reason.clone_into(&mut c.reason);
            c.message = message;
        }
        None => conditions.push(PodCondition {
            type_,
            status,
            last_transition_time: Some(now),
            reason: reason.to_owned(),
            message,
            ..PodCondition::default()
        }),
    }
    // Only an insertion can put a condition out of order.
    if pod.status.conditions.len() != before {
        order_conditions(pod);
    }
}

/// Puts the conditions in the order the v1.32 kubelet writes them: conditions it does not own
/// first, then PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled.
fn order_conditions(pod: &mut Pod) {
    let rank = |t: &PodConditionType| match t {
        PodConditionType::PodReadyToStartContainers => 1,
        PodConditionType::Initialized => 2,
        PodConditionType::Ready => 3,
        PodConditionType::ContainersReady => 4,
        PodConditionType::PodScheduled => 5,
        _ => 0,
    };
    pod.status.conditions.sort_by_key(|c| rank(&c.type_));
}

/// Ready and ContainersReady false, with the kubelet's reason and the containers named.
fn set_unready(pod: &mut Pod, now: Time) {
    let names: Vec<&str> = pod
        .status
        .container_statuses
        .iter()
        .filter(|s| !s.ready)
        .map(|s| s.name.as_str())
        .collect();
    let message = format!("containers with unready status: [{}]", names.join(" "));
    for type_ in [PodConditionType::Ready, PodConditionType::ContainersReady] {
        set_condition_with(
            pod,
            type_,
            ConditionStatus::False,
            "ContainersNotReady",
            message.clone(),
            now,
        );
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
        PodConditionType::PodReadyToStartContainers,
        ConditionStatus::False,
        now,
    );
    set_condition(
        pod,
        PodConditionType::Initialized,
        ConditionStatus::True,
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
    set_unready(pod, now);
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
    set_condition(
        pod,
        PodConditionType::PodReadyToStartContainers,
        ConditionStatus::True,
        now,
    );
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
    set_unready(pod, now);
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

    fn kinds(pod: &Pod) -> Vec<(&str, &str, &str)> {
        pod.status
            .conditions
            .iter()
            .map(|c| (c.type_.as_str(), c.status.as_str(), c.reason.as_str()))
            .collect()
    }

    #[test]
    fn conditions_follow_the_kubelet_order_and_reasons() {
        let mut pod = Pod::default();
        pod.spec.containers.push(crate::api::Container {
            name: "a".into(),
            image: "nginx".into(),
            ..Default::default()
        });
        let t = Time::from_unix(100);
        schedule(&mut pod, "node-1", "172.18.0.2", t);
        assert_eq!(
            kinds(&pod),
            [
                ("PodReadyToStartContainers", "False", ""),
                ("Initialized", "True", ""),
                ("Ready", "False", "ContainersNotReady"),
                ("ContainersReady", "False", "ContainersNotReady"),
                ("PodScheduled", "True", ""),
            ]
        );
        assert_eq!(
            pod.status.conditions[2].message,
            "containers with unready status: [a]"
        );
        start(&mut pod, "10.0.0.1", t.add_seconds(2));
        ready(&mut pod, t.add_seconds(3));
        assert_eq!(
            kinds(&pod),
            [
                ("PodReadyToStartContainers", "True", ""),
                ("Initialized", "True", ""),
                ("Ready", "True", ""),
                ("ContainersReady", "True", ""),
                ("PodScheduled", "True", ""),
            ]
        );
        assert_eq!(
            pod.status.conditions[2].last_transition_time,
            Some(t.add_seconds(3))
        );
        assert!(pod.status.conditions[2].message.is_empty());
    }
}
