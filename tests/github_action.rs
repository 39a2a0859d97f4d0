//! `action.yml`, the composite GitHub Action, run as far as it can be without GitHub: its
//! check step's script under `bash -eo pipefail` (GitHub's `shell: bash`), with the inputs
//! substituted as the runner would and the binary this test was built with on PATH. Its
//! install step is only read (a `cargo install` of the action's own path): building is what
//! `cargo test` already did.

use serde_yaml::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const BAD: &str = "vectors/xml/registration-response/container-version-bad.xml";
const GOOD: &str = "vectors/xml/registration-response/valid-http-ltkms.xml";

fn action() -> Value {
    let text = std::fs::read_to_string(Path::new(ROOT).join("action.yml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn step(id_or_name: &str) -> Value {
    let steps = action()["runs"]["steps"].as_sequence().unwrap().clone();
    steps
        .into_iter()
        .find(|s| s["id"].as_str() == Some(id_or_name) || s["name"].as_str() == Some(id_or_name))
        .unwrap_or_else(|| panic!("action.yml has no step {id_or_name}"))
}

/// `${{ inputs.NAME }}` as the runner fills it: the given value, else the input's default.
fn input(name: &str, given: &[(&str, &str)]) -> String {
    if let Some((_, v)) = given.iter().find(|(n, _)| *n == name) {
        return v.to_string();
    }
    let inputs = &action()["inputs"];
    assert!(
        !inputs[name].is_null(),
        "action.yml declares no input {name}"
    );
    inputs[name]["default"].as_str().unwrap_or("").to_string()
}

/// Runs the check step in `dir` with these inputs: (exit code, stdout, the GITHUB_OUTPUT file).
fn run_check(dir: &Path, given: &[(&str, &str)]) -> (i32, String, String) {
    let step = step("check");
    assert_eq!(step["shell"].as_str(), Some("bash"));
    let script = step["run"].as_str().unwrap();
    // The runner keeps this file outside the workspace.
    let output_file = dir.with_extension("github_output");
    std::fs::write(&output_file, "").unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_mikeyconf")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &output_file);
    for (var, value) in step["env"].as_mapping().unwrap() {
        let value = value.as_str().unwrap();
        let name = value
            .strip_prefix("${{ inputs.")
            .and_then(|v| v.strip_suffix(" }}"))
            .unwrap_or_else(|| panic!("{value}: not an input"));
        command.env(var.as_str().unwrap(), input(name, given));
    }
    let o = command.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        std::fs::read_to_string(&output_file).unwrap(),
    )
}

/// A fresh folder with `payloads/` holding copies of `vectors`.
fn workspace(name: &str, vectors: &[&str]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("github_action")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("payloads")).unwrap();
    for v in vectors {
        let name = Path::new(v).file_name().unwrap();
        std::fs::copy(Path::new(ROOT).join(v), dir.join("payloads").join(name)).unwrap();
    }
    dir
}

#[test]
fn the_install_step_builds_from_the_actions_own_path() {
    let install = step("Install mikeyconf");
    let run = install["run"].as_str().unwrap();
    assert!(
        run.contains("cargo install --locked --path \"$ACTION_PATH\""),
        "{run}"
    );
    assert_eq!(
        install["env"]["ACTION_PATH"].as_str(),
        Some("${{ github.action_path }}")
    );
    assert!(
        run.contains("$GITHUB_PATH"),
        "the binary must reach PATH: {run}"
    );
}

#[test]
fn the_default_inputs_annotate_a_bad_file_and_fail() {
    let dir = workspace("default", &[BAD, GOOD]);
    let (code, stdout, outputs) = run_check(&dir, &[]);
    assert_eq!(code, 1, "{stdout}");
    // The default path `.` names files `./payloads/...`, which GitHub resolves in the workspace.
    assert!(
        stdout.contains("::error file=./payloads/container-version-bad.xml,line=7"),
        "{stdout}"
    );
    assert_eq!(outputs.trim(), "exit-code=1");
}

#[test]
fn a_sarif_report_is_written_to_the_output_file_even_when_the_check_fails() {
    let dir = workspace("sarif", &[BAD]);
    let (code, stdout, outputs) = run_check(
        &dir,
        &[
            ("format", "sarif"),
            ("output", "mikeyconf.sarif"),
            ("paths", "payloads"),
        ],
    );
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "the report went to the log: {stdout}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("mikeyconf.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif.to_string().contains("BCAST-RSP-05"));
    assert_eq!(outputs.trim(), "exit-code=1");
}

#[test]
fn a_conformant_folder_passes_with_junit_written_inside_it_and_extra_arguments() {
    let dir = workspace("good", &[GOOD]);
    let (code, _, outputs) = run_check(
        &dir,
        &[
            ("format", "junit"),
            ("output", "junit.xml"),
            ("args", "--strict --jobs 1"),
        ],
    );
    assert_eq!(code, 0);
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(junit.contains("<testsuites"), "{junit}");
    assert_eq!(outputs.trim(), "exit-code=0");
}
