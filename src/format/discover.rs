//! `decode`'s input discovery: the MIKEY messages in one input, as its format (this
//! folder's table, [`super::FORMATS`]) says it holds them. Beside the table it follows, and
//! above the engine's readers it asks (`engine::packet_capture::messages`, `engine::sip::mikey_bodies`,
//! `engine::mikey::embedded_messages`), which do not import it.

use crate::engine::mikey::{embedded_messages, FoundMessage};
use crate::mikey::{self, input::InputFormat};
use crate::settings::Settings;

/// The MIKEY messages of one input, and what kind of input held them.
#[derive(Debug, Clone)]
pub struct FoundMessages {
    /// `mikey` (a standalone message), `pcap`, `http-exchange` or `xml`.
    pub container: &'static str,
    /// How a standalone message was written; `None` inside a container.
    pub format: Option<InputFormat>,
    pub messages: Vec<FoundMessage>,
    /// What a reader of the list should know: a capture cut off.
    pub notes: Vec<String>,
}

/// The MIKEY messages in one input, for `mikeyconf decode`: those its format holds
/// (`format::Format::holds`), the same `check` judges: the UDP datagrams on the MIKEY ports
/// and the application/mikey bodies of the SIP messages of a pcap/pcapng capture, the
/// LTKMs (and `application/mikey` bodies) of an HTTP exchange capture (HAR, raw HTTP,
/// `curl -v`), the application/mikey bodies of a SIP file, the LTKMs of an XML payload, or
/// the input itself when it is a MIKEY message (`mikey::input::recognise`). The format is
/// told as `check` tells it (`format::detect`); `as_kind` names the kind instead (a MIKEY
/// kind reads the input as MIKEY whatever its header says). `Err` says why no message can
/// be found.
pub fn find_messages(
    settings: &Settings,
    bytes: &[u8],
    as_kind: Option<&str>,
) -> Result<FoundMessages, String> {
    use crate::format::Reader;
    let format = crate::format::detect(bytes, as_kind, settings)?;
    let limit = settings.limits.max_bytes;
    if bytes.len() > limit {
        return Err(format!(
            "{} bytes, over the limit of {limit} (setting limits.max_bytes)",
            bytes.len()
        ));
    }
    if let crate::format::Holds::Nothing(why) = format.holds {
        return Err(why.to_string());
    }
    let found = match format.reader {
        Reader::Mikey => {
            let loaded = match as_kind {
                Some(_) => mikey::input::load(bytes),
                None => mikey::input::recognise(bytes),
            };
            let (msg, format) = loaded.map_err(|e| match e {
                mikey::input::InputError::NotRecognised { .. } => format!(
                    "{e}; decode reads MIKEY messages, pcap/pcapng captures, HTTP exchanges (HAR, raw HTTP, curl -v), SIP messages and XML payloads with LTKMs, or name the kind with --as (e.g. --as mikey)"
                ),
                _ => format!("not a MIKEY message: {e}"),
            })?;
            return Ok(FoundMessages {
                container: "mikey",
                format: Some(format),
                messages: vec![FoundMessage::at(String::new(), Ok(msg))],
                notes: Vec::new(),
            });
        }
        // Their table entries hold nothing (answered above); no reader of theirs lists any.
        Reader::SessionTrace | Reader::CpnsTrace | Reader::SpecDocument => {
            return Err(format!("{}: no MIKEY message of its own", format.name))
        }
        Reader::Pcap => {
            let found = crate::engine::packet_capture::messages(settings, bytes)?;
            let mut messages = found.found;
            for c in &found.exchanges {
                messages.extend(in_captured_exchange(settings, c));
            }
            // Frame order; an exchange's messages at the frame it completed in.
            messages.sort_by_key(|m| m.frame.unwrap_or(usize::MAX));
            FoundMessages {
                container: "pcap",
                format: None,
                messages,
                notes: found.notes,
            }
        }
        Reader::Sdp => FoundMessages {
            container: crate::engine::sdp::KIND,
            format: None,
            messages: (crate::sdp::key_mgmt_attributes(bytes).into_iter())
                .filter(|a| a.protocol.eq_ignore_ascii_case("mikey"))
                .map(|a| FoundMessage {
                    line: Some(a.line),
                    column: Some(a.column),
                    ..FoundMessage::at(
                        "a=key-mgmt".to_string(),
                        mikey::input::load(&a.text)
                            .map(|(m, _)| m)
                            .map_err(|e| format!("not a MIKEY message: {e}")),
                    )
                })
                .collect(),
            notes: Vec::new(),
        },
        Reader::Sip => FoundMessages {
            container: "sip",
            format: None,
            messages: crate::engine::sip::mikey_bodies(settings, bytes, None),
            notes: Vec::new(),
        },
        Reader::HttpExchange => {
            let exchanges = crate::exchange::read(bytes)
                .map_err(|e| format!("cannot read the capture: {e}"))?;
            let mut messages = Vec::new();
            for ex in &exchanges {
                for msg in [&ex.request, &ex.response] {
                    messages.extend(in_http_message(settings, msg));
                }
            }
            FoundMessages {
                container: "http-exchange",
                format: None,
                messages,
                notes: Vec::new(),
            }
        }
        Reader::Xml => {
            let text = crate::xml::decode_text(bytes).map_err(xml_error)?;
            let doc = crate::xml::parse(&text, &settings.limits).map_err(xml_error)?;
            FoundMessages {
                container: "xml",
                format: None,
                messages: embedded_messages(
                    settings,
                    &doc,
                    &crate::checks::ElementIndex::of(&doc),
                    &text,
                )
                .into_iter()
                .map(|m| FoundMessage {
                    line: Some(m.at.line),
                    column: Some(m.at.column),
                    ..FoundMessage::at(format!("{} #{}", m.element, m.index), m.bytes)
                })
                .collect(),
                notes: Vec::new(),
            }
        }
    };
    if found.messages.is_empty() {
        let where_ = match format.reader {
            Reader::Pcap => format!(
                "the capture has no UDP datagram on the MIKEY ports {:?} (setting pcap_ports), no FLUTE MTK object, no application/mikey body in SIP on ports {:?} (setting sip.ports) and no LTKM or application/mikey body in HTTP on ports {:?} (setting http.ports)",
                settings.pcap_ports, settings.sip.ports, settings.http.ports
            ),
            Reader::HttpExchange => {
                "no body of the capture holds an LTKM or an application/mikey message".into()
            }
            Reader::Sip => "no SIP message of the file carries an application/mikey body".into(),
            Reader::Sdp => "the SDP description has no a=key-mgmt:mikey attribute".into(),
            _ => "the document has no LTKM element in a BCAST container".into(),
        };
        return Err(format!("no MIKEY message found: {where_}"));
    }
    Ok(found)
}

