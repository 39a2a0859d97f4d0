//! Wire problems found while decoding, named after how the sender is wrong.

use serde::Serialize;

/// One problem in the input. Every variant carries the absolute byte offset
/// it refers to. Variants marked "fatal" stop the payload chain walk; the
/// payloads decoded before stay in the result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WireIssue {
    /// A fixed-size field runs past the end of the data (fatal).
    #[error("truncated {what} at offset {offset}: needs {needed} octets, {available} available")]
    Truncated {
        what: &'static str,
        offset: usize,
        needed: usize,
        available: usize,
    },
    /// A length field declares more octets than remain (fatal). `offset` is
    /// the offset of the length field.
    #[error("{what} at offset {offset} declares {declared} octets, only {available} available")]
    LengthOverrun {
        what: &'static str,
        offset: usize,
        declared: usize,
        available: usize,
    },
    /// An inner structure does not use exactly the octets its container gives it (not fatal).
    #[error("{what} at offset {offset}: container gives {declared} octets, content uses {used}")]
    LengthMismatch {
        what: &'static str,
        offset: usize,
        declared: usize,
        used: usize,
    },
    /// Octets after the end of the payload chain (not fatal).
    #[error("{len} trailing octets after the last payload at offset {offset}")]
    TrailingData { offset: usize, len: usize },
    /// A payload type this decoder does not know. MIKEY has no generic payload
    /// length, so an unknown payload cannot be skipped (fatal).
    #[error("unknown payload type {value} at offset {offset}: MIKEY payloads have no common length field, so it cannot be skipped")]
    UnknownPayloadType { offset: usize, value: u8 },
    /// A known payload whose length cannot be determined, e.g. an unknown
    /// algorithm that fixes the size of a following field (fatal).
    #[error("payload type {payload_type} at offset {offset} cannot be decoded: {reason}")]
    UndecodablePayload {
        offset: usize,
        payload_type: u8,
        reason: &'static str,
    },
    /// A CS ID map type whose layout (and so length) is unknown (fatal unless
    /// the HDR is the last payload).
    #[error("unknown CS ID map type {value} at offset {offset}: the map info length cannot be determined")]
    UnknownCsIdMapType { offset: usize, value: u8 },
    /// The payload chain is longer than the decoder's bound (fatal).
    #[error("more than {limit} payloads; stopped at offset {offset}")]
    TooManyPayloads { offset: usize, limit: usize },
    /// The data ends while the previous payload announced another payload
    /// (no "Last payload" 0 and no SIGN).
    #[error("payload chain not terminated: next payload {next_payload} announced at offset {announced_at}, but the data ends at offset {offset}")]
    ChainNotTerminated {
        offset: usize,
        next_payload: u8,
        announced_at: usize,
    },
    /// HDR version other than 1; the rest is decoded with the version-1 layout (not fatal).
    #[error(
        "unsupported MIKEY version {value} at offset {offset}; decoded with the version 1 layout"
    )]
    UnsupportedVersion { offset: usize, value: u8 },
    /// The input is empty.
    #[error("empty input")]
    Empty,
}

impl WireIssue {
    /// Every value [`WireIssue::kind`] can return.
    pub const KINDS: &'static [&'static str] = &[
        "truncated",
        "length_overrun",
        "length_mismatch",
        "trailing_data",
        "unknown_payload_type",
        "undecodable_payload",
        "unknown_cs_id_map_type",
        "too_many_payloads",
        "chain_not_terminated",
        "unsupported_version",
        "empty",
    ];
    /// The absolute offset this issue points at (0 for `Empty`).
    pub fn offset(&self) -> usize {
        match self {
            WireIssue::Truncated { offset, .. }
            | WireIssue::LengthOverrun { offset, .. }
            | WireIssue::LengthMismatch { offset, .. }
            | WireIssue::TrailingData { offset, .. }
            | WireIssue::UnknownPayloadType { offset, .. }
            | WireIssue::UndecodablePayload { offset, .. }
            | WireIssue::UnknownCsIdMapType { offset, .. }
            | WireIssue::TooManyPayloads { offset, .. }
            | WireIssue::ChainNotTerminated { offset, .. }
            | WireIssue::UnsupportedVersion { offset, .. } => *offset,
            WireIssue::Empty => 0,
        }
    }
    /// Short stable name of the variant (the JSON `kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            WireIssue::Truncated { .. } => "truncated",
            WireIssue::LengthOverrun { .. } => "length_overrun",
            WireIssue::LengthMismatch { .. } => "length_mismatch",
            WireIssue::TrailingData { .. } => "trailing_data",
            WireIssue::UnknownPayloadType { .. } => "unknown_payload_type",
            WireIssue::UndecodablePayload { .. } => "undecodable_payload",
            WireIssue::UnknownCsIdMapType { .. } => "unknown_cs_id_map_type",
            WireIssue::TooManyPayloads { .. } => "too_many_payloads",
            WireIssue::ChainNotTerminated { .. } => "chain_not_terminated",
            WireIssue::UnsupportedVersion { .. } => "unsupported_version",
            WireIssue::Empty => "empty",
        }
    }
}
