//! Packet captures of the carriers the capture readers follow beyond single datagrams: an
//! HTTP exchange in a TCP connection (`src/exchange/stream.rs`: port 80, a handshake, the
//! messages cut into segments, the connection closed), and a FLUTE session
//! (`src/flute/`: ALC/LCT packets, RFC 5775 and RFC 6726, to a multicast group, Compact
//! No-Code FEC) holding an FDT instance and, for an MTK, the MTK object it describes. Built
//! with etherparse as `tests/flute_pcap.rs` builds its captures, never hand-edited bytes.

use crate::wire;

/// The largest TCP payload or FLUTE symbol one frame carries here (an Ethernet MTU's worth).
const SEGMENT: usize = 1400;
const CLIENT_PORT: u16 = 40000;
const HTTP_PORT: u16 = 80;

/// One Ethernet frame of a TCP segment of the terminal's connection to the BSM.
fn tcp_frame(ipv6: bool, from_client: bool, seq: u32, flags: &str, payload: &[u8]) -> Vec<u8> {
    let eth = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2]);
    let (ports, ip) = if from_client {
        ((CLIENT_PORT, HTTP_PORT), (wire::UE_V4, wire::BSM_V4))
    } else {
        ((HTTP_PORT, CLIENT_PORT), (wire::BSM_V4, wire::UE_V4))
    };
    let ip = if ipv6 {
        let (s, d) = if from_client {
            (wire::UE_V6, wire::BSM_V6)
        } else {
            (wire::BSM_V6, wire::UE_V6)
        };
        eth.ipv6(s, d, 64)
    } else {
        eth.ipv4(ip.0, ip.1, 64)
    };
    let mut b = ip.tcp(ports.0, ports.1, seq, 65535);
    for f in flags.chars() {
        b = match f {
            'S' => b.syn(),
            'F' => b.fin(),
            _ => b.ack(1),
        };
    }
    let mut out = Vec::with_capacity(b.size(payload.len()));
    b.write(&mut out, payload).expect("a frame builds");
    out
}

/// A classic pcap of one HTTP/1.1 connection: the handshake, `request` from the terminal
/// and `response` from the BSM in segments of at most [`SEGMENT`] octets, then both FINs.
pub fn http_connection(ipv6: bool, request: &[u8], response: &[u8]) -> Vec<u8> {
    let (client_isn, server_isn) = (1000u32, 5000u32);
    let mut frames = vec![
        tcp_frame(ipv6, true, client_isn, "S", b""),
        tcp_frame(ipv6, false, server_isn, "SA", b""),
    ];
    let mut seq = client_isn + 1;
    for part in request.chunks(SEGMENT) {
        frames.push(tcp_frame(ipv6, true, seq, "A", part));
        seq += part.len() as u32;
    }
    let client_fin = seq;
    let mut seq = server_isn + 1;
    for part in response.chunks(SEGMENT) {
        frames.push(tcp_frame(ipv6, false, seq, "A", part));
        seq += part.len() as u32;
    }
    frames.push(tcp_frame(ipv6, false, seq, "FA", b""));
    frames.push(tcp_frame(ipv6, true, client_fin, "FA", b""));
    wire::capture_files::pcap(&frames, 1_700_000_000)
}

// ---------------------------------------------------------------------------------------
// FLUTE (RFC 6726) over ALC (RFC 5775) and LCT (RFC 5651)

/// The session's multicast group and ports, and its TSI.
const GROUP: [u8; 4] = [239, 255, 1, 1];
const FLUTE_SRC_PORT: u16 = 4000;
const FLUTE_PORT: u16 = 4001;
const TSI: u32 = 1;
/// The FDT instance ID of the one instance sent.
const FDT_INSTANCE: u32 = 1;

/// EXT_FDT (HET 192): FLUTE version 2 and the FDT instance ID.
fn ext_fdt(instance: u32) -> Vec<u8> {
    ((192u32 << 24) | (2 << 20) | instance)
        .to_be_bytes()
        .to_vec()
}

/// EXT_FTI (HET 64, HEL 4) for Compact No-Code (RFC 5445 3.2.2): the object in one source
/// block of symbols of [`SEGMENT`] octets.
fn fti_cnc(length: usize) -> Vec<u8> {
    let mut e = vec![64, 4];
    e.extend_from_slice(&(length as u64).to_be_bytes()[2..]);
    e.extend_from_slice(&[0, 0]);
    e.extend_from_slice(&(SEGMENT as u16).to_be_bytes());
    let symbols = length.div_ceil(SEGMENT).max(1) as u32;
    e.extend_from_slice(&symbols.to_be_bytes());
    e
}

/// An ALC packet: LCT header (V 1, C 0, S 1, O 1, H 0: TSI and TOI 32 bits each), the
/// extensions, the FEC Payload ID (SBN 0 and the ESI, 16 bits each) and the symbol.
fn alc(toi: u32, exts: &[Vec<u8>], esi: u16, symbol: &[u8]) -> Vec<u8> {
    let ext_len: usize = exts.iter().map(Vec::len).sum();
    let words = 4 + ext_len / 4;
    let mut p = vec![0x10, 0xa0, words as u8, 0];
    p.extend_from_slice(&[0; 4]); // CCI
    p.extend_from_slice(&TSI.to_be_bytes());
    p.extend_from_slice(&toi.to_be_bytes());
    for e in exts {
        p.extend_from_slice(e);
    }
    p.extend_from_slice(&[0, 0]);
    p.extend_from_slice(&esi.to_be_bytes());
    p.extend_from_slice(symbol);
    p
}

/// The packets of one object: a symbol each, every one with the object's FTI (and the
/// EXT_FDT when it is the FDT instance, TOI 0). An object of no octets is one empty packet.
fn object_packets(toi: u32, object: &[u8]) -> Vec<Vec<u8>> {
    let mut exts = Vec::new();
    if toi == 0 {
        exts.push(ext_fdt(FDT_INSTANCE));
    }
    exts.push(fti_cnc(object.len()));
    if object.is_empty() {
        return vec![alc(toi, &exts, 0, b"")];
    }
    object
        .chunks(SEGMENT)
        .enumerate()
        .map(|(esi, symbol)| alc(toi, &exts, esi as u16, symbol))
        .collect()
}

/// One Ethernet frame of UDP from the BM-SC to the session's multicast group.
fn flute_frame(payload: &[u8]) -> Vec<u8> {
    let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [1, 0, 0x5e, 0x7f, 1, 1])
        .ipv4(wire::BSM_V4, GROUP, 16)
        .udp(FLUTE_SRC_PORT, FLUTE_PORT);
    let mut out = Vec::with_capacity(b.size(payload.len()));
    b.write(&mut out, payload).expect("a frame builds");
    out
}

/// A classic pcap of one FLUTE session: the FDT instance `fdt`, then each of `objects`
/// (TOI, octets).
pub fn flute_session(fdt: &[u8], objects: &[(u32, &[u8])]) -> Vec<u8> {
    let mut packets = object_packets(0, fdt);
    for (toi, object) in objects {
        packets.extend(object_packets(*toi, object));
    }
    let frames: Vec<Vec<u8>> = packets.iter().map(|p| flute_frame(p)).collect();
    wire::capture_files::pcap(&frames, 1_795_000_000)
}

/// A FLUTE session in which the FDT of [`wire::MTK_FDT`] describes `mtk` as the MTK object
/// (TOI 2) beside content (TOI 1), as the trace carrier `trace-flute-object` has it.
pub fn flute_mtk(mtk: &[u8]) -> Vec<u8> {
    flute_session(wire::MTK_FDT.as_bytes(), &[(2, mtk)])
}
