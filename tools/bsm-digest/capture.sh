#!/usr/bin/env bash
# Produces real `curl -v` transcripts against the Digest stand-in BSM (tests/bsm/bsm.py) on
# 127.0.0.1, with curl 7.88:
#   vectors/exchange/curl-digest-register.http    --digest: a 401 challenge to curl's
#       empty-bodied first POST, then the authenticated 200 with LTKMs, on one connection;
#   vectors/exchange/curl-redirect-digest-register.http   -L --digest: a 307 to /bsm/..., then
#       the 401 and the 200 there;
#   vectors/exchange/curl-digest-two-urls.http   --digest with the registration sent to two
#       URLs: four exchanges (401, 200, 401, 200) over one re-used connection, each body after
#       its own head (curl flushes its output between transfers);
#   vectors/exchange/curl-digest-ltkm-in-503.http   --digest against a BSM that answers the
#       authenticated request 503 with the LTKMs: the finding belongs to that second exchange;
#   vectors/exchange/curl-digest-sha256-register.http   --digest against a BSM that challenges
#       with algorithm=SHA-256 (RFC 7616): curl answers with SHA-256 credentials.
# Each run is its own: `capture.sh NAME` re-records only the vector of that name.
# The credentials are the B-TID and base64 MRK of the register-http-agreed vector, so
# HTTP-AUTH-04 can verify the Digest response. Needs curl and python3; loopback only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vec=$here/../../vectors
user='Rq+E4nBbHDs1sTX+@bsf.operator.com'
pass='c2VjcmV0LW1yay1ieXRlcw=='
run() { # PORT OUTPUT [--redirect] [curl options...]
  local port=$1 out=$2 mode=$3 second=; shift 3
  if [ "${1:-}" = --twice ]; then second="http://127.0.0.1:$port/keymanagement?requesttype=register&second"; shift; fi
  # shellcheck disable=SC2086 # mode is zero or one word
  python3 "$here/../../tests/bsm/bsm.py" --port "$port" --user "$user" --password "$pass" \
    --response "$vec/xml/registration-response/valid-http-ltkms.xml" $mode >/dev/null & local srv=$!
  sleep 1
  curl -v "$@" --digest -u "$user:$pass" \
    --data-binary @"$vec/xml/registration-request/valid-udp-http.xml" \
    -H 'Content-Type: application/mbms-register+xml' \
    "http://127.0.0.1:$port/keymanagement?requesttype=register" ${second:+"$second"} >"$out" 2>&1 || true
  kill "$srv"; wait "$srv" 2>/dev/null || true
  echo "wrote $out"
}
want() { [ -z "${1:-}" ] || [ "$1" = "$2" ]; }
only=${1:-}
want "$only" curl-digest-register && run 18093 "$vec/exchange/curl-digest-register.http" ""
want "$only" curl-redirect-digest-register && run 18094 "$vec/exchange/curl-redirect-digest-register.http" --redirect -L
want "$only" curl-digest-ltkm-in-503 && run 18095 "$vec/exchange/curl-digest-ltkm-in-503.http" --status=503
want "$only" curl-digest-two-urls && run 18096 "$vec/exchange/curl-digest-two-urls.http" "" --twice
want "$only" curl-digest-sha256-register && run 18097 "$vec/exchange/curl-digest-sha256-register.http" "--algorithm SHA-256"
true
