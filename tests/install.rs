//! What an installation takes from the binary itself: `mikeyconf completions SHELL` for bash,
//! zsh and fish, and `mikeyconf man` (one roff page, or every page with `--dir`). Each must
//! name every subcommand the binary has, read from its own `--help`, so a new subcommand that
//! the generators missed fails here.

use std::path::Path;
use std::process::{Command, Output};

fn mikeyconf(args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_mikeyconf"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "mikeyconf {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn stdout(args: &[&str]) -> String {
    String::from_utf8(mikeyconf(args).stdout).unwrap()
}

/// The subcommands `mikeyconf --help` lists (its "Commands:" block), clap's `help` left out.
fn subcommands() -> Vec<String> {
    let help = stdout(&["--help"]);
    let block = help
        .split("Commands:\n")
        .nth(1)
        .expect("--help lists commands");
    let names: Vec<String> = block
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect();
    assert!(names.len() >= 9, "too few subcommands read: {names:?}");
    names
}

#[test]
fn completions_for_bash_zsh_and_fish_name_every_subcommand_and_check_options() {
    let names = subcommands();
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(&["completions", shell]);
        for name in &names {
            assert!(
                script.contains(name.as_str()),
                "{shell} completions miss the subcommand {name}"
            );
        }
        // Options of `check` (fish writes them `-l select`) and a value of its --format enum.
        for word in ["format", "sarif", "select", "trace-root"] {
            assert!(script.contains(word), "{shell} completions miss {word}");
        }
    }
}

#[test]
fn the_bash_completion_script_is_valid_bash() {
    let script = stdout(&["completions", "bash"]);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("install");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("mikeyconf.bash");
    std::fs::write(&file, script).unwrap();
    // `bash -n` parses without running; sourcing defines the completion function.
    let o = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {} && complete -p mikeyconf",
            file.display()
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("mikeyconf"));
}

#[test]
fn an_unknown_shell_is_refused_with_the_list() {
    let o = Command::new(env!("CARGO_BIN_EXE_mikeyconf"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bash") && err.contains("fish"), "{err}");
}

#[test]
fn the_man_page_is_roff_and_lists_every_subcommand() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH mikeyconf 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"));
    for name in subcommands() {
        // roff escapes the dash: mikeyconf\-check(1).
        let entry = format!("mikeyconf\\-{name}(1)");
        assert!(page.contains(&entry), "the page misses {entry}");
    }
}

#[test]
fn man_dir_writes_one_page_per_subcommand_with_the_kinds_and_the_version() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("install/man1");
    let _ = std::fs::remove_dir_all(&dir);
    let listed = stdout(&["man", "--dir", dir.to_str().unwrap()]);
    let mut expected: Vec<String> = subcommands()
        .iter()
        .map(|n| format!("mikeyconf-{n}.1"))
        .collect();
    expected.push("mikeyconf.1".into());
    expected.sort();
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, expected);
    assert_eq!(listed.lines().count(), expected.len(), "{listed}");
    let version = format!("\"mikeyconf {}\"", env!("CARGO_PKG_VERSION"));
    for page in &found {
        let text = std::fs::read_to_string(dir.join(page)).unwrap();
        assert!(text.contains(&version), "{page} has no footer {version}");
    }
    // `check --as` lists the kinds, as `check --help` does.
    let check = std::fs::read_to_string(dir.join("mikeyconf-check.1")).unwrap();
    assert!(check.contains("msk\\-response"), "{check}");
}
