//! A real capture judged like the session written by hand (issue 21, "Done when"): tcpdump on
//! the loopback records the stand-in BSM (tests/bsm/bsm.py, Python's http.server with Digest
//! authentication) while `curl --digest` registers, the BSM pushes an LTKM with the V flag over
//! UDP, this test (playing the terminal) sends its verification message, then an MSK request
//! and a deregistration; `mikeyconf check` on the capture must give the same rule outcomes as
//! tests/bsm/session.trace.yaml, the same session written by hand. Skipped, saying so, only
//! when tcpdump is not installed (with MIKEYCONF_REQUIRE_ALL=1 it fails instead: .ci/run installs it).

#[path = "common/capture_files.rs"]
mod capture_files;

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const USER: &str = "Rq+E4nBbHDs1sTX+@bsf.operator.com";
const PASSWORD: &str = "c2VjcmV0LW1yay1ieXRlcw==";
/// The LTKM with the V flag the BSM pushes, and the terminal's verification message
/// (vectors/trace/complete-session.trace.yaml).
const LTKM: &str = "010015800000300000010505000201000b02000000030610000102030405060708090a0b0c0d0e0f0100001062736d2e6f70657261746f722e636f6d000200108254c329a92850f6d539dd376f4816ee0162c66a7a5dd70c3146618063c344e531e6d4b59e";
const VERIFICATION: &str =
    "0101050000003000000109020000000300014c94485e0c21ae6c41ce1dfe7b6bfaceea5ab68e";

