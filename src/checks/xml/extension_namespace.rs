//! Check kind `extension_namespace`: the elements an extension schema declares, placed inside
//! another vocabulary's element, are in the extension's namespace (TS 24.281 7.4.1.2.2:
//! `selected-user-profile-index` and its `user-profile-index`, of table 7.4.1.2.2-2, inside a
//! poc-settings `entity`, are in `urn:3gpp:mcsSettings:1.0`).
//!
//! Such elements reach the host only through its wildcard. Written in the host's own
//! namespace, as CR 003's example writes them, they match no particle when that wildcard is
//! `##other` (RFC 4354's `entity`); in any other namespace they are not the extension's
//! elements at all. One finding per such element. The rule owns the defect: the schema
//! validator reads these elements by local name as the extension's (`ExtensionPlacement`), so
//! it does not report the same element again as unexpected, and still validates its content.

use super::*;
use crate::xsd::model::QName;
use crate::xsd::validate::ExtensionPlacement;

/// The `elements` (local names), inside `host` elements, are in the namespace of prefix
/// `namespace`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionNamespace {
    pub host: Selector,
    pub namespace: String,
    pub elements: Vec<String>,
}

impl ExtensionNamespace {
    /// The placement the schema validator reads by local name, when the prefixes resolve.
    pub fn placement(&self, settings: &crate::settings::Settings) -> Option<ExtensionPlacement> {
        let host_ns = settings.prefixes.get(&self.host.prefix)?;
        let namespace = settings.prefixes.get(&self.namespace)?;
        Some(ExtensionPlacement {
            host: QName::new(host_ns, &self.host.local),
            namespace: namespace.clone(),
            elements: self.elements.clone(),
        })
    }
}

impl CheckKind for ExtensionNamespace {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.host]
    }

    fn validate(&self, settings: &crate::settings::Settings) -> Result<(), String> {
        if self.host.prefix == "*" || self.host.local == "*" {
            return Err(format!(
                "extension_namespace: host '{}' must name one element (prefix:name, no '*')",
                self.host
            ));
        }
        if !settings.prefixes.contains_key(&self.namespace) {
            return Err(format!(
                "extension_namespace: namespace prefix '{}' is not in the settings' prefixes",
                self.namespace
            ));
        }
        if self.elements.is_empty() {
            return Err("extension_namespace: `elements` is empty".into());
        }
        Ok(())
    }
}

impl XmlCheck for ExtensionNamespace {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        let Some(placement) = self.placement(ctx.settings) else {
            return Vec::new();
        };
        ctx.doc
            .descendants()
            .filter(|n| placement.covers(*n) && !in_ns(*n, &placement.namespace))
            .map(|n| {
                let host = n
                    .ancestors()
                    .find(|a| a.is_element() && ctx.matches(&self.host, *a))
                    .map_or_else(|| self.host.local.clone(), display_name);
                let ns = n.tag_name().namespace().unwrap_or("");
                let host_ns = ctx.settings.prefixes.get(&self.host.prefix);
                let where_ = if host_ns.map(String::as_str) == Some(ns) {
                    "the namespace of the host element itself"
                } else {
                    "not the extension's"
                };
                Hit::at(n)
                    .var("actual", describe_ns(ns))
                    .var("where", where_)
                    .var("expected", placement.namespace.clone())
                    .var("host", host)
            })
            .collect()
    }
}
