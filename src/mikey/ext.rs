//! General Extension payload (type 21), RFC 3830 §6.15, with the known
//! contents: Vendor ID / SDP IDs (shown as bytes/text), RFC 4563 Key ID
//! (type 3), OMA BCAST (type 5, subtype + raw data), SAKKE-to-self (type 6,
//! a nested SAKKE payload) and 3GPP key parameters (type 7, the MCData
//! protected payload framing as implemented by Streamwide \[I\]).

use super::codes::{ExtType, KeyIdType, McDataMessageType, OmaBcastSubtype, PayloadType};
use super::field::{secret_summary, Field, FieldValue, Opaque};
use super::issue::WireIssue;
use super::reader::Reader;
use super::sakke::Sakke;
use serde::Serialize;
use std::borrow::Cow;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeneralExt<'a> {
    pub ext_type: Field<ExtType>,
    pub data_len: Field<u16>,
    pub data: Field<ExtData<'a>>,
    /// Decoded data for the known extension types; `None` for unknown
    /// types, raw-only types (0, 1, 2, 4) and malformed contents.
    pub content: Option<ExtContent<'a>>,
}

/// Extension data bytes; redacted in renders when the type carries key
/// material (SAKKE-to-self), otherwise shown truncated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtData<'a> {
    pub bytes: &'a [u8],
    pub secret: bool,
}

impl FieldValue for ExtData<'_> {
    fn json_value(&self) -> serde_json::Value {
        if self.secret {
            serde_json::Value::String(secret_summary(self.bytes))
        } else {
            Opaque(self.bytes).json_value()
        }
    }
    fn meaning(&self) -> Option<Cow<'static, str>> {
        if self.secret {
            None
        } else {
            self.bytes.meaning()
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExtContent<'a> {
    KeyIds {
        key_ids: Vec<KeyId<'a>>,
    },
    OmaBcast {
        subtype: Field<OmaBcastSubtype>,
        subtype_data: Field<Opaque<'a>>,
    },
    // The three below are boxed: they are rare (MCData, MCVideo) and several times the
    // size of the others, and every payload of every message would be as large as the
    // largest (decoding a capture spent a tenth of its time moving them).
    SakkeToSelf {
        inner_next_payload: Field<PayloadType>,
        sakke: Box<Sakke<'a>>,
    },
    KeyParameters(Box<McDataProtected<'a>>),
    /// Legacy senders put the Key Parameters unencrypted into type 7 (the
    /// Streamwide IWF sample). Chosen when the data does not have the structure
    /// of a protected payload (see [`layout_of_key_parameters`]) \[I\].
    KeyParametersPlain(Box<KeyParameters<'a>>),
}

/// Key Parameters content (TS 33.180 Table E.6.1-1): Key Type, Status,
/// Activation Time, Expiry Time, Text (LV-E), then Group IDs (kept raw).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyParameters<'a> {
    pub key_type: Field<u8>,
    pub status: Field<u32>,
    pub activation_time: Field<&'a [u8]>,
    pub expiry_time: Field<&'a [u8]>,
    pub text_len: Field<u16>,
    pub text: Field<&'a [u8]>,
    pub group_ids: Field<&'a [u8]>,
}

/// MCData message type of a protected payload as seen in the Streamwide samples \[I\]. Other
/// senders use other values (0x40 seen), so the layout is not chosen by it.
pub const MCDATA_PROTECTED_MESSAGE_TYPE: u8 = 0x43;

/// Octets of the protected payload before the payload IE: message type 1, date/time 5,
/// payload ID 4, sequence number 1, algorithm 1, IV 16, DPPK-ID 4.
const PROTECTED_HEAD: usize = 32;
/// Octets of the legacy plain Key Parameters before the text: key type 1, status 4,
/// activation time 5, expiry time 5, text length 2.
const PLAIN_HEAD: usize = 17;

/// The two layouts General Extension type 7 comes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyParametersLayout {
    /// The MCData protected payload of TS 33.180 E.6.1 (encrypted Key Parameters IE).
    Protected,
    /// Legacy unencrypted Key Parameters (the Streamwide IWF sample).
    Plain,
}

