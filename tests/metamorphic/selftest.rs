//! The comparison can fail: inputs that say something else are told apart, by the same
//! comparison and the same carriers the relations use.

use crate::carrier;
use crate::outcome::{compare, Outcome};
use crate::subject::Subject;
use crate::{spelling, wire};
use libtest_mimic::{Failed, Trial};
use std::path::Path;

fn subject(name: &str) -> Result<Subject, Failed> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let v = mikeyconf::internals::suite::discover(&root)
        .into_iter()
        .find(|v| v.name == name)
        .ok_or_else(|| format!("no vector {name}"))?;
    let settings =
        mikeyconf::internals::settings::Settings::load(None, &[]).map_err(|e| e.to_string())?;
    Ok(Subject::load(
        v,
        &settings,
        &mikeyconf::internals::suite::builtin_tables(),
    )?)
}

fn must_differ(
    what: &str,
    want: &Outcome,
    got: &Outcome,
    rules: Option<&std::collections::BTreeSet<String>>,
) -> Result<(), Failed> {
    if compare(want, got, rules).is_empty() {
        Err(format!("{what}: the comparison saw no difference").into())
    } else {
        Ok(())
    }
}

/// An integer value changed (not respelled) changes the outcome.
fn changed_value_is_told_apart() -> Result<(), Failed> {
    let s = subject("xml::registration_request::valid_udp_http")?;
    let text = String::from_utf8(s.bytes.clone()).map_err(|e| e.to_string())?;
    let changed = spelling::xml_value_changed(&text).ok_or("no integer value to change")?;
    let want = Outcome::of(&s.own());
    let got = Outcome::of(&s.check(changed.as_bytes(), None));
    must_differ("a changed Type value", &want, &got, None)
}

/// Another message in the same carrier is not the message alone: an MTK whose V flag is set
/// in a capture is told apart from the MTK whose flag is clear.
fn other_message_in_carrier_is_told_apart() -> Result<(), Failed> {
    let clear = subject("mikey::mbms::mtk_from_spec")?;
    let set = subject("mikey::mbms::mtk_v_flag_set")?;
    let crate::subject::Content::Mikey(m) = &set.content else {
        return Err("not a MIKEY vector".into());
    };
    let pcap = wire::pcap(&wire::udp_frame(false, m));
    let want = Outcome::of(&clear.own());
    let got = Outcome::of(&clear.check(&pcap, None));
    must_differ(
        "the V-flag MTK in a capture against the clear one alone",
        &want,
        &got,
        Some(&clear.content_rules()),
    )?;
    // And the carrier relation itself sees the clear MTK's capture as equal.
    let same = carrier::variants(&clear)
        .into_iter()
        .find(|v| v.name == "pcap-ipv4")
        .ok_or("no pcap-ipv4 carrier")?;
    let got = carrier::judge(&clear, &same)?;
    let want = carrier::baseline(&clear, &same);
    let diffs = compare(&want, &got, Some(&clear.content_rules()));
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!("the clear MTK in a capture differs from itself alone: {diffs:?}").into())
    }
}

/// A rule that fails alone and passes in a variant is a difference the mutation relation
/// reports (the failing sets are compared, not only the verdicts).
fn lost_failure_is_told_apart() -> Result<(), Failed> {
    let s = subject("mikey::mbms::mtk_v_flag_set")?;
    let fails = Outcome::of(&s.own()).failing();
    let clear = subject("mikey::mbms::mtk_from_spec")?;
    let passes = Outcome::of(&clear.own()).failing();
    if fails == passes || fails.is_empty() {
        return Err(format!("failing sets {fails:?} and {passes:?} are not told apart").into());
    }
    Ok(())
}

/// An exclusion excuses only what it names, and one that excused nothing is reported stale.
fn exclusions_match_narrowly() -> Result<(), Failed> {
    let list = crate::exclusions::Exclusions::parse(
        "exclusions:\n- relation: carrier\n  variants: [pcap-ipv4]\n  vectors: ['mikey::mbms::']\n  rules: [MBMS-MTK-01]\n  reason: test\n- relation: spelling\n  reason: never used\n",
    )?;
    let hits = [
        (
            "carrier",
            "pcap-ipv4",
            "mikey::mbms::mtk_v_flag_set",
            "MBMS-MTK-01",
            true,
        ),
        (
            "carrier",
            "pcap-ipv6",
            "mikey::mbms::mtk_v_flag_set",
            "MBMS-MTK-01",
            false,
        ),
        (
            "carrier",
            "pcap-ipv4",
            "mikey::ltkm::valid",
            "MBMS-MTK-01",
            false,
        ),
        (
            "carrier",
            "pcap-ipv4",
            "mikey::mbms::mtk_v_flag_set",
            "MIKEY-HDR-01",
            false,
        ),
        (
            "mutation",
            "pcap-ipv4",
            "mikey::mbms::mtk_v_flag_set",
            "MBMS-MTK-01",
            false,
        ),
    ];
    for (relation, variant, vector, rule, want) in hits {
        let got = list.excuse(relation, variant, vector, rule).is_some();
        if got != want {
            return Err(format!("{relation} {variant} {vector} {rule}: excused {got}").into());
        }
    }
    match list.stale().as_slice() {
        [only] if only.reason == "never used" => Ok(()),
        other => Err(format!("stale entries: {}", other.len()).into()),
    }
}

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "selftest::exclusions_match_narrowly",
            exclusions_match_narrowly,
        ),
        Trial::test(
            "selftest::changed_value_is_told_apart",
            changed_value_is_told_apart,
        ),
        Trial::test(
            "selftest::other_message_in_carrier_is_told_apart",
            other_message_in_carrier_is_told_apart,
        ),
        Trial::test(
            "selftest::lost_failure_is_told_apart",
            lost_failure_is_told_apart,
        ),
    ]
}
