//! Check kind `sip_notify_follows_publish` (TS 24.281 7.3.3 steps 10 and 11, 7.3.6.2): a
//! settings NOTIFY reports, for an entity, the settings the server last accepted for it. Once
//! a settings PUBLISH is answered 200 the server "shall use" its `<am-settings>` as the
//! client's current answer mode (step 10) and its `<selected-user-profile-index>`, if
//! included, to identify the active user profile (step 11); a NOTIFY sent after that carries
//! "the current answer mode setting" and the index "identifying the active MCVideo user
//! profile" (7.3.6.2 step 1). So each `<entity>` of the NOTIFY's poc-settings body agrees with
//! the same entity (by `id`) of the last PUBLISH accepted before it.
//!
//! Values are compared in their value space: the answer mode as the token of RFC 4354's
//! enumeration (surrounding white space is the schema rule's finding, not this one's), the
//! profile index as the `xs:nonNegativeInteger` it is (`01` is 1). An element the NOTIFY
//! lacks is MCV-NOT-02's finding; a PUBLISH without a profile index names no active profile
//! (step 12 chooses the pre-selected one, which no message shows), so the index is then not
//! judged.

use super::*;

const POC_SETTINGS_NS: &str = "urn:oma:params:xml:ns:poc:poc-settings";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyFollowsPublish {
    /// The settings PUBLISH (7.3.3).
    pub publish: Select,
    /// The settings NOTIFY (7.3.6.2).
    pub notify: Select,
}

impl CheckKind for NotifyFollowsPublish {
    crate::check_kind_judge!(Sip);
}

/// One entity's settings as a body states them, with where each value is written.
#[derive(Debug, Default, Clone)]
struct EntitySettings {
    answer_mode: Option<(String, Range<usize>)>,
    profile_index: Option<(String, Range<usize>)>,
}

/// The entities (by `id`) of a message's poc-settings body, with the byte spans of their
/// values in the file.
fn entities(file: &[u8], m: &SipMessage) -> Option<Vec<(String, EntitySettings)>> {
    let (at, body) = xml_body(file, m, "application/poc-settings+xml")?;
    let doc = crate::xml::parse_bounded(&body)?;
    let value_of = |name: &str, child: &str, e: roxmltree::Node| {
        let holder = e
            .descendants()
            .find(|c| c.is_element() && c.tag_name().name() == name)?;
        let leaf = holder
            .children()
            .find(|c| c.is_element() && c.tag_name().name() == child)?;
        let text = leaf.text().unwrap_or("");
        // The value's own text where it has one, else the element.
        let r = leaf
            .first_child()
            .filter(|c| c.is_text())
            .map_or(leaf.range(), |c| c.range());
        Some((text.to_string(), at + r.start..at + r.end))
    };
    let found = doc
        .root_element()
        .children()
        .filter(|c| {
            c.is_element()
                && c.tag_name().name() == "entity"
                && c.tag_name().namespace() == Some(POC_SETTINGS_NS)
        })
        .map(|e| {
            let id = e.attribute("id").unwrap_or("").to_string();
            let settings = EntitySettings {
                answer_mode: value_of("am-settings", "answer-mode", e),
                profile_index: value_of("selected-user-profile-index", "user-profile-index", e),
            };
            (id, settings)
        })
        .collect();
    Some(found)
}

/// An `xs:nonNegativeInteger` in canonical form (`+007` → `7`), or None when it is not one
/// (the schema rule's finding).
fn non_negative_integer(lexical: &str) -> Option<String> {
    let t = lexical.trim();
    let digits = t.strip_prefix('+').unwrap_or(t);
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(d) if !t.starts_with('+') => (true, d),
        _ => (false, digits),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let canonical = digits.trim_start_matches('0');
    match (negative, canonical.is_empty()) {
        (_, true) => Some("0".to_string()),
        (true, false) => None,
        (false, false) => Some(canonical.to_string()),
    }
}

