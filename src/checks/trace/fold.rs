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

use super::{code_of, delivery_types, root_is, text, with_docs, xml_elements};
use super::{decode_base64, is_ltkm, is_mtk, is_verification};
use crate::trace::facts::{plain_greater, serial_greater, serial_lt, MikeyFacts};
use crate::trace::{Event, EventBody};
use std::collections::{BTreeSet, HashMap};

/// What a MIKEY message delivered to the terminal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Ltkm,
    Msk,
    Mtk,
}

/// The state a rule rests on, for saying which rules a lost state leaves incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The pairing of verification messages with what they answer.
    Verification,
    /// The last counters and MTK IDs (MBMS-KEY-01).
    Freshness,
    /// What the registration agreed, where it came from, the services registered.
    Registration,
}

impl State {
    pub(crate) const ALL: [State; 3] = [State::Verification, State::Freshness, State::Registration];

    fn bit(self) -> u8 {
        match self {
            State::Verification => 1,
            State::Freshness => 2,
            State::Registration => 4,
        }
    }
}

/// A delivered message as the pairing keeps it, in 24 octets: its event, sort, CSB ID and T.
#[derive(Debug, Clone, Copy, Default)]
pub struct Delivered {
    event: u64,
    ts_value: u64,
    csb: u32,
    ts_type: u8,
    /// Bits 0-1 the sort (0 none, 1 LTKM, 2 MSK, 3 MTK), bit 2 a CSB ID, bit 3 a T.
    bits: u8,
}

impl Delivered {
    fn new(event: usize, sort: Sort, f: &MikeyFacts) -> Delivered {
        let sort_bits = match sort {
            Sort::Ltkm => 1,
            Sort::Msk => 2,
            Sort::Mtk => 3,
        };
        let (ts_type, ts_value) = f.timestamp.unwrap_or((0, 0));
        Delivered {
            event: event as u64,
            ts_value,
            csb: f.csb_id.unwrap_or(0),
            ts_type,
            bits: sort_bits
                | if f.csb_id.is_some() { 4 } else { 0 }
                | if f.timestamp.is_some() { 8 } else { 0 },
        }
    }

    fn present(&self) -> bool {
        self.bits & 3 != 0
    }

    pub fn event(&self) -> usize {
        self.event as usize
    }

    pub fn sort(&self) -> Sort {
        match self.bits & 3 {
            1 => Sort::Ltkm,
            2 => Sort::Msk,
            _ => Sort::Mtk,
        }
    }

    pub fn csb_id(&self) -> Option<u32> {
        (self.bits & 4 != 0).then_some(self.csb)
    }

    pub fn timestamp(&self) -> Option<(u8, u64)> {
        (self.bits & 8 != 0).then_some((self.ts_type, self.ts_value))
    }

    /// RFC 3830: a verification message carries the CSB ID and T of what it answers
    /// ([`MikeyFacts::answers`]).
    fn answered_by(&self, f: &MikeyFacts) -> bool {
        f.csb_id.is_some() && f.csb_id == self.csb_id() && f.timestamp == self.timestamp()
    }

    fn same_csb(&self, f: &MikeyFacts) -> bool {
        f.csb_id.is_some() && self.csb_id() == f.csb_id
    }
}

/// A message that set the V flag and awaits its verification.
#[derive(Debug, Clone)]
pub struct Awaiting {
    pub message: Delivered,
    /// An LTKM the terminal may ignore ([`Step::Ltkm`]'s `may_be_ignored`).
    pub may_be_ignored: bool,
    /// Its initiator's identity (the NAF FQDN the verification goes to).
    pub idi: Option<Box<str>>,
    /// Where it was seen (`src -> dst`), when the input says.
    pub link: Option<Box<str>>,
}

/// A verification message that answers no message delivered before it: it answers nothing
/// unless a message with its CSB ID is delivered later (then that message is the one left
/// without an answer).
#[derive(Debug, Clone)]
pub struct Unpaired {
    pub event: usize,
    pub csb_id: Option<u32>,
    pub link: Option<Box<str>>,
}

/// How a verification message was paired with what it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairedBy {
    /// The CSB ID and the T of a message delivered before it (RFC 3830 3.1).
    CsbIdAndT,
    /// No message before it has its CSB ID and T, but one has its CSB ID: read, provisionally,
    /// as answering that one (`read_as`): the first awaiting a verification, else the last
    /// delivered (minisip writes a fresh T).
    CsbIdOnly,
}

