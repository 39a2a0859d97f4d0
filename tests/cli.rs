//! The `check` command end to end (the built binary): what a folder expands to, that nothing
//! checkable is never conformant (exit 2), the skipped-file note and the closing summary,
//! the size-limit message, `check --help` and `explain`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn mikeyconf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mikeyconf"))
        .args(args)
        .current_dir(ROOT)
        .output()
        .unwrap()
}

/// Runs mikeyconf with `input` on its stdin, written by a thread (a large input fills the
/// pipe before the tool reads it); a write the tool refuses by no longer reading is ignored.
fn mikeyconf_stdin(args: &[&str], input: Vec<u8>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mikeyconf"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = std::io::Write::write_all(&mut stdin, &input);
    });
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    o
}

fn out(o: &Output) -> (i32, String, String) {
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A fresh, empty folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy(vector: &str, to: &Path) {
    std::fs::copy(Path::new(ROOT).join(vector), to).unwrap();
}

/// Files no input kind recognises: notes, a vector sidecar, a CSV, some binary.
fn unrecognised(dir: &Path) {
    std::fs::write(dir.join("README.md"), "# notes\n").unwrap();
    copy(
        "vectors/xml/deregistration-request/valid.yaml",
        &dir.join("valid.yaml"),
    );
    std::fs::write(dir.join("data.csv"), "a,b\n1,2\n").unwrap();
    std::fs::write(dir.join("blob"), [0x89, b'P', b'N', b'G', 0, 1, 2]).unwrap();
}

#[test]
fn an_empty_folder_could_not_be_checked() {
    let dir = folder("empty");
    let d = dir.to_str().unwrap();
    let (code, stdout, stderr) = out(&mikeyconf(&["check", d]));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        format!("{d}: could not check: the folder holds no files\n")
    );
    let (code, json, _) = out(&mikeyconf(&["check", "--format", "json", d]));
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["results"][0]["verdict"], "error");
    assert_eq!(v["results"][0]["kind"], "folder");
    assert!(v.get("skipped").is_none(), "{json}");
}

#[test]
fn a_folder_of_unrecognised_files_could_not_be_checked_and_lists_them() {
    let dir = folder("unrecognised");
    unrecognised(&dir);
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/notes.rtf"), "{\\rtf1}").unwrap();
    let d = dir.to_str().unwrap();
    let (code, stdout, stderr) = out(&mikeyconf(&["check", d]));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        format!(
            "{d}: could not check: no file in the folder is an input mikeyconf recognises (5 skipped)\n\
             1 input: 0 conformant, 0 non-conformant, 1 could not be checked (5 skipped)\n"
        )
    );
    let listed: Vec<&str> = stderr.lines().collect();
    assert_eq!(listed[0], "note: 5 files not checked:");
    for (line, name) in listed[1..].iter().zip([
        "README.md",
        "blob",
        "data.csv",
        "sub/notes.rtf",
        "valid.yaml",
    ]) {
        assert_eq!(
            *line,
            format!("  {d}/{name}: not recognised by its name or its content")
        );
    }
    let (code, json, _) = out(&mikeyconf(&["check", "--format", "json", d]));
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["skipped"].as_array().unwrap().len(), 5, "{json}");
    assert_eq!(v["skipped"][0]["path"], format!("{d}/README.md"));
    // SARIF: a failed execution, the skipped files as notes.
    let (_, sarif, _) = out(&mikeyconf(&["check", "--format", "sarif", d]));
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let inv = &v["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.iter().filter(|n| n["level"] == "note").count(), 5);
}

