//! The probe's numbered test cases: what the terminal sends in each, and the clause and
//! requirement IDs it exercises. A case holds no expected answer: the exchange rules judge the
//! BSM's answer (`check`'s engine), so the expectations live in the rule tables only.

/// What a case's request is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stimulus {
    /// A registration to the known service listing these LTKM delivery mechanisms (None: no
    /// RegistrationRequestExtension at all).
    Register(Option<Vec<u8>>),
    /// A registration to a service the BSM does not know (`--unknown-service`).
    RegisterUnknown,
    /// An MSK request for the known MSK (`--msk`).
    MskKnown,
    /// An MSK request for an MSK the BSM does not hold.
    MskUnknown,
    /// A deregistration from the known service.
    Deregister,
    /// A registration without credentials: the challenge only.
    AuthNone,
    /// A registration answered with a wrong password.
    AuthWrong,
    /// A request whose body is not the payload its requesttype names (TS 33.246 Table
    /// G.2.4-1, 400: "Request was missing, or malformed").
    Malformed(Malformation),
    /// A registration to the known service listing HTTP, its payload right but typed
    /// `application/xml` (TS 33.246 G.2.1: "the HTTP header Content-Type shall be the MIME
    /// type of the payload"). Whether the BSM reads it or refuses it, the rules judge its
    /// answer (a refusal with 415, which Table G.2.4-1 marks "Not used by BM-SC", warns).
    RegisterMistyped,
}

/// How a [`Stimulus::Malformed`] request is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformation {
    /// A registration cut before its end tag: not well-formed.
    NotWellFormed,
    /// An MSK request sent as `requesttype=register`: another procedure's payload.
    OtherPayload,
    /// An MSK request with no body: "Request was missing".
    NoBody,
}

impl Stimulus {
    /// Whether the BSM may answer it with pushes over UDP (a registration agreeing UDP, an
    /// MSK request without HTTP delivery, a deregistration invalidating keys over UDP;
    /// TS 33.246 6.3.2, OMA BCAST 5.1.6.10.1, 5.1.6.10).
    pub fn may_be_pushed(&self) -> bool {
        matches!(
            self,
            Stimulus::Register(_)
                | Stimulus::RegisterUnknown
                | Stimulus::MskKnown
                | Stimulus::Deregister
                | Stimulus::RegisterMistyped
        )
    }
}

/// One test case.
#[derive(Debug, Clone)]
pub struct Case {
    /// `P01`…: what `--select`/`--ignore` and the recording's file names use.
    pub id: &'static str,
    /// A short name, for the file name and the report.
    pub name: &'static str,
    pub clause: &'static str,
    pub requirements: &'static [&'static str],
    pub stimulus: Stimulus,
}

