#!/usr/bin/env bash
# Produces vectors/exchange/mitmproxy-11-register.har with real tools: curl sends the
# registration request through mitmdump (reverse proxy, HAR dump) to a stand-in BSM on
# 127.0.0.1. Needs: pip install mitmproxy (11.x), curl, python3. Everything stays on loopback.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../vectors/exchange/mitmproxy-11-register.har}
work=$(mktemp -d)
# The request and response bodies of the conformant raw vector.
python3 - "$here/../../vectors/exchange/register-http-agreed.http" "$work" <<'PY'
import sys
raw = open(sys.argv[1], 'rb').read().decode()
head, rest = raw.split('\r\n\r\n', 1)
req, resp = rest.split('HTTP/1.1 200 OK', 1)
open(sys.argv[2] + '/req.xml', 'w').write(req)
open(sys.argv[2] + '/rsp.xml', 'w').write(resp.split('\r\n\r\n', 1)[1])
PY
python3 "$here/bsm_stub.py" 18081 "$work/rsp.xml" & srv=$!
mitmdump --mode reverse:http://127.0.0.1:18081 --listen-host 127.0.0.1 -p 18082 --set hardump="$out" -q & mitm=$!
trap 'kill $srv 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 4
curl -s -o /dev/null -X POST -H "Content-Type: application/mbms-register+xml" \
  -H "User-Agent: mbms-ue/1.0 3gpp-gba" --data-binary @"$work/req.xml" \
  "http://127.0.0.1:18082/keymanagement?requesttype=register"
sleep 1
kill -INT $mitm; wait $mitm || true
echo "wrote $out"
