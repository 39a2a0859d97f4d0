//! One renderer per output format, all reading the same [`CheckResult`]s.
//!
//! [`CheckResult`]: crate::finding::CheckResult

pub mod emitter;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod snippet;
pub mod text;

/// What a report says of the run beside its results: the profile and the config file used
/// (both absent when none was: the report is then as it always was).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RunInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<crate::profile::Profile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
}

/// A count with its noun in agreement: `1 rule`, `2 rules`, `0 rules`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
