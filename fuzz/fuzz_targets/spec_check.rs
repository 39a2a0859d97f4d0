//! `mikeyconf spec` on arbitrary bytes: the first byte picks how the rest is read (.txt, .md
//! or .docx), then the readers, the extractor, well-formedness, the payload rules on each
//! example, the schema lint and the prose checks, with the results rendered. Must never
//! panic; bounded (document, line and inflated-part limits).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::render;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let name = match pick % 3 {
        0 => "fuzz.txt",
        1 => "fuzz.md",
        _ => "fuzz.docx",
    };
    let engine = Engine::shared_builtin();
    let results = mikeyconf::internals::spec::check_document(engine, name, body);
    let _ = render::text::render(&results, &engine.rules);
    let _ = render::json::render(&results);
    let _ = render::sarif::render(&results, &engine.rules);
});
