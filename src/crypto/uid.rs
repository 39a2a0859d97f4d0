//! The MIKEY-SAKKE UID of TS 33.180 Annex F.2.1 (same text in TS 33.179 F.2.1):
//! `UID = SHA-256(S)`, not the TS 33.220 HMAC KDF ("FC should only be considered as a
//! dummy value"), with
//! `S = 0x00 || "MIKEY-SAKKE-UID" || 0x000F || URI || L1 || KMS-URI || L2 || P3 || L3 || P4 || L4 || P5 || L5`,
//! P3/P4/P5 the key period length, offset and current period number as minimal big-endian
//! octets (TS 33.220 B.2.1.3; zero is the single octet 0x00).

use sha2::{Digest, Sha256};

/// The FC dummy value and P0 of S.
const FC: u8 = 0x00;
const P0: &[u8] = b"MIKEY-SAKKE-UID";

/// A UID with the key period number it was derived for (findings show the number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerivedUid {
    pub uid: [u8; 32],
    pub key_period_number: u64,
}

/// Why a UID could not be derived.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UidError {
    #[error("the KMS user key period is 0 seconds")]
    ZeroPeriod,
    #[error("the message time ({ntp_seconds} s since 1900) is before the KMS key period offset ({offset} s)")]
    BeforeOffset { ntp_seconds: u64, offset: u64 },
    #[error("a UID parameter is {0} octets, more than a 2-octet length field holds")]
    ParameterTooLong(usize),
    #[error("the T payload value is {0} octets, NTP-UTC needs 8")]
    NtpLength(usize),
}

/// TS 33.220 B.2.1.3: a non-negative integer in the fewest octets (0 → 0x00).
pub fn minimal_octets(v: u64) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let first = bytes
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(bytes.len() - 1);
    bytes[first..].to_vec()
}

fn push_parameter(s: &mut Vec<u8>, p: &[u8]) -> Result<(), UidError> {
    let len = u16::try_from(p.len()).map_err(|_| UidError::ParameterTooLong(p.len()))?;
    s.extend_from_slice(p);
    s.extend_from_slice(&len.to_be_bytes());
    Ok(())
}

/// The UID of `uri` under the KMS `kms_uri` for key period number `period_number`.
pub fn uid(
    uri: &[u8],
    kms_uri: &[u8],
    period: u64,
    offset: u64,
    period_number: u64,
) -> Result<[u8; 32], UidError> {
    let mut s = vec![FC];
    push_parameter(&mut s, P0)?;
    push_parameter(&mut s, uri)?;
    push_parameter(&mut s, kms_uri)?;
    push_parameter(&mut s, &minimal_octets(period))?;
    push_parameter(&mut s, &minimal_octets(offset))?;
    push_parameter(&mut s, &minimal_octets(period_number))?;
    Ok(Sha256::digest(&s).into())
}

/// The seconds of a 64-bit NTP-UTC timestamp (T payload TS type 0): its top 32 bits.
pub fn ntp_seconds(ts_value: &[u8]) -> Result<u64, UidError> {
    let v: [u8; 8] = ts_value
        .try_into()
        .map_err(|_| UidError::NtpLength(ts_value.len()))?;
    Ok(u64::from(u32::from_be_bytes([v[0], v[1], v[2], v[3]])))
}

/// `P5 = floor((NTP seconds − offset) / period)`.
pub fn key_period_number(ntp_seconds: u64, period: u64, offset: u64) -> Result<u64, UidError> {
    if period == 0 {
        return Err(UidError::ZeroPeriod);
    }
    let since = ntp_seconds
        .checked_sub(offset)
        .ok_or(UidError::BeforeOffset {
            ntp_seconds,
            offset,
        })?;
    Ok(since / period)
}