/// Tells the type 7 layouts apart by their structure, not by the first octet (whose value
/// differs between senders). The protected payload is chosen when its lengths add up (the
/// payload IE's 16-bit length, after the 32-octet head and the IEI, ends exactly at the end
/// of the data) and its DPPK-ID equals the HDR CSB ID (TS 33.180 E.6.1), or the first octet
/// is the 0x43 of the samples. Otherwise the plain layout is chosen when its text length fits
/// the data. When neither fits, any sign of the protected payload (lengths, DPPK-ID, 0x43)
/// chooses it, so the decoder reports what does not fit in it; else the plain layout.
pub fn layout_of_key_parameters(data: &[u8], csb_id: u32) -> KeyParametersLayout {
    let u16_at = |i: usize| {
        data.get(i..i + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]) as usize)
    };
    let adds_up = u16_at(PROTECTED_HEAD + 1).is_some_and(|l| PROTECTED_HEAD + 3 + l == data.len());
    let dppk_is_csb = data
        .get(PROTECTED_HEAD - 4..PROTECTED_HEAD)
        .is_some_and(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) == csb_id);
    let samples_type = data.first() == Some(&MCDATA_PROTECTED_MESSAGE_TYPE);
    let plain_fits = u16_at(PLAIN_HEAD - 2).is_some_and(|l| PLAIN_HEAD + l <= data.len());
    if adds_up && (dppk_is_csb || samples_type) {
        KeyParametersLayout::Protected
    } else if plain_fits && !samples_type {
        KeyParametersLayout::Plain
    } else if adds_up || dppk_is_csb || samples_type {
        KeyParametersLayout::Protected
    } else {
        KeyParametersLayout::Plain
    }
}

/// RFC 4563 Key ID sub-payload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyId<'a> {
    pub offset: usize,
    pub len: usize,
    pub key_id_type: Field<KeyIdType>,
    pub key_id_len: Field<u8>,
    pub key_id: Field<&'a [u8]>,
}

/// MCData protected payload carrying the encrypted Key Parameters IE
/// (TS 33.180 E.6.1 / §8.5.4; field sizes as in the Streamwide samples \[I\]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct McDataProtected<'a> {
    /// 0x43 in the Streamwide samples, 0x40 from another sender: not judged by the decoder.
    pub message_type: Field<McDataMessageType>,
    pub date_time: Field<&'a [u8]>,
    pub payload_id: Field<u32>,
    pub payload_seq: Field<u8>,
    pub algorithm: Field<u8>,
    pub iv: Field<&'a [u8]>,
    pub dppk_id: Field<u32>,
    pub iei: Field<u8>,
    pub ie_len: Field<u16>,
    /// Encrypted Key Parameters plus AEAD tag.
    pub ie_content: Field<Opaque<'a>>,
}

impl<'a> GeneralExt<'a> {
    /// `csb_id` is the HDR CSB ID, which tells the type 7 layouts apart.
    pub(crate) fn parse(
        r: &mut Reader<'a>,
        csb_id: u32,
        issues: &mut Vec<WireIssue>,
    ) -> Result<Self, WireIssue> {
        let t = r.u8("EXT type")?;
        let l = r.u16("EXT length")?;
        let d = r.take_declared(l.value as usize, "EXT data", l.offset)?;
        let ext_type = ExtType(t.value);
        let content = match decode_content(ext_type, d, csb_id) {
            Ok(c) => c,
            Err(e) => {
                issues.push(e);
                None
            }
        };
        Ok(GeneralExt {
            ext_type: t.with(ext_type),
            data_len: l,
            data: d.with(ExtData {
                bytes: d.value,
                secret: ext_type == ExtType::SAKKE_TO_SELF,
            }),
            content,
        })
    }
}