/// A verification message paired with what it answers.
#[derive(Debug)]
pub struct Pairing<'a> {
    pub event: usize,
    /// The address it was sent to.
    pub to: Option<&'a str>,
    pub by: PairedBy,
    /// The awaiting message it answers.
    pub answers: Option<&'a Awaiting>,
    /// For a pairing by CSB ID alone: the message it is read as answering.
    pub read_as: Option<Delivered>,
    /// An LTKM of the same event as `answers` still awaits a verification, processed before
    /// it.
    pub earlier_in_payload: bool,
    /// When it answers no awaiting message, and every message it answers is an MTK message:
    /// the event of the last of those.
    pub mtk: Option<usize>,
    /// The verification message's own CSB ID and T.
    pub csb_id: Option<u32>,
    pub timestamp: Option<(u8, u64)>,
}

/// Which counter a [`Step::Counter`] compares.
#[derive(Debug, Clone, Copy)]
pub enum CounterStream<'a> {
    /// MSK-delivery messages (MSK messages and LTKM pushes), one stream per terminal.
    MskDelivery,
    /// MTK messages under one MSK (its MSK ID, when it has one).
    Mtk(Option<&'a [u8]>),
}

/// One fact of the session that a rule may judge, given as soon as it is certain.
#[derive(Debug)]
pub enum Step<'a> {
    /// An event, for the rules that judge each event alone (FLUTE objects, SMS LTKMs).
    Event(&'a Event),
    /// An LTKM delivered, with the mechanisms the registration in force agreed.
    Ltkm {
        event: usize,
        /// LTKMDelivery Type: 0 UDP, 1 SMS, 2 HTTP.
        mechanism: u8,
        agreed: Option<&'a [u8]>,
        in_registration: bool,
        /// Delivered by a mechanism the registration in force did not agree: "The terminal
        /// MAY ignore LTKMs delivered by the BSM using other delivery mechanisms" (OMA BCAST
        /// 5.1.6.10.4).
        may_be_ignored: bool,
        /// The first LTKM of this event by this mechanism.
        first_of_mechanism: bool,
    },
    /// A verification message paired.
    Paired(Pairing<'a>),
    /// At the end: a message still awaiting its verification.
    Unanswered(&'a Awaiting),
    /// At the end: a verification message that answered nothing.
    AnswersNothing(&'a Unpaired),
    /// An MTK ID after an earlier one under the same MSK.
    MtkId {
        event: usize,
        prev: &'a [u8],
        new: &'a [u8],
        msk: &'a [u8],
        /// Greater as a plain number; greater in RFC 1982 serial arithmetic.
        plain: bool,
        serial: bool,
    },
    /// A counter after an earlier one in the same stream: `less` is RFC 1982 "prev < new"
    /// (None: half the space apart, undefined).
    Counter {
        event: usize,
        stream: CounterStream<'a>,
        prev: u32,
        new: u32,
        less: Option<bool>,
    },
    /// A UDP push of an MSK message or LTKM while a registration's source is known.
    Push {
        event: usize,
        to: &'a str,
        source: &'a str,
    },
    /// A deregistration that leaves registered services unlisted.
    Dereg { event: usize, missing: Vec<&'a str> },
}

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

/// A terminal's state: a few dozen octets, and [`Detail`] when it has more to keep.
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
    /// earlier event is judged.
    pub fn resume(&mut self) {
        self.lost |= TRUNCATED;
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

/// `(Key Domain ID, MSK ID)` as one key: presence flags, the domain's length, the octets.
fn msk_key(out: &mut Vec<u8>, domain: Option<&[u8]>, msk: Option<&[u8]>) {
    out.clear();
    out.push(u8::from(domain.is_some()) | u8::from(msk.is_some()) << 1);
    let d = domain.unwrap_or_default();
    out.extend_from_slice(&(d.len() as u32).to_be_bytes());
    out.extend_from_slice(d);
    out.extend_from_slice(msk.unwrap_or_default());
}

/// Folds one terminal's events. `link` is where the event was seen (`src -> dst`) when the
/// input is a capture; `lost` collects the states that went past a bound.
pub struct Fold<'s> {
    pub bounds: Bounds,
    pub sink: &'s mut dyn FnMut(&Step),
    pub lost: &'s mut Vec<Lost>,
    pub link: Option<&'s str>,
    pub scratch: &'s mut Vec<u8>,
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
                link: self.link.map(Into::into),
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
    fn pair(&mut self, t: &mut Terminal, e: &Event, f: &MikeyFacts) {
        let window = self.bounds.window;
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
        let truncated = t.lost & TRUNCATED != 0;
        let taken = |d: &mut Detail, at: usize| -> (Awaiting, bool) {
            let a = d.awaiting.remove(at);
            let earlier = d.awaiting[..at]
                .iter()
                .any(|w| w.message.sort() == Sort::Ltkm && w.message.event == a.message.event);
            (a, earlier)
        };
        let awaiting = t.detail.as_ref().map_or(&[][..], |d| &d.awaiting[..]);
        if let Some(at) = awaiting.iter().position(|w| w.message.answered_by(f)) {
            let (a, earlier) = taken(t.detail(), at);
            p.answers = Some(&a);
            p.earlier_in_payload = earlier;
            (self.sink)(&Step::Paired(p));
            return;
        }
        let history = t.detail.as_ref().map(|d| &d.history);
        let delivered = history
            .into_iter()
            .flatten()
            .chain(std::iter::once(&t.last))
            .filter(|d| d.present());
        let (mut any, mut only_mtk, mut last, mut last_same_csb) = (false, true, 0, None);
        for d in delivered {
            if d.answered_by(f) {
                any = true;
                only_mtk &= d.sort() == Sort::Mtk;
                last = d.event();
            }
            if d.same_csb(f) {
                last_same_csb = Some(*d);
            }
        }
        if any && !only_mtk {
            (self.sink)(&Step::Paired(p));
            return;
        }
        if truncated {
            // What it answers may have left the window: its pairing is not certain.
            let why = format!(
                "the verification message of event {} may answer a message delivered before the last limits.session_window = {window} (or before the terminal's state was released)",
                e.number
            );
            self.lose(t, State::Verification, why);
            return;
        }
        if any {
            p.mtk = Some(last);
            (self.sink)(&Step::Paired(p));
            return;
        }
        let awaiting = t.detail.as_ref().map_or(&[][..], |d| &d.awaiting[..]);
        if let Some(at) = awaiting.iter().position(|w| w.message.same_csb(f)) {
            let (a, earlier) = taken(t.detail(), at);
            p.by = PairedBy::CsbIdOnly;
            p.read_as = Some(a.message);
            p.answers = Some(&a);
            p.earlier_in_payload = earlier;
            (self.sink)(&Step::Paired(p));
        } else if let Some(d) = last_same_csb {
            p.by = PairedBy::CsbIdOnly;
            p.read_as = Some(d);
            (self.sink)(&Step::Paired(p));
        } else {
            let unpaired = Unpaired {
                event: e.number,
                csb_id: f.csb_id,
                link: self.link.map(Into::into),
            };
            let detail = t.detail();
            detail.unpaired.push(unpaired);
            if detail.unpaired.len() > window {
                detail.unpaired.remove(0);
                let why = format!("more than limits.session_window = {window} verification messages answering no message yet");
                self.lose(t, State::Verification, why);
            }
        }
    }

    /// MBMS-KEY-01's facts: the counter of MSK-delivery messages, and per MSK the MTK ID and
    /// counter of MTK messages.
    fn freshness(&mut self, t: &mut Terminal, event: usize, f: &MikeyFacts, mtk: bool) {
        let bits = self.bounds.counter_bits;
        if !mtk {
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
            return;
        }
        if f.counter.is_none() && (f.msk_id.is_none() || f.mtk_id.is_none()) {
            return;
        }
        msk_key(self.scratch, f.key_domain.as_deref(), f.msk_id.as_deref());
        let window = self.bounds.window;
        let detail = t.detail();
        if !detail.mtk.contains_key(self.scratch.as_slice()) {
            if detail.mtk.len() >= window {
                let why = format!("more than limits.session_window = {window} MSKs with MTK messages (at event {event})");
                self.lose(t, State::Freshness, why);
                return;
            }
            detail
                .mtk
                .insert(self.scratch.as_slice().into(), MtkStream::default());
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
