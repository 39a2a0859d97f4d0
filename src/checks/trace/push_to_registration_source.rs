//! Check kind `trace_push_to_registration_source`.

use super::*;
use crate::value::ip::{same_host, why_not_same_host};

/// UDP pushes of MSK messages and LTKMs go to the address the latest registration came from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushToRegistrationSource {}

impl CheckKind for PushToRegistrationSource {
    crate::check_kind_judge!(Trace);
}

impl TraceCheck for PushToRegistrationSource {
    fn reads_request_bodies(&self) -> bool {
        true // registrations are known by their request body
    }

    fn trace(&self, ctx: &TraceCtx) -> Vec<TraceHit> {
        push_to_registration_source(ctx.trace)
    }
}

/// MBMS-GEN-04: pushes of MSK messages and LTKMs over UDP (point-to-point, TS 33.246 6.3.1)
/// go to the address the latest registration request came from. MTK messages travel on the
/// bearer of the MBMS User Service (multicast), and verification messages come from the
/// terminal: neither is a push to it. Addresses compare as addresses (`2001:db8::7` is
/// `2001:db8:0:0:0:0:0:7`; an IPv4-mapped IPv6 address is not the IPv4 address).
fn push_to_registration_source(trace: &Trace) -> Vec<TraceHit> {
    let mut source: Option<String> = None;
    let mut hits = Vec::new();
    for e in &trace.events {
        match &e.body {
            EventBody::Http(_)
                if with_docs(e, |req, _, _| root_is(req, "mbmsSecurityRegister"))
                    .unwrap_or(false) =>
            {
                source = e.from_addr().map(str::to_string);
            }
            EventBody::Udp { message } => {
                let f = e.facts_of(message);
                if is_verification(e, &f) || is_mtk(e, &f) {
                    continue;
                }
                if let (Some(s), Some(to)) = (&source, e.to_addr()) {
                    if !same_host(s, to) {
                        let value = match why_not_same_host(to, s) {
                            Some(why) => format!("{to} ({why})"),
                            None => to.to_string(),
                        };
                        hits.push(hit(
                            e.number,
                            vec![("value", value), ("expected", s.clone())],
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    hits
}
