//! Packet captures (pcap and pcapng): the UDP datagrams on the MIKEY ports, over IPv4 or IPv6,
//! behind Ethernet, Linux cooked (SLL) or raw IP link layers. Each keeps its frame number
//! (1-based, as Wireshark counts) and its timestamp. IP fragments are put back together,
//! within bounds (`defrag`); a datagram made of fragments has the frame number of the
//! fragment that completed it.

mod defrag;

use defrag::{Defrag, Fragment, FragmentKey};
pub use defrag::{FragmentLimits, Lost};
use etherparse::{Ipv6ExtensionSlice, NetSlice, SlicedPacket, TransportSlice};
use pcap_parser::{Linktype, PcapBlockOwned, PcapError};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// The magic numbers of pcap (both byte orders, micro- and nanosecond) and pcapng.
pub fn looks_like_pcap(bytes: &[u8]) -> bool {
    matches!(
        bytes.get(..4),
        Some([0xd4, 0xc3, 0xb2, 0xa1])
            | Some([0xa1, 0xb2, 0xc3, 0xd4])
            | Some([0x4d, 0x3c, 0xb2, 0xa1])
            | Some([0xa1, 0xb2, 0x3c, 0x4d])
            | Some([0x0a, 0x0d, 0x0d, 0x0a])
    )
}

/// One UDP datagram of the capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datagram {
    /// 1-based frame number.
    pub frame: usize,
    /// Seconds and microseconds since the epoch.
    pub secs: u64,
    pub micros: u32,
    /// `address:port`, IPv6 in brackets.
    pub src: String,
    pub dst: String,
    pub payload: Vec<u8>,
}

/// A capture that could not be read.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct CaptureReadError(pub String);

/// `address:port`, IPv6 in brackets. IPv4, the common case, is written digit by digit:
/// every datagram of a capture names both ends, and the formatter was a tenth of a large
/// capture's time.
pub fn endpoint(ip: std::net::IpAddr, port: u16) -> String {
    match ip {
        std::net::IpAddr::V4(a) => {
            // Written into octets on the stack, then copied once: "255.255.255.255:65535"
            // is 21 octets.
            let mut buf = [0u8; 21];
            let mut at = 0;
            for (i, octet) in a.octets().into_iter().enumerate() {
                if i > 0 {
                    buf[at] = b'.';
                    at += 1;
                }
                at = put_decimal(&mut buf, at, u32::from(octet));
            }
            buf[at] = b':';
            at = put_decimal(&mut buf, at + 1, u32::from(port));
            // Digits, dots and a colon: always UTF-8.
            std::str::from_utf8(&buf[..at])
                .unwrap_or_default()
                .to_string()
        }
        std::net::IpAddr::V6(a) => format!("[{a}]:{port}"),
    }
}

/// Writes `n` in decimal into `buf` at `at`; gives the position after it. The digits go
/// straight to their places, last first: a copy of 1 to 5 octets through `memcpy` cost more
/// than the digits.
fn put_decimal(buf: &mut [u8], at: usize, n: u32) -> usize {
    let mut len = 1;
    let mut rest = n / 10;
    while rest > 0 {
        len += 1;
        rest /= 10;
    }
    let mut n = n;
    for place in buf[at..at + len].iter_mut().rev() {
        *place = b'0' + (n % 10) as u8;
        n /= 10;
    }
    at + len
}

/// What one frame holds: a UDP datagram, an IP fragment, or something else, named for the
/// report of a capture in which nothing could be judged ("TCP 443", "ARP", …).
enum Frame<'d> {
    Udp {
        src: IpAddr,
        dst: IpAddr,
        src_port: u16,
        dst_port: u16,
        payload: &'d [u8],
    },
    Fragment(Fragment<'d>),
    Other(String),
}

impl Frame<'_> {
    fn udp_ports(&self) -> Option<(u16, u16)> {
        match self {
            Frame::Udp {
                src_port, dst_port, ..
            } => Some((*src_port, *dst_port)),
            _ => None,
        }
    }
}

