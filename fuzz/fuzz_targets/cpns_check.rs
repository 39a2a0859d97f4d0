//! The CPNS group-key trace reader on arbitrary bytes (YAML or JSON Lines), then the key life
//! and every CPNS rule, with the results rendered. Must never panic, and never print a key
//! (the reader refuses key material).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::render;

fuzz_target!(|data: &[u8]| {
    let engine = Engine::shared_builtin();
    let results = vec![
        engine.check_cpns("fuzz", data),
        engine.check("fuzz", data, None),
    ];
    let _ = render::text::render(&results, &engine.rules);
    let _ = render::json::render(&results);
    let _ = render::sarif::render(&results, &engine.rules);
});
