#!/usr/bin/env bash
# Benchmarks mikeyconf against its peers on the same inputs, one hyperfine run per shape,
# and prints the ratios. Not a test: timings depend on the machine and its load, so run it
# on an otherwise idle machine (no fuzzer, no build).
#
#   1. corpus: 10 000 registration responses (~640 B each) in one folder
#              mikeyconf check DIR  vs  cat DIR/*  vs  xmllint --noout --schema DIR/*
#   2. big:    one ~15 MB registration response (100 000 Responses)
#              mikeyconf check  vs  xmllint --noout --schema
#   3. small:  one small registration response, process start included
#              mikeyconf check  vs  xmllint --noout --schema
#   4. pcap:   200 000 MBMS MSK pushes (~44 MB), fresh counters
#              mikeyconf check  vs  tshark -V -d udp.port==2269,mikey; peak RSS of both
#   5. formats: the corpus of 1. reported as text, JSON, SARIF and JUnit (each format's time
#              over the text report's; target <= 1.5), and each report's size
#   6. findings: peak RSS of a SARIF report of 1 000 inputs of 2 001 findings each
# With --formats, only 5. and 6. With --1g, also a 1 GB capture of MSK pushes to 100 terminals: mikeyconf's time and peak
# RSS under /usr/bin/time -v.
#
# Needs: hyperfine, xmllint (libxml2-utils), tshark, python3. Run from the repository root.
# MIKEYCONF_BIN=path measures that binary instead of building one.
set -euo pipefail
mode=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The static build on x86-64 Linux (`cargo build-static`, .cargo/config.toml): what the
# figures are for. Elsewhere the `dist` profile (Cargo.toml). MIKEYCONF_BIN overrides both.
if [ -n "${MIKEYCONF_BIN:-}" ]; then
  bin=$(realpath "$MIKEYCONF_BIN")
elif [ "$(uname -sm)" = "Linux x86_64" ]; then
  cargo build-static -q
  bin=$PWD/target/x86_64-unknown-linux-gnu/dist/mikeyconf
else
  cargo build --profile dist -q
  bin=$PWD/target/dist/mikeyconf
fi
drivers=$PWD/schemas/drivers
python3 - "$work" <<'PY'
import os, sys
work = sys.argv[1]
ns = "urn:3GPP:metadata:2005:MBMS:securityRegistrationResponse"
bcast = "urn:oma:xml:bcast:pr:orderqueries:1.0"
def response(i, n=1):
    rs = "".join(
        f"  <Response>\n    <serviceID>urn:3gpp:mbms:example:service:identification:{i:06d}{k:06d}</serviceID>\n"
        f"    <ResponseCode>200 OK</ResponseCode>\n  </Response>\n" for k in range(n))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<mbmsSecurityRegisterResponse xmlns="{ns}" xmlns:bcast="{bcast}">\n'
            f"{rs}  <bcast:RegistrationResponseExtension>\n    <bcast:LTKMDelivery>\n      <bcast:Type>0</bcast:Type>\n"
            f"    </bcast:LTKMDelivery>\n  </bcast:RegistrationResponseExtension>\n</mbmsSecurityRegisterResponse>\n")
os.makedirs(f"{work}/corpus")
for i in range(10000):
    with open(f"{work}/corpus/r{i:05d}.xml", "w") as f:
        f.write(response(i))
with open(f"{work}/big.xml", "w") as f:
    f.write(response(0, 100000))
with open(f"{work}/small.xml", "w") as f:
    f.write(response(1))
# 2 003 Types (0, 1, 2, 0, ...) in one LTKMDelivery: 2 000 repeats (BCAST-TYPE-03) and one
# more finding per input.
types = "".join(f"<Type>{i % 3}</Type>" for i in range(2003))
request = ('<mbmsSecurityRegister xmlns="urn:3GPP:metadata:2005:MBMS:securityRegistration" '
           'xmlns:bcast="urn:oma:xml:bcast:pr:orderqueries:1.0"><serviceID>urn:3gpp:mbms:example:service:identification:1</serviceID>'
           f"<bcast:RegistrationRequestExtension><LTKMDelivery>{types}</LTKMDelivery></bcast:RegistrationRequestExtension></mbmsSecurityRegister>\n")
os.makedirs(f"{work}/findings")
for i in range(1000):
    with open(f"{work}/findings/t{i:04d}.xml", "w") as f:
        f.write(request)
PY
if [ "$mode" != --formats ]; then
python3 tools/gen-pushes-pcap.py "$work/pushes.pcap" 200000 1
ls -l "$work/corpus/r00000.xml" "$work/big.xml" "$work/pushes.pcap" | awk '{print $5, $9}'

hyperfine -N --warmup 2 --runs 10 --export-json "$work/corpus.json" \
  -n mikeyconf "$bin check $work/corpus" \
  -n cat "bash -c 'cat $work/corpus/* > /dev/null'" \
  -n xmllint "bash -c 'xmllint --noout --schema $drivers/registration-response.xsd $work/corpus/*.xml 2>/dev/null'"
hyperfine -N --warmup 1 --runs 10 --export-json "$work/big.json" \
  -n mikeyconf "$bin check $work/big.xml" \
  -n xmllint "xmllint --noout --schema $drivers/registration-response.xsd $work/big.xml"
hyperfine -N --warmup 20 --runs 300 --export-json "$work/small.json" \
  -n mikeyconf "$bin check $work/small.xml" \
  -n xmllint "xmllint --noout --schema $drivers/registration-response.xsd $work/small.xml"
hyperfine --warmup 1 --runs 3 --export-json "$work/pcap.json" \
  -n mikeyconf "$bin check $work/pushes.pcap > /dev/null" \
  -n "tshark -V" "tshark -n -r $work/pushes.pcap -d udp.port==2269,mikey -V > /dev/null"