/// A UDP datagram not on the MIKEY ports, shown to the readers of other protocols over UDP
/// (FLUTE, `flute::session`) in the same pass.
#[derive(Debug, Clone, Copy)]
pub struct UdpDatagram<'d> {
    pub frame: usize,
    pub src: IpAddr,
    pub dst: IpAddr,
    pub src_port: u16,
    pub dst_port: u16,
    pub payload: &'d [u8],
}

/// The most different kinds of other frame a capture's tally keeps apart (bounded memory);
/// the rest are counted together.
const MAX_TALLY: usize = 64;

/// The UDP datagram in one frame if it is one on a port of `ports`; otherwise what it is.
/// The IP/transport layers of a frame, by its link type.
pub fn slice(linktype: Linktype, data: &[u8]) -> Option<SlicedPacket<'_>> {
    match linktype {
        Linktype::ETHERNET => SlicedPacket::from_ethernet(data).ok(),
        Linktype::LINUX_SLL => SlicedPacket::from_linux_sll(data).ok(),
        Linktype::RAW | Linktype::IPV4 | Linktype::IPV6 => SlicedPacket::from_ip(data).ok(),
        Linktype::NULL | Linktype::LOOP => SlicedPacket::from_ip(data.get(4..)?).ok(),
        _ => None,
    }
}

fn frame_of(linktype: Linktype, data: &[u8]) -> Frame<'_> {
    let sliced = match linktype {
        Linktype::ETHERNET => SlicedPacket::from_ethernet(data),
        Linktype::LINUX_SLL => SlicedPacket::from_linux_sll(data),
        Linktype::RAW | Linktype::IPV4 | Linktype::IPV6 => SlicedPacket::from_ip(data),
        // BSD loopback: a 4-octet address family, then IP.
        Linktype::NULL | Linktype::LOOP => match data.get(4..) {
            Some(ip) => SlicedPacket::from_ip(ip),
            None => return Frame::Other("truncated frames".into()),
        },
        other => return Frame::Other(format!("link type {}", other.0)),
    };
    let Ok(packet) = sliced else {
        return Frame::Other("undecodable frames".into());
    };
    let (src_ip, dst_ip, ip) = match &packet.net {
        Some(NetSlice::Ipv4(v4)) => {
            let h = v4.header();
            let ip = v4.payload();
            if ip.fragmented {
                return Frame::Fragment(Fragment {
                    key: FragmentKey {
                        src: h.source_addr().into(),
                        dst: h.destination_addr().into(),
                        protocol: h.protocol().0,
                        id: u32::from(h.identification()),
                    },
                    next_header: h.protocol().0,
                    offset: usize::from(h.fragments_offset().value()) * 8,
                    more: h.more_fragments(),
                    payload: ip.payload,
                });
            }
            (h.source_addr().into(), h.destination_addr().into(), ip)
        }
        Some(NetSlice::Ipv6(v6)) => {
            let (src, dst) = (
                v6.header().source_addr().into(),
                v6.header().destination_addr().into(),
            );
            if v6.payload().fragmented {
                return ipv6_fragment(src, dst, v6);
            }
            (src, dst, v6.payload())
        }
        Some(NetSlice::Arp(_)) => return Frame::Other("ARP".into()),
        None => {
            return Frame::Other(match packet.link.as_ref().and_then(|l| l.ether_payload()) {
                Some(p) => format!("EtherType 0x{:04x}", p.ether_type.0),
                None => "frames without IP".into(),
            })
        }
    };
    let udp = match &packet.transport {
        Some(TransportSlice::Udp(udp)) => udp,
        // The lower port names the service (the other is usually ephemeral).
        Some(TransportSlice::Tcp(tcp)) => {
            return Frame::Other(format!(
                "TCP {}",
                tcp.source_port().min(tcp.destination_port())
            ))
        }
        Some(TransportSlice::Icmpv4(_)) => return Frame::Other("ICMP".into()),
        Some(TransportSlice::Icmpv6(_)) => return Frame::Other("ICMPv6".into()),
        Some(TransportSlice::Igmp(_)) => return Frame::Other("IGMP".into()),
        None => return Frame::Other(format!("IP protocol {}", ip.ip_number.0)),
    };
    Frame::Udp {
        src: src_ip,
        dst: dst_ip,
        src_port: udp.source_port(),
        dst_port: udp.destination_port(),
        payload: udp.payload(),
    }
}

