//! SIP input on arbitrary bytes, read as SIP whatever it looks like: the scanner (framing,
//! folded headers, multipart split on bytes, message/sip recursion, base64 MIKEY bodies), the
//! SIP, MIKEY and XML rules on what it finds, rendered in every format. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::render;

fuzz_target!(|data: &[u8]| {
    let engine = Engine::shared_builtin();
    let results = vec![engine.check("fuzz", data, Some("sip"))];
    let _ = render::text::render(&results, &engine.rules);
    let _ = render::json::render(&results);
    let _ = render::sarif::render(&results, &engine.rules);
});
