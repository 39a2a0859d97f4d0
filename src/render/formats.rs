//! The one table of output formats (`--format`, and `format` in `mikeyconf.toml`): each row
//! a name, its help line and how its emitter is made from what a report is written against.
//! The command line lists the table as `--format`'s values and asks it for the emitter, so
//! adding a format is its emitter file and one row here (ARCHITECTURE.md, "Where to add").

use super::emitter::Emitter;
use super::sarif::RuleMeta;
use super::text::{RunSummary, TextOptions};
use super::{azure, concise, github, gitlab, html, json, jsonl, junit, sarif, text, RunInfo};
use crate::finding::Skipped;
use crate::rules::RuleSet;

/// What a report is written against: the rules, the files skipped, the run's profile and
/// config file, the text format's options, and the rules the rule set does not hold that a
/// report describing every rule must describe (the spec editor's rules).
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    pub skipped: &'a [Skipped],
    pub run: &'a RunInfo,
    pub text: TextOptions,
    pub summary: RunSummary,
    pub more_rules: &'a [RuleMeta],
}

/// One output format: its name on the command line, its help line, and its emitter.
pub struct OutputFormat {
    /// The value of `--format` (and of `format` in `mikeyconf.toml`).
    pub name: &'static str,
    /// One line for `--help`.
    pub help: &'static str,
    make: for<'a> fn(&Context<'a>) -> Box<dyn Emitter + 'a>,
}

impl OutputFormat {
    /// The emitter that writes this format's report of a run against `cx`.
    pub fn emitter<'a>(&self, cx: &Context<'a>) -> Box<dyn Emitter + 'a> {
        (self.make)(cx)
    }
}

/// Every output format, in the order `--help` lists them; the first is the default.
pub const OUTPUT_FORMATS: &[OutputFormat] = &[
    OutputFormat {
        name: "text",
        help: "Findings with their source lines, as a compiler's diagnostics",
        make: |cx| {
            Box::new(text::TextEmitter::new(
                cx.rules,
                cx.text,
                cx.run,
                cx.skipped.len(),
                cx.summary,
            ))
        },
    },
    OutputFormat {
        name: "json",
        help: "One JSON document: every input's verdict, findings and rule outcomes",
        make: |cx| Box::new(json::JsonEmitter::new(cx.skipped, cx.run)),
    },
    OutputFormat {
        name: "junit",
        help: "JUnit XML: a suite per input, a case per rule",
        make: |cx| Box::new(junit::JunitEmitter::new(cx.run)),
    },
    OutputFormat {
        name: "sarif",
        help: "SARIF 2.1.0, for code scanning",
        make: |cx| {
            Box::new(
                sarif::SarifEmitter::new(cx.rules, cx.skipped, cx.run)
                    .describing(cx.more_rules.iter().cloned()),
            )
        },
    },
    OutputFormat {
        name: "github",
        help: "GitHub Actions annotations (`::error file=…,line=…::…`)",
        make: |cx| Box::new(github::GithubEmitter { run: cx.run }),
    },
    OutputFormat {
        name: "html",
        help: "One self-contained HTML page: summary, rules × inputs matrix, findings",
        make: |cx| Box::new(html::HtmlEmitter::new(cx.rules, cx.skipped, cx.run)),
    },
    OutputFormat {
        name: "concise",
        help: "One line per finding, `path:line:col: RULE message` (as ruff's concise output)",
        make: |_| Box::new(concise::ConciseEmitter::default()),
    },
    OutputFormat {
        name: "jsonl",
        help: "JSON Lines: one object per input, the JSON report's fields, written as results come",
        make: |_| Box::new(jsonl::JsonlEmitter),
    },
    OutputFormat {
        name: "gitlab",
        help: "GitLab Code Quality (a JSON array of issues)",
        make: |_| Box::new(gitlab::GitlabEmitter::new()),
    },
    OutputFormat {
        name: "azure",
        help: "Azure Pipelines logging commands (`##vso[task.logissue …]`)",
        make: |_| Box::new(azure::AzureEmitter),
    },
];

/// The format named `name`, ignoring case (as a config file may spell it).
pub fn by_name(name: &str) -> Option<&'static OutputFormat> {
    OUTPUT_FORMATS
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
}

/// The names of every format, for an error that lists them.
pub fn names() -> impl Iterator<Item = &'static str> {
    OUTPUT_FORMATS.iter().map(|f| f.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lower_case() {
        let mut seen = std::collections::HashSet::new();
        for f in OUTPUT_FORMATS {
            assert!(seen.insert(f.name), "{} twice", f.name);
            assert_eq!(f.name, f.name.to_ascii_lowercase());
            assert!(by_name(&f.name.to_ascii_uppercase()).is_some());
        }
        assert_eq!(OUTPUT_FORMATS[0].name, "text");
    }
}
