//! The probe's UDP side: it listens where a terminal receives LTKM and MSK pushes (port 2269,
//! or `probe --udp-port`), and answers a push whose HDR sets the V flag with the RFC 3830
//! verification message (OMA BCAST 5.1.6.10.4): HDR (data type 1, the push's CSB ID), the
//! push's T, and V, the HMAC-SHA-1 under the auth key derived from the MUK (the keyring's
//! pre-shared key whose MAC verifies the push, RFC 3830 4.1.4) over the verification message
//! without its MAC, the push's ID payloads and its T payload (RFC 3830 5.2). Every datagram
//! each way becomes a session-trace event, judged with the session rules as `check` judges
//! them; the probe has no expectation of its own about them.

use crate::crypto::kemac;
use crate::crypto::mac;
use crate::crypto::prf::{derive_psk_keys, KeyLengths};
use crate::crypto::psk::{first_verifying_key, PskOptions};
use crate::mikey::spec::{Hex, PayloadSpec, VSpec};
use crate::mikey::{EncrAlg, MacAlg, MessageSpec, PayloadBody, PrfFunc};
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

/// One datagram as the trace records it.
pub struct Datagram {
    pub from: String,
    pub to: String,
    pub role: &'static str,
    pub bytes: Vec<u8>,
}

/// The probe's UDP listener.
pub struct Listener {
    socket: UdpSocket,
    /// The address the probe is reached at (its route's source address and the port).
    local: SocketAddr,
    /// The keyring's pre-shared keys, the candidate MUKs.
    keys: Vec<Vec<u8>>,
    /// The octets of datagrams it may keep over the run, and those it kept: a BSM that sends
    /// more is not recorded further ([`Listener::overflowed`]), so memory and the session
    /// trace stay within the limits whatever the BSM sends.
    budget: usize,
    kept: std::cell::Cell<usize>,
    overflowed: std::cell::Cell<bool>,
}

impl Listener {
    /// Listens on `port` (0: a free one) of every address; `local_ip` is the address the BSM
    /// sees the probe at.
    pub fn bind(
        port: u16,
        local_ip: IpAddr,
        keys: Vec<Vec<u8>>,
        budget: usize,
    ) -> Result<Listener, String> {
        let any = if local_ip.is_ipv6() {
            "[::]"
        } else {
            "0.0.0.0"
        };
        let socket = UdpSocket::bind(format!("{any}:{port}"))
            .map_err(|e| format!("cannot listen on UDP port {port}: {e}"))?;
        let port = socket.local_addr().map_err(|e| e.to_string())?.port();
        Ok(Listener {
            socket,
            local: SocketAddr::new(local_ip, port),
            keys,
            budget,
            kept: std::cell::Cell::new(0),
            overflowed: std::cell::Cell::new(false),
        })
    }

    /// The octet budget, when the BSM sent more than it: the datagrams past it were
    /// received and dropped, unrecorded and unanswered.
    pub fn overflowed(&self) -> Option<usize> {
        self.overflowed.get().then_some(self.budget)
    }

    /// The datagrams received until `quiet` passes without one, each push followed by the
    /// verification message sent for it.
    pub fn collect(&self, quiet: Duration) -> Vec<Datagram> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; 65536];
        let mut until = Instant::now() + quiet;
        // Bounded: a BSM that floods the port is read for at most 200 datagrams a call.
        for _ in 0..200 {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() || self.socket.set_read_timeout(Some(left)).is_err() {
                break;
            }
            let Ok((n, from)) = self.socket.recv_from(&mut buf) else {
                break;
            };
            until = Instant::now() + quiet;
            let kept = self.kept.get().saturating_add(n);
            if kept > self.budget {
                self.overflowed.set(true);
                continue;
            }
            self.kept.set(kept);
            let push = buf[..n].to_vec();
            let answer = self.verification(&push);
            out.push(Datagram {
                from: from.to_string(),
                to: self.local.to_string(),
                role: "ltkm",
                bytes: push,
            });
            if let Some(v) = answer {
                if self.socket.send_to(&v, from).is_ok() {
                    out.push(Datagram {
                        from: self.local.to_string(),
                        to: from.to_string(),
                        role: "verification",
                        bytes: v,
                    });
                }
            }
        }
        out
    }

    /// The verification message answering `push`, when it asks for one (V flag) and a key
    /// of the keyring verifies it.
    fn verification(&self, push: &[u8]) -> Option<Vec<u8>> {
        let d = crate::mikey::decode(push);
        let m = d.message.as_ref()?;
        if !m.header.v.value {
            return None;
        }
        let candidates: Vec<&[u8]> = self.keys.iter().map(Vec::as_slice).collect();
        let (i, _) = first_verifying_key(push, m, &candidates, &PskOptions::default()).ok()??;
        let mut rand = None;
        let (mut ids, mut t_raw, mut kemac_algs) = (Vec::new(), None, None);
        for p in &m.payloads {
            match &p.body {
                PayloadBody::Rand(r) => rand = Some(r.rand.value),
                PayloadBody::Id(id) => ids.extend_from_slice(id.id.value),
                PayloadBody::T(_) => t_raw = push.get(p.offset..p.offset + p.len),
                PayloadBody::Kemac(k) => kemac_algs = Some((k.encr_alg.value, k.mac_alg.value)),
                _ => {}
            }
        }
        let (encr, mac_alg): (EncrAlg, MacAlg) = kemac_algs?;
        let lengths = KeyLengths {
            auth: mac::auth_key_len(mac_alg)?,
            ..kemac::key_lengths(encr)?
        };
        let prf = PrfFunc(m.header.prf.value.0);
        let keys =
            derive_psk_keys(prf, candidates[i], m.header.csb_id.value, rand?, lengths).ok()?;
        let mut spec = MessageSpec::from(m);
        spec.header.data_type = 1;
        spec.header.v = false;
        spec.header.next_payload = None;
        let t = spec
            .payloads
            .iter()
            .find(|p| matches!(p, PayloadSpec::T(_)))?
            .clone();
        let PayloadSpec::T(mut t) = t else {
            return None;
        };
        t.next_payload = None;
        let mac_len = mac::compute(mac_alg, keys.auth.expose(), b"")?.len();
        spec.payloads = vec![
            PayloadSpec::T(t),
            PayloadSpec::V(VSpec {
                next_payload: None,
                auth_alg: mac_alg.0,
                ver_data: Hex(vec![0; mac_len]),
            }),
        ];
        let mut bytes = spec.to_bytes().ok()?;
        let body = bytes.len().checked_sub(mac_len)?;
        let mut covered = bytes[..body].to_vec();
        covered.extend_from_slice(&ids);
        covered.extend_from_slice(t_raw?);
        let v = mac::compute(mac_alg, keys.auth.expose(), &covered)?;
        bytes[body..].copy_from_slice(&v);
        Some(bytes)
    }
}

