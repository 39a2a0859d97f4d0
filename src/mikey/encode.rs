//! Encoder: an owned, serde-deserialisable [`MessageSpec`] that builds bytes,
//! and [`encode`] for decoded [`Message`]s (via `MessageSpec::from`).
//!
//! In a spec, every `next_payload` and length field is optional: when absent
//! it is computed (next payload = type of the following payload, 0 for the
//! last; lengths = actual data lengths). When present it is written as given,
//! which allows malformed test vectors. `Raw` payloads and raw map info are
//! written verbatim. Byte fields are hex strings (spaces and colons allowed)
//! or `"text:..."` for UTF-8 text.

use super::spec::*;
use super::Message;

/// Byte writer that records (but survives) field overflows.
struct W {
    out: Vec<u8>,
    errors: Vec<EncodeError>,
}

impl W {
    fn u8(&mut self, v: u8) {
        self.out.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.out.extend_from_slice(&v.to_be_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_be_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.out.extend_from_slice(b);
    }
    /// Value of a length field: the override, or `actual` checked against `max`.
    fn len(&mut self, what: &'static str, over: Option<usize>, actual: usize, max: usize) -> usize {
        match over {
            Some(v) => v & max,
            None => {
                if actual > max {
                    self.errors.push(EncodeError::TooLong {
                        what,
                        len: actual,
                        max,
                    });
                }
                actual & max
            }
        }
    }
    fn bits(&mut self, what: &'static str, v: usize, max: usize) -> usize {
        if v > max {
            self.errors.push(EncodeError::TooLong { what, len: v, max });
        }
        v & max
    }
    /// `len8 | data` with an optional length override.
    fn lv8(&mut self, what: &'static str, over: Option<u8>, data: &[u8]) {
        let l = self.len(what, over.map(usize::from), data.len(), 0xff);
        self.u8(l as u8);
        self.bytes(data);
    }
    fn lv16(&mut self, what: &'static str, over: Option<u16>, data: &[u8]) {
        let l = self.len(what, over.map(usize::from), data.len(), 0xffff);
        self.u16(l as u16);
        self.bytes(data);
    }
    fn kv(&mut self, kv: &KvSpec) {
        match kv {
            KvSpec::Null => {}
            KvSpec::Spi { spi_len, spi } => self.lv8("SPI length", *spi_len, &spi.0),
            KvSpec::Interval {
                vf_len,
                valid_from,
                vt_len,
                valid_to,
            } => {
                self.lv8("VF length", *vf_len, &valid_from.0);
                self.lv8("VT length", *vt_len, &valid_to.0);
            }
        }
    }
    fn ts(&mut self, ts_type: u8, value: u64) {
        match super::TsType(ts_type).value_len() {
            Some(8) => self.out.extend_from_slice(&value.to_be_bytes()),
            Some(_) => {
                let v = self.bits("32-bit TS value", value as usize, 0xffff_ffff);
                self.u32(v as u32)
            }
            None => self.errors.push(EncodeError::UnknownTsType(ts_type)),
        }
    }
    fn key_data(&mut self, k: &KeyDataSpec, np: u8) {
        self.u8(k.next_payload.unwrap_or(np));
        let kv_type = k.kv_type.unwrap_or(k.kv.kv_type());
        let t = self.bits("key data type", k.key_type as usize, 0x0f);
        let kv = self.bits("KV type", kv_type as usize, 0x0f);
        self.u8(((t << 4) | kv) as u8);
        self.lv16("key data length", k.key_len, &k.key.0);
        match &k.salt {
            Some(s) => self.lv16("salt length", k.salt_len, &s.0),
            None if super::KeyDataType(k.key_type).has_salt() => {
                self.lv16("salt length", k.salt_len, &[])
            }
            None => {}
        }
        self.kv(&k.kv);
    }
    fn key_data_chain(&mut self, list: &[KeyDataSpec]) {
        for (i, k) in list.iter().enumerate() {
            let np = if i + 1 < list.len() { 20 } else { 0 };
            self.key_data(k, np);
        }
    }
}

fn sub(f: impl FnOnce(&mut W), errors: &mut Vec<EncodeError>) -> Vec<u8> {
    let mut w = W {
        out: Vec::new(),
        errors: Vec::new(),
    };
    f(&mut w);
    errors.append(&mut w.errors);
    w.out
}

impl MessageSpec {
    /// Builds the message bytes. Fails when a length does not fit its field
    /// (without an explicit override) or a TS type has no known size.
    pub fn to_bytes(&self) -> Result<Vec<u8>, EncodeError> {
        let w = self.write();
        match w.errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(w.out),
        }
    }