/// An IPv6 fragment (RFC 8200 4.5): the fragmentable part is what follows the fragment
/// header. etherparse reads on past it through extension headers that follow it in the
/// first fragment; those are put back in front of the payload.
fn ipv6_fragment<'d>(src: IpAddr, dst: IpAddr, v6: &etherparse::Ipv6Slice<'d>) -> Frame<'d> {
    let mut fragment = None;
    let mut after = 0usize;
    for ext in v6.extensions().clone() {
        match (&ext, fragment.is_some()) {
            (Ipv6ExtensionSlice::Fragment(f), false) => fragment = Some(f.clone()),
            (Ipv6ExtensionSlice::Fragment(_), true) => {
                return Frame::Other("IPv6 fragments with two fragment headers".into())
            }
            (_, true) => after += ext_len(&ext),
            (_, false) => {}
        }
    }
    let Some(f) = fragment else {
        return Frame::Other("IPv6 fragments".into());
    };
    if after > 0 {
        // Rare (a destination options header after the fragment header): not put together.
        return Frame::Other("IPv6 fragments with headers after the fragment header".into());
    }
    Frame::Fragment(Fragment {
        key: FragmentKey {
            src,
            dst,
            protocol: 0,
            id: f.identification(),
        },
        next_header: f.next_header().0,
        offset: usize::from(f.fragment_offset().value()) * 8,
        more: f.more_fragments(),
        payload: v6.payload().payload,
    })
}

fn ext_len(ext: &Ipv6ExtensionSlice) -> usize {
    match ext {
        Ipv6ExtensionSlice::HopByHop(s)
        | Ipv6ExtensionSlice::Routing(s)
        | Ipv6ExtensionSlice::DestinationOptions(s) => s.slice().len(),
        Ipv6ExtensionSlice::Fragment(s) => s.slice().len(),
        Ipv6ExtensionSlice::Authentication(s) => s.slice().len(),
    }
}

/// What a capture holds: its UDP datagrams on the MIKEY ports, and a count of every other
/// frame by what it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capture {
    pub datagrams: Vec<Datagram>,
    /// Every frame read (MIKEY or not).
    pub frames: usize,
    /// Frames not read as MIKEY, by what they are (`UDP 53`, `TCP 443`, `ARP`, `IP
    /// fragments`, …): at most MAX_TALLY names, the rest under `other frames`.
    pub other: BTreeMap<String, usize>,
    /// Where the capture ends inside a block, when it does: the frames before it were read.
    pub cut: Option<Cut>,
    /// Fragmented IP datagrams that were not put together.
    pub fragments: Lost,
}

/// A capture that ends inside a block (a packet record or pcapng block whose length says
/// more than the file holds): cut off, as a capture copied or written while still running
/// is. Readers show the frames before it (tshark: "appears to have been cut short in the
/// middle of a packet").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// The last frame read whole (0: none).
    pub after_frame: usize,
    /// The offset in the file at which the incomplete block starts.
    pub at: u64,
    /// The octets of it the file holds.
    pub octets: usize,
}

impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the capture is cut off after frame {}: the block at offset {} ends with the file, {} octets into it",
            self.after_frame, self.at, self.octets
        )
    }
}

impl Capture {
    fn tally(&mut self, name: String) {
        self.tally_n(name, 1);
    }

    fn tally_n(&mut self, name: String, n: usize) {
        let name = if self.other.len() >= MAX_TALLY && !self.other.contains_key(&name) {
            "other frames".to_string()
        } else {
            name
        };
        *self.other.entry(name).or_default() += n;
    }

    /// The frames not read as MIKEY, most frequent first: `UDP 53 (8), UDP 5060 (4)` (empty
    /// when every frame was).
    pub fn others(&self) -> String {
        let mut kinds: Vec<(&String, &usize)> = self.other.iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} ({n})")).collect();
        list.join(", ")
    }

    /// Every frame of the capture: `12 frames: UDP 53 (8), UDP 5060 (4)`.
    pub fn describe(&self) -> String {
        let frames = crate::plural::counted(self.frames, "frame", "frames");
        match self.others() {
            o if o.is_empty() => frames,
            o => format!("{frames}: {o}"),
        }
    }
}

