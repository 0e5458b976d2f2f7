//! `kubectl describe` for pods, ReplicaSets, ReplicationControllers and Deployments, and the pod
//! template dump that `rollout history --revision` prints.
//!
//! Output is built as kubectl builds it: indented `Field:\tvalue` lines through Go's tab writer
//! (minimum width 0, padding 2), so a line without a tab (`Pod Template:`, `Containers:`) ends
//! the alignment block above it. Label and annotation lists are sorted; annotations longer than
//! 140 characters (or multi-line) are folded; `kubectl.kubernetes.io/last-applied-configuration`
//! is never shown. Events are data: pass [`EventRecord`]s with their timestamps.

mod template;
mod workloads;

use crate::event::{Event, EventType, ObjectReference};
use crate::meta::Labels;
use crate::time::Time;

use super::duration::since;

pub use template::describe_pod_template;
pub use workloads::{
    describe_deployment, describe_pod, describe_replica_set, describe_replication_controller,
};

/// What `describe` shows besides the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DescribeOptions {
    /// `--show-events` (default true).
    pub show_events: bool,
}

impl Default for DescribeOptions {
    fn default() -> Self {
        DescribeOptions { show_events: true }
    }
}

/// An event as the API stores it: an [`Event`] plus when it was first and last seen and how
/// many times (what `describe` prints in its Age column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRecord {
    /// Normal or Warning.
    pub type_: EventType,
    /// CamelCase reason.
    pub reason: String,
    /// Message.
    pub message: String,
    /// The reporting component (`source.component`, or `reportingController`).
    pub source: String,
    /// The object the event is about.
    pub regarding: ObjectReference,
    /// `firstTimestamp`.
    pub first_timestamp: Option<Time>,
    /// `lastTimestamp` (events are listed in this order).
    pub last_timestamp: Option<Time>,
    /// How many times it happened.
    pub count: i32,
    /// `eventTime` (events.k8s.io/v1 events); takes precedence over `firstTimestamp`.
    pub event_time: Option<Time>,
}

impl EventRecord {
    /// A controller event recorded once at `at`.
    #[must_use]
    pub fn new(event: &Event, at: Time) -> Self {
        EventRecord {
            type_: event.type_,
            reason: event.reason.clone(),
            message: event.message.clone(),
            source: event.source.to_owned(),
            regarding: event.regarding.clone(),
            first_timestamp: Some(at),
            last_timestamp: Some(at),
            count: 1,
            event_time: None,
        }
    }

    fn concerns(&self, kind: Option<&str>, namespace: &str, name: &str, uid: &str) -> bool {
        self.regarding.name == name
            && self.regarding.namespace == namespace
            && kind.is_none_or(|k| self.regarding.kind.is_empty() || self.regarding.kind == k)
            && (self.regarding.uid.is_empty() || uid.is_empty() || self.regarding.uid == uid)
    }
}

/// Accumulates describe text (upstream's `PrefixWriter`): two spaces per level, terminal
/// escapes neutralised.
#[derive(Default)]
pub(crate) struct W {
    pub(crate) buf: String,
}

impl W {
    pub(crate) fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.buf.push_str("  ");
        }
        self.buf
            .push_str(&text.replace('\u{1b}', "^[").replace('\r', "\\r"));
    }

    pub(crate) fn line(&mut self, text: &str) {
        self.write(0, text);
        self.buf.push('\n');
    }
}

/// `printLabelsMultilineWithIndent`.
pub(crate) fn labels_multiline(
    w: &mut W,
    initial: &str,
    title: &str,
    inner: &str,
    labels: &Labels,
) {
    w.write(0, &format!("{initial}{title}:{inner}"));
    if labels.is_empty() {
        w.line("<none>");
        return;
    }
    let mut keys: Vec<&String> = labels.keys().collect();
    keys.sort();
    for (i, k) in keys.iter().enumerate() {
        if i != 0 {
            w.write(0, initial);
            w.write(0, inner);
        }
        let v = labels.get(*k).map_or("", String::as_str);
        w.write(0, &format!("{k}={v}\n"));
    }
}

const MAX_ANNOTATION_LEN: usize = 140;

fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut cut = max;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}...", &s[..cut])
}

/// `printAnnotationsMultiline`.
pub(crate) fn annotations_multiline(w: &mut W, title: &str, annotations: &Labels) {
    w.write(0, &format!("{title}:\t"));
    let mut keys: Vec<&String> = annotations
        .keys()
        .filter(|k| k.as_str() != crate::deployment::util::LAST_APPLIED_CONFIG)
        .collect();
    if keys.is_empty() {
        w.line("<none>");
        return;
    }
    keys.sort();
    let indent = "\t";
    for (i, k) in keys.iter().enumerate() {
        if i != 0 {
            w.write(0, indent);
        }
        let raw = annotations.get(*k).map_or("", String::as_str);
        let value = raw.strip_suffix('\n').unwrap_or(raw);
        if value.len() + k.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(0, &format!("{k}:\n"));
            for s in value.split('\n') {
                w.write(
                    0,
                    &format!("{indent}  {}\n", shorten(s, MAX_ANNOTATION_LEN - 2)),
                );
            }
        } else {
            w.write(0, &format!("{k}: {value}\n"));
        }
    }
}

/// `DescribeEvents`: the events of one object, oldest `lastTimestamp` first.
pub(crate) fn events_section(w: &mut W, events: &[&EventRecord], now: Time) {
    if events.is_empty() {
        w.write(0, "Events:\t<none>\n");
        return;
    }
    let mut sorted: Vec<&EventRecord> = events.to_vec();
    sorted.sort_by_key(|e| e.last_timestamp);
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for e in sorted {
        let first = match e.event_time {
            Some(t) => since(Some(t), now),
            None => since(e.first_timestamp, now),
        };
        let interval = if e.count > 1 {
            format!(
                "{} (x{} over {first})",
                since(e.last_timestamp, now),
                e.count
            )
        } else {
            first
        };
        w.write(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}\n",
                e.type_,
                e.reason,
                interval,
                e.source,
                e.message.trim()
            ),
        );
    }
}

/// The events among `all` that are about the given object (kubectl's field-selector search).
pub(crate) fn events_for<'a>(
    all: &'a [EventRecord],
    kind: Option<&str>,
    meta: &crate::meta::ObjectMeta,
) -> Vec<&'a EventRecord> {
    all.iter()
        .filter(|e| e.concerns(kind, &meta.namespace, &meta.name, &meta.uid))
        .collect()
}

/// `printController`: `Kind/name` of the controller owner, if any.
pub(crate) fn controller_of(meta: &crate::meta::ObjectMeta) -> Option<String> {
    meta.controller_ref()
        .map(|r| format!("{}/{}", r.kind, r.name))
}
