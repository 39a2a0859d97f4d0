//! Active testing end to end (issue 25): `mikeyconf serve` on an ephemeral port, `mikeyconf
//! probe` against it. Without a fault every case is conformant or not applicable with its
//! reason; with each fault exactly the rules written down in `FAULTS` fail; a recording
//! checked offline gives the probe's findings; and the probe against the Python stand-in BSM
//! (tests/bsm/bsm.py) gives the verdicts written down before it was run.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const BTID: &str = "Rq+E4nBbHDs1sTX+@bsf.operator.com";
const MRK: &str = "c2VjcmV0LW1yay1ieXRlcw==";
const SERVICE: &str = "urn:3gpp:mbms:example:service:identification:123456789abcdef";
const MSK: &str = "uHCd:aMkAAA==";

/// Every fault of `serve --list-faults` and the rules a probe run against it fails, written
/// down here from the clauses, not read from the server.
const FAULTS: &[(&str, &[&str])] = &[
    ("no-response-extension", &["BCAST-DLV-03", "BCAST-DLV-03B"]),
    ("ltkm-beside-403", &["BCAST-DLV-07", "BCAST-RSP-04"]),
    ("wrong-content-type", &["HTTP-CT-01"]),
    ("ok-on-refused", &["BCAST-DLV-03B"]),
    ("forbidden-but-registered", &["BCAST-DLV-05"]),
    ("empty-kemac", &["BCAST-DLV-08"]),
    ("http-ltkm-not-agreed", &["BCAST-DLV-04"]),
    ("agree-unlisted", &["BCAST-DLV-03L"]),
    ("challenge-realm", &["HTTP-AUTH-02"]),
    ("accept-wrong-password", &["HTTP-AUTH-05"]),
    // Judged on the session trace only: the push is a UDP event.
    ("udp-after-http-only", &["BCAST-DLV-04T"]),
    ("stale-counter", &["MBMS-KEY-01"]),
    // The invalidating LTKMs of a deregistration (P09, after UDP and HTTP were agreed).
    ("dereg-ltkm-wrong-container", &["BCAST-DEREG-03"]),
    ("dereg-ltkm-beside-404", &["BCAST-DEREG-04"]),
    // The requests that are not valid (P18-P21): 200 to a malformed body (P18-P20), 415 to the
    // mistyped registration (P21). Both warn: HTTP-STATUS-03 is provisional, HTTP-STATUS-02 a
    // SHOULD NOT.
    ("accept-malformed", &["HTTP-STATUS-03"]),
    ("unsupported-media-type", &["HTTP-STATUS-02"]),
];

/// The faults whose rules only warn: the probe exits 0 (unless --strict).
const WARN_ONLY: &[&str] = &[
    "challenge-realm",
    "accept-malformed",
    "unsupported-media-type",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn mikeyconf() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mikeyconf"));
    c.current_dir(root());
    c
}

/// A free UDP port of 127.0.0.1, for the probe's listener and the server's pushes.
fn free_udp_port() -> u16 {
    let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    s.local_addr().unwrap().port()
}

