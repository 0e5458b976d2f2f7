//! Manifests: YAML and JSON documents decoded into typed objects and encoded back.
//!
//! PLACEHOLDER: lands with issue 2.
