//! Defaulting as the API server applies it to core/v1 and apps/v1 objects.
//!
//! PLACEHOLDER: lands with issue 2.
