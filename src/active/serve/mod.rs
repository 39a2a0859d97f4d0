//! `mikeyconf serve`: a reference BSM over HTTP (tiny_http), for probing the probe and for
//! terminal vendors. The answers come from [`bsm::Bsm`]; this file owns the socket: it binds,
//! prints `listening on http://ADDR` on stdout (port 0 picks a free one, which tests read),
//! reads each request with a bounded body and logs one line per exchange on stderr. With
//! `--record DIR` it writes each exchange as raw HTTP/1.1 (`DIR/0001-register.http`, ...) and
//! the session as `DIR/session.trace.yaml`, for judging a terminal with `check`.

pub mod bsm;
pub mod config;
pub mod faults;
pub mod ltkm;
pub mod udp;

use faults::Fault;
use std::io::Read;
use std::path::PathBuf;

/// The largest request body read: a registration of many services fits many times over.
const MAX_BODY: u64 = 256 * 1024;

/// `mikeyconf serve`'s options.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// The BSM's configuration: services, MSKs, terminals, supported delivery mechanisms
    /// (examples/serve/bsm.yaml).
    #[arg(long, value_name = "FILE", required_unless_present = "list_faults")]
    pub config: Option<PathBuf>,
    /// The keyring holding the MUKs and MSKs the configuration names (docs/keyring.md).
    #[arg(long, value_name = "FILE", required_unless_present = "list_faults")]
    pub keys: Option<PathBuf>,
    /// Address to listen on; port 0 picks a free port (printed on stdout).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub listen: String,
    /// Break one requirement on purpose (see --list-faults).
    #[arg(long, value_name = "NAME")]
    pub fault: Option<String>,
    /// List the faults, each with the requirement and the rules it breaks, and exit.
    #[arg(long)]
    pub list_faults: bool,
    /// Write each exchange as DIR/NNNN-REQUESTTYPE.http and the session as
    /// DIR/session.trace.yaml (a terminal's requests, for `check --profile` of a terminal).
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,
    /// The terminal's UDP port LTKM pushes go to (at the address its registration came from).
    #[arg(long, value_name = "PORT", default_value_t = 2269)]
    pub push_port: u16,
    /// Seconds to wait for the verification message of a push before logging it as missing.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub verify_wait: f64,
}

/// The `--list-faults` text: one line per fault.
pub fn list_faults() -> String {
    let mut out = String::new();
    for f in Fault::ALL {
        out.push_str(&format!(
            "{:<26} {:<28} {}\n",
            f.name(),
            f.rules().join(","),
            f.breaks()
        ));
    }
    out
}

/// Runs the server until the process is killed; errors before listening are returned.
pub fn run(args: &ServeArgs) -> Result<(), String> {
    let (Some(config), Some(keys)) = (&args.config, &args.keys) else {
        return Err("serve needs --config FILE and --keys FILE".to_string());
    };
    let fault = args.fault.as_deref().map(Fault::named).transpose()?;
    let shown = config.display().to_string();
    let text = crate::bounded::read_text(config, &shown, crate::bounded::CONFIG_FILE)?;
    let ring = crate::keyring::load(keys).map_err(|e| e.to_string())?;
    let resolved = config::resolve(&text, &shown, &ring)?;
    let server = tiny_http::Server::http(&args.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or("not listening on an IP address")?;
    let bsm_id = resolved.config.bsm_id.clone();
    let mut bsm = bsm::Bsm::new(resolved, &addr.ip().to_string(), fault);
    let recorder = args
        .record
        .as_deref()
        .map(|dir| Recorder::start(dir, &addr.to_string(), &bsm_id))
        .transpose()?
        .map(|r| std::sync::Arc::new(std::sync::Mutex::new(r)));
    if !(args.verify_wait > 0.0 && args.verify_wait <= 3600.0) {
        return Err(format!(
            "--verify-wait {}: give seconds in (0, 3600]",
            args.verify_wait
        ));
    }
    let record_udp: Option<udp::Record> = recorder.clone().map(|r| {
        let f: udp::Record = std::sync::Arc::new(move |from, to, role, datagram: &[u8]| {
            if let Ok(mut r) = r.lock() {
                if let Err(e) = r.udp(from, to, role, datagram) {
                    eprintln!("serve: cannot record: {e}");
                }
            }
        });
        f
    });
    let pusher = udp::Pusher::start(
        &format!("{}:0", addr.ip()),
        args.push_port,
        std::time::Duration::from_secs_f64(args.verify_wait),
        record_udp,
    )?;
    if let Some(a) = pusher.local_addr() {
        eprintln!(
            "serve: pushing LTKMs over UDP from {a} to port {}",
            args.push_port
        );
    }
    {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
    }
    for mut request in server.incoming_requests() {
        let mut body = Vec::new();
        let read = request
            .as_reader()
            .take(MAX_BODY + 1)
            .read_to_end(&mut body);
        let mut reply = if read.is_err() || body.len() as u64 > MAX_BODY {
            // 400, not 413: Table G.2.4-1 marks 413 "not used by BM-SC".
            bsm::Reply::empty(400)
        } else {
            let authorization = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Authorization"))
                .map(|h| h.value.as_str().to_string());
            let content_type = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Content-Type"))
                .map(|h| h.value.as_str().to_string());
            let method = request.method().as_str().to_string();
            let target = request.url().to_string();
            bsm.answer(&bsm::Request {
                method: &method,
                target: &target,
                authorization: authorization.as_deref(),
                content_type: content_type.as_deref(),
                body: &body,
            })
        };
        eprintln!(
            "serve: {} {} -> {}",
            request.method(),
            request.url().escape_debug(),
            reply.status
        );
        if let Some(r) = &recorder {
            if let Err(e) = r.lock().map_err(|e| e.to_string()).and_then(|mut r| {
                r.exchange(&request, &body, &reply)
                    .map_err(|e| e.to_string())
            }) {
                eprintln!("serve: cannot record: {e}");
            }
        }
        let pushes = std::mem::take(&mut reply.pushes);
        let source = request.remote_addr().map(|a| a.ip());
        let mut response =
            tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
        for (name, value) in &reply.headers {
            if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(h);
            }
        }
        let _ = request.respond(response);
        // After the answer, so the pushes follow the registration that agreed UDP.
        if let Some(host) = source {
            for ltkm in &pushes {
                pusher.push(host, ltkm);
            }
        }
    }
    Ok(())
}

