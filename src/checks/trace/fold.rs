//! The session engine's fold: one pass over a session's events in order, keeping per terminal
//! only what a later event can still change (the last counter, per MSK the last MTK ID and
//! counter, the messages awaiting a verification, a short window of delivered messages a
//! verification may answer, what the registration agreed, where it came from, the services
//! registered), and giving the rules each fact as soon as it is certain ([`Step`]). The check
//! kinds judge the steps; the state is kept once for all of them.
//!
//! What would go past a bound (`limits.session_window` per terminal) is not silently lost: the
//! terminal is marked incomplete for the rules resting on that state ([`State`]), and the
//! engine reports those rules incomplete for it, naming it, never passed.

pub use super::step::*;
use super::{code_of, delivery_types, root_is, text, with_docs, xml_elements};
use super::{decode_base64, is_ltkm, is_mtk, is_verification};
use crate::trace::facts::{plain_greater, serial_greater, serial_lt, MikeyFacts};
use crate::trace::{Event, EventBody};
use std::collections::{BTreeSet, HashMap};

/// One MSK's MTK stream: the last MTK ID and counter.
#[derive(Debug, Default)]
struct MtkStream {
    last_id: Option<Box<[u8]>>,
    last_counter: Option<u32>,
}

/// What a terminal keeps beyond the common few octets: allocated when first needed.
#[derive(Debug, Default)]
struct Detail {
    /// Delivered messages before `Terminal::last`, oldest first (at most the window).
    history: std::collections::VecDeque<Delivered>,
    awaiting: Vec<Awaiting>,
    unpaired: Vec<Unpaired>,
    /// By (Key Domain ID, MSK ID), as [`msk_key`] writes them.
    mtk: HashMap<Box<[u8]>, MtkStream>,
    agreed: Option<Vec<u8>>,
    source: Option<Box<str>>,
    registered: BTreeSet<String>,
}

/// A terminal's state: a few dozen octets, and `Detail` when it has more to keep.
#[derive(Debug, Default)]
pub struct Terminal {
    msk_counter: Option<u32>,
    last: Delivered,
    /// The states lost ([`State::bit`]); bit 7: the delivered history is not whole.
    lost: u8,
    detail: Option<Box<Detail>>,
}

const TRUNCATED: u8 = 0x80;

impl Terminal {
    fn detail(&mut self) -> &mut Detail {
        self.detail.get_or_insert_with(Default::default)
    }

    /// Whether a later event could still make a rule find something here that the end of
    /// the session would not: messages awaiting a verification, verifications answering
    /// nothing yet.
    pub fn has_pending(&self) -> bool {
        self.detail
            .as_ref()
            .is_some_and(|d| !d.awaiting.is_empty() || !d.unpaired.is_empty())
    }

    /// The states this terminal lost, with why.
    pub fn lost(&self) -> impl Iterator<Item = State> + '_ {
        State::ALL.into_iter().filter(|s| self.lost & s.bit() != 0)
    }

    /// Its earlier state is gone (released and seen again): nothing that compares with an
    /// earlier event is judged. Every state counts as lost already, since the session reports
    /// each for a resumed terminal: a later loss is not reported for it a second time.
    pub fn resume(&mut self) {
        self.lost |= TRUNCATED;
        for state in State::ALL {
            self.lost |= state.bit();
        }
    }
}

impl Terminal {
    fn awaiting_position(&self, found: impl Fn(&Delivered) -> bool) -> Option<usize> {
        let d = self.detail.as_ref()?;
        d.awaiting.iter().position(|w| found(&w.message))
    }

    /// Takes the awaiting message at `at`, and whether an LTKM of the same event awaits
    /// before it (processed before it, so verified before it: BCAST-DLV-12).
    fn take_awaiting(&mut self, at: usize) -> (Awaiting, bool) {
        let d = self.detail();
        let a = d.awaiting.remove(at);
        let earlier = d.awaiting[..at]
            .iter()
            .any(|w| w.message.sort() == Sort::Ltkm && w.message.event == a.message.event);
        (a, earlier)
    }
}

/// What the delivered messages still known say of one verification message.
struct Seen {
    /// It carries the CSB ID and T of one of them.
    answered: bool,
    /// Every one it answers is an MTK message.
    only_mtk: bool,
    /// The event of the last one it answers.
    last_answered: usize,
    /// The last one with its CSB ID.
    last_same_csb: Option<Delivered>,
}

