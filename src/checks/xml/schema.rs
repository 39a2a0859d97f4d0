//! Check kind `schema`: the document validates against its payload's schema. The engine
//! validates once (`src/xsd/`) and gives each violation to the schema rule whose scope
//! encloses it.

use super::*;

/// The document validates against the payload's schema; violations inside (or at) an
/// element matching `scope` belong to this rule, the innermost scope winning; a rule whose
/// scope is `*:*` takes what no other rule does.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    pub scope: Vec<Selector>,
}

impl Schema {
    /// Whether this rule takes the violations no other schema rule does.
    pub fn is_fallback(&self) -> bool {
        self.scope.iter().any(|s| s.prefix == "*" && s.local == "*")
    }
}

impl CheckKind for Schema {
    crate::check_kind_judge!(Document);

    fn selectors(&self) -> Vec<&Selector> {
        self.scope.iter().collect()
    }
}