#[test]
fn a_mixed_folder_exits_by_what_was_checked_and_lists_what_was_not() {
    let dir = folder("mixed");
    unrecognised(&dir);
    // By name, whatever the case of the extension.
    copy(
        "vectors/mikey/real/dbc-mbms-mtk-vendor-a.hex",
        &dir.join("MTK.HEX"),
    );
    // By content: a capture and an XML payload without extensions, in a subfolder.
    std::fs::create_dir(dir.join("captured")).unwrap();
    copy("examples/session/pushes.pcap", &dir.join("captured/pushes"));
    copy(
        "vectors/xml/deregistration-request/valid.xml",
        &dir.join("captured/body"),
    );
    let d = dir.to_str().unwrap();
    let run = || out(&mikeyconf(&["check", d]));
    let (code, stdout, stderr) = run();
    assert_eq!(code, 0, "{stdout}{stderr}");
    for input in ["MTK.HEX", "captured/pushes", "captured/body"] {
        assert!(
            stdout.contains(&format!("{d}/{input}: conformant as ")),
            "{input}: {stdout}"
        );
    }
    assert!(
        stdout.contains("note: read from hex text, 82 octets"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "3 inputs: 3 conformant, 0 non-conformant, 0 could not be checked (4 skipped)\n"
        ),
        "{stdout}"
    );
    assert!(
        stderr.starts_with("note: 4 files not checked:\n"),
        "{stderr}"
    );
    assert_eq!(run(), (code, stdout, stderr), "identical run to run");
    // A non-conformant input makes it 1.
    copy(
        "vectors/xml/registration-response/ltkm-beside-403.xml",
        &dir.join("captured/403.Xml"),
    );
    let (code, stdout, _) = run();
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.ends_with(
        "4 inputs: 3 conformant, 1 non-conformant, 0 could not be checked (4 skipped)\n"
    ));
    // JSON: the same results, the skipped files at the top level, byte-identical.
    let json = || out(&mikeyconf(&["check", "--format", "json", d]));
    let (code, first, _) = json();
    assert_eq!(code, 1);
    assert_eq!(json().1, first);
    let v: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(v["results"].as_array().unwrap().len(), 4);
    let skipped: Vec<&str> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        skipped,
        ["README.md", "blob", "data.csv", "valid.yaml"].map(|n| format!("{d}/{n}"))
    );
}

#[test]
fn a_file_named_on_the_command_line_is_checked_whatever_its_name() {
    let dir = folder("named");
    let f = dir.join("notes.md");
    std::fs::write(&f, "# not a payload\n").unwrap();
    let (code, stdout, _) = out(&mikeyconf(&["check", f.to_str().unwrap()]));
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("notes.md: could not check: "), "{stdout}");
}

#[test]
fn the_closing_summary_counts_every_verdict() {
    let dir = folder("summary");
    unrecognised(&dir);
    std::fs::remove_file(dir.join("blob")).unwrap();
    std::fs::remove_file(dir.join("valid.yaml")).unwrap();
    copy(
        "vectors/mikey/real/dbc-mbms-mtk-vendor-a.hex",
        &dir.join("a.hex"),
    );
    copy(
        "vectors/xml/registration-response/ltkm-beside-403.xml",
        &dir.join("b.xml"),
    );
    std::fs::write(dir.join("c.hex"), b"abc\n").unwrap(); // odd hex digits
    let (code, stdout, _) = out(&mikeyconf(&["check", dir.to_str().unwrap()]));
    assert_eq!(code, 2, "{stdout}");
    assert_eq!(
        stdout.lines().last().unwrap(),
        "3 inputs: 1 conformant, 1 non-conformant, 1 could not be checked (2 skipped)"
    );
    // One input alone has its own line only.
    let (_, stdout, _) = out(&mikeyconf(&[
        "check",
        "vectors/mikey/real/dbc-mbms-mtk-vendor-a.hex",
    ]));
    assert!(!stdout.contains(" inputs: "), "{stdout}");
    assert!(stdout.contains(" rules applied, "), "{stdout}");
}

