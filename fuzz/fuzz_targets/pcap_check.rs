//! The capture reader on arbitrary bytes: pcap and pcapng framing (streamed through its 64 KiB
//! buffer), link layers, IPv4/IPv6, UDP, then each datagram judged by the MIKEY rules and the
//! session rules per terminal. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::render;

fuzz_target!(|data: &[u8]| {
    let engine = Engine::shared_builtin();
    let results = vec![engine.check_pcap_stream("fuzz", data)];
    let _ = render::text::render(&results, &engine.rules);
    let _ = render::json::render(&results);
    let _ = render::sarif::render(&results, &engine.rules);
});
