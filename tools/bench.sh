#!/usr/bin/env bash
# Benchmarks mikeyconf against its peers on the same inputs, in one hyperfine run each,
# and prints the ratios. Not a test: timings depend on the machine and its load.
#   XML:   mikeyconf check  vs  xmllint --schema   (a 4 MiB registration request)
#   MIKEY: mikeyconf check  vs  tshark -V          (a pcap of 20 000 MIKEY datagrams; the same
#          message repeated, so mikeyconf reports stale counters and exits 1: -i)
# Needs: hyperfine, xmllint (libxml2-utils), tshark, python3. Run from the repository root.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release -q
bin=target/release/mikeyconf
python3 - "$work" <<'PY'
import struct, sys
work = sys.argv[1]
ns = "urn:3GPP:metadata:2005:MBMS:securityRegistration"
entry = "<serviceID>urn:3gpp:mbms:example:service:identification:0123456789</serviceID>\n"
with open(f"{work}/big.xml", "w") as f:
    f.write(f'<mbmsSecurityRegister xmlns="{ns}">\n' + entry * (4 * 1024 * 1024 // len(entry)) + "</mbmsSecurityRegister>\n")
# The DBC MBMS MSK message, 20 000 times, UDP 2269, as a classic pcap.
msg = bytes.fromhex(open("vectors/mikey/real/dbc-mbms-msk-vendor-a.hex").read().replace("\n", ""))
def frame(i):
    udp = struct.pack("!HHHH", 2269, 2269, 8 + len(msg), 0) + msg
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, 64, 17, 0, bytes([203, 0, 113, 5]), bytes([10, 0, 0, 7]))
    return b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00" + ip + udp
with open(f"{work}/pushes.pcap", "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i in range(20000):
        p = frame(i)
        f.write(struct.pack("<IIII", 1_700_000_000 + i, 0, len(p), len(p)) + p)
PY
hyperfine -N --warmup 1 --runs 5 --export-markdown "$work/xml.md" \
  -n mikeyconf "$bin check --as registration-request $work/big.xml" \
  -n xmllint "xmllint --noout --schema schemas/drivers/registration-request.xsd $work/big.xml"
hyperfine -i --warmup 1 --runs 5 --export-markdown "$work/mikey.md" \
  -n mikeyconf "$bin check $work/pushes.pcap > /dev/null" \
  -n "tshark -V" "tshark -n -r $work/pushes.pcap -d udp.port==2269,mikey -V > /dev/null"
cat "$work/xml.md" "$work/mikey.md"
