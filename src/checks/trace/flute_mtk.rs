//! Check kind `trace_flute_mtk`.

use super::*;

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
    fn trace(&self, ctx: &TraceCtx) -> Vec<TraceHit> {
        flute_mtk(ctx.trace, &self.which)
    }
}

/// A Content-Type's media type: type/subtype without parameters, lower-cased (media types
/// compare case-insensitively and may carry parameters: RFC 2045 5.1, RFC 6838 4.2).
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// MBMS-MTK-03/04/05: each MTK object delivered in a FLUTE session is its own FDT File with its
/// own TOI (04), typed application/mikey (05), in a session that carries the object it
/// protects (03). `which` selects the requirement.
fn flute_mtk(trace: &Trace, which: &str) -> Vec<TraceHit> {
    let mut hits = Vec::new();
    for e in &trace.events {
        let EventBody::Flute {
            fdt,
            objects,
            session,
        } = &e.body
        else {
            continue;
        };
        let files = fdt_files(fdt);
        for toi in objects.keys() {
            let t = toi.to_string();
            let entries: Vec<_> = files.iter().filter(|(ft, _)| *ft == t).collect();
            match which {
                "own-object" => {
                    if entries.len() != 1 || *toi == 0 {
                        hits.push(hit(e.number, vec![("detail", format!("MTK object TOI {toi} has {} File entries in the FDT of session {session} (TOI 0 is the FDT itself)", entries.len()))]));
                    }
                }
                "mime-type" => {
                    for (_, ct) in entries {
                        if ct.as_deref().map(media_type).as_deref() != Some("application/mikey") {
                            hits.push(hit(
                                e.number,
                                vec![(
                                    "detail",
                                    format!(
                                        "MTK object TOI {toi} has Content-Type {}",
                                        ct.as_deref().unwrap_or("none")
                                    ),
                                )],
                            ));
                        }
                    }
                }
                _ => {
                    let others = files.iter().filter(|(ft, _)| *ft != t).count();
                    if others == 0 {
                        hits.push(hit(e.number, vec![("detail", format!("session {session} carries the MTK object TOI {toi} but no object it protects"))]));
                    }
                }
            }
        }
    }
    hits
}
