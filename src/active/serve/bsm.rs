//! The reference BSM's answers, apart from the network: Digest authentication with nonces it
//! issued, registration with the LTKM delivery negotiation of OMA BCAST 5.1.6.10.1, MSK
//! requests and deregistration (TS 33.246 Annex G, TS 26.346 11.7-11.8), each answer shaped
//! as the CRs say unless a [`Fault`] is staged. Reads requests with roxmltree and builds LTKMs
//! with [`super::ltkm`]; it names no rule.

use super::config::Resolved;
use super::faults::Fault;
use super::ltkm;
use crate::active::{digest, xml_escape as escape};
use std::collections::{BTreeSet, HashMap, VecDeque};

/// The most nonces remembered: the oldest is forgotten first (and is then stale).
const NONCES_KEPT: usize = 1024;

/// One request as the server read it.
pub struct Request<'a> {
    pub method: &'a str,
    /// The request target, path and query.
    pub target: &'a str,
    pub authorization: Option<&'a str>,
    pub body: &'a [u8],
}

/// One answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// LTKMs to push over UDP to the terminal once the answer is sent (sealed MIKEY bytes,
    /// the V flag set).
    pub pushes: Vec<Vec<u8>>,
}

impl Reply {
    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            pushes: Vec::new(),
        }
    }
}

/// The BSM's state: nonces issued, registrations and the mechanisms agreed per terminal.
pub struct Bsm {
    config: Resolved,
    realm: String,
    fault: Option<Fault>,
    nonces: VecDeque<String>,
    /// Per terminal index: the mechanisms agreed at its last registration.
    agreed: HashMap<usize, Vec<u8>>,
    /// Per terminal index: the services it is registered to.
    registered: HashMap<usize, BTreeSet<String>>,
    /// The LTKMs' T (COUNTER) values, increasing over the server's life.
    counter: u32,
    /// The counter of the last UDP push (the stale-counter fault repeats it).
    last_pushed: Option<u32>,
}

/// The media types of TS 26.346 Annex C.
const REGISTER_RESPONSE: &str = "application/mbms-register-response+xml";
const MSK_RESPONSE: &str = "application/mbms-msk-response+xml";
const BCAST_NS: &str = "urn:oma:xml:bcast:pr:orderqueries:1.0";

impl Bsm {
    /// A BSM serving `config` as `host` (for the default realm), with `fault` staged.
    pub fn new(config: Resolved, host: &str, fault: Option<Fault>) -> Bsm {
        let realm = match (&config.config.realm, fault) {
            (_, Some(Fault::ChallengeRealm)) => format!("bsm@{host}"),
            (Some(r), _) => r.clone(),
            (None, _) => format!("3GPP-bootstrapping@{host}"),
        };
        Bsm {
            config,
            realm,
            fault,
            nonces: VecDeque::new(),
            agreed: HashMap::new(),
            registered: HashMap::new(),
            counter: 0,
            last_pushed: None,
        }
    }

    fn faulty(&self, f: Fault) -> bool {
        self.fault == Some(f)
    }

    /// The answer to `request`.
    pub fn answer(&mut self, request: &Request<'_>) -> Reply {
        let (path, query) = request
            .target
            .split_once('?')
            .unwrap_or((request.target, ""));
        if path != "/keymanagement" {
            return Reply::empty(404);
        }
        if request.method != "POST" {
            return Reply::empty(405);
        }
        let terminal = match self.authenticate(request) {
            Ok(t) => t,
            Err(reply) => return reply,
        };
        let kind = query
            .split('&')
            .find_map(|p| p.strip_prefix("requesttype="))
            .unwrap_or("");
        let Ok(text) = std::str::from_utf8(request.body) else {
            return Reply::empty(400);
        };
        let Ok(doc) = roxmltree::Document::parse(text) else {
            return Reply::empty(400);
        };
        let root = doc.root_element().tag_name().name();
        let mut reply = match (kind, root) {
            ("register", "mbmsSecurityRegister") => self.register(terminal, &doc),
            ("deregister", "mbmsSecurityDeregister") => self.deregister(terminal, &doc),
            ("msk-request", "mbmsMSKRequest") => self.msk_request(terminal, &doc),
            _ => Reply::empty(400),
        };
        if self.faulty(Fault::WrongContentType) {
            for (name, value) in &mut reply.headers {
                if name == "Content-Type" {
                    *value = "text/xml".to_string();
                }
            }
        }
        reply
    }

