//! Owned, serde-deserialisable descriptions of MIKEY messages ([`MessageSpec`]): what test
//! vectors are written in (`.msg.yaml`), and what `decode --format spec` prints. A decoded
//! [`Message`] converts into one; `super::encode` writes one as bytes.

use super::hdr::CsIdMap;
use super::key_data::KeyValidity;
use super::{Message, PayloadBody};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes written as a hex string; reads hex (whitespace/colons allowed, an
/// optional `0x`) or `text:` followed by UTF-8 text.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Hex(pub Vec<u8>);

impl Serialize for Hex {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Hex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if let Some(t) = s.strip_prefix("text:") {
            return Ok(Hex(t.as_bytes().to_vec()));
        }
        let t = s.trim();
        let t = t.strip_prefix("0x").unwrap_or(t);
        let clean: String = t
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ':')
            .collect();
        hex::decode(&clean)
            .map(Hex)
            .map_err(serde::de::Error::custom)
    }
}

impl From<&[u8]> for Hex {
    fn from(b: &[u8]) -> Self {
        Hex(b.to_vec())
    }
}

/// Problems building bytes from a spec.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("{what} is {len}, more than the field allows ({max})")]
    TooLong {
        what: &'static str,
        len: usize,
        max: usize,
    },
    #[error("TS type {0} has no known value length; use a raw payload")]
    UnknownTsType(u8),
    #[error("raw CS ID map info needs an explicit cs_id_map_type")]
    RawMapNeedsType,
}