/// Reads every UDP datagram on `ports` from a pcap or pcapng capture.
pub fn read_udp(bytes: &[u8], ports: &[u16]) -> Result<Vec<Datagram>, CaptureReadError> {
    read(bytes, ports).map(|c| c.datagrams)
}

/// Reads a pcap or pcapng capture: the UDP datagrams on `ports`, and what the other frames
/// are.
pub fn read(bytes: &[u8], ports: &[u16]) -> Result<Capture, CaptureReadError> {
    let mut datagrams = Vec::new();
    let mut capture = stream(bytes, ports, &mut |d| datagrams.push(d))?;
    if let Some(cut) = &capture.cut {
        // Its callers (`trace --pcap`) keep no note: a cut capture is refused whole.
        return Err(CaptureReadError(cut.to_string()));
    }
    capture.datagrams = datagrams;
    Ok(capture)
}

/// Reads a pcap or pcapng capture as a stream, in a buffer of 64 KiB whatever its length:
/// each UDP datagram on `ports` goes to `sink` as it is read, and is not kept. Returns the
/// tally of frames (its `datagrams` empty).
pub fn stream(
    input: impl std::io::Read + Send,
    ports: &[u16],
    sink: &mut dyn FnMut(Datagram),
) -> Result<Capture, CaptureReadError> {
    stream_observed(input, ports, sink, &mut |_| {})
}

/// One frame as read, before any decoding: for readers of other protocols (SIP over UDP
/// and TCP, `sip::capture`) in the same pass.
pub struct RawFrame<'d> {
    pub frame: usize,
    pub linktype: Linktype,
    pub data: &'d [u8],
    /// The ports of the whole UDP datagram the frame is, as the reader already found them
    /// (None: anything else, a fragment included): an observer that reads no UDP, or none
    /// on these ports, skips the frame without slicing it again.
    pub udp_ports: Option<(u16, u16)>,
}

/// The most octets one block may take: the reader's buffer. A block that does not fit
/// cannot be read, which is not the file ending inside it.
const READ_BUFFER: usize = 65536;

/// [`stream`], with every frame also shown to `observe`. A capture that ends inside a block
/// is read up to it, and the cut is in the result's `cut`.
pub fn stream_observed(
    input: impl std::io::Read + Send,
    ports: &[u16],
    sink: &mut dyn FnMut(Datagram),
    observe: &mut dyn FnMut(&RawFrame),
) -> Result<Capture, CaptureReadError> {
    let options = Options {
        ports,
        fragments: FragmentLimits::default(),
    };
    stream_with(input, &options, sink, observe, &mut |_| false)
}

/// How a capture is read: the MIKEY ports, and the bounds on IP fragments.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub ports: &'a [u16],
    pub fragments: FragmentLimits,
}

/// Where each frame's contents go.
struct Frames<'s> {
    ports: &'s [u16],
    defrag: Defrag,
    sink: &'s mut dyn FnMut(Datagram),
    udp: &'s mut dyn FnMut(&UdpDatagram) -> bool,
}

