//! The session trace reader on arbitrary bytes (YAML or JSON, inline HTTP, UDP, SMS and
//! FLUTE events), then every event's rules and the session rules. File references resolve
//! against a folder that does not exist. Must never panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mikeyconf::engine::Engine;
use mikeyconf::render;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin(false).expect("the built-in engine builds"))
}

fuzz_target!(|data: &[u8]| {
    let engine = engine();
    let results = vec![engine.check_trace("fuzz", data, std::path::Path::new("/nonexistent-fuzz-base"))];
    let _ = render::text::render(&results, &engine.rules);
    let _ = render::json::render(&results);
    let _ = render::sarif::render(&results, &engine.rules);
});
