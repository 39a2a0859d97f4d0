//! The reference BSM's LTKMs: an MBMS MSK message shape (TS 33.246 6.3.2, as OMA BCAST
//! 5.1.6.10 delivers it): EXT Key ID (key domain and MSK ID), T COUNTER, RAND, IDi (the BSM's
//! NAF FQDN), IDr (the B-TID), KEMAC (AES-CM-128, HMAC-SHA-1-160) carrying the MSK, written by
//! the MIKEY encoder and sealed under the terminal's MUK by the crypto module.

use crate::active::digest::random_bytes;
use crate::crypto::psk::PskOptions;
use crate::crypto::seal::seal_psk_message;
use crate::mikey::MessageSpec;

/// What one LTKM says.
pub struct Parts<'a> {
    pub csb_id: u32,
    /// The T payload's COUNTER: increasing per LTKM.
    pub counter: u32,
    pub bsm_id: &'a str,
    pub btid: &'a str,
    pub key_domain_id: &'a [u8],
    pub msk_id: &'a [u8],
    pub msk: &'a [u8],
    /// The fault of an LTKM with no key (KEMAC Encr Data Len 0).
    pub empty_kemac: bool,
    /// The HDR's V flag: the BSM asks for a verification message (OMA BCAST 5.1.6.10.4).
    pub verify: bool,
    /// An LTKM that invalidates the MSK (OMA BCAST 5.1.6.9): its Key Validity Data is the
    /// empty interval of MTK IDs (valid from ffffffff to 00000000), which admits no MTK.
    pub invalidate: bool,
}

/// The sealed LTKM's bytes.
pub fn build(p: &Parts<'_>, muk: &[u8]) -> Result<Vec<u8>, String> {
    let key_data = if p.empty_kemac {
        "[]".to_string()
    } else {
        let (from, to) = if p.invalidate {
            ("ffffffff", "00000000")
        } else {
            ("00000000", "ffffffff")
        };
        format!(
            "[{{key_type: 2, key: '{}', kv: {{kind: interval, valid_from: '{from}', valid_to: '{to}'}}}}]",
            hex::encode(p.msk)
        )
    };
    let yaml = format!(
        "header: {{data_type: 0, v: {v}, prf: 0, csb_id: {csb}, cs_id_map: {{kind: empty}}}}\n\
         payloads:\n\
         - {{type: ext, ext_type: 3, data: '0003{kd}0104{id}'}}\n\
         - {{type: t, ts_type: 2, value: {t}}}\n\
         - {{type: rand, rand: '{rand}'}}\n\
         - {{type: id, id_type: 0, id: '{idi}'}}\n\
         - {{type: id, id_type: 0, id: '{idr}'}}\n\
         - {{type: kemac, encr_alg: 1, mac_alg: 1, key_data: {key_data}}}\n",
        v = p.verify,
        csb = p.csb_id,
        kd = hex::encode(p.key_domain_id),
        id = hex::encode(p.msk_id),
        t = p.counter,
        rand = hex::encode(random_bytes(16)),
        idi = hex::encode(p.bsm_id),
        idr = hex::encode(p.btid),
    );
    let spec: MessageSpec = serde_yaml::from_str(&yaml).map_err(|e| e.to_string())?;
    seal_psk_message(&spec, muk, &PskOptions::default()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::mac::MacCheck;
    use crate::crypto::psk::psk_message;

    fn parts(empty_kemac: bool) -> Parts<'static> {
        Parts {
            csb_id: 0x1000,
            counter: 7,
            bsm_id: "bsm.example.org",
            btid: "btid@bsf.example.org",
            key_domain_id: &[1, 2, 3],
            msk_id: &[0, 0, 0, 9],
            msk: &[0x11; 16],
            empty_kemac,
            verify: false,
            invalidate: false,
        }
    }

    /// The MUK verifies the MAC and decrypts the MSK the LTKM was built with.
    #[test]
    fn the_muk_opens_the_ltkm() {
        let bytes = build(&parts(false), &[7; 16]).unwrap();
        let d = crate::mikey::decode(&bytes);
        assert!(d.is_clean());
        let m = d.message.as_ref().unwrap();
        let o = psk_message(&bytes, m, &[7; 16], &PskOptions::default()).unwrap();
        assert_eq!(o.mac, MacCheck::Verified);
        assert_eq!(o.key_data().unwrap().entries.len(), 1);
        let other = psk_message(&bytes, m, &[8; 16], &PskOptions::default()).unwrap();
        assert_ne!(other.mac, MacCheck::Verified);
    }

    #[test]
    fn an_empty_kemac_carries_no_encrypted_data() {
        let bytes = build(&parts(true), &[7; 16]).unwrap();
        let d = crate::mikey::decode(&bytes);
        let m = d.message.as_ref().unwrap();
        let k = m
            .payloads
            .iter()
            .find_map(|p| match &p.body {
                crate::mikey::PayloadBody::Kemac(k) => Some(k),
                _ => None,
            })
            .unwrap();
        assert_eq!(k.encr_data.value.0.len(), 0);
    }
}