impl Frames<'_> {
    fn frame(&mut self, out: &mut Capture, frame: usize, ts: (u64, u32), parsed: Frame<'_>) {
        match parsed {
            Frame::Udp {
                src,
                dst,
                src_port,
                dst_port,
                payload,
            } => self.udp_datagram(out, frame, ts, (src, dst, src_port, dst_port), payload),
            Frame::Fragment(f) => {
                let Some((key, protocol, whole)) = self.defrag.add(frame, f) else {
                    return;
                };
                // UDP (RFC 768): ports, length (header included), checksum; then the data.
                match (protocol, whole.get(..8)) {
                    (17, Some(h)) => {
                        let sp = u16::from_be_bytes([h[0], h[1]]);
                        let dp = u16::from_be_bytes([h[2], h[3]]);
                        let len = usize::from(u16::from_be_bytes([h[4], h[5]]));
                        let end = if (8..=whole.len()).contains(&len) {
                            len
                        } else {
                            whole.len()
                        };
                        let endpoints = (key.src, key.dst, sp, dp);
                        self.udp_datagram(out, frame, ts, endpoints, &whole[8..end]);
                    }
                    (p, _) => out.tally(format!("IP protocol {p} (from fragments)")),
                }
            }
            Frame::Other(name) => out.tally(name),
        }
    }

    fn udp_datagram(
        &mut self,
        out: &mut Capture,
        frame: usize,
        (secs, micros): (u64, u32),
        (src, dst, sp, dp): (IpAddr, IpAddr, u16, u16),
        payload: &[u8],
    ) {
        if self.ports.contains(&sp) || self.ports.contains(&dp) {
            (self.sink)(Datagram {
                frame,
                secs,
                micros,
                src: endpoint(src, sp),
                dst: endpoint(dst, dp),
                payload: payload.to_vec(),
            });
            return;
        }
        let seen = UdpDatagram {
            frame,
            src,
            dst,
            src_port: sp,
            dst_port: dp,
            payload,
        };
        if !(self.udp)(&seen) {
            out.tally(format!("UDP {}", sp.min(dp)));
        }
    }

    /// The fragments that made no datagram, in the tally.
    fn finish(&mut self, out: &mut Capture) {
        let lost = self.defrag.finish();
        for (n, what) in [
            (
                lost.unfinished,
                "IP fragments of datagrams unfinished at the end",
            ),
            (
                lost.expired,
                "IP fragments let go after limits.fragment_frames",
            ),
            (
                lost.evicted,
                "IP fragments let go over limits.fragment_bytes",
            ),
            (
                lost.oversize,
                "IP fragments of datagrams over 65535 octets, or misaligned",
            ),
            (
                lost.overlapping,
                "IP fragments that overlap others with different octets",
            ),
        ] {
            if n > 0 {
                out.tally_n(what.to_string(), n);
            }
        }
        out.fragments = lost;
    }
}