fn exact<'a>(r: &Reader<'a>, what: &'static str, d: Field<&'a [u8]>) -> Result<(), WireIssue> {
    if r.is_empty() {
        Ok(())
    } else {
        Err(WireIssue::LengthMismatch {
            what,
            offset: d.offset,
            declared: d.len,
            used: d.len - r.remaining(),
        })
    }
}

fn decode_content<'a>(
    t: ExtType,
    d: Field<&'a [u8]>,
    csb_id: u32,
) -> Result<Option<ExtContent<'a>>, WireIssue> {
    let mut r = Reader::with_base(d.value, d.offset);
    match t {
        ExtType::KEY_ID => {
            let mut key_ids = Vec::new();
            while !r.is_empty() {
                let o = r.offset();
                let kt = r.u8("Key ID type")?;
                let kl = r.u8("Key ID length")?;
                let k = r.take_declared(kl.value as usize, "Key ID", kl.offset)?;
                key_ids.push(KeyId {
                    offset: o,
                    len: 2 + k.len,
                    key_id_type: kt.with(KeyIdType(kt.value)),
                    key_id_len: kl,
                    key_id: k,
                });
            }
            Ok(Some(ExtContent::KeyIds { key_ids }))
        }
        ExtType::OMA_BCAST => {
            let st = r.u8("OMA BCAST subtype")?;
            let rest = r.take_rest("OMA BCAST subtype data");
            Ok(Some(ExtContent::OmaBcast {
                subtype: st.with(OmaBcastSubtype(st.value)),
                subtype_data: rest.with(Opaque(rest.value)),
            }))
        }
        ExtType::SAKKE_TO_SELF => {
            let np = r.u8("SAKKE-to-self next payload")?;
            let sakke = Sakke::parse(&mut r)?;
            exact(&r, "SAKKE-to-self extension data", d)?;
            Ok(Some(ExtContent::SakkeToSelf {
                inner_next_payload: np.with(PayloadType(np.value)),
                sakke: Box::new(sakke),
            }))
        }
        ExtType::KEY_PARAMETERS_3GPP
            if layout_of_key_parameters(d.value, csb_id) == KeyParametersLayout::Plain =>
        {
            let key_type = r.u8("key parameters key type")?;
            let status = r.u32("key parameters status")?;
            let activation_time = r.take(5, "key parameters activation time")?;
            let expiry_time = r.take(5, "key parameters expiry time")?;
            let text_len = r.u16("key parameters text length")?;
            let text = r.take_declared(
                text_len.value as usize,
                "key parameters text",
                text_len.offset,
            )?;
            let group_ids = r.take_rest("key parameters group IDs");
            Ok(Some(ExtContent::KeyParametersPlain(Box::new(
                KeyParameters {
                    key_type,
                    status,
                    activation_time,
                    expiry_time,
                    text_len,
                    text,
                    group_ids,
                },
            ))))
        }
        ExtType::KEY_PARAMETERS_3GPP => {
            let message_type = r.u8("key parameters message type")?;
            let message_type = message_type.with(McDataMessageType(message_type.value));
            let date_time = r.take(5, "key parameters date/time")?;
            let payload_id = r.u32("key parameters payload ID")?;
            let payload_seq = r.u8("key parameters payload sequence no")?;
            let algorithm = r.u8("key parameters payload algorithm")?;
            let iv = r.take(16, "key parameters IV")?;
            let dppk_id = r.u32("key parameters DPPK-ID")?;
            let iei = r.u8("key parameters payload IEI")?;
            let ie_len = r.u16("key parameters payload IE length")?;
            let c = r.take_declared(
                ie_len.value as usize,
                "key parameters payload IE",
                ie_len.offset,
            )?;
            exact(&r, "3GPP key parameters extension data", d)?;
            Ok(Some(ExtContent::KeyParameters(Box::new(McDataProtected {
                message_type,
                date_time,
                payload_id,
                payload_seq,
                algorithm,
                iv,
                dppk_id,
                iei,
                ie_len,
                ie_content: c.with(Opaque(c.value)),
            }))))
        }
        _ => Ok(None),
    }
}
