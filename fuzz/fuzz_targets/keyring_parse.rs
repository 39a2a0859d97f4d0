//! The keyring reader (`--keys FILE`, docs/keyring.md) and the profile reader (`--profile`)
//! on arbitrary text; a keyring that loads is then used to check the real Streamwide CSK
//! message, so the crypto rules run with whatever keys it holds. Must never panic, and an
//! error must never quote key material (the message names the field, not its value).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mikeyconf::engine::Engine;

const CSK: &str = include_str!("../../vectors/mikey/real/streamwide-csk.b64");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = mikeyconf::profile::Profile::parse("fuzz.yaml", text);
    let keys = match mikeyconf::keyring::parse(text, "fuzz.yaml") {
        Ok(k) => k,
        Err(e) => {
            let _ = e.to_string();
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