fn one() -> u8 {
    1
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageSpec {
    pub header: HeaderSpec,
    #[serde(default)]
    pub payloads: Vec<PayloadSpec>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderSpec {
    #[serde(default = "one")]
    pub version: u8,
    pub data_type: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_payload: Option<u8>,
    #[serde(default)]
    pub v: bool,
    #[serde(default)]
    pub prf: u8,
    pub csb_id: u32,
    /// Defaults to the number of map entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cs_count: Option<u8>,
    /// Defaults to the map kind's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cs_id_map_type: Option<u8>,
    #[serde(default)]
    pub cs_id_map: CsIdMapSpec,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CsIdMapSpec {
    SrtpId {
        entries: Vec<SrtpIdSpec>,
    },
    #[default]
    Empty,
    GenericId {
        entries: Vec<GenericIdSpec>,
    },
    Raw {
        data: Hex,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SrtpIdSpec {
    pub policy_no: u8,
    #[serde(default)]
    pub ssrc: u32,
    #[serde(default)]
    pub roc: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenericIdSpec {
    pub cs_id: u8,
    #[serde(default)]
    pub prot_type: u8,
    #[serde(default)]
    pub s: bool,
    #[serde(default)]
    pub policies: Vec<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_data_len: Option<u16>,
    #[serde(default)]
    pub session_data: Hex,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spi_len: Option<u8>,
    #[serde(default)]
    pub spi: Hex,
}

/// One payload. JSON/YAML shape: `{"type": "sakke", "params": 1, ...}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PayloadSpec {
    Kemac(KemacSpec),
    Pke(PkeSpec),
    Dh(DhSpec),
    Sign(SignSpec),
    T(TSpec),
    Id(IdSpec),
    Cert(CertSpec),
    Chash(ChashSpec),
    V(VSpec),
    Sp(SpSpec),
    Rand(RandSpec),
    Err(ErrSpec),
    Tr(TrSpec),
    Idr(IdrSpec),
    Randr(RandrSpec),
    Tp(TpSpec),
    Ticket(TicketSpec),
    KeyData(KeyDataSpec),
    Ext(ExtSpec),
    Sakke(SakkeSpec),
    /// Written verbatim (including its own next-payload octet, if any);
    /// `payload_type` is what the previous payload announces.
    Raw(RawSpec),
}

macro_rules! spec {
    ($name:ident { $($(#[$m:meta])* $f:ident : $t:ty),* $(,)? }) => {
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$m])* pub $f: $t,)*
        }
    };
}

spec!(KemacSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    #[serde(default)] encr_alg: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] encr_data_len: Option<u16>,
    /// Encrypted data as sent; alternatively `key_data` (plaintext, NULL encryption).
    #[serde(default, skip_serializing_if = "Option::is_none")] encr_data: Option<Hex>,
    #[serde(default, skip_serializing_if = "Option::is_none")] key_data: Option<Vec<KeyDataSpec>>,
    #[serde(default)] mac_alg: u8,
    #[serde(default)] mac: Hex,
});
spec!(KeyDataSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    key_type: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] kv_type: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")] key_len: Option<u16>,
    key: Hex,
    #[serde(default, skip_serializing_if = "Option::is_none")] salt_len: Option<u16>,
    /// Written when present or when the key type carries a salt.
    #[serde(default, skip_serializing_if = "Option::is_none")] salt: Option<Hex>,
    #[serde(default)] kv: KvSpec,
});
spec!(PkeSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    #[serde(default)] cache: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] data_len: Option<u16>,
    data: Hex,
});
spec!(DhSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    group: u8,
    value: Hex,
    #[serde(default)] reserved: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] kv_type: Option<u8>,
    #[serde(default)] kv: KvSpec,
});
spec!(SignSpec {
    sign_type: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] sig_len: Option<u16>,
    signature: Hex,
});
spec!(TSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    ts_type: u8,
    value: u64,
});
spec!(IdSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    id_type: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] id_len: Option<u16>,
    id: Hex,
});
spec!(CertSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    cert_type: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] cert_len: Option<u16>,
    cert: Hex,
});
spec!(ChashSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    hash_func: u8,
    hash: Hex,
});
spec!(VSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    auth_alg: u8,
    #[serde(default)] ver_data: Hex,
});
spec!(SpSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    policy_no: u8,
    #[serde(default)] prot_type: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] params_len: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")] params: Option<Vec<SpParamSpec>>,
    /// Used instead of `params` when present.
    #[serde(default, skip_serializing_if = "Option::is_none")] params_raw: Option<Hex>,
});
spec!(SpParamSpec {
    param_type: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] param_len: Option<u8>,
    value: Hex,
});
spec!(RandSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")] rand_len: Option<u8>,
    rand: Hex,
});
spec!(ErrSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    error_no: u8,
    #[serde(default)] reserved: u16,
});
spec!(TrSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    role: u8,
    ts_type: u8,
    value: u64,
});
spec!(IdrSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    role: u8,
    id_type: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] id_len: Option<u16>,
    id: Hex,
});
spec!(RandrSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    role: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] rand_len: Option<u8>,
    rand: Hex,
});
spec!(TpSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    ticket_type: u16,
    #[serde(default)] subtype: u8,
    #[serde(default)] version: u8,
    #[serde(default)] prf: u8,
    #[serde(default)] flags: u16,
    #[serde(default)] reserved: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] tp_data_len: Option<u16>,
    #[serde(default)] tp_data: Hex,
});
spec!(TicketSpec {
    policy: TpSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")] ticket_data_len: Option<u16>,
    #[serde(default)] ticket_data: Hex,
    #[serde(default, skip_serializing_if = "Option::is_none")] initiator_data_len: Option<u16>,
    #[serde(default)] initiator_data: Hex,
});
spec!(ExtSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    ext_type: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] data_len: Option<u16>,
    /// Data as sent; alternatively `key_ids` (RFC 4563, type 3).
    #[serde(default, skip_serializing_if = "Option::is_none")] data: Option<Hex>,
    #[serde(default, skip_serializing_if = "Option::is_none")] key_ids: Option<Vec<KeyIdSpec>>,
});
spec!(KeyIdSpec {
    key_id_type: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] key_id_len: Option<u8>,
    key_id: Hex,
});
spec!(SakkeSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")] next_payload: Option<u8>,
    params: u8,
    id_scheme: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")] data_len: Option<u16>,
    data: Hex,
});
spec!(RawSpec {
    payload_type: u8,
    data: Hex,
});

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum KvSpec {
    #[default]
    Null,
    Spi {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        spi_len: Option<u8>,
        spi: Hex,
    },
    Interval {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vf_len: Option<u8>,
        valid_from: Hex,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vt_len: Option<u8>,
        valid_to: Hex,
    },
}

impl KvSpec {
    pub(crate) fn kv_type(&self) -> u8 {
        match self {
            KvSpec::Null => 0,
            KvSpec::Spi { .. } => 1,
            KvSpec::Interval { .. } => 2,
        }
    }
}

impl PayloadSpec {
    /// The payload type number announced for this payload.
    pub fn payload_type(&self) -> u8 {
        match self {
            PayloadSpec::Kemac(_) => 1,
            PayloadSpec::Pke(_) => 2,
            PayloadSpec::Dh(_) => 3,
            PayloadSpec::Sign(_) => 4,
            PayloadSpec::T(_) => 5,
            PayloadSpec::Id(_) => 6,
            PayloadSpec::Cert(_) => 7,
            PayloadSpec::Chash(_) => 8,
            PayloadSpec::V(_) => 9,
            PayloadSpec::Sp(_) => 10,
            PayloadSpec::Rand(_) => 11,
            PayloadSpec::Err(_) => 12,
            PayloadSpec::Tr(_) => 13,
            PayloadSpec::Idr(_) => 14,
            PayloadSpec::Randr(_) => 15,
            PayloadSpec::Tp(_) => 16,
            PayloadSpec::Ticket(_) => 17,
            PayloadSpec::KeyData(_) => 20,
            PayloadSpec::Ext(_) => 21,
            PayloadSpec::Sakke(_) => 26,
            PayloadSpec::Raw(r) => r.payload_type,
        }
    }
}

