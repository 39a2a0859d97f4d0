//! Replays the inputs kept from fuzzing (`tests/fuzz-regressions/<target>-<name>.bin`) through
//! the same calls as the fuzz targets in `fuzz/fuzz_targets/`, plus a few hand-made hostile
//! inputs generated here. Every call must return without a panic; a cleanly decoded MIKEY
//! message must re-encode to its own bytes. See `fuzz/README.md` for how to fuzz.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::mikey;
use mikeyconf::internals::render;
use mikeyconf::internals::rules::RuleSet;
use mikeyconf::internals::settings::Settings;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let settings = Settings::load(None, &[]).unwrap();
        let rules = RuleSet::builtin(&settings).unwrap();
        Engine::new(settings, rules, false).unwrap()
    })
}

/// What `fuzz_targets/mikey_decode.rs` does with one decoder input.
fn mikey_decode_one(bytes: &[u8]) {
    let d = mikey::decode(bytes);
    let _ = mikey::render::to_text_tree(&d);
    let _ = mikey::render::to_json(&d);
    if d.is_clean() {
        let again = mikey::encode(d.message.as_ref().unwrap());
        assert!(
            again == bytes,
            "clean decode does not re-encode to the input"
        );
    }
}

/// The `mikey_decode` fuzz target.
fn mikey_decode(data: &[u8]) {
    mikey_decode_one(data);
    if let Ok((bytes, _)) = mikey::input::load(data) {
        if bytes != data {
            mikey_decode_one(&bytes);
        }
    }
}

/// The `xml_check` fuzz target.
fn xml_check(data: &[u8]) {
    let e = engine();
    let results = vec![
        e.check("fuzz", data, None),
        e.check("fuzz", data, Some("msk-response")),
        e.check("fuzz", data, Some("ltkm")),
    ];
    let _ = render::text::render(&results, &e.rules);
    let _ = render::json::render(&results);
    let _ = render::junit::render(&results);
}

/// The `sip_check` fuzz target.
fn sip_check(data: &[u8]) {
    let e = engine();
    let results = vec![e.check("fuzz", data, Some("sip"))];
    let _ = render::text::render(&results, &e.rules);
    let _ = render::json::render(&results);
}

/// The `cpns_check` fuzz target.
fn cpns_check(data: &[u8]) {
    let e = engine();
    let results = vec![e.check_cpns("fuzz", data), e.check("fuzz", data, None)];
    let _ = render::text::render(&results, &e.rules);
    let _ = render::json::render(&results);
    let _ = render::sarif::render(&results, &e.rules);
}

/// The `spec_check` fuzz target.
fn spec_check(data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let name = ["fuzz.txt", "fuzz.md", "fuzz.docx"][pick as usize % 3];
    let e = engine();
    let results = mikeyconf::internals::spec::check_document(e, name, body);
    let _ = render::text::render(&results, &e.rules);
    let _ = render::json::render(&results);
    let _ = render::sarif::render(&results, &e.rules);
}

/// The `keyring_parse` fuzz target's promise: an error about a profile or keyring file quotes
/// none of its possible key material (runs of 16 or more hex digits).
fn keyring_parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let runs: Vec<&str> = text
        .split(|c: char| !c.is_ascii_hexdigit())
        .filter(|run| run.len() >= 16)
        .collect();
    let errors = [
        mikeyconf::internals::profile::Profile::parse("fuzz.yaml", text).err(),
        mikeyconf::internals::keyring::parse(text, "fuzz.yaml")
            .err()
            .map(|e| e.to_string()),
    ];
    for message in errors.into_iter().flatten() {
        for run in &runs {
            assert!(!message.contains(run), "the error quotes {run}: {message}");
        }
    }
}

fn target_fn(name: &str) -> Option<fn(&[u8])> {
    match name.split_once('-')?.0 {
        "mikey_decode" => Some(mikey_decode),
        "xml_check" => Some(xml_check),
        "sip_check" => Some(sip_check),
        "cpns_check" => Some(cpns_check),
        "spec_check" => Some(spec_check),
        "keyring_parse" => Some(keyring_parse),
        _ => None,
    }
}

