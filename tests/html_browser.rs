//! The HTML report in a real browser: Debian's Chromium, headless, opens the report of
//! `check --format html` (inputs that fail, pass, cannot be checked, and one whose file name
//! and content are markup) and the bundled suite's `reports/index.html`; the rendered DOM
//! (`--dump-dom`) must hold the summary, the matrix's cells, the findings with their snippet
//! and clause text, and no element the inputs smuggled in; a screenshot of each must be
//! written. With `MIKEYCONF_REQUIRE_ALL=1`, a missing chromium fails instead of skipping.

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "chromium";

/// How long one browser run may take before it is killed and the trial fails.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(60);

fn chromium_available() -> bool {
    Command::new(CHROMIUM)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A fresh folder under the system's temporary one, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "mikeyconf-html-browser-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// What a browser run wrote on its standard output.
struct Ran {
    stdout: String,
}

/// Runs headless Chromium on a file with the given action arguments, with its own fresh
/// profile folder. Its output goes to files (a pipe left unread while we wait would fill and
/// stall it); after BROWSER_TIMEOUT its whole process group (the `chromium` wrapper script
/// and the browser's processes) is killed and the trial fails.
fn chromium(scratch: &Path, file: &Path, action: &[&str]) -> Result<Ran, Failed> {
    use std::os::unix::process::CommandExt;
    let profile = scratch.join("profile");
    let (out_path, err_path) = (scratch.join("chromium.out"), scratch.join("chromium.err"));
    let create = |p: &Path| std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()));
    let url = format!("file://{}", file.display());
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(action)
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(create(&out_path)?)
        .stderr(create(&err_path)?)
        .process_group(0)
        .spawn()
        .map_err(|e| format!("{CHROMIUM}: {e}"))?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > BROWSER_TIMEOUT {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            let _ = child.wait();
            return Err(format!("{CHROMIUM} took over {BROWSER_TIMEOUT:?} on {url}").into());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = std::fs::remove_dir_all(&profile);
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    if !status.success() {
        return Err(format!("{CHROMIUM} {action:?} failed on {url}: {}", read(&err_path)).into());
    }
    Ok(Ran {
        stdout: read(&out_path),
    })
}

fn dump_dom(scratch: &Path, file: &Path) -> Result<String, Failed> {
    Ok(chromium(scratch, file, &["--dump-dom"])?.stdout)
}

/// A screenshot at 1280×900 must be written and be a non-empty PNG.
fn screenshot(scratch: &Path, file: &Path) -> Result<(), Failed> {
    let shot = scratch.join("shot.png");
    let arg = format!("--screenshot={}", shot.display());
    chromium(scratch, file, &[&arg, "--window-size=1280,900"])?;
    let png = std::fs::read(&shot).map_err(|e| format!("{}: {e}", shot.display()))?;
    if png.len() < 1000 || !png.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(format!(
            "{}: not a PNG screenshot ({} bytes)",
            shot.display(),
            png.len()
        )
        .into());
    }
    Ok(())
}

fn mikeyconf(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mikeyconf"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("mikeyconf runs")
}

fn expect(dom: &str, needle: &str, what: &str) -> Result<(), Failed> {
    if dom.contains(needle) {
        Ok(())
    } else {
        Err(format!("the rendered DOM lacks {what}: {needle}").into())
    }
}

/// The name of the hostile input: markup that must stay text.
const HOSTILE: &str = "<script>alert(1)<img src=x onerror=alert(2)>.xml";

/// The inputs of the check report, copied into `dir/in`: one that fails BCAST-RSP-04, two
/// conformant, one that cannot be checked, and the hostile one (with a `<script>` element
/// inside, which the schema rule reports with a snippet).
fn inputs(dir: &Path) {
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/xml");
    let into = dir.join("in");
    std::fs::create_dir_all(&into).expect("inputs folder");
    let copy = |from: &str, to: &str| {
        std::fs::copy(vectors.join(from), into.join(to)).expect("copy a vector");
    };
    copy(
        "registration-response/ltkm-beside-403.xml",
        "ltkm-beside-403.xml",
    );
    copy("msk-response/valid-two-ltkms.xml", "msk-valid.xml");
    copy("hostile/doctype-external-entity.xml", "doctype.xml");
    // No LTKM: the MIKEY rules, applied to the other registration responses, are not here.
    copy(
        "registration-response/empty-container-beside-403.xml",
        "no-ltkm.xml",
    );
    let text = std::fs::read_to_string(vectors.join("registration-response/ltkm-beside-403.xml"))
        .expect("vector")
        .replace(
            "<ResponseCode>403 Forbidden</ResponseCode>",
            "<ResponseCode>403 Forbidden</ResponseCode><script>alert(\"x\")</script>",
        );
    std::fs::write(into.join(HOSTILE), text).expect("hostile input");
}

