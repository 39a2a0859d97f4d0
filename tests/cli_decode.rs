//! `mikeyconf decode` on inputs that hold MIKEY messages (a pcap, a HAR, an XML payload with
//! LTKMs), on a standalone message, and on inputs it must refuse. Runs the built binary.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mikeyconf"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(args)
        .output()
        .expect("run mikeyconf")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

/// The hex values of the key-material fields of a `--format spec` output (which, unlike the
/// reports, holds them).
fn secrets(spec: &str) -> Vec<String> {
    spec.lines()
        .filter_map(|l| l.trim().strip_prefix("encr_data: "))
        .map(str::to_string)
        .filter(|v| v.len() >= 16)
        .collect()
}

#[test]
fn pcap_datagrams_are_decoded_with_their_frames() {
    let o = run(&["decode", "examples/session/pushes.pcap"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    assert!(text.starts_with("examples/session/pushes.pcap: pcap, 2 MIKEY message(s)\n"));
    assert!(text.contains("\nframe 1 (203.0.113.5:2269 -> 10.0.0.7:2269)\nMIKEY message: 101 octets, 5 payloads, 0 issues\n"), "{text}");
    assert!(text.contains("\nframe 2 (10.0.0.7:2269 -> 203.0.113.5:2269)\nMIKEY message: 38 octets, 2 payloads, 0 issues\n"), "{text}");
    // Not the pcap file header read as a MIKEY common header.
    assert!(!text.contains("unsupported MIKEY version"), "{text}");

    let o = run(&["decode", "--format", "json", "examples/session/pushes.pcap"]);
    assert_eq!(o.status.code(), Some(0));
    let j = json(&o);
    assert_eq!(j["container"], "pcap");
    let m = j["messages"].as_array().expect("messages");
    assert_eq!(m.len(), 2);
    assert_eq!(m[0]["frame"], 1);
    assert_eq!(m[0]["src"], "203.0.113.5:2269");
    assert_eq!(m[0]["dst"], "10.0.0.7:2269");
    assert_eq!(m[0]["place"], "frame 1 (203.0.113.5:2269 -> 10.0.0.7:2269)");
    assert_eq!(m[0]["message"]["header"]["version"]["value"], 1);
    assert_eq!(m[0]["message"]["complete"], true);
    assert_eq!(m[1]["frame"], 2);
    assert_eq!(m[1]["message"]["header"]["data_type"]["value"], 1);

    // The text and JSON renders keep the key material out; the spec (for authoring) has it.
    let spec = stdout(&run(&[
        "decode",
        "--format",
        "spec",
        "examples/session/pushes.pcap",
    ]));
    assert!(
        spec.starts_with(
            "# examples/session/pushes.pcap: pcap, 2 MIKEY message(s)\n---\n# frame 1 "
        ),
        "{spec}"
    );
    let keys = secrets(&spec);
    assert!(!keys.is_empty(), "{spec}");
    let rendered = format!("{text}{}", stdout(&o));
    for k in keys {
        assert!(!rendered.contains(&k), "key material in a report");
    }
}

#[test]
fn har_ltkms_are_decoded_with_their_places() {
    let o = run(&["decode", "examples/session/capture.har"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    assert!(text.starts_with("examples/session/capture.har: http-exchange, 3 MIKEY message(s)\n"));
    assert!(
        text.contains(
            "\n$.log.entries[1].response body, LTKM #1 at 6:43\nMIKEY message: 101 octets"
        ),
        "{text}"
    );

    let j = json(&run(&[
        "decode",
        "--format",
        "json",
        "examples/session/capture.har",
    ]));
    assert_eq!(j["container"], "http-exchange");
    let m = j["messages"].as_array().expect("messages");
    assert_eq!(m.len(), 3);
    assert_eq!(m[1]["place"], "$.log.entries[1].response body, LTKM #1");
    assert_eq!(
        (m[1]["line"].as_u64(), m[1]["column"].as_u64()),
        (Some(6), Some(43))
    );
    assert!(m.iter().all(|x| x["message"]["complete"] == true));
}

#[test]
fn raw_http_ltkm_lines_are_the_files() {
    let o = run(&["decode", "vectors/exchange/register-http-agreed.http"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    // Line 22 of the file holds the LTKM.
    assert!(
        text.contains("\nresponse body, LTKM #1 at 22:51\n"),
        "{text}"
    );
}

#[test]
fn xml_ltkms_are_decoded_with_line_and_column() {
    let path = "vectors/xml/msk-response/ltkm-encr-data-len-0.xml";
    let o = run(&["decode", path]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    assert!(text.starts_with(&format!("{path}: xml, 2 MIKEY message(s)\n")));
    assert!(
        text.contains("\nLTKM #1 at 11:8\nMIKEY message: 51 octets"),
        "{text}"
    );
    assert!(
        text.contains("\nLTKM #2 at 12:8\nMIKEY message: 67 octets"),
        "{text}"
    );

    let j = json(&run(&["decode", "--format", "json", path]));
    assert_eq!(j["container"], "xml");
    assert_eq!(j["messages"][1]["place"], "LTKM #2");
    assert_eq!(j["messages"][1]["line"], 12);
    assert_eq!(j["messages"][1]["column"], 8);
    assert_eq!(j["messages"][1]["message"]["header"]["version"]["value"], 1);
}

#[test]
fn a_standalone_message_is_decoded_as_before() {
    let o = run(&["decode", "vectors/mikey/real/dbc-mbms-mtk-vendor-a.hex"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("MIKEY message: 82 octets, 3 payloads, 0 issues\n"));
    let j = json(&run(&[
        "decode",
        "--format",
        "json",
        "vectors/mikey/real/dbc-mbms-mtk-vendor-a.hex",
    ]));
    assert_eq!(j["header"]["data_type"]["value"], 0);
    assert_eq!(j["complete"], true);
}

#[test]
fn inputs_without_mikey_are_refused() {
    for (path, why) in [
        (
            "vectors/sip/plain-text-message.txt",
            "no SIP message of the file carries an application/mikey body",
        ),
        (
            "vectors/unrecognised/notes.txt",
            "not a recognised input (text)",
        ),
        (
            "vectors/xml/hostile/unknown-root.xml",
            "no MIKEY message found",
        ),
        ("vectors/exchange/status-500.http", "no MIKEY message found"),
        ("examples/session/session.trace.yaml", "a session trace"),
        // Octets that do not start a MIKEY common header (version 2).
        (
            "vectors/mikey/structure/version-2.msg.yaml",
            "its first octet is not 1",
        ),
    ] {
        for format in ["text", "json"] {
            let o = run(&["decode", "--format", format, path]);
            assert_eq!(o.status.code(), Some(2), "{path}");
            assert!(o.stdout.is_empty(), "{path}: {}", stdout(&o));
            assert!(stderr(&o).contains(why), "{path}: {}", stderr(&o));
        }
    }
}

#[test]
fn sip_files_decode_their_mikey_bodies() {
    let o = run(&[
        "decode",
        "--format",
        "json",
        "vectors/sip/complete-exchange.sip",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("message 7 (MESSAGE sip:alice@example.com SIP/2.0) application/mikey body"),
        "{out}"
    );
    assert!(out.contains("\"data_type\""), "{out}");
}

#[test]
fn as_mikey_decodes_whatever_the_header_says() {
    let o = run(&[
        "decode",
        "--as",
        "mikey",
        "vectors/mikey/structure/version-2.msg.yaml",
    ]);
    let text = stdout(&o);
    // Decoded, with the wrong version as an issue (exit 1: not clean).
    assert_eq!(o.status.code(), Some(1), "{text}{}", stderr(&o));
    assert!(text.contains("unsupported MIKEY version 2"), "{text}");
}

/// A capture's SIP carries MIKEY bodies that `check` judges (the CSK download in the
/// MESSAGE): `decode` lists them too, placed in their frame or TCP flow as `check` places
/// its findings (issue 19: `decode` found "no MIKEY message" in these captures).
#[test]
fn pcap_sip_bodies_are_decoded_as_check_reads_them() {
    for (path, place) in [
        (
            "examples/sip/mcvideo-exchange-udp.pcap",
            "frame 7 (UDP 192.0.2.10:5060 -> 192.0.2.20:5060): message 7 (MESSAGE sip:alice@example.com SIP/2.0) application/mikey body",
        ),
        (
            "examples/sip/mcvideo-exchange-tcp.pcap",
            "TCP 192.0.2.10:40000 -> 192.0.2.20:5060 (frame 19): message 7 (MESSAGE sip:alice@example.com SIP/2.0) application/mikey body",
        ),
    ] {
        let o = run(&["decode", "--format", "json", path]);
        assert_eq!(o.status.code(), Some(0), "{path}: {}", stderr(&o));
        let j = json(&o);
        assert_eq!(j["container"], "pcap");
        let messages = j["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 1, "{path}: {j}");
        assert_eq!(messages[0]["place"], place, "{path}");
        assert_eq!(messages[0]["message"]["header"]["data_type"]["value"], 26);
        // `check` judges that message by the MIKEY-SAKKE rules.
        let c = run(&["check", "--format", "json", path]);
        let r: serde_json::Value = serde_json::from_slice(&c.stdout).unwrap();
        let sakke = mikeyconf::internals::render::json::outcomes_of(&r, &r["results"][0])
            .into_iter()
            .find(|o| o["rule"] == "MIKEY-SAKKE-01")
            .unwrap();
        assert_eq!(sakke["verdict"], "pass", "{path}");
    }
}

/// An XML body of a SIP message is judged with the LTKMs in it (`check`); `decode` lists
/// them, placed in the message and the body.
#[test]
fn sip_xml_bodies_decode_their_ltkms() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let body = std::fs::read(root.join("vectors/xml/msk-response/valid-two-ltkms.xml")).unwrap();
    let mut sip = format!(
        "MESSAGE sip:alice@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\nFrom: <sip:bob@example.com>;tag=1\r\nTo: <sip:alice@example.com>\r\nCall-ID: 1@example.com\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\nContent-Type: application/mbms-msk-response+xml\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    sip.extend(&body);
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ltkm-in-message.sip");
    std::fs::write(&path, sip).unwrap();
    let o = run(&["decode", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j = json(&o);
    let places: Vec<(&str, u64)> = j["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["place"].as_str().unwrap(), m["line"].as_u64().unwrap()))
        .collect();
    let body =
        "message 1 (MESSAGE sip:alice@example.com SIP/2.0) application/mbms-msk-response+xml body";
    assert_eq!(
        places,
        [
            (format!("{body}, LTKM #1").as_str(), 21),
            (format!("{body}, LTKM #2").as_str(), 31)
        ]
    );
}

/// A capture cut off inside its second frame: `decode` lists the frame before the cut, as
/// `check` judges it, with a note of the cut on stderr (it was "cannot read the capture").
#[test]
fn a_cut_capture_decodes_the_frames_before_the_cut() {
    let o = run(&["decode", "vectors/pcap/cut-in-second-frame.pcap"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("vectors/pcap/cut-in-second-frame.pcap: pcap, 1 MIKEY message(s)\n"),
        "{text}"
    );
    assert!(
        text.contains("\nframe 1 (203.0.113.5:2269 -> 10.0.0.7:2269)\n"),
        "{text}"
    );
    assert!(
        stderr(&o).contains("the capture is cut off after frame 1: the block at offset 183"),
        "{}",
        stderr(&o)
    );
}

/// `decode --keys` follows each message with what the keyring reveals of it, step by step,
/// keys as fingerprints only: a MIKEY-SAKKE I_MESSAGE's signature, decapsulation and carried
/// key, a pre-shared-key message's MAC, Key Data and carried key; the carried key against the
/// keyring's expectation either way. (`keyed::describe`, which no vector runs: the mutation
/// runs of `src/checks/mikey/keyed.rs` measure it with this test.)
#[test]
fn decode_keys_shows_what_the_keyring_reveals() {
    let cases: [(&str, &str, &[&str]); 4] = [
        (
            "streamwide-csk-keyed.b64",
            "streamwide",
            &[
                "ECCSI signature: verifies with the KPAK of kms.mydev.streamwide.com",
                "SAKKE: decapsulated with the RSK of gms@streamwide.com: SSV <redacted: 16 octets, sha256:bc64dfc2>",
                "carried key: sha256:bc64dfc2 (as expected)",
            ],
        ),
        (
            "streamwide-gmk-other-expected-key.b64",
            "streamwide-other-gmk",
            &[
                "ECCSI signature: verifies with the KPAK of kms.mydev.streamwide.com",
                "SAKKE: decapsulated with the RSK of sip:alice@streamwide.com: SSV <redacted: 16 octets, sha256:071e9c00>",
                "carried key: sha256:071e9c00, but the keyring expects sha256:7c3ccd10",
            ],
        ),
        (
            "msk-sealed.psk.yaml",
            "mbms",
            &[
                "MAC: verifies with muk-ue-1",
                "Key Data 0 (plaintext offset 0): type KeyDataType(2 TEK), key <redacted: 16 octets, sha256:a8faed6a>, valid from 00000100 to 000001ff",
                "carried key: sha256:a8faed6a (as expected)",
            ],
        ),
        (
            "msk-sealed-other-expected-key.psk.yaml",
            "mbms-other-msk",
            &[
                "MAC: verifies with muk-ue-1",
                "Key Data 0 (plaintext offset 0): type KeyDataType(2 TEK), key <redacted: 16 octets, sha256:a8faed6a>, valid from 00000100 to 000001ff",
                "carried key: sha256:a8faed6a, but the keyring expects sha256:811407f1",
            ],
        ),
    ];
    for (input, keys, steps) in cases {
        let keys = format!("vectors/mikey/crypto/keys/{keys}.keys.yaml");
        let input = format!("vectors/mikey/crypto/{input}");
        let o = run(&["decode", "--keys", &keys, &input]);
        let text = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
        let (_, shown) = text
            .split_once(&format!("  With the keyring {keys}:\n"))
            .unwrap_or_else(|| panic!("no keyring steps for {input}:\n{text}"));
        let shown: Vec<&str> = shown.lines().map(str::trim).collect();
        assert_eq!(shown, steps, "{input}");
    }
}