/// Every case, in the order they run: the registrations first (the last agrees UDP and
/// HTTP, so the MSK request after it may be answered with an LTKM), then MSK requests,
/// deregistration and authentication, then the UDP delivery cases (a registration agreeing
/// UDP only, an MSK request under it, a registration agreeing HTTP only), then the
/// deregistrations after HTTP only and after UDP only: a BSM that invalidates keys on
/// deregistration (OMA BCAST 5.1.6.9) must deliver those LTKMs as the registration agreed.
/// Last the requests a BSM must not take as valid (TS 33.246 G.2.4, Table G.2.4-1): a body
/// that is not well-formed, another procedure's payload, no body, and a mistyped registration;
/// they come last so that a BSM that takes one in changes no state an earlier case reads.
///
/// No stale-nonce case: whether a BSM accepts a nonce it never issued cannot be told from
/// the recorded exchange (a nonce of an earlier connection may be valid), so no rule could
/// judge it offline, and a case no rule can fail would pass a BSM that accepts any nonce.
pub fn all() -> Vec<Case> {
    use Stimulus::*;
    let reg = "OMA BCAST 5.1.6.10.1; TS 33.246 G.2.1";
    let dereg = "TS 33.246 G.2.2; OMA BCAST 5.1.6.9, 5.1.6.9.1";
    let malformed = "TS 33.246 G.2.1, G.2.4 (Table G.2.4-1)";
    let dlv: &[&str] = &[
        "BCAST-DLV-02",
        "BCAST-DLV-03",
        "BCAST-DLV-04",
        "BCAST-DLV-05",
    ];
    vec![
        case(
            "P01",
            "register-udp-only",
            reg,
            dlv,
            Register(Some(vec![0])),
        ),
        case(
            "P02",
            "register-http-only",
            reg,
            dlv,
            Register(Some(vec![2])),
        ),
        case(
            "P03",
            "register-sms-only",
            reg,
            dlv,
            Register(Some(vec![1])),
        ),
        case("P04", "register-no-ltkm-delivery", reg, dlv, Register(None)),
        case(
            "P05",
            "register-unknown-service",
            "TS 33.246 G.2.1, G.2.4; OMA BCAST 5.1.6.10.1",
            &["MBMS-GEN-07", "BCAST-DLV-03"],
            RegisterUnknown,
        ),
        case(
            "P06",
            "register-udp-http",
            reg,
            dlv,
            Register(Some(vec![0, 2])),
        ),
        case(
            "P07",
            "msk-request-known",
            "TS 33.246 G.2.3; OMA BCAST 5.1.6.10.3",
            &["MBMS-GEN-07", "BCAST-DLV-07", "BCAST-DLV-08"],
            MskKnown,
        ),
        case(
            "P08",
            "msk-request-unknown",
            "TS 33.246 G.2.3, G.2.4; OMA BCAST 5.1.6.10.3",
            &["MBMS-GEN-07", "BCAST-DLV-07"],
            MskUnknown,
        ),
        case(
            "P09",
            "deregister",
            dereg,
            &[
                "MBMS-GEN-07",
                "BCAST-DEREG-03",
                "BCAST-DEREG-04",
                "BCAST-DLV-08",
            ],
            Deregister,
        ),
        case(
            "P10",
            "auth-none",
            "RFC 2617 3.2.1; TS 33.246 6.2.1.3",
            &["MBMS-GEN-07"],
            AuthNone,
        ),
        case(
            "P11",
            "auth-wrong-password",
            "RFC 2617 3.2.1, 3.2.2; TS 33.246 6.2.1.3",
            &["MBMS-GEN-07"],
            AuthWrong,
        ),
        // UDP delivery: each case's exchange is judged as the others; the pushes it brings and
        // the verification messages the probe sends are events of session.trace.yaml, judged
        // there by the session rules (delivery as agreed, pushes to the registration's source,
        // counters increasing).
        case(
            "P12",
            "udp-register-push",
            "OMA BCAST 5.1.6.10.1, 5.1.6.10.4; TS 33.246 6.3.1, 6.4.3",
            &["BCAST-DLV-04", "BCAST-DLV-10", "MBMS-GEN-04", "MBMS-KEY-01"],
            Register(Some(vec![0])),
        ),
        case(
            "P13",
            "udp-msk-request-push",
            "TS 33.246 6.3.1, 6.3.2, 6.4.3; OMA BCAST 5.1.6.10.1",
            &["MBMS-GEN-04", "MBMS-KEY-01", "BCAST-DLV-04"],
            MskKnown,
        ),
        case(
            "P14",
            "udp-none-after-http-only",
            "OMA BCAST 5.1.6.10.1",
            &["BCAST-DLV-04"],
            Register(Some(vec![2])),
        ),
        case(
            "P15",
            "deregister-after-http-only",
            "OMA BCAST 5.1.6.9, 5.1.6.9.1, 5.1.6.10.1",
            &[
                "BCAST-DEREG-03",
                "BCAST-DEREG-04",
                "BCAST-DLV-04T",
                "BCAST-DLV-08",
            ],
            Deregister,
        ),
        case(
            "P16",
            "reregister-udp-only",
            reg,
            dlv,
            Register(Some(vec![0])),
        ),
        case(
            "P17",
            "deregister-after-udp-only",
            "OMA BCAST 5.1.6.9, 5.1.6.10.1, 5.1.6.10.4",
            &["BCAST-DLV-04", "BCAST-DLV-12", "MBMS-GEN-04", "MBMS-KEY-01"],
            Deregister,
        ),
        // What a BSM answers to a request that is not valid (each exchange judged as the
        // others: HTTP-STATUS-03 on a 2xx, HTTP-STATUS-01/02 on the code).
        case(
            "P18",
            "register-not-well-formed",
            malformed,
            &["MBMS-GEN-07"],
            Malformed(Malformation::NotWellFormed),
        ),
        case(
            "P19",
            "register-msk-request-body",
            malformed,
            &["MBMS-GEN-07"],
            Malformed(Malformation::OtherPayload),
        ),
        case(
            "P20",
            "msk-request-no-body",
            "TS 33.246 G.2.3, G.2.4 (Table G.2.4-1)",
            &["MBMS-GEN-07"],
            Malformed(Malformation::NoBody),
        ),
        case(
            "P21",
            "register-wrong-content-type",
            malformed,
            &["MBMS-GEN-07", "BCAST-DLV-03", "BCAST-DLV-04"],
            RegisterMistyped,
        ),
    ]
}

fn case(
    id: &'static str,
    name: &'static str,
    clause: &'static str,
    requirements: &'static [&'static str],
    stimulus: Stimulus,
) -> Case {
    Case {
        id,
        name,
        clause,
        requirements,
        stimulus,
    }
}

/// Whether `pattern` (an id or id prefix, any case) names case `id`.
pub fn names(pattern: &str, id: &str) -> bool {
    id.to_ascii_uppercase()
        .starts_with(&pattern.to_ascii_uppercase())
}

/// Whether `pattern` is a case pattern (`P`, `P0`, `P07`) rather than a rule id.
pub fn is_case_pattern(pattern: &str) -> bool {
    let p = pattern.as_bytes();
    matches!(p.first(), Some(b'P' | b'p')) && p[1..].iter().all(u8::is_ascii_digit)
}
