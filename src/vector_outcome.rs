//! One vector's outcome: what the suite ([`crate::suite`]) finds when it runs a vector, and
//! what the suite's reports (`render::html`, `render::markdown`) show. Its own module so the
//! renderers need not import the suite that runs them.

use crate::finding::CheckResult;
use serde::Serialize;

/// One vector's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct VectorOutcome {
    pub name: String,
    pub matched: bool,
    /// Expected vs actual, as a unified diff, when they differ.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub diff: String,
    pub result: CheckResult,
}
