//! The whole checking engine on arbitrary bytes (XML detection, parsing, schema validation,
//! rules, embedded MIKEY), read as detected and as two forced kinds, then rendered in every
//! format. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::render;

fuzz_target!(|data: &[u8]| {
    let engine = Engine::shared_builtin();
    let results = vec![
        engine.check("fuzz", data, None),
        engine.check("fuzz", data, Some("msk-response")),
        engine.check("fuzz", data, Some("ltkm")),
    ];
    let _ = render::text::render(&results, &engine.rules);
    let _ = render::json::render(&results);
    let _ = render::junit::render(&results);
});
