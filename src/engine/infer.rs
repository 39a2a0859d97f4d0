//! Which MIKEY profile a message follows (SAKKE I_MESSAGE, LTKM, MSK or MTK message, plain
//! MIKEY), told from the wire, and what decided it. Its own module: judging a standalone
//! message, a SIP body, a capture's datagrams and a trace's events all ask it.

use crate::mikey::{self, ext::ExtContent, ExtType, KeyIdType, PayloadBody};

/// The profile a message most likely follows, and what on the wire decided it:
///
/// * HDR data type 26 is a MIKEY-SAKKE I_MESSAGE (RFC 6509 4.1);
/// * an OMA BCAST General Extension (type 5) with subtype 1 is an LTKM (RFC 5410 3);
/// * an RFC 4563 Key ID General Extension (type 3) names the MBMS key the message carries
///   (RFC 4563 4: Key ID type 1 = MBMS Service Key ID, 2 = MBMS Traffic Key ID): with an MTK
///   ID it is an MTK message, with an MSK ID and no MTK ID an MSK message (TS 33.246 6.3.2,
///   6.3.3; the DBC samples carry Key ID types 0+1 in MSK and 0+1+2 in MTK messages, see
///   shared/reference/mikey-wire-format.md 6.2, 6.3). Both are pre-shared-key messages with
///   data type 0 and the empty CS ID map, so neither the data type nor the map tells them
///   apart: only the Key IDs do.
pub(super) fn infer_kind(d: &mikey::Decoded) -> (&'static str, String) {
    let inferred = Inferred::of(d);
    (inferred.name(), inferred.why())
}

/// The profile a message follows and the place on the wire that decided it (see
/// [`infer_kind`]); the explanation is written only when asked for.
pub(super) enum Inferred {
    Undecodable,
    /// HDR data type 26, at this offset.
    Sakke(usize),
    /// The OMA BCAST extension at this offset.
    Ltkm(usize),
    /// The Key ID extension at this offset, the MTK ID at the second.
    Mtk(usize, usize),
    /// The Key ID extension at this offset, the MSK ID at the second.
    Msk(usize, usize),
    /// No profile named: the HDR data type.
    Plain(u8),
}

impl Inferred {
    pub(super) fn of(d: &mikey::Decoded) -> Inferred {
        let Some(m) = &d.message else {
            return Inferred::Undecodable;
        };
        let dt = &m.header.data_type;
        if dt.value.0 == 26 {
            return Inferred::Sakke(dt.offset);
        }
        let exts = || {
            m.payloads.iter().filter_map(|p| match &p.body {
                PayloadBody::Ext(e) => Some((p.offset, e)),
                _ => None,
            })
        };
        let ltkm = exts().find(|(_, e)| {
            e.ext_type.value == ExtType::OMA_BCAST
                && matches!(&e.content, Some(ExtContent::OmaBcast { subtype, .. }) if subtype.value.0 == 1)
        });
        if let Some((at, _)) = ltkm {
            return Inferred::Ltkm(at);
        }
        let key_id = |t: KeyIdType| {
            exts().find_map(|(at, e)| match &e.content {
                Some(ExtContent::KeyIds { key_ids }) if e.ext_type.value == ExtType::KEY_ID => {
                    key_ids
                        .iter()
                        .find(|k| k.key_id_type.value == t)
                        .map(|k| (at, k.offset))
                }
                _ => None,
            })
        };
        if let Some((at, k)) = key_id(KeyIdType::MBMS_MTK_ID) {
            return Inferred::Mtk(at, k);
        }
        if let Some((at, k)) = key_id(KeyIdType::MBMS_MSK_ID) {
            return Inferred::Msk(at, k);
        }
        Inferred::Plain(dt.value.0)
    }

    pub(super) fn name(&self) -> &'static str {
        match self {
            Inferred::Undecodable | Inferred::Plain(_) => "mikey",
            Inferred::Sakke(_) => "mikey-sakke",
            Inferred::Ltkm(_) => "ltkm",
            Inferred::Mtk(..) => "mtk",
            Inferred::Msk(..) => "msk",
        }
    }

    fn why(&self) -> String {
        match self {
            Inferred::Undecodable => "the common header could not be decoded".into(),
            Inferred::Sakke(at) => format!("HDR data type 26 (SAKKE I_MESSAGE, RFC 6509) at byte {at}"),
            Inferred::Ltkm(at) => format!(
                "the General Extension at byte {at} is OMA BCAST (type 5) with subtype 1 (LTKM, RFC 5410)"
            ),
            Inferred::Mtk(at, k) => format!(
                "the RFC 4563 Key ID General Extension (type 3) at byte {at} carries an MBMS Traffic Key ID (MTK ID, Key ID type 2) at byte {k}"
            ),
            Inferred::Msk(at, k) => format!(
                "the RFC 4563 Key ID General Extension (type 3) at byte {at} carries an MBMS Service Key ID (MSK ID, Key ID type 1) at byte {k} and no MTK ID (Key ID type 2)"
            ),
            Inferred::Plain(dt) => format!(
                "HDR data type {dt} is not 26 (SAKKE), and no General Extension names a profile (OMA BCAST LTKM, or an RFC 4563 MBMS MSK or MTK ID)"
            ),
        }
    }
}