    /// The terminal index whose Digest credentials verify, or the 401 challenge.
    fn authenticate(&mut self, request: &Request<'_>) -> Result<usize, Reply> {
        let params = request.authorization.and_then(digest::params);
        let mut stale = false;
        if let Some(p) = &params {
            let get = |n| digest::param(p, n).unwrap_or("");
            let found = self
                .config
                .config
                .terminals
                .iter()
                .position(|t| t.btid == get("username"));
            if let Some(i) = found {
                let t = &self.config.config.terminals[i];
                let want = digest::response(
                    &t.btid,
                    &self.realm,
                    &t.mrk,
                    request.method,
                    get("uri"),
                    get("nonce"),
                    get("nc"),
                    get("cnonce"),
                );
                let uri_ok = get("uri") == request.target;
                let good = get("qop") == "auth"
                    && get("realm") == self.realm
                    && uri_ok
                    && want == get("response");
                let issued = self.nonces.iter().any(|n| n == get("nonce"));
                if issued && (good || self.faulty(Fault::AcceptWrongPassword)) {
                    return Ok(i);
                }
                // RFC 2617 3.2.1: a valid digest with a nonce no longer (or never) valid.
                stale = good;
            }
        }
        let nonce = digest::random_hex(16);
        if self.nonces.len() == NONCES_KEPT {
            self.nonces.pop_front();
        }
        self.nonces.push_back(nonce.clone());
        let mut challenge = format!(
            "Digest realm=\"{}\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\"",
            self.realm
        );
        if stale {
            challenge.push_str(", stale=true");
        }
        let mut reply = Reply::empty(401);
        reply
            .headers
            .push(("WWW-Authenticate".to_string(), challenge));
        Err(reply)
    }

    /// OMA BCAST 5.1.6.10.1: the mechanisms the request lists (None: no LTKMDelivery).
    fn listed(doc: &roxmltree::Document<'_>) -> Option<Vec<u8>> {
        let list = doc.descendants().find(|n| {
            n.tag_name().name() == "LTKMDelivery"
                && n.parent()
                    .is_some_and(|p| p.tag_name().name() == "RegistrationRequestExtension")
        })?;
        Some(
            list.children()
                .filter(|n| n.tag_name().name() == "Type")
                .filter_map(|n| n.text()?.trim().parse().ok())
                .collect(),
        )
    }

    fn texts(doc: &roxmltree::Document<'_>, name: &str) -> Vec<String> {
        doc.descendants()
            .filter(|n| n.tag_name().name() == name)
            .filter_map(|n| n.text().map(|t| t.trim().to_string()))
            .collect()
    }

    fn register(&mut self, terminal: usize, doc: &roxmltree::Document<'_>) -> Reply {
        let services = Self::texts(doc, "serviceID");
        let listed = Self::listed(doc);
        let supported = &self.config.config.delivery;
        let mut agreed: Vec<u8> = match &listed {
            None => vec![0],
            Some(l) => {
                let mut a: Vec<u8> = l
                    .iter()
                    .copied()
                    .filter(|m| supported.contains(m))
                    .collect();
                a.sort_unstable();
                a.dedup();
                a
            }
        };
        let refused = listed.is_some() && agreed.is_empty();
        if refused && !self.faulty(Fault::OkOnRefused) {
            // 5.1.6.10.1: the 403 on the status line; the terminal is registered for nothing.
            let body = match self.fault {
                Some(Fault::LtkmBeside403) => {
                    let ltkm = self.first_ltkm(terminal, &services);
                    Some(register_response(
                        &services,
                        |_| "403 Forbidden",
                        |_| ltkm.clone(),
                        None,
                    ))
                }
                Some(Fault::ForbiddenButRegistered) => Some(register_response(
                    &services,
                    |_| "200 OK",
                    |_| Vec::new(),
                    None,
                )),
                _ => None,
            };
            return match body {
                Some(b) => xml_reply(403, REGISTER_RESPONSE, b),
                None => Reply::empty(403),
            };
        }
        if refused {
            // The fault: refused per service under a 200 status line, nothing signalled.
            let body = register_response(&services, |_| "403 Forbidden", |_| Vec::new(), None);
            return xml_reply(200, REGISTER_RESPONSE, body);
        }
        if self.faulty(Fault::AgreeUnlisted) && listed.is_some() && !agreed.contains(&2) {
            agreed.push(2);
        }
        let known: Vec<bool> = services.iter().map(|s| self.knows(s)).collect();
        let set = self.registered.entry(terminal).or_default();
        for (s, k) in services.iter().zip(&known) {
            if *k {
                set.insert(s.clone());
            }
        }
        let no_extension = listed.is_none() || self.faulty(Fault::NoResponseExtension);
        // Without the extension the terminal concludes UDP only (5.1.6.10.4), and so does the
        // BSM: a fault breaks one requirement, not the later deliveries too.
        let kept = if no_extension {
            vec![0]
        } else {
            agreed.clone()
        };
        self.agreed.insert(terminal, kept);
        let http = (agreed.contains(&2) && !no_extension && !self.faulty(Fault::AgreeUnlisted))
            || (self.faulty(Fault::HttpLtkmNotAgreed) && listed.is_some());
        let mut ltkms = Vec::new();
        for (s, k) in services.iter().zip(&known) {
            ltkms.push(if *k && http {
                self.service_ltkms(terminal, s)
            } else {
                Vec::new()
            });
        }
        // 5.1.6.10.1: UDP delivers the LTKMs when it was agreed and HTTP did not carry them
        // (or the fault pushes them after HTTP only was agreed).
        let http_only = !no_extension && agreed == [2];
        let udp = (self.agreed[&terminal].contains(&0) && !http)
            || (http_only && self.faulty(Fault::UdpAfterHttpOnly));
        let mut pushes = Vec::new();
        if udp {
            for (s, k) in services.iter().zip(&known) {
                if *k {
                    pushes.extend(self.service_pushes(terminal, s));
                }
            }
        }
        let extension = (!no_extension).then_some(agreed.as_slice());
        let body = register_response(
            &services,
            |i| if known[i] { "200 OK" } else { "404 Not Found" },
            |i| ltkms[i].clone(),
            extension,
        );
        let mut reply = xml_reply(200, REGISTER_RESPONSE, body);
        reply.pushes = pushes;
        reply
    }

