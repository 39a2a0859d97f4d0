//! The session trace reader on arbitrary bytes (YAML or JSON, inline HTTP, UDP, SMS and
//! FLUTE events), then every event's rules and the session rules. File references resolve
//! against a folder that does not exist. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::render;

fuzz_target!(|data: &[u8]| {
    let engine = Engine::shared_builtin();
    let results =
        vec![engine.check_trace("fuzz", data, std::path::Path::new("/nonexistent-fuzz-base"))];
    let _ = render::text::render(&results, &engine.rules);
    let _ = render::json::render(&results);
    let _ = render::sarif::render(&results, &engine.rules);
});