/// Runs `f` on `data`, turning a panic into the name of the input.
fn replay(name: &str, f: fn(&[u8]), data: &[u8], failures: &mut Vec<String>) {
    if let Err(p) = catch_unwind(AssertUnwindSafe(|| f(data))) {
        let msg = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        failures.push(format!("{name}: {msg}"));
    }
}

fn regressions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions")
}

#[test]
fn every_kept_fuzz_input_replays_without_panic() {
    let Ok(entries) = std::fs::read_dir(regressions_dir()) else {
        return; // no inputs kept (yet): nothing to replay
    };
    let mut failures = Vec::new();
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".bin") {
            continue;
        }
        let f = target_fn(&name).unwrap_or_else(|| {
            panic!("{name}: name it <target>-<short-name>.bin, target mikey_decode, xml_check or cpns_check")
        });
        let data = std::fs::read(&path).unwrap();
        replay(&name, f, &data, &mut failures);
    }
    assert!(failures.is_empty(), "panicked:\n{}", failures.join("\n"));
}

/// A common header (version 1, data type 0, CSB ID 0, no crypto sessions, SRTP map) announcing
/// payload `next`, then `body`.
fn mikey_with(next: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![1, 0, next, 0, 0, 0, 0, 0, 0, 0];
    m.extend_from_slice(body);
    m
}

#[test]
fn mikey_with_every_length_field_at_0xffff() {
    // Every payload type (and every unassigned one) followed by octets that read as the largest
    // length every field can hold, too short to hold what they announce.
    let mut failures = Vec::new();
    for next in 0..=255u8 {
        for body in [&[0xff; 64][..], &[0xff; 3][..], &[0u8; 64][..]] {
            let m = mikey_with(next, body);
            replay(&format!("payload {next}"), mikey_decode, &m, &mut failures);
        }
    }
    // The header's own counts at their maxima: 255 crypto sessions, each map type.
    for map_type in 0..=3u8 {
        let mut m = vec![1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, map_type];
        m.extend_from_slice(&[0xff; 300]);
        replay(&format!("map {map_type}"), mikey_decode, &m, &mut failures);
    }
    // A long chain of KEMACs whose key-data lengths are all 0xFFFF.
    let mut m = mikey_with(1, &[]);
    for _ in 0..300 {
        m.extend_from_slice(&[1, 0, 0xff, 0xff, 20, 0xff, 0xff, 0xff, 0xff]);
    }
    replay("kemac chain", mikey_decode, &m, &mut failures);
    assert!(failures.is_empty(), "panicked:\n{}", failures.join("\n"));
}

#[test]
fn mikey_loader_on_hostile_text() {
    let mut failures = Vec::new();
    let huge = "A".repeat(1 << 20);
    let inputs: Vec<Vec<u8>> = vec![
        format!("a=key-mgmt:mikey {huge}").into_bytes(),
        b"a=key-mgmt:mikey \na=key-mgmt:mikey AQ==".to_vec(),
        b"0x".to_vec(),
        b"0x0".to_vec(),
        b"mikey".to_vec(),
        b"\xff\xfe\x00".to_vec(),
        "é".repeat(1000).into_bytes(),
    ];
    for (i, d) in inputs.iter().enumerate() {
        replay(&format!("loader {i}"), mikey_decode, d, &mut failures);
    }
    assert!(failures.is_empty(), "panicked:\n{}", failures.join("\n"));
}

const REGRSP: &str = "urn:3GPP:metadata:2005:MBMS:securityRegistrationResponse";
const BCAST: &str = "urn:oma:xml:bcast:pr:orderqueries:1.0";

