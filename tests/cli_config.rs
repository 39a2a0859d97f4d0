//! The configuration end to end (the built binary, in scratch folders): `mikeyconf.toml`
//! found from a subfolder, the command line winning over it, unknown keys, `--select` and
//! `--ignore` (not applicable with the reason, exit codes), profiles (a rule not applicable,
//! the profile named in every format), colour (NO_COLOR, piped, `--color always`) and `--quiet`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A 200 registration response without the RegistrationResponseExtension the request asked
/// for: BCAST-DLV-03 (a BSM's obligation) fails.
const EXCHANGE: &str = "vectors/exchange/delivery-extension-missing.http";
/// A registration request with an LTKMDelivery Type in the proprietary range: an info
/// finding (BCAST-TYPE-02), conformant.
const INFO: &str = "vectors/xml/registration-request/type-proprietary.xml";
/// An FDT instance that fails a provisional rule: a warning, conformant.
const WARN: &str = "vectors/xml/fdt/rfc3926-no-expires.xml";
/// An MSK response with two LTKM containers in one Response: BCAST-LTKM-01 fails.
const FAIL: &str = "vectors/xml/msk-response/container-twice.xml";

/// A fresh scratch folder with `sub/deeper` inside and copies of the inputs above.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli_config")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub/deeper")).unwrap();
    for (from, to) in [
        (EXCHANGE, "exchange.http"),
        (INFO, "info.xml"),
        (WARN, "warn.xml"),
        (FAIL, "fail.xml"),
    ] {
        std::fs::copy(Path::new(ROOT).join(from), dir.join(to)).unwrap();
    }
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// Runs the binary in `dir` (stdout and stderr piped), with `env` set and NO_COLOR and
/// CLICOLOR_FORCE unset.
fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mikeyconf"));
    c.args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    for (k, v) in env {
        c.env(k, v);
    }
    let o: Output = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run_env(dir, args, &[])
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// The outcome of `rule` on the first result of a JSON report: (verdict, reason).
fn outcome(report: &serde_json::Value, rule: &str) -> (String, String) {
    let o = mikeyconf::internals::render::json::outcomes_of(report, &report["results"][0])
        .into_iter()
        .find(|o| o["rule"] == rule)
        .unwrap_or_else(|| panic!("no outcome for {rule}"));
    (
        o["verdict"].as_str().unwrap().to_string(),
        o["reason"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn the_config_file_is_found_from_a_subfolder_and_names_itself() {
    let dir = scratch("discovery");
    write(&dir, "mikeyconf.toml", "ignore = [\"BCAST-LTKM-01\"]\n");
    let deeper = dir.join("sub/deeper");
    let (code, stdout, stderr) = run(&deeper, &["check", "--format", "json", "../../fail.xml"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let report = json(&stdout);
    assert_eq!(report["config"], "../../mikeyconf.toml");
    assert_eq!(
        outcome(&report, "BCAST-LTKM-01"),
        (
            "not-applicable".to_string(),
            "not selected (../../mikeyconf.toml ignore BCAST-LTKM-01)".to_string()
        )
    );
    // --no-config (or --isolated) ignores it: the rule fails again.
    for flag in ["--no-config", "--isolated"] {
        let (code, stdout, _) = run(
            &deeper,
            &["check", flag, "--format", "json", "../../fail.xml"],
        );
        assert_eq!(code, 1, "{flag}");
        assert_eq!(outcome(&json(&stdout), "BCAST-LTKM-01").0, "fail");
        assert!(json(&stdout).get("config").is_none());
    }
    // --config names one explicitly.
    write(&dir, "other.toml", "select = [\"XML-\"]\n");
    let (code, stdout, _) = run(
        &deeper,
        &[
            "check",
            "--config",
            "../../other.toml",
            "--format",
            "json",
            "../../fail.xml",
        ],
    );
    assert_eq!(code, 0);
    let (verdict, reason) = outcome(&json(&stdout), "BCAST-LTKM-01");
    assert_eq!(verdict, "not-applicable");
    assert_eq!(
        reason,
        "not selected (../../other.toml select XML-: matches none)"
    );
}

#[test]
fn the_command_line_wins_over_the_config_file() {
    let dir = scratch("precedence");
    write(
        &dir,
        "mikeyconf.toml",
        "format = \"json\"\nselect = [\"XML-\"]\n[settings]\nbcast_children_form = \"unqualified\"\n",
    );
    // The file's format and select apply...
    let (code, stdout, _) = run(&dir, &["check", "fail.xml"]);
    assert_eq!(code, 0);
    assert_eq!(outcome(&json(&stdout), "BCAST-LTKM-01").0, "not-applicable");
    // ...unless the command line names its own.
    let (code, stdout, _) = run(
        &dir,
        &[
            "check", "--format", "text", "--select", "BCAST-", "fail.xml",
        ],
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("fail [BCAST-LTKM-01]"), "{stdout}");
    assert!(stdout.starts_with("config: mikeyconf.toml\n"), "{stdout}");
    // The file's settings apply (BCAST-NS-01 warns under `unqualified`), under --settings
    // and --set.
    let text_bcast = [
        "check", "--format", "text", "--select", "BCAST-", "fail.xml",
    ];
    let (_, stdout, _) = run(&dir, &text_bcast);
    assert!(stdout.contains("warn [BCAST-NS-01]"), "{stdout}");
    write(&dir, "qualified.yaml", "bcast_children_form: qualified\n");
    for over in [
        ["--settings", "qualified.yaml"],
        ["--set", "bcast_children_form=qualified"],
    ] {
        let args = [&text_bcast[..1], &over[..], &text_bcast[1..]].concat();
        let (_, stdout, _) = run(&dir, &args);
        assert!(!stdout.contains("BCAST-NS-01"), "{over:?}: {stdout}");
    }
    // A format the file names that does not exist is an error naming the file.
    write(&dir, "mikeyconf.toml", "format = \"yaml\"\n");
    let (code, _, stderr) = run(&dir, &["check", "fail.xml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("mikeyconf.toml: format = \"yaml\" is not one of text, json"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_key_is_an_error_with_its_line() {
    let dir = scratch("unknown-key");
    write(
        &dir,
        "mikeyconf.toml",
        "# comment\nselect = [\"XML-\"]\ncolour = true\n",
    );
    let (code, stdout, stderr) = run(&dir.join("sub"), &["check", "../fail.xml"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.starts_with("mikeyconf: ../mikeyconf.toml:3:1: unknown field `colour`"),
        "{stderr}"
    );
    // A setting the settings do not have is an error too (the settings' own check).
    write(&dir, "mikeyconf.toml", "[settings]\nno_such_setting = 1\n");
    let (code, _, stderr) = run(&dir, &["check", "fail.xml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no_such_setting"), "{stderr}");
}

#[test]
fn select_and_ignore_leave_rules_not_applicable_never_passed() {
    let dir = scratch("select");
    // Ignored: not applicable with the reason; the input is then conformant (exit 0).
    let (code, stdout, _) = run(
        &dir,
        &[
            "check",
            "--ignore",
            "XML-WF-01,BCAST-LTKM-",
            "--format",
            "json",
            "fail.xml",
        ],
    );
    assert_eq!(code, 0);
    let report = json(&stdout);
    assert_eq!(
        outcome(&report, "BCAST-LTKM-01"),
        (
            "not-applicable".to_string(),
            "not selected (--ignore BCAST-LTKM-)".to_string()
        )
    );
    assert_eq!(outcome(&report, "XML-WF-01").0, "not-applicable");
    // Repeated options add up, like comma-separated ones; the more specific wins.
    let (code, stdout, _) = run(
        &dir,
        &[
            "check",
            "--select",
            "BCAST-LTKM-",
            "--select",
            "XML-",
            "--ignore",
            "BCAST-",
            "--format",
            "json",
            "fail.xml",
        ],
    );
    assert_eq!(code, 1);
    let report = json(&stdout);
    assert_eq!(outcome(&report, "BCAST-LTKM-01").0, "fail");
    assert_eq!(
        outcome(&report, "BCAST-NS-02").1,
        "not selected (--ignore BCAST-)"
    );
    assert_eq!(
        outcome(&report, "MBMS-KEY-02").1,
        "not selected (--select BCAST-LTKM-, XML-: matches none)"
    );
    // Unknown ids or prefixes: exit 2, naming them.
    let (code, stdout, stderr) = run(
        &dir,
        &["check", "--ignore", "NOPE-01", "--select", "ZZ", "fail.xml"],
    );
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("--select ZZ, --ignore NOPE-01"), "{stderr}");
    // `rules` shows what the run leaves out.
    let (_, stdout, _) = run(&dir, &["rules", "--ignore", "XML-WF-01"]);
    let line = stdout.lines().find(|l| l.starts_with("XML-WF-01")).unwrap();
    assert!(
        line.ends_with("(not applicable: not selected (--ignore XML-WF-01))"),
        "{line}"
    );
}

#[test]
fn a_malformed_document_is_not_checked_when_its_rule_is_ignored() {
    let dir = scratch("malformed");
    write(&dir, "bad.xml", "<a><b></a>");
    let (code, _, _) = run(&dir, &["check", "bad.xml"]);
    assert_eq!(code, 1);
    let (code, stdout, _) = run(&dir, &["check", "--ignore", "XML-WF-01", "bad.xml"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("could not check: 1:"), "{stdout}");
    assert!(
        stdout.contains("not selected (--ignore XML-WF-01)"),
        "{stdout}"
    );
}

const TERMINAL: &str = "role: terminal\nsupports:\n  ltkm_delivery: [udp]\n";

#[test]
fn a_profile_makes_a_rule_of_another_role_not_applicable() {
    let dir = scratch("profile");
    write(&dir, "terminal.yaml", TERMINAL);
    let (code, _, _) = run(&dir, &["check", "exchange.http"]);
    assert_eq!(code, 1, "BCAST-DLV-03 fails without a profile");
    let (code, stdout, _) = run(
        &dir,
        &[
            "check",
            "--profile",
            "terminal.yaml",
            "--format",
            "json",
            "exchange.http",
        ],
    );
    assert_eq!(code, 0, "{stdout}");
    let report = json(&stdout);
    assert_eq!(
        outcome(&report, "BCAST-DLV-03"),
        (
            "not-applicable".to_string(),
            "judges what a bsm sends or does; the profile terminal.yaml declares role terminal: that party's messages are the stimulus, not the implementation under test".to_string()
        )
    );
    assert_eq!(report["profile"]["role"], "terminal");
    assert_eq!(report["profile"]["path"], "terminal.yaml");
    // A profile from the config file is read relative to it.
    std::fs::create_dir_all(dir.join("profiles")).unwrap();
    write(&dir.join("profiles"), "bsm.yaml", "role: bsm\n");
    write(&dir, "mikeyconf.toml", "profile = \"profiles/bsm.yaml\"\n");
    let (code, stdout, _) = run(&dir.join("sub"), &["check", "../exchange.http"]);
    assert_eq!(code, 1, "a BSM is judged: {stdout}");
    assert!(
        stdout.starts_with("profile: ../profiles/bsm.yaml (role bsm)\nconfig: ../mikeyconf.toml\n"),
        "{stdout}"
    );
    // --profile wins over the file's.
    let (code, _, _) = run(
        &dir.join("sub"),
        &["check", "--profile", "../terminal.yaml", "../exchange.http"],
    );
    assert_eq!(code, 0);
}

#[test]
fn a_bad_profile_is_an_error_with_its_line() {
    let dir = scratch("bad-profile");
    write(
        &dir,
        "p.yaml",
        "role: bsm\nsupports:\n  ltkm_delivery: [udp, carrier-pigeon]\n",
    );
    let (code, stdout, stderr) = run(&dir, &["check", "--profile", "p.yaml", "fail.xml"]);
    assert_eq!(code, 2, "{stdout}");
    assert_eq!(
        stderr,
        "mikeyconf: p.yaml:3: option ltkm_delivery: 'carrier-pigeon' is not one of udp, http, sms\n"
    );
    write(&dir, "p.yaml", "role: bsm\nsupports:\n  teleport: true\n");
    let (code, _, stderr) = run(&dir, &["check", "--profile", "p.yaml", "fail.xml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("mikeyconf: p.yaml:3: unknown option 'teleport'"),
        "{stderr}"
    );
}

#[test]
fn every_format_names_the_profile() {
    let dir = scratch("formats");
    write(&dir, "terminal.yaml", TERMINAL);
    let check = |format: &str| {
        let (_, stdout, _) = run(
            &dir,
            &[
                "check",
                "--profile",
                "terminal.yaml",
                "--format",
                format,
                "exchange.http",
            ],
        );
        stdout
    };
    let described = "terminal.yaml (role terminal; ltkm_delivery [udp])";
    assert!(check("text").starts_with(&format!("profile: {described}\n")));
    assert_eq!(
        json(&check("json"))["profile"]["supports"]["ltkm_delivery"][0],
        "udp"
    );
    let junit = check("junit");
    assert!(
        junit.contains(&format!(
            "<property name=\"mikeyconf.profile\" value=\"{described}\"/>"
        )),
        "{junit}"
    );
    assert!(
        check("github").starts_with(&format!("::notice title=mikeyconf profile::{described}\n"))
    );
    let sarif = json(&check("sarif"));
    assert_eq!(
        sarif["runs"][0]["properties"]["profile"]["role"],
        "terminal"
    );
    let html = check("html");
    assert!(
        html.contains(&format!("<p class=\"run\">profile: {described}</p>")),
        "{html}"
    );
    // Without a profile, no format mentions one.
    let (_, stdout, _) = run(&dir, &["check", "--format", "json", "exchange.http"]);
    assert!(json(&stdout).get("profile").is_none());
    let (_, stdout, _) = run(&dir, &["check", "exchange.http"]);
    assert!(!stdout.contains("profile"), "{stdout}");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = scratch("colour");
    let escape = "\x1b[";
    // Piped (as here): no escape codes, and the same bytes as --color never.
    let (_, piped, _) = run(&dir, &["check", "fail.xml"]);
    assert!(!piped.contains(escape), "{piped}");
    let (_, never, _) = run(&dir, &["check", "--color", "never", "fail.xml"]);
    assert_eq!(piped, never);
    let (_, again, _) = run(&dir, &["check", "fail.xml"]);
    assert_eq!(piped, again, "byte-identical run to run");
    // NO_COLOR keeps auto off; --color always wins over it.
    let (_, no_color, _) = run_env(&dir, &["check", "fail.xml"], &[("NO_COLOR", "1")]);
    assert!(!no_color.contains(escape));
    let (_, always, _) = run_env(
        &dir,
        &["check", "--color", "always", "fail.xml"],
        &[("NO_COLOR", "1")],
    );
    // The styles are anstyle's: bold red verdicts, bold rule ids.
    let (red, bold) = (
        anstyle::AnsiColor::Red.on_default().bold(),
        anstyle::Style::new().bold(),
    );
    assert!(
        always.contains(&format!("{red}fail{red:#} [{bold}BCAST-LTKM-01{bold:#}]")),
        "{always}"
    );
    assert!(
        always.contains(&format!("{red}non-conformant{red:#}")),
        "{always}"
    );
    // The colours are all there is to the difference.
    let stripped = strip_ansi(&always);
    assert_eq!(stripped, piped);
    // Only the text format is coloured.
    let (_, json_always, _) = run(
        &dir,
        &["check", "--color", "always", "--format", "json", "fail.xml"],
    );
    assert!(!json_always.contains(escape));
}

/// The text without ANSI SGR sequences (`ESC [ … m`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn quiet_keeps_failures_warnings_and_one_summary_line() {
    let dir = scratch("quiet");
    write(&dir, "README.md", "not an input\n");
    let (code, stdout, stderr) = run(&dir, &["check", "--quiet", "."]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "", "nothing on stderr but errors");
    assert!(stdout.contains("fail [BCAST-LTKM-01]"), "{stdout}");
    assert!(stdout.contains("warn [FDT-XSD-04]"), "{stdout}");
    assert!(
        !stdout.contains("BCAST-TYPE-02"),
        "no info findings: {stdout}"
    );
    assert!(
        !stdout.contains("conformant as"),
        "no per-input lines: {stdout}"
    );
    assert!(
        stdout.ends_with(
            "\n4 inputs: 2 conformant, 2 non-conformant, 0 could not be checked (1 skipped)\n"
        ),
        "{stdout}"
    );
    // One input still gets its summary line; a profile is named on it.
    write(&dir, "terminal.yaml", TERMINAL);
    let (code, stdout, _) = run(
        &dir,
        &["check", "-q", "--profile", "terminal.yaml", "info.xml"],
    );
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "1 input: 1 conformant, 0 non-conformant, 0 could not be checked; profile: terminal.yaml (role terminal; ltkm_delivery [udp])\n"
    );
    // An input that could not be checked keeps its line (it is an error).
    write(&dir, "bad.b64", "not base64 at all!");
    let (code, stdout, _) = run(&dir, &["check", "-q", "bad.b64"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("bad.b64: could not check"), "{stdout}");
    // Without --quiet the skipped file is noted on stderr.
    let (_, _, stderr) = run(&dir, &["check", "."]);
    assert!(stderr.contains("README.md"), "{stderr}");
}

/// On a terminal (a pseudo-terminal made by util-linux `script`), `auto` colours, and
/// NO_COLOR turns it off. Without `script` the test says so, and fails under MIKEYCONF_REQUIRE_ALL=1.
#[test]
fn auto_colours_on_a_terminal() {
    let dir = scratch("terminal");
    let bin = env!("CARGO_BIN_EXE_mikeyconf");
    let under_tty = |no_color: Option<&str>| {
        let mut c = Command::new("script");
        c.args(["-qec", &format!("{bin} check fail.xml"), "/dev/null"])
            .current_dir(&dir)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR")
            .env_remove("CLICOLOR_FORCE")
            // A terminal that says it takes colour (anstream asks TERM).
            .env("TERM", "xterm");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        c.output()
    };
    let Ok(o) = under_tty(None) else {
        assert!(
            std::env::var_os("MIKEYCONF_REQUIRE_ALL").is_none(),
            "util-linux `script` is needed for this test under MIKEYCONF_REQUIRE_ALL"
        );
        eprintln!("skipped: no `script` to make a terminal with");
        return;
    };
    let coloured = String::from_utf8_lossy(&o.stdout).into_owned();
    let red = anstyle::AnsiColor::Red.on_default().bold();
    assert!(
        coloured.contains(&format!("{red}fail{red:#}")),
        "{coloured}"
    );
    let o = under_tty(Some("1")).unwrap();
    let plain = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(plain.contains("fail [BCAST-LTKM-01]"), "{plain}");
    assert!(!plain.contains('\x1b'), "{plain}");
    // An empty NO_COLOR is as good as none.
    let o = under_tty(Some("")).unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("{red}fail")));
}

/// A selection that leaves no rule applying to an input checks nothing: that input could
/// not be checked, with the reason, never "conformant … 0 rules applied" (issue 19). A
/// capture (read as a stream) and a CPNS trace alike; with no input checked, exit 2.
#[test]
fn a_selection_that_leaves_no_rule_checks_nothing() {
    let dir = scratch("nothing-selected");
    std::fs::copy(
        Path::new(ROOT).join("examples/session/pushes.pcap"),
        dir.join("pushes.pcap"),
    )
    .unwrap();
    std::fs::copy(
        Path::new(ROOT).join("vectors/cpns/group-life.cpns.yaml"),
        dir.join("group.cpns.yaml"),
    )
    .unwrap();
    for input in ["info.xml", "pushes.pcap", "group.cpns.yaml"] {
        let (code, stdout, _) = run(&dir, &["check", "--select", "MCV-", input]);
        assert_eq!(code, 2, "{input}: {stdout}");
        assert!(
            stdout.starts_with(&format!(
                "{input}: could not check: nothing was checked: this run leaves out "
            )),
            "{stdout}"
        );
        assert!(
            stdout.contains(
                "not selected (--select MCV-: matches none)), and none of the others applies to it"
            ),
            "{stdout}"
        );
    }
    // The same selection from the config file.
    write(&dir, "mikeyconf.toml", "select = [\"CPNS-\"]\n");
    let (code, stdout, _) = run(&dir, &["check", "info.xml"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("could not check: nothing was checked"),
        "{stdout}"
    );
    // A rule that applies is a check, even when it finds nothing.
    let (code, stdout, _) = run(&dir, &["check", "--select", "XML-WF-01", "info.xml"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("conformant"), "{stdout}");
}
