//! Check kind `trace_key_freshness`.

use super::*;

/// MTK IDs and MIKEY counters increase (RFC 1982 for counters).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFreshness {}

impl CheckKind for KeyFreshness {
    crate::check_kind_judge!(Trace);
}

impl TraceCheck for KeyFreshness {
    fn trace(&self, ctx: &TraceCtx) -> Vec<TraceHit> {
        key_freshness(ctx.trace, ctx.settings)
    }
}

/// MBMS-KEY-01: MTK IDs increase under one MSK, and the MIKEY counter (T, COUNTER) of each
/// delivery stream increases in RFC 1982 serial arithmetic.
fn key_freshness(trace: &Trace, settings: &Settings) -> Vec<TraceHit> {
    let bits = settings.freshness.counter_bits;
    let mut last_mtk: BTreeMap<(Vec<u8>, Vec<u8>), Vec<u8>> = BTreeMap::new();
    let mut last_counter: BTreeMap<&'static str, u32> = BTreeMap::new();
    let mut hits = Vec::new();
    // MIKEY messages in delivery order: UDP pushes, and MTK objects of FLUTE sessions.
    let mut messages: Vec<(&Event, &[u8], bool)> = Vec::new();
    for e in &trace.events {
        match &e.body {
            EventBody::Udp { message } => messages.push((e, message, false)),
            EventBody::Flute { objects, .. } => {
                messages.extend(objects.values().map(|m| (e, m.as_slice(), true)))
            }
            _ => {}
        }
    }
    for (e, message, in_flute) in messages {
        let f = MikeyFacts::of(message);
        if is_verification(e, &f) {
            continue;
        }
        let mtk = in_flute || is_mtk(e, &f);
        if let (true, Some(d), Some(m), Some(t)) = (mtk, &f.key_domain, &f.msk_id, &f.mtk_id) {
            let key = (d.clone(), m.clone());
            if let Some(prev) = last_mtk.get(&key) {
                let as_num = |b: &[u8]| b.iter().fold(0u64, |a, x| a << 8 | *x as u64);
                if as_num(t) <= as_num(prev) {
                    hits.push(hit(
                        e.number,
                        vec![(
                            "detail",
                            format!(
                                "MTK ID {} is not greater than the previous {} under MSK {}",
                                hex::encode(t),
                                hex::encode(prev),
                                hex::encode(m)
                            ),
                        )],
                    ));
                }
            }
            last_mtk.insert(key, t.clone());
        }
        if let Some(c) = f.counter {
            let stream = if mtk { "MTK" } else { "MSK" };
            if let Some(prev) = last_counter.get(stream) {
                match serial_lt(*prev as u64, c as u64, bits) {
                    Some(true) => {}
                    Some(false) => hits.push(hit(e.number, vec![("detail", format!("{stream} message counter {c} is not greater than the previous {prev} (RFC 1982)"))])),
                    None => hits.push(hit(e.number, vec![("detail", format!("{stream} message counter {c} and the previous {prev} are half the space apart: the order is undefined (RFC 1982), so the message is treated as replayed"))])),
                }
            }
            last_counter.insert(stream, c);
        }
    }
    hits
}
