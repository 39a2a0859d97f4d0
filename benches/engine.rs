//! Criterion benchmarks of the two hot paths: decoding a MIKEY message, and judging a small
//! registration response (engine built once). Run with `cargo bench`; `tools/bench.sh`
//! compares the whole binary with xmllint and tshark.

use criterion::{criterion_group, criterion_main, Criterion};
use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::rules::RuleSet;
use mikeyconf::internals::settings::Settings;
use std::hint::black_box;

fn root(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn decode(c: &mut Criterion) {
    let hex =
        std::fs::read_to_string(root("vectors/mikey/real/dbc-mbms-msk-vendor-a.hex")).unwrap();
    let msg = hex::decode(hex.split_whitespace().collect::<String>()).unwrap();
    c.bench_function("mikey decode (MBMS MSK message, 162 octets)", |b| {
        b.iter(|| mikeyconf::internals::mikey::decode(black_box(&msg)))
    });
}

fn judge(c: &mut Criterion) {
    let settings = Settings::load(None, &[]).unwrap();
    let rules = RuleSet::builtin(&settings).unwrap();
    let engine = Engine::new(settings, rules, false).unwrap();
    let xml = std::fs::read(root(
        "vectors/xml/registration-response/valid-http-ltkms.xml",
    ))
    .unwrap();
    c.bench_function("check a registration response (1 KB, two LTKMs)", |b| {
        b.iter(|| engine.check("r.xml", black_box(&xml), None))
    });
    c.bench_function("engine start-up (settings, rules, schemas)", |b| {
        b.iter(|| {
            let settings = Settings::load(None, &[]).unwrap();
            let rules = RuleSet::builtin(&settings).unwrap();
            Engine::new(settings, rules, false).unwrap()
        })
    });
}

criterion_group!(benches, decode, judge);
criterion_main!(benches);
