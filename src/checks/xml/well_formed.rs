//! Check kind `well_formed`: the document is well-formed XML. The engine judges it while
//! reading the document (`src/xml.rs`); a malformed document gets this rule's one finding.

use super::*;

/// The document is well-formed XML.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WellFormed {}

impl CheckKind for WellFormed {
    crate::check_kind_judge!(Document);
}
