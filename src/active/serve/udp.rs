//! The reference BSM's UDP side: it pushes LTKMs to the terminal's port (2269, or
//! `serve --push-port`) at the address its registration came from (TS 33.246 6.3.1), each with
//! the V flag set, and waits for the verification message (OMA BCAST 5.1.6.10.4, RFC 3830
//! 3.1): a thread reads the socket, pairs each verification message with the push whose CSB
//! ID and T it carries, and logs a push that got none within the wait. Everything it sends
//! and receives goes to the recording, if any.

use std::net::{SocketAddr, UdpSocket};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One push awaiting its verification message.
struct Pending {
    csb_id: u32,
    timestamp: Option<Timestamp>,
    to: SocketAddr,
    deadline: Instant,
}

/// Writes one UDP event to the recording (from, to, role, the datagram).
pub type Record = Arc<dyn Fn(SocketAddr, SocketAddr, Option<&str>, &[u8]) + Send + Sync>;

/// The socket the BSM pushes from and hears verification messages on.
pub struct Pusher {
    socket: UdpSocket,
    /// The terminal's LTKM port.
    port: u16,
    wait: Duration,
    pending: Arc<Mutex<Vec<Pending>>>,
    record: Option<Record>,
}

/// A MIKEY message's T payload: TS type and value.
type Timestamp = (u8, u64);

/// The CSB ID, T and data type of a MIKEY message, when it decodes.
fn ids(bytes: &[u8]) -> Option<(u32, Option<Timestamp>, u8)> {
    let d = crate::mikey::decode(bytes);
    let m = d.message.as_ref()?;
    let t = m.payloads.iter().find_map(|p| match &p.body {
        crate::mikey::PayloadBody::T(t) => Some((t.ts_type.value.0, t.ts_value.value)),
        _ => None,
    });
    Some((m.header.csb_id.value, t, m.header.data_type.value.0))
}

impl Pusher {
    /// Binds `addr` and starts the thread that reads verification messages.
    pub fn start(
        addr: &str,
        port: u16,
        wait: Duration,
        record: Option<Record>,
    ) -> Result<Pusher, String> {
        let socket = UdpSocket::bind(addr).map_err(|e| format!("cannot bind UDP {addr}: {e}"))?;
        let reader = socket.try_clone().map_err(|e| e.to_string())?;
        reader
            .set_read_timeout(Some(Duration::from_millis(100)))
            .map_err(|e| e.to_string())?;
        let pending: Arc<Mutex<Vec<Pending>>> = Arc::default();
        let (p, r) = (pending.clone(), record.clone());
        std::thread::spawn(move || listen(&reader, &p, r.as_ref()));
        Ok(Pusher {
            socket,
            port,
            wait,
            pending,
            record,
        })
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.socket.local_addr().ok()
    }

    /// Pushes `ltkm` to `host` (the registration's source) at the terminal's port.
    pub fn push(&self, host: std::net::IpAddr, ltkm: &[u8]) {
        let to = SocketAddr::new(host, self.port);
        // Recorded and awaited before it is sent: the verification may come back at once.
        if let (Some(r), Some(from)) = (&self.record, self.local_addr()) {
            r(from, to, Some("ltkm"), ltkm);
        }
        if let Some((csb_id, timestamp, _)) = ids(ltkm) {
            if let Ok(mut p) = self.pending.lock() {
                p.push(Pending {
                    csb_id,
                    timestamp,
                    to,
                    deadline: Instant::now() + self.wait,
                });
            }
        }
        match self.socket.send_to(ltkm, to) {
            Ok(_) => eprintln!("serve: UDP LTKM push to {to}"),
            Err(e) => eprintln!("serve: cannot push to {to}: {e}"),
        }
    }
}

/// Reads datagrams until the process ends: a verification message (data type 1 or 3) settles
/// the push it answers; a push whose wait ran out is logged as unverified.
fn listen(socket: &UdpSocket, pending: &Mutex<Vec<Pending>>, record: Option<&Record>) {
    let mut buf = vec![0u8; 65536];
    loop {
        if let Ok((n, from)) = socket.recv_from(&mut buf) {
            let datagram = &buf[..n];
            let to = socket.local_addr();
            let found = ids(datagram);
            let verification = found.is_some_and(|(_, _, dt)| dt == 1 || dt == 3);
            if let (Some(r), Ok(to)) = (record, to) {
                r(from, to, verification.then_some("verification"), datagram);
            }
            let answered = pending.lock().ok().and_then(|mut p| {
                let (csb, t, _) = found.filter(|_| verification)?;
                let i = p.iter().position(|q| q.csb_id == csb && q.timestamp == t)?;
                Some(p.remove(i))
            });
            match answered {
                Some(q) => eprintln!(
                    "serve: verification message from {from} for the push to {}",
                    q.to
                ),
                None => {
                    eprintln!("serve: a UDP datagram from {from} that answers no push ({n} octets)")
                }
            }
        }
        if let Ok(mut p) = pending.lock() {
            let now = Instant::now();
            p.retain(|q| {
                let late = q.deadline <= now;
                if late {
                    eprintln!(
                        "serve: no verification message for the push to {} in time",
                        q.to
                    );
                }
                !late
            });
        }
    }
}