#[test]
fn empty_captures_and_traces_could_not_be_checked() {
    let dir = folder("empty-captures");
    let har = dir.join("empty.har");
    std::fs::write(
        &har,
        r#"{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[]}}"#,
    )
    .unwrap();
    let trace = dir.join("empty.trace.yaml");
    std::fs::write(&trace, "trace: 1\nevents: []\n").unwrap();
    for (f, why) in [
        (
            &har,
            "nothing in it could be checked: the capture holds no HTTP exchange",
        ),
        (
            &trace,
            "nothing in it could be checked: the trace has no events",
        ),
    ] {
        let (code, stdout, _) = out(&mikeyconf(&["check", f.to_str().unwrap()]));
        assert_eq!(code, 2, "{stdout}");
        assert!(
            stdout.ends_with(&format!("could not check: {why}\n")),
            "{stdout}"
        );
    }
}

#[test]
fn a_dns_only_capture_could_not_be_checked() {
    let dir = folder("dns");
    let mut pcap = Vec::new();
    for v in [0xa1b2c3d4u32, 0x0004_0002, 0, 0, 65535, 1] {
        pcap.extend_from_slice(&v.to_le_bytes());
    }
    for i in 0..3u16 {
        let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
            .ipv4([10, 0, 0, 7], [192, 0, 2, 53], 64)
            .udp(40000 + i, 53);
        let mut frame = Vec::new();
        b.write(&mut frame, b"query").unwrap();
        for v in [
            1_700_000_000 + i as u32,
            0,
            frame.len() as u32,
            frame.len() as u32,
        ] {
            pcap.extend_from_slice(&v.to_le_bytes());
        }
        pcap.extend_from_slice(&frame);
    }
    let f = dir.join("dns.pcapng.PCAP");
    std::fs::write(&f, &pcap).unwrap();
    let (code, stdout, _) = out(&mikeyconf(&["check", f.to_str().unwrap()]));
    assert_eq!(code, 2, "{stdout}");
    assert_eq!(
        stdout,
        format!(
            "{}: could not check: nothing in it could be checked: 3 frames: UDP 53 (3); no UDP \
             datagram on the MIKEY ports 2269, 4359 (setting pcap_ports), no SIP on ports [5060] \
             (setting sip.ports), no HTTP on TCP ports [80, 8080] (setting http.ports), no FLUTE MTK object or FDT instance\n",
            f.display()
        )
    );
    // In a folder it is taken by its (upper-case) extension, and the folder is no better.
    let (code, _, _) = out(&mikeyconf(&["check", dir.to_str().unwrap()]));
    assert_eq!(code, 2);
}

#[test]
fn the_size_limit_message_gives_the_real_size() {
    let dir = folder("size");
    let f = dir.join("big.xml");
    std::fs::write(&f, vec![b' '; 1000]).unwrap();
    let (code, stdout, _) = out(&mikeyconf(&[
        "check",
        "--set",
        "limits.max_bytes=100",
        f.to_str().unwrap(),
    ]));
    assert_eq!(code, 2);
    assert!(
        stdout.ends_with(
            "could not check: 1000 bytes, over the limit of 100 (setting limits.max_bytes)\n"
        ),
        "{stdout}"
    );
    // From stdin the size is not known beforehand.
    let o = mikeyconf_stdin(
        &["check", "--set", "limits.max_bytes=100", "-"],
        vec![b' '; 1000],
    );
    let (code, stdout, _) = out(&o);
    assert_eq!(code, 2);
    assert_eq!(
        stdout,
        "-: could not check: more than 100 bytes, over the limit of 100 (setting limits.max_bytes)\n"
    );
}

#[test]
fn check_help_lists_every_kind_as_accepts() {
    let settings = mikeyconf::internals::settings::Settings::load(None, &[]).unwrap();
    let (code, help, _) = out(&mikeyconf(&["check", "--help"]));
    assert_eq!(code, 0);
    let (_, short, _) = out(&mikeyconf(&["check", "-h"]));
    let names = settings
        .kinds
        .iter()
        .map(|k| &k.name)
        .chain(settings.mikey_kinds.iter().map(|k| &k.name))
        .chain(settings.capture_kinds.iter().map(|k| &k.name));
    for name in names {
        assert!(
            help.contains(&format!("\n            {name} ")),
            "{name}: {help}"
        );
        assert!(short.contains(name.as_str()), "{name}: {short}");
    }
}

