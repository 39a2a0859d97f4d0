//! Builders of the carriers an input is wrapped in: packet captures (built with etherparse,
//! as tests/pcap.rs builds them), session traces, raw HTTP exchanges, SIP messages and a BCAST
//! XML response holding an LTKM. Each builds the smallest carrier the tool reads.

use base64::Engine as _;

#[path = "../common/capture_files.rs"]
pub mod capture_files;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

pub fn base64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

/// The BSM and terminal addresses of the captures and traces.
pub const BSM_V4: [u8; 4] = [203, 0, 113, 5];
pub const UE_V4: [u8; 4] = [10, 0, 0, 7];
pub const BSM_V6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5];
pub const UE_V6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7];
pub const MIKEY_PORT: u16 = 2269;

/// One Ethernet frame of a UDP datagram from the BSM to the terminal on the MIKEY port.
pub fn udp_frame(ipv6: bool, payload: &[u8]) -> Vec<u8> {
    let eth = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2]);
    let b = if ipv6 {
        eth.ipv6(BSM_V6, UE_V6, 64)
    } else {
        eth.ipv4(BSM_V4, UE_V4, 64)
    }
    .udp(MIKEY_PORT, MIKEY_PORT);
    let mut out = Vec::with_capacity(b.size(payload.len()));
    b.write(&mut out, payload).expect("a frame builds");
    out
}

/// A classic pcap (microseconds, Ethernet) of one frame.
pub fn pcap(frame: &[u8]) -> Vec<u8> {
    capture_files::pcap(&[frame.to_vec()], 1_700_000_000)
}

/// A pcapng (section header, one Ethernet interface, one enhanced packet block).
pub fn pcapng(frame: &[u8]) -> Vec<u8> {
    capture_files::pcapng(&[frame.to_vec()])
}

/// A YAML double-quoted scalar of `text`.
pub fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// A trace of one event (its YAML lines after `- `), from the BSM to the terminal.
pub fn trace(event: &str, ipv6: bool) -> String {
    let (from, to) = if ipv6 {
        ("'[2001:db8::5]:2269'", "'[2001:db8::7]:2269'")
    } else {
        ("203.0.113.5:2269", "10.0.0.7:2269")
    };
    format!("trace: 1\nevents:\n- at: '2026-11-22T10:00:00Z'\n  from: {from}\n  to: {to}\n{event}")
}

/// A trace UDP event carrying a MIKEY message, as hex or base64, with an optional role.
pub fn trace_udp(message: &[u8], as_base64: bool, role: Option<&str>, ipv6: bool) -> String {
    let role = role.map_or(String::new(), |r| format!("  role: {r}\n"));
    let body = if as_base64 {
        format!("  udp:\n    base64: {}\n", base64(message))
    } else {
        format!("  udp:\n    hex: {}\n", hex::encode(message))
    };
    trace(&format!("{role}{body}"), ipv6)
}

/// A trace UDP event whose addresses are written with all eight groups in full.
pub fn trace_udp_expanded(message: &[u8]) -> String {
    format!(
        "trace: 1\nevents:\n- at: '2026-11-22T10:00:00Z'\n  from: '[2001:0db8:0000:0000:0000:0000:0000:0005]:2269'\n  to: '[2001:0db8:0000:0000:0000:0000:0000:0007]:2269'\n  udp:\n    hex: {}\n",
        hex::encode(message)
    )
}

/// A trace UDP event whose base64 is broken into lines (a YAML literal block).
pub fn trace_udp_base64_lines(message: &[u8]) -> String {
    let lines = base64_lines(message, 60).replace("\r\n", "\n      ");
    trace(&format!("  udp:\n    base64: |\n      {lines}\n"), false)
}

/// An FDT instance that lists one MTK object (TOI 2) beside content (TOI 1).
pub const MTK_FDT: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FDT-Instance xmlns=\"urn:ietf:params:xml:ns:fdt\" Expires=\"3600000000\">\n  <File TOI=\"1\" Content-Location=\"http://example.com/show.3gp\" Content-Type=\"video/3gpp\"/>\n  <File TOI=\"2\" Content-Location=\"http://example.com/show.mtk\" Content-Type=\"application/mikey\"/>\n</FDT-Instance>\n";

/// A FLUTE session event whose FDT ([`MTK_FDT`]) lists the MTK object.
pub fn trace_flute_object(message: &[u8]) -> String {
    format!(
        "trace: 1\nevents:\n- at: '2026-11-22T10:00:00Z'\n  flute:\n    session: flute-1\n    fdt: {}\n    objects:\n      2:\n        hex: {}\n",
        yaml_string(MTK_FDT),
        hex::encode(message)
    )
}

/// A FLUTE session event whose FDT is `fdt`, with no objects.
pub fn trace_flute_fdt(fdt: &str) -> String {
    format!(
        "trace: 1\nevents:\n- at: '2026-11-22T10:00:00Z'\n  flute:\n    session: flute-1\n    fdt: {}\n",
        yaml_string(fdt)
    )
}

/// A trace HTTP event of a raw exchange (LF line ends; the trace reader makes them CRLF).
pub fn trace_http(exchange: &str) -> String {
    format!(
        "trace: 1\nevents:\n- at: '2026-11-22T10:00:00Z'\n  from: 10.0.0.7:40000\n  to: 203.0.113.5:80\n  http:\n    raw: {}\n",
        yaml_string(exchange)
    )
}