fn check_report() -> Result<(), Failed> {
    let dir = scratch("check");
    inputs(&dir);
    let out = mikeyconf(&["check", "--format", "html", "in"], &dir);
    if out.status.code() != Some(2) {
        return Err(format!(
            "check exited {:?}, not 2 (one input cannot be checked)",
            out.status
        )
        .into());
    }
    let report = dir.join("report.html");
    std::fs::write(&report, &out.stdout).expect("report");
    let dom = dump_dom(&dir, &report)?;
    for tag in ["<script", "<img", "<iframe"] {
        if dom.contains(tag) {
            return Err(format!("the rendered DOM holds a {tag} element from an input").into());
        }
    }
    expect(&dom, "<section id=\"summary\">", "the summary")?;
    expect(
        &dom,
        "<tr><th>inputs</th><td>5</td></tr>",
        "the input count",
    )?;
    expect(
        &dom,
        "<caption>Exit code: <strong>2</strong></caption>",
        "the exit code",
    )?;
    expect(
        &dom,
        "<h3 id=\"kind-registration-response\">",
        "the registration-response matrix",
    )?;
    expect(
        &dom,
        "<td class=\"c fail\" title=\"BCAST-RSP-04: fail, 1 finding\"><a href=\"#in-",
        "a failed cell linking to its finding",
    )?;
    expect(
        &dom,
        "<td class=\"c pass\" title=\"BCAST-RSP-01: pass\">✓</td>",
        "a passed cell",
    )?;
    expect(&dom, "<td class=\"c na\" title=\"MIKEY-WIRE-01: not-applicable: applies to mikey, ltkm, msk, mtk, mikey-sakke, csk-download; nothing in the input was read as that\">–</td>",
        "a not-applicable cell with its reason")?;
    expect(
        &dom,
        "<h3 id=\"kind-unchecked\">Could not be checked</h3>",
        "the inputs not checked",
    )?;
    expect(&dom, "<pre class=\"snippet\"><span class=\"ln\">15 │</span>       &lt;<mark>bcast:LTKM</mark>&gt;[base64, 68 chars]&lt;/bcast:LTKM&gt;", "the finding's snippet, key masked")?;
    expect(
        &dom,
        "This element SHALL NOT be included if &lt;ResponseCode&gt; element sibling",
        "the clause text",
    )?;
    expect(
        &dom,
        "&lt;script&gt;alert(1)&lt;img src=x onerror=alert(2)&gt;.xml",
        "the hostile name as text",
    )?;
    expect(
        &dom,
        "&gt;alert(\"x\")&lt;/script&gt;",
        "the hostile content as text",
    )?;
    screenshot(&dir, &report)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn suite_report() -> Result<(), Failed> {
    let dir = scratch("suite");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reports = dir.join("reports");
    let out = mikeyconf(
        &["run", "--reports", &reports.display().to_string()],
        manifest,
    );
    if !out.status.success() {
        return Err(format!("run failed: {}", String::from_utf8_lossy(&out.stdout)).into());
    }
    let index = reports.join("index.html");
    let dom = dump_dom(&dir, &index)?;
    expect(
        &dom,
        "vectors gave exactly their expected findings; ",
        "the suite's headline",
    )?;
    expect(
        &dom,
        "<caption>Exit code: <strong>0</strong></caption>",
        "the exit code",
    )?;
    expect(
        &dom,
        "<h3 id=\"kind-msk-response\">",
        "the msk-response matrix",
    )?;
    expect(
        &dom,
        "<td class=\"c pass\" title=\"the expected findings\">✓</td>",
        "a vector as expected",
    )?;
    expect(
        &dom,
        "<div class=\"rule\" id=\"rule-BCAST-RSP-04\">",
        "the rules section",
    )?;
    screenshot(&dir, &index)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let available = chromium_available();
    let in_ci = std::env::var_os("MIKEYCONF_REQUIRE_ALL").is_some();
    if !available && !in_ci {
        eprintln!(
            "note: {CHROMIUM} is missing: the browser tests are skipped (apt-get install chromium)"
        );
    }
    let needing_chromium = move |test: fn() -> Result<(), Failed>| {
        move || {
            if !available {
                return Err(format!(
                    "{CHROMIUM} is not installed (apt-get install chromium); MIKEYCONF_REQUIRE_ALL makes this a failure"
                )
                .into());
            }
            test()
        }
    };
    let trials = vec![
        Trial::test("check_report_in_chromium", needing_chromium(check_report)),
        Trial::test("suite_report_in_chromium", needing_chromium(suite_report)),
    ]
    .into_iter()
    .map(|t| t.with_ignored_flag(!available && !in_ci))
    .collect();
    libtest_mimic::run(&args, trials).exit();
}
