//! IP addresses compared as addresses (`std::net`), not as text.
//!
//! Every spelling of one IPv6 address is that address: compressed or not, with or without
//! leading zeros in a group, in either case (RFC 4291 2.2; RFC 5952 4 recommends one
//! spelling but "all implementations must accept and be able to handle any legitimate
//! RFC 4291 format"). Two readings are deliberate (docs/interpretation.md, "Typed values"):
//! - an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, RFC 4291 2.5.5.2) is NOT equal to the
//!   IPv4 address it maps: on the wire they are different address families, and a push sent
//!   to the one went to a socket of the other family;
//! - an address with a zone ID (`fe80::1%eth0`, RFC 4007 11) is NOT equal to the address
//!   without one, nor to the address with another zone: the zone names the link, and the same
//!   link-local address on two links is two interfaces.
//!
//! IPv4 addresses are the dotted-quad of `std::net` (four decimal octets, no leading zeros:
//! `010.0.0.1` is ambiguous between octal and decimal and has no typed value).

use std::net::IpAddr;

/// An IP address with its IPv6 zone ID, if it has one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IpAddress {
    pub addr: IpAddr,
    /// The IPv6 zone ID after `%` (compared as written: RFC 4007 11.2 leaves its form to
    /// the implementation).
    pub zone: Option<String>,
}

impl IpAddress {
    /// An address as written: IPv4 dotted-quad, IPv6 in any RFC 4291 2.2 form, in brackets or
    /// not, with an optional `%zone` (`%25zone` inside brackets, RFC 6874). Surrounding
    /// whitespace is ignored.
    pub fn parse(raw: &str) -> Option<IpAddress> {
        let s = raw.trim();
        let s = match s.strip_prefix('[') {
            Some(inner) => inner.strip_suffix(']')?,
            None => s,
        };
        let (addr, zone) = match s.split_once('%') {
            Some((a, z)) => {
                let z = z
                    .strip_prefix("25")
                    .filter(|_| raw.contains('['))
                    .unwrap_or(z);
                (a, Some(z))
            }
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().ok()?;
        if zone.is_some() && (addr.is_ipv4() || zone == Some("")) {
            return None;
        }
        Some(IpAddress {
            addr,
            zone: zone.map(str::to_string),
        })
    }

    /// The address of `host:port`, `[v6]:port`, a bare address or a bare IPv6 address.
    pub fn of_endpoint(endpoint: &str) -> Option<IpAddress> {
        IpAddress::parse(addr(endpoint.trim()))
    }
}

/// `10.0.0.7:2269` → `10.0.0.7`; `[2001:db8::1]:2269` → `2001:db8::1`.
pub fn addr(s: &str) -> &str {
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match s.rsplit_once(':') {
        Some((a, p)) if !a.contains(':') && p.bytes().all(|b| b.is_ascii_digit()) => a,
        _ => s,
    }
}

/// Whether two endpoint addresses (`host:port` or bare) name the same host: as IP addresses
/// when both are, else as host names (case-insensitive, RFC 4343) when neither is.
pub fn same_host(a: &str, b: &str) -> bool {
    let (ha, hb) = (addr(a.trim()), addr(b.trim()));
    match (IpAddress::parse(ha), IpAddress::parse(hb)) {
        (Some(x), Some(y)) => x == y,
        (None, None) => same_dns_name(ha, hb),
        // An address is not the name it resolves to (RFC 3261 19.1.4 says so of URIs).
        _ => false,
    }
}

/// Whether two DNS host names are one name: ASCII case-insensitively (RFC 4343 3: "comparisons
/// on name lookup for DNS queries should be case insensitive"), surrounding whitespace ignored.
pub fn same_dns_name(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Why two endpoints that look alike are not the same host, when they differ only by an
/// IPv4 mapping or a zone ID (the readings docs/interpretation.md "Typed values" records), for
/// a finding to say so.
pub fn why_not_same_host(a: &str, b: &str) -> Option<&'static str> {
    let (x, y) = (IpAddress::of_endpoint(a)?, IpAddress::of_endpoint(b)?);
    let mapped = |p: &IpAddress, q: &IpAddress| match (p.addr, q.addr) {
        (std::net::IpAddr::V6(v6), std::net::IpAddr::V4(v4)) => v6.to_ipv4_mapped() == Some(v4),
        _ => false,
    };
    if mapped(&x, &y) || mapped(&y, &x) {
        Some("an IPv4-mapped IPv6 address is not the IPv4 address it maps: RFC 4291 2.5.5.2")
    } else if x.addr == y.addr && x.zone != y.zone {
        Some("an IPv6 zone ID is part of the address: RFC 4007 11")
    } else {
        None
    }
}