/// `Some(declared)` only when it differs from the actual data length.
fn over<T: Copy + Into<usize>>(declared: T, actual: usize) -> Option<T> {
    (declared.into() != actual).then_some(declared)
}

fn kv_spec(kv: &KeyValidity<'_>) -> KvSpec {
    match kv {
        KeyValidity::Null => KvSpec::Null,
        KeyValidity::Spi { spi_len, spi } => KvSpec::Spi {
            spi_len: over(spi_len.value, spi.len),
            spi: spi.value.into(),
        },
        KeyValidity::Interval {
            vf_len,
            valid_from,
            vt_len,
            valid_to,
        } => KvSpec::Interval {
            vf_len: over(vf_len.value, valid_from.len),
            valid_from: valid_from.value.into(),
            vt_len: over(vt_len.value, valid_to.len),
            valid_to: valid_to.value.into(),
        },
    }
}

fn tp_spec(t: &super::opaque::TicketPolicy<'_>, np: Option<u8>) -> TpSpec {
    TpSpec {
        next_payload: np,
        ticket_type: t.ticket_type.value.0,
        subtype: t.subtype.value,
        version: t.version.value,
        prf: t.prf.value.0,
        flags: t.flags.value,
        reserved: t.reserved.value,
        tp_data_len: over(t.tp_data_len.value, t.tp_data.len),
        tp_data: t.tp_data.value.into(),
    }
}

impl From<&Message<'_>> for MessageSpec {
    fn from(m: &Message<'_>) -> Self {
        let h = &m.header;
        let cs_id_map = match &h.cs_id_map {
            CsIdMap::SrtpId(v) => CsIdMapSpec::SrtpId {
                entries: v
                    .iter()
                    .map(|e| SrtpIdSpec {
                        policy_no: e.policy_no.value,
                        ssrc: e.ssrc.value,
                        roc: e.roc.value,
                    })
                    .collect(),
            },
            CsIdMap::Empty => CsIdMapSpec::Empty,
            CsIdMap::GenericId(v) => CsIdMapSpec::GenericId {
                entries: v
                    .iter()
                    .map(|e| GenericIdSpec {
                        cs_id: e.cs_id.value,
                        prot_type: e.prot_type.value.0,
                        s: e.s.value,
                        policies: e.policies.iter().map(|p| p.value).collect(),
                        session_data_len: over(e.session_data_len.value, e.session_data.len),
                        session_data: e.session_data.value.into(),
                        spi_len: over(e.spi_len.value, e.spi.len),
                        spi: e.spi.value.into(),
                    })
                    .collect(),
            },
            CsIdMap::Raw(f) => CsIdMapSpec::Raw {
                data: f.value.into(),
            },
        };
        let header = HeaderSpec {
            version: h.version.value,
            data_type: h.data_type.value.0,
            next_payload: Some(h.next_payload.value.0),
            v: h.v.value,
            prf: h.prf.value.0,
            csb_id: h.csb_id.value,
            cs_count: Some(h.cs_count.value),
            cs_id_map_type: Some(h.cs_id_map_type.value.0),
            cs_id_map,
        };
        let payloads = m
            .payloads
            .iter()
            .map(|p| {
                let np = p.next_payload.map(|f| f.value.0);
                payload_spec(&p.body, np)
            })
            .collect();
        MessageSpec { header, payloads }
    }
}

fn key_data_spec(k: &super::key_data::KeyData<'_>) -> KeyDataSpec {
    KeyDataSpec {
        next_payload: Some(k.next_payload.value.0),
        key_type: k.key_type.value.0,
        kv_type: Some(k.kv_type.value.0),
        key_len: over(k.key_len.value, k.key.len),
        key: k.key.value.0.into(),
        salt_len: k
            .salt_len
            .and_then(|l| over(l.value, k.salt.map(|s| s.len).unwrap_or(0))),
        salt: k.salt.map(|s| s.value.0.into()),
        kv: kv_spec(&k.kv),
    }
}

