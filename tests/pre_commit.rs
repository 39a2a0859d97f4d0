//! The pre-commit hooks of `.pre-commit-hooks.yaml`, run as a user's repository runs them:
//! `pre-commit try-repo <this repository> HOOK --all-files` in a temporary git repository
//! with one payload file, which must fail the hook when the file is non-conformant and pass
//! it when it is conformant.
//!
//! `mikeyconf-system` runs with the binary this test was built with first on PATH. The
//! `language: rust` hook `mikeyconf` makes pre-commit `cargo install` this repository (a
//! release build, minutes on two cores), so it runs only with `MIKEYCONF_PRECOMMIT_RUST=1`
//! (`.ci/run` sets it for one release-mode run of this file, with CARGO_TARGET_DIR shared so
//! the build reuses that run's dependencies). Without pre-commit (`pip install pre-commit`)
//! both skip with a message, unless `MIKEYCONF_REQUIRE_ALL=1`, when they fail.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const BAD: &str = "vectors/xml/registration-response/container-version-bad.xml";
const GOOD: &str = "vectors/xml/registration-response/valid-http-ltkms.xml";

/// Whether pre-commit can run; `false` means skip (with the reason said), and a missing
/// pre-commit under `MIKEYCONF_REQUIRE_ALL` panics.
fn pre_commit_available() -> bool {
    let found = Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("MIKEYCONF_REQUIRE_ALL").is_none(),
            "pre-commit is not installed (pip install pre-commit); MIKEYCONF_REQUIRE_ALL makes this a failure"
        );
        eprintln!("skipping: pre-commit is not installed (pip install pre-commit)");
    }
    found
}

/// A fresh git repository holding `payload` as `payloads/response.xml`, staged (pre-commit's
/// `--all-files` takes the files git knows of; no commit, so no identity, is needed).
fn repository_with(name: &str, payload: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("pre-commit")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("payloads")).unwrap();
    std::fs::copy(
        Path::new(ROOT).join(payload),
        dir.join("payloads/response.xml"),
    )
    .unwrap();
    std::fs::write(
        dir.join("notes.md"),
        "not a payload: the hook's files pattern skips it\n",
    )
    .unwrap();
    for args in [&["init", "-q"][..], &["add", "."][..]] {
        let o = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    dir
}

/// `pre-commit try-repo ROOT HOOK --all-files` in `repo`: (exit code, stdout and stderr).
/// try-repo clones this repository (with uncommitted changes as a shadow commit), so the
/// hooks file under test is the working tree's.
fn try_repo(repo: &Path, hook: &str) -> (i32, String) {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_mikeyconf")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit/home");
    let o = Command::new("pre-commit")
        .args(["try-repo", ROOT, hook, "--all-files", "--color", "never"])
        .current_dir(repo)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code().unwrap_or(-1), text)
}

fn the_hook_fails_a_bad_file_and_passes_a_good_one(hook: &str) {
    if !pre_commit_available() {
        return;
    }
    let bad = repository_with(&format!("{hook}-bad"), BAD);
    let (code, text) = try_repo(&bad, hook);
    assert_eq!(code, 1, "the hook passed a non-conformant file:\n{text}");
    assert!(text.contains("Failed"), "{text}");
    assert!(
        text.contains("BCAST-RSP-05"),
        "the finding is not shown:\n{text}"
    );
    assert!(text.contains("payloads/response.xml"), "{text}");
    let good = repository_with(&format!("{hook}-good"), GOOD);
    let (code, text) = try_repo(&good, hook);
    assert_eq!(code, 0, "the hook failed a conformant file:\n{text}");
    assert!(text.contains("Passed"), "{text}");
}

#[test]
fn the_installed_binary_hook_fails_a_bad_file_and_passes_a_good_one() {
    the_hook_fails_a_bad_file_and_passes_a_good_one("mikeyconf-system");
}

#[test]
fn the_rust_hook_builds_and_fails_a_bad_file_and_passes_a_good_one() {
    if std::env::var_os("MIKEYCONF_PRECOMMIT_RUST").is_none() {
        eprintln!(
            "skipping: the language: rust hook builds mikeyconf with cargo install (minutes); MIKEYCONF_PRECOMMIT_RUST=1 runs it (.ci/run does)"
        );
        return;
    }
    the_hook_fails_a_bad_file_and_passes_a_good_one("mikeyconf");
}