#[test]
fn explain_ignores_case() {
    let (code, upper, _) = out(&mikeyconf(&["explain", "BCAST-RSP-04"]));
    assert_eq!(code, 0);
    let (code, lower, _) = out(&mikeyconf(&["explain", "bcast-rsp-04"]));
    assert_eq!(code, 0);
    assert_eq!(upper, lower);
    assert!(upper.starts_with("BCAST-RSP-04: "), "{upper}");
    assert!(upper.contains("\nstatus:      confirmed\n"), "{upper}");
    let (code, _, stderr) = out(&mikeyconf(&["explain", "no-such-rule"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("no rule 'no-such-rule'"));
}

#[test]
fn the_rules_folder_read_as_yaml_judges_like_the_built_in_tables() {
    // --rules DIR reads YAML (the built-in tables are embedded as JSON by build.rs): the same
    // tables give the same findings and outcomes (listed in the folder's file order), and the
    // catalogue beside them is not read as a rule table.
    let input = "vectors/xml/registration-response/ltkm-beside-403.xml";
    let built_in = out(&mikeyconf(&["check", "--format", "json", input]));
    let from_dir = out(&mikeyconf(&[
        "check", "--format", "json", "--rules", "rules", input,
    ]));
    assert_eq!(built_in.0, 1, "{}", built_in.2);
    assert_eq!(from_dir.0, 1, "{}", from_dir.2);
    let parse = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).unwrap();
        let mut rules = mikeyconf::internals::render::json::outcomes_of(&v, &v["results"][0]);
        rules.sort_by_key(|r| r["rule"].as_str().unwrap().to_string());
        v["results"][0]["rules"] = serde_json::Value::Array(rules);
        v["plans"] = serde_json::Value::Null;
        v
    };
    assert_eq!(parse(&built_in.1), parse(&from_dir.1));
}

#[test]
fn a_parallel_run_reports_byte_for_byte_what_a_serial_one_does() {
    for format in ["text", "json", "junit", "sarif"] {
        let serial = out(&mikeyconf(&[
            "check", "--jobs", "1", "--format", format, "vectors",
        ]));
        let parallel = out(&mikeyconf(&[
            "check", "--jobs", "4", "--format", format, "vectors",
        ]));
        assert!(serial.1.len() > 10_000, "{format}: {}", serial.2);
        assert_eq!(serial, parallel, "{format}");
    }
}

#[test]
fn cpns_traces_are_taken_by_content_and_judged_or_refused() {
    let dir = folder("cpns");
    // Names no rule of TAKEN_BY_NAME knows: taken for their content alone.
    copy(
        "vectors/cpns/leave-key-missing-member.cpns.yaml",
        &dir.join("server.log"),
    );
    copy("vectors/cpns/headerless.cpns.jsonl", &dir.join("events"));
    unrecognised(&dir);
    let d = dir.to_str().unwrap();
    let (code, stdout, stderr) = out(&mikeyconf(&["check", d]));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stdout.contains("server.log [seq 120]:86:5: fail [CPNS-GK-02D]"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "events: could not check: cannot read the CPNS trace: 1:1: field `cpns_trace`"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 inputs: 0 conformant, 1 non-conformant, 1 could not be checked"),
        "{stdout}"
    );
    // One that conforms, named as the format suggests, with the setting CPNS-GK-03 needs.
    let (code, stdout, _) = out(&mikeyconf(&[
        "check",
        "--set",
        "cpns.max_key_age=3600",
        "vectors/cpns/group-life-jsonl.cpns.jsonl",
    ]));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("conformant as cpns-trace"), "{stdout}");
    assert!(
        stdout.contains("11 rules applied, 0 not applicable"),
        "{stdout}"
    );
}

