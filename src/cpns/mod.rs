//! OMA CPNS group-key traces (CR 004, `docs/cpns-trace.md`): the messages between PNEs, PN
//! gateways and the CPNS Server, and the local events only an entity's own log shows (a key
//! deleted, an SG Inventory snapshot), in observed order. No public CPNS message format
//! exists, so the shape is this tool's own: YAML or JSON Lines, each event with its place in
//! the file. Keys never appear: a trace names them by ID and fingerprint.

pub mod deletion;
pub mod life;
pub mod read;
pub mod tree;

use std::fmt;
use time::OffsetDateTime;

/// A CPNS trace that could not be read: where, which field, why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CpnsError {
    pub line: u32,
    pub column: u32,
    /// The field at fault (`events[3].fields.action`), when one is.
    pub field: Option<String>,
    pub reason: String,
}

impl CpnsError {
    pub fn at(line: u32, column: u32, reason: impl Into<String>) -> CpnsError {
        CpnsError {
            line,
            column,
            field: None,
            reason: reason.into(),
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> CpnsError {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for CpnsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.line, self.column)?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        f.write_str(&self.reason)
    }
}

/// Who logged or sent an event.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Party {
    Server,
    Pne(String),
    Gateway(String),
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Party::Server => f.write_str("CPNS"),
            Party::Pne(id) => write!(f, "PNE:{id}"),
            Party::Gateway(id) => write!(f, "PNGW:{id}"),
        }
    }
}

/// Whether the actor sent, received or only logged the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Send,
    Recv,
    Local,
}

/// The messages and local events a trace may hold (a closed list: an unknown name is an
/// error of the trace, not something to skip).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    SgCreateRequest,
    SgCreateResponse,
    SgActionRequest,
    SgActionResponse,
    SgReleaseRequest,
    SgReleaseResponse,
    SgReleaseNotification,
    /// Abstract: CR 004 7.y.5 leaves the delivery format to another CR.
    GroupKeyDelivery,
    /// Local: the actor deleted its Group Key.
    GroupKeyDeleted,
    /// Local: a snapshot of the actor's SG Inventory for one SG.
    InventoryState,
}

pub const MSG_NAMES: &[(&str, Msg)] = &[
    ("SGCreateRequest", Msg::SgCreateRequest),
    ("SGCreateResponse", Msg::SgCreateResponse),
    ("SGActionRequest", Msg::SgActionRequest),
    ("SGActionResponse", Msg::SgActionResponse),
    ("SGReleaseRequest", Msg::SgReleaseRequest),
    ("SGReleaseResponse", Msg::SgReleaseResponse),
    ("SGReleaseNotification", Msg::SgReleaseNotification),
    ("GroupKeyDelivery", Msg::GroupKeyDelivery),
    ("GroupKeyDeleted", Msg::GroupKeyDeleted),
    ("InventoryState", Msg::InventoryState),
];

impl Msg {
    pub fn name(self) -> &'static str {
        MSG_NAMES
            .iter()
            .find(|(_, m)| *m == self)
            .map_or("?", |(n, _)| n)
    }

    /// Logged by one entity about itself, with no peer.
    pub fn is_local(self) -> bool {
        matches!(self, Msg::GroupKeyDeleted | Msg::InventoryState)
    }

    /// Sent by a PNE (or a gateway for it) to the CPNS Server; the others the server sends.
    pub fn is_request(self) -> bool {
        matches!(
            self,
            Msg::SgCreateRequest | Msg::SgActionRequest | Msg::SgReleaseRequest
        )
    }

    pub fn is_response(self) -> bool {
        matches!(
            self,
            Msg::SgCreateResponse | Msg::SgActionResponse | Msg::SgReleaseResponse
        )
    }
}

/// An SGActionRequest's Action code, kept as written: CR 004 names only 1 (SG expel, from
/// the SG Owner) and 4 (SG leave, from a member PNE); other codes are kept and not judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionCode(pub u32);

impl ActionCode {
    pub const EXPEL: ActionCode = ActionCode(1);
    pub const LEAVE: ActionCode = ActionCode(4);
}

/// A Group Key as a trace names it: an ID and, optionally, a fingerprint of the key (a hash
/// such as `sha256:…`; never the key).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct KeyRef {
    pub id: String,
    pub fpr: Option<String>,
}

impl KeyRef {
    /// The same key: the same ID, or the same fingerprint where both give one (a new ID on
    /// the old key material is not a new key).
    pub fn same_key(&self, other: &KeyRef) -> bool {
        self.id == other.id || (self.fpr.is_some() && self.fpr == other.fpr)
    }
}

impl fmt::Display for KeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

/// What an event's `fields` say (unknown fields are accepted and ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub sg_owner: Option<String>,
    pub members: Option<Vec<String>>,
    pub action: Option<ActionCode>,
    /// The PNE a request is made for (when a gateway sends it).
    pub origin_pne: Option<String>,
    pub target_pnes: Option<Vec<String>>,
    /// A response's result: `success`, or anything else for a failure.
    pub result: Option<String>,
    /// The PNE a server message is for (when it goes through a gateway).
    pub pne: Option<String>,
    /// GroupKeyDelivery, GroupKeyDeleted: the key concerned.
    pub key: Option<KeyRef>,
    /// InventoryState: the Group Key the inventory holds (`Some(None)`: none).
    pub group_key: Option<Option<KeyRef>>,
}

/// One event, with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpnsEvent {
    pub seq: u64,
    pub line: u32,
    pub column: u32,
    pub at: Option<OffsetDateTime>,
    pub actor: Party,
    pub peer: Option<Party>,
    pub dir: Dir,
    pub msg: Msg,
    pub sg_id: Option<String>,
    pub fields: Fields,
}

impl CpnsEvent {
    /// The sender of a message (None for a local event).
    pub fn sender(&self) -> Option<&Party> {
        match self.dir {
            Dir::Send => Some(&self.actor),
            Dir::Recv => self.peer.as_ref(),
            Dir::Local => None,
        }
    }

    pub fn receiver(&self) -> Option<&Party> {
        match self.dir {
            Dir::Send => self.peer.as_ref(),
            Dir::Recv => Some(&self.actor),
            Dir::Local => None,
        }
    }

    /// The PNE a message concerns: for a request, the requester (`origin_pne`, else the
    /// sending PNE); for a server message, the receiving PNE (`pne`, else the receiver).
    pub fn pne(&self) -> Option<&str> {
        let (given, party) = if self.msg.is_request() {
            (&self.fields.origin_pne, self.sender())
        } else {
            (&self.fields.pne, self.receiver())
        };
        given.as_deref().or(match party {
            Some(Party::Pne(id)) => Some(id.as_str()),
            _ => None,
        })
    }

    /// Whether a response reports success.
    pub fn succeeded(&self) -> bool {
        self.fields.result.as_deref() == Some("success")
    }
}

/// The serialisation the trace came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Yaml,
    JsonLines,
}

/// A whole CPNS trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpnsTrace {
    pub form: Form,
    pub events: Vec<CpnsEvent>,
}
