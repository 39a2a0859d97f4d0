//! The carrier relation: a MIKEY message, an XML payload or an FDT wrapped in each carrier the
//! tool reads for its kind gets the content-level rule outcomes it gets on its own, judged as
//! the profile the carrier conveys (a SIP MESSAGE's MIKEY body is a CSK download, an LTKM
//! element's an LTKM, a FLUTE MTK object an MTK) or, where the carrier conveys none, as the
//! profile the tool infers from the message.

use crate::capture;
use crate::outcome::Outcome;
use crate::subject::{Content, Subject};
use crate::wire;

/// How a variant is read.
pub enum How {
    /// A file given to the library, with the sidecar's `--as` (the user names a file's kind).
    File,
    /// Standard input of the binary, with the sidecar's `--as`.
    Stdin,
    /// Inside a carrier, whose kind is detected; the content is judged as the profile the
    /// carrier conveys (MIKEY), or as the tool infers it.
    Carried { conveys: Option<&'static str> },
}

/// One input a vector's content is carried in.
pub struct Variant {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub how: How,
}

fn lib(name: &'static str, bytes: Vec<u8>, conveys: Option<&'static str>) -> Variant {
    Variant {
        name,
        bytes,
        how: How::Carried { conveys },
    }
}

fn file(name: &'static str, bytes: Vec<u8>) -> Variant {
    Variant {
        name,
        bytes,
        how: How::File,
    }
}

fn stdin(bytes: Vec<u8>) -> Variant {
    Variant {
        name: "stdin",
        bytes,
        how: How::Stdin,
    }
}

/// The carriers of a vector's content: standard input alone for SIP files, traces, HTTP
/// exchanges and the rest.
pub fn variants(s: &Subject) -> Vec<Variant> {
    match &s.content {
        Content::Mikey(octets) => mikey_variants(s, octets),
        Content::Xml { kind } => xml_variants(s, kind),
        // A trace that names files reads them beside itself, which standard input has not.
        Content::Trace if s.bytes.windows(5).any(|w| w == b"file:") => Vec::new(),
        Content::Sip | Content::Trace | Content::Http => vec![stdin(s.bytes.clone())],
        Content::Other if !s.side.spec => vec![stdin(s.bytes.clone())],
        Content::Other => Vec::new(),
    }
}

/// The MIKEY profiles a UDP push's `role` names (`docs/trace-format.md`).
const ROLES: &[&str] = &["ltkm", "msk", "mtk"];

fn mikey_variants(s: &Subject, m: &[u8]) -> Vec<Variant> {
    let inferred = s.check(m, None).kind;
    let mut out = vec![
        file("binary-file", m.to_vec()),
        file("hex-text", format!("{}\n", hex::encode(m)).into_bytes()),
        file("base64-text", format!("{}\n", wire::base64(m)).into_bytes()),
        stdin(m.to_vec()),
        lib("pcap-ipv4", wire::pcap(&wire::udp_frame(false, m)), None),
        lib("pcap-ipv6", wire::pcap(&wire::udp_frame(true, m)), None),
        lib(
            "pcapng-ipv4",
            wire::pcapng(&wire::udp_frame(false, m)),
            None,
        ),
        lib(
            "trace-udp-hex",
            wire::trace_udp(m, false, None, false).into_bytes(),
            None,
        ),
        lib(
            "trace-udp-base64",
            wire::trace_udp(m, true, None, false).into_bytes(),
            None,
        ),
        lib(
            "trace-udp-ipv6",
            wire::trace_udp(m, false, None, true).into_bytes(),
            None,
        ),
        lib(
            "trace-udp-ipv6-expanded",
            wire::trace_udp_expanded(m).into_bytes(),
            None,
        ),
        lib(
            "trace-udp-base64-lines",
            wire::trace_udp_base64_lines(m).into_bytes(),
            None,
        ),
        lib(
            "trace-flute-object",
            wire::trace_flute_object(m).into_bytes(),
            Some("mtk"),
        ),
        lib(
            "http-body",
            wire::http_exchange("application/mikey", b"", "application/mikey", m),
            None,
        ),
        lib("pcap-flute-object", capture::flute_mtk(m), Some("mtk")),
        lib(
            "pcap-http-body",
            capture::http_connection(
                false,
                &wire::http_request("application/mikey", b""),
                &wire::http_response("application/mikey", m),
            ),
            None,
        ),
        lib(
            "sip-message",
            wire::sip_message("application/mikey", m),
            Some("csk-download"),
        ),
        lib(
            "sip-message-base64",
            wire::sip_message("application/mikey", wire::base64(m).as_bytes()),
            Some("csk-download"),
        ),
        lib(
            "sip-message-multipart",
            wire::sip_multipart("application/mikey", m, true),
            Some("csk-download"),
        ),
        lib(
            "sip-message-base64-lines",
            wire::sip_message("application/mikey", wire::base64_lines(m, 76).as_bytes()),
            Some("csk-download"),
        ),
        lib(
            "xml-ltkm",
            wire::registration_response_with_ltkm(&wire::base64(m)).into_bytes(),
            Some("ltkm"),
        ),
    ];
    out.extend(sip_spelled(
        &wire::sip_multipart("application/mikey", m, true),
        Some("csk-download"),
    ));
    if let Some(role) = ROLES.iter().find(|r| **r == inferred) {
        out.push(lib(
            "trace-udp-role",
            wire::trace_udp(m, false, Some(role), false).into_bytes(),
            None,
        ));
    }
    out
}

/// The SIP spellings a SIP carrier is also written in (`spelling/sip.rs`): the content
/// they carry must be read the same.
const SIP_SPELLINGS: &[(&str, &str)] = &[
    ("sip-compact-forms", "sip-multipart+compact-forms"),
    ("sip-names-lower-case", "sip-multipart+names-lower-case"),
    ("sip-names-upper-case", "sip-multipart+names-upper-case"),
    ("sip-folded-values", "sip-multipart+folded-values"),
    ("sip-lws-around-colon", "sip-multipart+lws-around-colon"),
];

fn sip_spelled(sip: &[u8], conveys: Option<&'static str>) -> Vec<Variant> {
    SIP_SPELLINGS
        .iter()
        .filter_map(|(spelling, name)| {
            let bytes = crate::spelling::sip_respelled(sip, spelling)?;
            Some(lib(name, bytes, conveys))
        })
        .collect()
}

/// The media type a BCAST / MBMS payload kind travels as over HTTP (TS 26.346 11).
fn media_type(kind: &str) -> &'static str {
    match kind {
        "registration-request" => "application/mbms-register+xml",
        "deregistration-request" => "application/mbms-deregister+xml",
        "registration-response" | "deregistration-response" => {
            "application/mbms-register-response+xml"
        }
        "msk-request" => "application/mbms-msk+xml",
        "msk-response" => "application/mbms-msk-response+xml",
        "poc-settings" => "application/poc-settings+xml",
        "mcvideo-info" => "application/vnd.3gpp.mcvideo-info+xml",
        _ => "application/xml",
    }
}