/// A server child, killed when dropped; `url` is its key-management URL.
struct Server {
    child: Child,
    url: String,
    /// The UDP port it pushes LTKMs to: the probe listens there.
    push_port: u16,
    /// Kept open: a server that prints more (bsm.py) would die of a closed pipe.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads the child's first stdout line `listening on …ADDR`.
fn started(mut child: Child, prefix: &str) -> Server {
    let out = child.stdout.take().unwrap();
    let mut line = String::new();
    let mut reader = BufReader::new(out);
    reader.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    Server {
        child,
        url: format!("http://{addr}/keymanagement"),
        push_port: free_udp_port(),
        _stdout: reader,
    }
}

fn serve(fault: Option<&str>) -> Server {
    serve_with(fault, &[])
}

fn serve_with(fault: Option<&str>, extra: &[&str]) -> Server {
    let port = free_udp_port();
    let mut c = mikeyconf();
    c.arg("serve");
    if !extra.contains(&"--config") {
        c.args(["--config", "examples/serve/bsm.yaml"]);
    }
    c.args(["--keys", "examples/serve/keys.yaml"])
        .args(["--push-port", &port.to_string()])
        .args(extra);
    if let Some(f) = fault {
        c.args(["--fault", f]);
    }
    let child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = started(child, "listening on http://");
    server.push_port = port;
    server
}

/// The probe against `server`, its UDP listener on the port the server pushes to.
fn probe_server(server: &Server, extra: &[&str]) -> Output {
    let port = server.push_port.to_string();
    let mut args = vec!["--udp-wait", "0.3"];
    args.extend_from_slice(extra);
    probe_port(&server.url, &port, &args)
}

/// The probe, its UDP listener on a free port (tests run side by side).
fn probe(url: &str, extra: &[&str]) -> Output {
    probe_port(url, "0", extra)
}

fn probe_port(url: &str, udp_port: &str, extra: &[&str]) -> Output {
    mikeyconf()
        .args([
            "probe",
            url,
            "--no-config",
            "--user",
            BTID,
            "--password",
            MRK,
        ])
        .args(["--service", SERVICE, "--msk", MSK])
        .args(["--udp-port", udp_port])
        .args(extra)
        .output()
        .unwrap()
}

/// The (input, rule) of every finding of a `--format concise` report.
fn findings(stdout: &[u8]) -> BTreeSet<(String, String)> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter_map(|l| {
            let (place, rest) = l.split_once(": ")?;
            let input = place.split(':').next()?.to_string();
            Some((input, rest.split(' ').next()?.to_string()))
        })
        .collect()
}

