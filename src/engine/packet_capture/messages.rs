//! The MIKEY messages of a capture, for `decode` (`format::discover`): what
//! `check_pcap_stream` judges, read by the same readers in one pass: the UDP datagrams on the
//! MIKEY ports, the MTK objects of FLUTE sessions, the application/mikey bodies of the SIP on
//! the SIP ports, and the HTTP exchanges on the HTTP ports (whose LTKMs and application/mikey
//! bodies `format::discover` lists as it lists an `.http` file's).

use crate::engine::mikey::FoundMessage;
use crate::exchange::stream::Captured;
use crate::pcap::{self, Cut, Datagram};

/// What `decode` lists from a capture.
pub(crate) struct CaptureMessages {
    /// UDP datagrams, FLUTE MTK objects and SIP bodies, in frame order.
    pub found: Vec<FoundMessage>,
    /// The HTTP exchanges, in the order they completed.
    pub exchanges: Vec<Captured>,
    /// A note when the capture is cut off (the messages before the cut are listed).
    pub notes: Vec<String>,
}

/// The MIKEY messages of a capture (see the module doc).
pub(crate) fn messages(
    settings: &crate::settings::Settings,
    bytes: &[u8],
) -> Result<CaptureMessages, String> {
    let mut found: Vec<(usize, FoundMessage)> = Vec::new();
    let mut sink = |d: Datagram| {
        let place = format!("frame {} ({} -> {})", d.frame, d.src, d.dst);
        let m = FoundMessage {
            frame: Some(d.frame),
            src: Some(d.src),
            dst: Some(d.dst),
            ..FoundMessage::at(place, Ok(d.payload))
        };
        found.push((d.frame, m));
    };
    let sip = &settings.sip;
    let mut collector = crate::sip::capture::Collector::new(
        &sip.ports,
        sip.max_tcp_buffer,
        settings.limits.max_bytes,
    );
    let mut http = crate::exchange::stream::Collector::new(&settings.http);
    let mut exchanges = Vec::new();
    let flute = std::cell::RefCell::new(crate::flute::session::Collector::new(&settings.flute));
    let options = pcap::Options {
        ports: &settings.pcap_ports,
        fragments: pcap::FragmentLimits {
            bytes: settings.limits.fragment_bytes,
            frames: settings.limits.fragment_frames,
        },
    };
    let capture = pcap::stream_with(
        bytes,
        &options,
        &mut sink,
        &mut |f| {
            collector.frame(f);
            http.frame(f);
            exchanges.extend(http.take_ready());
        },
        &mut |u| flute.borrow_mut().datagram(u),
    )
    .map_err(|e| format!("cannot read the capture: {e}"))?;
    http.finish(capture.frames);
    exchanges.extend(http.take_ready());
    found.extend(flute_objects(flute.into_inner()));
    let gathered = collector.finish();
    if !gathered.origins.is_empty() {
        for m in crate::engine::sip::mikey_bodies(settings, &gathered.text, Some(&gathered)) {
            found.push((first_frame(&m.place), m));
        }
    }
    found.sort_by_key(|(frame, _)| *frame);
    Ok(CaptureMessages {
        found: found.into_iter().map(|(_, m)| m).collect(),
        exchanges,
        notes: capture.cut.iter().map(Cut::to_string).collect(),
    })
}

/// The MTK objects of the FLUTE sessions, as `check` judges them.
fn flute_objects(
    mut flute: crate::flute::session::Collector,
) -> impl Iterator<Item = (usize, FoundMessage)> {
    let mut events = flute.drain();
    flute.finish();
    events.extend(flute.drain());
    events.into_iter().flat_map(|d| {
        let e = d.event;
        let crate::trace::EventBody::Flute { objects, .. } = e.body else {
            return Vec::new();
        };
        let (src, dst) = (e.from.unwrap_or_default(), e.to.unwrap_or_default());
        objects
            .into_iter()
            .map(|(toi, object)| {
                let place = format!(
                    "frame {} ({src} -> {dst}), FLUTE object TOI {toi}",
                    e.number
                );
                let m = FoundMessage {
                    frame: Some(e.number),
                    src: Some(src.clone()),
                    dst: Some(dst.clone()),
                    ..FoundMessage::at(place, Ok(object))
                };
                (e.number, m)
            })
            .collect()
    })
}

/// The first frame number a place names (`frame 7 (UDP …)`, `TCP … (frame 7)`).
fn first_frame(place: &str) -> usize {
    place
        .find("frame ")
        .map(|at| &place[at + "frame ".len()..])
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|d| d.parse().ok())
        .unwrap_or(usize::MAX)
}
