//! Reading a CPNS trace (`docs/cpns-trace.md`): recognition by its header, then the YAML
//! document or the JSON lines into [`CpnsTrace`], every problem an error naming the line,
//! column and field. Parsing only: what the events mean is `life.rs`'s business.

use super::tree::{self, Marked, Node};
use super::{
    ActionCode, CpnsError, CpnsEvent, CpnsTrace, Dir, Fields, Form, KeyRef, Msg, Party, MSG_NAMES,
};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The header key, and the format version this tool reads.
pub const HEADER: &str = "cpns_trace";
pub const VERSION: &str = "1";

/// Field names that would carry key material: refused, so a trace never holds a key.
const KEY_MATERIAL: &[&str] = &["key", "key_value", "key_material", "group_key_value"];

/// The first line that is not blank, a comment or a document marker.
fn first_line(text: &str) -> Option<(usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i, l.trim()))
        .find(|(_, l)| !l.is_empty() && !l.starts_with('#') && *l != "---")
}

/// Whether the start of a file is a CPNS trace: its first line is the header (`cpns_trace:`
/// in YAML, `{"cpns_trace": …}` in JSON Lines), or a JSON object naming a CPNS message
/// (recognised so that a trace without its header gets a clear error, not another parser's).
pub fn looks_like_cpns(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    let Some((_, line)) = first_line(&text) else {
        return false;
    };
    if line.starts_with("cpns_trace:") {
        return true;
    }
    let json_key = line
        .strip_prefix('{')
        .map(|rest| rest.trim_start().starts_with("\"cpns_trace\""));
    json_key == Some(true) || (line.starts_with('{') && names_cpns_message(line))
}

fn names_cpns_message(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    MSG_NAMES
        .iter()
        .any(|(n, _)| compact.contains(&format!("\"msg\":\"{n}\"")))
}

/// Reads a trace, YAML or JSON Lines (told apart by the first line: `{` is JSON).
pub fn read(text: &str) -> Result<CpnsTrace, CpnsError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match first_line(text) {
        Some((_, l)) if l.starts_with('{') => read_json_lines(text),
        Some(_) => read_yaml(text),
        None => Err(CpnsError::at(1, 1, "the trace is empty")),
    }
}

