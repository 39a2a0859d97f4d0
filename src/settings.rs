//! Settings: every uncertain choice the rules depend on, in one visible place, with a
//! documented default (`rules/settings.yaml`). Users override them with `--settings FILE`
//! (deep-merged over the defaults) or `--set key=value`.

use crate::xml::Limits;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One payload kind the XML checker knows.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    pub name: String,
    /// Local name of the root element.
    pub root: String,
    /// Namespace of the root element.
    pub namespace: String,
    pub media_type: String,
    /// Which clause defines the payload, for messages.
    pub defined_in: String,
    /// Elements whose presence tells this kind apart from another with the same root.
    #[serde(default)]
    pub distinguished_by: Vec<String>,
    /// For a request: the `requesttype` query value of its Request-URI (TS 33.246 Annex G).
    #[serde(default)]
    pub requesttype: Option<String>,
    /// For a request: the kind of the response that answers it.
    #[serde(default)]
    pub answered_by: Option<String>,
}

/// Credentials the tester supplies to verify HTTP Digest responses (TS 33.246 6.2.1.3:
/// username = B-TID, password = base64-encoded MRK).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestCredential {
    pub username: String,
    pub password: String,
}

/// A status code of TS 33.246 Table G.2.4-1, or 200.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusCode {
    pub code: u16,
    pub phrase: String,
    /// "used" or "not-used" (the table's "Not used by BM-SC" and "Reserved" rows).
    pub usage: String,
}

/// One purchase item of the tester's catalogue (OMA BCAST service provisioning).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseItem {
    pub global_purchase_item_id: String,
    pub purchase_data_reference: String,
}

/// Field widths for the freshness rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Freshness {
    /// Width of the MIKEY T COUNTER compared in RFC 1982 serial arithmetic.
    pub counter_bits: u32,
}

/// Who deletes a Group Key on an expel (CR 004 7.y.3; docs/interpretation.md, "CPNS").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExpelDeleter {
    /// The expelled PNE(s), the subject of the action.
    Expelled,
    /// The PNE that receives the response to the expel request: the SG Owner (the literal
    /// reading).
    Requester,
}

/// What "SG Inventory" means when 7.y.3 has a PNE delete from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PneInventory {
    /// The PNE's own store of the Group Key: its deletion is a `GroupKeyDeleted` it logs.
    Own,
    /// The CPNS Server's SG Inventory: a PNE has no deletion of its own to show.
    Server,
}

/// CPNS group-key settings (CR 004).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CpnsSettings {
    /// Maximum age of a Group Key, in seconds, for the periodic update of 7.y.2 (the CR
    /// gives no period: unset, CPNS-GK-03 is not applicable).
    pub max_key_age: Option<u64>,
    pub expel_deleter: ExpelDeleter,
    pub pne_inventory: PneInventory,
}

/// A MIKEY message profile (a kind judged by the MIKEY rules).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MikeyKind {
    pub name: String,
    pub description: String,
    /// The requirements a message of this profile serves: a finding of a rule shared by
    /// every profile cites only these (empty: the rule's own list).
    #[serde(default)]
    pub requirements: Vec<String>,
}

/// An XML element whose text is a base64 MIKEY message of a given kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbeddedMikey {
    /// Local name of the element.
    pub element: String,
    /// Local names of the parents it counts in.
    pub parents: Vec<String>,
    /// The MIKEY kind its content is judged as.
    pub kind: String,
}

/// Readings for pre-shared-key MIKEY that no source confirms (`rules/settings.yaml`, `psk`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PskSettings {
    /// Where a 32-bit COUNTER goes in the 64-bit T of the AES-CM IV.
    pub counter_placement: crate::crypto::kemac::CounterPlacement,
    /// The RAND (hex) that keys a pre-shared-key message carrying none (an MBMS MTK message);
    /// none: such messages are not checked with the keyring.
    #[serde(default)]
    pub mtk_rand: Option<String>,
}