/// The address this host sends from towards `host:port` (the BSM sees requests from it):
/// a connected UDP socket's local address, no datagram sent.
pub fn source_towards(host: &str) -> Option<IpAddr> {
    let probe = UdpSocket::bind(if host.starts_with('[') {
        "[::]:0"
    } else {
        "0.0.0.0:0"
    })
    .ok()?;
    probe.connect(host).ok()?;
    Some(probe.local_addr().ok()?.ip())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::active::serve::ltkm::{build, Parts};

    fn ltkm(verify: bool) -> Vec<u8> {
        let parts = Parts {
            csb_id: 0x1000,
            counter: 7,
            bsm_id: "bsm.example.org",
            btid: "btid@bsf.example.org",
            key_domain_id: &[1, 2, 3],
            msk_id: &[0, 0, 0, 9],
            msk: &[0x11; 16],
            empty_kemac: false,
            verify,
            invalidate: false,
        };
        build(&parts, &[7; 16]).unwrap()
    }

    fn listener(key: u8) -> Listener {
        let local = IpAddr::from([127, 0, 0, 1]);
        Listener::bind(0, local, vec![vec![key; 16]], 1 << 20).unwrap()
    }

    /// RFC 3830 3.1, 5.2: HDR data type 1 with the push's CSB ID, the push's T, and a V whose
    /// MAC is the HMAC under the MUK's auth key over the message, IDi, IDr and T.
    #[test]
    fn a_v_flag_push_gets_a_verification_message_macd_with_the_muk() {
        let push = ltkm(true);
        let v = listener(7).verification(&push).unwrap();
        let d = crate::mikey::decode(&v);
        assert!(d.is_clean());
        let m = d.message.as_ref().unwrap();
        assert_eq!(m.header.data_type.value.0, 1);
        assert_eq!(m.header.csb_id.value, 0x1000);
        assert!(!m.header.v.value);
        let t = m.payloads.iter().find_map(|p| match &p.body {
            PayloadBody::T(t) => Some((t.ts_type.value.0, t.ts_value.value)),
            _ => None,
        });
        assert_eq!(t, Some((2, 7)));
        // The MAC, recomputed independently of the builder's order of work.
        let pd = crate::mikey::decode(&push);
        let pm = pd.message.as_ref().unwrap();
        let (mut rand, mut ids, mut t_raw) = (Vec::new(), Vec::new(), Vec::new());
        for p in &pm.payloads {
            match &p.body {
                PayloadBody::Rand(r) => rand = r.rand.value.to_vec(),
                PayloadBody::Id(id) => ids.extend_from_slice(id.id.value),
                PayloadBody::T(_) => t_raw = push[p.offset..p.offset + p.len].to_vec(),
                _ => {}
            }
        }
        let lengths = KeyLengths {
            encr: 16,
            auth: 20,
            salt: 14,
        };
        let keys = derive_psk_keys(PrfFunc(0), &[7; 16], 0x1000, &rand, lengths).unwrap();
        let mut covered = v[..v.len() - 20].to_vec();
        covered.extend_from_slice(&ids);
        covered.extend_from_slice(&t_raw);
        let mac = mac::compute(MacAlg::HMAC_SHA_1_160, keys.auth.expose(), &covered).unwrap();
        assert_eq!(&v[v.len() - 20..], &mac[..]);
    }

    /// No V flag, or no key of the keyring verifying the push: no verification message.
    #[test]
    fn no_verification_without_the_v_flag_or_the_muk() {
        assert!(listener(7).verification(&ltkm(false)).is_none());
        assert!(listener(8).verification(&ltkm(true)).is_none());
    }
}