    fn write(&self) -> W {
        let mut w = W {
            out: Vec::new(),
            errors: Vec::new(),
        };
        let h = &self.header;
        let first = self.payloads.first().map(|p| p.payload_type()).unwrap_or(0);
        w.u8(h.version);
        w.u8(h.data_type);
        w.u8(h.next_payload.unwrap_or(first));
        let prf = w.bits("PRF func", h.prf as usize, 0x7f) as u8;
        w.u8(if h.v { 0x80 } else { 0 } | prf);
        w.u32(h.csb_id);
        let (count, map_type) = match &h.cs_id_map {
            CsIdMapSpec::SrtpId { entries } => (entries.len(), Some(0)),
            CsIdMapSpec::Empty => (0, Some(1)),
            CsIdMapSpec::GenericId { entries } => (entries.len(), Some(2)),
            CsIdMapSpec::Raw { .. } => (0, None),
        };
        let count = w.len("#CS", h.cs_count.map(usize::from), count, 0xff);
        w.u8(count as u8);
        match h.cs_id_map_type.or(map_type) {
            Some(t) => w.u8(t),
            None => {
                w.errors.push(EncodeError::RawMapNeedsType);
                w.u8(0xff)
            }
        }
        match &h.cs_id_map {
            CsIdMapSpec::SrtpId { entries } => {
                for e in entries {
                    w.u8(e.policy_no);
                    w.u32(e.ssrc);
                    w.u32(e.roc);
                }
            }
            CsIdMapSpec::Empty => {}
            CsIdMapSpec::GenericId { entries } => {
                for e in entries {
                    w.u8(e.cs_id);
                    w.u8(e.prot_type);
                    let p = w.bits("#P", e.policies.len(), 0x7f) as u8;
                    w.u8(if e.s { 0x80 } else { 0 } | p);
                    w.bytes(&e.policies);
                    w.lv16("Session Data Length", e.session_data_len, &e.session_data.0);
                    w.lv8("SPI Length", e.spi_len, &e.spi.0);
                }
            }
            CsIdMapSpec::Raw { data } => w.bytes(&data.0),
        }
        for (i, p) in self.payloads.iter().enumerate() {
            let auto = self
                .payloads
                .get(i + 1)
                .map(|n| n.payload_type())
                .unwrap_or(0);
            write_payload(&mut w, p, auto);
        }
        w
    }
}