    fn deregister(&mut self, terminal: usize, doc: &roxmltree::Document<'_>) -> Reply {
        let services = Self::texts(doc, "serviceID");
        let set = self.registered.entry(terminal).or_default();
        let codes: Vec<&str> = services
            .iter()
            .map(|s| {
                if set.remove(s) {
                    "200 OK"
                } else {
                    "404 Not Found"
                }
            })
            .collect();
        let body = register_response(&services, |i| codes[i], |_| Vec::new(), None);
        xml_reply(200, REGISTER_RESPONSE, body)
    }

    fn msk_request(&mut self, terminal: usize, doc: &roxmltree::Document<'_>) -> Reply {
        let http = self.agreed.get(&terminal).is_some_and(|a| a.contains(&2));
        // TS 33.246 6.3.2: without HTTP delivery the MSKs asked for are pushed; UDP is the
        // mandatory mechanism (also before any registration agreed one).
        let udp = !http && self.agreed.get(&terminal).is_none_or(|a| a.contains(&0));
        let mut pushes = Vec::new();
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mbmsMSKResponse xmlns=\"urn:3GPP:metadata:2005:MBMS:mskResponse\" xmlns:bcast=\"{BCAST_NS}\">\n"
        );
        for msk in doc.descendants().filter(|n| n.tag_name().name() == "MSK") {
            let field = |name: &str| {
                msk.children()
                    .find(|n| n.tag_name().name() == name)
                    .and_then(|n| n.text())
                    .unwrap_or("")
                    .trim()
                    .to_string()
            };
            let (domain, id) = (field("keyDomainID"), field("MSKID"));
            let found = self.find_msk(&domain, &id);
            out.push_str(&format!(
                "  <Response>\n    <MSK><keyDomainID>{}</keyDomainID><MSKID>{}</MSKID></MSK>\n    <ResponseCode>{}</ResponseCode>\n",
                escape(&domain),
                escape(&id),
                if found.is_some() { "200 OK" } else { "404 Not Found" }
            ));
            if let (Some(m), true) = (found, udp) {
                pushes.extend(self.push(terminal, m));
            }
            if let (Some(m), true) = (found, http) {
                let l = self.ltkm(terminal, m);
                out.push_str(&format!(
                    "    <bcast:LTKMResponseResponseExtension><bcast:LTKM>{l}</bcast:LTKM></bcast:LTKMResponseResponseExtension>\n"
                ));
            }
            out.push_str("  </Response>\n");
        }
        out.push_str("</mbmsMSKResponse>\n");
        let mut reply = xml_reply(200, MSK_RESPONSE, out);
        reply.pushes = pushes;
        reply
    }

    fn knows(&self, service: &str) -> bool {
        self.config.config.services.iter().any(|s| s.id == service)
    }

    /// The MSK whose base64 key domain ID and MSK ID are these (TS 26.346 mskRequest).
    fn find_msk(&self, domain: &str, id: &str) -> Option<usize> {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD;
        let (d, i) = (b64.decode(domain).ok()?, b64.decode(id).ok()?);
        self.config
            .msks
            .iter()
            .position(|m| m.key_domain_id == d && m.msk_id == i)
    }

    /// The LTKMs (base64) of a registration to `service`: one per MSK of it.
    fn service_ltkms(&mut self, terminal: usize, service: &str) -> Vec<String> {
        let indices: Vec<usize> = (0..self.config.msks.len())
            .filter(|&i| self.config.msks[i].service == service)
            .collect();
        indices
            .into_iter()
            .map(|i| self.ltkm(terminal, i))
            .collect()
    }

    /// The LTKMs (sealed bytes, V flag set) pushing the MSKs of `service` over UDP.
    fn service_pushes(&mut self, terminal: usize, service: &str) -> Vec<Vec<u8>> {
        let indices: Vec<usize> = (0..self.config.msks.len())
            .filter(|&i| self.config.msks[i].service == service)
            .collect();
        indices
            .into_iter()
            .filter_map(|i| self.push(terminal, i))
            .collect()
    }

    /// One UDP push of MSK `msk`: a counter above the last (the fault repeats the last).
    fn push(&mut self, terminal: usize, msk: usize) -> Option<Vec<u8>> {
        let counter = match (self.last_pushed, self.faulty(Fault::StaleCounter)) {
            (Some(last), true) => last,
            _ => {
                self.counter = self.counter.wrapping_add(1);
                self.counter
            }
        };
        self.last_pushed = Some(counter);
        self.sealed(terminal, msk, counter, true)
    }

    /// One LTKM of any service requested, for the fault that puts one beside a 403.
    fn first_ltkm(&mut self, terminal: usize, services: &[String]) -> Vec<String> {
        let any = services
            .iter()
            .find_map(|s| self.config.msks.iter().position(|m| &m.service == s))
            .or((!self.config.msks.is_empty()).then_some(0));
        any.map(|i| vec![self.ltkm(terminal, i)])
            .unwrap_or_default()
    }

    /// The LTKM (base64) delivering MSK `msk` to `terminal`, sealed with its MUK.
    fn ltkm(&mut self, terminal: usize, msk: usize) -> String {
        use base64::Engine as _;
        self.counter = self.counter.wrapping_add(1);
        self.sealed(terminal, msk, self.counter, false)
            .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes))
            .unwrap_or_default()
    }

    /// The LTKM delivering MSK `msk` to `terminal` with `counter`, sealed with its MUK.
    fn sealed(&self, terminal: usize, msk: usize, counter: u32, verify: bool) -> Option<Vec<u8>> {
        let (muk, csb_id) = &self.config.muks[terminal];
        let m = &self.config.msks[msk];
        let parts = ltkm::Parts {
            csb_id: *csb_id,
            counter,
            bsm_id: &self.config.config.bsm_id,
            btid: &self.config.config.terminals[terminal].btid,
            key_domain_id: &m.key_domain_id,
            msk_id: &m.msk_id,
            msk: &m.key,
            // The fault is of LTKMs in HTTP responses (5.1.6.10.3), not of pushes.
            empty_kemac: self.faulty(Fault::EmptyKemac) && !verify,
            verify,
        };
        ltkm::build(&parts, muk)
            .map_err(|e| eprintln!("mikeyconf serve: cannot build an LTKM: {e}"))
            .ok()
    }
}