#[test]
fn a_reader_that_goes_away_ends_the_output_not_the_run() {
    // `mikeyconf check vectors/xml | head -1`: the pipe closes before the report is written.
    // The report is dropped, the run still ends with its verdict's exit code, and nothing
    // panics (print! would).
    let mut child = Command::new(env!("CARGO_BIN_EXE_mikeyconf"))
        .args(["check", "vectors/xml"])
        .current_dir(ROOT)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    let read_whole = mikeyconf(&["check", "vectors/xml"]);
    assert!(read_whole.stdout.len() > 65536, "more than a pipe holds");
    assert_eq!(o.status.code(), read_whole.status.code(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("cannot write"), "{stderr}");
}

#[test]
fn a_large_file_read_in_halves_is_judged_as_when_read_from_stdin() {
    // From 4 MiB a named file is read by two threads, a half each; stdin is read as a
    // stream. A broken Response in each half is found at its own line either way.
    let dir = folder("large-file");
    let mut doc = String::from(
        "<mbmsSecurityRegisterResponse xmlns=\"urn:3GPP:metadata:2005:MBMS:securityRegistrationResponse\" xmlns:bcast=\"urn:oma:xml:bcast:pr:orderqueries:1.0\">\n",
    );
    for i in 0..40_000 {
        let code = if i == 10 || i == 39_990 {
            "two hundred"
        } else {
            "200 OK"
        };
        doc.push_str(&format!(
            "  <Response><serviceID>urn:3gpp:mbms:example:service:identification:{i:020}</serviceID><ResponseCode>{code}</ResponseCode></Response>\n"
        ));
    }
    doc.push_str("  <bcast:RegistrationResponseExtension><bcast:LTKMDelivery><bcast:Type>0</bcast:Type></bcast:LTKMDelivery></bcast:RegistrationResponseExtension>\n</mbmsSecurityRegisterResponse>\n");
    assert!(doc.len() > 4 * 1024 * 1024);
    let f = dir.join("large.xml");
    std::fs::write(&f, &doc).unwrap();
    let (code, named, _) = out(&mikeyconf(&[
        "check",
        "--format",
        "json",
        f.to_str().unwrap(),
    ]));
    let o = mikeyconf_stdin(&["check", "--format", "json", "-"], doc.into_bytes());
    // On one thread (--jobs 1) the prescan runs after the tree, and the work after it (the
    // arena's page faults, src/prefault.rs) must find the parse over, not wait for it.
    let one_thread = mikeyconf(&[
        "check",
        "--jobs",
        "1",
        "--format",
        "json",
        f.to_str().unwrap(),
    ]);
    assert_eq!(out(&one_thread).1, named);
    let (piped_code, piped, _) = out(&o);
    assert_eq!(code, 0, "warnings only: {named}");
    assert_eq!(
        (piped_code, piped.replace("\"-\"", "INPUT")),
        (
            code,
            named.replace(&format!("{:?}", f.to_str().unwrap()), "INPUT")
        )
    );
    assert!(
        named.contains("\"line\": 12") && named.contains("\"line\": 39992"),
        "{named}"
    );
}

/// Nothing to read is nothing checked (issue 19: empty standard input was "non-conformant
/// (XML-WF-01)"): standard input and a file alike, whatever kind they are named, exit 2.
#[test]
fn empty_input_could_not_be_checked() {
    let dir = folder("empty-input");
    let empty = dir.join("empty.xml");
    std::fs::write(&empty, "").unwrap();
    let blank = dir.join("blank.pcap");
    std::fs::write(&blank, "\n\n").unwrap();
    let e = empty.to_str().unwrap();
    for args in [
        vec!["check", "-"],
        vec!["check", "--as", "pcap", "-"],
        vec!["check", "--as", "registration-request", "-"],
    ] {
        let (code, stdout, _) = out(&mikeyconf_stdin(&args, Vec::new()));
        assert_eq!(code, 2, "{args:?}: {stdout}");
        assert!(
            stdout.starts_with("-: could not check: empty input\n"),
            "{args:?}: {stdout}"
        );
    }
    let (code, stdout, _) = out(&mikeyconf(&["check", e]));
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.starts_with(&format!("{e}: could not check: empty input\n")),
        "{stdout}"
    );
    let (code, stdout, _) = out(&mikeyconf(&["check", blank.to_str().unwrap()]));
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("could not check: empty input: 2 octets of white space only"),
        "{stdout}"
    );
}

