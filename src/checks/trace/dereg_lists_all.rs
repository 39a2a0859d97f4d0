//! Check kind `trace_dereg_lists_all`.

use super::*;

/// A deregistration lists every registered service.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeregListsAll {}

impl CheckKind for DeregListsAll {
    crate::check_kind_judge!(Trace);
}

impl TraceCheck for DeregListsAll {
    fn reads_request_bodies(&self) -> bool {
        true // registrations are known by their request body
    }

    fn trace(&self, ctx: &TraceCtx) -> Vec<TraceHit> {
        dereg_lists_all(ctx.trace)
    }
}

/// BCAST-DEREG-01: a deregistration lists every service the terminal is registered to.
fn dereg_lists_all(trace: &Trace) -> Vec<TraceHit> {
    let mut registered: BTreeSet<String> = BTreeSet::new();
    let mut hits = Vec::new();
    for e in &trace.events {
        let outcome = with_docs(e, |req, resp, status| {
            let ids = |d: Option<&roxmltree::Document>| {
                d.map(|d| xml_elements(d, "serviceID").map(text).collect::<Vec<_>>())
                    .unwrap_or_default()
            };
            let ok = resp
                .map(|d| {
                    xml_elements(d, "Response")
                        .filter(|r| {
                            r.children().any(|c| {
                                c.tag_name().name() == "ResponseCode"
                                    && code_of(&text(c)) == Some(200)
                            })
                        })
                        .filter_map(|r| {
                            r.children()
                                .find(|c| c.tag_name().name() == "serviceID")
                                .map(text)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let kind = if root_is(req, "mbmsSecurityRegister") {
                1
            } else if root_is(req, "mbmsSecurityDeregister") {
                2
            } else {
                0
            };
            (kind, ids(req), if status == 200 { ok } else { Vec::new() })
        });
        let Some((kind, listed, ok)) = outcome else {
            continue;
        };
        match kind {
            1 => registered.extend(ok),
            2 => {
                let missing: Vec<&String> =
                    registered.iter().filter(|s| !listed.contains(s)).collect();
                if !missing.is_empty() {
                    hits.push(hit(
                        e.number,
                        vec![(
                            "value",
                            missing
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                        )],
                    ));
                }
                for s in ok {
                    registered.remove(&s);
                }
            }
            _ => {}
        }
    }
    hits
}
