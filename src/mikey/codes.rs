//! Wire code points as newtypes that keep unknown values.
//!
//! Each type is `pub struct X(pub u8)` (or u16) with associated consts for the
//! known values and `name()` returning the registered name. Sources and
//! confidence: see the module README; values are from the IANA MIKEY registry
//! unless the README says otherwise.

use super::field::FieldValue;
use std::borrow::Cow;
use std::fmt;

macro_rules! code_point {
    ($(#[$m:meta])* $name:ident($repr:ty) { $($konst:ident = $val:literal => $text:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $repr);

        impl $name {
            $(pub const $konst: $name = $name($val);)*
            /// Registered name of the value, `None` when unknown.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($val => Some($text),)*
                    _ => None,
                }
            }
            /// All known values.
            pub const KNOWN: &'static [$name] = &[$($name($val)),*];
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({}", stringify!($name), self.0)?;
                if let Some(n) = self.name() { write!(f, " {n}")?; }
                f.write_str(")")
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(n) => write!(f, "{} ({})", self.0, n),
                    None => write!(f, "{} (unknown)", self.0),
                }
            }
        }
        impl From<$repr> for $name {
            fn from(v: $repr) -> Self { $name(v) }
        }
        impl FieldValue for $name {
            fn json_value(&self) -> serde_json::Value { serde_json::Value::from(self.0) }
            fn meaning(&self) -> Option<Cow<'static, str>> {
                Some(Cow::Borrowed(self.name().unwrap_or("unknown")))
            }
        }
    };
}

code_point!(
    /// HDR data type (message kind).
    DataType(u8) {
        PSK_INIT = 0 => "Pre-shared key init",
        PSK_VERIFY = 1 => "PSK verification",
        PK_INIT = 2 => "Public-key init",
        PK_VERIFY = 3 => "PK verification",
        DH_INIT = 4 => "D-H init",
        DH_RESP = 5 => "D-H resp",
        ERROR = 6 => "Error",
        DHHMAC_INIT = 7 => "DHHMAC init",
        DHHMAC_RESP = 8 => "DHHMAC resp",
        RSA_R_INIT = 9 => "RSA-R I_MSG",
        RSA_R_RESP = 10 => "RSA-R R_MSG",
        TICKET_REQUEST_INIT_PSK = 11 => "MIKEY-TICKET REQUEST_INIT_PSK",
        TICKET_REQUEST_INIT_PK = 12 => "MIKEY-TICKET REQUEST_INIT_PK",
        TICKET_REQUEST_RESP = 13 => "MIKEY-TICKET REQUEST_RESP",
        TICKET_TRANSFER_INIT = 14 => "MIKEY-TICKET TRANSFER_INIT",
        TICKET_TRANSFER_RESP = 15 => "MIKEY-TICKET TRANSFER_RESP",
        TICKET_RESOLVE_INIT_PSK = 16 => "MIKEY-TICKET RESOLVE_INIT_PSK",
        TICKET_RESOLVE_INIT_PK = 17 => "MIKEY-TICKET RESOLVE_INIT_PK",
        TICKET_RESOLVE_RESP = 18 => "MIKEY-TICKET RESOLVE_RESP",
        IBAKE_REQUEST_KEY_PSK = 19 => "MIKEY-IBAKE REQUEST_KEY_PSK",
        IBAKE_REQUEST_KEY_PKE = 20 => "MIKEY-IBAKE REQUEST_KEY_PKE",
        IBAKE_REQUEST_KEY_RESP = 21 => "MIKEY-IBAKE REQUEST_KEY_RESP",
        IBAKE_I_MESSAGE_1 = 22 => "MIKEY-IBAKE I_MESSAGE_1",
        IBAKE_R_MESSAGE_1 = 23 => "MIKEY-IBAKE R_MESSAGE_1",
        IBAKE_I_MESSAGE_2 = 24 => "MIKEY-IBAKE I_MESSAGE_2",
        IBAKE_R_MESSAGE_2 = 25 => "MIKEY-IBAKE R_MESSAGE_2",
        SAKKE = 26 => "SAKKE I_MESSAGE",
    }
);

code_point!(
    /// "Next payload" values (payload types).
    PayloadType(u8) {
        LAST = 0 => "Last payload",
        KEMAC = 1 => "KEMAC",
        PKE = 2 => "PKE",
        DH = 3 => "DH",
        SIGN = 4 => "SIGN",
        T = 5 => "T (timestamp)",
        ID = 6 => "ID",
        CERT = 7 => "CERT",
        CHASH = 8 => "CHASH",
        V = 9 => "V (verification)",
        SP = 10 => "SP (security policy)",
        RAND = 11 => "RAND",
        ERR = 12 => "ERR",
        TR = 13 => "TR (timestamp with role)",
        IDR = 14 => "IDR (ID with role)",
        RANDR = 15 => "RANDR (RAND with role)",
        TP = 16 => "TP (ticket policy)",
        TICKET = 17 => "TICKET",
        KEY_DATA = 20 => "Key data",
        GENERAL_EXT = 21 => "General Extension",
        IBAKE = 22 => "IBAKE",
        ESK = 23 => "ESK",
        SK = 24 => "SK",
        ECCPT = 25 => "ECCPT",
        SAKKE = 26 => "SAKKE",
    }
);