fn read_yaml(text: &str) -> Result<CpnsTrace, CpnsError> {
    let root = tree::parse(text, 0)?;
    let entries = map_of(&root, "the trace")?;
    let mut events_node = None;
    let mut version = None;
    for (k, v) in entries {
        match scalar(k, "a key")?.as_str() {
            HEADER => version = Some(v),
            "events" => events_node = Some(v),
            other => {
                return Err(
                    CpnsError::at(k.line, k.column, "unknown key (cpns_trace, events)")
                        .field(other.to_string()),
                )
            }
        }
    }
    check_version(version, &root)?;
    let events_node = events_node.ok_or_else(|| {
        CpnsError::at(root.line, root.column, "the trace has no `events` list").field("events")
    })?;
    let Node::Seq(items) = &events_node.node else {
        return Err(
            CpnsError::at(events_node.line, events_node.column, "not a list").field("events"),
        );
    };
    let events = items
        .iter()
        .enumerate()
        .map(|(i, e)| event(e, &format!("events[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    finish(Form::Yaml, events)
}

fn check_version(version: Option<&Marked>, root: &Marked) -> Result<(), CpnsError> {
    let v = version.ok_or_else(|| {
        CpnsError::at(root.line, root.column, "no `cpns_trace: 1` header").field(HEADER)
    })?;
    let given = scalar(v, HEADER)?;
    if given != VERSION {
        return Err(CpnsError::at(
            v.line,
            v.column,
            format!("format version {given} (this tool reads version {VERSION})"),
        )
        .field(HEADER));
    }
    Ok(())
}

fn read_json_lines(text: &str) -> Result<CpnsTrace, CpnsError> {
    let mut header = false;
    let mut events = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let number = i as u32 + 1;
        if line.trim().is_empty() {
            continue;
        }
        if let Err(e) = serde_json::from_str::<serde_json::Value>(line) {
            return Err(CpnsError::at(
                number,
                e.column() as u32,
                format!("not a JSON object: {e}"),
            ));
        }
        let node = tree::parse(line, i as u32)?;
        if !header {
            let entries = map_of(&node, "the header line")?;
            let version = entries
                .iter()
                .find(|(k, _)| matches!(&k.node, Node::Scalar { text, .. } if text == HEADER))
                .map(|(_, v)| v);
            if version.is_none() {
                return Err(CpnsError::at(
                    number,
                    1,
                    "a CPNS trace in JSON Lines starts with the header line {\"cpns_trace\": 1}",
                )
                .field(HEADER));
            }
            check_version(version, &node)?;
            header = true;
            continue;
        }
        events.push(event(&node, &format!("events[{}]", events.len()))?);
    }
    finish(Form::JsonLines, events)
}

/// Checks what holds across events: `seq` strictly increases (observed order).
fn finish(form: Form, events: Vec<CpnsEvent>) -> Result<CpnsTrace, CpnsError> {
    for pair in events.windows(2) {
        if pair[1].seq <= pair[0].seq {
            return Err(CpnsError::at(
                pair[1].line,
                pair[1].column,
                format!(
                    "seq {} follows seq {}: events are listed in observed order, seq increasing",
                    pair[1].seq, pair[0].seq
                ),
            )
            .field("seq"));
        }
    }
    Ok(CpnsTrace { form, events })
}

fn map_of<'a>(m: &'a Marked, what: &str) -> Result<&'a [(Marked, Marked)], CpnsError> {
    match &m.node {
        Node::Map(entries) => Ok(entries),
        _ => Err(CpnsError::at(
            m.line,
            m.column,
            format!("{what} must be a map, not {}", m.what()),
        )),
    }
}

fn scalar(m: &Marked, field: &str) -> Result<String, CpnsError> {
    match &m.node {
        Node::Scalar { text, .. } => Ok(text.clone()),
        _ => Err(CpnsError::at(
            m.line,
            m.column,
            format!("must be a scalar, not {}", m.what()),
        )
        .field(field.to_string())),
    }
}

/// A map's entries by key, refusing a key given twice.
struct Entries<'a> {
    entries: Vec<(String, &'a Marked, &'a Marked)>,
    path: String,
}

