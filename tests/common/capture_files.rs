//! Capture files for the tests: a classic pcap and a pcapng of given Ethernet frames, as
//! libpcap and Wireshark write them (little-endian, microsecond timestamps, one Ethernet
//! interface), and the MIKEY messages of the complete session vector. Shared by
//! `tests/pcap.rs`, `tests/flute_pcap.rs`, `tests/sip_pcap.rs`, `tests/hostile.rs` and
//! `tests/metamorphic/` (`#[path]` modules).

// Each test binary includes this file and uses only some of it.
#![allow(dead_code)]

/// A classic pcap (microseconds, Ethernet) of the frames, one second apart from `start`.
pub fn pcap(frames: &[Vec<u8>], start: u32) -> Vec<u8> {
    let mut header = Vec::new();
    header.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
    header.extend_from_slice(&2u16.to_le_bytes());
    header.extend_from_slice(&4u16.to_le_bytes());
    header.extend_from_slice(&0i32.to_le_bytes());
    header.extend_from_slice(&0u32.to_le_bytes());
    header.extend_from_slice(&65535u32.to_le_bytes());
    header.extend_from_slice(&1u32.to_le_bytes());
    let mut out = header;
    for (i, f) in frames.iter().enumerate() {
        for v in [start + i as u32, 0, f.len() as u32, f.len() as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(f);
    }
    out
}

/// A pcapng (section header, one Ethernet interface, enhanced packet blocks).
pub fn pcapng(frames: &[Vec<u8>]) -> Vec<u8> {
    fn block(kind: u32, body: &[u8]) -> Vec<u8> {
        let pad = (4 - body.len() % 4) % 4;
        let len = (12 + body.len() + pad) as u32;
        let mut b = Vec::new();
        b.extend_from_slice(&kind.to_le_bytes());
        b.extend_from_slice(&len.to_le_bytes());
        b.extend_from_slice(body);
        b.extend(std::iter::repeat_n(0u8, pad));
        b.extend_from_slice(&len.to_le_bytes());
        b
    }
    let mut shb = Vec::new();
    shb.extend_from_slice(&0x1A2B3C4Du32.to_le_bytes());
    shb.extend_from_slice(&1u16.to_le_bytes());
    shb.extend_from_slice(&0u16.to_le_bytes());
    shb.extend_from_slice(&(-1i64).to_le_bytes());
    let mut idb = Vec::new();
    idb.extend_from_slice(&1u16.to_le_bytes()); // Ethernet
    idb.extend_from_slice(&0u16.to_le_bytes());
    idb.extend_from_slice(&65535u32.to_le_bytes());
    let mut out = block(0x0A0D0D0A, &shb);
    out.extend(block(1, &idb));
    for (i, f) in frames.iter().enumerate() {
        let ts = 1_700_000_000_000_000u64 + i as u64 * 1_000_000;
        let mut epb = Vec::new();
        epb.extend_from_slice(&0u32.to_le_bytes());
        epb.extend_from_slice(&((ts >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(ts as u32).to_le_bytes());
        epb.extend_from_slice(&(f.len() as u32).to_le_bytes());
        epb.extend_from_slice(&(f.len() as u32).to_le_bytes());
        epb.extend_from_slice(f);
        out.extend(block(6, &epb));
    }
    out
}

/// The UDP MIKEY messages of the complete session vector
/// (`vectors/trace/complete-session.trace.yaml`), in order: (from the BSM?, bytes).
pub fn session_messages() -> Vec<(bool, Vec<u8>)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/trace/complete-session.trace.yaml");
    let v: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["events"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|e| {
            let hex = e["udp"]["hex"].as_str()?;
            let from_bsm = e["from"].as_str()?.starts_with("203.0.113.5");
            Some((from_bsm, hex::decode(hex).unwrap()))
        })
        .collect()
}
