//! Events as data: what a controller or command would record against an object.
//!
//! Controllers return events in their plans instead of sending them; the caller (for example the
//! [`crate::sim`] driver) stamps them with a time and stores them, and the printers show them in
//! `describe` output.

use std::fmt;

/// `Normal` or `Warning`, as upstream's event types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum EventType {
    /// Something expected happened.
    Normal,
    /// Something went wrong.
    Warning,
}

impl EventType {
    /// `Normal` / `Warning`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The object an event is about.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectReference {
    /// `ReplicaSet`, `Deployment`, ...
    pub kind: String,
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// Its uid.
    pub uid: String,
}

/// One event: type, reason and message spelled exactly as upstream records them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Event {
    /// Normal or Warning.
    pub type_: EventType,
    /// CamelCase reason (`SuccessfulCreate`, `ScalingReplicaSet`).
    pub reason: String,
    /// Human-readable message (`Created pod: web-7c5ddbdf54-x9k2q`).
    pub message: String,
    /// The object it is recorded against.
    pub regarding: ObjectReference,
    /// The reporting component (`replicaset-controller`, `deployment-controller`).
    pub source: &'static str,
}

impl Event {
    /// A `Normal` event.
    #[must_use]
    pub fn normal(
        regarding: ObjectReference,
        source: &'static str,
        reason: &str,
        message: String,
    ) -> Self {
        Event {
            type_: EventType::Normal,
            reason: reason.to_owned(),
            message,
            regarding,
            source,
        }
    }

    /// A `Warning` event.
    #[must_use]
    pub fn warning(
        regarding: ObjectReference,
        source: &'static str,
        reason: &str,
        message: String,
    ) -> Self {
        Event {
            type_: EventType::Warning,
            reason: reason.to_owned(),
            message,
            regarding,
            source,
        }
    }
}