/// All settings (see `rules/settings.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Prefixes usable in rule selectors (`bcast:LTKM`).
    pub prefixes: BTreeMap<String, String>,
    /// `qualified` or `unqualified`: the namespace of the BCAST containers' children.
    pub bcast_children_form: String,
    /// Local names of the BCAST containers (their children are matched by local name).
    pub bcast_containers: Vec<String>,
    pub kinds: Vec<KindDef>,
    pub status_codes: Vec<StatusCode>,
    pub limits: Limits,
    pub mikey_kinds: Vec<MikeyKind>,
    /// Kinds of capture (an HTTP exchange, …), judged by the exchange rules.
    pub capture_kinds: Vec<MikeyKind>,
    /// The purchase items the tester declares, for BCAST-REG-04 (empty: not judged).
    pub purchase_catalogue: Vec<PurchaseItem>,
    /// UDP ports whose datagrams are read from packet captures as MIKEY messages.
    pub pcap_ports: Vec<u16>,
    /// Field widths for key freshness (MBMS-KEY-01).
    pub freshness: Freshness,
    /// HTTP Digest credentials to verify responses with (empty: not verified).
    pub digest_credentials: Vec<DigestCredential>,
    pub embedded_mikey: Vec<EmbeddedMikey>,
    /// Readings for pre-shared-key MIKEY checked with the keyring.
    pub psk: PskSettings,
    /// The tester's keyring (`--keys FILE`): not a YAML setting, but read alongside them so
    /// that every check kind can say it needs it.
    #[serde(skip)]
    pub keys: Option<std::sync::Arc<crate::keyring::Keyring>>,
    /// How SIP text is read and the MCVideo Warning texts (rules/mcvideo-sip.yaml).
    pub sip: crate::sip::settings::SipSettings,
    /// Which TCP ports of a capture are read as HTTP/1.1, and within what bounds.
    pub http: crate::exchange::stream::HttpSettings,
    /// OMA CPNS group-key traces (CR 004).
    pub cpns: CpnsSettings,
    /// FLUTE sessions in packet captures: ports and bounds.
    #[serde(default)]
    pub flute: crate::flute::FluteSettings,
}

/// Settings that could not be read or do not make sense.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{source_name}: {message}")]
    Yaml {
        source_name: String,
        message: String,
    },
    #[error("--set {0}: expected key=value")]
    BadAssignment(String),
    #[error("setting bcast_children_form must be 'qualified' or 'unqualified', not '{0}'")]
    BadForm(String),
}

pub const DEFAULT_SETTINGS: &str = include_str!("../rules/settings.yaml");

/// The same, as JSON written by build.rs.
const DEFAULT_SETTINGS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/settings.json"));

impl Settings {
    /// The defaults, deep-merged with the user's file and `key=value` assignments.
    pub fn load(
        user_file: Option<(&str, &str)>,
        assignments: &[String],
    ) -> Result<Settings, SettingsError> {
        let files: Vec<(&str, &str)> = user_file.into_iter().collect();
        Settings::load_layers(&files, assignments)
    }