code_point!(
    /// HDR PRF func (7 bits).
    PrfFunc(u8) {
        MIKEY_1 = 0 => "MIKEY-1 (HMAC-SHA-1)",
        PRF_HMAC_SHA_256 = 1 => "PRF-HMAC-SHA-256",
    }
);

code_point!(
    /// HDR CS ID map type.
    CsIdMapType(u8) {
        SRTP_ID = 0 => "SRTP-ID",
        EMPTY = 1 => "Empty map",
        GENERIC_ID = 2 => "GENERIC-ID",
        IPSEC4_ID = 7 => "IPSEC4-ID (minisip, not IANA-assigned)",
    }
);

code_point!(
    /// KEMAC encryption algorithm.
    EncrAlg(u8) {
        NULL = 0 => "NULL",
        AES_CM_128 = 1 => "AES-CM-128",
        AES_KW_128 = 2 => "AES-KW-128",
        AES_CM_256 = 3 => "AES-CM-256",
    }
);

code_point!(
    /// KEMAC / V MAC algorithm.
    MacAlg(u8) {
        NULL = 0 => "NULL",
        HMAC_SHA_1_160 = 1 => "HMAC-SHA-1-160",
        HMAC_SHA_256_256 = 2 => "HMAC-SHA-256-256",
    }
);

impl MacAlg {
    /// Length of the MAC value in octets, `None` for unknown algorithms.
    pub fn mac_len(self) -> Option<usize> {
        match self.0 {
            0 => Some(0),
            1 => Some(20),
            2 => Some(32),
            _ => None,
        }
    }
}

code_point!(
    /// Key data sub-payload type (4 bits).
    KeyDataType(u8) {
        TGK = 0 => "TGK",
        TGK_SALT = 1 => "TGK+SALT",
        TEK = 2 => "TEK",
        TEK_SALT = 3 => "TEK+SALT",
        GTGK = 4 => "GTGK",
        GTGK_SALT = 5 => "GTGK+SALT",
        MPK = 6 => "MPK",
        K_PR = 7 => "K_PR",
    }
);

impl KeyDataType {
    /// True when the layout carries a salt length and salt.
    pub fn has_salt(self) -> bool {
        matches!(self.0, 1 | 3 | 5)
    }
}

code_point!(
    /// Key validity (KV) type (4 bits).
    KvType(u8) {
        NULL = 0 => "NULL",
        SPI = 1 => "SPI/MKI",
        INTERVAL = 2 => "Interval",
    }
);

code_point!(
    /// T payload TS type.
    TsType(u8) {
        NTP_UTC = 0 => "NTP-UTC",
        NTP = 1 => "NTP",
        COUNTER = 2 => "COUNTER",
        NTP_UTC_32 = 3 => "NTP-UTC-32",
    }
);

impl TsType {
    /// Length of the TS value in octets, `None` for unknown types.
    pub fn value_len(self) -> Option<usize> {
        match self.0 {
            0 | 1 => Some(8),
            2 | 3 => Some(4),
            _ => None,
        }
    }
}

code_point!(
    /// ID / IDR ID type.
    IdType(u8) {
        NAI = 0 => "NAI",
        URI = 1 => "URI",
        BYTE_STRING = 2 => "Byte string",
    }
);

code_point!(
    /// IDR ID role.
    IdRole(u8) {
        RESERVED = 0 => "Reserved",
        IDRI = 1 => "IDRi (Initiator)",
        IDRR = 2 => "IDRr (Responder)",
        IDRKMS = 3 => "IDRkms (KMS)",
        IDRPSK = 4 => "IDRpsk (Pre-Shared Key)",
        IDRAPP = 5 => "IDRapp (Application)",
        IDRKMSI = 6 => "IDRkmsi (Initiator's KMS)",
        IDRKMSR = 7 => "IDRkmsr (Responder's KMS)",
        IDRUIDI = 8 => "IDRuidi (Hashed Initiator UID)",
        IDRUIDR = 9 => "IDRuidr (Hashed Responder UID)",
    }
);

code_point!(
    /// CERT payload cert type.
    CertType(u8) {
        X509V3 = 0 => "X.509v3",
        X509V3_URL = 1 => "X.509v3 URL",
        X509V3_SIGN = 2 => "X.509v3 Sign",
        X509V3_ENCR = 3 => "X.509v3 Encr",
    }
);

