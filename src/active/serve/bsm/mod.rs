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
    /// The Content-Type header's value, when there is one.
    pub content_type: Option<&'a str>,
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

/// The procedures of TS 33.246 G.2.1-G.2.3: requesttype, the request payload's root element
/// (TS 26.346 11.4-11.6) and media type (TS 26.346 Annex C).
const PROCEDURES: [(&str, &str, &str); 3] = [
    (
        "register",
        "mbmsSecurityRegister",
        "application/mbms-register+xml",
    ),
    (
        "deregister",
        "mbmsSecurityDeregister",
        "application/mbms-deregister+xml",
    ),
    ("msk-request", "mbmsMSKRequest", "application/mbms-msk+xml"),
];

/// Whether a Content-Type value is `media` (RFC 9110 8.3.1: type and subtype compare without
/// regard to case; parameters do not change the type).
fn media_type_is(value: Option<&str>, media: &str) -> bool {
    value
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(media))
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
        // TS 33.246 G.2.1-G.2.3: each procedure's payload, root element and media type.
        let Some(&(_, root, media)) = PROCEDURES.iter().find(|(k, _, _)| *k == kind) else {
            return Reply::empty(400); // no procedure named
        };
        // "The BM-SC checks that the HTTP POST is valid": a request that was missing or
        // malformed is answered 400 Bad Request (Table G.2.4-1).
        let doc = std::str::from_utf8(request.body)
            .ok()
            .and_then(|text| roxmltree::Document::parse(text).ok())
            .filter(|doc| doc.root_element().tag_name().name() == root);
        let Some(doc) = doc else {
            return match self.fault {
                Some(Fault::AcceptMalformed) => Reply::empty(200),
                _ => Reply::empty(400),
            };
        };
        // G.2.1-G.2.3: "the HTTP header Content-Type shall be the MIME type of the payload".
        // 400, as for any request that is not valid: Table G.2.4-1 marks 415 "Not used by
        // BM-SC".
        if !media_type_is(request.content_type, media) {
            return match self.fault {
                Some(Fault::UnsupportedMediaType) => Reply::empty(415),
                _ => Reply::empty(400),
            };
        }
        let mut reply = match kind {
            "register" => self.register(terminal, &doc),
            "deregister" => self.deregister(terminal, &doc),
            _ => self.msk_request(terminal, &doc),
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
                let alg = self.config.config.digest_algorithm;
                let want = digest::response(
                    alg,
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
                // RFC 7616 3.4: the credentials name the challenge's algorithm.
                let same_alg = digest::Algorithm::named(digest::param(p, "algorithm")) == Some(alg);
                let good = get("qop") == "auth"
                    && same_alg
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
            "Digest realm=\"{}\", nonce=\"{nonce}\", algorithm={}, qop=\"auth\"",
            self.realm,
            self.config.config.digest_algorithm.token()
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
                self.service_ltkms(terminal, s, false)
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
                    pushes.extend(self.service_pushes(terminal, s, false));
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

    /// OMA BCAST 5.1.6.9: each service the terminal was registered to is deregistered (200
    /// OK; any other 404). With `invalidate_on_deregistration` the MSKs of each are
    /// invalidated by LTKMs delivered as the registration agreed: in the response's
    /// DeregistrationResponseResponseExtension when HTTP was agreed, else pushed over UDP.
    fn deregister(&mut self, terminal: usize, doc: &roxmltree::Document<'_>) -> Reply {
        let services = Self::texts(doc, "serviceID");
        let set = self.registered.entry(terminal).or_default();
        let removed: Vec<bool> = services.iter().map(|s| set.remove(s)).collect();
        let agreed = self
            .agreed
            .get(&terminal)
            .cloned()
            .unwrap_or_else(|| vec![0]);
        let http = agreed.contains(&2);
        // The two faults break one requirement each: they need the LTKMs in the response.
        let beside_404 = self.faulty(Fault::DeregLtkmBeside404) && http;
        let wrong_container = self.faulty(Fault::DeregLtkmRegistrationContainer) && http;
        let invalidate =
            self.config.config.invalidate_on_deregistration || beside_404 || wrong_container;
        let mut ltkms = vec![Vec::new(); services.len()];
        let mut pushes = Vec::new();
        if invalidate {
            for (i, s) in services.iter().enumerate().filter(|(i, _)| removed[*i]) {
                if http {
                    ltkms[i] = self.service_ltkms(terminal, s, true);
                } else if agreed.contains(&0) {
                    pushes.extend(self.service_pushes(terminal, s, true));
                }
            }
        }
        let code = |i: usize| match (removed[i], beside_404 && !ltkms[i].is_empty()) {
            (true, false) => "200 OK",
            _ => "404 Not Found",
        };
        let container = if wrong_container {
            "RegistrationResponseResponseExtension"
        } else {
            "DeregistrationResponseResponseExtension"
        };
        let body = response_body(&services, code, |i| ltkms[i].clone(), container, None);
        let mut reply = xml_reply(200, REGISTER_RESPONSE, body);
        reply.pushes = pushes;
        reply
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
                pushes.extend(self.push(terminal, m, false));
            }
            if let (Some(m), true) = (found, http) {
                let l = self.ltkm(terminal, m, false);
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

    /// The LTKMs (base64) of a registration to `service`, one per MSK of it (invalidating
    /// them, for a deregistration).
    fn service_ltkms(&mut self, terminal: usize, service: &str, invalidate: bool) -> Vec<String> {
        self.msks_of(service)
            .into_iter()
            .map(|i| self.ltkm(terminal, i, invalidate))
            .collect()
    }

    /// The indices of the MSKs protecting `service`.
    fn msks_of(&self, service: &str) -> Vec<usize> {
        (0..self.config.msks.len())
            .filter(|&i| self.config.msks[i].service == service)
            .collect()
    }

    /// The LTKMs (sealed bytes, V flag set) pushing the MSKs of `service` over UDP
    /// (invalidating them, for a deregistration).
    fn service_pushes(&mut self, terminal: usize, service: &str, invalidate: bool) -> Vec<Vec<u8>> {
        self.msks_of(service)
            .into_iter()
            .filter_map(|i| self.push(terminal, i, invalidate))
            .collect()
    }

    /// One UDP push of MSK `msk`: a counter above the last (the fault repeats the last).
    fn push(&mut self, terminal: usize, msk: usize, invalidate: bool) -> Option<Vec<u8>> {
        let counter = match (self.last_pushed, self.faulty(Fault::StaleCounter)) {
            (Some(last), true) => last,
            _ => {
                self.counter = self.counter.wrapping_add(1);
                self.counter
            }
        };
        self.last_pushed = Some(counter);
        self.sealed(terminal, msk, counter, true, invalidate)
    }

    /// One LTKM of any service requested, for the fault that puts one beside a 403.
    fn first_ltkm(&mut self, terminal: usize, services: &[String]) -> Vec<String> {
        let any = services
            .iter()
            .find_map(|s| self.config.msks.iter().position(|m| &m.service == s))
            .or((!self.config.msks.is_empty()).then_some(0));
        any.map(|i| vec![self.ltkm(terminal, i, false)])
            .unwrap_or_default()
    }

    /// The LTKM (base64) delivering (or invalidating) MSK `msk` to `terminal`, sealed with
    /// its MUK.
    fn ltkm(&mut self, terminal: usize, msk: usize, invalidate: bool) -> String {
        use base64::Engine as _;
        self.counter = self.counter.wrapping_add(1);
        self.sealed(terminal, msk, self.counter, false, invalidate)
            .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes))
            .unwrap_or_default()
    }

    /// The LTKM delivering (or invalidating) MSK `msk` to `terminal` with `counter`, sealed
    /// with its MUK.
    fn sealed(
        &self,
        terminal: usize,
        msk: usize,
        counter: u32,
        verify: bool,
        invalidate: bool,
    ) -> Option<Vec<u8>> {
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
            invalidate,
        };
        ltkm::build(&parts, muk)
            .map_err(|e| eprintln!("mikeyconf serve: cannot build an LTKM: {e}"))
            .ok()
    }
}

/// A registration response: one Response per service with its code and LTKMs, and the
/// RegistrationResponseExtension listing `agreed` when given.
fn register_response<'s>(
    services: &[String],
    code: impl Fn(usize) -> &'s str,
    ltkms: impl Fn(usize) -> Vec<String>,
    agreed: Option<&[u8]>,
) -> String {
    let container = "RegistrationResponseResponseExtension";
    response_body(services, code, ltkms, container, agreed)
}

/// A registration or deregistration response (TS 26.346 11.7.1: one root for both): one
/// Response per service with its code and its LTKMs in `container` (OMA BCAST 5.1.6.7.3,
/// 5.1.6.9.1), and the RegistrationResponseExtension listing `agreed` when given.
fn response_body<'s>(
    services: &[String],
    code: impl Fn(usize) -> &'s str,
    ltkms: impl Fn(usize) -> Vec<String>,
    container: &str,
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
            out.push_str(&format!("    <bcast:{container}>"));
            for one in l {
                out.push_str(&format!("<bcast:LTKM>{one}</bcast:LTKM>"));
            }
            out.push_str(&format!("</bcast:{container}>\n"));
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
mod tests;
