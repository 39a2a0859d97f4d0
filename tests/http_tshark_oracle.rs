//! tshark as an oracle for HTTP in captures (issue 21): on every capture vector, the HTTP
//! messages tshark's reassembly finds (`-Y http`, with out-of-order segments reassembled)
//! are the ones mikeyconf reads (`exchange::stream`): in each frame, the same request methods,
//! response codes and Content-Length values. Skipped, saying so, when tshark is absent (with
//! MIKEYCONF_REQUIRE_ALL=1 it fails instead: .ci/run installs it).

use mikeyconf::internals::exchange::stream::Collector;
use mikeyconf::internals::exchange::{Message, StartLine};
use mikeyconf::internals::settings::Settings;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Per frame, the messages that complete in it: `POST 455`, `200 811`, `200 -` (no length).
type Messages = BTreeMap<usize, Vec<String>>;

fn message(m: &Message) -> Option<String> {
    let what = match &m.start {
        StartLine::Request { method, .. } if !method.is_empty() => method.clone(),
        StartLine::Response { status, .. } if *status != 0 => status.to_string(),
        _ => return None, // the half a capture does not hold
    };
    Some(format!(
        "{what} {}",
        m.header("content-length").map_or("-", str::trim)
    ))
}

fn ours(file: &Path) -> Messages {
    let settings = Settings::load(None, &[]).unwrap();
    let mut http = Collector::new(&settings.http);
    let mut found = Vec::new();
    let bytes = std::fs::read(file).unwrap();
    let capture =
        mikeyconf::internals::pcap::stream_observed(&bytes[..], &[], &mut |_| {}, &mut |f| {
            http.frame(f);
            found.extend(http.take_ready());
        })
        .unwrap();
    http.finish(capture.frames);
    found.extend(http.take_ready());
    let mut out = Messages::new();
    for c in found {
        if let (Some(frame), Some(m)) = (c.request_frame, message(&c.exchange.request)) {
            out.entry(frame).or_default().push(m);
        }
        if let Some(m) = message(&c.exchange.response) {
            out.entry(c.frame).or_default().push(m);
        }
    }
    out.values_mut().for_each(|v| v.sort());
    out
}

fn tshark(file: &Path) -> Messages {
    let out = Command::new("tshark")
        .arg("-r")
        .arg(file)
        .args([
            "-o",
            "tcp.reassemble_out_of_order:TRUE",
            "-Y",
            "http",
            "-T",
            "fields",
        ])
        .args(["-e", "frame.number", "-e", "http.request.method"])
        .args(["-e", "http.response.code", "-e", "http.content_length"])
        .output()
        .expect("tshark runs");
    // A capture cut off in a packet makes tshark exit non-zero after printing the frames
    // before the cut, as mikeyconf reads them.
    let mut messages = Messages::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let list = |i: usize| -> Vec<&str> {
            cols.get(i)
                .filter(|c| !c.is_empty())
                .map_or(Vec::new(), |c| c.split(',').collect())
        };
        let frame: usize = cols[0].parse().unwrap();
        let (methods, codes) = (list(1), list(2));
        // Lengths in message order; a message without one (chunked) has none in the list,
        // which only a frame of one message may lack.
        let lengths = list(3);
        let whats: Vec<&str> = methods.into_iter().chain(codes).collect();
        for (i, what) in whats.iter().enumerate() {
            let length = if lengths.len() == whats.len() {
                lengths[i]
            } else {
                assert!(lengths.is_empty() && whats.len() == 1, "{file:?} {line}");
                "-"
            };
            messages
                .entry(frame)
                .or_default()
                .push(format!("{what} {length}"));
        }
    }
    messages.values_mut().for_each(|v| v.sort());
    messages
}

fn captures(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            captures(&p, out);
        } else if p.extension().is_some_and(|e| e == "pcap" || e == "pcapng") {
            out.push(p);
        }
    }
}

#[test]
fn tshark_and_mikeyconf_read_the_same_http_messages_from_every_capture_vector() {
    if Command::new("tshark").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("MIKEYCONF_REQUIRE_ALL").is_none(),
            "tshark is not installed, and CI must run this test"
        );
        eprintln!("SKIPPED: tshark is not installed (apt-get install tshark)");
        return;
    }
    let mut files = Vec::new();
    captures(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors"),
        &mut files,
    );
    files.sort();
    let mut with_http = 0;
    let mut differ = Vec::new();
    for file in &files {
        let (a, b) = (ours(file), tshark(file));
        if a.is_empty() && b.is_empty() {
            continue;
        }
        with_http += 1;
        if a != b {
            differ.push(format!(
                "{}:\n  mikeyconf {a:?}\n  tshark    {b:?}",
                file.display()
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    assert!(with_http >= 9, "{with_http} capture vectors with HTTP");
}
