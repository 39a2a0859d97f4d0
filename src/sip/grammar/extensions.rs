//! Headers MCVideo signalling uses from RFCs beyond 3261: P-Asserted-Identity and
//! P-Preferred-Identity (RFC 3325 9.1, 9.2), Path (RFC 3327 4), Service-Route (RFC 3608 6),
//! SIP-ETag and SIP-If-Match (RFC 3903 11.3), Flow-Timer (RFC 5626 13),
//! P-Asserted-Service and P-Preferred-Service (RFC 6050 4), Event, Allow-Events and
//! Subscription-State (RFC 6665 8.4), and the P- headers of RFC 7315 10.

use super::cursor::{Cur, R};
use super::rfc3261::{delta_seconds, list, optional_list, route};
use super::uri::address;
use super::Family;

/// `PAssertedID = PAssertedID-value *(COMMA PAssertedID-value)`, a value being
/// `name-addr / addr-spec` with no parameters (RFC 3325 9.1).
fn identity(c: &mut Cur) -> R {
    list(c, "the identity (RFC 3325 9.1 allows no parameters)", |c| {
        address(c, false)
    })
}

/// `Service-ID = "urn:urn-7:" urn-service-id` (RFC 6050 4.1).
fn service_id(c: &mut Cur) -> R {
    if !c.lit("urn:urn-7:") {
        return c.expected("'urn:urn-7:' (RFC 6050 4.1 Service-ID)");
    }
    let let_dig = |b: u8| b.is_ascii_alphanumeric();
    // The ABNF's top-level has no '-', yet RFC 6050's own examples and the registered 3GPP
    // namespace are `urn:urn-7:3gpp-service…`: a top-level reads like a sub-service here.
    let top = c.run(|b| let_dig(b) || b == b'-', "a top-level service (let-dig)")?;
    if top.len() > 27 {
        return c.miss_at(
            top.start + 27,
            "a top-level service is 1 to 27 characters (RFC 6050 4.1 top-level)",
        );
    }
    let t = &c.b[top.clone()];
    if t[0] == b'-' || t[t.len() - 1] == b'-' {
        let at = if t[0] == b'-' { top.start } else { top.end - 1 };
        return c.miss_at(
            at,
            "a top-level service starts and ends with a letter or digit (RFC 6050 4.1)",
        );
    }
    while c.eat(b'.') {
        let sub = c.run(|b| let_dig(b) || b == b'-', "a sub-service (let-dig)")?;
        let s = &c.b[sub.clone()];
        if s[0] == b'-' || s[s.len() - 1] == b'-' {
            let at = if s[0] == b'-' { sub.start } else { sub.end - 1 };
            return c.miss_at(at, "a sub-service starts and ends with a letter or digit (RFC 6050 4.1 sub-service-id)");
        }
    }
    Ok(())
}

/// `event-type = event-package *( "." event-template )`, each a token-nodot (RFC 6665 8.4).
fn event_type(c: &mut Cur) -> R {
    let nodot = |b: u8| super::cursor::is_token_char(b) && b != b'.';
    c.run(nodot, "an event package (token-nodot)")?;
    while c.eat(b'.') {
        c.run(nodot, "an event template (token-nodot)")?;
    }
    Ok(())
}

fn event(c: &mut Cur) -> R {
    c.ws();
    event_type(c)?;
    c.params(|c, name| {
        if name == "id" {
            c.equal("id")?;
            c.token("an id (token)")?;
            return Ok(true);
        }
        Ok(false)
    })?;
    c.finish("the event")
}

fn subscription_state(c: &mut Cur) -> R {
    c.ws();
    c.token("a subscription state (active, pending, terminated or a token)")?;
    c.params(|c, name| {
        match name {
            "reason" => {
                c.equal("reason")?;
                c.token("a reason (token)")?;
            }
            "expires" | "retry-after" => {
                c.equal(name)?;
                delta_seconds(c, name)?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    c.finish("the subscription state")
}

/// `token [EQUAL gen-value] *(SEMI generic-param)` (RFC 7315 P-Charging-Function-Addresses).
fn first_param(c: &mut Cur, what: &str) -> R {
    c.ws();
    c.token(what)?;
    c.generic_value()?;
    c.params(|_, _| Ok(false))?;
    c.finish("the parameters")
}

/// The production of a header defined beyond RFC 3261, with its family.
pub fn production(name: &str) -> Option<(Family, super::Production)> {
    let entry: (Family, super::Production) = match name {
        "p-asserted-identity" | "p-preferred-identity" => (Family::Rfc3325, identity),
        "path" => (Family::Rfc3327, route),
        "service-route" => (Family::Rfc3608, route),
        "sip-etag" | "sip-if-match" => (Family::Rfc3903, |c| {
            c.ws();
            c.token("an entity-tag (token)")?;
            c.finish("the entity-tag")
        }),
        "flow-timer" => (Family::Rfc5626, |c| {
            c.ws();
            delta_seconds(c, "Flow-Timer")?;
            c.finish("Flow-Timer")
        }),
        "p-asserted-service" | "p-preferred-service" => {
            (Family::Rfc6050, |c| list(c, "the Service-ID", service_id))
        }
        "event" => (Family::Rfc6665, event),
        "allow-events" => (Family::Rfc6665, |c| list(c, "the event types", event_type)),
        "subscription-state" => (Family::Rfc6665, subscription_state),
        "p-access-network-info" => (Family::Rfc7315, |c| {
            list(c, "the access network info", |c| {
                c.token("an access type or class (token)")?;
                c.params(|_, _| Ok(false))
            })
        }),
        "p-visited-network-id" => (Family::Rfc7315, |c| {
            list(c, "the visited network", |c| {
                if c.peek() == Some(b'"') {
                    c.quoted_string("a network name")?;
                } else {
                    c.token("a network name (token or quoted string)")?;
                }
                c.params(|_, _| Ok(false))
            })
        }),
        "p-associated-uri" => (Family::Rfc7315, |c| {
            optional_list(c, "the associated URIs", |c| {
                super::uri::address(c, true)?;
                c.params(|_, _| Ok(false))
            })
        }),
        "p-called-party-id" => (Family::Rfc7315, |c| {
            address(c, true)?;
            c.params(|_, _| Ok(false))?;
            c.finish("the called party")
        }),
        "p-charging-vector" => (Family::Rfc7315, |c| {
            c.ws();
            if !c.lit("icid-value") {
                return c.expected("'icid-value' first (RFC 7315 5.6 P-Charging-Vector)");
            }
            c.equal("icid-value")?;
            c.gen_value()?;
            c.params(|_, _| Ok(false))?;
            c.finish("the charging vector")
        }),
        "p-charging-function-addresses" => (Family::Rfc7315, |c| {
            first_param(c, "ccf, ecf or a parameter")
        }),
        _ => return None,
    };
    Some(entry)
}
