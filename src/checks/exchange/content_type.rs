//! Check kind `exchange_content_type`.

use super::*;

/// Each body's Content-Type is the media type of the payload it carries.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentType {}

impl CheckKind for ContentType {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for ContentType {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        // Each message's body is judged on its own: one the capture shows still is. Under a
        // profile only the implementation's own message is judged (the other is the
        // stimulus, neither judged nor missed).
        let unseen = |side, part| ctx.judges(side).then(|| ctx.unseen(part)).flatten();
        match (
            unseen(Side::Request, Part::RequestBody),
            unseen(Side::Response, Part::ResponseBody),
        ) {
            (None, None) => Seen::Whole,
            (Some(_), Some(_)) => ctx.needs(&[Part::RequestBody, Part::ResponseBody]),
            (Some(why), None) if !ctx.judges(Side::Response) => Seen::Nothing(why.to_string()),
            (None, Some(why)) if !ctx.judges(Side::Request) => Seen::Nothing(why.to_string()),
            (Some(why), None) => Seen::Part(format!("its request body is not judged: {why}")),
            (None, Some(why)) => Seen::Part(format!("its response body is not judged: {why}")),
        }
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        content_type(ctx)
    }
}

fn content_type(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let mut hits = Vec::new();
    for (side, msg) in [
        (Side::Request, &ctx.exchange.request),
        (Side::Response, &ctx.exchange.response),
    ] {
        if !ctx.judges(side) {
            continue;
        }
        for part in msg.parts() {
            if part.body.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let Some(expected) = payload_media_type(ctx.settings, &part.body) else {
                continue;
            };
            let actual = part.media_type.clone().unwrap_or_else(|| "none".into());
            if !crate::value::ValueType::MediaType.same(&actual, &expected) {
                hits.push(hit(
                    side,
                    vec![
                        ("value", actual),
                        ("expected", expected),
                        ("part", part.label.clone()),
                    ],
                ));
            }
        }
    }
    hits
}
