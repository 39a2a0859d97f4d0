#!/bin/sh
# Regenerates the seed corpora fuzz/corpus/{xml_check,mikey_decode}/ (git-ignored) from
# vectors/: XML vectors are copied, MIKEY vectors decoded (.hex/.b64) or encoded (.msg.yaml)
# by the crate itself through fuzz/examples/seed.rs. Run from anywhere; safe to re-run (it
# only adds or overwrites files, it never removes what fuzzing has added to a corpus).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cargo run --quiet --release --manifest-path "$here/Cargo.toml" --example seed -- \
    "$here/../vectors" "$here/corpus"
# The example captures (a HAR and a pcap) seed the engine target too.
cp "$here/../examples/session/capture.har" "$here/corpus/xml_check/example-capture.har"
cp "$here/../examples/session/pushes.pcap" "$here/corpus/xml_check/example-pushes.pcap"
# One corpus per parser target: the exchanges, the captures and the traces of vectors/ and
# examples/ (the engine corpus already holds them all).
mkdir -p "$here/corpus/capture_check" "$here/corpus/pcap_check" "$here/corpus/trace_check"
cp "$here"/../vectors/exchange/*.http "$here"/../vectors/exchange/*.har "$here/corpus/capture_check/"
cp "$here/../examples/session/capture.har" "$here/corpus/capture_check/"
cp "$here/../examples/session/pushes.pcap" "$here/corpus/pcap_check/"
cp "$here"/../vectors/trace/*.trace.yaml "$here/corpus/trace_check/"
# SIP: the text vectors and the example captures of the MCVideo exchange.
mkdir -p "$here/corpus/sip_check"
cp "$here"/../vectors/sip/*.sip "$here"/../vectors/sip/*.txt "$here/corpus/sip_check/"
cp "$here"/../examples/sip/*.pcap "$here/corpus/pcap_check/"
# The CPNS group-key traces (YAML and JSON Lines).
mkdir -p "$here/corpus/cpns_check"
cp "$here"/../vectors/cpns/*.cpns.yaml "$here"/../vectors/cpns/*.cpns.jsonl "$here/corpus/cpns_check/"
# Keyrings and profiles (the keyring_parse target reads both).
mkdir -p "$here/corpus/keyring_parse"
cp "$here"/../examples/keys/*.yaml "$here"/../vectors/mikey/crypto/keys/*.yaml "$here"/../examples/profiles/*.yaml \
    "$here/corpus/keyring_parse/"
# Change requests for `mikeyconf spec`: the first byte picks the reader (0 .txt, 1 .md, 2 .docx).
mkdir -p "$here/corpus/spec_check"
for f in "$here"/../vectors/spec/cr/*.txt "$here"/../vectors/spec/rules/*.txt; do
  { printf '\000'; cat "$f"; } > "$here/corpus/spec_check/$(basename "$f")"
done
for f in "$here"/../vectors/spec/rules/*.md; do
  { printf '\001'; cat "$f"; } > "$here/corpus/spec_check/$(basename "$f")"
done
for f in "$here"/../vectors/spec/docx/*.docx; do
  { printf '\002'; cat "$f"; } > "$here/corpus/spec_check/$(basename "$f")"
done