/// `check --help` lists every file-name ending a folder's file is taken by: the format
/// table's (src/format/mod.rs), no more and no fewer.
#[test]
fn check_help_lists_the_format_tables_endings() {
    let (code, help, _) = out(&mikeyconf(&["check", "--help"]));
    assert_eq!(code, 0);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let paths = help
        .split("A file (checked whatever its name)")
        .nth(1)
        .unwrap();
    let paths = paths.split("Other files are listed").next().unwrap();
    let listed: std::collections::BTreeSet<String> = paths
        .split("*.")
        .skip(1)
        .map(|s| {
            s.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
                .collect::<String>()
                .trim_end_matches('.')
                .to_string()
        })
        .collect();
    let table: std::collections::BTreeSet<String> = mikeyconf::internals::format::FORMATS
        .iter()
        .filter(|f| f.checked)
        .flat_map(|f| f.extensions.iter().map(|e| e.to_string()))
        .collect();
    assert_eq!(listed, table);
}

/// Each finding names the party its rule binds: `party` in JSON and SARIF, a `blames:` note in
/// the text report; a rule that binds none names nobody (issue 19, roles).
#[test]
fn a_finding_names_the_party_it_blames() {
    let base = [
        "check",
        "--keys",
        "vectors/sip/keys/streamwide-psi-not-initiator.keys.yaml",
        "--profile",
        "vectors/profiles/mcvideo-client.yaml",
        "vectors/sip/csk-streamwide-200-psi-not-initiator-client.sip",
    ];
    let json_args: Vec<&str> = base.iter().copied().chain(["--format", "json"]).collect();
    let (code, stdout, _) = out(&mikeyconf(&json_args));
    assert_eq!(code, 1, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let finding = &report["results"][0]["findings"][0];
    assert_eq!(finding["rule"], "MCV-CSK-09");
    assert_eq!(finding["party"], "mcvideo-client");
    let sarif_args: Vec<&str> = base.iter().copied().chain(["--format", "sarif"]).collect();
    let (_, sarif, _) = out(&mikeyconf(&sarif_args));
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["properties"]["party"],
        "mcvideo-client"
    );
    let (_, text, _) = out(&mikeyconf(&base));
    assert!(text.contains("blames: the mcvideo-client"), "{text}");
    // A form rule binds no party: its finding names none.
    let (_, stdout, _) = out(&mikeyconf(&[
        "check",
        "--format",
        "json",
        "vectors/sip/content-length-too-long.sip",
    ]));
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let finding = &report["results"][0]["findings"][0];
    assert_eq!(finding["rule"], "SIP-FRAME-01");
    assert!(finding.get("party").is_none(), "{finding}");
}

/// Whether `text` holds a raw control character (C0 but the newline, DEL, C1) or a bidi
/// override: a report must show them escaped.
fn raw_control(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    })
}

