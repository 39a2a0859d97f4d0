#!/usr/bin/env python3
"""A stand-in BSM on 127.0.0.1 with HTTP Digest authentication (RFC 2617, MD5, qop=auth).

It challenges a request without valid credentials with 401 and a Digest challenge, and
answers an authenticated POST with 200 and the registration response given on the command
line (with the status --status=CODE gives, 200 by default, so a failing BSM can be
staged). With --redirect, a POST to /keymanagement is first sent on with 307 to /bsm/keymanagement
(what `curl -L` follows, keeping the method and the body). HTTP/1.1 with keep-alive, so curl
re-uses the connection. Loopback only; it serves until killed.

    bsm_digest.py PORT RESPONSE.xml USER PASSWORD [--redirect] [--status=CODE]
"""
import hashlib
import http.server
import os
import sys

PORT, RSP_FILE, USER, PASSWORD = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
REDIRECT = "--redirect" in sys.argv[5:]
STATUS = int(next((a[9:] for a in sys.argv[5:] if a.startswith("--status=")), "200"))
RSP = open(RSP_FILE, "rb").read()
REALM = "3GPP-bootstrapping@127.0.0.1"
NONCES = set()


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def digest_params(value):
    """The name=value pairs of a Digest credentials header (quoted or token values)."""
    if not value.startswith("Digest "):
        return {}
    out, rest = {}, value[len("Digest "):]
    while rest:
        name, _, rest = rest.lstrip(" ,").partition("=")
        if rest.startswith('"'):
            val, _, rest = rest[1:].partition('"')
        else:
            val, _, rest = rest.partition(",")
        out[name.strip()] = val.strip()
    return out


def verifies(method, header):
    p = digest_params(header or "")
    if p.get("username") != USER or p.get("nonce") not in NONCES or p.get("qop") != "auth":
        return False
    ha1 = md5(f"{USER}:{REALM}:{PASSWORD}")
    ha2 = md5(f"{method}:{p.get('uri', '')}")
    want = md5(f"{ha1}:{p['nonce']}:{p.get('nc', '')}:{p.get('cnonce', '')}:auth:{ha2}")
    return p.get("response") == want


class Bsm(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bsm-digest/1.0"

    def reply(self, status, headers, body=b""):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if REDIRECT and self.path.startswith("/keymanagement"):
            self.reply(307, [("Location", "/bsm" + self.path)])
        elif not verifies("POST", self.headers.get("Authorization")):
            nonce = os.urandom(16).hex()
            NONCES.add(nonce)
            challenge = f'Digest realm="{REALM}", nonce="{nonce}", algorithm=MD5, qop="auth"'
            self.reply(401, [("WWW-Authenticate", challenge)])
        else:
            self.reply(STATUS, [("Content-Type", "application/mbms-register-response+xml")], RSP)

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", PORT), Bsm).serve_forever()
