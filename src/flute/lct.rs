//! One ALC packet (RFC 5775 4.1): the LCT header (RFC 5651 5.1) with its header extensions
//! (RFC 5651 5.2), the FEC Payload ID and the encoding symbols. Read without copying: every
//! field keeps the octet offset at which it starts in the UDP payload, lengths are checked
//! before each slice, and unknown header extensions are kept as they are.
//!
//! ```text
//!  0                   1                   2                   3
//!  |   V   | C |PSI|S| O |H|Res|A|B|   HDR_LEN     | Codepoint (CP)|   RFC 5651 5.1
//!  | Congestion Control Information (CCI, length = 32*(C+1) bits)  |
//!  |  Transport Session Identifier (TSI, length = 32*S+16*H bits)  |
//!  |   Transport Object Identifier (TOI, length = 32*O+16*H bits)  |
//!  |                Header Extensions (if applicable)              |
//! ```

/// The LCT version this reader knows (RFC 5651 5.1: "this specification: V = 1").
pub const LCT_VERSION: u8 = 1;
/// EXT_FTI, the FEC Object Transmission Information (RFC 5775 5.1.1, HET 64).
pub const EXT_FTI: u8 = 64;
/// EXT_FDT, the FDT instance header (RFC 3926 3.4.1 and RFC 6726 3.4.1, HET 192).
pub const EXT_FDT: u8 = 192;
/// EXT_CENC, the FDT instance's content encoding (RFC 6726 3.4.3, HET 193).
pub const EXT_CENC: u8 = 193;

/// One header extension (RFC 5651 5.2): HET below 128 has a length (HEL, in 32-bit words,
/// HET and HEL included); 128 and above is one 32-bit word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extension<'p> {
    pub het: u8,
    /// Offset of the HET octet in the packet.
    pub at: usize,
    /// The whole extension (HET first).
    pub bytes: &'p [u8],
}

impl<'p> Extension<'p> {
    /// The octets after HET (and HEL for a variable-length one).
    pub fn content(&self) -> &'p [u8] {
        let skip = if self.het < 128 { 2 } else { 1 };
        self.bytes.get(skip..).unwrap_or(&[])
    }
}

/// EXT_FDT (RFC 6726 3.4.1): `HET = 192 | V (4 bits) | FDT Instance ID (20 bits)`. V is the
/// FLUTE version: 1 for RFC 3926, 2 for RFC 6726.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtFdt {
    pub flute_version: u8,
    pub instance_id: u32,
}

/// An LCT header read from a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LctHeader<'p> {
    pub version: u8,
    /// C: the CCI is 32*(C+1) bits.
    pub c: u8,
    pub psi: u8,
    /// S, O, H: the TSI is 32*S+16*H bits, the TOI 32*O+16*H bits.
    pub s: u8,
    pub o: u8,
    pub h: u8,
    /// A: close session; B: close object.
    pub close_session: bool,
    pub close_object: bool,
    /// HDR_LEN in octets (the field counts 32-bit words).
    pub header_len: usize,
    pub codepoint: u8,
    pub cci: &'p [u8],
    pub tsi: u64,
    /// The TOI; TOIs wider than 64 bits are refused when read (`LctError::WideToi`).
    pub toi: u64,
    /// Offset of the TOI field (for findings).
    pub toi_at: usize,
    pub extensions: Vec<Extension<'p>>,
}

impl<'p> LctHeader<'p> {
    /// The first extension of type `het`.
    pub fn extension(&self, het: u8) -> Option<&Extension<'p>> {
        self.extensions.iter().find(|e| e.het == het)
    }

    /// EXT_FDT, when present.
    pub fn ext_fdt(&self) -> Option<ExtFdt> {
        let e = self.extension(EXT_FDT)?;
        let word = u32::from_be_bytes(e.bytes.get(..4)?.try_into().ok()?);
        Some(ExtFdt {
            flute_version: ((word >> 20) & 0x0f) as u8,
            instance_id: word & 0x000f_ffff,
        })
    }

    /// EXT_CENC's content encoding (RFC 6726 3.4.3: 0 null, 1 ZLIB, 2 DEFLATE, 3 GZIP).
    pub fn ext_cenc(&self) -> Option<u8> {
        self.extension(EXT_CENC)?.bytes.get(1).copied()
    }
}

