//! What the session fold gives the rules ([`Step`]) and the compact records it keeps to give
//! it: a delivered message in 24 octets, a message awaiting its verification, a verification
//! that answers nothing yet.

use crate::trace::facts::MikeyFacts;
use crate::trace::Event;

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

    pub(super) fn bit(self) -> u8 {
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
    pub(super) event: u64,
    ts_value: u64,
    csb: u32,
    ts_type: u8,
    /// Bits 0-1 the sort (0 none, 1 LTKM, 2 MSK, 3 MTK), bit 2 a CSB ID, bit 3 a T.
    bits: u8,
}

impl Delivered {
    pub(super) fn new(event: usize, sort: Sort, f: &MikeyFacts) -> Delivered {
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

    pub(super) fn present(&self) -> bool {
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
    pub(super) fn answered_by(&self, f: &MikeyFacts) -> bool {
        f.csb_id.is_some() && f.csb_id == self.csb_id() && f.timestamp == self.timestamp()
    }

    pub(super) fn same_csb(&self, f: &MikeyFacts) -> bool {
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

/// MTK messages delivered to multicast groups (FLUTE objects, UDP to a group address), kept
/// for pairing the verification messages of every terminal: in a capture keyed by address a
/// group's MTK is no terminal's own, yet each terminal joined to the group receives it, and
/// a verification answering it is MBMS-MTK-02's. At most the window's last few are kept.
#[derive(Debug, Default)]
pub struct GroupMtks {
    kept: std::collections::VecDeque<(Delivered, Option<Box<str>>)>,
    /// Some left the window: a verification answering none kept may answer one of those.
    pub(super) truncated: bool,
}

impl GroupMtks {
    pub(super) fn record(&mut self, d: Delivered, link: Option<&str>, window: usize) {
        self.kept.push_back((d, link.map(Into::into)));
        if self.kept.len() > window {
            self.kept.pop_front();
            self.truncated = true;
        }
    }

    /// The last MTK message kept that `f` answers (its CSB ID and T), with where it was seen.
    pub(super) fn answered_by(&self, f: &MikeyFacts) -> Option<&(Delivered, Option<Box<str>>)> {
        self.kept.iter().rev().find(|(d, _)| d.answered_by(f))
    }
}

/// Where an event of a capture was seen (`src -> dst`), written only when something keeps
/// or names it: most events of a long capture make no finding and await nothing.
pub struct Link<'e> {
    event: Option<&'e Event>,
    text: std::cell::OnceCell<String>,
}

impl<'e> Link<'e> {
    /// `event`'s place, or none (a trace names events by number alone).
    pub fn of(event: Option<&'e Event>) -> Link<'e> {
        Link {
            event,
            text: std::cell::OnceCell::new(),
        }
    }

    pub fn get(&self) -> Option<&str> {
        let e = self.event?;
        Some(self.text.get_or_init(|| {
            format!(
                "{} -> {}",
                e.from.as_deref().unwrap_or("?"),
                e.to.as_deref().unwrap_or("?")
            )
        }))
    }
}