/// [`stream_observed`] with the bounds of `options`, and each UDP datagram not on the MIKEY
/// ports shown to `udp`, which says whether it took it (else it is counted as other UDP).
pub fn stream_with(
    input: impl std::io::Read + Send,
    options: &Options,
    sink: &mut dyn FnMut(Datagram),
    observe: &mut dyn FnMut(&RawFrame),
    udp: &mut dyn FnMut(&UdpDatagram) -> bool,
) -> Result<Capture, CaptureReadError> {
    let mut frames = Frames {
        ports: options.ports,
        defrag: Defrag::new(options.fragments),
        sink,
        udp,
    };
    let mut reader = pcap_parser::create_reader(READ_BUFFER, input)
        .map_err(|e| CaptureReadError(format!("not a pcap or pcapng capture: {}", reason(&e))))?;
    let mut out = Capture::default();
    let mut frame = 0usize;
    let mut linktypes: Vec<Linktype> = Vec::new(); // per pcapng interface; [0] for pcap
    let mut ts_resolution: Vec<u64> = Vec::new(); // units per second, per interface
    let mut consumed = 0u64; // octets of the file read whole
    loop {
        match reader.next() {
            Ok((offset, block)) => {
                match block {
                    PcapBlockOwned::LegacyHeader(h) => {
                        linktypes = vec![h.network];
                        ts_resolution = vec![if h.is_nanosecond_precision() {
                            1_000_000_000
                        } else {
                            1_000_000
                        }];
                    }
                    PcapBlockOwned::Legacy(p) => {
                        frame += 1;
                        let lt = linktypes.first().copied().unwrap_or(Linktype::ETHERNET);
                        let per = ts_resolution.first().copied().unwrap_or(1_000_000);
                        let micros = if per == 1_000_000 {
                            p.ts_usec
                        } else {
                            (p.ts_usec as u64 * 1_000_000 / per) as u32
                        };
                        // Sliced once, for the MIKEY datagrams and the observers alike.
                        let parsed = frame_of(lt, p.data);
                        observe(&RawFrame {
                            frame,
                            linktype: lt,
                            data: p.data,
                            udp_ports: parsed.udp_ports(),
                        });
                        frames.frame(&mut out, frame, (p.ts_sec as u64, micros), parsed);
                    }
                    PcapBlockOwned::NG(b) => match b {
                        pcap_parser::Block::InterfaceDescription(idb) => {
                            linktypes.push(idb.linktype);
                            ts_resolution.push(idb.ts_resolution().unwrap_or(1_000_000));
                        }
                        pcap_parser::Block::EnhancedPacket(epb) => {
                            frame += 1;
                            let i = epb.if_id as usize;
                            let lt = linktypes.get(i).copied().unwrap_or(Linktype::ETHERNET);
                            let per = ts_resolution.get(i).copied().unwrap_or(1_000_000).max(1);
                            let ts = ((epb.ts_high as u64) << 32) | epb.ts_low as u64;
                            let data = &epb.data[..(epb.caplen as usize).min(epb.data.len())];
                            let micros = ((ts % per) * 1_000_000 / per) as u32;
                            let parsed = frame_of(lt, data);
                            observe(&RawFrame {
                                frame,
                                linktype: lt,
                                data,
                                udp_ports: parsed.udp_ports(),
                            });
                            frames.frame(&mut out, frame, (ts / per, micros), parsed);
                        }
                        pcap_parser::Block::SimplePacket(_) => {
                            frame += 1;
                            out.tally("simple packet blocks (not read)".into());
                        }
                        _ => {}
                    },
                }
                reader.consume(offset);
                consumed += offset as u64;
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => {
                // A refill that adds nothing means the input ended inside a block (or a block
                // is larger than the buffer): stop, rather than ask again forever.
                let before = reader.data().len();
                reader.refill().map_err(|e| {
                    CaptureReadError(format!("after frame {frame}: {}", reason(&e)))
                })?;
                if reader.data().len() == before {
                    if before == 0 {
                        break; // every block was read: the end of the capture
                    }
                    if before >= READ_BUFFER {
                        return Err(CaptureReadError(format!(
                            "a block is over 64 KiB after frame {frame}"
                        )));
                    }
                    out.cut = Some(Cut {
                        after_frame: frame,
                        at: consumed,
                        octets: before,
                    });
                    break;
                }
            }
            Err(e) => {
                return Err(CaptureReadError(format!(
                    "after frame {frame}: {}",
                    reason(&e)
                )))
            }
        }
    }
    frames.finish(&mut out);
    out.frames = frame;
    Ok(out)
}

/// A reader error in words, without the parser's internals (its Debug form carries the
/// unread input).
fn reason<I>(e: &PcapError<I>) -> &'static str {
    match e {
        PcapError::Eof | PcapError::UnexpectedEof | PcapError::Incomplete(_) => {
            "the capture ends inside a block"
        }
        PcapError::BufferTooSmall => "a block is over 64 KiB",
        PcapError::ReadError => "a read error",
        PcapError::HeaderNotRecognized => "the header is neither pcap nor pcapng",
        PcapError::NomError(..) | PcapError::OwnedNomError(..) => "a malformed block",
    }
}

/// RFC 3339 UTC time of a datagram (for traces built from captures).
pub fn timestamp(d: &Datagram) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(d.secs as i64)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        + time::Duration::microseconds(d.micros as i64);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::endpoint;
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    #[test]
    fn endpoints_are_written_as_the_formatter_writes_them() {
        for (a, port) in [
            ([0, 0, 0, 0], 0),
            ([10, 0, 0, 7], 2269),
            ([192, 168, 100, 255], 65535),
            ([255, 255, 255, 255], 9),
            ([1, 20, 199, 250], 10010),
        ] {
            let ip = Ipv4Addr::from(a);
            assert_eq!(endpoint(IpAddr::V4(ip), port), format!("{ip}:{port}"));
        }
        let v6 = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1);
        assert_eq!(endpoint(IpAddr::V6(v6), 5060), "[2001:db8::1]:5060");
    }
}