/// `--record DIR`: the exchanges as raw HTTP/1.1 files and the session trace naming them.
struct Recorder {
    dir: PathBuf,
    /// The server's address, the `to` of each event.
    addr: String,
    count: usize,
}

impl Recorder {
    /// Starts the trace; its `resolve` section maps the BSM's NAF FQDN (the LTKMs' IDi) to
    /// the address it listens on, where verification messages go (BCAST-DLV-12).
    fn start(dir: &std::path::Path, addr: &str, bsm_id: &str) -> Result<Recorder, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let trace = dir.join(TRACE_FILE);
        let ip = crate::value::ip::addr(addr);
        let head = format!(
            "# The session mikeyconf serve saw, written by --record: each exchange and datagram\n\
             # in the order it happened (docs/trace-format.md).\ntrace: 1\nresolve:\n  \"{}\": \"{ip}\"\nevents:\n",
            bsm_id.escape_default()
        );
        std::fs::write(&trace, head).map_err(|e| format!("{}: {e}", trace.display()))?;
        Ok(Recorder {
            dir: dir.to_path_buf(),
            addr: addr.to_string(),
            count: 0,
        })
    }

    /// Writes one exchange (the headers the server set, its body, a Content-Length; not the
    /// Date and Server headers tiny_http adds) and appends its event to the trace.
    fn exchange(
        &mut self,
        request: &tiny_http::Request,
        body: &[u8],
        reply: &bsm::Reply,
    ) -> std::io::Result<()> {
        use std::io::Write as _;
        self.count += 1;
        let target = request.url();
        let kind: String = target
            .split("requesttype=")
            .nth(1)
            .unwrap_or("request")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(32)
            .collect();
        let file = format!("{:04}-{kind}.http", self.count);
        let mut raw = format!("{} {target} HTTP/1.1\r\n", request.method()).into_bytes();
        for h in request.headers() {
            let name = h.field.as_str().as_str();
            if !name.eq_ignore_ascii_case("content-length")
                && !name.eq_ignore_ascii_case("transfer-encoding")
            {
                raw.extend_from_slice(format!("{name}: {}\r\n", h.value.as_str()).as_bytes());
            }
        }
        raw.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        raw.extend_from_slice(body);
        let reason = tiny_http::StatusCode(reply.status).default_reason_phrase();
        raw.extend_from_slice(format!("HTTP/1.1 {} {reason}\r\n", reply.status).as_bytes());
        for (name, value) in &reply.headers {
            raw.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        let length = format!("Content-Length: {}\r\n\r\n", reply.body.len());
        raw.extend_from_slice(length.as_bytes());
        raw.extend_from_slice(&reply.body);
        std::fs::write(self.dir.join(&file), raw)?;
        let from = request
            .remote_addr()
            .map(|a| format!("    from: \"{a}\"\n"))
            .unwrap_or_default();
        let event = format!(
            "  - to: \"{}\"\n{from}    http: {{file: \"{file}\"}}\n",
            self.addr
        );
        std::fs::OpenOptions::new()
            .append(true)
            .open(self.dir.join(TRACE_FILE))?
            .write_all(event.as_bytes())
    }
}

impl Recorder {
    /// Appends a UDP event: the datagram inline as hex, with its role when known.
    fn udp(
        &mut self,
        from: std::net::SocketAddr,
        to: std::net::SocketAddr,
        role: Option<&str>,
        datagram: &[u8],
    ) -> std::io::Result<()> {
        use std::io::Write as _;
        let role = role.map(|r| format!("    role: {r}\n")).unwrap_or_default();
        let event = format!(
            "  - from: \"{from}\"\n    to: \"{to}\"\n{role}    udp: {{hex: \"{}\"}}\n",
            hex::encode(datagram)
        );
        std::fs::OpenOptions::new()
            .append(true)
            .open(self.dir.join(TRACE_FILE))?
            .write_all(event.as_bytes())
    }
}

/// The session trace `--record` writes.
pub const TRACE_FILE: &str = "session.trace.yaml";
