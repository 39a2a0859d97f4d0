//! The keyring reader (`--keys FILE`, docs/keyring.md) and the profile reader (`--profile`)
//! on arbitrary text; a keyring that loads is then used to check the real Streamwide CSK
//! message, so the crypto rules run with whatever keys it holds. Must never panic, and an
//! error must never quote key material (the message names the field, not its value).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mikeyconf::internals::engine::Engine;

const CSK: &str = include_str!("../../vectors/mikey/real/streamwide-csk.b64");

/// Every run of 16 or more hex digits in the input: what could be key material.
fn hex_runs(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_hexdigit())
        .filter(|run| run.len() >= 16)
        .collect()
}

/// An error message quotes none of the input's possible key material.
fn assert_quotes_no_key(text: &str, message: &str) {
    for run in hex_runs(text) {
        assert!(
            !message.contains(run),
            "the error quotes key material {run}: {message}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = mikeyconf::internals::profile::Profile::parse("fuzz.yaml", text) {
        assert_quotes_no_key(text, &e);
    }
    let keys = match mikeyconf::internals::keyring::parse(text, "fuzz.yaml") {
        Ok(k) => k,
        Err(e) => {
            assert_quotes_no_key(text, &e.to_string());
            return;
        }
    };
    let mut settings = Engine::shared_builtin().settings.clone();
    settings.keys = Some(std::sync::Arc::new(keys));
    let rules = Engine::shared_builtin().rules.clone();
    if let Ok(engine) = Engine::new(settings, rules, false) {
        let _ = engine.check("fuzz", CSK.as_bytes(), Some("csk-download"));
    }
});