/// A registration (or deregistration) response: one Response per service with its code and
/// LTKMs, and the RegistrationResponseExtension listing `agreed` when given.
fn register_response<'s>(
    services: &[String],
    code: impl Fn(usize) -> &'s str,
    ltkms: impl Fn(usize) -> Vec<String>,
    agreed: Option<&[u8]>,
) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mbmsSecurityRegisterResponse xmlns=\"urn:3GPP:metadata:2005:MBMS:securityRegistrationResponse\" xmlns:bcast=\"{BCAST_NS}\">\n"
    );
    for (i, s) in services.iter().enumerate() {
        out.push_str(&format!(
            "  <Response>\n    <serviceID>{}</serviceID>\n    <ResponseCode>{}</ResponseCode>\n",
            escape(s),
            code(i)
        ));
        let l = ltkms(i);
        if !l.is_empty() {
            out.push_str("    <bcast:RegistrationResponseResponseExtension>");
            for one in l {
                out.push_str(&format!("<bcast:LTKM>{one}</bcast:LTKM>"));
            }
            out.push_str("</bcast:RegistrationResponseResponseExtension>\n");
        }
        out.push_str("  </Response>\n");
    }
    if let Some(agreed) = agreed {
        out.push_str("  <bcast:RegistrationResponseExtension><bcast:LTKMDelivery>");
        for m in agreed {
            out.push_str(&format!("<bcast:Type>{m}</bcast:Type>"));
        }
        out.push_str("</bcast:LTKMDelivery></bcast:RegistrationResponseExtension>\n");
    }
    out.push_str("</mbmsSecurityRegisterResponse>\n");
    out
}

