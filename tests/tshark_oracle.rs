//! Differential test against Wireshark's MIKEY dissector.
//!
//! Every MIKEY vector is wrapped in an Ethernet/IPv4/UDP packet to port 2269, written to a
//! temporary pcap, and dissected with `tshark -T pdml` (the PDML form of tshark's tree gives
//! every field with its `pos` and `size`). tshark's tree and ours are put into one common
//! form (payload kinds in order; per payload the tshark field names with value, whether the
//! code point has a name, offset and size relative to the UDP payload), and compared field
//! by field. Key material (KEMAC encrypted data, key data, SAKKE data) is compared through
//! the redacted fingerprint our reports use, so a failure never prints it.
//!
//! tshark 4.0.17 cannot step over a GENERIC-ID CS ID map, so for such messages it also gets
//! a copy with the map replaced by an empty one, and the payloads after the HDR are compared
//! again against that dissection (keys `empty-map:...`).
//!
//! Disagreements that are tshark 4.0.17's limits are listed with their reasons in
//! `tests/tshark-known-limits.yaml`. A vector fails when a disagreement is not covered by a
//! limit listed for it, and also when a limit listed for it covers nothing (so the list
//! cannot go stale). With `MIKEYCONF_REQUIRE_ALL=1`, a missing tshark fails instead of skipping.

use libtest_mimic::{Arguments, Failed, Trial};
use mikeyconf::internals::mikey::field::secret_summary;
use mikeyconf::internals::mikey::hdr::CsIdMap;
use mikeyconf::internals::mikey::key_data::{KeyData, KeyValidity};
use mikeyconf::internals::mikey::{self, Field, PayloadBody};
use mikeyconf::internals::suite;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const LIMITS_FILE: &str = "tests/tshark-known-limits.yaml";
const MIKEY_PORT: u16 = 2269;