/// The PUBLISHes the server accepted, as (index of the first 200 answering it, index of the
/// PUBLISH), in the order of those answers. One pass over the answers: a search of every
/// message for each PUBLISH, for each NOTIFY, took the cube of the messages (a trace naming
/// one exchange 400 times: 36 s).
fn accepted_publishes(ctx: &SipCtx, publish: &Select) -> Vec<(usize, usize)> {
    let mut first_ok: rustc_hash::FxHashMap<usize, usize> = Default::default();
    for (k, (m, a)) in ctx.sip.messages.iter().zip(&ctx.sip.answers).enumerate() {
        if let (Some(i), Some(200)) = (*a, m.status()) {
            first_ok.entry(i).or_insert(k);
        }
    }
    let mut accepted: Vec<(usize, usize)> = publish
        .requests(ctx.file, ctx.sip)
        .filter_map(|(i, _)| Some((*first_ok.get(&i)?, i)))
        .collect();
    accepted.sort_unstable();
    accepted
}

/// The settings each entity was last accepted with, walked forward through the accepted
/// PUBLISHes (each body read once): `advance_to(n)` applies every one whose 200 comes before
/// message `n`, the later one winning per entity.
struct Accepted<'c> {
    ctx: &'c SipCtx<'c>,
    publishes: std::vec::IntoIter<(usize, usize)>,
    next: Option<(usize, usize)>,
    current: rustc_hash::FxHashMap<String, (EntitySettings, usize)>,
}

impl<'c> Accepted<'c> {
    fn new(ctx: &'c SipCtx<'c>, publish: &Select) -> Self {
        let mut publishes = accepted_publishes(ctx, publish).into_iter();
        let next = publishes.next();
        Accepted {
            ctx,
            publishes,
            next,
            current: Default::default(),
        }
    }

    fn advance_to(&mut self, before: usize) {
        while let Some((_, i)) = self.next.filter(|(ok, _)| *ok < before) {
            for (id, settings) in
                entities(self.ctx.file, &self.ctx.sip.messages[i]).unwrap_or_default()
            {
                self.current.insert(id, (settings, i));
            }
            self.next = self.publishes.next();
        }
    }
}

impl SipCheck for NotifyFollowsPublish {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut hits = Vec::new();
        let mut judged = 0;
        let mut accepted = Accepted::new(ctx, &self.publish);
        // In message order (`requests` walks the messages), so the accepted settings only
        // move forward.
        for (n, m) in self.notify.requests(ctx.file, ctx.sip) {
            let Some(reported) = entities(ctx.file, m) else {
                continue;
            };
            accepted.advance_to(n);
            for (id, now) in reported {
                let Some((was, p)) = accepted.current.get(&id) else {
                    continue;
                };
                let comparisons = [
                    (
                        "am-settings answer-mode",
                        "step 10",
                        &was.answer_mode,
                        &now.answer_mode,
                        (|v: &str| Some(v.trim().to_string())) as fn(&str) -> Option<String>,
                    ),
                    (
                        "selected-user-profile-index",
                        "step 11",
                        &was.profile_index,
                        &now.profile_index,
                        non_negative_integer,
                    ),
                ];
                for (what, step, was, now, value) in comparisons {
                    let (Some((w, _)), Some((v, span))) = (was, now) else {
                        continue;
                    };
                    judged += 1;
                    let (Some(wv), Some(nv)) = (value(w), value(v)) else {
                        continue;
                    };
                    if wv != nv {
                        hits.push(hit(
                            span.clone(),
                            vec![
                                ("element", what.to_string()),
                                ("entity", id.clone()),
                                ("value", v.trim().to_string()),
                                ("expected", w.trim().to_string()),
                                ("publish", (p + 1).to_string()),
                                ("step", step.to_string()),
                            ],
                        ));
                    }
                }
            }
        }
        SipJudgement::of(judged, hits, || {
            format!(
                "the input holds no {} with an entity that {} answered 200 before it set",
                self.notify.describe().trim_start_matches("a "),
                self.publish.describe()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::non_negative_integer;

    #[test]
    fn profile_indexes_compare_as_integers() {
        assert_eq!(non_negative_integer("1").as_deref(), Some("1"));
        assert_eq!(non_negative_integer(" +007 ").as_deref(), Some("7"));
        assert_eq!(non_negative_integer("-0").as_deref(), Some("0"));
        assert_eq!(non_negative_integer("000").as_deref(), Some("0"));
        assert_eq!(non_negative_integer("-1"), None);
        assert_eq!(non_negative_integer("+-1"), None);
        assert_eq!(non_negative_integer("1.0"), None);
        assert_eq!(non_negative_integer(""), None);
    }
}