/// Per input, its verdict, from a JSON report.
fn verdicts(stdout: &[u8]) -> BTreeMap<String, String> {
    let json: serde_json::Value = serde_json::from_slice(stdout).unwrap();
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let input = r["input"].as_str().unwrap();
            let name = Path::new(input).file_name().unwrap().to_string_lossy();
            (
                name[..3].to_string(),
                r["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn without_a_fault_every_case_is_conformant() {
    every_case_is_conformant(&serve(None));
}

/// `digest_algorithm: SHA-256` in the server's configuration: it challenges in RFC 7616's
/// SHA-256, the probe answers in it, and every case is still conformant (the exchange rules
/// verify SHA-256 credentials, HTTP-AUTH-05 included).
#[test]
fn a_sha_256_challenge_is_answered_and_judged_as_an_md5_one() {
    let config = std::env::temp_dir().join(format!("mikeyconf-sha256-{}.yaml", std::process::id()));
    let base = std::fs::read_to_string(root().join("examples/serve/bsm.yaml")).unwrap();
    std::fs::write(&config, format!("{base}digest_algorithm: SHA-256\n")).unwrap();
    let server = serve_with(None, &["--config", &config.display().to_string()]);
    every_case_is_conformant(&server);
    let _ = std::fs::remove_file(&config);
}

/// The probe with the MUK against `server`: exit 0, the 21 cases and the session trace all
/// conformant (examples/serve/bsm.yaml invalidates on deregistration: P09 and P15 get the
/// LTKMs in the response, P17 over UDP, and the probe verifies them).
fn every_case_is_conformant(server: &Server) {
    let out = probe_server(
        server,
        &["--format", "json", "--keys", "examples/serve/keys.yaml"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = verdicts(&out.stdout);
    assert_eq!(v.len(), 22, "21 cases and the session trace: {v:?}");
    assert!(v.values().all(|v| v == "conformant"), "{v:?}");
}

#[test]
fn a_case_without_what_it_needs_is_not_applicable_with_its_reason() {
    let server = serve(None);
    let out = mikeyconf()
        .args([
            "probe",
            &server.url,
            "--no-config",
            "--user",
            BTID,
            "--password",
            MRK,
        ])
        .args([
            "--service",
            SERVICE,
            "--select",
            "P07,P10",
            "--udp-port",
            "0",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{text}{err}");
    assert!(text.contains("P10-auth-none.http: conformant"), "{text}");
    let both = format!("{text}{err}");
    assert!(
        both.contains("P07-msk-request-known") && both.contains("needs an MSK the BSM holds"),
        "{both}"
    );
}

#[test]
fn each_fault_fails_exactly_its_rules() {
    let listed = mikeyconf()
        .args(["serve", "--list-faults"])
        .output()
        .unwrap();
    let names: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect();
    let table: Vec<&str> = FAULTS.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names, table,
        "every fault of serve --list-faults is in FAULTS"
    );
    for (fault, rules) in FAULTS {
        let server = serve(Some(fault));
        // Recorded, so the session trace is judged too: the session rules must not find
        // more than the fault breaks either.
        let dir =
            std::env::temp_dir().join(format!("mikeyconf-fault-{}-{fault}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let d = dir.display().to_string();
        // No keyring: with it, empty-kemac's LTKMs would also warn CRYPTO-PSK-02 (no Key Data).
        let out = probe_server(&server, &["--format", "concise", "--record", &d]);
        let traced = findings(&out.stdout)
            .iter()
            .any(|(i, _)| i.ends_with("session.trace.yaml"));
        assert!(traced, "fault {fault}: the session trace finds it too");
        let _ = std::fs::remove_dir_all(&dir);
        let failed: BTreeSet<String> = findings(&out.stdout).into_iter().map(|(_, r)| r).collect();
        let want: BTreeSet<String> = rules.iter().map(|r| r.to_string()).collect();
        assert_eq!(
            failed,
            want,
            "fault {fault}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        // A provisional rule's or a warning's finding warns (exit 0 unless --strict); the
        // others fail.
        let code = if WARN_ONLY.contains(fault) { 0 } else { 1 };
        assert_eq!(out.status.code(), Some(code), "fault {fault}");
    }
}

#[test]
fn a_recording_checked_offline_gives_the_probe_findings() {
    let dir = std::env::temp_dir().join(format!("mikeyconf-active-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let server = serve(Some("accept-wrong-password"));
    let d = dir.display().to_string();
    let live = probe_server(&server, &["--format", "concise", "--record", &d]);
    let profile = dir.join("probe-profile.yml").display().to_string();
    // The credentials the probe was given, as a user keeps them (outside the recording):
    // HTTP-AUTH-05 needs them to tell that P11's digest does not verify.
    let creds = std::env::temp_dir().join(format!("mikeyconf-active-{}.yaml", std::process::id()));
    let yaml = format!("digest_credentials:\n  - {{username: \"{BTID}\", password: \"{MRK}\"}}\n");
    std::fs::write(&creds, yaml).unwrap();
    let offline = mikeyconf()
        .args([
            "check",
            "--no-config",
            "--format",
            "concise",
            "--profile",
            &profile,
        ])
        .args(["--settings", &creds.display().to_string(), &d])
        .output()
        .unwrap();
    let (l, o) = (findings(&live.stdout), findings(&offline.stdout));
    // The exchange file, and the session trace whose event it is.
    let p11 = format!("{d}/P11-auth-wrong-password.http");
    let trace = format!("{d}/session.trace.yaml");
    let auth = "HTTP-AUTH-05".to_string();
    assert_eq!(l, BTreeSet::from([(p11, auth.clone()), (trace, auth)]));
    assert_eq!(l, o, "{}", String::from_utf8_lossy(&offline.stderr));
    assert_eq!(live.status.code(), offline.status.code());
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        files, 23,
        "21 cases' exchanges, the session trace and the profile"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&creds);
}

/// The Python stand-in answers every registration with the response of
/// vectors/trace/http/register.http (200, LTKMs, LTKMDelivery 0 and 2), every MSK request
/// with that of ltkm-request.http and every deregistration with that of deregister.http,
/// after a Digest challenge. Written down before the run, from 5.1.6.10.1: agreeing UDP and
/// HTTP breaks BCAST-DLV-03L wherever the request did not list both (P01 UDP only, P02 HTTP
/// only, P03 SMS only, P04 none listed, which means UDP only; P05 and P12 list UDP only, P14
/// HTTP only), in the case files and in the session trace that judges each exchange too; the
/// answer to UDP and HTTP (P06), the MSK requests, the deregistration and the refused
/// credentials (401 with a challenge) are conformant.
#[test]
fn the_python_stand_in_gets_the_verdicts_its_behaviour_deserves() {
    python_stand_in_verdicts("MD5", &[]);
}

/// The same over HTTPS: the stand-in serves TLS with the certificate tests/bsm/tls/ca.pem
/// issued to 127.0.0.1, and the probe, trusting that CA (`--ca-file`), gets the verdicts of
/// the http:// run: TLS carries the exchanges, the rules judge what is inside.
#[test]
fn the_python_stand_in_over_https_gets_the_same_verdicts() {
    python_stand_in_verdicts("MD5", &["--tls"]);
}

/// An https:// BSM whose certificate no trusted root issued cannot be checked (exit 2, the
/// TLS error said); `--insecure` checks no certificate and the case runs.
#[test]
fn an_untrusted_https_bsm_could_not_be_checked_unless_insecure() {
    let Some(server) = python_stand_in("MD5", true) else {
        return;
    };
    let out = probe_server(&server, &["--select", "P10"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("certificate") && said.contains("--ca-file"),
        "{said}"
    );
    let out = probe_server(&server, &["--select", "P10", "--insecure"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// The same with the stand-in challenging in RFC 7616's SHA-256 (its own hashlib): the probe
/// answers in SHA-256, is let in, and the BSM gets the same verdicts; HTTP-AUTH-05 verifies
/// the SHA-256 credentials of P11 (refused with a 401) as the MD5 ones.
#[test]
fn the_python_stand_in_challenging_sha_256_gets_the_same_verdicts() {
    python_stand_in_verdicts("SHA-256", &[]);
}

/// The Python stand-in challenging in `algorithm`, over HTTPS when `tls`; `None` (the test
/// skipped) without python3 outside CI.
fn python_stand_in(algorithm: &str, tls: bool) -> Option<Server> {
    python_stand_in_with(algorithm, tls, &[])
}

/// [`python_stand_in`] with more of bsm.py's options (`--password`, `--push-hex`, ...).
fn python_stand_in_with(algorithm: &str, tls: bool, extra: &[&str]) -> Option<Server> {
    if Command::new("python3").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("MIKEYCONF_REQUIRE_ALL").is_none(),
            "python3 is not installed, and CI must run this test"
        );
        eprintln!("SKIPPED a Python stand-in test ({algorithm}): no python3");
        return None;
    }
    let mut c = Command::new("python3");
    c.arg(root().join("tests/bsm/bsm.py"))
        .args(["--port", "0", "--algorithm", algorithm])
        .args(extra);
    if tls {
        c.arg("--tls-cert")
            .arg(root().join("tests/bsm/tls/bsm.pem"))
            .arg("--tls-key")
            .arg(root().join("tests/bsm/tls/bsm.key"));
    }
    let child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = started(child, "listening on ");
    if tls {
        server.url = server.url.replacen("http://", "https://", 1);
    }
    Some(server)
}

/// The probe against the Python stand-in (`--tls` in `how`: over HTTPS, trusting its CA).
fn python_stand_in_verdicts(algorithm: &str, how: &[&str]) {
    let tls = how.contains(&"--tls");
    let Some(server) = python_stand_in(algorithm, tls) else {
        return;
    };
    let ca = root().join("tests/bsm/tls/ca.pem").display().to_string();
    let mut extra = vec!["--format", "concise"];
    if tls {
        extra.extend(["--ca-file", ca.as_str()]);
    }
    let out = probe_server(&server, &extra);
    let want: BTreeSet<(String, String)> = [
        ("P01-register-udp-only.http", "BCAST-DLV-03L"),
        ("P02-register-http-only.http", "BCAST-DLV-03L"),
        ("P03-register-sms-only.http", "BCAST-DLV-03L"),
        ("P04-register-no-ltkm-delivery.http", "BCAST-DLV-03L"),
        ("P05-register-unknown-service.http", "BCAST-DLV-03L"),
        ("P12-udp-register-push.http", "BCAST-DLV-03L"),
        ("P14-udp-none-after-http-only.http", "BCAST-DLV-03L"),
        // It agrees UDP and HTTP to a request listing UDP alone, as in P01; its deregistration
        // responses (P09, P15, P17) carry an LTKM in the right container beside 200 OK, and
        // HTTP was agreed (by its own wrong answer) before each: nothing more.
        ("P16-reregister-udp-only.http", "BCAST-DLV-03L"),
        // It answers every authenticated POST 200 with its requesttype's response, whatever the
        // body: the malformed requests (a cut registration, an MSK request sent as
        // requesttype=register, an MSK request with no body) are taken in, and HTTP-STATUS-03
        // (provisional) warns on each; nothing else, as such a request expects no answer kind.
        ("P18-register-not-well-formed.http", "HTTP-STATUS-03"),
        ("P19-register-msk-request-body.http", "HTTP-STATUS-03"),
        ("P20-msk-request-no-body.http", "HTTP-STATUS-03"),
        // The registration typed application/xml is read as any other: it lists HTTP alone and
        // gets UDP and HTTP agreed, as P02.
        ("P21-register-wrong-content-type.http", "BCAST-DLV-03L"),
        // The session judges each exchange by its own rules too.
        ("session.trace.yaml", "BCAST-DLV-03L"),
        ("session.trace.yaml", "HTTP-STATUS-03"),
    ]
    .iter()
    .map(|(i, r)| (i.to_string(), r.to_string()))
    .collect();
    assert_eq!(
        findings(&out.stdout),
        want,
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(out.status.code(), Some(1));
}

/// A BSM that refuses the probe's credentials (here the stand-in knows another password, as
/// when the probe is given the wrong one) answers every authenticated request 401 again:
/// those cases are not carried out and cannot be checked (exit 2, said why), where judging
/// the two 401s alone called the BSM conformant. The no-credentials case P10 is still judged.
#[test]
fn a_bsm_that_refuses_the_probe_credentials_could_not_be_checked() {
    let Some(server) =
        python_stand_in_with("MD5", false, &["--password", "bm90LXRoZS1wcm9iZS1tcms="])
    else {
        return;
    };
    let out = probe_server(
        &server,
        &["--select", "P06", "--select", "P10", "--format", "json"],
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("with 401 again"), "{said}");
    let v = verdicts(&out.stdout);
    assert_eq!(
        v.get("P10").map(String::as_str),
        Some("conformant"),
        "{v:?}"
    );
    assert_eq!(v.get("P06").map(String::as_str), Some("error"), "{v:?}");
}

/// A BSM that floods the probe's UDP port past the octets the session may hold (half of
/// `limits.max_bytes`, as the trace writes datagrams in hex): the datagrams past it are
/// dropped, and the session cannot be checked (exit 2, said why), never judged on what was
/// kept. Here 40 pushes of 1 000 octets against a budget of 4 000.
#[test]
fn a_bsm_flooding_the_udp_port_leaves_the_session_unjudged() {
    let port = free_udp_port();
    let push = "00".repeat(1000);
    let (count, to) = ("40", port.to_string());
    let extra = [
        "--push-hex",
        &push,
        "--push-count",
        count,
        "--push-port",
        &to,
    ];
    let Some(mut server) = python_stand_in_with("MD5", false, &extra) else {
        return;
    };
    server.push_port = port;
    let out = probe_server(
        &server,
        &["--select", "P01", "--set", "limits.max_bytes=8000"],
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("more than 4000 octets of UDP datagrams"),
        "{said}"
    );
}

/// A BSM that does not answer within --timeout, or is not there, cannot be checked: exit 2,
/// never a pass.
#[test]
fn a_silent_or_absent_bsm_could_not_be_checked() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/keymanagement", silent.local_addr().unwrap());
    let started = std::time::Instant::now();
    let out = probe(&url, &["--select", "P10", "--timeout", "0.5"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 could not be checked"));
    drop(silent);
    let gone = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/keymanagement", gone.local_addr().unwrap());
    drop(gone);
    let out = probe(&url, &["--select", "P10"]);
    assert_eq!(out.status.code(), Some(2));
    let https = probe("https://127.0.0.1:1/keymanagement", &["--select", "P10"]);
    assert_eq!(https.status.code(), Some(2));
    let ftp = probe("ftp://127.0.0.1:1/keymanagement", &[]);
    assert_eq!(ftp.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&ftp.stderr).contains("give an http:// or https:// URL"));
}

/// Runs `serve --record` with the probe (given `probe_extra`) as the terminal and checks the
/// recording under a terminal profile with the probe's credentials: the findings, and the
/// recording's folder (removed by the caller).
fn serve_recording_checked(
    name: &str,
    probe_extra: &[&str],
) -> (BTreeSet<(String, String)>, String) {
    let dir = std::env::temp_dir().join(format!("mikeyconf-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.display().to_string();
    let port = free_udp_port();
    let child = mikeyconf()
        .args(["serve", "--config", "examples/serve/bsm.yaml"])
        .args(["--keys", "examples/serve/keys.yaml", "--record", &d])
        .args(["--push-port", &port.to_string(), "--verify-wait", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = started(child, "listening on http://");
    server.push_port = port;
    assert_eq!(probe_server(&server, probe_extra).status.code(), Some(0));
    drop(server);
    let profile = dir.join("terminal.yml");
    std::fs::write(
        &profile,
        "role: terminal\nsupports:\n  ltkm_delivery: [udp, http, sms]\n",
    )
    .unwrap();
    let creds = dir.join("creds.yml");
    let yaml = format!("digest_credentials:\n  - {{username: \"{BTID}\", password: \"{MRK}\"}}\n");
    std::fs::write(&creds, yaml).unwrap();
    let out = mikeyconf()
        .args(["check", "--no-config", "--format", "concise"])
        .args(["--profile", &profile.display().to_string()])
        .args(["--settings", &creds.display().to_string()])
        .arg(dir.join("session.trace.yaml"))
        .arg(dir.join("0021-register.http"))
        .arg(dir.join("0001-register.http"))
        .output()
        .unwrap();
    (findings(&out.stdout), d)
}

/// `serve --record` writes what it saw, for judging a terminal: with the probe as the
/// terminal, `check` under a terminal profile finds exactly its deliberate defects: the wrong
/// password of P11 (HTTP-AUTH-04), in its exchange file and in the session trace, and in the
/// trace the requests of P18, P19 and P21 (a cut body, XML-WF-01; an MSK request sent as
/// requesttype=register, HTTP-URI-01; a registration typed application/xml, HTTP-CT-01; P20's
/// empty MSK request breaks no rule a capture can judge of the terminal). With
/// the MUK the probe answers each UDP push's V flag with a verification message to the BSM's
/// address (the trace's `resolve` maps the IDi to it), so BCAST-DLV-12 finds nothing.
#[test]
fn serve_records_a_session_that_judges_the_terminal() {
    let keys = ["--keys", "examples/serve/keys.yaml"];
    let (found, d) = serve_recording_checked("serve-rec", &keys);
    let want: BTreeSet<(String, String)> = [
        ("0021-register.http", "HTTP-AUTH-04"),
        ("session.trace.yaml", "HTTP-AUTH-04"),
    ]
    .into_iter()
    .chain(deliberately_invalid())
    .map(|(f, r)| (format!("{d}/{f}"), r.to_string()))
    .collect();
    assert_eq!(found, want);
    assert!(std::fs::read_to_string(format!("{d}/session.trace.yaml"))
        .unwrap()
        .contains("role: verification"));
    let _ = std::fs::remove_dir_all(&d);
}

/// Without the MUK the probe cannot answer the V flag of the two UDP pushes (P01 UDP only,
/// P04 none listed): the recording shows a terminal that does not verify, and BCAST-DLV-12
/// fails on the session trace beside P11's HTTP-AUTH-04.
#[test]
fn a_terminal_that_does_not_verify_fails_bcast_dlv_12() {
    let (found, d) = serve_recording_checked("serve-rec-nokeys", &[]);
    let want: BTreeSet<(String, String)> = [
        ("0021-register.http", "HTTP-AUTH-04"),
        ("session.trace.yaml", "HTTP-AUTH-04"),
        ("session.trace.yaml", "BCAST-DLV-12"),
    ]
    .into_iter()
    .chain(deliberately_invalid())
    .map(|(f, r)| (format!("{d}/{f}"), r.to_string()))
    .collect();
    assert_eq!(found, want);
    let _ = std::fs::remove_dir_all(&d);
}

/// The rules the probe's deliberately invalid requests (P18, P19, P21) break as a terminal, in
/// the session trace serve records.
fn deliberately_invalid() -> [(&'static str, &'static str); 3] {
    [
        ("session.trace.yaml", "XML-WF-01"),
        ("session.trace.yaml", "HTTP-URI-01"),
        ("session.trace.yaml", "HTTP-CT-01"),
    ]
}
