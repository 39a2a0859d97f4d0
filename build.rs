//! Start-up without YAML: the rule tables and the default settings are parsed here, at build
//! time, and embedded as JSON, which the binary reads several times faster than it would
//! read the YAML. A table that is not valid YAML fails the build, naming the file and line;
//! its meaning (checks, kinds, selectors) is validated when the binary loads it, and the
//! tests load every built-in table. `--rules DIR` and `--settings FILE` still read YAML.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    println!("cargo:rerun-if-changed=rules");
    let mut names: Vec<_> = std::fs::read_dir("rules")
        .expect("rules/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    names.sort();
    for path in names {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).expect("readable table");
        let value: serde_json::Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not valid YAML: {e}", path.display()));
        let name = path.file_stem().expect("a file name").to_string_lossy();
        let json = serde_json::to_string(&value).expect("JSON");
        std::fs::write(Path::new(&out).join(format!("{name}.json")), json).expect("OUT_DIR");
    }
}