code_point!(
    /// CHASH hash function.
    HashFunc(u8) {
        SHA_1 = 0 => "SHA-1",
        MD5 = 1 => "MD5",
        SHA_256 = 2 => "SHA-256",
    }
);

impl HashFunc {
    pub fn hash_len(self) -> Option<usize> {
        match self.0 {
            0 => Some(20),
            1 => Some(16),
            2 => Some(32),
            _ => None,
        }
    }
}

code_point!(
    /// SP payload security protocol type (also GENERIC-ID Prot type).
    ProtType(u8) {
        SRTP = 0 => "SRTP",
        TESLA = 1 => "TESLA",
    }
);

code_point!(
    /// SRTP security policy parameter types (Prot type 0).
    SrtpParamType(u8) {
        ENCR_ALG = 0 => "Encryption algorithm",
        SESSION_ENCR_KEY_LEN = 1 => "Session encr. key length",
        AUTH_ALG = 2 => "Authentication algorithm",
        SESSION_AUTH_KEY_LEN = 3 => "Session auth. key length",
        SESSION_SALT_KEY_LEN = 4 => "Session salt key length",
        SRTP_PRF = 5 => "SRTP pseudo random function",
        KEY_DERIVATION_RATE = 6 => "Key derivation rate",
        SRTP_ENCRYPTION = 7 => "SRTP encryption off/on",
        SRTCP_ENCRYPTION = 8 => "SRTCP encryption off/on",
        FEC_ORDER = 9 => "Sender's FEC order",
        SRTP_AUTHENTICATION = 10 => "SRTP authentication off/on",
        AUTH_TAG_LEN = 11 => "Authentication tag length",
        SRTP_PREFIX_LEN = 12 => "SRTP prefix length",
        ROC_TX_RATE = 13 => "ROC transmission rate",
        SRTP_AUTH_ALG = 14 => "SRTP Auth. algorithm (RFC 4771)",
        SRTCP_AUTH_ALG = 15 => "SRTCP Auth. algorithm (RFC 4771)",
        SRTP_SESSION_AUTH_KEY_LEN = 16 => "SRTP Session Auth. key len (RFC 4771)",
        SRTCP_SESSION_AUTH_KEY_LEN = 17 => "SRTCP Session Auth. key len (RFC 4771)",
        SRTP_AUTH_TAG_LEN = 18 => "SRTP Authentication tag len (RFC 4771)",
        SRTCP_AUTH_TAG_LEN = 19 => "SRTCP Authentication tag len (RFC 4771)",
        AEAD_AUTH_TAG_LEN = 20 => "AEAD authentication tag length",
    }
);

code_point!(
    /// ERR payload error number.
    ErrorCode(u8) {
        AUTH_FAILURE = 0 => "Auth failure",
        INVALID_TS = 1 => "Invalid TS",
        INVALID_PRF = 2 => "Invalid PRF",
        INVALID_MAC = 3 => "Invalid MAC",
        INVALID_EA = 4 => "Invalid EA",
        INVALID_HA = 5 => "Invalid HA",
        INVALID_DH = 6 => "Invalid DH",
        INVALID_ID = 7 => "Invalid ID",
        INVALID_CERT = 8 => "Invalid Cert",
        INVALID_SP = 9 => "Invalid SP",
        INVALID_SPPAR = 10 => "Invalid SPpar",
        INVALID_DT = 11 => "Invalid DT",
        UNSPECIFIED = 12 => "Unspecified error",
        UNSUPPORTED_MESSAGE_TYPE = 13 => "Unsupported message type",
        INVALID_TICKET = 14 => "Invalid TICKET",
        INVALID_TPPAR = 15 => "Invalid TPpar",
    }
);

code_point!(
    /// General Extension type.
    ExtType(u8) {
        VENDOR_ID = 0 => "Vendor ID",
        SDP_IDS = 1 => "SDP IDs",
        TESLA_I_KEY = 2 => "TESLA I-Key",
        KEY_ID = 3 => "Key ID (RFC 4563)",
        CSB_ID = 4 => "CSB_ID (RFC 4738)",
        OMA_BCAST = 5 => "OMA BCAST",
        SAKKE_TO_SELF = 6 => "SAKKE-to-self (TS 33.180)",
        KEY_PARAMETERS_3GPP = 7 => "3GPP key parameters (TS 33.180)",
    }
);

code_point!(
    /// MCData message type opening the protected payload of General Extension type 7
    /// (TS 33.180 E.6.1, TS 24.282 15.2.2). Only the value of the Streamwide samples is
    /// named \[I\]; TS 24.282's table was not read, so other values are shown as unknown.
    McDataMessageType(u8) {
        PROTECTED_PAYLOAD_SAMPLES = 0x43 => "as in the Streamwide samples",
    }
);

