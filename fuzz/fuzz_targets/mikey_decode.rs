//! MIKEY decoder: never panics, and a cleanly decoded message re-encodes to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mikeyconf::internals::mikey;

/// Decodes `bytes`, renders the result both ways, and checks the round trip when clean.
fn decode_and_check(bytes: &[u8]) {
    let d = mikey::decode(bytes);
    let _ = mikey::render::to_text_tree(&d);
    let _ = mikey::render::to_json(&d);
    if d.is_clean() {
        let msg = d.message.as_ref().expect("is_clean implies a message");
        let again = mikey::encode(msg);
        assert!(
            again == bytes,
            "clean decode does not re-encode to the input:\n in: {}\nout: {}",
            hex(bytes),
            hex(&again)
        );
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fuzz_target!(|data: &[u8]| {
    decode_and_check(data);
    // The input loader (raw / hex / base64 / SDP); what it yields goes through the decoder too.
    if let Ok((bytes, _format)) = mikey::input::load(data) {
        if bytes != data {
            decode_and_check(&bytes);
        }
    }
});
