//! Counts with their noun in agreement (`1 frame`, `2 frames`), for every message that
//! counts something: the engine's notes, the readers' notes and the reports alike. A leaf:
//! it imports nothing from the crate, so any layer may use it.

/// A count with its noun in agreement: `1 rule`, `2 rules`, `0 rules`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
