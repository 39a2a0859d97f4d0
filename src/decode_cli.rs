//! `mikeyconf decode` and `mikeyconf trace` on the command line: the MIKEY messages of an
//! input printed field by field (text, JSON, or the editable `.msg.yaml` description), and a
//! session trace built from captures; the work is the library's ([`mikeyconf::Engine::decode_path`],
//! [`mikeyconf::Engine::build_trace`]).

use super::{configured_engine, Common, DecodeFormat};
use mikeyconf::{escape_controls, Engine};
use std::path::{Path, PathBuf};

/// A path as written into a trace at `out` (relative to its folder when possible).
fn relative_to(path: &Path, out: Option<&Path>) -> String {
    let Some(dir) = out.and_then(Path::parent) else {
        return path.display().to_string();
    };
    let (abs, base) = (std::path::absolute(path), std::path::absolute(dir));
    match (abs, base) {
        (Ok(a), Ok(b)) => a
            .strip_prefix(&b)
            .map_or(a.display().to_string(), |r| r.display().to_string()),
        _ => path.display().to_string(),
    }
}

pub fn build_trace(
    hars: &[PathBuf],
    pcaps: &[PathBuf],
    terminal: Option<&str>,
    resolve: &[String],
    out: Option<&Path>,
    common: &Common,
) -> Result<i32, String> {
    let engine = judging_nothing(common)?;
    let mut sources = mikeyconf::TraceSources::default();
    sources.hars = (hars.iter())
        .map(|h| (relative_to(h, out), h.clone()))
        .collect();
    sources.pcaps = pcaps.to_vec();
    sources.terminal = terminal.map(str::to_string);
    for r in resolve {
        let (n, a) = r
            .split_once('=')
            .ok_or_else(|| format!("--resolve {r}: expected NAME=ADDR"))?;
        sources.resolve.insert(n.to_string(), a.to_string());
    }
    let text = engine.build_trace(&sources).map_err(|e| e.to_string())?;
    match out {
        Some(o) => std::fs::write(o, text).map_err(|e| format!("{}: {e}", o.display()))?,
        None => out!("{text}"),
    }
    Ok(0)
}

/// The engine of a command that judges nothing (`decode`, `trace`): its settings and
/// keyring are used; a selection means nothing to it, but a pattern naming no rule is still
/// refused, as `check` and `spec` refuse it, rather than taken without a word.
fn judging_nothing(common: &Common) -> Result<Engine, String> {
    let (engine, _) = configured_engine(common, false)?;
    Ok(engine)
}

pub fn decode(
    path: &Path,
    format: DecodeFormat,
    as_kind: Option<&str>,
    common: &Common,
) -> Result<i32, String> {
    let engine = judging_nothing(common)?;
    let kind = as_kind.map(mikeyconf::Kind::named);
    let found = (engine.decode_path(path, kind.as_ref())).map_err(|e| e.to_string())?;
    for note in found.notes() {
        eprintln!(
            "note: {}: {}",
            escape_controls(&path.display().to_string()),
            escape_controls(note)
        );
    }
    let standalone = found.container() == "mikey";
    let mut clean = true;
    let mut text = String::new();
    let mut json = Vec::new();
    if !standalone {
        text.push_str(&format!(
            "{}{}: {}, {} MIKEY message(s)\n",
            if matches!(format, DecodeFormat::Spec) {
                "# "
            } else {
                ""
            },
            path.display(),
            found.container(),
            found.messages().len()
        ));
    }
    for m in found.messages() {
        let at = match (m.line(), m.column()) {
            (Some(l), Some(c)) => format!(" at {l}:{c}"),
            _ => String::new(),
        };
        if let Some(e) = m.error() {
            clean = false;
            let why = format!("not a MIKEY message: {e}");
            text.push_str(&match format {
                DecodeFormat::Spec => format!("---\n# {}{at}: {why}\n", m.place()),
                _ => format!("\n{}{at}: {why}\n", m.place()),
            });
            let mut j = m.location().clone();
            j["error"] = why.into();
            json.push(j);
            continue;
        }
        clean &= m.is_clean();
        match format {
            DecodeFormat::Text => {
                if !standalone {
                    text.push_str(&format!("\n{}{at}\n", m.place()));
                }
                text.push_str(&m.to_text());
                if let Some(ring) = &common.keys {
                    text.push_str(&format!("  With the keyring {}:\n", ring.display()));
                    for (step, result) in m.keyring_steps() {
                        text.push_str(&format!("    {step}: {result}\n"));
                    }
                }
            }
            DecodeFormat::Json => {
                let mut tree = m.to_json();
                if common.keys.is_some() {
                    let steps: Vec<serde_json::Value> = (m.keyring_steps().iter())
                        .map(|(step, result)| serde_json::json!({"step": step, "result": result}))
                        .collect();
                    tree["keyring"] = steps.into();
                }
                if standalone {
                    json.push(tree);
                } else {
                    let mut j = m.location().clone();
                    j["message"] = tree;
                    json.push(j);
                }
            }
            DecodeFormat::Spec => {
                let spec = m.to_spec_yaml().map_err(|e| {
                    let place = if standalone {
                        String::new()
                    } else {
                        format!(" [{}]", m.place())
                    };
                    format!("{}{place}{at}: {e}", path.display())
                })?;
                if !standalone {
                    text.push_str(&format!("---\n# {}{at}\n", m.place()));
                }
                text.push_str(&spec);
            }
        }
    }
    match format {
        DecodeFormat::Json if standalone => outln!(
            "{}",
            serde_json::to_string_pretty(&json[0]).map_err(|e| e.to_string())?
        ),
        DecodeFormat::Json => {
            let out = serde_json::json!({
                "input": path.display().to_string(),
                "container": found.container(),
                "messages": json,
            });
            outln!(
                "{}",
                serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
            )
        }
        DecodeFormat::Text | DecodeFormat::Spec => out!("{text}"),
    }
    Ok(if clean { 0 } else { 1 })
}