code_point!(
    /// RFC 4563 Key ID type (inside General Extension type 3).
    KeyIdType(u8) {
        MBMS_KEY_DOMAIN_ID = 0 => "MBMS Key Domain ID",
        MBMS_MSK_ID = 1 => "MBMS Service Key ID (MSK ID)",
        MBMS_MTK_ID = 2 => "MBMS Traffic Key ID (MTK ID)",
    }
);

code_point!(
    /// OMA BCAST data subtype (inside General Extension type 5).
    OmaBcastSubtype(u8) {
        RESERVED = 0 => "Reserved",
        LTKM = 1 => "LTKM",
        STKM = 2 => "STKM",
        LTKM_REPORTING = 3 => "LTKM Reporting",
        PARENTAL_CONTROL = 4 => "Parental Control",
    }
);

code_point!(
    /// SIGN S type (4 bits).
    SignType(u8) {
        RSA_PKCS1_V1_5 = 0 => "RSA/PKCS#1/1.5",
        RSA_PSS = 1 => "RSA/PSS",
        ECCSI = 2 => "ECCSI",
    }
);

code_point!(
    /// SAKKE payload SAKKE params.
    SakkeParams(u8) {
        RESERVED = 0 => "Reserved",
        PARAMETER_SET_1 = 1 => "Parameter Set 1 (RFC 6509)",
        RESERVED_255 = 255 => "Reserved",
    }
);

code_point!(
    /// SAKKE payload ID scheme.
    SakkeIdScheme(u8) {
        TEL_URI_MONTHLY = 1 => "tel URI with monthly keys",
        MCX_HASHED_UID = 2 => "3GPP MCX hashed UID",
        PRIVATE_ENDPOINT_MONTHLY = 240 => "private end-point address with monthly keys (Streamwide, private use)",
    }
);

code_point!(
    /// DH group.
    DhGroup(u8) {
        OAKLEY_5 = 0 => "OAKLEY 5 (1536-bit MODP)",
        OAKLEY_1 = 1 => "OAKLEY 1 (768-bit MODP)",
        OAKLEY_2 = 2 => "OAKLEY 2 (1024-bit MODP)",
    }
);

impl DhGroup {
    pub fn value_len(self) -> Option<usize> {
        match self.0 {
            0 => Some(192),
            1 => Some(96),
            2 => Some(128),
            _ => None,
        }
    }
}

code_point!(
    /// PKE envelope-key cache indicator (2 bits).
    PkeCache(u8) {
        NO_CACHE = 0 => "No cache",
        CACHE = 1 => "Cache",
        CACHE_CSB = 2 => "Cache for this CSB only",
    }
);

code_point!(
    /// TR payload TS role.
    TsRole(u8) {
        TIME_OF_ISSUE = 1 => "TRi (time of issue)",
        START_OF_VALIDITY = 2 => "TRs (start of validity)",
        END_OF_VALIDITY = 3 => "TRe (end of validity)",
        REKEYING_INTERVAL = 4 => "TRr (rekeying interval)",
    }
);

code_point!(
    /// RANDR payload RAND role.
    RandRole(u8) {
        INITIATOR = 1 => "RANDRi (Initiator)",
        RESPONDER = 2 => "RANDRr (Responder)",
        KMS = 3 => "RANDRkms (KMS)",
    }
);

code_point!(
    /// TP / TICKET ticket type.
    TicketType(u16) {
        MIKEY_BASE = 1 => "MIKEY base ticket",
        BASE_3GPP = 2 => "3GPP base ticket",
    }
);

code_point!(
    /// MCX purpose tag: the 4 MSBs of the CSB ID / key id (TS 33.180).
    PurposeTag(u8) {
        GMK = 0 => "GMK",
        PCK = 1 => "PCK",
        CSK = 2 => "CSK",
        SPK = 3 => "SPK",
        MKFC = 4 => "MKFC",
        MSCCK = 5 => "MSCCK",
        MUSIK = 6 => "MuSiK",
    }
);

impl PurposeTag {
    /// Purpose tag of a 32-bit MCX key id / CSB ID.
    pub fn of_key_id(id: u32) -> PurposeTag {
        PurposeTag((id >> 28) as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_are_kept() {
        assert_eq!(PayloadType(99).name(), None);
        assert_eq!(PayloadType::SAKKE.name(), Some("SAKKE"));
        assert_eq!(format!("{}", DataType(26)), "26 (SAKKE I_MESSAGE)");
        assert_eq!(format!("{}", DataType(200)), "200 (unknown)");
        assert_eq!(PurposeTag::of_key_id(0x2ddd5bf0), PurposeTag::CSK);
    }
}
