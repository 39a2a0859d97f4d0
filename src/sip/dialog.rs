//! Requests and their responses, paired by Call-ID and CSeq (number and method), RFC 3261
//! 8.1.3.3 and 17.1.3 as far as a capture without Via branches in view allows.

use super::header_field::unfold;
use super::message::SipMessage;

/// The Call-ID and CSeq that tie a response to its request.
fn key(file: &[u8], m: &SipMessage) -> Option<(String, u32, String)> {
    let call_id = unfold(&file[m.header("call-id")?.value_span.clone()]);
    let cseq = unfold(&file[m.header("cseq")?.value_span.clone()]);
    let (n, method) = cseq.split_once(' ')?;
    // RFC 3261 7.1: methods are case-sensitive, so a CSeq `message` is no MESSAGE's (17.1.3).
    Some((call_id, n.parse().ok()?, method.trim().to_string()))
}

/// For each message, the index of the request it answers (for responses) — `None` for
/// requests and for responses whose request the file does not hold.
pub fn pair(file: &[u8], messages: &[SipMessage]) -> Vec<Option<usize>> {
    let keys: Vec<_> = messages.iter().map(|m| key(file, m)).collect();
    messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            m.status()?;
            let k = keys[i].as_ref()?;
            // The latest request before it with the same key (a retransmission keeps it).
            (0..i).rev().find(|&j| {
                messages[j].method().is_some_and(|meth| meth == k.2) && keys[j].as_ref() == Some(k)
            })
        })
        .collect()
}