impl<'a> Entries<'a> {
    fn of(m: &'a Marked, path: &str) -> Result<Entries<'a>, CpnsError> {
        let mut entries: Vec<(String, &Marked, &Marked)> = Vec::new();
        for (k, v) in map_of(m, path)? {
            let name = scalar(k, path)?;
            if entries.iter().any(|(n, _, _)| *n == name) {
                return Err(
                    CpnsError::at(k.line, k.column, "given twice").field(format!("{path}.{name}"))
                );
            }
            entries.push((name, k, v));
        }
        Ok(Entries {
            entries,
            path: path.to_string(),
        })
    }

    fn get(&self, name: &str) -> Option<&'a Marked> {
        self.entries
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, v)| *v)
    }

    fn err(&self, m: &Marked, name: &str, reason: impl Into<String>) -> CpnsError {
        CpnsError::at(m.line, m.column, reason).field(format!("{}.{name}", self.path))
    }

    /// A text value (any scalar but null), when present and not null.
    fn text(&self, name: &str) -> Result<Option<String>, CpnsError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if v.is_null() => Ok(None),
            Some(v) => match &v.node {
                Node::Scalar { text, .. } if !text.is_empty() => Ok(Some(text.clone())),
                _ => Err(self.err(v, name, format!("must be text, not {}", v.what()))),
            },
        }
    }

    fn required(&self, name: &str, within: &Marked) -> Result<String, CpnsError> {
        self.text(name)?
            .ok_or_else(|| self.err(within, name, "missing (required here)"))
    }

    fn list(&self, name: &str) -> Result<Option<Vec<String>>, CpnsError> {
        let Some(v) = self.get(name).filter(|v| !v.is_null()) else {
            return Ok(None);
        };
        let Node::Seq(items) = &v.node else {
            return Err(self.err(v, name, format!("must be a list, not {}", v.what())));
        };
        items
            .iter()
            .map(|i| match &i.node {
                Node::Scalar { text, .. } if !i.is_null() => Ok(text.clone()),
                _ => Err(self.err(i, name, "each item must be a PNE ID (text)")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    fn refuse_key_material(&self) -> Result<(), CpnsError> {
        match self.entries.iter().find(|(n, _, _)| KEY_MATERIAL.contains(&n.as_str())) {
            Some((n, k, _)) => Err(self.err(
                k,
                n,
                "key material does not belong in a trace: name the key by key_id and key_fpr (a hash)",
            )),
            None => Ok(()),
        }
    }
}

const EVENT_KEYS: &[&str] = &["seq", "t", "actor", "peer", "dir", "msg", "sg_id", "fields"];

fn event(m: &Marked, path: &str) -> Result<CpnsEvent, CpnsError> {
    let e = Entries::of(m, path)?;
    if let Some((n, k, _)) = e
        .entries
        .iter()
        .find(|(n, _, _)| !EVENT_KEYS.contains(&n.as_str()))
    {
        return Err(e.err(
            k,
            n,
            format!("unknown event key (one of {})", EVENT_KEYS.join(", ")),
        ));
    }
    let seq_text = e.required("seq", m)?;
    let seq = seq_text
        .parse::<u64>()
        .map_err(|_| e.err(e.get("seq").unwrap_or(m), "seq", "must be a whole number"))?;
    let at = match e.text("t")? {
        None => None,
        Some(t) => Some(OffsetDateTime::parse(&t, &Rfc3339).map_err(|why| {
            e.err(
                e.get("t").unwrap_or(m),
                "t",
                format!("not an RFC 3339 time: {why}"),
            )
        })?),
    };
    let party = |name: &str| -> Result<Option<Party>, CpnsError> {
        let Some(text) = e.text(name)? else {
            return Ok(None);
        };
        party(&text).map(Some).ok_or_else(|| {
            e.err(
                e.get(name).unwrap_or(m),
                name,
                "must be CPNS, PNE:<id> or PNGW:<id>",
            )
        })
    };
    let actor = party("actor")?.ok_or_else(|| e.err(m, "actor", "missing (required)"))?;
    let peer = party("peer")?;
    let msg_name = e.required("msg", m)?;
    let msg = MSG_NAMES
        .iter()
        .find(|(n, _)| *n == msg_name)
        .map(|(_, k)| *k)
        .ok_or_else(|| {
            let names: Vec<&str> = MSG_NAMES.iter().map(|(n, _)| *n).collect();
            e.err(
                e.get("msg").unwrap_or(m),
                "msg",
                format!("unknown message `{msg_name}` (one of {})", names.join(", ")),
            )
        })?;
    let dir = direction(&e, m, msg, peer.is_some())?;
    let sg_id = e.text("sg_id")?;
    if sg_id.is_none() && msg != Msg::SgCreateRequest {
        return Err(e.err(
            m,
            "sg_id",
            format!("missing: a {} names its SG", msg.name()),
        ));
    }
    let fields = match e.get("fields").filter(|f| !f.is_null()) {
        None => Fields::default(),
        Some(f) => fields(f, &format!("{path}.fields"))?,
    };
    let event = CpnsEvent {
        seq,
        line: m.line,
        column: m.column,
        at,
        actor,
        peer,
        dir,
        msg,
        sg_id,
        fields,
    };
    required_fields(&event, &e, m)?;
    Ok(event)
}

fn party(text: &str) -> Option<Party> {
    if text == "CPNS" {
        return Some(Party::Server);
    }
    let (kind, id) = text.split_once(':')?;
    if id.is_empty() {
        return None;
    }
    match kind {
        "PNE" => Some(Party::Pne(id.to_string())),
        "PNGW" => Some(Party::Gateway(id.to_string())),
        _ => None,
    }
}

fn direction(e: &Entries, m: &Marked, msg: Msg, has_peer: bool) -> Result<Dir, CpnsError> {
    let text = e.required("dir", m)?;
    let at = e.get("dir").unwrap_or(m);
    let dir = match text.as_str() {
        "send" => Dir::Send,
        "recv" => Dir::Recv,
        "local" => Dir::Local,
        _ => return Err(e.err(at, "dir", "must be send, recv or local")),
    };
    if msg.is_local() != (dir == Dir::Local) {
        let why = if msg.is_local() {
            format!("{} is a local event: dir local", msg.name())
        } else {
            format!("{} is a message: dir send or recv", msg.name())
        };
        return Err(e.err(at, "dir", why));
    }
    if dir != Dir::Local && !has_peer {
        return Err(e.err(
            m,
            "peer",
            "missing: a message sent or received names its peer",
        ));
    }
    Ok(dir)
}

fn fields(f: &Marked, path: &str) -> Result<Fields, CpnsError> {
    let e = Entries::of(f, path)?;
    e.refuse_key_material()?;
    let action = match e.get("action").filter(|v| !v.is_null()) {
        None => None,
        Some(v) => Some(action(v).map_err(|why| e.err(v, "action", why))?),
    };
    let key = match e.text("key_id")? {
        None => None,
        Some(id) => Some(KeyRef {
            id,
            fpr: fingerprint(&e)?,
        }),
    };
    let group_key = match e.get("group_key") {
        None => None,
        Some(g) if g.is_null() => Some(None),
        Some(g) => {
            let inner = Entries::of(g, &format!("{path}.group_key"))?;
            inner.refuse_key_material()?;
            let id = inner.required("key_id", g)?;
            Some(Some(KeyRef {
                id,
                fpr: fingerprint(&inner)?,
            }))
        }
    };
    Ok(Fields {
        sg_owner: e.text("sg_owner")?,
        members: e.list("members")?,
        action,
        origin_pne: e.text("origin_pne")?,
        target_pnes: e.list("target_pnes")?,
        result: e.text("result")?,
        pne: e.text("pne")?,
        key,
        group_key,
    })
}

/// An Action code: a whole number, or one in quotes as CR 004 writes it (Action = "4").
fn action(v: &Marked) -> Result<ActionCode, String> {
    match &v.node {
        Node::Scalar { text, .. } => text
            .parse::<u32>()
            .map(ActionCode)
            .map_err(|_| format!("an Action code is a whole number, not `{text}`")),
        _ => Err(format!(
            "an Action code is a whole number, not {}",
            v.what()
        )),
    }
}

/// `key_fpr`: `<algorithm>:<hex>`, at least 16 hex digits (a fingerprint, never a key).
fn fingerprint(e: &Entries) -> Result<Option<String>, CpnsError> {
    let Some(fpr) = e.text("key_fpr")? else {
        return Ok(None);
    };
    let ok = fpr.split_once(':').is_some_and(|(alg, hex)| {
        !alg.is_empty()
            && alg.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && hex.len() >= 16
            && hex.chars().all(|c| c.is_ascii_hexdigit())
    });
    match e.get("key_fpr") {
        Some(at) if !ok => Err(e.err(
            at,
            "key_fpr",
            "a fingerprint is <algorithm>:<hex>, e.g. sha256: and at least 16 hex digits",
        )),
        _ => Ok(Some(fpr)),
    }
}

/// The fields each message cannot do without.
fn required_fields(ev: &CpnsEvent, e: &Entries, m: &Marked) -> Result<(), CpnsError> {
    let f = &ev.fields;
    let missing = |name: &str, why: &str| Err(e.err(m, &format!("fields.{name}"), why.to_string()));
    match ev.msg {
        _ if ev.msg.is_response() && f.result.is_none() => missing(
            "result",
            "missing: a response gives its result (success, or the failure)",
        ),
        Msg::SgActionRequest if f.action.is_none() => missing(
            "action",
            "missing: an SGActionRequest gives its Action code",
        ),
        Msg::SgActionRequest if f.action == Some(ActionCode::EXPEL) && f.target_pnes.is_none() => {
            missing(
                "target_pnes",
                "missing: an expel request (Action 1) names the PNEs expelled",
            )
        }
        Msg::GroupKeyDelivery if f.key.is_none() => missing(
            "key_id",
            "missing: a GroupKeyDelivery names the key delivered",
        ),
        Msg::InventoryState if f.group_key.is_none() => missing(
            "group_key",
            "missing: an InventoryState gives the Group Key held (null for none)",
        ),
        _ if ev.msg.is_request() && ev.pne().is_none() => missing(
            "origin_pne",
            "the requesting PNE is not known: send from PNE:<id> or give origin_pne",
        ),
        _ if !ev.msg.is_request() && !ev.msg.is_local() && ev.sender() != Some(&Party::Server) => {
            Err(e.err(
                m,
                "actor",
                format!("a {} is sent by the CPNS Server", ev.msg.name()),
            ))
        }
        _ if !ev.msg.is_request() && !ev.msg.is_local() && ev.pne().is_none() => missing(
            "pne",
            "the receiving PNE is not known: send to PNE:<id> or give pne",
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "cpns_trace: 1\nevents:\n  - seq: 1\n    actor: PNE:pne-a\n    peer: CPNS\n    dir: send\n    msg: SGCreateRequest\n    fields: {members: [pne-a, pne-b]}\n";

    #[test]
    fn reads_yaml_with_positions() {
        let t = read(YAML).unwrap();
        assert_eq!(t.form, Form::Yaml);
        assert_eq!((t.events[0].line, t.events[0].column), (3, 5));
        assert_eq!(t.events[0].pne(), Some("pne-a"));
        assert_eq!(t.events[0].fields.members.as_ref().unwrap().len(), 2);
    }

    #[test]
    fn reads_json_lines_with_line_numbers() {
        let text = "{\"cpns_trace\": 1}\n\n{\"seq\":2,\"actor\":\"CPNS\",\"peer\":\"PNE:a\",\"dir\":\"send\",\"msg\":\"GroupKeyDelivery\",\"sg_id\":\"sg\",\"fields\":{\"key_id\":\"gk-1\"}}\n";
        let t = read(text).unwrap();
        assert_eq!(t.form, Form::JsonLines);
        assert_eq!(t.events[0].line, 3);
        assert_eq!(t.events[0].fields.key.as_ref().unwrap().id, "gk-1");
    }

    #[test]
    fn errors_name_line_and_field() {
        let bad = YAML.replace("SGCreateRequest", "SGMakeRequest");
        let e = read(&bad).unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (7, Some("events[0].msg")));
        let e = read(&YAML.replace("{members", "{key: 00ff, members")).unwrap_err();
        assert!(e.reason.contains("key material"), "{e}");
        let e = read("{\"seq\":1,\"msg\":\"SGCreateRequest\"}\n").unwrap_err();
        assert!(e.reason.contains("header line"), "{e}");
        let e = read("{\"cpns_trace\": 1}\n{\"seq\":1,\n").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn recognises_both_forms_and_nothing_else() {
        assert!(looks_like_cpns(YAML.as_bytes()));
        assert!(looks_like_cpns(b"# a trace\n{ \"cpns_trace\": 1 }\n"));
        assert!(looks_like_cpns(
            b"{\"seq\":1, \"msg\": \"SGReleaseRequest\"}\n"
        ));
        assert!(!looks_like_cpns(b"trace: 1\nevents: []\n"));
        assert!(!looks_like_cpns(b"{\"log\": {\"entries\": []}}"));
        assert!(!looks_like_cpns(b"<xml/>"));
    }
}
