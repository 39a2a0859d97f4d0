//! The element selector XML check kinds take as a parameter (`prefix:local`, `*:local`): a
//! check parameter, so it lives with the checks; the rule tables that name it import it
//! from here (`rules::Selector` re-exports it).

use serde::{Deserialize, Deserializer};
use std::fmt;

/// An element selector: `prefix:local`, where `*` matches any namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub prefix: String,
    pub local: String,
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.prefix, self.local)
    }
}

impl<'de> Deserialize<'de> for Selector {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let (prefix, local) = s.split_once(':').ok_or_else(|| {
            serde::de::Error::custom(format!("selector '{s}' must be prefix:name or *:name"))
        })?;
        let name_ok = local == "*"
            || !local.is_empty()
                && local
                    .chars()
                    .all(|c| c.is_alphanumeric() || "_-.".contains(c));
        let prefix_ok = prefix == "*"
            || (!prefix.is_empty() && prefix.chars().all(|c| c.is_ascii_alphanumeric()));
        if !name_ok || !prefix_ok {
            return Err(serde::de::Error::custom(format!(
                "selector '{s}' is not prefix:name"
            )));
        }
        Ok(Selector {
            prefix: prefix.to_string(),
            local: local.to_string(),
        })
    }
}