#[test]
fn xml_deeply_nested_unclosed_prefix() {
    let mut failures = Vec::new();
    // Open elements only, never closed, past and just within the depth limit.
    for depth in [255, 256, 257, 5_000] {
        let mut doc = format!("<mbmsSecurityRegisterResponse xmlns=\"{REGRSP}\">");
        doc.push_str(&"<Response>".repeat(depth));
        replay(
            &format!("depth {depth}"),
            xml_check,
            doc.as_bytes(),
            &mut failures,
        );
    }
    // Deep nesting where the embedded MIKEY message is looked for.
    let mut doc =
        format!("<mbmsSecurityRegisterResponse xmlns=\"{REGRSP}\" xmlns:b=\"{BCAST}\"><Response>");
    doc.push_str(&"<b:RegistrationResponseResponseExtension>".repeat(300));
    doc.push_str("<b:LTKM>AQAF</b:LTKM>");
    replay("deep ltkm", xml_check, doc.as_bytes(), &mut failures);
    assert!(failures.is_empty(), "panicked:\n{}", failures.join("\n"));
}

#[test]
fn xml_with_hostile_embedded_mikey_and_text() {
    let mut failures = Vec::new();
    let ltkm = |text: &str| {
        format!(
            "<mbmsSecurityRegisterResponse xmlns=\"{REGRSP}\"><Response requesttype=\"register\">\
             <ResponseCode>200</ResponseCode><serviceID>s</serviceID>\
             <RegistrationResponseResponseExtension xmlns=\"{BCAST}\"><LTKM>{text}</LTKM>\
             </RegistrationResponseResponseExtension></Response></mbmsSecurityRegisterResponse>"
        )
    };
    // base64 of a header (no crypto sessions) announcing a KEMAC whose encrypted-data length
    // is 0xFFFF, followed by eight 0xFF octets.
    let kemac = "AQABAAAAAAAAAAAA/////////////w==";
    let cases = [
        ltkm(kemac),
        ltkm("////"),
        ltkm("="),
        ltkm(&"A".repeat(100_000)),
        ltkm("&#x0;&#xD800;&#1114112;"),
        // One very long line with a multi-byte character under the text renderer's window.
        format!("<x>{}</x", "é".repeat(10_000)),
        "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>".to_string(),
        "<!DOCTYPE a [<!ENTITY e \"&e;\">]><a>&e;</a>".to_string(),
    ];
    for (i, c) in cases.iter().enumerate() {
        replay(&format!("case {i}"), xml_check, c.as_bytes(), &mut failures);
    }
    assert!(failures.is_empty(), "panicked:\n{}", failures.join("\n"));
}

#[test]
fn cpns_trace_on_hostile_text() {
    let mut failures = Vec::new();
    let event = |seq: usize| {
        format!("{{\"seq\":{seq},\"actor\":\"CPNS\",\"peer\":\"PNE:p\",\"dir\":\"send\",\"msg\":\"GroupKeyDelivery\",\"sg_id\":\"s\",\"fields\":{{\"key_id\":\"k{seq}\"}}}}")
    };
    let many: String = std::iter::once("{\"cpns_trace\":1}".to_string())
        .chain((1..20_000).map(event))
        .collect::<Vec<_>>()
        .join("\n");
    let inputs: Vec<Vec<u8>> = vec![
        // Nesting past the reader's depth limit, in both forms.
        format!("cpns_trace: 1\nevents: {}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        format!("{{\"cpns_trace\":1}}\n{}", "{\"a\":".repeat(5_000)).into_bytes(),
        // An alias bomb: refused, never expanded.
        b"cpns_trace: 1\nx: &a [1,1,1,1,1,1,1,1]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nevents: [*b,*b]\n".to_vec(),
        b"cpns_trace: 1\n---\nevents: []\n".to_vec(),
        b"cpns_trace: 99\n".to_vec(),
        b"cpns_trace:\n".to_vec(),
        b"{\"cpns_trace\":1}\n\xff\xfe".to_vec(),
        b"{\"cpns_trace\":1}\n{\"seq\":18446744073709551616}".to_vec(),
        b"{\"msg\":\"SGReleaseRequest\"}".to_vec(),
        many.into_bytes(),
    ];
    for (i, d) in inputs.iter().enumerate() {
        replay(&format!("cpns {i}"), cpns_check, d, &mut failures);
    }
    assert!(failures.is_empty(), "panicked:\n{}", failures.join("\n"));
}
