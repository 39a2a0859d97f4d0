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
        let judged: Vec<(Part, &str)> = [
            (Side::Request, Part::RequestBody, "request"),
            (Side::Response, Part::ResponseBody, "response"),
        ]
        .into_iter()
        .filter(|(side, _, _)| ctx.judges(*side))
        .map(|(_, part, name)| (part, name))
        .collect();
        let unseen: Vec<(&str, &str)> = judged
            .iter()
            .filter_map(|(part, name)| ctx.unseen(*part).map(|why| (*name, why)))
            .collect();
        match unseen.as_slice() {
            [(name, why)] if judged.len() > 1 => {
                Seen::Part(format!("its {name} body is not judged: {why}"))
            }
            // Everything judged is seen (Whole), or nothing of it is.
            _ => ctx.needs(&judged.iter().map(|(part, _)| *part).collect::<Vec<_>>()),
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