/// The MIKEY messages in one HTTP message's body: each `application/mikey` part, and the
/// LTKMs of each XML part. The lines of a single body of raw HTTP text are the file's own;
/// those in a HAR or in one part of a multipart body count from the start of that body.
fn in_http_message(settings: &Settings, msg: &crate::exchange::Message) -> Vec<FoundMessage> {
    let parts = msg.parts();
    let multipart = parts.len() != 1 || parts[0].label != "body";
    let mut out = Vec::new();
    for part in parts {
        let place = format!("{} {}", msg.place.path, part.label);
        if part
            .media_type
            .as_deref()
            .is_some_and(|m| crate::value::MediaType::is(m, "application/mikey"))
        {
            out.push(FoundMessage::at(place, Ok(part.body)));
            continue;
        }
        if part.body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'<') {
            continue;
        }
        let Ok(text) = crate::xml::decode_text(&part.body) else {
            continue;
        };
        let Ok(doc) = crate::xml::parse(&text, &settings.limits) else {
            continue;
        };
        let elements = crate::checks::ElementIndex::of(&doc);
        for m in embedded_messages(settings, &doc, &elements, &text) {
            let mut line = m.at.line;
            if msg.body_line > 0 && !multipart {
                line += msg.body_line - 1;
            }
            out.push(FoundMessage {
                line: Some(line),
                column: Some(m.at.column),
                ..FoundMessage::at(format!("{place}, {} #{}", m.element, m.index), m.bytes)
            });
        }
    }
    out
}

/// The MIKEY messages of an HTTP exchange read from a capture, as an `.http` file's are
/// listed, placed by the exchange's frame and connection (the lines of the text put back
/// together from the segments are no file's, so none is given).
fn in_captured_exchange(
    settings: &Settings,
    c: &crate::exchange::stream::Captured,
) -> Vec<FoundMessage> {
    let ex = &c.exchange;
    [
        (&ex.request, c.request_frame),
        (&ex.response, Some(c.frame)),
    ]
    .into_iter()
    .flat_map(|(msg, frame)| {
        let frame = frame.unwrap_or(c.frame);
        in_http_message(settings, msg)
            .into_iter()
            .map(move |m| FoundMessage {
                place: format!("{}, {}", ex.label, m.place),
                frame: Some(frame),
                src: Some(c.client.clone()),
                dst: Some(c.server.clone()),
                line: None,
                column: None,
                ..m
            })
    })
    .collect()
}

fn xml_error(e: crate::xml::XmlError) -> String {
    match e {
        crate::xml::XmlError::Refused { location, reason }
        | crate::xml::XmlError::Malformed { location, reason } => format!(
            "not a readable XML document ({}:{}: {reason})",
            location.line, location.column
        ),
    }
}