fn xml_variants(s: &Subject, kind: &str) -> Vec<Variant> {
    let x = &s.bytes;
    let text = String::from_utf8_lossy(x);
    let mut out = vec![stdin(x.clone())];
    let ty = media_type(kind);
    // A trace is YAML text: it carries a body of UTF-8 only (a file it names could carry
    // any octets, but a test writes no files beside the vectors).
    let utf8 = std::str::from_utf8(x).is_ok();
    match kind {
        "registration-request" | "deregistration-request" | "msk-request" => {
            let ex = |body: &[u8]| wire::http_exchange(ty, body, "text/plain", b"");
            if utf8 {
                out.push(lib("trace-http-request", trace_of(ex, x), None));
            }
            out.push(lib("http-request-body", ex(x), None));
            let (request, response) = (
                wire::http_request(ty, x),
                wire::http_response("text/plain", b""),
            );
            out.push(lib(
                "pcap-http-request",
                capture::http_connection(false, &request, &response),
                None,
            ));
            out.push(lib(
                "pcap-http-request-ipv6",
                capture::http_connection(true, &request, &response),
                None,
            ));
        }
        k if k.starts_with("fdt") => {
            if utf8 {
                out.push(lib(
                    "trace-flute-fdt",
                    wire::trace_flute_fdt(&text).into_bytes(),
                    None,
                ));
            }
            out.push(lib("pcap-flute-fdt", capture::flute_session(x, &[]), None));
        }
        "poc-settings" => {
            let publish = wire::sip_publish(ty, x);
            out.extend(sip_spelled(&publish, None).into_iter().map(|mut v| {
                v.name = v.name.replace("multipart", "publish").leak();
                v
            }));
            out.push(lib("sip-publish-body", publish, None));
        }
        "mcvideo-info" => {
            out.push(lib("sip-message-body", wire::sip_message(ty, x), None));
            let multipart = wire::sip_multipart(ty, x, false);
            out.extend(sip_spelled(&multipart, None));
            out.push(lib("sip-message-multipart", multipart, None));
        }
        _ => {
            // Responses, and what the tool reads as no known kind: an HTTP response body.
            let ex = |body: &[u8]| wire::http_exchange("text/plain", b"", ty, body);
            if utf8 {
                out.push(lib("trace-http-response", trace_of(ex, x), None));
            }
            out.push(lib("http-response-body", ex(x), None));
            let (request, response) = (
                wire::http_request("text/plain", b""),
                wire::http_response(ty, x),
            );
            out.push(lib(
                "pcap-http-response",
                capture::http_connection(false, &request, &response),
                None,
            ));
            out.push(lib(
                "pcap-http-response-ipv6",
                capture::http_connection(true, &request, &response),
                None,
            ));
        }
    }
    out
}

