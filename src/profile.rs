//! Implementation profiles (ICS/PICS): a vendor declares the role its implementation plays and
//! the optional features it supports (`--profile FILE`, docs/profiles.md). A rule that names
//! what it `requires:` is not applicable to an implementation whose profile does not declare it.
//! The vocabulary (roles, options, their values) is data: `rules/profile-options.yaml`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The built-in vocabulary, as build.rs parsed it (JSON).
const VOCABULARY_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/profile-options.json"));

/// The roles and options a profile may declare (`rules/profile-options.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    pub roles: Vec<RoleDef>,
    pub options: Vec<OptionDef>,
    /// The message kinds only one party sends.
    #[serde(default)]
    pub senders: Vec<SenderDef>,
    /// Who sends and who answers each SIP request of the MCVideo procedures.
    #[serde(default)]
    pub sip_senders: Vec<SipSenderDef>,
    /// Who sends the request and who the response of a key-management HTTP exchange.
    pub http_senders: HttpSendersDef,
}

/// The roles that send the two halves of a key-management HTTP exchange (`http_senders`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSendersDef {
    pub request: String,
    pub response: String,
    pub clause: String,
}

/// A SIP request one role sends and another answers (`sip_senders`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SipSenderDef {
    pub request: crate::sip::select::Select,
    pub role: String,
    pub answered_by: String,
    pub clause: String,
}

/// A message kind only one role sends: under another role's profile it is the stimulus.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SenderDef {
    pub kind: String,
    pub role: String,
    pub clause: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleDef {
    pub name: String,
    pub description: String,
}

/// The type of an option's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptionType {
    /// `true` or `false`.
    Bool,
    /// A list of the option's `values`.
    List,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: OptionType,
    /// For a list option: the values it may hold.
    #[serde(default)]
    pub values: Vec<String>,
    /// For a list option: values every implementation of its roles supports.
    #[serde(default)]
    pub mandatory: Vec<String>,
    /// The roles the option concerns.
    pub roles: Vec<String>,
    pub clause: String,
    pub description: String,
}

/// The built-in vocabulary (read once).
pub fn vocabulary() -> &'static Vocabulary {
    static V: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        serde_json::from_str(VOCABULARY_JSON).expect("rules/profile-options.yaml is valid")
    })
}

impl Vocabulary {
    pub fn option(&self, name: &str) -> Option<&OptionDef> {
        self.options.iter().find(|o| o.name == name)
    }

    pub fn is_role(&self, name: &str) -> bool {
        self.roles.iter().any(|r| r.name == name)
    }

    fn role_names(&self) -> String {
        let names: Vec<&str> = self.roles.iter().map(|r| r.name.as_str()).collect();
        names.join(", ")
    }

    fn option_names(&self) -> String {
        let names: Vec<&str> = self.options.iter().map(|o| o.name.as_str()).collect();
        names.join(", ")
    }
}

/// An option's value, in a profile or in a rule's `requires:`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OptionValue {
    Bool(bool),
    Word(String),
    Words(Vec<String>),
}

impl std::fmt::Display for OptionValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OptionValue::Bool(b) => write!(f, "{b}"),
            OptionValue::Word(w) => f.write_str(w),
            OptionValue::Words(ws) => write!(f, "[{}]", ws.join(", ")),
        }
    }
}

/// What a rule needs of the implementation's profile (`requires:` in a rule table). Without a
/// profile every rule applies.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requires {
    /// The rule judges what an implementation of one of these roles sends or does.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Options the implementation must support: `true` for a bool option, a value (or a list
    /// of values, all needed) for a list option.
    #[serde(default)]
    pub supports: BTreeMap<String, OptionValue>,
}