fi

hyperfine -N --warmup 2 --runs 10 --export-json "$work/formats.json" \
  -n text "$bin check $work/corpus" \
  -n json "$bin check --format json $work/corpus" \
  -n sarif "$bin check --format sarif $work/corpus" \
  -n junit "$bin check --format junit $work/corpus"

rss() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
echo
if [ "$mode" != --formats ]; then
echo "peak RSS, pcap of 200 000 pushes: mikeyconf $(rss "$bin" check "$work/pushes.pcap") KB," \
  "tshark -V $(rss tshark -n -r "$work/pushes.pcap" -d udp.port==2269,mikey -V) KB"
fi
echo "peak RSS, SARIF of 1 000 inputs x 2 001 findings:" \
  "$(rss "$bin" check --format sarif "$work/findings") KB"
for f in text json sarif junit; do
  echo "report size, corpus as $f: $("$bin" check --format $f "$work/corpus" | wc -c) bytes"
done

python3 - "$work" "$mode" <<'PY'
import json, sys
work, mode = sys.argv[1], sys.argv[2]
def median(name, cmd):
    r = {x["command"]: x for x in json.load(open(f"{work}/{name}.json"))["results"]}
    return r[cmd]["median"]
print()
print("| shape | mikeyconf | peer | ratio (peer / mikeyconf) |")
print("|---|---|---|---|")
shapes = [("corpus", ["cat", "xmllint"]), ("big", ["xmllint"]), ("small", ["xmllint"]), ("pcap", ["tshark -V"])]
for shape, peers in shapes if mode != "--formats" else []:
    m = median(shape, "mikeyconf")
    for p in peers:
        t = median(shape, p)
        print(f"| {shape} | {m*1000:.1f} ms | {p} {t*1000:.1f} ms | {t/m:.2f} |")
print()
print("| corpus as | median | user + sys | ratio to text (median) | ratio to text (user + sys) |")
print("|---|---|---|---|---|")
r = {x["command"]: x for x in json.load(open(f"{work}/formats.json"))["results"]}
cpu = lambda x: x["user"] + x["system"]
for f in ["text", "json", "sarif", "junit"]:
    x, t = r[f], r["text"]
    print(f"| {f} | {x['median']*1000:.1f} ms | {cpu(x)*1000:.1f} ms | {x['median']/t['median']:.2f} | {cpu(x)/cpu(t):.2f} |")
PY

if [ "${1:-}" = "--1g" ]; then
  python3 tools/gen-pushes-pcap.py "$work/1g.pcap" 4900000 100
  ls -l "$work/1g.pcap" | awk '{print $5, $9}'
  /usr/bin/time -v "$bin" check "$work/1g.pcap" 2>&1 >/dev/null | grep -E "Elapsed|Maximum resident"
fi

# With --sessions: the session engine's bounds (issue 21, docs/scale.md), one JSON object a
# line: 200 000 pushes to one terminal and to 50 terminals with a stale counter at push
# 150 001 (MBMS-KEY-01 must fail at that frame; peak RSS under 64 MiB), and one datagram to
# each of 10 000, 100 000 and 1 000 000 terminals (time per datagram within 1.5x, peak RSS
# under 256 MiB). CPU seconds are given beside the elapsed ones: on a shared machine they
# are the steadier measure, and 10 000 datagrams are mostly process start.
if [ "${1:-}" = "--sessions" ] || [ "${2:-}" = "--sessions" ]; then
  session_row() {  # NAME PCAP DATAGRAMS
    local out="$work/$1.json" stats="$work/$1.time"
    /usr/bin/time -f "%e %U %S %M" -o "$stats" "$bin" check --format json "$2" > "$out" || true
    python3 - "$1" "$out" "$stats" "$3" <<'PY'
import json, sys
name, out, stats, datagrams = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
secs, user, sys_, rss = open(stats).read().split()[-4:]
cpu = float(user) + float(sys_)
r = json.load(open(out))["results"][0]
key01 = [f.get("where") or f.get("location", {}).get("context") for f in r.get("findings", []) if f["rule"] == "MBMS-KEY-01"]
incomplete = [o["rule"] for o in r.get("rules", []) if o.get("verdict") == "incomplete"]
print(json.dumps({"shape": name, "datagrams": datagrams, "seconds": float(secs),
                  "cpu_seconds": round(cpu, 2),
                  "us_per_datagram": round(float(secs) * 1e6 / datagrams, 2),
                  "cpu_us_per_datagram": round(cpu * 1e6 / datagrams, 2),
                  "peak_rss_mib": round(int(rss) / 1024, 1), "verdict": r["verdict"],
                  "key01_at": key01[:3], "incomplete": incomplete}))
PY
  }
  python3 tools/gen-pushes-pcap.py "$work/stale1.pcap" 200000 1 150001
  session_row pushes-200k-one-terminal-stale "$work/stale1.pcap" 200000
  python3 tools/gen-pushes-pcap.py "$work/stale50.pcap" 200000 50 150001
  session_row pushes-200k-50-terminals-stale "$work/stale50.pcap" 200000
  python3 tools/gen-pushes-pcap.py "$work/t10k.pcap" 10000 10000
  session_row one-each-10k-terminals "$work/t10k.pcap" 10000
  python3 tools/gen-pushes-pcap.py "$work/t100k.pcap" 100000 100000
  session_row one-each-100k-terminals "$work/t100k.pcap" 100000
  rm -f "$work"/stale1.pcap "$work"/stale50.pcap "$work"/t100k.pcap
  python3 tools/gen-pushes-pcap.py "$work/t1m.pcap" 1000000 1000000
  session_row one-each-1m-terminals "$work/t1m.pcap" 1000000
fi