fn payload_spec(b: &PayloadBody<'_>, np: Option<u8>) -> PayloadSpec {
    match b {
        PayloadBody::Kemac(k) => PayloadSpec::Kemac(KemacSpec {
            next_payload: np,
            encr_alg: k.encr_alg.value.0,
            encr_data_len: over(k.encr_data_len.value, k.encr_data.len),
            encr_data: Some(k.encr_data.value.0.into()),
            key_data: None,
            mac_alg: k.mac_alg.value.0,
            mac: k.mac.value.into(),
        }),
        PayloadBody::Pke(k) => PayloadSpec::Pke(PkeSpec {
            next_payload: np,
            cache: k.cache.value.0,
            data_len: over(k.data_len.value, k.data.len),
            data: k.data.value.0.into(),
        }),
        PayloadBody::Dh(k) => PayloadSpec::Dh(DhSpec {
            next_payload: np,
            group: k.group.value.0,
            value: k.value.value.into(),
            reserved: k.reserved.value,
            kv_type: Some(k.kv_type.value.0),
            kv: kv_spec(&k.kv),
        }),
        PayloadBody::Sign(k) => PayloadSpec::Sign(SignSpec {
            sign_type: k.sign_type.value.0,
            sig_len: over(k.sig_len.value, k.signature.len),
            signature: k.signature.value.into(),
        }),
        PayloadBody::T(k) => PayloadSpec::T(TSpec {
            next_payload: np,
            ts_type: k.ts_type.value.0,
            value: k.ts_value.value,
        }),
        PayloadBody::Id(k) => PayloadSpec::Id(IdSpec {
            next_payload: np,
            id_type: k.id_type.value.0,
            id_len: over(k.id_len.value, k.id.len),
            id: k.id.value.into(),
        }),
        PayloadBody::Cert(k) => PayloadSpec::Cert(CertSpec {
            next_payload: np,
            cert_type: k.cert_type.value.0,
            cert_len: over(k.cert_len.value, k.cert.len),
            cert: k.cert.value.into(),
        }),
        PayloadBody::Chash(k) => PayloadSpec::Chash(ChashSpec {
            next_payload: np,
            hash_func: k.hash_func.value.0,
            hash: k.hash.value.into(),
        }),
        PayloadBody::V(k) => PayloadSpec::V(VSpec {
            next_payload: np,
            auth_alg: k.auth_alg.value.0,
            ver_data: k.ver_data.value.into(),
        }),
        PayloadBody::Sp(k) => PayloadSpec::Sp(SpSpec {
            next_payload: np,
            policy_no: k.policy_no.value,
            prot_type: k.prot_type.value.0,
            params_len: over(k.params_len.value, k.params_raw.len),
            params: k.params.as_ref().map(|v| {
                v.iter()
                    .map(|p| SpParamSpec {
                        param_type: p.param_type.value,
                        param_len: over(p.param_len.value, p.param_value.len),
                        value: p.param_value.value.into(),
                    })
                    .collect()
            }),
            params_raw: k.params.is_none().then(|| k.params_raw.value.into()),
        }),
        PayloadBody::Rand(k) => PayloadSpec::Rand(RandSpec {
            next_payload: np,
            rand_len: over(k.rand_len.value, k.rand.len),
            rand: k.rand.value.into(),
        }),
        PayloadBody::Err(k) => PayloadSpec::Err(ErrSpec {
            next_payload: np,
            error_no: k.error_no.value.0,
            reserved: k.reserved.value,
        }),
        PayloadBody::Tr(k) => PayloadSpec::Tr(TrSpec {
            next_payload: np,
            role: k.role.value.0,
            ts_type: k.ts_type.value.0,
            value: k.ts_value.value,
        }),
        PayloadBody::Idr(k) => PayloadSpec::Idr(IdrSpec {
            next_payload: np,
            role: k.role.value.0,
            id_type: k.id_type.value.0,
            id_len: over(k.id_len.value, k.id.len),
            id: k.id.value.into(),
        }),
        PayloadBody::Randr(k) => PayloadSpec::Randr(RandrSpec {
            next_payload: np,
            role: k.role.value.0,
            rand_len: over(k.rand_len.value, k.rand.len),
            rand: k.rand.value.into(),
        }),
        PayloadBody::Tp(k) => PayloadSpec::Tp(tp_spec(k, np)),
        PayloadBody::Ticket(k) => PayloadSpec::Ticket(TicketSpec {
            policy: tp_spec(&k.policy, np),
            ticket_data_len: over(k.ticket_data_len.value, k.ticket_data.len),
            ticket_data: k.ticket_data.value.0.into(),
            initiator_data_len: over(k.initiator_data_len.value, k.initiator_data.len),
            initiator_data: k.initiator_data.value.0.into(),
        }),
        PayloadBody::KeyData(k) => PayloadSpec::KeyData(key_data_spec(k)),
        PayloadBody::Ext(k) => PayloadSpec::Ext(ExtSpec {
            next_payload: np,
            ext_type: k.ext_type.value.0,
            data_len: over(k.data_len.value, k.data.len),
            data: Some(k.data.value.bytes.into()),
            key_ids: None,
        }),
        PayloadBody::Sakke(k) => PayloadSpec::Sakke(SakkeSpec {
            next_payload: np,
            params: k.params.value.0,
            id_scheme: k.id_scheme.value.0,
            data_len: over(k.data_len.value, k.data.len),
            data: k.data.value.0.into(),
        }),
    }
}