impl Requires {
    /// Checks the names and values against the vocabulary.
    pub fn validate(&self) -> Result<(), String> {
        let v = vocabulary();
        for role in &self.roles {
            if !v.is_role(role) {
                return Err(format!(
                    "requires names unknown role '{role}' (roles: {})",
                    v.role_names()
                ));
            }
        }
        for (name, want) in &self.supports {
            let def = v.option(name).ok_or_else(|| {
                format!(
                    "requires names unknown option '{name}' (options: {})",
                    v.option_names()
                )
            })?;
            let words: Vec<&String> = match (def.kind, want) {
                (OptionType::Bool, OptionValue::Bool(true)) => Vec::new(),
                (OptionType::List, OptionValue::Word(w)) => vec![w],
                (OptionType::List, OptionValue::Words(ws)) if !ws.is_empty() => ws.iter().collect(),
                _ => {
                    return Err(format!(
                        "requires {name}: {want} does not fit the option ({})",
                        expected(def)
                    ))
                }
            };
            if let Some(w) = words.iter().find(|w| !def.values.contains(w)) {
                return Err(format!(
                    "requires {name}: '{w}' is not one of its values ({})",
                    def.values.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// What an option's value must look like, for messages.
fn expected(def: &OptionDef) -> String {
    match def.kind {
        OptionType::Bool => "true or false".to_string(),
        OptionType::List => format!("a list of {}", def.values.join(", ")),
    }
}

/// A vendor's declaration: the role and the supported options.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    /// The file it was read from, as given (or relative to the config file naming it).
    pub path: String,
    pub role: String,
    pub supports: BTreeMap<String, OptionValue>,
}

/// The file as written, before its names and values are checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    role: String,
    #[serde(default)]
    supports: BTreeMap<String, serde_yaml::Value>,
}

impl Profile {
    /// Reads and checks a profile file.
    pub fn load(path: &std::path::Path, shown: &str) -> Result<Profile, String> {
        let text = crate::bounded::read_text(path, shown, crate::bounded::CONFIG_FILE)?;
        Profile::parse(shown, &text)
    }

    /// Reads and checks a profile's text; errors name `name:line:column`.
    pub fn parse(name: &str, text: &str) -> Result<Profile, String> {
        let file: ProfileFile = crate::yaml::from_str(text).map_err(|e| {
            let (l, c) = (e.line.unwrap_or(0), e.column.unwrap_or(0));
            format!("{name}:{l}:{c}: {}", e.message)
        })?;
        let v = vocabulary();
        let at = |key: &str, message: String| format!("{name}:{}: {message}", line_of(text, key));
        if !v.is_role(&file.role) {
            return Err(at(
                "role",
                format!(
                    "unknown role {} (roles: {})",
                    crate::yaml::shown_name(&file.role, '\''),
                    v.role_names()
                ),
            ));
        }
        let mut supports = BTreeMap::new();
        for (key, raw) in file.supports {
            let def = v.option(&key).ok_or_else(|| {
                at(
                    &key,
                    format!(
                        "unknown option {} (options: {})",
                        crate::yaml::shown_name(&key, '\''),
                        v.option_names()
                    ),
                )
            })?;
            if !def.roles.contains(&file.role) {
                return Err(at(
                    &key,
                    format!(
                        "option {key} concerns the roles {}, not {}",
                        def.roles.join(", "),
                        file.role
                    ),
                ));
            }
            let value = option_value(def, &raw).map_err(|m| at(&key, m))?;
            supports.insert(key, value);
        }
        Ok(Profile {
            path: name.to_string(),
            role: file.role,
            supports,
        })
    }

    /// Why a rule requiring `req` is not applicable to this implementation, or None.
    pub fn why_not(&self, req: &Requires) -> Option<String> {
        if !req.roles.is_empty() && !req.roles.contains(&self.role) {
            // The other party's messages are the stimulus the implementation under test
            // answers, not what it is judged on.
            return Some(format!(
                "judges what {} {} sends or does; the profile {} declares role {}: that party's messages are the stimulus, not the implementation under test",
                article(&req.roles[0]),
                req.roles.join(" or "),
                self.path,
                self.role
            ));
        }
        for (name, want) in &req.supports {
            if !self.supports_value(name, want) {
                let declared = self
                    .supports
                    .get(name)
                    .map_or("does not declare it".to_string(), |d| {
                        format!("declares {d}")
                    });
                return Some(format!(
                    "needs the profile option supports.{name}: {want}; the profile {} {declared}",
                    self.path
                ));
            }
        }
        None
    }

    /// Why a rule that binds no party does not judge a message of `kind` under this profile:
    /// only another role sends such messages, so they are the stimulus. None otherwise.
    pub fn why_not_kind(&self, kind: &str) -> Option<String> {
        let sender = vocabulary().senders.iter().find(|s| s.kind == kind)?;
        (sender.role != self.role).then(|| {
            format!(
                "judges a {kind}, which {} {} sends ({}); the profile {} declares role {}: that party's messages are the stimulus, not the implementation under test",
                article(&sender.role), sender.role, sender.clause, self.path, self.role
            )
        })
    }

    /// Which halves of a key-management HTTP exchange the implementation under test sends
    /// (`http_senders`): (request, response). A rule that binds no party judges only those.
    pub fn sends_in_exchange(&self) -> (bool, bool) {
        let s = &vocabulary().http_senders;
        (s.request == self.role, s.response == self.role)
    }

    /// Why an exchange rule that binds no party is not applicable under a role that sends
    /// neither half of a key-management exchange (`http_senders`).
    pub fn exchange_stimulus(&self) -> String {
        let s = &vocabulary().http_senders;
        format!(
            "the request and the response are what {} {} and {} {} send ({}); the profile {} declares role {}: that party's messages are the stimulus, not the implementation under test",
            article(&s.request),
            s.request,
            article(&s.response),
            s.response,
            s.clause,
            self.path,
            self.role
        )
    }

    fn supports_value(&self, name: &str, want: &OptionValue) -> bool {
        let mandatory = vocabulary()
            .option(name)
            .filter(|d| d.roles.contains(&self.role))
            .map(|d| d.mandatory.clone())
            .unwrap_or_default();
        let has = |w: &String| {
            mandatory.contains(w)
                || matches!(self.supports.get(name), Some(OptionValue::Words(ws)) if ws.contains(w))
        };
        match want {
            OptionValue::Bool(b) => self.supports.get(name) == Some(&OptionValue::Bool(*b)),
            OptionValue::Word(w) => has(w),
            OptionValue::Words(ws) => ws.iter().all(has),
        }
    }

    /// One line for reports: `profiles/bsm.yaml (role bsm; ltkm_delivery [udp, http])`.
    pub fn describe(&self) -> String {
        let mut s = format!("{} (role {}", self.path, self.role);
        for (k, v) in &self.supports {
            s.push_str(&format!("; {k} {v}"));
        }
        s.push(')');
        s
    }
}

/// "an" before a role name that starts with a vowel (`an ims-core`), else "a".
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// A declared value, checked against its option's type and values.
fn option_value(def: &OptionDef, raw: &serde_yaml::Value) -> Result<OptionValue, String> {
    let wrong = || format!("option {}: expected {}", def.name, expected(def));
    match def.kind {
        OptionType::Bool => raw.as_bool().map(OptionValue::Bool).ok_or_else(wrong),
        OptionType::List => {
            let items = raw.as_sequence().ok_or_else(wrong)?;
            let mut words = Vec::new();
            for item in items {
                let w = item.as_str().ok_or_else(wrong)?;
                if !def.values.iter().any(|v| v == w) {
                    return Err(format!(
                        "option {}: {} is not one of {}",
                        def.name,
                        crate::yaml::shown_name(w, '\''),
                        def.values.join(", ")
                    ));
                }
                if !words.iter().any(|x: &String| x == w) {
                    words.push(w.to_string());
                }
            }
            if let Some(m) = def.mandatory.iter().find(|m| !words.contains(m)) {
                return Err(format!(
                    "option {}: '{m}' is mandatory ({}) and must be listed",
                    def.name, def.clause
                ));
            }
            Ok(OptionValue::Words(words))
        }
    }
}

/// The 1-based line where `key:` is written (0 when it cannot be found).
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            t.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_reads_and_names_its_errors_by_line() {
        let p = Profile::parse(
            "p.yaml",
            "role: bsm\nsupports:\n  ltkm_delivery: [udp, http]\n",
        )
        .unwrap();
        assert_eq!(p.describe(), "p.yaml (role bsm; ltkm_delivery [udp, http])");
        let e = Profile::parse("p.yaml", "role: bsm\nsupports:\n  colour: true\n").unwrap_err();
        assert!(e.starts_with("p.yaml:3: unknown option 'colour'"), "{e}");
        let e = Profile::parse("p.yaml", "role: bsm\nsupports:\n  ltkm_delivery: [http]\n")
            .unwrap_err();
        assert!(
            e.contains("p.yaml:3: option ltkm_delivery: 'udp' is mandatory"),
            "{e}"
        );
        let e =
            Profile::parse("p.yaml", "role: bsm\nsupports:\n  ltkm_delivery: yes\n").unwrap_err();
        assert!(e.contains("expected a list of udp, http, sms"), "{e}");
        let e = Profile::parse("p.yaml", "role: bsc\n").unwrap_err();
        assert!(e.starts_with("p.yaml:1: unknown role 'bsc'"), "{e}");
        let e = Profile::parse("p.yaml", "role: bsm\nextra: 1\n").unwrap_err();
        assert!(e.starts_with("p.yaml:2:"), "{e}");
        let e =
            Profile::parse("p.yaml", "role: pne\nsupports:\n  ltkm_delivery: [udp]\n").unwrap_err();
        assert!(
            e.contains("concerns the roles bsm, terminal, not pne"),
            "{e}"
        );
    }

    #[test]
    fn senders_name_known_roles_and_kinds_and_make_the_other_party_a_stimulus() {
        let settings = crate::settings::Settings::load(None, &[]).unwrap();
        for s in &vocabulary().senders {
            assert!(vocabulary().is_role(&s.role), "{}: {}", s.kind, s.role);
            assert!(
                settings.kind(&s.kind).is_some() || settings.is_mikey_kind(&s.kind),
                "unknown kind {}",
                s.kind
            );
        }
        let client = Profile::parse("c.yaml", "role: mcvideo-client\n").unwrap();
        let why = client.why_not_kind("csk-download").unwrap();
        assert!(why.contains("which a mcvideo-server sends"), "{why}");
        let server = Profile::parse("s.yaml", "role: mcvideo-server\n").unwrap();
        assert_eq!(server.why_not_kind("csk-download"), None);
        assert_eq!(client.why_not_kind("mikey-sakke"), None);
    }

    #[test]
    fn each_half_of_an_exchange_has_its_sender() {
        let h = &vocabulary().http_senders;
        assert!(vocabulary().is_role(&h.request) && vocabulary().is_role(&h.response));
        let at = |role: &str| Profile::parse("p.yaml", &format!("role: {role}\n")).unwrap();
        assert_eq!(at("bsm").sends_in_exchange(), (false, true));
        assert_eq!(at("terminal").sends_in_exchange(), (true, false));
        assert_eq!(at("pne").sends_in_exchange(), (false, false));
        let why = at("pne").exchange_stimulus();
        assert!(
            why.starts_with(
                "the request and the response are what a terminal and a bsm send (TS 33.246"
            ),
            "{why}"
        );
    }

    #[test]
    fn requirements_are_met_by_role_declared_and_mandatory_values() {
        let p = Profile::parse("p.yaml", "role: terminal\n").unwrap();
        let sms = Requires {
            roles: Vec::new(),
            supports: [("ltkm_delivery".to_string(), OptionValue::Word("sms".into()))].into(),
        };
        let why = p.why_not(&sms).unwrap();
        assert!(why.contains("supports.ltkm_delivery: sms"), "{why}");
        assert!(why.ends_with("does not declare it"), "{why}");
        let udp = Requires {
            roles: Vec::new(),
            supports: [("ltkm_delivery".to_string(), OptionValue::Word("udp".into()))].into(),
        };
        assert_eq!(p.why_not(&udp), None);
        let bsm = Requires {
            roles: vec!["bsm".into()],
            supports: BTreeMap::new(),
        };
        assert!(p.why_not(&bsm).unwrap().contains("declares role terminal"));
        assert!(Requires {
            roles: vec!["nobody".into()],
            supports: BTreeMap::new()
        }
        .validate()
        .is_err());
        assert!(sms.validate().is_ok());
    }
}
