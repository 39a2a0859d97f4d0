//! Check kind `capture_complete`: a packet capture holds every block it starts (pcap: each
//! packet record's data is its Captured Packet Length; pcapng: each block is its Block Total
//! Length). The engine judges it while reading the capture (`engine::packet_capture`), as it judges
//! well-formedness while reading a document: a capture cut off inside a block gets this
//! rule's one finding, at the last frame read whole, and the frames before the cut are
//! judged as read. On the sessions of a capture it finds nothing to add.

use super::*;
use crate::checks::trace::{StepCtx, TraceHit};

/// The capture ends with a whole block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaptureComplete {}

impl CheckKind for CaptureComplete {
    crate::check_kind_judge!(Trace);
}

impl TraceCheck for CaptureComplete {
    fn step(&self, _step: &Step, _ctx: &StepCtx, _out: &mut Vec<TraceHit>) {}
}
