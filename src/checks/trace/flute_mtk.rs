//! Check kind `trace_flute_mtk`.

use super::*;
use crate::value::MediaType;

/// MTK objects in FLUTE (`which`: own-object, mime-type, same-session).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FluteMtk {
    pub which: String,
}

impl CheckKind for FluteMtk {
    crate::check_kind_judge!(Trace);
}

impl TraceCheck for FluteMtk {
    fn step(&self, step: &Step, _ctx: &StepCtx, out: &mut Vec<TraceHit>) {
        if let Step::Event(e) = step {
            flute_mtk(e, &self.which, out);
        }
    }

    fn judges_only(&self) -> Option<crate::checks::kind::JudgesOnly> {
        Some(crate::checks::kind::JudgesOnly {
            judges: |e| matches!(&e.body, EventBody::Flute { objects, .. } if !objects.is_empty()),
            what: "MTK object delivered in a FLUTE session",
        })
    }
}

/// MBMS-MTK-03/04/05: each MTK object delivered in a FLUTE session is its own FDT File with its
/// own TOI (04), typed application/mikey (05), in a session that carries the object it
/// protects (03). `which` selects the requirement.
///
/// TOIs compare as the `xs:positiveInteger`s they are (`TOI="02"` is object 2), Content-Types
/// as media types ([`crate::value::MediaType`]). One finding per defect: an MTK object with
/// no File entry, or at TOI 0, is MBMS-MTK-04's; one whose TOI several File entries share is
/// the FDT's duplicate TOI, which MBMS-MTK-04M reports in the event's FDT (judged by the FDT
/// rules, `Engine::judge_flute`). Either way the MTK's own entry is not known, so its type (05)
/// and the session's other objects (03) are judged only for an MTK with exactly one entry.
/// Each FLUTE event is judged alone.
fn flute_mtk(e: &Event, which: &str, hits: &mut Vec<TraceHit>) {
    {
        let EventBody::Flute {
            fdt,
            objects,
            session,
        } = &e.body
        else {
            return;
        };
        let files = fdt_files(fdt);
        for &toi in objects.keys() {
            let entries: Vec<&FdtFile> = files.iter().filter(|f| f.is_object(toi)).collect();
            let detail = match (which, entries.as_slice()) {
                ("own-object", _) if toi == 0 => {
                    format!("MTK object TOI 0 is the FDT's own TOI in session {session}")
                }
                ("own-object", []) => format!(
                    "MTK object TOI {toi} has no File entry in the FDT of session {session}"
                ),
                ("mime-type", [own])
                    if !own
                        .content_type
                        .as_deref()
                        .is_some_and(|ct| MediaType::is(ct, "application/mikey")) =>
                {
                    format!(
                        "MTK object TOI {toi} has Content-Type {}",
                        own.content_type.as_deref().unwrap_or("none")
                    )
                }
                ("same-session", [own]) if files.iter().all(|f| std::ptr::eq(f, *own)) => format!(
                    "session {session} carries the MTK object TOI {toi} but no object it protects"
                ),
                _ => continue,
            };
            hits.push(hit(e.number, vec![("detail", detail)]));
        }
    }
}
