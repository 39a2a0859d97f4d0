//! Packet captures (pcap and pcapng): the UDP datagrams on the MIKEY ports, over IPv4 or IPv6,
//! behind Ethernet, Linux cooked (SLL) or raw IP link layers. Each keeps its frame number
//! (1-based, as Wireshark counts) and its timestamp.

use etherparse::{NetSlice, SlicedPacket, TransportSlice};
use pcap_parser::{Linktype, PcapBlockOwned, PcapError};

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

fn endpoint(ip: std::net::IpAddr, port: u16) -> String {
    match ip {
        std::net::IpAddr::V4(a) => format!("{a}:{port}"),
        std::net::IpAddr::V6(a) => format!("[{a}]:{port}"),
    }
}

/// The UDP datagram in one frame, if it is one on a port of `ports`.
fn udp_of(linktype: Linktype, data: &[u8], ports: &[u16]) -> Option<(String, String, Vec<u8>)> {
    let packet = match linktype {
        Linktype::ETHERNET => SlicedPacket::from_ethernet(data).ok()?,
        Linktype::LINUX_SLL => SlicedPacket::from_linux_sll(data).ok()?,
        Linktype::RAW | Linktype::IPV4 | Linktype::IPV6 => SlicedPacket::from_ip(data).ok()?,
        // BSD loopback: a 4-octet address family, then IP.
        Linktype::NULL | Linktype::LOOP => SlicedPacket::from_ip(data.get(4..)?).ok()?,
        _ => return None,
    };
    let (src_ip, dst_ip) = match packet.net? {
        NetSlice::Ipv4(v4) => (
            v4.header().source_addr().into(),
            v4.header().destination_addr().into(),
        ),
        NetSlice::Ipv6(v6) => (
            v6.header().source_addr().into(),
            v6.header().destination_addr().into(),
        ),
        _ => return None,
    };
    let TransportSlice::Udp(udp) = packet.transport? else {
        return None;
    };
    let (sp, dp) = (udp.source_port(), udp.destination_port());
    if !ports.contains(&sp) && !ports.contains(&dp) {
        return None;
    }
    Some((
        endpoint(src_ip, sp),
        endpoint(dst_ip, dp),
        udp.payload().to_vec(),
    ))
}

/// Reads every UDP datagram on `ports` from a pcap or pcapng capture.
pub fn read_udp(bytes: &[u8], ports: &[u16]) -> Result<Vec<Datagram>, CaptureReadError> {
    let mut reader = pcap_parser::create_reader(65536, bytes)
        .map_err(|e| CaptureReadError(format!("not a pcap or pcapng capture: {e:?}")))?;
    let mut out = Vec::new();
    let mut frame = 0usize;
    let mut linktypes: Vec<Linktype> = Vec::new(); // per pcapng interface; [0] for pcap
    let mut ts_resolution: Vec<u64> = Vec::new(); // units per second, per interface
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
                        if let Some((src, dst, payload)) = udp_of(lt, p.data, ports) {
                            out.push(Datagram {
                                frame,
                                secs: p.ts_sec as u64,
                                micros,
                                src,
                                dst,
                                payload,
                            });
                        }
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
                            if let Some((src, dst, payload)) = udp_of(lt, data, ports) {
                                out.push(Datagram {
                                    frame,
                                    secs: ts / per,
                                    micros: ((ts % per) * 1_000_000 / per) as u32,
                                    src,
                                    dst,
                                    payload,
                                });
                            }
                        }
                        pcap_parser::Block::SimplePacket(_) => frame += 1,
                        _ => {}
                    },
                }
                reader.consume(offset);
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => {
                // A refill that adds nothing means the input ended inside a block (or a block
                // is larger than the buffer): stop, rather than ask again forever.
                let before = reader.data().len();
                reader
                    .refill()
                    .map_err(|e| CaptureReadError(format!("after frame {frame}: {e:?}")))?;
                if reader.data().len() == before {
                    if before == 0 {
                        break; // every block was read: the end of the capture
                    }
                    return Err(CaptureReadError(format!(
                        "the capture is cut off (or a block is over 64 KiB) after frame {frame}"
                    )));
                }
            }
            Err(e) => return Err(CaptureReadError(format!("after frame {frame}: {e:?}"))),
        }
    }
    Ok(out)
}

/// RFC 3339 UTC time of a datagram (for traces built from captures).
pub fn timestamp(d: &Datagram) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(d.secs as i64)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        + time::Duration::microseconds(d.micros as i64);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
