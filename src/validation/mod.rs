//! Validation as the API server performs it: every error with its field path and upstream's
//! message, plus warnings returned as data.

pub mod field;
pub mod names;

pub use field::{BadValue, ErrorType, FieldError, FieldErrors, FieldPath, PathSegment};
