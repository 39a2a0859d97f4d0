//! The library facade (`mikeyconf::Engine`, issue 24) judges a path, a buffer and a stream
//! alike: for every vector file that is its own input, `check_path` (what the command line
//! runs), `check_bytes` and `check_reader` give the same report. And the path's limits hold
//! through the facade: an input over `limits.max_bytes` is "could not check", a capture is
//! streamed whatever its size.

use mikeyconf::{Engine, Kind, Verdict};
use std::path::{Path, PathBuf};

/// The vector files read as they are (no `.msg.yaml`, which `check_path` encodes first; no
/// sidecars; no change requests, which are `mikeyconf spec`'s).
fn vector_inputs() -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![PathBuf::from("vectors")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("vectors/ is readable") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            let inputs = [
                "xml", "sip", "http", "pcap", "pcapng", "jsonl", "b64", "hex", "har",
            ];
            if inputs.contains(&ext) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn a_path_a_buffer_and_a_stream_get_the_same_report() {
    let engine = Engine::builtin().expect("the built-in engine builds");
    let inputs = vector_inputs();
    assert!(
        inputs.len() > 400,
        "only {} vector inputs found",
        inputs.len()
    );
    let mut differ = Vec::new();
    for path in &inputs {
        let name = path.display().to_string();
        let by_path = engine.check_path(path).to_json();
        let bytes = std::fs::read(path).expect("a vector is readable");
        let by_bytes = engine.check_bytes(&name, &bytes, None).to_json();
        let file = std::fs::File::open(path).expect("a vector opens");
        let by_reader = engine.check_reader(&name, file, None).to_json();
        if by_path != by_bytes || by_path != by_reader {
            differ.push(name);
        }
    }
    assert!(differ.is_empty(), "reports differ for: {differ:#?}");
}

#[test]
fn an_input_over_the_size_limit_is_not_checked_but_a_capture_is_streamed() {
    let engine = Engine::builder()
        .set("limits.max_bytes", "64")
        .build()
        .expect("the engine builds");
    let xml = Path::new("vectors/xml/msk-request/valid-two-keys.xml");
    let report = engine.check_path(xml);
    assert_eq!(report.verdict(), Verdict::Error, "{report}");
    assert!(
        report.error().is_some_and(|e| e.contains("limit")),
        "{report}"
    );
    let bytes = std::fs::read(xml).expect("readable");
    let report = engine.check_reader("stream", &bytes[..], Some(&Kind::MskRequest));
    assert_eq!(report.verdict(), Verdict::Error, "{report}");

    let capture = Path::new("vectors/pcap/http-lone-request.pcap");
    let size = std::fs::metadata(capture).expect("a capture").len();
    assert!(size > 64, "the capture is over the limit: {size} octets");
    let report = engine.check_path(capture);
    assert_eq!(report.kind(), Some(Kind::Pcap), "{report}");
    assert_ne!(report.verdict(), Verdict::Error, "{report}");
}

#[test]
fn a_message_description_is_encoded_before_it_is_checked() {
    let engine = Engine::builtin().expect("the built-in engine builds");
    let described: Vec<PathBuf> = std::fs::read_dir("vectors/mikey/structure")
        .expect("vectors/mikey/structure")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".msg.yaml"))
        .collect();
    assert!(!described.is_empty(), "no .msg.yaml vector");
    for path in described {
        let name = path.display().to_string();
        let by_path = engine.check_path(&path).to_json();
        // The internal encoder, as the suite uses it: what check_path must have checked.
        let limit = mikeyconf::internals::bounded::Limit::max_bytes(1 << 20);
        let encoded =
            mikeyconf::internals::format::read_file(&path, limit).expect("the description encodes");
        assert_eq!(
            by_path,
            engine.check_bytes(&name, &encoded, None).to_json(),
            "{name}"
        );
        let text = std::fs::read(&path).expect("readable");
        assert_ne!(
            by_path,
            engine.check_bytes(&name, &text, None).to_json(),
            "{name}"
        );
    }
}

#[test]
fn an_unknown_rule_in_a_selection_is_a_typed_error() {
    let err = Engine::builder().select("NO-SUCH-").build().unwrap_err();
    assert!(matches!(err, mikeyconf::Error::Selection(_)), "{err:?}");
    assert!(err.to_string().contains("NO-SUCH-"), "{err}");
}

#[test]
fn an_engine_and_its_reports_cross_threads() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<Engine>();
    send_and_sync::<mikeyconf::Report>();
    send_and_sync::<mikeyconf::Decoded>();
    send_and_sync::<mikeyconf::Error>();
}
