//! Writes the seed corpora from the bundled vectors (run by `fuzz/seed.sh`):
//!
//! * `corpus/xml_check/`: every `vectors/xml/**/*.xml` as it is;
//! * `corpus/mikey_decode/`: every MIKEY vector as the bytes it stands for (`.hex` and `.b64`
//!   decoded, `.msg.yaml` encoded by the crate's own encoder), plus the `.hex`/`.b64` text
//!   itself so the input loader is seeded too.
//!
//! Usage: `seed VECTORS_DIR CORPUS_DIR`.

use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// `mikey/real/x.b64` -> `mikey-real-x.b64`
fn flat_name(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace(['/', '\\'], "-")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [vectors, corpus] = args.as_slice() else {
        eprintln!("usage: seed VECTORS_DIR CORPUS_DIR");
        std::process::exit(2);
    };
    let (vectors, corpus) = (Path::new(vectors), Path::new(corpus));
    let xml_dir = corpus.join("xml_check");
    let mikey_dir = corpus.join("mikey_decode");
    std::fs::create_dir_all(&xml_dir).unwrap();
    std::fs::create_dir_all(&mikey_dir).unwrap();

    let mut files = Vec::new();
    walk(vectors, &mut files);
    files.sort();
    let (mut xml, mut mikey) = (0, 0);
    for p in &files {
        let name = flat_name(vectors, p);
        let s = p.to_string_lossy();
        // XML payloads, and the capture inputs the engine also reads (raw HTTP, curl -v, HAR,
        // session traces): all go to the engine target.
        if [".xml", ".http", ".har", ".trace.yaml"]
            .iter()
            .any(|e| s.ends_with(e))
        {
            std::fs::copy(p, xml_dir.join(&name)).unwrap();
            xml += 1;
        } else if s.ends_with(".msg.yaml") || s.ends_with(".hex") || s.ends_with(".b64") {
            // The bytes the vector stands for, exactly as the suite reads them.
            let bytes = match mikeyconf::internals::suite::input_bytes(p) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("skipped {}: {e}", p.display());
                    continue;
                }
            };
            if !s.ends_with(".msg.yaml") {
                // The text form, for the input loader.
                std::fs::write(mikey_dir.join(&name), &bytes).unwrap();
                mikey += 1;
            }
            match mikeyconf::internals::mikey::input::load(&bytes) {
                Ok((raw, _)) => {
                    std::fs::write(mikey_dir.join(format!("{name}.bin")), raw).unwrap();
                    mikey += 1;
                }
                Err(e) => eprintln!("no raw bytes for {}: {e}", p.display()),
            }
        }
    }
    println!(
        "wrote {xml} seeds to {} and {mikey} to {}",
        xml_dir.display(),
        mikey_dir.display()
    );
}
