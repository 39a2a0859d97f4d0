//! The faults `mikeyconf serve --fault NAME` can stage: each breaks exactly one requirement
//! of the CRs, and names the rules a probe run is expected to fail with it. The server never
//! reads those rules: the names are for `--list-faults` and the tests' table.

/// One way the reference BSM can be told to misbehave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// A 200 registration response without RegistrationResponseExtension to a request that
    /// lists LTKM delivery mechanisms (and so, consistently, no LTKM in it).
    NoResponseExtension,
    /// The 403 Forbidden refusing a registration carries an LTKM.
    LtkmBeside403,
    /// Responses typed `text/xml` instead of their TS 26.346 Annex C media type.
    WrongContentType,
    /// A registration no listed mechanism fits is answered 200 (per service 403), not with a
    /// 403 status line.
    OkOnRefused,
    /// The 403 status line refusing a registration with a body reporting `200 OK`.
    ForbiddenButRegistered,
    /// LTKMs in HTTP responses whose KEMAC carries no key (Encr Data Len 0).
    EmptyKemac,
    /// LTKMs in the registration response although HTTP delivery was not agreed.
    HttpLtkmNotAgreed,
    /// The RegistrationResponseExtension agrees HTTP, which the request did not list.
    AgreeUnlisted,
    /// The Digest challenge's realm is not `3GPP-bootstrapping@host`.
    ChallengeRealm,
    /// A known username with a nonce the BSM issued is let in whatever its digest.
    AcceptWrongPassword,
    /// After a registration that agreed HTTP only, the LTKMs are pushed over UDP too.
    UdpAfterHttpOnly,
    /// A UDP push repeats the counter (T) of the push before it.
    StaleCounter,
    /// A deregistration response carries its invalidating LTKMs in a
    /// RegistrationResponseResponseExtension, the registration response's container.
    DeregLtkmRegistrationContainer,
    /// A deregistration response carries invalidating LTKMs in a Response whose
    /// ResponseCode is 404 Not Found.
    DeregLtkmBeside404,
    /// A request whose body is not its procedure's payload (none, not well-formed, another
    /// root element) is answered 200 OK, with no body, instead of 400 Bad Request.
    AcceptMalformed,
    /// A request whose Content-Type is not its payload's media type is answered 415
    /// Unsupported Media Type, which Table G.2.4-1 marks "Not used by BM-SC", not 400.
    UnsupportedMediaType,
}

impl Fault {
    /// Every fault, in `--list-faults` order.
    pub const ALL: [Fault; 16] = [
        Fault::NoResponseExtension,
        Fault::LtkmBeside403,
        Fault::WrongContentType,
        Fault::OkOnRefused,
        Fault::ForbiddenButRegistered,
        Fault::EmptyKemac,
        Fault::HttpLtkmNotAgreed,
        Fault::AgreeUnlisted,
        Fault::ChallengeRealm,
        Fault::AcceptWrongPassword,
        Fault::UdpAfterHttpOnly,
        Fault::StaleCounter,
        Fault::DeregLtkmRegistrationContainer,
        Fault::DeregLtkmBeside404,
        Fault::AcceptMalformed,
        Fault::UnsupportedMediaType,
    ];