impl Seen {
    fn of(t: &Terminal, f: &MikeyFacts) -> Seen {
        let history = t.detail.as_ref().map(|d| &d.history);
        let delivered = history
            .into_iter()
            .flatten()
            .chain(std::iter::once(&t.last))
            .filter(|d| d.present());
        let mut seen = Seen {
            answered: false,
            only_mtk: true,
            last_answered: 0,
            last_same_csb: None,
        };
        for d in delivered {
            if d.answered_by(f) {
                seen.answered = true;
                seen.only_mtk &= d.sort() == Sort::Mtk;
                seen.last_answered = d.event();
            }
            if d.same_csb(f) {
                seen.last_same_csb = Some(*d);
            }
        }
        seen
    }
}

/// A state lost for one terminal, and why: the engine names the terminal in the rules'
/// reasons.
#[derive(Debug, Clone)]
pub struct Lost {
    pub state: State,
    pub why: String,
}

/// The fold's bounds.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Per terminal: messages awaiting a verification, delivered messages a verification may
    /// answer, unpaired verifications, MSKs, registered services.
    pub window: usize,
    /// RFC 1982 counter width (`freshness.counter_bits`).
    pub counter_bits: u32,
}

/// What an HTTP event shows the session rules, its bodies parsed once.
struct HttpFacts {
    registration: bool,
    deregistration: bool,
    agreed: Option<Vec<u8>>,
    listed: Vec<String>,
    accepted: Vec<String>,
    ltkms: Vec<MikeyFacts>,
}

fn http_facts(e: &Event) -> Option<HttpFacts> {
    with_docs(e, |req, resp, status| {
        let registration = root_is(req, "mbmsSecurityRegister");
        let types = |doc: Option<&roxmltree::Document>, container: &str| -> Option<Vec<u8>> {
            delivery_types(doc, container).map(|t| t.into_iter().map(|(v, _)| v).collect())
        };
        // Without LTKMDelivery in the response, only UDP is used (CR 0821 5.1.6.10.1).
        let agreed = (registration && status == 200)
            .then(|| types(resp, "RegistrationResponseExtension").unwrap_or_else(|| vec![0]));
        let listed = req
            .map(|d| xml_elements(d, "serviceID").map(text).collect())
            .unwrap_or_default();
        let accepted = match (resp, status) {
            (Some(d), 200) => xml_elements(d, "Response")
                .filter(|r| {
                    r.children().any(|c| {
                        c.tag_name().name() == "ResponseCode" && code_of(&text(c)) == Some(200)
                    })
                })
                .filter_map(|r| {
                    r.children()
                        .find(|c| c.tag_name().name() == "serviceID")
                        .map(text)
                })
                .collect(),
            _ => Vec::new(),
        };
        let ltkms = resp
            .map(|d| {
                xml_elements(d, "LTKM")
                    .filter_map(|n| decode_base64(&text(n)).ok())
                    .map(|b| MikeyFacts::of(&b))
                    .collect()
            })
            .unwrap_or_default();
        HttpFacts {
            registration,
            deregistration: root_is(req, "mbmsSecurityDeregister"),
            agreed,
            listed,
            accepted,
            ltkms,
        }
    })
}

/// `(Key Domain ID, MSK ID)` as one key: presence flags, then each ID by its value
/// ([`crate::value::KeyIdType`]: `68c90000` and `0068c90000` are one MSK), a number in its
/// four octets, or a marker, the length and the octets of one too wide for its type.
fn msk_key(out: &mut Vec<u8>, domain: Option<&[u8]>, msk: Option<&[u8]>) {
    use crate::value::key_id::{KeyIdType, KeyIdValue};
    out.clear();
    out.push(u8::from(domain.is_some()) | u8::from(msk.is_some()) << 1);
    for (ty, id) in [(KeyIdType::KeyDomain, domain), (KeyIdType::Msk, msk)] {
        match ty.value(id.unwrap_or_default()) {
            KeyIdValue::Number(n) => {
                out.push(0);
                out.extend_from_slice(&n.to_be_bytes());
            }
            KeyIdValue::Wide(octets) => {
                out.push(1);
                out.extend_from_slice(&(octets.len() as u32).to_be_bytes());
                out.extend_from_slice(&octets);
            }
        }
    }
}