fn write_payload(w: &mut W, p: &PayloadSpec, auto_np: u8) {
    let np = |o: Option<u8>| o.unwrap_or(auto_np);
    match p {
        PayloadSpec::Kemac(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.encr_alg);
            let data = match (&k.encr_data, &k.key_data) {
                (Some(d), _) => d.0.clone(),
                (None, Some(list)) => sub(|s| s.key_data_chain(list), &mut w.errors),
                (None, None) => Vec::new(),
            };
            w.lv16("KEMAC encr data len", k.encr_data_len, &data);
            w.u8(k.mac_alg);
            w.bytes(&k.mac.0);
        }
        PayloadSpec::Pke(k) => {
            w.u8(np(k.next_payload));
            let l = w.len(
                "PKE data len",
                k.data_len.map(usize::from),
                k.data.0.len(),
                0x3fff,
            );
            let c = w.bits("PKE C", k.cache as usize, 3);
            w.u16(((c << 14) | l) as u16);
            w.bytes(&k.data.0);
        }
        PayloadSpec::Dh(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.group);
            w.bytes(&k.value.0);
            let res = w.bits("DH reserved", k.reserved as usize, 0x0f);
            let kv = w.bits(
                "KV type",
                k.kv_type.unwrap_or(k.kv.kv_type()) as usize,
                0x0f,
            );
            w.u8(((res << 4) | kv) as u8);
            w.kv(&k.kv);
        }
        PayloadSpec::Sign(k) => {
            let l = w.len(
                "SIGN signature len",
                k.sig_len.map(usize::from),
                k.signature.0.len(),
                0x0fff,
            );
            let t = w.bits("S type", k.sign_type as usize, 0x0f);
            w.u16(((t << 12) | l) as u16);
            w.bytes(&k.signature.0);
        }
        PayloadSpec::T(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.ts_type);
            w.ts(k.ts_type, k.value);
        }
        PayloadSpec::Id(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.id_type);
            w.lv16("ID len", k.id_len, &k.id.0);
        }
        PayloadSpec::Cert(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.cert_type);
            w.lv16("Cert len", k.cert_len, &k.cert.0);
        }
        PayloadSpec::Chash(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.hash_func);
            w.bytes(&k.hash.0);
        }
        PayloadSpec::V(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.auth_alg);
            w.bytes(&k.ver_data.0);
        }
        PayloadSpec::Sp(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.policy_no);
            w.u8(k.prot_type);
            let data = match (&k.params_raw, &k.params) {
                (Some(r), _) => r.0.clone(),
                (None, Some(list)) => sub(
                    |s| {
                        for p in list {
                            s.u8(p.param_type);
                            s.lv8("SP param length", p.param_len, &p.value.0);
                        }
                    },
                    &mut w.errors,
                ),
                (None, None) => Vec::new(),
            };
            w.lv16("SP policy param length", k.params_len, &data);
        }
        PayloadSpec::Rand(k) => {
            w.u8(np(k.next_payload));
            w.lv8("RAND len", k.rand_len, &k.rand.0);
        }
        PayloadSpec::Err(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.error_no);
            w.u16(k.reserved);
        }
        PayloadSpec::Tr(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.role);
            w.u8(k.ts_type);
            w.ts(k.ts_type, k.value);
        }
        PayloadSpec::Idr(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.role);
            w.u8(k.id_type);
            w.lv16("IDR ID len", k.id_len, &k.id.0);
        }
        PayloadSpec::Randr(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.role);
            w.lv8("RANDR len", k.rand_len, &k.rand.0);
        }
        PayloadSpec::Tp(k) => {
            w.u8(np(k.next_payload));
            write_tp(w, k);
        }
        PayloadSpec::Ticket(k) => {
            w.u8(np(k.policy.next_payload));
            write_tp(w, &k.policy);
            w.lv16(
                "TICKET ticket data length",
                k.ticket_data_len,
                &k.ticket_data.0,
            );
            w.lv16(
                "TICKET initiator data length",
                k.initiator_data_len,
                &k.initiator_data.0,
            );
        }
        PayloadSpec::KeyData(k) => w.key_data(k, auto_np),
        PayloadSpec::Ext(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.ext_type);
            let data = match (&k.data, &k.key_ids) {
                (Some(d), _) => d.0.clone(),
                (None, Some(ids)) => sub(
                    |s| {
                        for id in ids {
                            s.u8(id.key_id_type);
                            s.lv8("Key ID length", id.key_id_len, &id.key_id.0);
                        }
                    },
                    &mut w.errors,
                ),
                (None, None) => Vec::new(),
            };
            w.lv16("EXT length", k.data_len, &data);
        }
        PayloadSpec::Sakke(k) => {
            w.u8(np(k.next_payload));
            w.u8(k.params);
            w.u8(k.id_scheme);
            w.lv16("SAKKE data length", k.data_len, &k.data.0);
        }
        PayloadSpec::Raw(k) => w.bytes(&k.data.0),
    }
}

fn write_tp(w: &mut W, k: &TpSpec) {
    w.u16(k.ticket_type);
    w.u8(k.subtype);
    w.u8(k.version);
    let prf = w.bits("TP PRF func", k.prf as usize, 0x7f) as u32;
    let flags = w.bits("TP flags", k.flags as usize, 0x0fff) as u32;
    let res = w.bits("TP reserved", k.reserved as usize, 0x1f) as u32;
    let bits = (prf << 17) | (flags << 5) | res;
    w.bytes(&bits.to_be_bytes()[1..]);
    w.lv16("TP data length", k.tp_data_len, &k.tp_data.0);
}

/// Encodes a decoded (or hand-built) message. Length fields and next-payload
/// values are written as the message holds them, so a decoded well-formed
/// message re-encodes to the same bytes. Values that do not fit their bit
/// fields are masked (use [`MessageSpec::to_bytes`] to get an error instead).
pub fn encode(msg: &Message<'_>) -> Vec<u8> {
    MessageSpec::from(msg).write().out
}

/// The octets of a chain of key data sub-payloads (next payloads 20 … 0 unless overridden):
/// the plaintext a KEMAC encrypts. Used to build encrypted KEMACs (`src/crypto/`, tests).
pub fn key_data_chain_bytes(list: &[KeyDataSpec]) -> Result<Vec<u8>, EncodeError> {
    let mut errors = Vec::new();
    let out = sub(|s| s.key_data_chain(list), &mut errors);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(out),
    }
}
