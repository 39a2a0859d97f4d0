#!/usr/bin/env python3
"""A stand-in BSM for tests: HTTP/1.1 on 127.0.0.1 with Digest authentication (RFC 7616:
MD5 or SHA-256, qop=auth), answering the TS 33.246 key-management requests
(POST /keymanagement?requesttype=register | deregister | msk-request, 6.3.2) with the XML
responses of existing vectors, and pushing an LTKM over UDP to the address a registration
came from (OMA BCAST 5.1.6.10.4), as a BSM does. Standard library only; loopback only.

Shared by the tests of several issues (tests/http_capture.rs; tests/active.rs probes it with
mikeyconf probe) and by
tools/bsm-digest/capture.sh, which records `curl -v` transcripts against it.

    bsm.py [--port N] [--user B-TID] [--password BASE64-MRK] [--algorithm MD5|SHA-256]
           [--response FILE.xml] [--status CODE] [--redirect]
           [--push-hex HEX --push-port N --push-count N --udp-port N] [--tls-cert PEM --tls-key PEM]

--tls-cert/--tls-key serve HTTPS instead (tests/bsm/tls holds a test CA, ca.pem, and the
certificate it issued to 127.0.0.1 and localhost, valid for 100 years; the CA's key was
deleted once it had signed). --port 0 picks a free port. Once listening it prints
`listening on 127.0.0.1:PORT` (and `udp on 127.0.0.1:PORT`) on stdout. Without --response, each requesttype is answered with
the response of vectors/trace/http/{register,ltkm-request,deregister}.http; with it, every
authenticated POST gets that file's body and the --status code (200 by default), so a
failing BSM can be staged. --redirect first answers POST /keymanagement with 307 to
/bsm/keymanagement (what curl -L follows). The connection is kept alive (HTTP/1.1). It
serves until killed.
"""
import argparse
import hashlib
import http.server
import os
import socket
import ssl
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "..", "vectors", "trace", "http")
# requesttype -> (media type of the response, the .http vector whose response is sent)
ANSWERS = {
    "register": ("application/mbms-register-response+xml", "register.http"),
    "msk-request": ("application/mbms-msk-response+xml", "ltkm-request.http"),
    "deregister": ("application/mbms-register-response+xml", "deregister.http"),
}
REALM = "3GPP-bootstrapping@127.0.0.1"
HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}


def response_body(path):
    """The body of the response in an .http vector (the second message of the file)."""
    data = open(path, "rb").read()
    at = data.index(b"\r\nHTTP/1.1 ") + 2
    head_end = data.index(b"\r\n\r\n", at) + 4
    head = data[at:head_end].decode()
    length = next(int(l.split(":", 1)[1]) for l in head.split("\r\n")
                  if l.lower().startswith("content-length:"))
    return data[head_end:head_end + length]


def digest_params(value):
    """The name=value pairs of Digest credentials (quoted or token values)."""
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


class Bsm(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bsm-standin/1.0"
    opts = None
    nonces = set()

    def h(self, text):
        return HASHES[self.opts.algorithm](text.encode()).hexdigest()

    def verifies(self, method, header):
        """RFC 7616 3.4.1: response = H(H(A1):nonce:nc:cnonce:qop:H(A2))."""
        o, p = self.opts, digest_params(header or "")
        if (p.get("username") != o.user or p.get("nonce") not in self.nonces
                or p.get("qop") != "auth"
                or p.get("algorithm", "MD5").upper() != o.algorithm):
            return False
        ha1 = self.h(f"{o.user}:{REALM}:{o.password}")
        ha2 = self.h(f"{method}:{p.get('uri', '')}")
        want = self.h(f"{ha1}:{p['nonce']}:{p.get('nc', '')}:{p.get('cnonce', '')}:auth:{ha2}")
        return p.get("response") == want

    def reply(self, status, headers, body=b""):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        o = self.opts
        if o.redirect and self.path.startswith("/keymanagement"):
            return self.reply(307, [("Location", "/bsm" + self.path)])
        if not self.verifies("POST", self.headers.get("Authorization")):
            nonce = os.urandom(16).hex()
            self.nonces.add(nonce)
            challenge = (f'Digest realm="{REALM}", nonce="{nonce}", '
                         f'algorithm={o.algorithm}, qop="auth"')
            return self.reply(401, [("WWW-Authenticate", challenge)])
        if o.response:
            media, body = "application/mbms-register-response+xml", open(o.response, "rb").read()
            return self.reply(o.status, [("Content-Type", media)], body)
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        kind = (query.get("requesttype") or [""])[0]
        if kind not in ANSWERS:
            return self.reply(400, [])
        media, vector = ANSWERS[kind]
        self.reply(o.status, [("Content-Type", media)],
                   response_body(os.path.join(VECTORS, vector)))
        if kind == "register" and o.push_hex:
            # After the registration, the LTKM goes to the address it came from (--push-count
            # times: a flooding BSM).
            for _ in range(o.push_count):
                self.server.udp.sendto(bytes.fromhex(o.push_hex),
                                       (self.client_address[0], o.push_port))

    def log_message(self, *args):
        pass


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--port", type=int, default=0)
    a.add_argument("--user", default="Rq+E4nBbHDs1sTX+@bsf.operator.com")
    a.add_argument("--password", default="c2VjcmV0LW1yay1ieXRlcw==")
    a.add_argument("--algorithm", default="MD5", choices=sorted(HASHES))
    a.add_argument("--response")
    a.add_argument("--status", type=int, default=200)
    a.add_argument("--redirect", action="store_true")
    a.add_argument("--push-hex")
    a.add_argument("--push-port", type=int, default=2269)
    a.add_argument("--push-count", type=int, default=1)
    a.add_argument("--udp-port", type=int, default=0)
    a.add_argument("--tls-cert")
    a.add_argument("--tls-key")
    Bsm.opts = a.parse_args()
    server = http.server.HTTPServer(("127.0.0.1", Bsm.opts.port), Bsm)
    if Bsm.opts.tls_cert:
        # HTTPS (tests/bsm/tls: a test CA and the certificate it issued to 127.0.0.1).
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(Bsm.opts.tls_cert, Bsm.opts.tls_key)
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.udp.bind(("127.0.0.1", Bsm.opts.udp_port))
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    print(f"udp on 127.0.0.1:{server.udp.getsockname()[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