#[test]
fn control_characters_in_names_and_headers_are_escaped_in_every_human_report() {
    let dir = std::env::temp_dir().join(format!("mikeyconf-ctrl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A name that retitles a terminal, then forges a result line after a newline.
    let forged = "b.xml: conformant as msk-response (0 failed)";
    let name = dir.join(format!("a\u{1b}]0;title\u{7}\u{202e}.xml\n{forged}"));
    std::fs::write(&name, b"<notxml").unwrap();
    // A SIP message whose header name holds ESC ] 0 ; … BEL.
    let sip =
        std::fs::read(Path::new(ROOT).join("vectors/sip/csk-488-without-warning.sip")).unwrap();
    let cut = sip.windows(2).position(|w| w == b"\r\n").unwrap() + 2;
    let mut hostile = sip[..cut].to_vec();
    hostile.extend_from_slice(b"Warn\x1b]0;pwn\x07ing: 399 x\r\n");
    hostile.extend_from_slice(&sip[cut..]);
    let hdr = dir.join("hdr\u{9b}.sip");
    std::fs::write(&hdr, hostile).unwrap();
    let (name_arg, hdr_arg) = (name.to_str().unwrap(), hdr.to_str().unwrap());
    for format in ["text", "github", "html"] {
        let (code, stdout, stderr) = out(&mikeyconf(&[
            "check", "--format", format, name_arg, hdr_arg,
        ]));
        assert_eq!(code, 1, "{format}: {stderr}");
        assert_eq!(raw_control(&stdout), None, "{format}: {stdout}");
        assert_eq!(raw_control(&stderr), None, "{format}: {stderr}");
        assert!(
            stdout.contains("\\x1b]0;title\\x07\\u{202e}.xml\\n"),
            "{format}: {stdout}"
        );
        assert!(
            stdout.contains("Warn\\x1b]0;pwn\\x07ing"),
            "{format}: {stdout}"
        );
        assert!(
            !stdout.lines().any(|l| l.starts_with(forged)),
            "{format} forged a result line: {stdout}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `run`'s JUnit report has one case per vector, failing only when the vector missed its
/// expectation: a vector expected non-conformant and judged so passes (its verdict is a
/// property), and the report's failures agree with the run's exit code.
#[test]
fn run_junit_fails_only_the_vectors_that_missed_their_expectation() {
    let dir = std::env::temp_dir().join(format!("mikeyconf-run-junit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let vectors = dir.join("vectors/xml/msk-response");
    std::fs::create_dir_all(&vectors).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/xml/msk-response");
    for name in ["keydomain-2-octets.xml", "keydomain-2-octets.yaml"] {
        std::fs::copy(src.join(name), vectors.join(name)).unwrap();
    }
    // The same document expected conformant: a missed expectation.
    std::fs::copy(
        src.join("keydomain-2-octets.xml"),
        vectors.join("wrong.xml"),
    )
    .unwrap();
    std::fs::write(
        vectors.join("wrong.yaml"),
        "description: expected conformant, wrongly.\nclause: TS 33.246 6.3.2.1\nexpect:\n  verdict: conformant\n  findings: []\n",
    )
    .unwrap();
    let reports = dir.join("reports");
    let out = mikeyconf(&[
        "run",
        "--vectors",
        &dir.join("vectors").display().to_string(),
        "--reports",
        &reports.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let junit = std::fs::read_to_string(reports.join("junit.xml")).unwrap();
    assert!(junit.contains(r#"tests="2" failures="1""#), "{junit}");
    assert!(
        junit.contains("<system-out>verdict: non-conformant; 1 finding</system-out>"),
        "{junit}"
    );
    let failed = junit
        .split("<testcase")
        .filter(|c| c.contains("<failure"))
        .count();
    assert_eq!(failed, 1, "{junit}");
    assert!(junit.contains("wrong"), "{junit}");
    assert!(
        junit.contains(r#"<testsuite name="xml::msk_response" tests="2""#),
        "{junit}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An unknown `--as` kind is refused once, before any input is read, with the nearest kind
/// and the list — not once per file.
#[test]
fn an_unknown_as_kind_is_refused_once_with_the_nearest() {
    let a = "vectors/xml/msk-response/keydomain-2-octets.xml";
    let out = mikeyconf(&["check", "--as", "msk-respons", a, a]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("unknown kind").count(), 1, "{err}");
    assert!(err.contains("did you mean 'msk-response'?"), "{err}");
    assert!(
        err.contains("session-trace") && err.contains("pcap"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "{out:?}");
    let far = mikeyconf(&["check", "--as", "zzzzzzzzzzzz", a]);
    assert!(
        !String::from_utf8_lossy(&far.stderr).contains("did you mean"),
        "{far:?}"
    );
}
