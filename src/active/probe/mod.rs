//! `mikeyconf probe URL`: plays the terminal against a live BSM. Each numbered case
//! ([`cases`]) sends its request (answering the Digest challenge first), and the recorded
//! exchange, as raw HTTP/1.1 bytes, is judged by the library's facade as an `http-exchange`:
//! the engine and rules `check` uses for `.http` files, so the probe has no expectations of
//! its own. `--record DIR` writes each case's bytes as `DIR/<id>-<name>.http`, which `check`
//! judges the same way offline, and the whole run as `DIR/session.trace.yaml`, a session
//! trace naming each exchange and each UDP datagram ([`udp`]: the pushes received and the
//! verification messages sent) in order, judged by the session rules as `check` judges it.
//! Without `--record` the same trace is written to a temporary folder, judged, and removed.

pub mod cases;
pub mod client;
pub mod udp;

use crate::finding::CheckResult;
use crate::{Engine, Kind};
use cases::{Case, Malformation, Stimulus};
use client::Client;
use std::path::PathBuf;
use std::time::Duration;

/// `mikeyconf probe`'s own options (the rules, profile, keyring and selection are the
/// common ones; a `--select`/`--ignore` pattern `P…` names cases).
#[derive(Debug, Clone, clap::Args)]
pub struct ProbeArgs {
    /// The BSM's key-management URL, e.g. http://127.0.0.1:8080/keymanagement or https://….
    #[arg(value_name = "URL", required_unless_present = "list")]
    pub url: Option<String>,
    /// The Digest username, the B-TID (default: the first `digest_credentials` setting).
    #[arg(long, value_name = "B-TID")]
    pub user: Option<String>,
    /// The Digest password, the base64 MRK (default: the first `digest_credentials` setting).
    #[arg(long, value_name = "MRK")]
    pub password: Option<String>,
    /// A service the BSM knows (its serviceID): the registration cases need it.
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// A serviceID the BSM does not know.
    #[arg(
        long,
        value_name = "ID",
        default_value = "urn:mikeyconf:probe:no-such-service"
    )]
    pub unknown_service: String,
    /// An MSK the BSM holds, `KEYDOMAINID:MSKID` in base64 as the MSK request carries them.
    #[arg(long, value_name = "KD:ID")]
    pub msk: Option<String>,
    /// PEM certificates to trust for an https:// BSM instead of Mozilla's roots (e.g. a test
    /// BSM's own CA).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Check no certificate of an https:// BSM (as curl's --insecure): for a test BSM only.
    #[arg(long)]
    pub insecure: bool,
    /// Seconds each request may take, connection included.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,
    /// Write each case's exchanges as DIR/ID-NAME.http, e.g. P01-register-udp-only.http (DIR created when missing).
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,
    /// List the test cases and exit.
    #[arg(long)]
    pub list: bool,
    /// The UDP port LTKM and MSK pushes are received on (0: a free one, to be given to the
    /// BSM, e.g. `serve --push-port`).
    #[arg(long, value_name = "PORT", default_value_t = 2269)]
    pub udp_port: u16,
    /// Seconds without a datagram after which a registration's or MSK request's pushes are
    /// taken as all received.
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0)]
    pub udp_wait: f64,
}

/// One event of the recorded session.
enum TraceEvent {
    /// An exchange of a recorded file: (file, entry).
    Http(String, usize),
    Udp(udp::Datagram),
}

/// The session trace a recording writes beside the exchanges.
pub const TRACE_FILE: &str = "session.trace.yaml";

/// What became of one case.
pub enum CaseOutcome {
    /// Run and judged.
    Judged(CheckResult),
    /// Not run, with the reason.
    NotApplicable(String),
}

/// The `--list` text: one line per case.
pub fn list() -> String {
    let all = cases::all();
    let width = all.iter().map(|c| c.name.len()).max().unwrap_or(0);
    all.iter()
        .map(|c| {
            format!(
                "{}  {:<width$}  {}  [{}]\n",
                c.id,
                c.name,
                c.clause,
                c.requirements.join(", ")
            )
        })
        .collect()
}

/// The cases `select` and `ignore` (case patterns only) leave in.
pub fn selected(select: &[String], ignore: &[String]) -> Vec<Case> {
    cases::all()
        .into_iter()
        .filter(|c| select.is_empty() || select.iter().any(|p| cases::names(p, c.id)))
        .filter(|c| !ignore.iter().any(|p| cases::names(p, c.id)))
        .collect()
}

