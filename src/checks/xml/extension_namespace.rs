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
    /// Why each kind of misplacement is wrong, for the message's `{reason}`: the two differ
    /// (in the host's namespace the host's schema rejects the element; in a third namespace
    /// the schema may let it through, but it is another element).
    pub reasons: Reasons,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reasons {
    /// The element is in the host's own namespace.
    pub host_namespace: String,
    /// The element is in another namespace, or in none.
    pub other_namespace: String,
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
                let reason = if host_ns.map(String::as_str) == Some(ns) {
                    &self.reasons.host_namespace
                } else {
                    &self.reasons.other_namespace
                };
                Hit::at(n)
                    .var("actual", describe_ns(ns))
                    .var("reason", reason.clone())
                    .var("expected", placement.namespace.clone())
                    .var("host", host)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::xsd::model::QName;
    use crate::xsd::validate::ExtensionPlacement;

    const POC: &str = "urn:oma:params:xml:ns:poc:poc-settings";

    fn placement() -> ExtensionPlacement {
        ExtensionPlacement {
            host: QName::new(POC, "entity"),
            namespace: "urn:3gpp:mcsSettings:1.0".into(),
            elements: vec![
                "selected-user-profile-index".into(),
                "user-profile-index".into(),
            ],
        }
    }

    /// The local names of the elements `covers` accepts, in document order.
    fn covered(xml: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let p = placement();
        doc.descendants()
            .filter(|n| p.covers(*n))
            .map(|n| n.tag_name().name().to_string())
            .collect()
    }

    #[test]
    fn covers_the_extension_elements_inside_an_entity_only() {
        let xml = format!(
            r#"<poc-settings xmlns="{POC}"><entity id="a"><selected-user-profile-index><user-profile-index>1</user-profile-index></selected-user-profile-index><am-settings><user-profile-index/></am-settings></entity><selected-user-profile-index/></poc-settings>"#
        );
        // Not the one under am-settings (another element between), nor the one at the root.
        assert_eq!(
            covered(&xml),
            ["selected-user-profile-index", "user-profile-index"]
        );
    }

    #[test]
    fn nesting_deeper_than_the_extension_is_not_covered() {
        let xml = format!(
            r#"<poc-settings xmlns="{POC}"><entity id="a"><selected-user-profile-index><selected-user-profile-index><user-profile-index/></selected-user-profile-index></selected-user-profile-index></entity></poc-settings>"#
        );
        // Two levels below the entity are covered; the third is left to the schema.
        assert_eq!(
            covered(&xml),
            ["selected-user-profile-index", "selected-user-profile-index"]
        );
    }
}