/// Why a UDP payload is not an LCT packet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LctError {
    #[error("{0} octets: shorter than an LCT header")]
    Short(usize),
    #[error("LCT version {0} (RFC 5651 defines version 1)")]
    Version(u8),
    #[error("HDR_LEN {words} words ({octets} octets) is less than the fixed fields' {fixed} octets or more than the packet's {len}")]
    HeaderLength {
        words: u8,
        octets: usize,
        fixed: usize,
        len: usize,
    },
    #[error("a header extension at offset {0} runs past HDR_LEN or has HEL 0")]
    Extension(usize),
    #[error("a TOI of {0} bits with a non-zero value above 64 bits (not read)")]
    WideToi(usize),
}

fn be(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b))
}

/// Reads the LCT header at the start of `p`.
pub fn read_header(p: &[u8]) -> Result<LctHeader<'_>, LctError> {
    let [b0, b1, hdr_len, codepoint, ..] = *p else {
        return Err(LctError::Short(p.len()));
    };
    let version = b0 >> 4;
    if version != LCT_VERSION {
        return Err(LctError::Version(version));
    }
    let c = (b0 >> 2) & 0x03;
    let psi = b0 & 0x03;
    let s = b1 >> 7;
    let o = (b1 >> 5) & 0x03;
    let h = (b1 >> 4) & 0x01;
    let cci_len = 4 * (usize::from(c) + 1);
    let tsi_len = 4 * usize::from(s) + 2 * usize::from(h);
    let toi_len = 4 * usize::from(o) + 2 * usize::from(h);
    let fixed = 4 + cci_len + tsi_len + toi_len;
    let header_len = 4 * usize::from(hdr_len);
    if header_len < fixed || header_len > p.len() {
        return Err(LctError::HeaderLength {
            words: hdr_len,
            octets: header_len,
            fixed,
            len: p.len(),
        });
    }
    let cci = &p[4..4 + cci_len];
    let tsi_at = 4 + cci_len;
    let toi_at = tsi_at + tsi_len;
    let tsi = be(&p[tsi_at..toi_at]);
    let toi_field = &p[toi_at..fixed];
    // A TOI up to 112 bits (RFC 5651 5.1): the value must fit 64 bits to be an FDT TOI
    // (xs:positiveInteger read as u64 by the trace's events).
    let (high, low) = toi_field.split_at(toi_field.len().saturating_sub(8));
    if high.iter().any(|b| *b != 0) {
        return Err(LctError::WideToi(toi_len * 8));
    }
    let toi = be(low);
    let mut extensions = Vec::new();
    let mut at = fixed;
    while at < header_len {
        let het = p[at];
        let len = if het < 128 {
            4 * usize::from(*p.get(at + 1).ok_or(LctError::Extension(at))?)
        } else {
            4
        };
        let end = at.checked_add(len).ok_or(LctError::Extension(at))?;
        if len == 0 || end > header_len {
            return Err(LctError::Extension(at));
        }
        extensions.push(Extension {
            het,
            at,
            bytes: &p[at..end],
        });
        at = end;
    }
    Ok(LctHeader {
        version,
        c,
        psi,
        s,
        o,
        h,
        close_session: b1 & 0x02 != 0,
        close_object: b1 & 0x01 != 0,
        header_len,
        codepoint,
        cci,
        tsi,
        toi,
        toi_at,
        extensions,
    })
}

/// The FEC Payload ID of the FEC schemes read here: Source Block Number and Encoding Symbol
/// ID, 16 bits each, for Compact No-Code (RFC 5445 3.2.1, FEC Encoding ID 0) and Raptor
/// (RFC 5053 3.2.1, FEC Encoding ID 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayloadId {
    pub sbn: u32,
    pub esi: u32,
}