    /// The name `--fault` takes.
    pub fn name(self) -> &'static str {
        match self {
            Fault::NoResponseExtension => "no-response-extension",
            Fault::LtkmBeside403 => "ltkm-beside-403",
            Fault::WrongContentType => "wrong-content-type",
            Fault::OkOnRefused => "ok-on-refused",
            Fault::ForbiddenButRegistered => "forbidden-but-registered",
            Fault::EmptyKemac => "empty-kemac",
            Fault::HttpLtkmNotAgreed => "http-ltkm-not-agreed",
            Fault::AgreeUnlisted => "agree-unlisted",
            Fault::ChallengeRealm => "challenge-realm",
            Fault::AcceptWrongPassword => "accept-wrong-password",
            Fault::UdpAfterHttpOnly => "udp-after-http-only",
            Fault::StaleCounter => "stale-counter",
            Fault::DeregLtkmRegistrationContainer => "dereg-ltkm-wrong-container",
            Fault::DeregLtkmBeside404 => "dereg-ltkm-beside-404",
            Fault::AcceptMalformed => "accept-malformed",
            Fault::UnsupportedMediaType => "unsupported-media-type",
        }
    }

    /// The requirement it breaks, with its clause.
    pub fn breaks(self) -> &'static str {
        match self {
            Fault::NoResponseExtension => {
                "OMA BCAST 5.1.6.10.1: a supported listed mechanism gets a RegistrationResponseExtension"
            }
            Fault::LtkmBeside403 => "OMA BCAST 5.1.6.10.3: no LTKM in an unsuccessful HTTP response",
            Fault::WrongContentType => "TS 26.346 Annex C / TS 33.246 G.2: the response's media type",
            Fault::OkOnRefused => {
                "OMA BCAST 5.1.6.10.1: no supported mechanism is signalled by a 403 status line"
            }
            Fault::ForbiddenButRegistered => {
                "OMA BCAST 5.1.6.10.1: a 403 refusal registers the terminal for nothing"
            }
            Fault::EmptyKemac => "OMA BCAST 5.1.6.10.3: no LTKM without a SEK/PEK over HTTP",
            Fault::HttpLtkmNotAgreed => {
                "OMA BCAST 5.1.6.10.1: LTKMs over HTTP only when HTTP is agreed"
            }
            Fault::AgreeUnlisted => {
                "OMA BCAST 5.1.6.10.1: the BSM agrees only terminal-supported mechanisms"
            }
            Fault::ChallengeRealm => "TS 33.246 H.2.1: the realm is 3GPP-bootstrapping@host",
            Fault::AcceptWrongPassword => {
                "RFC 2617 3.2.1; TS 33.246 6.2.1.3: credentials that do not verify get 401"
            }
            Fault::UdpAfterHttpOnly => {
                "OMA BCAST 5.1.6.10.1: no LTKM over UDP after HTTP only was agreed"
            }
            Fault::StaleCounter => {
                "TS 33.246 6.4.3: each MSK-delivery push has a counter above the last"
            }
            Fault::DeregLtkmRegistrationContainer => {
                "OMA BCAST 5.1.6.9.1: a deregistration response's LTKMs are in DeregistrationResponseResponseExtension"
            }
            Fault::DeregLtkmBeside404 => {
                "OMA BCAST 5.1.6.9.1: no LTKM for a service whose deregistration is not 200 OK"
            }
            Fault::AcceptMalformed => {
                "TS 33.246 G.2.4 (Table G.2.4-1): a request that was missing or malformed is an error case (400)"
            }
            Fault::UnsupportedMediaType => {
                "TS 33.246 G.2.4 (Table G.2.4-1): 415 is not used by the BM-SC"
            }
        }
    }

    /// The rules a probe run against the fault fails (or warns, for a provisional rule),
    /// and nothing else.
    pub fn rules(self) -> &'static [&'static str] {
        match self {
            Fault::NoResponseExtension => &["BCAST-DLV-03", "BCAST-DLV-03B"],
            // The LTKM sits in a Response refused with 403 Forbidden: Table 22 forbids that too.
            Fault::LtkmBeside403 => &["BCAST-DLV-07", "BCAST-RSP-04"],
            Fault::WrongContentType => &["HTTP-CT-01"],
            Fault::OkOnRefused => &["BCAST-DLV-03B"],
            Fault::ForbiddenButRegistered => &["BCAST-DLV-05"],
            Fault::EmptyKemac => &["BCAST-DLV-08"],
            Fault::HttpLtkmNotAgreed => &["BCAST-DLV-04"],
            Fault::AgreeUnlisted => &["BCAST-DLV-03L"],
            Fault::ChallengeRealm => &["HTTP-AUTH-02"],
            Fault::AcceptWrongPassword => &["HTTP-AUTH-05"],
            Fault::UdpAfterHttpOnly => &["BCAST-DLV-04T"],
            Fault::StaleCounter => &["MBMS-KEY-01"],
            Fault::DeregLtkmRegistrationContainer => &["BCAST-DEREG-03"],
            Fault::DeregLtkmBeside404 => &["BCAST-DEREG-04"],
            // Both warn: HTTP-STATUS-03 is provisional, HTTP-STATUS-02 a SHOULD NOT.
            Fault::AcceptMalformed => &["HTTP-STATUS-03"],
            Fault::UnsupportedMediaType => &["HTTP-STATUS-02"],
        }
    }

    /// The fault named `name`, or the list of names.
    pub fn named(name: &str) -> Result<Fault, String> {
        Fault::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
                format!("no fault '{name}'; the faults are {}", names.join(", "))
            })
    }
}