/// Runs `cases` against the BSM, judging each with `engine`.
pub fn run(args: &ProbeArgs, engine: &Engine, cases: &[Case]) -> Result<Run, String> {
    let url = args.url.as_deref().ok_or("probe needs the BSM's URL")?;
    let credentials = engine.internal().settings.digest_credentials.first();
    let user = args
        .user
        .clone()
        .or(credentials.map(|c| c.username.clone()))
        .ok_or("probe needs --user B-TID (or a digest_credentials setting)")?;
    let password = args
        .password
        .clone()
        .or(credentials.map(|c| c.password.clone()))
        .ok_or("probe needs --password MRK (or a digest_credentials setting)")?;
    if !(args.timeout > 0.0 && args.timeout <= 3600.0) {
        return Err(format!(
            "--timeout {}: give seconds in (0, 3600]",
            args.timeout
        ));
    }
    if !(args.udp_wait > 0.0 && args.udp_wait <= 60.0) {
        return Err(format!(
            "--udp-wait {}: give seconds in (0, 60]",
            args.udp_wait
        ));
    }
    let tls = client::TlsOptions {
        ca_file: args.ca_file.clone(),
        insecure: args.insecure,
    };
    let client = Client::new(
        url,
        &user,
        &password,
        Duration::from_secs_f64(args.timeout),
        &tls,
    )?;
    let local_ip = udp::source_towards(client.host())
        .ok_or_else(|| format!("{url}: no route to the BSM's host"))?;
    let keys: Vec<Vec<u8>> = engine
        .internal()
        .settings
        .keys
        .iter()
        .flat_map(|k| k.psk.iter().map(|p| p.key.expose().to_vec()))
        .collect();
    // The session trace writes each datagram in hex, twice its size: half the input limit
    // keeps it readable by `check`.
    let budget = engine.internal().settings.limits.max_bytes / 2;
    let listener = udp::Listener::bind(args.udp_port, local_ip, keys, budget)?;
    // The session is judged with or without --record: unrecorded, its files live in a
    // folder of their own under the temporary directory, removed after.
    let (dir, temporary) = match &args.record {
        Some(dir) => (dir.clone(), false),
        None => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let name = format!("mikeyconf-probe-{}-{nanos}", std::process::id());
            (std::env::temp_dir().join(name), true)
        }
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let result = run_cases(args, engine, cases, &client, &listener, &dir, local_ip);
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

/// The cases, recorded into `dir`, and the session trace over them.
fn run_cases(
    args: &ProbeArgs,
    engine: &Engine,
    cases: &[Case],
    client: &Client,
    listener: &udp::Listener,
    dir: &std::path::Path,
    local_ip: std::net::IpAddr,
) -> Result<Run, String> {
    let udp_wait = Duration::from_secs_f64(args.udp_wait);
    let kind = Kind::named("http-exchange");
    let mut out = Vec::new();
    // The recorded exchanges in order, (file, entry): the session trace's events.
    let mut events: Vec<TraceEvent> = Vec::new();
    for case in cases {
        // Anything late from the case before belongs before this case's exchange.
        events.extend(
            listener
                .collect(Duration::ZERO)
                .into_iter()
                .map(TraceEvent::Udp),
        );
        let file = format!("{}-{}.http", case.id, case.name);
        let name = match &args.record {
            Some(dir) => dir.join(&file).display().to_string(),
            None => file,
        };
        let outcome = match request_of(case, args) {
            Err(why) => CaseOutcome::NotApplicable(why),
            Ok((requesttype, media, body)) => {
                match exchange(client, case, requesttype, media, &body) {
                    Err(e) => CaseOutcome::Judged(CheckResult::error(&name, "http-exchange", e)),
                    Ok(done) => {
                        let file = format!("{}-{}.http", case.id, case.name);
                        let path = dir.join(&file);
                        std::fs::write(&path, &done.raw)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                        let entries = 0..done.exchanges;
                        events.extend(entries.map(|i| TraceEvent::Http(file.clone(), i)));
                        if case.stimulus.may_be_pushed() {
                            let got = listener.collect(udp_wait);
                            events.extend(got.into_iter().map(TraceEvent::Udp));
                        }
                        let result = match done.not_reached {
                            Some(why) => CheckResult::error(&name, "http-exchange", why),
                            None => engine
                                .check_bytes(&name, &done.raw, Some(&kind))
                                .into_check_result(),
                        };
                        CaseOutcome::Judged(result)
                    }
                }
            }
        };
        out.push((case.clone(), outcome));
    }
    if let Some(budget) = listener.overflowed() {
        // Not judged on what was kept: a session cut short is no session to pass.
        let why = format!(
            "the BSM sent more than {budget} octets of UDP datagrams (half the setting \
             limits.max_bytes, as the trace writes them in hex); those past it were dropped \
             unrecorded, so the session is not judged and no {TRACE_FILE} is written"
        );
        return Ok(Run {
            cases: out,
            session: Some(CheckResult::error(TRACE_FILE, "session-trace", why)),
        });
    }
    let session = match events.is_empty() {
        false => Some(write_trace(
            dir,
            client.host(),
            &local_ip.to_string(),
            &events,
        )?),
        true => None,
    };
    let session = session.map(|path| {
        let kind = Kind::named("session-trace");
        let mut result = engine.check_path_as(&path, &kind).into_check_result();
        if args.record.is_none() {
            // Its folder is gone after the run: named as it would be recorded.
            result.input = TRACE_FILE.to_string();
        }
        result
    });
    Ok(Run {
        cases: out,
        session,
    })
}

/// A probe run: each case's outcome and the session trace's result (none when no case ran).
pub struct Run {
    pub cases: Vec<(Case, CaseOutcome)>,
    pub session: Option<CheckResult>,
}

/// Writes `dir/session.trace.yaml`: one `http` event per recorded exchange, sent from `from`
/// (the probe's address, no port: the HTTP client does not tell it) to the BSM at `to`, and
/// one `udp` event per datagram, in order. Returns its path.
fn write_trace(
    dir: &std::path::Path,
    to: &str,
    from: &str,
    events: &[TraceEvent],
) -> Result<PathBuf, String> {
    let mut text = String::from(
        "# The session mikeyconf probe ran, written by --record: each exchange in the order it\n\
         # happened (docs/trace-format.md). Check it with `mikeyconf check` and the run's profile.\n\
         trace: 1\nevents:\n",
    );
    for event in events {
        match event {
            TraceEvent::Http(file, entry) => text.push_str(&format!(
                "  - from: \"{from}\"\n    to: \"{to}\"\n    http: {{file: \"{file}\", entry: {entry}}}\n"
            )),
            TraceEvent::Udp(d) => text.push_str(&format!(
                "  - from: \"{}\"\n    to: \"{}\"\n    role: {}\n    udp: {{hex: \"{}\"}}\n",
                d.from,
                d.to,
                d.role,
                hex::encode(&d.bytes)
            )),
        }
    }
    let path = dir.join(TRACE_FILE);
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// The request type, media type and body of a case, or why it cannot run.
fn request_of(
    case: &Case,
    args: &ProbeArgs,
) -> Result<(&'static str, &'static str, String), String> {
    let service = || {
        args.service
            .as_deref()
            .ok_or_else(|| "needs a service the BSM knows (--service ID)".to_string())
    };
    Ok(match &case.stimulus {
        Stimulus::Register(listed) => (
            "register",
            REGISTER,
            register(service()?, listed.as_deref()),
        ),
        Stimulus::AuthNone | Stimulus::AuthWrong => {
            ("register", REGISTER, register(service()?, Some(&[0])))
        }
        Stimulus::RegisterUnknown => (
            "register",
            REGISTER,
            register(&args.unknown_service, Some(&[0])),
        ),
        Stimulus::Deregister => ("deregister", DEREGISTER, deregister(service()?)),
        Stimulus::MskKnown => {
            let msk = args.msk.as_deref().ok_or(
                "needs an MSK the BSM holds (--msk KEYDOMAINID:MSKID, base64)".to_string(),
            )?;
            let (kd, id) = msk
                .split_once(':')
                .ok_or(format!("--msk {msk}: expected KEYDOMAINID:MSKID (base64)"))?;
            ("msk-request", MSK, msk_request(kd, id))
        }
        // Key domain ff ff ff, MSK ID ff ff ff ff: held by no BSM the probe is told of.
        Stimulus::MskUnknown => ("msk-request", MSK, msk_request("////", "/////w==")),
        Stimulus::Malformed(how) => match how {
            Malformation::NotWellFormed => {
                let whole = register(service()?, Some(&[0]));
                let cut = whole.replace("</mbmsSecurityRegister>\n", "");
                ("register", REGISTER, cut)
            }
            // Typed as what it is: only the requesttype does not fit it.
            Malformation::OtherPayload => ("register", MSK, msk_request("////", "/////w==")),
            Malformation::NoBody => ("msk-request", MSK, String::new()),
        },
        Stimulus::RegisterMistyped => (
            "register",
            "application/xml",
            register(service()?, Some(&[2])),
        ),
    })
}

const REGISTER: &str = "application/mbms-register+xml";
const DEREGISTER: &str = "application/mbms-deregister+xml";
const MSK: &str = "application/mbms-msk+xml";

fn register(service: &str, listed: Option<&[u8]>) -> String {
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mbmsSecurityRegister xmlns=\"urn:3GPP:metadata:2005:MBMS:securityRegistration\" xmlns:bcast=\"urn:oma:xml:bcast:pr:orderqueries:1.0\">\n  <serviceID>{}</serviceID>\n",
        crate::active::xml_escape(service)
    );
    if let Some(listed) = listed {
        body.push_str("  <bcast:RegistrationRequestExtension><bcast:LTKMDelivery>");
        for m in listed {
            body.push_str(&format!("<bcast:Type>{m}</bcast:Type>"));
        }
        body.push_str("</bcast:LTKMDelivery></bcast:RegistrationRequestExtension>\n");
    }
    body.push_str("</mbmsSecurityRegister>\n");
    body
}

fn deregister(service: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mbmsSecurityDeregister xmlns=\"urn:3GPP:metadata:2005:MBMS:securityDeregistration\">\n  <serviceID>{}</serviceID>\n</mbmsSecurityDeregister>\n",
        crate::active::xml_escape(service)
    )
}

