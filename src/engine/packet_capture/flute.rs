//! The FLUTE sessions of a capture (`crate::flute`), judged as a session trace's `flute`
//! events are: each FDT instance once as an `fdt` input and each MTK object as an MTK message
//! (`Engine::judge_flute`, the trace's own path), then each event given to the session rules
//! the way a UDP MIKEY datagram is ([`Engine::flute_event`], the one place to re-point when
//! the session rules change shape).

use crate::engine::merge::merge_outcomes;
use crate::engine::Engine;
use crate::finding::{Finding, RuleOutcome};
use crate::flute::session::{Delivered, Summary};
use crate::trace::EventBody;

/// What the FLUTE events of a capture gave, besides their findings.
#[derive(Default)]
pub(super) struct FluteTally {
    pub(super) outcomes: Vec<RuleOutcome>,
    pub(super) fdts: usize,
    pub(super) objects: usize,
    /// Notes of the judged inputs and what could not be judged (at most MAX_NOTES).
    pub(super) notes: Vec<String>,
}

const MAX_NOTES: usize = 8;

impl FluteTally {
    pub(super) fn judged(&self) -> usize {
        self.fdts + self.objects
    }
}

impl Engine {
    /// One FLUTE event of a capture: its FDT (when new) and MTK objects judged; their
    /// findings, and the event for the session rules (which key it by its destination, the
    /// terminals it was sent to, as a UDP push).
    pub(super) fn flute_event(
        &self,
        d: Delivered,
        tally: &mut FluteTally,
    ) -> (Vec<Finding>, crate::trace::Event) {
        let EventBody::Flute { fdt, objects, .. } = &d.event.body else {
            return (Vec::new(), d.event);
        };
        let place = format!(
            "frame {} ({} -> {})",
            d.event.number,
            d.event.from.as_deref().unwrap_or("?"),
            d.event.to.as_deref().unwrap_or("?")
        );
        let judged_fdt = if d.new_fdt { fdt.as_str() } else { "" };
        let (j, unjudged) = self.judge_flute(&place, judged_fdt, objects);
        tally.fdts += usize::from(d.new_fdt);
        tally.objects += objects.len();
        merge_outcomes(&mut tally.outcomes, j.outcomes);
        for n in j.notes.into_iter().chain(unjudged) {
            if tally.notes.len() < MAX_NOTES {
                tally.notes.push(n);
            }
        }
        (j.findings, d.event)
    }

    /// The notes on the capture's FLUTE sessions; the reason they make the session rules
    /// incomplete, when something that may be an MTK object or FDT instance was not read.
    pub(super) fn flute_notes(
        &self,
        summary: &Summary,
        tally: &FluteTally,
    ) -> (Vec<String>, Option<String>) {
        let mut notes = Vec::new();
        if summary.sessions > 0 || summary.packets > 0 {
            notes.push(format!(
                "FLUTE: {} ({}): {} and {} judged",
                crate::plural::counted(summary.sessions, "session", "sessions"),
                crate::plural::counted(summary.packets, "ALC/LCT packet", "ALC/LCT packets"),
                crate::plural::counted(tally.fdts, "FDT instance", "FDT instances"),
                crate::plural::counted(tally.objects, "MTK object", "MTK objects"),
            ));
        }
        notes.extend(summary.notes.iter().cloned());
        notes.extend(tally.notes.iter().cloned());
        let why = (!summary.incomplete.is_empty()).then(|| {
            format!(
                "FLUTE objects that may carry MTKs were not read: {}",
                summary.incomplete.join("; ")
            )
        });
        notes.extend(why.clone());
        (notes, why)
    }
}