fn xml_reply(status: u16, media: &str, body: String) -> Reply {
    Reply {
        status,
        headers: vec![("Content-Type".to_string(), media.to_string())],
        body: body.into_bytes(),
        pushes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::active::serve::config;

    const CONFIG: &str = "bsm_id: bsm.example.org\ndelivery: [0, 2]\nservices: [{id: s1}]\n\
        msks: [{service: s1, key_domain_id: '010203', msk_id: '00000009', key: msk}]\n\
        terminals: [{btid: t@bsf, mrk: bXJr, muk: muk}]\n";
    const KEYS: &str = "psk:\n  - {key: 000102030405060708090a0b0c0d0e0f, csb_id: 0x1000, name: muk}\n  - {key: 00112233445566778899aabbccddeeff, name: msk}\n";

    fn bsm(fault: Option<Fault>) -> Bsm {
        let ring = crate::keyring::parse(KEYS, "keys.yaml").unwrap();
        Bsm::new(
            config::resolve(CONFIG, "bsm.yaml", &ring).unwrap(),
            "127.0.0.1",
            fault,
        )
    }

    /// Sends `body` as `requesttype` after answering the challenge with `password`.
    fn send(b: &mut Bsm, kind: &str, body: &str, password: &str) -> Reply {
        let target = format!("/keymanagement?requesttype={kind}");
        let empty = Request {
            method: "POST",
            target: &target,
            authorization: None,
            body: b"",
        };
        let challenge = b.answer(&empty);
        assert_eq!(challenge.status, 401);
        let p = digest::params(&challenge.headers[0].1).unwrap();
        let (realm, nonce) = (
            digest::param(&p, "realm").unwrap(),
            digest::param(&p, "nonce").unwrap(),
        );
        let response = digest::response(
            "t@bsf", realm, password, "POST", &target, nonce, "00000001", "c",
        );
        let auth = format!(
            "Digest username=\"t@bsf\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{target}\", qop=auth, nc=00000001, cnonce=\"c\", response=\"{response}\""
        );
        b.answer(&Request {
            method: "POST",
            target: &target,
            authorization: Some(&auth),
            body: body.as_bytes(),
        })
    }

    fn register(listed: &str) -> String {
        format!("<mbmsSecurityRegister xmlns=\"urn:3GPP:metadata:2005:MBMS:securityRegistration\" xmlns:bcast=\"urn:oma:xml:bcast:pr:orderqueries:1.0\"><serviceID>s1</serviceID>{listed}</mbmsSecurityRegister>")
    }

    fn listing(types: &[u8]) -> String {
        let t: String = types
            .iter()
            .map(|t| format!("<bcast:Type>{t}</bcast:Type>"))
            .collect();
        format!("<bcast:RegistrationRequestExtension><bcast:LTKMDelivery>{t}</bcast:LTKMDelivery></bcast:RegistrationRequestExtension>")
    }

    #[test]
    fn the_delivery_negotiation_follows_5_1_6_10_1() {
        let mut b = bsm(None);
        let text = |r: &Reply| String::from_utf8_lossy(&r.body).into_owned();
        // UDP and HTTP listed and supported: both agreed, LTKMs in the response.
        let r = send(&mut b, "register", &register(&listing(&[0, 2])), "bXJr");
        assert_eq!(r.status, 200);
        assert!(text(&r).contains("<bcast:Type>0</bcast:Type><bcast:Type>2</bcast:Type>"));
        assert!(text(&r).contains("<bcast:LTKM>"));
        // UDP only: agreed, no LTKM in the response.
        let r = send(&mut b, "register", &register(&listing(&[0])), "bXJr");
        assert!(text(&r)
            .contains("<bcast:LTKMDelivery><bcast:Type>0</bcast:Type></bcast:LTKMDelivery>"));
        assert!(!text(&r).contains("<bcast:LTKM>"));
        // SMS only, unsupported: 403 on the status line, nothing registered.
        let r = send(&mut b, "register", &register(&listing(&[1])), "bXJr");
        assert_eq!((r.status, r.body.len()), (403, 0));
        // None listed: UDP only, no extension.
        let r = send(&mut b, "register", &register(""), "bXJr");
        assert_eq!(r.status, 200);
        assert!(!text(&r).contains("RegistrationResponseExtension"));
    }

    #[test]
    fn wrong_credentials_and_bad_requests_are_refused() {
        let mut b = bsm(None);
        assert_eq!(send(&mut b, "register", &register(""), "wrong").status, 401);
        assert_eq!(
            send(&mut b, "register", "<mbmsSecurityRegister", "bXJr").status,
            400
        );
        assert_eq!(send(&mut b, "nonsense", &register(""), "bXJr").status, 400);
        let get = Request {
            method: "GET",
            target: "/keymanagement",
            authorization: None,
            body: b"",
        };
        assert_eq!(b.answer(&get).status, 405);
        let mut faulty = bsm(Some(Fault::AcceptWrongPassword));
        assert_eq!(
            send(&mut faulty, "register", &register(""), "wrong").status,
            200
        );
    }

    #[test]
    fn an_msk_request_gets_an_ltkm_only_after_http_was_agreed() {
        let mut b = bsm(None);
        let msk = "<mbmsMSKRequest xmlns=\"urn:3GPP:metadata:2005:MBMS:mskRequest\"><MSK><keyDomainID>AQID</keyDomainID><MSKID>AAAACQ==</MSKID></MSK></mbmsMSKRequest>";
        let before = send(&mut b, "msk-request", msk, "bXJr");
        assert!(String::from_utf8_lossy(&before.body).contains("200 OK"));
        assert!(!String::from_utf8_lossy(&before.body).contains("<bcast:LTKM>"));
        send(&mut b, "register", &register(&listing(&[2])), "bXJr");
        let after = send(&mut b, "msk-request", msk, "bXJr");
        assert!(String::from_utf8_lossy(&after.body).contains("<bcast:LTKM>"));
        let unknown = msk.replace("AQID", "////");
        let r = send(&mut b, "msk-request", &unknown, "bXJr");
        assert!(String::from_utf8_lossy(&r.body).contains("404 Not Found"));
    }

    /// The T (COUNTER) and V flag of each push of `r`.
    fn pushed(r: &Reply) -> Vec<(u64, bool)> {
        r.pushes
            .iter()
            .map(|p| {
                let d = crate::mikey::decode(p);
                let m = d.message.as_ref().unwrap();
                let t = m
                    .payloads
                    .iter()
                    .find_map(|p| match &p.body {
                        crate::mikey::PayloadBody::T(t) => Some(t.ts_value.value),
                        _ => None,
                    })
                    .unwrap();
                (t, m.header.v.value)
            })
            .collect()
    }

    #[test]
    fn ltkms_are_pushed_over_udp_only_where_udp_carries_them() {
        let mut b = bsm(None);
        // UDP only: one push (one MSK), V flag set; HTTP only and UDP+HTTP: none.
        let r = send(&mut b, "register", &register(&listing(&[0])), "bXJr");
        assert_eq!(pushed(&r), vec![(1, true)]);
        let r = send(&mut b, "register", &register(&listing(&[2])), "bXJr");
        assert!(r.pushes.is_empty());
        let r = send(&mut b, "register", &register(&listing(&[0, 2])), "bXJr");
        assert!(r.pushes.is_empty());
        let mut faulty = bsm(Some(Fault::UdpAfterHttpOnly));
        let r = send(&mut faulty, "register", &register(&listing(&[2])), "bXJr");
        assert_eq!(r.pushes.len(), 1);
    }

    #[test]
    fn the_stale_counter_fault_repeats_the_last_pushed_counter() {
        let mut b = bsm(Some(Fault::StaleCounter));
        let first = send(&mut b, "register", &register(&listing(&[0])), "bXJr");
        let again = send(&mut b, "register", &register(""), "bXJr");
        assert_eq!(pushed(&first), pushed(&again));
        let mut good = bsm(None);
        let first = send(&mut good, "register", &register(&listing(&[0])), "bXJr");
        let again = send(&mut good, "register", &register(""), "bXJr");
        assert!(pushed(&first)[0].0 < pushed(&again)[0].0);
    }
}
