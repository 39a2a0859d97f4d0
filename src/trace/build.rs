//! Builds a trace from captures: the entries of HAR archives and the UDP MIKEY datagrams of
//! packet captures, merged in time order. HTTP events refer to their HAR entry; datagrams are
//! written inline as hex.

use crate::pcap::{self, Datagram};
use serde::Serialize;
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[derive(Serialize)]
struct OutHttp {
    file: String,
    entry: usize,
}

#[derive(Serialize)]
struct OutUdp {
    hex: String,
}

#[derive(Serialize)]
struct OutEvent {
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    http: Option<OutHttp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    udp: Option<OutUdp>,
}

#[derive(Serialize)]
struct OutTrace {
    trace: u32,
    resolve: BTreeMap<String, String>,
    events: Vec<OutEvent>,
}

/// One HAR given to the builder: the path to write in the trace, and its bytes.
pub struct HarInput {
    pub path: String,
    pub bytes: Vec<u8>,
}

fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// Builds the trace YAML. `terminal` is the terminal's address, written as the source of each
/// HTTP request (a HAR does not record the client address).
pub fn build(
    hars: &[HarInput],
    datagrams: &[Datagram],
    terminal: Option<&str>,
    resolve: BTreeMap<String, String>,
) -> Result<String, String> {
    let mut timed: Vec<(Option<OffsetDateTime>, usize, OutEvent)> = Vec::new();
    let mut seq = 0;
    for h in hars {
        let exchanges = crate::exchange::read(&h.bytes).map_err(|e| format!("{}: {e}", h.path))?;
        for (i, ex) in exchanges.iter().enumerate() {
            seq += 1;
            let at = ex.started.clone();
            timed.push((
                at.as_deref().and_then(parse_time),
                seq,
                OutEvent {
                    at,
                    from: terminal.map(str::to_string),
                    to: None,
                    http: Some(OutHttp {
                        file: h.path.clone(),
                        entry: i,
                    }),
                    udp: None,
                },
            ));
        }
    }
    for d in datagrams {
        seq += 1;
        let at = pcap::timestamp(d);
        timed.push((
            parse_time(&at),
            seq,
            OutEvent {
                at: Some(at),
                from: Some(d.src.clone()),
                to: Some(d.dst.clone()),
                http: None,
                udp: Some(OutUdp {
                    hex: hex::encode(&d.payload),
                }),
            },
        ));
    }
    // Time order; events without a time keep their place after the timed ones before them.
    timed.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.cmp(&y).then(a.1.cmp(&b.1)),
        _ => a.1.cmp(&b.1),
    });
    let trace = OutTrace {
        trace: 1,
        resolve,
        events: timed.into_iter().map(|(_, _, e)| e).collect(),
    };
    let mut out =
        String::from("# Built by `mikeyconf trace` from captures; see docs/trace-format.md.\n");
    out.push_str(&serde_yaml::to_string(&trace).map_err(|e| e.to_string())?);
    Ok(out)
}