/// A trace of one HTTP event holding a raw exchange. The trace reader makes every line end
/// CRLF, the body's too, so the exchange is built of a body whose line ends are CRLF already
/// (the same XML: a parser reads CRLF as LF), and its Content-Length counts them.
fn trace_of(exchange: impl Fn(&[u8]) -> Vec<u8>, body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body)
        .replace("\r\n", "\n")
        .replace('\n', "\r\n");
    let ex = exchange(text.as_bytes());
    wire::trace_http(&String::from_utf8_lossy(&ex)).into_bytes()
}

/// Variants with equal keys have the same baseline.
pub fn baseline_key(v: &Variant) -> Option<Option<&'static str>> {
    match v.how {
        How::File | How::Stdin => None,
        How::Carried { conveys } => Some(conveys),
    }
}

/// The standalone outcome a variant's content-level outcomes must equal.
pub fn baseline(s: &Subject, v: &Variant) -> Outcome {
    match (&s.content, &v.how) {
        (_, How::File | How::Stdin) => Outcome::of(&s.own()),
        (Content::Mikey(m), How::Carried { conveys }) => {
            Outcome::of(&mikey_standalone(s, m, *conveys))
        }
        _ => Outcome::of(&s.check(&s.bytes, None)),
    }
}

/// A MIKEY message judged on its own as `kind`, or as the profile the tool infers. A message
/// the tool does not recognise as MIKEY on its own is read as MIKEY (`--as mikey`): a carrier
/// that holds it (a MIKEY port, a MIKEY body) says it is one.
fn mikey_standalone(
    s: &Subject,
    m: &[u8],
    kind: Option<&str>,
) -> mikeyconf::internals::finding::CheckResult {
    let r = s.check(m, kind);
    if kind.is_none() && r.error.as_deref().is_some_and(|e| e.contains("--as")) {
        return s.check(m, Some("mikey"));
    }
    r
}

/// The variant judged.
pub fn judge(s: &Subject, v: &Variant) -> Result<Outcome, String> {
    let as_kind = s.side.as_kind.as_deref();
    match &v.how {
        How::Stdin => s.check_stdin(&v.bytes, as_kind),
        How::File => Ok(Outcome::of(&s.check(&v.bytes, as_kind))),
        How::Carried { .. } => Ok(Outcome::of(&s.check(&v.bytes, None))),
    }
}
