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
        let ring = mikeyconf::internals::keyring::load(&root.join(keys)).expect("keyring");
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
        let ring = mikeyconf::internals::keyring::load(&root.join(keys)).expect("keyring");
        for s in ring.secrets() {
            assert!(forms(s).iter().any(|f| text.contains(f)), "{keys}");
        }
    }
}

/// Key material written in every plausible wrong shape, in every file that may hold or be
/// mistaken for one (`--keys`, `--settings`, `--profile`, `--config`): the error names the
/// file, the place and the field, and neither output shows the key (as `RawKeyring` errors
/// once did: `invalid type: string "5ec2e7…3210", expected struct RawKeyring`).
#[test]
fn no_error_about_a_file_quotes_the_key_in_it() {
    const KEY: &str = "5ec2e7a1b2c3d4e5f60718293a4b3210";
    let ok = "000102030405060708090a0b0c0d0e0f";
    let yaml_shapes = [
        format!("{KEY}\n"),
        format!("\"{KEY}\"\n"),
        format!("psk: {KEY}\n"),
        format!("psk: [{KEY}, {KEY}]\n"),
        format!("- {KEY}\n- {KEY}\n"),
        format!("psk:\n  - key: {ok}\n    csb_id: {KEY}\n"),
        format!("psk:\n  - key: {ok}\n    csb_id: 0x{KEY}\n"),
        format!("psk:\n  - key: {{{KEY}: 1}}\n"),
        format!("psk:\n  - key: [{KEY}]\n"),
        format!("psk:\n  - {KEY}\n"),
        format!("expect: {KEY}\n"),
        format!("expect:\n  - csb_id: {KEY}\n    key: {ok}\n"),
        format!("{KEY}: 1\n"),
        format!("key: {KEY}\n"),
        format!("participating_psi: [{KEY}]\n"),
        format!("users:\n  - uri: a\n    kms: {KEY}\n"),
        format!("kms:\n  - uri: {KEY}\n    kpak: {KEY}\n    z: 1\n    user_key_period: 1\n  - uri: {KEY}\n    kpak: 1\n    z: 1\n    user_key_period: 1\n"),
        format!("role: {KEY}\n"),
        format!("role: bm-sc\nsupports:\n  {KEY}: true\n"),
        format!("limits: {KEY}\n"),
        format!("limits:\n  max_bytes: {KEY}\n"),
        format!("psk:\n  - key: {ok}\n    csb_id: 1\n    name: {KEY}\n    extra: {KEY}\n"),
    ];
    let toml_shapes = [
        format!("{KEY}\n"),
        format!("select = \"{KEY}\"\n"),
        format!("select = [\"{KEY}\"]\n"),
        format!("ignore = [\"{KEY}\"]\n"),
        format!("{KEY} = 1\n"),
        format!("format = \"{KEY}\"\n"),
        format!("[settings]\nlimits = \"{KEY}\"\n"),
        format!("strict = \"{KEY}\"\n"),
    ];
    let dir = std::env::temp_dir().join(format!("mikeyconf-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = "vectors/xml/registration-response/valid-http-ltkms.xml";
    let mut checked = 0;
    for (shapes, options) in [
        (&yaml_shapes[..], &["--keys", "--settings", "--profile"][..]),
        (&toml_shapes[..], &["--config"][..]),
    ] {
        for (i, text) in shapes.iter().enumerate() {
            let file = dir.join(format!("shape-{i}.yaml"));
            std::fs::write(&file, text).unwrap();
            let f = file.to_str().unwrap();
            for option in options {
                let out = run(&["check", "--no-config", option, f, input]);
                let out = if *option == "--config" {
                    run(&["check", option, f, input])
                } else {
                    out
                };
                for form in [KEY.to_string(), KEY.to_uppercase(), KEY[..16].to_string()] {
                    assert!(
                        !out.contains(&form),
                        "{option} with\n{text}\nshows the key:\n{out}"
                    );
                }
                if out.contains(f) {
                    checked += 1; // an error that names the file
                }
            }
        }
    }
    assert!(
        checked >= 40,
        "most shapes are errors naming the file: {checked}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