/// Folds one terminal's events. `link` is where the event was seen (`src -> dst`) when the
/// input is a capture; `lost` collects the states that went past a bound.
pub struct Fold<'s> {
    pub bounds: Bounds,
    pub sink: &'s mut dyn FnMut(&Step),
    pub lost: &'s mut Vec<Lost>,
    pub link: &'s Link<'s>,
    pub scratch: &'s mut Vec<u8>,
    /// The MTK messages delivered to multicast groups so far, for every terminal's pairing.
    pub groups: &'s mut GroupMtks,
    /// The terminal folded is a multicast group (a capture keyed by address): its MTK
    /// messages go to `groups` too.
    pub to_group: bool,
}

impl Fold<'_> {
    fn lose(&mut self, t: &mut Terminal, state: State, why: String) {
        if t.lost & state.bit() == 0 {
            t.lost |= state.bit();
            self.lost.push(Lost { state, why });
        }
    }

    /// One event of the terminal's session.
    pub fn event(&mut self, t: &mut Terminal, e: &Event) {
        (self.sink)(&Step::Event(e));
        match &e.body {
            EventBody::Http(_) => self.http(t, e),
            EventBody::Udp { message } => {
                let none;
                let f = match e.message_facts() {
                    Some(f) => f,
                    None => {
                        none = MikeyFacts::default();
                        &none
                    }
                };
                let verification = is_verification(e, f);
                if is_ltkm(e, message) {
                    self.ltkm(t, e.number, 0, f, false, 0);
                } else if verification {
                    self.pair(t, e, f);
                } else {
                    let sort = if is_mtk(e, f) { Sort::Mtk } else { Sort::Msk };
                    self.deliver(t, e.number, sort, f, false);
                }
                if !verification {
                    self.freshness(t, e.number, f, is_mtk(e, f));
                }
                let push = !verification && !is_mtk(e, f);
                if let (true, Some(to)) = (push, e.to_addr()) {
                    if let Some(source) = t.detail.as_ref().and_then(|d| d.source.as_deref()) {
                        (self.sink)(&Step::Push {
                            event: e.number,
                            to,
                            source,
                        });
                    }
                }
            }
            EventBody::Sms { message } => {
                let f = e.facts_of(message);
                self.ltkm(t, e.number, 1, &f, false, 0);
            }
            EventBody::Flute { objects, .. } => {
                for message in objects.values() {
                    let f = MikeyFacts::of(message);
                    self.deliver(t, e.number, Sort::Mtk, &f, false);
                    self.freshness(t, e.number, &f, true);
                }
            }
            EventBody::Sip { .. } => {}
        }
    }

    fn http(&mut self, t: &mut Terminal, e: &Event) {
        let Some(h) = http_facts(e) else { return };
        if h.registration {
            t.detail().source = e.from_addr().map(Into::into);
        }
        let in_registration = h.agreed.is_some();
        if let Some(a) = h.agreed {
            t.detail().agreed = Some(a);
        }
        let mut seen = 0u8;
        for f in &h.ltkms {
            self.ltkm(t, e.number, 2, f, in_registration, seen);
            seen |= 4;
        }
        if h.registration {
            let window = self.bounds.window;
            let d = t.detail();
            d.registered.extend(h.accepted);
            if d.registered.len() > window {
                d.registered.clear();
                let why = format!(
                    "more than limits.session_window = {window} services registered (at event {})",
                    e.number
                );
                self.lose(t, State::Registration, why);
            }
        } else if h.deregistration {
            if let Some(d) = &t.detail {
                let missing: Vec<&str> = d
                    .registered
                    .iter()
                    .filter(|s| !h.listed.contains(s))
                    .map(String::as_str)
                    .collect();
                if !missing.is_empty() {
                    (self.sink)(&Step::Dereg {
                        event: e.number,
                        missing,
                    });
                }
            }
            if let Some(d) = &mut t.detail {
                for s in &h.accepted {
                    d.registered.remove(s);
                }
            }
        }
    }

    /// An LTKM delivered by `mechanism`; `seen` has bit 1 << mechanism set when this event
    /// already delivered one by it.
    fn ltkm(
        &mut self,
        t: &mut Terminal,
        event: usize,
        mechanism: u8,
        f: &MikeyFacts,
        in_registration: bool,
        seen: u8,
    ) {
        let agreed = t.detail.as_ref().and_then(|d| d.agreed.as_deref());
        let may_be_ignored = agreed.is_some_and(|a| !a.contains(&mechanism));
        (self.sink)(&Step::Ltkm {
            event,
            mechanism,
            agreed,
            in_registration,
            may_be_ignored,
            first_of_mechanism: seen & (1 << mechanism) == 0,
        });
        self.deliver(t, event, Sort::Ltkm, f, may_be_ignored);
    }

    fn deliver(
        &mut self,
        t: &mut Terminal,
        event: usize,
        sort: Sort,
        f: &MikeyFacts,
        ignore: bool,
    ) {
        let window = self.bounds.window;
        let d = Delivered::new(event, sort, f);
        if sort == Sort::Mtk && self.to_group {
            self.groups.record(d, self.link.get(), window);
        }
        // A message with the CSB ID of an unpaired verification before it: that one was sent
        // before its message, so it is no answer to nothing (the message is left unanswered).
        if let Some(detail) = &mut t.detail {
            detail
                .unpaired
                .retain(|u| !(u.csb_id.is_some() && u.csb_id == f.csb_id && event > u.event));
        }
        if f.v && sort != Sort::Mtk {
            let awaiting = Awaiting {
                message: d,
                may_be_ignored: ignore,
                idi: f.idi.as_deref().map(Into::into),
                link: self.link.get().map(Into::into),
            };
            let detail = t.detail();
            detail.awaiting.push(awaiting);
            if detail.awaiting.len() > window {
                let gone = detail.awaiting.remove(0);
                let why = format!(
                    "more than limits.session_window = {window} messages awaiting a verification (the message of event {} left the window)",
                    gone.message.event()
                );
                self.lose(t, State::Verification, why);
            }
        }
        if t.last.present() {
            let last = t.last;
            let detail = t.detail();
            detail.history.push_back(last);
            if detail.history.len() >= window {
                detail.history.pop_front();
                t.lost |= TRUNCATED;
            }
        }
        t.last = d;
    }

    /// Pairs a verification message: by CSB ID and T with the first message awaiting one,
    /// else with any message delivered before it (answered already, or an MTK message);
    /// failing that, by CSB ID alone ([`PairedBy::CsbIdOnly`]); failing that, it is unpaired.
    /// When the delivered messages it could answer are not all still known (the window, a
    /// released state) and it answers none of those known, its pairing is not certain: the
    /// verification rules are incomplete for the terminal.
    fn pair(&mut self, t: &mut Terminal, e: &Event, f: &MikeyFacts) {
        let mut p = Pairing {
            event: e.number,
            to: e.to_addr(),
            by: PairedBy::CsbIdAndT,
            answers: None,
            read_as: None,
            earlier_in_payload: false,
            mtk: None,
            csb_id: f.csb_id,
            timestamp: f.timestamp,
        };
        if let Some(at) = t.awaiting_position(|w| w.answered_by(f)) {
            let (a, earlier) = t.take_awaiting(at);
            p.answers = Some(&a);
            p.earlier_in_payload = earlier;
            (self.sink)(&Step::Paired(p));
            return;
        }
        let seen = Seen::of(t, f);
        if seen.answered && !seen.only_mtk {
            (self.sink)(&Step::Paired(p));
            return;
        }
        if t.lost & TRUNCATED != 0 {
            let why = format!(
                "the verification message of event {} may answer a message delivered before the last limits.session_window = {} (or before the terminal's state was released)",
                e.number, self.bounds.window
            );
            self.lose(t, State::Verification, why);
            return;
        }
        if seen.answered {
            p.mtk = Some(seen.last_answered);
            (self.sink)(&Step::Paired(p));
        } else if let Some((g, _)) = self.groups.answered_by(f) {
            // An MTK message sent to a group this terminal receives (a FLUTE object).
            p.mtk = Some(g.event());
            (self.sink)(&Step::Paired(p));
        } else if let Some(at) = t.awaiting_position(|w| w.same_csb(f)) {
            let (a, earlier) = t.take_awaiting(at);
            p.by = PairedBy::CsbIdOnly;
            p.read_as = Some(a.message);
            p.answers = Some(&a);
            p.earlier_in_payload = earlier;
            (self.sink)(&Step::Paired(p));
        } else if let Some(d) = seen.last_same_csb {
            p.by = PairedBy::CsbIdOnly;
            p.read_as = Some(d);
            (self.sink)(&Step::Paired(p));
        } else if self.groups.truncated {
            let why = format!(
                "the verification message of event {} may answer an MTK message sent to a multicast group before the last limits.session_window = {}",
                e.number, self.bounds.window
            );
            self.lose(t, State::Verification, why);
        } else {
            self.unpaired(t, e.number, f.csb_id);
        }
    }

    /// A verification message that answers nothing delivered before it, kept until a message
    /// with its CSB ID is delivered or the session ends.
    fn unpaired(&mut self, t: &mut Terminal, event: usize, csb_id: Option<u32>) {
        let window = self.bounds.window;
        let unpaired = Unpaired {
            event,
            csb_id,
            link: self.link.get().map(Into::into),
        };
        let detail = t.detail();
        detail.unpaired.push(unpaired);
        if detail.unpaired.len() > window {
            detail.unpaired.remove(0);
            let why = format!("more than limits.session_window = {window} verification messages answering no message yet");
            self.lose(t, State::Verification, why);
        }
    }

    /// MBMS-KEY-01's facts: the counter of MSK-delivery messages, and per MSK the MTK ID and
    /// counter of MTK messages.
    fn freshness(&mut self, t: &mut Terminal, event: usize, f: &MikeyFacts, mtk: bool) {
        let bits = self.bounds.counter_bits;
        if mtk {
            return self.mtk_freshness(t, event, f);
        }
        if let Some(c) = f.counter {
            if let Some(prev) = t.msk_counter {
                (self.sink)(&Step::Counter {
                    event,
                    stream: CounterStream::MskDelivery,
                    prev,
                    new: c,
                    less: serial_lt(prev as u64, c as u64, bits),
                });
            }
            t.msk_counter = Some(c);
        }
    }

    /// An MTK message: its MTK ID and counter against the last under its MSK.
    fn mtk_freshness(&mut self, t: &mut Terminal, event: usize, f: &MikeyFacts) {
        if f.counter.is_none() && (f.msk_id.is_none() || f.mtk_id.is_none()) {
            return;
        }
        let (bits, window) = (self.bounds.counter_bits, self.bounds.window);
        msk_key(self.scratch, f.key_domain.as_deref(), f.msk_id.as_deref());
        let streams = &mut t.detail().mtk;
        if !streams.contains_key(self.scratch.as_slice()) {
            if streams.len() >= window {
                let why = format!("more than limits.session_window = {window} MSKs with MTK messages (at event {event})");
                self.lose(t, State::Freshness, why);
                return;
            }
            streams.insert(self.scratch.as_slice().into(), MtkStream::default());
        }
        let Some(stream) = t
            .detail
            .as_mut()
            .and_then(|d| d.mtk.get_mut(self.scratch.as_slice()))
        else {
            return;
        };
        if let (Some(m), Some(new)) = (&f.msk_id, &f.mtk_id) {
            if let Some(prev) = &stream.last_id {
                (self.sink)(&Step::MtkId {
                    event,
                    prev,
                    new,
                    msk: m,
                    plain: plain_greater(prev, new),
                    serial: serial_greater(prev, new),
                });
            }
            stream.last_id = Some(new.as_slice().into());
        }
        if let Some(c) = f.counter {
            if let Some(prev) = stream.last_counter {
                (self.sink)(&Step::Counter {
                    event,
                    stream: CounterStream::Mtk(f.msk_id.as_deref()),
                    prev,
                    new: c,
                    less: serial_lt(prev as u64, c as u64, bits),
                });
            }
            stream.last_counter = Some(c);
        }
    }

    /// The end of the terminal's session: what still awaits an answer is judged.
    pub fn finish(&mut self, t: &Terminal) {
        let Some(d) = &t.detail else { return };
        for a in &d.awaiting {
            (self.sink)(&Step::Unanswered(a));
        }
        for u in &d.unpaired {
            (self.sink)(&Step::AnswersNothing(u));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_and_a_delivered_message_stay_small() {
        assert_eq!(std::mem::size_of::<Delivered>(), 24);
        assert!(
            std::mem::size_of::<Terminal>() <= 48,
            "{}",
            std::mem::size_of::<Terminal>()
        );
    }
}
