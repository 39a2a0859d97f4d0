//! The line formats and colour of `check` end to end (issue 23): `--format concise` (one
//! line per finding, as ruff's), `--format jsonl` (one object per input, written as each
//! result comes), and colour decided as anstream decides it (CLICOLOR_FORCE, NO_COLOR, a
//! pipe).

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// An MSK response with two LTKM containers in one Response: BCAST-LTKM-01 fails at 13:6.
const FAIL: &str = "vectors/xml/msk-response/container-twice.xml";
/// A conformant MSK response.
const PASS: &str = "vectors/xml/msk-response/valid-two-ltkms.xml";

/// Runs the binary in the repository with the colour variables cleared, then `env` set.
fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mikeyconf"));
    c.args(args)
        .current_dir(ROOT)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE");
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn concise_is_one_line_per_finding_and_a_summary() {
    let (code, out, err) = run(&["check", "--format", "concise", FAIL, PASS], &[]);
    assert_eq!(code, 1, "{err}");
    let (_, json, _) = run(&["check", "--format", "json", FAIL], &[]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let f = &report["results"][0]["findings"][0];
    let want = format!(
        "{FAIL}:{}:{}: {} {}\nFound 1 finding (1 failed, 0 warnings, 0 notes) in 2 inputs.\n",
        f["line"],
        f["column"],
        f["rule"].as_str().unwrap(),
        f["message"].as_str().unwrap()
    );
    assert_eq!(out, want);
    assert!(
        out.starts_with(&format!("{FAIL}:13:6: BCAST-LTKM-01 ")),
        "{out}"
    );
    // A run without findings says so in its one line.
    let (_, listed, _) = run(&["check", "--format", "concise", "--no-config", PASS], &[]);
    assert_eq!(listed, "No findings in 1 input.\n");
}

#[test]
fn jsonl_is_the_json_reports_entries_one_per_line() {
    let (code, out, _) = run(&["check", "--format", "jsonl", FAIL, PASS], &[]);
    assert_eq!(code, 1);
    let (_, json, _) = run(&["check", "--format", "json", FAIL, PASS], &[]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    for (line, entry) in lines.iter().zip(report["results"].as_array().unwrap()) {
        let object: serde_json::Value = serde_json::from_str(line).unwrap();
        for field in ["input", "kind", "verdict", "findings"] {
            assert_eq!(object[field], entry[field], "{field}");
        }
        assert_eq!(
            object["rules"]["except"].as_array().cloned().unwrap(),
            mikeyconf::internals::render::json::outcomes_of(&report, entry)
        );
    }
}

/// A result's line is on standard output before the next input has even been read: the
/// second input is standard input, held open until the first line has arrived.
#[test]
fn jsonl_writes_each_result_as_it_comes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mikeyconf"))
        .args(["check", "--format", "jsonl", "--jobs", "1", FAIL, "-"])
        .current_dir(ROOT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut lines = std::io::BufReader::new(stdout).lines();
        let first = lines.next().map(|l| l.unwrap_or_default());
        tx.send(first).unwrap();
        lines.map_while(Result::ok).collect::<Vec<_>>()
    });
    let first = rx.recv_timeout(Duration::from_secs(120));
    // Whatever came, standard input is closed so the run ends.
    let mut stdin = child.stdin.take().unwrap();
    let payload = std::fs::read(Path::new(ROOT).join(PASS)).unwrap();
    stdin.write_all(&payload).unwrap();
    drop(stdin);
    let first = first.expect("the first line came before standard input was closed");
    let first: serde_json::Value = serde_json::from_str(&first.unwrap()).unwrap();
    assert_eq!(first["input"], FAIL);
    let rest = reader.join().unwrap();
    assert_eq!(rest.len(), 1, "{rest:?}");
    let second: serde_json::Value = serde_json::from_str(&rest[0]).unwrap();
    assert_eq!(second["input"], "-");
    assert_eq!(second["verdict"], "conformant");
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

/// Colour as anstream decides it for a pipe: none by default, forced by CLICOLOR_FORCE,
/// and NO_COLOR wins over the force; `--color` wins over both.
#[test]
fn colour_follows_clicolor_force_and_no_color() {
    let coloured = |env: &[(&str, &str)], extra: &[&str]| {
        let mut args = vec!["check"];
        args.extend(extra);
        args.push(FAIL);
        let (code, out, _) = run(&args, env);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("fail [BCAST-LTKM-01]") || out.contains('\x1b'),
            "{out}"
        );
        out.contains('\x1b')
    };
    assert!(!coloured(&[], &[]), "a pipe is not coloured");
    assert!(coloured(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!coloured(
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        &[]
    ));
    assert!(!coloured(&[("CLICOLOR_FORCE", "1")], &["--color", "never"]));
    assert!(coloured(&[("NO_COLOR", "1")], &["--color", "always"]));
    // The styles are anstyle's: the verdict in bold red, reset after it.
    let (_, out, _) = run(&["check", FAIL], &[("CLICOLOR_FORCE", "1")]);
    let red = anstyle::AnsiColor::Red.on_default().bold();
    assert!(out.contains(&format!("{red}fail{red:#}")), "{out:?}");
}

/// No report writes a hand-made escape sequence: colour is anstyle's (src/render/text.rs).
#[test]
fn no_renderer_spells_out_an_escape_sequence() {
    let dir = Path::new(ROOT).join("src/render");
    let mut files = vec![dir.clone()];
    let mut found = Vec::new();
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        // Test modules may feed escape sequences in as hostile input.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        if code.contains("\\x1b[") {
            found.push(p.display().to_string());
        }
    }
    assert!(found.is_empty(), "{found:?}");
}