fn msk_request(key_domain: &str, msk_id: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mbmsMSKRequest xmlns=\"urn:3GPP:metadata:2005:MBMS:mskRequest\">\n  <MSK><keyDomainID>{}</keyDomainID><MSKID>{}</MSKID></MSK>\n</mbmsMSKRequest>\n",
        crate::active::xml_escape(key_domain),
        crate::active::xml_escape(msk_id)
    )
}

/// What a case's exchanges were: their raw text, how many, and, when the case could not be
/// carried out, why (its request never reached the BSM with credentials it accepts).
struct Exchanged {
    raw: Vec<u8>,
    exchanges: usize,
    not_reached: Option<String>,
}

/// Sends a case's request: first without credentials (empty, as curl does, unless the case
/// is about that), then answering the Digest challenge. A case whose request the BSM never
/// let in with the probe's own credentials is not carried out: judging what came back would
/// call a BSM that refuses everyone (or a probe given the wrong password) conformant.
fn exchange(
    client: &Client,
    case: &Case,
    requesttype: &str,
    media: &str,
    body: &str,
) -> Result<Exchanged, String> {
    let target = client.target(requesttype);
    let first_body = if case.stimulus == Stimulus::AuthNone {
        body.as_bytes()
    } else {
        &[]
    };
    let (mut raw, mut answer) = client.post(&target, media, first_body, None)?;
    let mut done = Exchanged {
        raw: Vec::new(),
        exchanges: 1,
        not_reached: None,
    };
    // No challenge (or the case is about the challenge): the BSM's answer is judged as it is.
    if case.stimulus == Stimulus::AuthNone || answer.status != 401 {
        done.raw = raw;
        return Ok(done);
    }
    let wrong = format!("{}-not-the-mrk", client.password);
    let password = match case.stimulus {
        Stimulus::AuthWrong => wrong.as_str(),
        _ => client.password.as_str(),
    };
    // One retry on `stale=true` (RFC 2617 3.2.1: the digest was good, the nonce not).
    for attempt in 0..2 {
        // The first challenge the probe can answer (RFC 7616 3.7: the server's preferred first).
        let authorization = answer
            .all("WWW-Authenticate")
            .find_map(|c| client.authorization(c, &target, password));
        let Some(authorization) = authorization else {
            done.not_reached = Some(
                "the BSM's 401 offers no Digest challenge the probe can answer (MD5 or SHA-256): \
                 the case's request was not sent"
                    .to_string(),
            );
            break;
        };
        let (more, next) = client.post(&target, media, body.as_bytes(), Some(&authorization))?;
        raw.extend_from_slice(&more);
        done.exchanges += 1;
        answer = next;
        let stale = answer.status == 401
            && answer
                .all("WWW-Authenticate")
                .any(|c| c.to_ascii_lowercase().contains("stale=true"));
        if answer.status != 401 || case.stimulus == Stimulus::AuthWrong {
            break;
        }
        if !stale || attempt == 1 {
            done.not_reached = Some(format!(
                "the BSM answered the probe's credentials (user '{}') with 401 again: the \
                 case's request was not let in (check --user and --password)",
                client.user
            ));
            break;
        }
    }
    done.raw = raw;
    Ok(done)
}