    /// The defaults, deep-merged with each of the user's files in turn (a later one wins: a
    /// `mikeyconf.toml` `[settings]` table, then `--settings FILE`) and the assignments.
    pub fn load_layers(
        user_files: &[(&str, &str)],
        assignments: &[String],
    ) -> Result<Settings, SettingsError> {
        // Never the value: a settings file may be anything, a key included.
        let yaml_err = |name: &str, e: crate::yaml::YamlError| SettingsError::Yaml {
            source_name: name.to_string(),
            message: e.to_string(),
        };
        if user_files.is_empty() && assignments.is_empty() {
            // The defaults alone: straight from the build-time JSON into the typed form,
            // with no generic value in between (a third of the settings' start-up cost).
            return serde_json::from_str(DEFAULT_SETTINGS_JSON).map_err(|e| SettingsError::Yaml {
                source_name: "rules/settings.yaml (built in)".to_string(),
                message: e.to_string(),
            });
        }
        // The defaults as parsed at build time (build.rs): no YAML parsing at start-up.
        let mut value: serde_yaml::Value =
            serde_json::from_str(DEFAULT_SETTINGS_JSON).map_err(|e| SettingsError::Yaml {
                source_name: "rules/settings.yaml (built in)".to_string(),
                message: e.to_string(),
            })?;
        for (name, text) in user_files {
            let user: serde_yaml::Value =
                crate::yaml::from_str(text).map_err(|e| yaml_err(name, e))?;
            merge(&mut value, user);
        }
        for a in assignments {
            let (key, raw) = a
                .split_once('=')
                .ok_or_else(|| SettingsError::BadAssignment(a.clone()))?;
            let parsed: serde_yaml::Value =
                crate::yaml::from_str(raw).map_err(|e| yaml_err(a, e))?;
            let mut patch = parsed;
            for part in key.rsplit('.') {
                let mut m = serde_yaml::Mapping::new();
                m.insert(serde_yaml::Value::String(part.to_string()), patch);
                patch = serde_yaml::Value::Mapping(m);
            }
            merge(&mut value, patch);
        }
        let settings: Settings = serde_yaml::from_value(value).map_err(|e| {
            culprit(user_files).unwrap_or_else(|| yaml_err("settings", crate::yaml::from_serde(&e)))
        })?;
        if settings.bcast_children_form != "qualified"
            && settings.bcast_children_form != "unqualified"
        {
            return Err(SettingsError::BadForm(settings.bcast_children_form));
        }
        if let Some(r) = &settings.psk.mtk_rand {
            if hex::decode(r.trim()).map_or(true, |b| b.is_empty()) {
                return Err(SettingsError::Yaml {
                    source_name: "settings".to_string(),
                    message: format!("psk.mtk_rand must be hex octets, not {r:?}"),
                });
            }
        }
        Ok(settings)
    }

    pub fn bcast_ns(&self) -> &str {
        self.prefixes.get("bcast").map(String::as_str).unwrap_or("")
    }

    pub fn kind(&self, name: &str) -> Option<&KindDef> {
        self.kinds.iter().find(|k| k.name == name)
    }

    pub fn is_mikey_kind(&self, name: &str) -> bool {
        self.mikey_kinds.iter().any(|k| k.name == name)
    }

    pub fn is_capture_kind(&self, name: &str) -> bool {
        self.capture_kinds.iter().any(|k| k.name == name)
    }
}

/// The user file whose own content is of the wrong shape, named with the place, the field
/// path and the expected type: read alone, a file's first error is its own (a field it
/// omits is reported only at the end of its map, after the fields it has).
fn culprit(user_files: &[(&str, &str)]) -> Option<SettingsError> {
    user_files.iter().find_map(|(name, text)| {
        let e = serde_yaml::from_str::<Settings>(text).err()?;
        let e = crate::yaml::from_serde(&e);
        (!e.message.contains("missing field")).then(|| SettingsError::Yaml {
            source_name: name.to_string(),
            message: e.to_string(),
        })
    })
}

/// Deep merge: mappings merge key by key, anything else replaces.
fn merge(base: &mut serde_yaml::Value, patch: serde_yaml::Value) {
    match (base, patch) {
        (serde_yaml::Value::Mapping(b), serde_yaml::Value::Mapping(p)) => {
            for (k, v) in p {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path for the defaults alone reads them as the merging path does.
    #[test]
    fn defaults_read_the_same_by_either_path() {
        let fast = Settings::load(None, &[]).unwrap();
        let merged = Settings::load(Some(("empty", "{}")), &[]).unwrap();
        assert_eq!(format!("{fast:?}"), format!("{merged:?}"));
        assert_eq!(fast.bcast_children_form, "qualified");
    }
}