/// Rules whose outcome depends on the kind of input, not on the session, with the reason.
const KIND_ONLY: &[(&str, &str)] = &[
    ("PCAP-FILE-01", "judges the capture file itself"),
    (
        "BCAST-DLV-09",
        "an LTKM over SMS: a trace event a capture has no place for",
    ),
    (
        "MBMS-GEN-04",
        "traces only: a capture's session rules run per terminal address (docs/interpretation.md)",
    ),
    (
        "MBMS-MTK-03",
        "FLUTE: traces only until FLUTE is read from captures",
    ),
    (
        "MBMS-MTK-04",
        "FLUTE: traces only until FLUTE is read from captures",
    ),
    (
        "MBMS-MTK-05",
        "FLUTE: traces only until FLUTE is read from captures",
    ),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A child process killed when dropped (a failing test leaves nothing running).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_tcp_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The body of the request in an .http vector of vectors/trace/http/.
fn request_body(name: &str) -> Vec<u8> {
    let data = std::fs::read(root().join("vectors/trace/http").join(name)).unwrap();
    let head_end = data.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&data[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap();
    data[head_end..head_end + length].to_vec()
}

/// Waits for a line containing `what` on a child's output; returns that line.
fn wait_for_line(out: impl std::io::Read + Send + 'static, what: &'static str) -> String {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if line.contains(what) {
                let _ = tx.send(line);
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("no '{what}' line within 30 s"))
}

fn curl(port: u16, kind: &str, vector: &str, media: &str, dir: &Path) {
    let body = dir.join(format!("{kind}.xml"));
    std::fs::write(&body, request_body(vector)).unwrap();
    let status = Command::new("curl")
        .args(["-s", "-S", "-o", "/dev/null", "--fail", "--digest", "-u"])
        .arg(format!("{USER}:{PASSWORD}"))
        .arg("--data-binary")
        .arg(format!("@{}", body.display()))
        .args(["-H", &format!("Content-Type: {media}")])
        .arg(format!(
            "http://127.0.0.1:{port}/keymanagement?requesttype={kind}"
        ))
        .status()
        .expect("curl runs");
    assert!(status.success(), "curl {kind}: {status}");
}

/// `mikeyconf check --format json` on a file: its one result.
fn check(file: &Path, settings: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_mikeyconf"))
        .args(["check", "--format", "json", "--settings"])
        .arg(settings)
        .arg(file)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    // Each rule's outcome, read back through the report's plans.
    let mut result = v["results"][0].clone();
    result["rules"] = Value::Array(mikeyconf::internals::render::json::outcomes_of(
        &v,
        &v["results"][0],
    ));
    result
}

fn outcomes(result: &Value) -> BTreeMap<String, String> {
    result["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["rule"].as_str().unwrap().to_string(),
                o["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Records the session with tcpdump on the loopback; returns the capture's path.
fn capture_session(dir: &Path, http_port: u16, terminal_udp: &UdpSocket, bsm_udp: u16) -> PathBuf {
    let pcap = dir.join("session.pcap");
    let terminal_port = terminal_udp.local_addr().unwrap().port();
    let filter = format!("tcp port {http_port} or udp port {terminal_port} or udp port {bsm_udp}");
    let mut tcpdump = Command::new("tcpdump")
        // Immediate mode: each packet is handed over as it comes, not in blocks held by the
        // kernel until a timeout (packets still held at the ^C would be lost).
        .args(["-i", "lo", "--immediate-mode", "-U", "-n", "-w"])
        .arg(&pcap)
        .arg(&filter)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tcpdump starts");
    let stderr = tcpdump.stderr.take().unwrap();
    let tcpdump = Running(tcpdump);
    wait_for_line(stderr, "listening on");

    let mut bsm = Command::new("python3")
        .arg(root().join("tests/bsm/bsm.py"))
        .args(["--port", &http_port.to_string()])
        .args(["--udp-port", &bsm_udp.to_string()])
        .args(["--push-port", &terminal_port.to_string()])
        .args(["--push-hex", LTKM])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs the stand-in BSM");
    let stdout = bsm.stdout.take().unwrap();
    let bsm = Running(bsm);
    wait_for_line(stdout, "udp on");

    curl(
        http_port,
        "register",
        "register.http",
        "application/mbms-register+xml",
        dir,
    );
    // The terminal: the pushed LTKM, then its verification message to the BSM.
    let mut buf = [0u8; 2048];
    terminal_udp
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let (n, from) = terminal_udp.recv_from(&mut buf).expect("the LTKM push");
    assert_eq!(hex::encode(&buf[..n]), LTKM);
    terminal_udp
        .send_to(&hex::decode(VERIFICATION).unwrap(), from)
        .unwrap();
    curl(
        http_port,
        "msk-request",
        "ltkm-request.http",
        "application/mbms-msk+xml",
        dir,
    );
    curl(
        http_port,
        "deregister",
        "deregister.http",
        "application/mbms-deregister+xml",
        dir,
    );
    // Let the last FIN and ACK reach the capture, then stop tcpdump as a user would (^C),
    // so it writes what it holds.
    std::thread::sleep(Duration::from_millis(1000));
    drop(bsm);
    let mut tcpdump = tcpdump;
    // SAFETY: kill(2) on the pid of a child this test started and has not yet reaped.
    unsafe {
        libc::kill(tcpdump.0.id() as i32, libc::SIGINT);
    }
    let _ = tcpdump.0.wait();
    pcap
}

#[test]
fn a_captured_session_is_judged_like_the_same_session_written_by_hand() {
    if Command::new("tcpdump").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("MIKEYCONF_REQUIRE_ALL").is_none(),
            "tcpdump is not installed, and CI must run this test (.ci/run installs it)"
        );
        eprintln!(
            "SKIPPED a_captured_session_is_judged_like_the_same_session_written_by_hand: \
             tcpdump is not installed (apt-get install tcpdump)"
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("mikeyconf-http-capture-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let http_port = free_tcp_port();
    let terminal_udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    let bsm_udp = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let terminal_port = terminal_udp.local_addr().unwrap().port();
    let settings = dir.join("settings.yaml");
    std::fs::write(
        &settings,
        format!(
            "http:\n  ports: [{http_port}]\npcap_ports: [{terminal_port}, {bsm_udp}]\n\
             digest_credentials:\n  - {{username: \"{USER}\", password: \"{PASSWORD}\"}}\n"
        ),
    )
    .unwrap();
    let pcap = capture_session(&dir, http_port, &terminal_udp, bsm_udp);

    let captured = check(&pcap, &settings);
    let by_hand = check(&root().join("tests/bsm/session.trace.yaml"), &settings);
    let notes = captured["notes"].to_string();
    assert!(
        notes.contains("6 HTTP exchanges on TCP ports") && notes.contains("2 MIKEY datagrams"),
        "{notes}"
    );
    assert_eq!(captured["verdict"], by_hand["verdict"], "{captured:#}");
    assert_eq!(captured["verdict"], "conformant", "{captured:#}");
    let (mut a, mut b) = (outcomes(&captured), outcomes(&by_hand));
    for (rule, _why) in KIND_ONLY {
        assert!(
            a.remove(*rule).is_some() && b.remove(*rule).is_some(),
            "{rule}"
        );
    }
    let differ: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|r| a.get(*r) != b.get(*r))
        .map(|r| format!("{r}: capture {:?}, by hand {:?}", a.get(r), b.get(r)))
        .collect();
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // The session's own rules were applied, not left aside.
    for rule in [
        "BCAST-DLV-12",
        "BCAST-DEREG-01",
        "BCAST-DLV-04T",
        "HTTP-AUTH-04",
        "MBMS-XSD-DEREG-01",
    ] {
        assert_eq!(a.get(rule).map(String::as_str), Some("pass"), "{rule}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

mod same_as_a_file {
    //! Each exchange vector (raw `.http` text), sent over TCP in a capture, gets the findings
    //! the file gets: one code path judges both.

    use mikeyconf::internals::engine::Engine;
    use mikeyconf::internals::exchange::http::{framing, Framing};
    use mikeyconf::internals::rules::RuleSet;
    use mikeyconf::internals::settings::Settings;

    use super::capture_files;

    const CLIENT: [u8; 4] = [10, 0, 0, 7];
    const SERVER: [u8; 4] = [203, 0, 113, 5];

    fn segment(up: bool, seq: u32, flags: &str, payload: &[u8]) -> Vec<u8> {
        let (s, d, sp, dp) = if up {
            (CLIENT, SERVER, 40000, 8080)
        } else {
            (SERVER, CLIENT, 8080, 40000)
        };
        let mut b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
            .ipv4(s, d, 64)
            .tcp(sp, dp, seq, 65535);
        for f in flags.chars() {
            b = match f {
                'S' => b.syn(),
                'F' => b.fin(),
                _ => b.ack(0),
            };
        }
        let mut out = Vec::new();
        b.write(&mut out, payload).unwrap();
        out
    }

    /// The messages of raw HTTP text in order (request, its responses 1xx included, …), or
    /// None when the text is not such.
    fn messages(text: &[u8]) -> Option<Vec<(bool, Vec<u8>)>> {
        let mut out = Vec::new();
        let mut rest = text;
        let mut up = true;
        let mut head = false;
        while !rest.trim_ascii().is_empty() {
            let Framing::Whole(n) = framing(rest, up, head) else {
                return None;
            };
            let m = &rest[..n];
            if up {
                head = m.trim_ascii_start().starts_with(b"HEAD ");
            }
            let interim = !up && m.trim_ascii_start().starts_with(b"HTTP/1.1 1");
            out.push((up, m.to_vec()));
            rest = &rest[n..];
            up = if interim { false } else { !up };
        }
        Some(out)
    }

    /// A capture of one connection carrying the messages, each in two segments.
    fn capture(messages: &[(bool, Vec<u8>)]) -> Vec<u8> {
        let (mut cseq, mut sseq) = (1000u32, 5000u32);
        let mut frames = vec![
            segment(true, cseq, "S", b""),
            segment(false, sseq, "SA", b""),
        ];
        cseq += 1;
        sseq += 1;
        for (up, m) in messages {
            let seq = if *up { &mut cseq } else { &mut sseq };
            let half = m.len() / 2;
            frames.push(segment(*up, *seq, "A", &m[..half]));
            frames.push(segment(*up, *seq + half as u32, "A", &m[half..]));
            *seq += m.len() as u32;
        }
        frames.push(segment(true, cseq, "FA", b""));
        frames.push(segment(false, sseq, "FA", b""));
        capture_files::pcap(&frames, 1_700_000_000)
    }

    fn findings(r: &mikeyconf::internals::finding::CheckResult, only_http: bool) -> Vec<String> {
        let mut out: Vec<String> = r
            .findings
            .iter()
            .filter(|f| {
                !only_http
                    || f.location
                        .context
                        .as_deref()
                        .is_some_and(|c| c.contains(" (HTTP "))
            })
            .map(|f| format!("{} {:?} {}", f.rule, f.verdict, f.message))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_exchange_vector_in_a_capture_gets_the_findings_of_the_file() {
        let settings = Settings::load(None, &[]).unwrap();
        let rules = RuleSet::builtin(&settings).unwrap();
        let engine = Engine::new(settings, rules, false).unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/exchange");
        let mut compared = 0;
        let mut with_findings = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let file = entry.unwrap().path();
            if file.extension().is_none_or(|e| e != "http") {
                continue;
            }
            let text = std::fs::read(&file).unwrap();
            let Some(messages) = messages(&text) else {
                continue; // a curl transcript, or text written to be unreadable
            };
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            let as_file = engine.check(&name, &text, None);
            if as_file.kind != "http-exchange" || as_file.error.is_some() {
                continue;
            }
            let as_capture = engine.check("x.pcap", &capture(&messages), None);
            assert_eq!(
                findings(&as_capture, true),
                findings(&as_file, false),
                "{name}: {:?}",
                as_capture.notes
            );
            compared += 1;
            with_findings += usize::from(!as_file.findings.is_empty());
        }
        assert!(
            compared >= 30 && with_findings >= 15,
            "{compared}, {with_findings}"
        );
    }

    /// One message `decode` lists: its place within the exchange, its bytes or why not.
    type Listed = (String, Result<Vec<u8>, String>);

    /// The messages `decode` lists.
    fn listed(bytes: &[u8]) -> Result<Vec<Listed>, String> {
        let settings = Settings::load(None, &[]).unwrap();
        let found = mikeyconf::internals::format::discover::find_messages(&settings, bytes, None)?;
        Ok(found
            .messages
            .into_iter()
            .map(|m| {
                // `response body, LTKM #1` in a file; `frame 3 (HTTP a -> b), response body,
                // LTKM #1` in a capture.
                // A file of several exchanges names each (`exchanges[1].response body`); a
                // capture names each by its frame and connection instead.
                let place = match m.place.split_once("), ") {
                    Some((label, rest)) if label.starts_with("frame ") => rest.to_string(),
                    _ => match m.place.split_once("].") {
                        Some((n, rest)) if n.starts_with("exchanges[") => rest.to_string(),
                        _ => m.place.clone(),
                    },
                };
                (place, m.message)
            })
            .collect())
    }

    #[test]
    fn decode_lists_the_same_messages_of_an_exchange_in_a_capture_as_in_the_file() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/exchange");
        let mut with_messages = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let file = entry.unwrap().path();
            if file.extension().is_none_or(|e| e != "http") {
                continue;
            }
            let text = std::fs::read(&file).unwrap();
            let Some(messages) = messages(&text) else {
                continue;
            };
            let Ok(in_file) = listed(&text) else {
                continue; // nothing to list (or not read as an exchange)
            };
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            let in_capture = listed(&capture(&messages));
            assert_eq!(in_capture.as_ref(), Ok(&in_file), "{name}");
            with_messages += 1;
        }
        assert!(with_messages >= 5, "{with_messages}");
    }
}