/// An HTTP message: start line, headers (CRLF), a Content-Length, then the body.
fn http_message(start: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("{start}\r\n");
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// A raw HTTP exchange: a POST with `request_body` (typed `request_type`) answered 200 with
/// `response_body` (typed `response_type`).
pub fn http_exchange(
    request_type: &str,
    request_body: &[u8],
    response_type: &str,
    response_body: &[u8],
) -> Vec<u8> {
    let mut out = http_request(request_type, request_body);
    if !request_body.ends_with(b"\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend(http_response(response_type, response_body));
    out
}

/// The POST of [`http_exchange`], as it goes on the wire.
pub fn http_request(content_type: &str, body: &[u8]) -> Vec<u8> {
    http_message(
        "POST /keymanagement?requesttype=register HTTP/1.1",
        &[
            ("Host", "bmsc.operator.com"),
            ("Content-Type", content_type),
        ],
        body,
    )
}

/// The 200 OK of [`http_exchange`], as it goes on the wire.
pub fn http_response(content_type: &str, body: &[u8]) -> Vec<u8> {
    http_message("HTTP/1.1 200 OK", &[("Content-Type", content_type)], body)
}

/// The start of a SIP MESSAGE from the MCVideo server to a client.
fn sip_message_head(content_type: &str, length: usize) -> String {
    format!(
        "MESSAGE sip:alice@example.com SIP/2.0\r\nVia: SIP/2.0/UDP mcvideo.example.com;branch=z9hG4bK-mm1\r\nMax-Forwards: 70\r\nFrom: <sip:mcvideo-psi@example.com>;tag=m1\r\nTo: <sip:alice@example.com>\r\nCall-ID: mm-1\r\nCSeq: 1 MESSAGE\r\nAccept-Contact: *;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mcvideo\";require;explicit\r\nP-Asserted-Service: urn:urn-7:3gpp-service.ims.icsi.mcvideo\r\nP-Asserted-Identity: <sip:mcvideo-psi@example.com>\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    )
}

/// A SIP MESSAGE whose body is `body` of `content_type`.
pub fn sip_message(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = sip_message_head(content_type, body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The mcvideo-info part that goes with a CSK download (TS 24.281 7.2.5).
const MCVIDEO_INFO: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<mcvideoinfo xmlns=\"urn:3gpp:ns:mcvideoInfo:1.0\">\r\n  <mcvideo-Params>\r\n    <mcvideo-request-uri type=\"Normal\"><mcvideoURI>sip:alice@example.com</mcvideoURI></mcvideo-request-uri>\r\n  </mcvideo-Params>\r\n</mcvideoinfo>";

/// A SIP MESSAGE with a multipart/mixed body: an mcvideo-info part, then `part` (its
/// Content-Type and octets), as MCVideo sends a CSK download; or `part` first when `first`.
pub fn sip_multipart(part_type: &str, part: &[u8], with_info: bool) -> Vec<u8> {
    let mut body = Vec::new();
    if with_info {
        body.extend_from_slice(
            format!(
                "--mcv-b\r\nContent-Type: application/vnd.3gpp.mcvideo-info+xml\r\n\r\n{MCVIDEO_INFO}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--mcv-b\r\nContent-Type: {part_type}\r\n\r\n").as_bytes());
    body.extend_from_slice(part);
    body.extend_from_slice(b"\r\n--mcv-b--\r\n");
    sip_message("multipart/mixed;boundary=mcv-b", &body)
}

/// A SIP PUBLISH of `body` (poc-settings), as the MCVideo client sends its settings.
pub fn sip_publish(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "PUBLISH sip:alice@example.com SIP/2.0\r\nVia: SIP/2.0/UDP ue.example.com;branch=z9hG4bK-pb1\r\nMax-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=pub-1\r\nTo: <sip:alice@example.com>\r\nCall-ID: pub-1\r\nCSeq: 1 PUBLISH\r\nP-Asserted-Identity: <sip:alice@example.com>\r\nEvent: poc-settings\r\nExpires: 7200\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A registration response whose one 200 OK service carries `ltkm` (base64 text) as an LTKM.
pub fn registration_response_with_ltkm(ltkm: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mbmsSecurityRegisterResponse xmlns=\"urn:3GPP:metadata:2005:MBMS:securityRegistrationResponse\" xmlns:bcast=\"urn:oma:xml:bcast:pr:orderqueries:1.0\">\n  <Response>\n    <serviceID>urn:3gpp:mbms:example:service:identification:123456789abcdef</serviceID>\n    <ResponseCode>200 OK</ResponseCode>\n    <bcast:RegistrationResponseResponseExtension>\n      <bcast:LTKM>{ltkm}</bcast:LTKM>\n    </bcast:RegistrationResponseResponseExtension>\n  </Response>\n</mbmsSecurityRegisterResponse>\n"
    )
}

/// Base64 text broken into CRLF-ended lines of `width` characters (RFC 2045 6.8).
pub fn base64_lines(bytes: &[u8], width: usize) -> String {
    base64(bytes)
        .as_bytes()
        .chunks(width)
        .map(|c| String::from_utf8_lossy(c).to_string())
        .collect::<Vec<_>>()
        .join("\r\n")
}
