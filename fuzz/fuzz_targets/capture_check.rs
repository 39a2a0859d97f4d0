//! HTTP exchange input on arbitrary bytes, read as an exchange whatever it looks like: raw
//! HTTP/1.1 (httparse, chunked bodies, multipart), HAR JSON and curl -v transcripts, then the
//! payload, MIKEY and exchange rules, rendered in every format. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::render;

fuzz_target!(|data: &[u8]| {
    let engine = Engine::shared_builtin();
    let results = vec![engine.check("fuzz", data, Some("http-exchange"))];
    let _ = render::text::render(&results, &engine.rules);
    let _ = render::json::render(&results);
    let _ = render::sarif::render(&results, &engine.rules);
});
