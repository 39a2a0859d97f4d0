//! Baselines, per-file ignores and the GitLab Code Quality report end to end (the built
//! binary, in scratch folders): `--write-baseline` then `--baseline` on a folder of inputs
//! with findings passes; a line inserted above a finding is not new; one new defect in one
//! file fails with exactly that finding; an input that could not be checked still exits 2;
//! `[per-file-ignores]` leaves its rules out of the inputs its glob matches, as not
//! applicable.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A SIP MESSAGE and its 488 whose Warning lacks the warn-agent: SIP-WARN-01 fails.
const SIP: &str = "vectors/sip/csk-488-warning-without-agent.sip";
/// A conformant exchange of SIP messages.
const CLEAN_SIP: &str = "vectors/sip/complete-exchange.sip";
/// A registration response whose ResponseCode is no code.
const XML: &str = "vectors/xml/registration-response/responsecode-not-a-code.xml";
/// An MSK response with two LTKM containers in one Response: BCAST-LTKM-01 fails.
const XML_2: &str = "vectors/xml/msk-response/container-twice.xml";

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli_baseline")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("in/sub")).unwrap();
    for (from, to) in [
        (SIP, "in/a.sip"),
        (CLEAN_SIP, "in/clean.sip"),
        (XML, "in/b.xml"),
        (XML_2, "in/sub/c.xml"),
    ] {
        std::fs::copy(Path::new(ROOT).join(from), dir.join(to)).unwrap();
    }
    dir
}

fn mikeyconf(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mikeyconf"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The findings of a JSON report, as (input, rule, message).
fn findings(o: &Output) -> Vec<(String, String, String)> {
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["findings"].as_array().unwrap().iter().map(move |f| {
                (
                    r["input"].as_str().unwrap().to_string(),
                    f["rule"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect()
}

/// `bytes` with `line` inserted after the first line (its line break as the file's).
fn insert_after_first_line(bytes: &[u8], line: &[u8]) -> Vec<u8> {
    let at = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    [&bytes[..at], line, &bytes[at..]].concat()
}

#[test]
fn a_baseline_passes_todays_findings_and_fails_exactly_the_new_one() {
    let dir = scratch("new-defect");
    let baseline = "ci/mikeyconf-baseline.json";
    std::fs::create_dir_all(dir.join("ci")).unwrap();
    let before = mikeyconf(&dir, &["in", "--no-config", "--format", "json"]);
    assert_eq!(code(&before), 1, "the inputs have findings");
    let known = findings(&before).len();
    assert!(known >= 3, "{known}");

    let written = mikeyconf(&dir, &["in", "--no-config", "--write-baseline", baseline]);
    assert_eq!(code(&written), 0, "{}", stderr(&written));
    assert!(stderr(&written).contains(&format!("wrote {known} findings")));
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(baseline)).unwrap()).unwrap();
    let paths: Vec<&str> = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["path"].as_str().unwrap())
        .collect();
    // Relative to the baseline's folder, not to where the run was.
    assert!(paths.contains(&"../in/a.sip"), "{paths:?}");
    assert!(paths.contains(&"../in/sub/c.xml"), "{paths:?}");

    let again = mikeyconf(&dir, &["in", "--no-config", "--baseline", baseline]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));

    // A header above the SIP finding and a comment above the XML ones: nothing new.
    for (file, line) in [
        ("in/a.sip", &b"X-Note: moved\r\n"[..]),
        ("in/b.xml", b"<!-- moved -->\n"),
    ] {
        let moved = insert_after_first_line(&std::fs::read(dir.join(file)).unwrap(), line);
        std::fs::write(dir.join(file), moved).unwrap();
    }
    let moved = mikeyconf(&dir, &["in", "--no-config", "--baseline", baseline]);
    assert_eq!(code(&moved), 0, "a moved line is no new finding");

    // One new defect in the clean file: a control octet in a header value.
    let clean = std::fs::read(dir.join("in/clean.sip")).unwrap();
    let broken = insert_after_first_line(&clean, b"Organization: a\x01b\r\n");
    std::fs::write(dir.join("in/clean.sip"), broken).unwrap();
    let new = mikeyconf(
        &dir,
        &[
            "in",
            "--no-config",
            "--baseline",
            baseline,
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&new), 1);
    let left = findings(&new);
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].0, "in/clean.sip");
    assert!(left[0].2.contains("control octet 0x01"), "{left:?}");

    // Without the baseline every finding is back.
    let all = mikeyconf(&dir, &["in", "--no-config", "--format", "json"]);
    assert_eq!(findings(&all).len(), known + 1);
}

