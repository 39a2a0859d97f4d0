//! The format table's claims: sniffs never overlap on the project's inputs (so the sniff
//! order changes no verdict), endings are told by the longest, empty input is no format's.

use super::*;
use std::path::PathBuf;

fn settings() -> Settings {
    Settings::load(None, &[]).expect("settings")
}

fn inputs(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            inputs(&p, out);
        } else if p
            .file_name()
            .and_then(|n| by_name(&n.to_string_lossy()))
            .is_some()
        {
            out.push(p);
        }
    }
}

/// The order of the sniffs decides nothing where at most one claims an input: checked over
/// every vector and example.
#[test]
fn at_most_one_sniff_claims_each_vector_and_example() {
    let s = settings();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    inputs(&root.join("vectors"), &mut files);
    inputs(&root.join("examples"), &mut files);
    assert!(files.len() > 300, "{} inputs", files.len());
    for p in files {
        let bytes = read_file(&p, crate::bounded::Limit::max_bytes(1 << 24)).unwrap_or_default();
        let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
        let claims: Vec<&str> = FORMATS
            .iter()
            .filter(|f| f.sniff.is_some_and(|sniff| sniff(head, &s)))
            .map(|f| f.name)
            .collect();
        assert!(claims.len() <= 1, "{}: {claims:?}", p.display());
    }
}

#[test]
fn the_longest_ending_names_the_format() {
    let name = |n: &str| by_name(n).map(|f| f.name);
    assert_eq!(name("a.trace.yaml"), Some("session-trace"));
    assert_eq!(name("A.CPNS.JSONL"), Some("cpns-trace"));
    assert_eq!(name("x.y.msg.yaml"), Some("mikey-description"));
    assert_eq!(name("s.pcapng"), Some("pcap"));
    assert_eq!(name("notes.md"), Some("spec-document"));
    assert_eq!(name("settings.yaml"), None);
    assert_eq!(name("xml"), None);
    assert_eq!(name("axml"), None);
    assert_eq!(name(".xml"), None);
}

#[test]
fn every_ending_is_one_formats() {
    let mut seen = std::collections::BTreeSet::new();
    for f in FORMATS {
        for e in f.extensions {
            assert!(seen.insert(*e), "{e} is listed twice");
        }
    }
}

#[test]
fn empty_input_is_no_formats_whatever_its_kind() {
    let s = settings();
    for (bytes, why) in [
        (&b""[..], "empty input"),
        (b" \r\n\t", "empty input: 4 octets of white space only"),
        (
            b"\xEF\xBB\xBF\n",
            "empty input: 4 octets of white space only",
        ),
    ] {
        for kind in [
            None,
            Some("pcap"),
            Some("mikey"),
            Some("registration-request"),
        ] {
            assert_eq!(detect(bytes, kind, &s).err().as_deref(), Some(why));
        }
    }
}

#[test]
fn what_no_sniff_claims_is_xml_by_its_markup_else_mikey() {
    let s = settings();
    let name = |b: &[u8]| detect(b, None, &s).map(|f| f.name);
    assert_eq!(name(b"  <unknown/>"), Ok("xml"));
    assert_eq!(name(b"\xFF\xFE<\x00"), Ok("xml"));
    assert_eq!(name(b"01020304"), Ok("mikey"));
    assert_eq!(name(b"\xd4\xc3\xb2\xa1"), Ok("pcap"));
    assert_eq!(
        detect(b"x", Some("no-such-kind"), &s).err().as_deref(),
        Some("unknown kind 'no-such-kind'")
    );
    assert_eq!(detect(b"x", Some("ltkm"), &s).map(|f| f.name), Ok("mikey"));
    assert_eq!(detect(b"x", Some("pcap"), &s).map(|f| f.name), Ok("pcap"));
    assert_eq!(
        detect(b"x", Some("http-exchange"), &s).map(|f| f.name),
        Ok("http-exchange")
    );
}

/// `decode` refuses what holds no message with the table's reason; what `check` reads
/// message by message holds some.
#[test]
fn formats_without_messages_say_why() {
    for f in FORMATS {
        let nothing = matches!(f.holds, Holds::Nothing(_));
        let expected = matches!(
            f.reader,
            Reader::SessionTrace | Reader::CpnsTrace | Reader::SpecDocument
        );
        assert_eq!(nothing, expected, "{}", f.name);
    }
}