/// An ALC packet: its LCT header, then (for a FEC scheme this reader knows) the FEC Payload
/// ID and the encoding symbols.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlcPacket<'p> {
    pub lct: LctHeader<'p>,
    /// The FEC Encoding ID: FLUTE carries it in the LCT Codepoint (RFC 3926 5.1, RFC 6726
    /// 5.1; so the FLUTE sender of github.com/ypo/flute writes it, `alc.rs`, and Wireshark's
    /// ALC dissector reads it). See docs/interpretation.md, "FLUTE in captures".
    pub fec_encoding_id: u8,
    /// None for a FEC scheme whose Payload ID this reader does not know.
    pub payload_id: Option<PayloadId>,
    /// The encoding symbol(s) after the FEC Payload ID (empty when it is unknown).
    pub symbols: &'p [u8],
    /// Offset of `symbols` in the packet.
    pub symbols_at: usize,
}

/// Reads an ALC packet.
pub fn read_alc(p: &[u8]) -> Result<AlcPacket<'_>, LctError> {
    let lct = read_header(p)?;
    let fec_encoding_id = lct.codepoint;
    let at = lct.header_len;
    let (payload_id, symbols_at) = match fec_encoding_id {
        0 | 1 => match p.get(at..at + 4) {
            Some(id) => (
                Some(PayloadId {
                    sbn: u32::from(u16::from_be_bytes([id[0], id[1]])),
                    esi: u32::from(u16::from_be_bytes([id[2], id[3]])),
                }),
                at + 4,
            ),
            None => return Err(LctError::Short(p.len())),
        },
        _ => (None, p.len()),
    };
    Ok(AlcPacket {
        symbols: &p[symbols_at..],
        symbols_at,
        lct,
        fec_encoding_id,
        payload_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// V=1, C=0, S=1, O=1, H=0; HDR_LEN 5 words (4 fixed + EXT_FDT), codepoint 0.
    fn fdt_packet() -> Vec<u8> {
        let mut p = vec![0x10, 0xa0, 5, 0];
        p.extend_from_slice(&[0, 0, 0, 0]); // CCI
        p.extend_from_slice(&7u32.to_be_bytes()); // TSI
        p.extend_from_slice(&0u32.to_be_bytes()); // TOI
        p.extend_from_slice(&[192, 0x20, 0x00, 0x05]); // EXT_FDT V=2, instance 5
        p.extend_from_slice(&[0, 0, 0, 3]); // SBN 0, ESI 3
        p.extend_from_slice(b"<FDT");
        p
    }

    #[test]
    fn reads_the_fields_and_ext_fdt() {
        let p = fdt_packet();
        let a = read_alc(&p).unwrap();
        assert_eq!((a.lct.tsi, a.lct.toi, a.lct.header_len), (7, 0, 20));
        assert_eq!(
            a.lct.ext_fdt(),
            Some(ExtFdt {
                flute_version: 2,
                instance_id: 5
            })
        );
        assert_eq!(a.payload_id, Some(PayloadId { sbn: 0, esi: 3 }));
        assert_eq!((a.symbols, a.symbols_at), (&b"<FDT"[..], 24));
    }

    #[test]
    fn unknown_extensions_are_kept_and_bad_lengths_refused() {
        let mut p = fdt_packet();
        p[2] = 7; // two more words: an unknown variable-length extension of HEL 2
        p.splice(20..20, [9, 2, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
        let a = read_alc(&p).unwrap();
        let kinds: Vec<u8> = a.lct.extensions.iter().map(|e| e.het).collect();
        assert_eq!(kinds, vec![192, 9]);
        assert_eq!(
            a.lct.extensions[1].content(),
            &[0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]
        );
        p[21] = 0; // HEL 0
        assert_eq!(read_alc(&p), Err(LctError::Extension(20)));
        p[21] = 9; // past HDR_LEN
        assert_eq!(read_alc(&p), Err(LctError::Extension(20)));
    }

    #[test]
    fn short_wrong_version_and_bad_hdr_len_are_errors_not_panics() {
        for n in 0..24 {
            let _ = read_alc(&fdt_packet()[..n]);
        }
        let mut p = fdt_packet();
        p[0] = 0x20;
        assert_eq!(read_alc(&p), Err(LctError::Version(2)));
        let mut p = fdt_packet();
        p[2] = 2;
        assert!(matches!(read_alc(&p), Err(LctError::HeaderLength { .. })));
        let mut p = fdt_packet();
        p[2] = 255;
        assert!(matches!(read_alc(&p), Err(LctError::HeaderLength { .. })));
    }
}
