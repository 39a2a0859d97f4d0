//! One selection everywhere (issue 23): `mikeyconf spec` takes `--select`, `--ignore`,
//! `--profile` and the config file as `check` does (an unknown pattern refused the same way,
//! a rule left out reported not applicable with the reason, never passed), and `rules` and
//! `explain` know the spec editor's rules.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A change request with two SPEC-TXT-01 defects (a quoted string with a space inside its
/// quotes), and nothing else wrong.
const QUOTED: &str = "vectors/spec/rules/quoted.md";

/// A fresh scratch folder holding a copy of the document, with `sub/` inside.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli_selection")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::copy(Path::new(ROOT).join(QUOTED), dir.join("cr.md")).unwrap();
    dir
}

/// Runs the binary in `dir`: exit code, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_mikeyconf"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn spec_refuses_an_unknown_pattern_as_check_does() {
    let dir = scratch("unknown");
    let (spec_code, spec_out, spec_err) = run(&dir, &["spec", "--ignore", "NOPE-", "cr.md"]);
    let (check_code, _, check_err) = run(&dir, &["check", "--ignore", "NOPE-", "cr.md"]);
    assert_eq!(check_code, 2);
    assert_eq!(spec_code, 2, "{spec_out}");
    assert_eq!(spec_out, "", "refused before any document is read");
    assert_eq!(spec_err, check_err);
    assert!(
        spec_err.contains("no rule has the id or id prefix --ignore NOPE-"),
        "{spec_err}"
    );
    let (code, _, err) = run(&dir, &["spec", "--select", "SPEC-NOPE", "cr.md"]);
    assert_eq!(code, 2, "{err}");
    // A spec rule is a rule: `check` takes it too (it leaves out no payload rule).
    let xml = Path::new(ROOT).join("vectors/xml/msk-response/valid-two-ltkms.xml");
    let xml = xml.display().to_string();
    let (code, out, err) = run(&dir, &["check", "--ignore", "SPEC-TXT-01", &xml]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn spec_leaves_out_an_ignored_rule_with_the_reason() {
    let dir = scratch("ignore");
    let (code, out, _) = run(&dir, &["spec", "cr.md"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("[SPEC-TXT-01]"), "{out}");
    let (code, out, err) = run(
        &dir,
        &[
            "spec",
            "--ignore",
            "SPEC-TXT-01",
            "--format",
            "json",
            "cr.md",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let result = &report["results"][0];
    assert_eq!(result["verdict"], "conformant", "{out}");
    assert!(result["findings"].as_array().unwrap().is_empty(), "{out}");
    let outcomes = mikeyconf::internals::render::json::outcomes_of(&report, result);
    let txt = outcomes
        .iter()
        .find(|o| o["rule"] == "SPEC-TXT-01")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(txt["verdict"], "not-applicable", "{out}");
    assert_eq!(
        txt["reason"], "not selected (--ignore SPEC-TXT-01)",
        "{txt}"
    );
    // Selecting one rule leaves the others of the prose out, and this one runs.
    let (code, out, _) = run(&dir, &["spec", "--select", "SPEC-TXT-01", "cr.md"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("1 rule applied, 5 not applicable"), "{out}");
}

/// Everything left out: the prose could not be checked, as an input of `check` on which no
/// rule was applied.
#[test]
fn spec_with_every_rule_of_a_result_left_out_checks_nothing() {
    let dir = scratch("nothing");
    let (code, out, _) = run(&dir, &["spec", "--select", "SPEC-XSD-", "cr.md"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("could not check: nothing was checked: this run leaves out 6 of the 6 rules"),
        "{out}"
    );
}

#[test]
fn spec_reads_the_config_file_found_from_the_working_folder() {
    let dir = scratch("config");
    std::fs::write(
        dir.join("mikeyconf.toml"),
        "ignore = [\"SPEC-TXT-\"]\nformat = \"concise\"\n",
    )
    .unwrap();
    let (code, out, err) = run(&dir.join("sub"), &["spec", "../cr.md"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "No findings in 1 input.\n", "the file's format: {out}");
    let (code, out, _) = run(&dir.join("sub"), &["spec", "--no-config", "../cr.md"]);
    assert_eq!(code, 1, "{out}");
    // The config file is named in a report of the run, as `check` names it.
    let (_, out, _) = run(&dir.join("sub"), &["spec", "--format", "json", "../cr.md"]);
    assert!(out.contains("\"config\": \"../mikeyconf.toml\""), "{out}");
    // An unknown pattern in the file is refused, with the file named.
    std::fs::write(dir.join("mikeyconf.toml"), "select = [\"NOPE-\"]\n").unwrap();
    let (code, _, err) = run(&dir, &["spec", "cr.md"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("mikeyconf.toml select NOPE-"), "{err}");
}

#[test]
fn spec_names_the_profile_it_judges_for() {
    let dir = scratch("profile");
    std::fs::write(
        dir.join("terminal.yaml"),
        "role: terminal\nsupports:\n  ltkm_delivery: [udp]\n",
    )
    .unwrap();
    let (code, out, err) = run(
        &dir,
        &[
            "spec",
            "--profile",
            "terminal.yaml",
            "--format",
            "json",
            "cr.md",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["profile"]["role"], "terminal", "{out}");
    let (code, _, err) = run(&dir, &["spec", "--profile", "missing.yaml", "cr.md"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn rules_lists_and_explain_explains_the_spec_rules() {
    let dir = scratch("rules");
    let (code, out, _) = run(&dir, &["rules"]);
    assert_eq!(code, 0);
    let spec: Vec<&str> = out.lines().filter(|l| l.starts_with("SPEC-")).collect();
    assert_eq!(
        spec.len(),
        mikeyconf::internals::spec::rules::all().len(),
        "{out}"
    );
    assert_eq!(spec.len(), 10, "{out}");
    assert!(out.lines().any(|l| l.starts_with("SPEC-TXT-01 ")), "{out}");
    let (_, out, _) = run(&dir, &["rules", "--ignore", "SPEC-URN-"]);
    let urn = out.lines().find(|l| l.starts_with("SPEC-URN-01")).unwrap();
    assert!(
        urn.ends_with("(not applicable: not selected (--ignore SPEC-URN-))"),
        "{urn}"
    );
    let (code, out, err) = run(&dir, &["explain", "spec-txt-01"]);
    assert_eq!(code, 0, "{err}");
    let rule = mikeyconf::internals::spec::rules::get("SPEC-TXT-01");
    assert!(
        out.starts_with(&format!("SPEC-TXT-01: {}\n", rule.title)),
        "{out}"
    );
    assert!(
        out.contains(&format!("clause:      {}", rule.clause)),
        "{out}"
    );
    assert!(out.contains(rule.clause_text.trim()), "{out}");
    assert!(out.contains("checked by:  src/spec/quoted.rs"), "{out}");
    let (code, _, err) = run(&dir, &["explain", "SPEC-NOPE-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("no rule 'SPEC-NOPE-01'"), "{err}");
}

/// `decode` and `trace` judge nothing, so a selection leaves nothing out of them; but a
/// pattern that names no rule is refused there too, not taken without a word.
#[test]
fn decode_refuses_an_unknown_pattern_too() {
    let dir = scratch("decode");
    let pcap = Path::new(ROOT).join("examples/session/pushes.pcap");
    let pcap = pcap.display().to_string();
    let (code, _, err) = run(&dir, &["decode", "--ignore", "NOPE-", &pcap]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no rule has the id or id prefix --ignore NOPE-"),
        "{err}"
    );
    let (code, out, err) = run(&dir, &["decode", "--ignore", "SPEC-TXT-01", &pcap]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 MIKEY message(s)"), "{out}");
    let (code, _, err) = run(&dir, &["trace", "--pcap", &pcap, "--select", "NOPE"]);
    assert_eq!(code, 2, "{err}");
}
