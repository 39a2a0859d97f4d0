//! One renderer per output format, all reading the same [`CheckResult`]s.
//!
//! [`CheckResult`]: crate::finding::CheckResult

pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod snippet;
pub mod text;

/// A count with its noun in agreement: `1 rule`, `2 rules`, `0 rules`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