/// The UID for the key period that contains the message's NTP-UTC timestamp `t_value`
/// (the 8 octets of the T payload).
pub fn uid_at(
    uri: &[u8],
    kms_uri: &[u8],
    period: u64,
    offset: u64,
    t_value: &[u8],
) -> Result<DerivedUid, UidError> {
    let number = key_period_number(ntp_seconds(t_value)?, period, offset)?;
    Ok(DerivedUid {
        uid: uid(uri, kms_uri, period, offset, number)?,
        key_period_number: number,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::test_vectors::{ts33180, ts33180_hex, ts33180_message, TS33180};

    fn arg<'a>(line: &'a str, name: &str) -> &'a str {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
            .unwrap_or_else(|| panic!("{name} in {line}"))
    }

    #[test]
    fn every_set_3_uid_vector() {
        let lines: Vec<&str> = TS33180
            .lines()
            .filter(|l| l.trim_start().starts_with("uri="))
            .collect();
        assert_eq!(lines.len(), 8);
        for line in lines {
            let num = |n: &str| arg(line, n).parse::<u64>().expect("number");
            let got = uid(
                arg(line, "uri").as_bytes(),
                arg(line, "kms").as_bytes(),
                num("period"),
                num("offset"),
                num("period_no"),
            );
            let want = line
                .split("-> ")
                .nth(1)
                .unwrap_or("")
                .split_whitespace()
                .next();
            assert_eq!(got.map(hex::encode).ok().as_deref(), want, "{line}");
        }
    }

    /// The T payload value (NTP-UTC) of a message of the vector file.
    fn t_value(section: &str) -> [u8; 8] {
        let msg = ts33180_message(section);
        let decoded = crate::mikey::decode(&msg);
        let t = decoded.message.as_ref().and_then(|m| {
            m.payloads.iter().find_map(|p| match &p.body {
                crate::mikey::PayloadBody::T(t) => Some(t.ts_value.value),
                _ => None,
            })
        });
        t.expect("T payload").to_be_bytes()
    }

    #[test]
    fn user_ids_from_the_message_time() {
        // Set 1: period 16777215 s, offset 0, key period 236; Set 2: 914544000 s, 0, 4.
        let sets: [(&str, &str, u64, u64, &[&str]); 2] = [
            (
                "Test 1: GMK",
                "kms.mydev.streamwide.com",
                16_777_215,
                236,
                &[
                    "gms@streamwide.com",
                    "sip:alice@streamwide.com",
                    "sip:iwf_legacy_v1.1.x_format@streamwide.com",
                    "sip:bob@streamwide.com",
                ],
            ),
            (
                "Test 6: CSK (ALEA v3)",
                "sip:common_kms.test.org",
                914_544_000,
                4,
                &[
                    "sip:gms.test.org",
                    "sip:mcptt-participant.test.org",
                    "sip:u1alea@veronica-cluster",
                ],
            ),
        ];
        for (message, kms, period, number, users) in sets {
            let t = t_value(message);
            for user in users {
                let got = uid_at(user.as_bytes(), kms.as_bytes(), period, 0, &t);
                let want = ts33180_hex(&format!("User {user}"), "UserID");
                assert_eq!(got.as_ref().map(|d| d.uid.to_vec()), Ok(want), "{user}");
                assert_eq!(got.map(|d| d.key_period_number), Ok(number));
            }
        }
        assert!(ts33180("", "KMS URI").contains("key period no 236"));
        assert!(ts33180("", "Set 2 KMS URI").contains("key period no 4"));
    }

    #[test]
    fn the_ts33180_example_time_gives_period_1388() {
        // 3599719634 NTP = 2014-01-26T10:07:14Z (Set 3 note).
        assert_eq!(key_period_number(3_599_719_634, 2_592_000, 0), Ok(1388));
    }

    #[test]
    fn minimal_octets_and_errors() {
        assert_eq!(minimal_octets(0), vec![0]);
        assert_eq!(minimal_octets(255), vec![255]);
        assert_eq!(minimal_octets(256), vec![1, 0]);
        assert_eq!(minimal_octets(2_592_000), vec![0x27, 0x8d, 0x00]);
        assert_eq!(key_period_number(5, 0, 0), Err(UidError::ZeroPeriod));
        assert_eq!(
            key_period_number(5, 10, 6),
            Err(UidError::BeforeOffset {
                ntp_seconds: 5,
                offset: 6
            })
        );
        assert_eq!(key_period_number(25, 10, 6), Ok(1));
        assert_eq!(ntp_seconds(&[0; 4]), Err(UidError::NtpLength(4)));
        assert_eq!(ntp_seconds(&[0, 0, 1, 0, 9, 9, 9, 9]), Ok(256));
        let long = vec![b'a'; 70_000];
        assert_eq!(
            uid(&long, b"k", 1, 0, 0),
            Err(UidError::ParameterTooLong(70_000))
        );
    }
}
