//! The requirements catalogue (`rules/requirements.yaml`): every normative statement of the
//! CRs, built into the binary, and its coverage by the rule tables. A requirement is covered
//! by the rules that cite it, or says why it is not (yet) checked; anything else is a gap.

use crate::rules::RuleSet;
use serde::Deserialize;

/// The catalogue built into the binary.
pub const BUILTIN: (&str, &str) = (
    "rules/requirements.yaml",
    include_str!("../rules/requirements.yaml"),
);

/// One normative statement.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    /// The specification (and CR file) it comes from.
    pub source: String,
    pub clause: String,
    /// Where it can be checked: msg, exch, trace or n/a.
    pub level: String,
    pub statement: String,
    /// Why no rule checks it (yet); absent for a covered requirement.
    #[serde(default)]
    pub not_checked: Option<String>,
    /// Why the catalogue holds it though the shared checklist does not (a requirement that
    /// follows from several clauses together); absent for a checklist row.
    #[serde(default)]
    pub beyond_checklist: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalogue {
    requirements: Vec<Requirement>,
}

/// Reads a catalogue.
pub fn load(name: &str, text: &str) -> Result<Vec<Requirement>, String> {
    let c: Catalogue = serde_yaml::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map_or(String::new(), |l| format!(":{}:{}", l.line(), l.column()));
        format!("{name}{at}: {e}")
    })?;
    Ok(c.requirements)
}

/// The built-in catalogue.
pub fn builtin() -> Vec<Requirement> {
    load(BUILTIN.0, BUILTIN.1).expect("the built-in requirements catalogue is valid")
}

/// How one requirement is covered.
#[derive(Debug, Clone)]
pub struct Coverage<'a> {
    pub requirement: &'a Requirement,
    /// The rules citing it, in table order.
    pub rules: Vec<String>,
}

impl Coverage<'_> {
    /// A problem with this entry: neither covered nor explained, or explained though covered.
    pub fn problem(&self) -> Option<String> {
        let id = &self.requirement.id;
        match (self.rules.is_empty(), &self.requirement.not_checked) {
            (true, None) => Some(format!("{id}: no rule cites it and no reason is given")),
            (false, Some(_)) => Some(format!(
                "{id}: cited by {}, yet the catalogue says it is not checked: remove not_checked",
                self.rules.join(", ")
            )),
            _ => None,
        }
    }
}

/// The coverage of every requirement, and the requirement IDs rules cite that the catalogue
/// does not have.
pub fn coverage<'a>(
    catalogue: &'a [Requirement],
    rules: &RuleSet,
) -> (Vec<Coverage<'a>>, Vec<String>) {
    let table = catalogue
        .iter()
        .map(|r| Coverage {
            requirement: r,
            rules: rules
                .rules
                .iter()
                .filter(|x| x.requirement.contains(&r.id))
                .map(|x| x.id.clone())
                .collect(),
        })
        .collect();
    let mut unknown: Vec<String> = rules
        .rules
        .iter()
        .flat_map(|x| {
            x.requirement
                .iter()
                .filter(|q| !catalogue.iter().any(|r| &r.id == *q))
                .map(move |q| format!("{q} (cited by {})", x.id))
        })
        .collect();
    unknown.sort();
    unknown.dedup();
    (table, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(not_checked: Option<&str>) -> Requirement {
        Requirement {
            id: "X-Y-01".into(),
            source: "s".into(),
            clause: "1".into(),
            level: "msg".into(),
            statement: "t".into(),
            not_checked: not_checked.map(str::to_string),
            beyond_checklist: None,
        }
    }

    #[test]
    fn a_requirement_is_covered_or_explained_never_both_nor_neither() {
        let (bare, explained) = (req(None), req(Some("why")));
        let cov = |r, rules: &[&str]| Coverage {
            requirement: r,
            rules: rules.iter().map(|s| s.to_string()).collect(),
        };
        assert!(cov(&bare, &[])
            .problem()
            .unwrap()
            .contains("no rule cites it"));
        assert!(cov(&bare, &["R-1"]).problem().is_none());
        assert!(cov(&explained, &[]).problem().is_none());
        assert!(cov(&explained, &["R-1"])
            .problem()
            .unwrap()
            .contains("remove not_checked"));
    }

    #[test]
    fn the_builtin_catalogue_loads_and_ids_are_unique() {
        let c = builtin();
        let mut ids: Vec<&str> = c.iter().map(|r| r.id.as_str()).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(n, ids.len());
        assert!(n >= 69);
    }
}
