//! `mikeyconf serve`: a reference BSM over HTTP (tiny_http), for probing the probe and for
//! terminal vendors. The answers come from [`bsm::Bsm`]; this file owns the socket: it binds,
//! prints `listening on http://ADDR` on stdout (port 0 picks a free one, which tests read),
//! reads each request with a bounded body and logs one line per exchange on stderr.

pub mod bsm;
pub mod config;
pub mod faults;
pub mod ltkm;

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
    let mut bsm = bsm::Bsm::new(resolved, &addr.ip().to_string(), fault);
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
        let reply = if read.is_err() || body.len() as u64 > MAX_BODY {
            // 400, not 413: Table G.2.4-1 marks 413 "not used by BM-SC".
            bsm::Reply {
                status: 400,
                headers: Vec::new(),
                body: Vec::new(),
            }
        } else {
            let authorization = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Authorization"))
                .map(|h| h.value.as_str().to_string());
            let method = request.method().as_str().to_string();
            let target = request.url().to_string();
            bsm.answer(&bsm::Request {
                method: &method,
                target: &target,
                authorization: authorization.as_deref(),
                body: &body,
            })
        };
        eprintln!(
            "serve: {} {} -> {}",
            request.method(),
            request.url().escape_debug(),
            reply.status
        );
        let mut response =
            tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
        for (name, value) in &reply.headers {
            if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(h);
            }
        }
        let _ = request.respond(response);
    }
    Ok(())
}