// ---------------------------------------------------------------------------------------
// Known limits

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Limits {
    limits: Vec<Limit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Limit {
    id: String,
    reason: String,
    /// Patterns over disagreement keys (`*` matches any text), e.g. `hdr/mikey.prf_func:known`.
    #[serde(rename = "match")]
    patterns: Vec<String>,
    /// Vector names (without the `oracle::` prefix) the limit applies to.
    vectors: Vec<String>,
}

/// `*` matches any (possibly empty) run of characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

// ---------------------------------------------------------------------------------------
// Common form of a decode

/// One field as tshark names it.
#[derive(Clone, Debug, Default, PartialEq)]
struct Fv {
    /// Integers in decimal; byte strings in hex; key material as a redacted fingerprint.
    value: Option<String>,
    /// Whether the value has a name in the decoder's table (compared only for enum fields).
    known: Option<bool>,
    /// The name (ours) or tshark's display line, for messages only.
    label: Option<String>,
    pos: usize,
    size: usize,
}

#[derive(Clone, Debug, Default)]
struct PayloadView {
    /// tshark's payload field name (`mikey.hdr`, `mikey.t`, ...).
    kind: String,
    pos: usize,
    size: usize,
    /// (tshark field name, value) in tree order.
    fields: Vec<(String, Fv)>,
}

impl PayloadView {
    fn new(kind: &str, pos: usize, size: usize) -> Self {
        PayloadView {
            kind: kind.to_string(),
            pos,
            size,
            fields: Vec::new(),
        }
    }
    fn push(&mut self, name: &str, fv: Fv) {
        self.fields.push((name.to_string(), fv));
    }
    fn int<T: Copy + Into<u64>>(&mut self, name: &str, f: Field<T>) {
        self.push(
            name,
            fv(Some(f.value.into().to_string()), None, f.offset, f.len),
        );
    }
    /// A code point; `label` is its name in our table (`None`: unknown value).
    fn code(&mut self, name: &str, f: Field<u8>, label: Option<&str>) {
        let mut v = fv(
            Some(f.value.to_string()),
            Some(label.is_some()),
            f.offset,
            f.len,
        );
        v.label = label.map(str::to_string);
        self.push(name, v);
    }
    fn bytes(&mut self, name: &str, f: Field<&[u8]>) {
        self.push(name, fv(Some(hex::encode(f.value)), None, f.offset, f.len));
    }
    fn secret(&mut self, name: &str, bytes: &[u8], offset: usize, len: usize) {
        self.push(name, fv(Some(secret_summary(bytes)), None, offset, len));
    }
    fn container(&mut self, name: &str, offset: usize, len: usize) {
        self.push(name, fv(None, None, offset, len));
    }
    /// Fields keyed by name, with `#N` appended to the N-th (N ≥ 2) occurrence of a name.
    fn keyed(&self) -> BTreeMap<String, Fv> {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut out = BTreeMap::new();
        for (name, v) in &self.fields {
            let n = seen.entry(name.as_str()).or_insert(0);
            *n += 1;
            let key = if *n == 1 {
                name.clone()
            } else {
                format!("{name}#{n}")
            };
            out.insert(key, v.clone());
        }
        out
    }
}

fn fv(value: Option<String>, known: Option<bool>, pos: usize, size: usize) -> Fv {
    Fv {
        value,
        known,
        label: None,
        pos,
        size,
    }
}

#[derive(Debug, Default)]
struct View {
    payloads: Vec<PayloadView>,
    /// Whether the dissector (or our decoder) hit the end of the data / reported malformed.
    malformed: bool,
}

// ---------------------------------------------------------------------------------------
// Our decode → common form

fn payload_kind(t: mikey::PayloadType) -> String {
    let k = match t.0 {
        1 => "kemac",
        2 => "pke",
        3 => "dh",
        4 => "sign",
        5 => "t",
        6 => "id",
        7 => "cert",
        8 => "chash",
        9 => "v",
        10 => "sp",
        11 => "rand",
        12 => "err",
        14 => "idr",
        20 => "key",
        21 => "ext",
        26 => "sakke",
        13 => "tr",
        15 => "randr",
        16 => "tp",
        17 => "ticket",
        n => return format!("mikey.payload_{n}"),
    };
    format!("mikey.{k}")
}

fn next_payload(pv: &mut PayloadView, np: Option<Field<mikey::PayloadType>>) {
    if let Some(np) = np {
        pv.code("mikey.next_payload", np.with(np.value.0), np.value.name());
    }
}

fn key_validity(pv: &mut PayloadView, kv: &KeyValidity<'_>) {
    match kv {
        KeyValidity::Null => {}
        KeyValidity::Spi { spi_len, spi } => {
            pv.int("mikey.key.kv.spi.len", *spi_len);
            pv.bytes("mikey.key.kv.spi", *spi);
        }
        KeyValidity::Interval {
            vf_len,
            valid_from,
            vt_len,
            valid_to,
        } => {
            pv.int("mikey.key.kv.from.len", *vf_len);
            pv.bytes("mikey.key.kv.from", *valid_from);
            pv.int("mikey.key.kv.to.len", *vt_len);
            pv.bytes("mikey.key.kv.to", *valid_to);
        }
    }
}

/// A key data sub-payload's fields after its next payload octet.
fn key_data(pv: &mut PayloadView, kd: &KeyData<'_>) {
    pv.code(
        "mikey.key.type",
        kd.key_type.with(kd.key_type.value.0),
        kd.key_type.value.name(),
    );
    pv.code(
        "mikey.key.kv",
        kd.kv_type.with(kd.kv_type.value.0),
        kd.kv_type.value.name(),
    );
    pv.int("mikey.key.data.len", kd.key_len);
    pv.secret("mikey.key.data", kd.key.value.0, kd.key.offset, kd.key.len);
    if let (Some(sl), Some(s)) = (kd.salt_len, kd.salt) {
        pv.int("mikey.key.salt.len", sl);
        pv.secret("mikey.key.salt", s.value.0, s.offset, s.len);
    }
    key_validity(pv, &kd.kv);
}

fn our_view(bytes: &[u8]) -> View {
    let d = mikey::decode(bytes);
    let mut view = View {
        payloads: Vec::new(),
        malformed: d.issues.iter().any(|i| {
            matches!(
                i,
                mikey::WireIssue::Truncated { .. }
                    | mikey::WireIssue::LengthOverrun { .. }
                    | mikey::WireIssue::ChainNotTerminated { .. }
            )
        }),
    };
    let Some(m) = d.message else {
        return view;
    };
    let h = &m.header;
    let mut pv = PayloadView::new("mikey.hdr", h.offset, h.len);
    pv.int("mikey.version", h.version);
    pv.code(
        "mikey.type",
        h.data_type.with(h.data_type.value.0),
        h.data_type.value.name(),
    );
    next_payload(&mut pv, Some(h.next_payload));
    pv.int("mikey.v.set", h.v);
    pv.code(
        "mikey.prf_func",
        h.prf.with(h.prf.value.0),
        h.prf.value.name(),
    );
    pv.int("mikey.csb_id", h.csb_id);
    pv.int("mikey.cs_count", h.cs_count);
    pv.code(
        "mikey.cs_id_map_type",
        h.cs_id_map_type.with(h.cs_id_map_type.value.0),
        h.cs_id_map_type.value.name(),
    );
    if let CsIdMap::SrtpId(entries) = &h.cs_id_map {
        for e in entries {
            pv.container("mikey.srtp_id", e.offset, e.len);
            pv.int("mikey.srtp_id.policy_no", e.policy_no);
            pv.int("mikey.srtp_id.ssrc", e.ssrc);
            pv.int("mikey.srtp_id.roc", e.roc);
        }
    }
    view.payloads.push(pv);

    for p in &m.payloads {
        let mut pv = PayloadView::new(&payload_kind(p.payload_type), p.offset, p.len);
        next_payload(&mut pv, p.next_payload);
        match &p.body {
            PayloadBody::Kemac(k) => {
                pv.code(
                    "mikey.kemac.encr_alg",
                    k.encr_alg.with(k.encr_alg.value.0),
                    k.encr_alg.value.name(),
                );
                pv.int("mikey.kemac.key_data_len", k.encr_data_len);
                // tshark opens the encrypted data only for data type 0 (PSK init) with NULL
                // encryption: then it shows the key data sub-payloads (without their next
                // payload octet) instead of the bytes.
                match &k.key_data {
                    Some(kds) if h.data_type.value == mikey::DataType::PSK_INIT => {
                        for kd in kds {
                            pv.container("mikey.key", kd.offset, kd.len);
                            key_data(&mut pv, kd);
                        }
                    }
                    _ => pv.secret(
                        "mikey.kemac.key_data",
                        k.encr_data.value.0,
                        k.encr_data.offset,
                        k.encr_data.len,
                    ),
                }
                pv.code(
                    "mikey.kemac.mac_alg",
                    k.mac_alg.with(k.mac_alg.value.0),
                    k.mac_alg.value.name(),
                );
                pv.bytes("mikey.kemac.mac", k.mac);
            }
            PayloadBody::Pke(k) => {
                pv.code(
                    "mikey.pke.c",
                    k.cache.with(k.cache.value.0),
                    k.cache.value.name(),
                );
                pv.int("mikey.pke.len", k.data_len);
                pv.bytes("mikey.pke.data", k.data.with(k.data.value.0));
            }
            PayloadBody::Dh(k) => {
                pv.code(
                    "mikey.dh.group",
                    k.group.with(k.group.value.0),
                    k.group.value.name(),
                );
                pv.bytes("mikey.dh.value", k.value);
                pv.int("mikey.dh.reserv", k.reserved);
                pv.code(
                    "mikey.dh.kv",
                    k.kv_type.with(k.kv_type.value.0),
                    k.kv_type.value.name(),
                );
                key_validity(&mut pv, &k.kv);
            }
            PayloadBody::Sign(s) => {
                pv.code(
                    "mikey.sign.type",
                    s.sign_type.with(s.sign_type.value.0),
                    s.sign_type.value.name(),
                );
                pv.int("mikey.sign.len", s.sig_len);
                pv.bytes("mikey.sign.data", s.signature);
            }
            PayloadBody::T(t) => {
                pv.code(
                    "mikey.t.ts_type",
                    t.ts_type.with(t.ts_type.value.0),
                    t.ts_type.value.name(),
                );
                // tshark's only TS value item is `mikey.t.ntp`, shown for the NTP forms; the
                // value of every TS type goes under that name here, so that a value tshark
                // leaves out shows up as a disagreement.
                let v = t.ts_value;
                let text = if v.len == 8 {
                    format!("{:016x}", v.value)
                } else {
                    format!("{:08x}", v.value)
                };
                pv.push("mikey.t.ntp", fv(Some(text), None, v.offset, v.len));
            }
            PayloadBody::Id(i) => {
                pv.code(
                    "mikey.id.type",
                    i.id_type.with(i.id_type.value.0),
                    i.id_type.value.name(),
                );
                pv.int("mikey.id.len", i.id_len);
                pv.bytes("mikey.id.data", i.id);
            }
            PayloadBody::Idr(i) => {
                pv.code(
                    "mikey.id.role",
                    i.role.with(i.role.value.0),
                    i.role.value.name(),
                );
                pv.code(
                    "mikey.id.type",
                    i.id_type.with(i.id_type.value.0),
                    i.id_type.value.name(),
                );
                pv.int("mikey.id.len", i.id_len);
                pv.bytes("mikey.id.data", i.id);
            }
            PayloadBody::Cert(c) => {
                pv.code(
                    "mikey.cert.type",
                    c.cert_type.with(c.cert_type.value.0),
                    c.cert_type.value.name(),
                );
                pv.int("mikey.cert.len", c.cert_len);
                pv.bytes("mikey.cert.data", c.cert);
            }
            PayloadBody::V(v) => {
                pv.code(
                    "mikey.v.auth_alg",
                    v.auth_alg.with(v.auth_alg.value.0),
                    v.auth_alg.value.name(),
                );
                pv.bytes("mikey.v.ver_data", v.ver_data);
            }
            PayloadBody::Sp(s) => {
                pv.int("mikey.sp.no", s.policy_no);
                pv.code(
                    "mikey.sp.proto_type",
                    s.prot_type.with(s.prot_type.value.0),
                    s.prot_type.value.name(),
                );
                pv.int("mikey.sp.param_len", s.params_len);
                for sp in s.params.iter().flatten() {
                    // tshark names the parameter item after the type when it knows it
                    // (mikey.sp.encr_alg, ...) and `mikey.sp.param` otherwise; the common
                    // form calls it `mikey.sp.param` with "known" telling which.
                    let mut v = fv(
                        Some(hex::encode(sp.param_value.value)),
                        Some(sp.name.is_some()),
                        sp.param_value.offset,
                        sp.param_value.len,
                    );
                    v.label = sp
                        .name
                        .map(|n| format!("parameter type {}: {n}", sp.param_type.value));
                    pv.push("mikey.sp.param", v);
                    pv.int("mikey.sp.param.type", sp.param_type);
                    pv.int("mikey.sp.param.len", sp.param_len);
                    pv.bytes("mikey.sp.patam.value", sp.param_value);
                }
            }
            PayloadBody::Rand(r) => {
                pv.int("mikey.rand.len", r.rand_len);
                pv.bytes("mikey.rand.data", r.rand);
            }
            PayloadBody::Err(e) => {
                pv.code(
                    "mikey.err.no",
                    e.error_no.with(e.error_no.value.0),
                    e.error_no.value.name(),
                );
                let r = e.reserved;
                pv.push(
                    "mikey.err.reserved",
                    fv(Some(format!("{:04x}", r.value)), None, r.offset, r.len),
                );
            }
            PayloadBody::KeyData(kd) => key_data(&mut pv, kd),
            PayloadBody::Ext(e) => {
                pv.code(
                    "mikey.ext.type",
                    e.ext_type.with(e.ext_type.value.0),
                    e.ext_type.value.name(),
                );
                pv.int("mikey.ext.len", e.data_len);
                // tshark shows the data of type 1 (SDP IDs) as a string item, other types raw.
                let item = if e.ext_type.value == mikey::ExtType::SDP_IDS {
                    "mikey.ext.value"
                } else {
                    "mikey.ext.data"
                };
                pv.bytes(item, e.data.with(e.data.value.bytes));
            }
            PayloadBody::Sakke(s) => {
                pv.int("mikey.sakke.params", s.params.with(s.params.value.0));
                pv.int(
                    "mikey.sakke.idscheme",
                    s.id_scheme.with(s.id_scheme.value.0),
                );
                pv.int("mikey.sakke.len", s.data_len);
                pv.secret(
                    "mikey.sakke.data",
                    s.data.value.0,
                    s.data.offset,
                    s.data.len,
                );
            }
            // Payloads tshark 4.0.17 has no dissector for: compared by kind and span only.
            PayloadBody::Chash(_)
            | PayloadBody::Tr(_)
            | PayloadBody::Randr(_)
            | PayloadBody::Tp(_)
            | PayloadBody::Ticket(_) => {}
        }
        view.payloads.push(pv);
    }
    view
}

// ---------------------------------------------------------------------------------------
// tshark's PDML → common form

/// tshark fields whose value is a byte string (FT_BYTES, FT_STRING, FT_ABSOLUTE_TIME), shown
/// in hex; every other field with a value is an integer.
const BYTE_FIELDS: &[&str] = &[
    "mikey.kemac.mac",
    "mikey.pke.data",
    "mikey.dh.value",
    "mikey.sign.data",
    "mikey.t.ntp",
    "mikey.id.data",
    "mikey.cert.data",
    "mikey.v.ver_data",
    "mikey.sp.param",
    "mikey.sp.patam.value",
    "mikey.rand.data",
    "mikey.err.reserved",
    "mikey.key.kv.from",
    "mikey.key.kv.to",
    "mikey.key.kv.spi",
    "mikey.ext.data",
    "mikey.ext.value",
    "mikey.payload",
];

/// Key material: compared through the same redacted fingerprint our reports use.
const SECRET_FIELDS: &[&str] = &[
    "mikey.kemac.key_data",
    "mikey.key.data",
    "mikey.key.salt",
    "mikey.sakke.data",
];

fn attr_usize(n: roxmltree::Node<'_, '_>, a: &str) -> usize {
    n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(0)
}

fn tshark_field(n: roxmltree::Node<'_, '_>, name: &str, base: usize) -> Fv {
    let raw = n.attribute("value").unwrap_or("");
    let value = if SECRET_FIELDS.contains(&name) {
        hex::decode(raw).ok().map(|b| secret_summary(&b))
    } else if BYTE_FIELDS.contains(&name) {
        // An empty byte string (e.g. the MAC of MAC alg NULL) has no `value` attribute.
        Some(raw.to_ascii_lowercase())
    } else if raw.is_empty() {
        None
    } else {
        // Integers: `value` is the raw octets in hex, or the masked value for bit fields.
        Some(
            u64::from_str_radix(raw, 16)
                .map(|v| v.to_string())
                .unwrap_or_else(|_| format!("unparsed {raw:?}")),
        )
    };
    let known = n
        .attribute("showname")
        .map(|s| !s.contains(": Unknown (") && !s.ends_with(": Unknown"));
    Fv {
        value,
        known,
        label: n.attribute("showname").map(|s| format!("{s:?}")),
        pos: attr_usize(n, "pos").saturating_sub(base),
        size: attr_usize(n, "size"),
    }
}

fn flatten(pv: &mut PayloadView, n: roxmltree::Node<'_, '_>, base: usize) {
    for c in n.children().filter(|c| c.has_tag_name("field")) {
        let name = c.attribute("name").unwrap_or("");
        let is_sp_param = pv.kind == "mikey.sp"
            && c.children()
                .any(|g| g.attribute("name") == Some("mikey.sp.param.type"));
        if is_sp_param {
            let mut f = tshark_field(c, "mikey.sp.param", base);
            f.known = Some(name != "mikey.sp.param");
            pv.push("mikey.sp.param", f);
        } else {
            let f = tshark_field(c, name, base);
            pv.push(name, f);
        }
        flatten(pv, c, base);
    }
}

fn tshark_view(pdml: &str) -> Result<View, String> {
    let doc = roxmltree::Document::parse(pdml).map_err(|e| format!("PDML: {e}"))?;
    let mut view = View::default();
    let packet = doc
        .descendants()
        .find(|n| n.has_tag_name("packet"))
        .ok_or("PDML has no packet")?;
    let udp = packet
        .children()
        .find(|n| n.has_tag_name("proto") && n.attribute("name") == Some("udp"))
        .ok_or("tshark did not dissect UDP")?;
    let base = attr_usize(udp, "pos") + 8;
    view.malformed = packet.descendants().any(|n| {
        n.attribute("name")
            .is_some_and(|a| a.starts_with("_ws.malformed"))
    });
    for proto in packet
        .children()
        .filter(|n| n.has_tag_name("proto") && n.attribute("name") == Some("mikey"))
    {
        for p in proto.children().filter(|c| c.has_tag_name("field")) {
            let name = p.attribute("name").unwrap_or("");
            if name.starts_with("_ws.") {
                continue;
            }
            let mut pv = PayloadView::new(
                name,
                attr_usize(p, "pos").saturating_sub(base),
                attr_usize(p, "size"),
            );
            flatten(&mut pv, p, base);
            view.payloads.push(pv);
        }
    }
    Ok(view)
}

// ---------------------------------------------------------------------------------------
// Comparison

struct Disagreement {
    key: String,
    ours: String,
    theirs: String,
}

fn show_value(f: &Fv) -> String {
    match &f.value {
        Some(v) if v.len() > 80 => format!("{}… ({} chars)", &v[..64], v.len()),
        Some(v) => v.clone(),
        None => "(container)".to_string(),
    }
}

fn named(f: &Fv, known: bool) -> String {
    let label = f.label.as_deref().unwrap_or("no name");
    let verdict = if known { "named" } else { "unknown" };
    format!("{} {verdict} ({label})", show_value(f))
}

/// Compares payloads from index `first` on (0 is the HDR); every key starts with `pass`.
fn compare(ours: &View, theirs: &View, first: usize, pass: &str) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let mut d = |key: String, o: String, t: String| {
        out.push(Disagreement {
            key: format!("{pass}{key}"),
            ours: o,
            theirs: t,
        })
    };
    if ours.malformed != theirs.malformed {
        d(
            "malformed".into(),
            ours.malformed.to_string(),
            theirs.malformed.to_string(),
        );
    }
    let n = ours.payloads.len().max(theirs.payloads.len());
    for i in first..n {
        let label = if i == 0 {
            "hdr".to_string()
        } else {
            format!("p{i}")
        };
        let (o, t) = match (ours.payloads.get(i), theirs.payloads.get(i)) {
            (Some(o), Some(t)) => (o, t),
            (Some(o), None) => {
                d(format!("{label}:presence"), o.kind.clone(), "absent".into());
                continue;
            }
            (None, Some(t)) => {
                d(format!("{label}:presence"), "absent".into(), t.kind.clone());
                continue;
            }
            (None, None) => unreachable!(),
        };
        if o.kind != t.kind {
            d(format!("{label}:kind"), o.kind.clone(), t.kind.clone());
            continue;
        }
        let prefix = if i == 0 {
            "hdr".to_string()
        } else {
            format!("p{i}:{}", o.kind.trim_start_matches("mikey."))
        };
        if (o.pos, o.size) != (t.pos, t.size) {
            d(
                format!("{prefix}:span"),
                format!("@{}+{}", o.pos, o.size),
                format!("@{}+{}", t.pos, t.size),
            );
        }
        let (ok, tk) = (o.keyed(), t.keyed());
        let keys: BTreeSet<&String> = ok.keys().chain(tk.keys()).collect();
        for k in keys {
            match (ok.get(k), tk.get(k)) {
                (Some(a), Some(b)) => {
                    if a.value != b.value {
                        d(format!("{prefix}/{k}:value"), show_value(a), show_value(b));
                    }
                    if let (Some(x), Some(y)) = (a.known, b.known) {
                        if x != y {
                            d(format!("{prefix}/{k}:known"), named(a, x), named(b, y));
                        }
                    }
                    if a.pos != b.pos {
                        d(
                            format!("{prefix}/{k}:pos"),
                            a.pos.to_string(),
                            b.pos.to_string(),
                        );
                    }
                    if a.size != b.size {
                        d(
                            format!("{prefix}/{k}:size"),
                            a.size.to_string(),
                            b.size.to_string(),
                        );
                    }
                }
                (Some(a), None) => d(
                    format!("{prefix}/{k}:presence"),
                    format!("{} @{}+{}", show_value(a), a.pos, a.size),
                    "absent".into(),
                ),
                (None, Some(b)) => d(
                    format!("{prefix}/{k}:presence"),
                    "absent".into(),
                    format!("{} @{}+{}", show_value(b), b.pos, b.size),
                ),
                (None, None) => unreachable!(),
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// pcap writer: one Ethernet / IPv4 / UDP frame per file

fn pcap(payload: &[u8]) -> Result<Vec<u8>, String> {
    let udp_len = 8 + payload.len();
    let ip_len = 20 + udp_len;
    let ip_len16 = u16::try_from(ip_len).map_err(|_| "message too long for one UDP datagram")?;
    let mut frame = Vec::with_capacity(14 + ip_len);
    frame.extend_from_slice(&[2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]);
    let mut ip = [0u8; 20];
    ip[0] = 0x45;
    ip[2..4].copy_from_slice(&ip_len16.to_be_bytes());
    ip[8] = 64; // TTL
    ip[9] = 17; // UDP
    ip[12..16].copy_from_slice(&[192, 0, 2, 1]);
    ip[16..20].copy_from_slice(&[192, 0, 2, 2]);
    let sum: u32 = ip
        .chunks(2)
        .map(|w| u32::from(u16::from_be_bytes([w[0], w[1]])))
        .sum();
    let sum = (sum & 0xffff) + (sum >> 16);
    let sum = (sum & 0xffff) + (sum >> 16);
    ip[10..12].copy_from_slice(&(!(sum as u16)).to_be_bytes());
    frame.extend_from_slice(&ip);
    frame.extend_from_slice(&MIKEY_PORT.to_be_bytes());
    frame.extend_from_slice(&MIKEY_PORT.to_be_bytes());
    frame.extend_from_slice(&(udp_len as u16).to_be_bytes());
    frame.extend_from_slice(&[0, 0]); // no UDP checksum (allowed over IPv4)
    frame.extend_from_slice(payload);

    let mut out = Vec::with_capacity(40 + frame.len());
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes()); // magic, microsecond timestamps
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&0i32.to_le_bytes()); // thiszone
    out.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
    out.extend_from_slice(&262_144u32.to_le_bytes()); // snaplen
    out.extend_from_slice(&1u32.to_le_bytes()); // LINKTYPE_ETHERNET
    let len = frame.len() as u32;
    for v in [1_700_000_000u32, 0, len, len] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&frame);
    Ok(out)
}

/// A temporary file removed on drop.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn run_tshark(message: &[u8], vector: &str) -> Result<String, String> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let tag: String = vector
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let file = TempFile(std::env::temp_dir().join(format!(
        "mikeyconf-tshark-{}-{}-{tag}.pcap",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )));
    std::fs::write(&file.0, pcap(message)?).map_err(|e| format!("{}: {e}", file.0.display()))?;
    let out = Command::new("tshark")
        .arg("-n")
        .arg("-r")
        .arg(&file.0)
        .args(["-d", &format!("udp.port=={MIKEY_PORT},mikey"), "-T", "pdml"])
        .output()
        .map_err(|e| format!("running tshark: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "tshark failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("tshark output is not UTF-8: {e}"))
}

fn tshark_available() -> bool {
    Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

// ---------------------------------------------------------------------------------------
// One vector

fn check_vector(name: &str, input: &Path, limits: &[&Limit]) -> Result<(), Failed> {
    let raw = suite::input_bytes(input)?;
    let message = match mikey::input::load(&raw) {
        Ok((m, _)) => m,
        Err(mikey::input::InputError::Empty) => Vec::new(),
        Err(e) => return Err(format!("{}: {e}", input.display()).into()),
    };
    let ours = our_view(&message);
    let theirs = tshark_view(&run_tshark(&message, name)?)?;
    let mut all = compare(&ours, &theirs, 0, "");
    // tshark 4.0.17 cannot step over a GENERIC-ID map, so it mis-dissects every payload
    // after such a HDR. To still compare those payloads, tshark also gets the same message
    // with the map replaced by an empty one (#CS 0, map type 1), and its offsets are moved
    // back by the length of the removed map info. Keys of this pass start with `empty-map:`.
    let mut second = None;
    if let Some((variant, delta)) = empty_map_variant(&message) {
        let mut v = tshark_view(&run_tshark(&variant, name)?)?;
        for p in v.payloads.iter_mut().skip(1) {
            p.pos += delta;
            for (_, f) in p.fields.iter_mut() {
                f.pos += delta;
            }
        }
        all.extend(compare(&ours, &v, 1, "empty-map:"));
        second = Some(v);
    }

    let mut used: BTreeMap<&str, usize> = limits.iter().map(|l| (l.id.as_str(), 0)).collect();
    let mut unexplained = Vec::new();
    for d in &all {
        let by = limits
            .iter()
            .find(|l| l.patterns.iter().any(|p| glob(p, &d.key)));
        match by {
            Some(l) => *used.get_mut(l.id.as_str()).expect("listed") += 1,
            None => unexplained.push(d),
        }
    }
    let stale: Vec<&str> = used
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(id, _)| *id)
        .collect();
    if std::env::var_os("TSHARK_ORACLE_VERBOSE").is_some() {
        eprintln!("{name}: ours {}", chain(&ours));
        eprintln!("{name}: tshark {}", chain(&theirs));
        if let Some(v) = &second {
            eprintln!("{name}: tshark (empty map) {}", chain(v));
        }
        for d in &all {
            eprintln!("  {}: ours {} | tshark {}", d.key, d.ours, d.theirs);
        }
    }
    if unexplained.is_empty() && stale.is_empty() {
        return Ok(());
    }
    let mut msg = String::new();
    let _ = writeln!(msg, "payloads (mikeyconf): {}", chain(&ours));
    let _ = writeln!(msg, "payloads (tshark):    {}", chain(&theirs));
    if let Some(v) = &second {
        let _ = writeln!(
            msg,
            "payloads (tshark, GENERIC-ID map replaced by an empty map): {}",
            chain(v)
        );
    }
    if !unexplained.is_empty() {
        let _ = writeln!(
            msg,
            "{} disagreement(s) not covered by {LIMITS_FILE} (offsets relative to the UDP payload):",
            unexplained.len()
        );
        for d in &unexplained {
            let _ = writeln!(
                msg,
                "  {}\n    expected (mikeyconf): {}\n    actual   (tshark):    {}",
                d.key, d.ours, d.theirs
            );
        }
    }
    for id in stale {
        let _ = writeln!(
            msg,
            "known limit `{id}` is listed for this vector but no longer explains any disagreement: \
             remove the vector from that limit in {LIMITS_FILE}"
        );
    }
    Err(msg.into())
}

/// For a HDR with a GENERIC-ID map and #CS > 0: the message with the map replaced by an
/// empty one (#CS 0, map type 1), and the length of the map info removed.
fn empty_map_variant(message: &[u8]) -> Option<(Vec<u8>, usize)> {
    let d = mikey::decode(message);
    let h = d.message?.header;
    if h.cs_id_map_type.value != mikey::CsIdMapType::GENERIC_ID || h.cs_count.value == 0 {
        return None;
    }
    let mut v = message[..8].to_vec();
    v.extend_from_slice(&[0, mikey::CsIdMapType::EMPTY.0]);
    v.extend_from_slice(&message[h.len..]);
    Some((v, h.len - 10))
}

fn chain(v: &View) -> String {
    let mut s: Vec<String> = v
        .payloads
        .iter()
        .map(|p| {
            format!(
                "{}@{}+{}",
                p.kind.trim_start_matches("mikey."),
                p.pos,
                p.size
            )
        })
        .collect();
    if v.malformed {
        s.push("[malformed]".into());
    }
    s.join(" ")
}

// ---------------------------------------------------------------------------------------

fn main() {
    let args = Arguments::from_args();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let limits: Limits = serde_yaml::from_str(
        &std::fs::read_to_string(manifest.join(LIMITS_FILE)).expect("known limits file"),
    )
    .expect("known limits parse");
    let limits = Arc::new(limits);
    let available = tshark_available();
    let in_ci = std::env::var_os("MIKEYCONF_REQUIRE_ALL").is_some();
    let vectors: Vec<suite::Vector> = suite::discover(&manifest.join("vectors"))
        .into_iter()
        .filter(|v| v.name.starts_with("mikey::"))
        .filter(|v| v.input.extension().is_none_or(|e| e != "xml"))
        .collect();

    let mut trials = Vec::new();
    // The list itself: every limit explained, every vector it names exists.
    {
        let names: BTreeSet<String> = vectors.iter().map(|v| v.name.clone()).collect();
        let limits = limits.clone();
        trials.push(Trial::test("oracle::known_limits_file", move || {
            let mut problems = Vec::new();
            let mut ids = BTreeSet::new();
            for l in &limits.limits {
                if !ids.insert(l.id.as_str()) {
                    problems.push(format!("limit `{}` is listed twice", l.id));
                }
                if l.reason.trim().is_empty() || l.patterns.is_empty() || l.vectors.is_empty() {
                    problems.push(format!(
                        "limit `{}` needs a reason, patterns and vectors",
                        l.id
                    ));
                }
                for v in &l.vectors {
                    if !names.contains(v) {
                        problems.push(format!(
                            "limit `{}` names `{v}`, which is not a MIKEY vector",
                            l.id
                        ));
                    }
                }
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("\n").into())
            }
        }));
    }
    for v in vectors {
        let limits = limits.clone();
        let trial = Trial::test(format!("oracle::{}", v.name), move || {
            if !available {
                return Err(
                    "tshark is not installed (apt-get install tshark); MIKEYCONF_REQUIRE_ALL makes this a failure"
                        .into(),
                );
            }
            let mine: Vec<&Limit> = limits
                .limits
                .iter()
                .filter(|l| l.vectors.contains(&v.name))
                .collect();
            check_vector(&v.name, &v.input, &mine)
        });
        trials.push(trial.with_ignored_flag(!available && !in_ci));
    }
    libtest_mimic::run(&args, trials).exit();
}
