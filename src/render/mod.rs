//! One renderer per output format, all reading the same [`CheckResult`]s.
//!
//! [`CheckResult`]: crate::finding::CheckResult

pub mod github;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;