#[test]
fn an_input_that_could_not_be_checked_still_exits_2_under_a_baseline() {
    let dir = scratch("unchecked");
    let written = mikeyconf(
        &dir,
        &["in", "--no-config", "--write-baseline", "base.json"],
    );
    assert_eq!(code(&written), 0);
    std::fs::write(
        dir.join("in/broken.pcap"),
        b"\xd4\xc3\xb2\xa1 not a capture",
    )
    .unwrap();
    let o = mikeyconf(&dir, &["in", "--no-config", "--baseline", "base.json"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let o = mikeyconf(
        &dir,
        &["in", "--no-config", "--write-baseline", "base.json"],
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    // A baseline that is no baseline is refused, not taken as empty.
    std::fs::write(dir.join("bad.json"), "{}").unwrap();
    let o = mikeyconf(&dir, &["in", "--no-config", "--baseline", "bad.json"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("bad.json: not a baseline"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn per_file_ignores_leave_their_rules_out_of_the_matching_inputs_only() {
    let dir = scratch("per-file-ignores");
    let all = findings(&mikeyconf(&dir, &["in", "--no-config", "--format", "json"]));
    let sip_rules: Vec<&String> = all
        .iter()
        .filter(|f| f.0 == "in/a.sip")
        .map(|f| &f.1)
        .collect();
    assert!(!sip_rules.is_empty());
    let table: Vec<String> = sip_rules.iter().map(|r| format!("\"{r}\"")).collect();
    std::fs::write(
        dir.join("mikeyconf.toml"),
        format!("[per-file-ignores]\n\"*.sip\" = [{}]\n", table.join(", ")),
    )
    .unwrap();
    let o = mikeyconf(&dir, &["in", "--format", "json"]);
    let left = findings(&o);
    assert!(left.iter().all(|f| f.0 != "in/a.sip"), "{left:?}");
    assert_eq!(left.len(), all.len() - sip_rules.len());
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let sip = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["input"] == "in/a.sip")
        .unwrap();
    // Not passed: not applicable, with the reason (in the input's rule plan).
    assert_eq!(sip["verdict"], "conformant");
    let text = report["plans"][sip["rules"]["plan"].as_str().unwrap()].to_string();
    assert!(text.contains("ignored for this file"), "{text}");
    assert!(text.contains("per-file-ignores"), "{text}");

    // An id that names no rule is refused, as in `ignore`.
    std::fs::write(
        dir.join("mikeyconf.toml"),
        "[per-file-ignores]\n\"*.sip\" = [\"NOPE-\"]\n",
    )
    .unwrap();
    let o = mikeyconf(&dir, &["in"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("NOPE-"), "{}", stderr(&o));
}

#[test]
fn the_gitlab_report_has_one_issue_per_finding_with_unique_fingerprints() {
    let dir = scratch("gitlab");
    let json = findings(&mikeyconf(&dir, &["in", "--no-config", "--format", "json"]));
    let o = mikeyconf(&dir, &["in", "--no-config", "--format", "gitlab"]);
    assert_eq!(code(&o), 1);
    let issues: Value = serde_json::from_slice(&o.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), json.len());
    let mut prints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    prints.sort();
    prints.dedup();
    assert_eq!(prints.len(), issues.len(), "fingerprints are unique");
    for i in issues {
        assert!(i["location"]["path"].as_str().unwrap().starts_with("in/"));
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(["info", "minor", "major"].contains(&i["severity"].as_str().unwrap()));
        assert!(i["check_name"].is_string() && i["description"].is_string());
    }
}
