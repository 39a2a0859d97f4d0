//! No key of a keyring appears in any output: every renderer of `check` and every form of
//! `decode` but the vector-authoring `--format spec`, on messages whose keys the keyring
//! holds (so the checks derive, decrypt and compare them), is searched for each secret as
//! hex (either case) and base64.

use base64::Engine as _;
use std::path::Path;
use std::process::Command;

const CASES: &[(&str, &str, &str)] = &[
    (
        "vectors/mikey/crypto/streamwide-csk-keyed.b64",
        "vectors/mikey/crypto/keys/streamwide.keys.yaml",
        "mikey-sakke",
    ),
    (
        "vectors/mikey/crypto/streamwide-gmk-other-expected-key.b64",
        "vectors/mikey/crypto/keys/streamwide-other-gmk.keys.yaml",
        "mikey-sakke",
    ),
    (
        "vectors/mikey/crypto/msk-sealed.psk.yaml",
        "vectors/mikey/crypto/keys/mbms.keys.yaml",
        "msk",
    ),
    (
        "vectors/mikey/crypto/msk-sealed-other-expected-key.psk.yaml",
        "vectors/mikey/crypto/keys/mbms-other-msk.keys.yaml",
        "msk",
    ),
];

fn forms(secret: &[u8]) -> Vec<String> {
    let b64 = base64::engine::general_purpose::STANDARD;
    vec![
        hex::encode(secret),
        hex::encode_upper(secret),
        b64.encode(secret).trim_end_matches('=').to_string(),
    ]
}

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mikeyconf"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("mikeyconf runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn no_output_shows_a_key_of_the_keyring() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut searched = 0;
    for (input, keys, kind) in CASES {
        let ring = mikeyconf::keyring::load(&root.join(keys)).expect("keyring");
        let secrets = ring.secrets();
        assert!(!secrets.is_empty(), "{keys} holds no secret");
        let mut outputs = Vec::new();
        for format in ["text", "json", "junit", "sarif", "github", "html"] {
            outputs.push(run(&[
                "check", "--keys", keys, "--as", kind, "--format", format, input,
            ]));
        }
        for format in ["text", "json"] {
            outputs.push(run(&["decode", "--keys", keys, "--format", format, input]));
        }
        for (i, out) in outputs.iter().enumerate() {
            // GitHub annotations are empty for a message without findings.
            let github = i == 4;
            assert!(github || out.len() > 100, "no output for {input}: {out}");
            for s in &secrets {
                for f in forms(s) {
                    assert!(
                        !out.contains(&f),
                        "a key of {keys} appears in the output for {input}"
                    );
                }
            }
            searched += 1;
        }
    }
    assert_eq!(searched, CASES.len() * 8);
}

/// The search can fail: it finds every secret of each keyring in the keyring file itself.
#[test]
fn the_search_finds_keys_where_they_are() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (_, keys, _) in CASES {
        let text = std::fs::read_to_string(root.join(keys)).expect("keyring text");
        let ring = mikeyconf::keyring::load(&root.join(keys)).expect("keyring");
        for s in ring.secrets() {
            assert!(forms(s).iter().any(|f| text.contains(f)), "{keys}");
        }
    }
}
