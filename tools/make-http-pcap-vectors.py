#!/usr/bin/env python3
"""Writes the HTTP-in-capture vectors vectors/pcap/http-*.pcap: TCP connections between a
terminal (10.0.0.7) and a BSM (203.0.113.5:8080) carrying the exchanges the stand-in BSM
(tests/bsm/bsm.py) makes — its Digest challenge, and the responses of vectors/trace/http/ —
laid out as segments to exercise the reassembly: keep-alive, pipelining, a chunked body,
segments out of order, retransmissions, a request left without response, TLS, and a
deregistration that omits a registered service. Standard library only; deterministic.

    tools/make-http-pcap-vectors.py      (from the repository root)
"""
import hashlib
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
HTTP = os.path.join(ROOT, "vectors", "trace", "http")
OUT = os.path.join(ROOT, "vectors", "pcap")
TERMINAL, BSM = "10.0.0.7", "203.0.113.5"
USER, PASSWORD = "Rq+E4nBbHDs1sTX+@bsf.operator.com", "c2VjcmV0LW1yay1ieXRlcw=="
REALM = "3GPP-bootstrapping@127.0.0.1"
# The UDP LTKM with the V flag the BSM pushes after the registration, and its verification
# (vectors/trace/complete-session.trace.yaml).
LTKM = bytes.fromhex(
    "010015800000300000010505000201000b02000000030610000102030405060708090a0b0c0d0e0f0100001062"
    "736d2e6f70657261746f722e636f6d000200108254c329a92850f6d539dd376f4816ee0162c66a7a5dd70c31"
    "46618063c344e531e6d4b59e")
VERIFICATION = bytes.fromhex("0101050000003000000109020000000300014c94485e0c21ae6c41ce1dfe7b6bfaceea5ab68e")


def split_http(name):
    """The request and the response of an .http vector, as sent."""
    data = open(os.path.join(HTTP, name), "rb").read()
    at = data.index(b"\r\nHTTP/1.1 ") + 2
    return data[:at], data[at:]


def head_and_body(msg):
    head, _, rest = msg.partition(b"\r\n\r\n")
    length = next(int(l.split(b":")[1]) for l in head.split(b"\r\n")
                  if l.lower().startswith(b"content-length:"))
    return head, rest[:length]


def digest(uri, n):
    md5 = lambda s: hashlib.md5(s.encode()).hexdigest()
    nonce = hashlib.sha256(b"nonce%d" % n).hexdigest()[:32]
    cnonce = hashlib.sha256(b"cnonce%d" % n).hexdigest()[:32]
    ha1, ha2 = md5(f"{USER}:{REALM}:{PASSWORD}"), md5(f"POST:{uri}")
    resp = md5(f"{ha1}:{nonce}:00000001:{cnonce}:auth:{ha2}")
    challenge = f'Digest realm="{REALM}", nonce="{nonce}", algorithm=MD5, qop="auth"'
    creds = (f'Digest username="{USER}", realm="{REALM}", nonce="{nonce}", uri="{uri}", '
             f'cnonce="{cnonce}", nc=00000001, qop=auth, response="{resp}", algorithm=MD5')
    return challenge, creds


def exchange_pair(name, uri, n):
    """curl --digest against the stand-in: an empty POST answered 401, then the request with
    credentials answered with the vector's response. Returns [(request, response)] x 2."""
    req, resp = split_http(name)
    head, body = head_and_body(req)
    ctype = next(l for l in head.split(b"\r\n") if l.lower().startswith(b"content-type:"))
    challenge, creds = digest(uri, n)
    first = (f"POST {uri} HTTP/1.1\r\nHost: {BSM}:8080\r\nUser-Agent: curl/7.88.1\r\n"
             f"Accept: */*\r\n").encode() + ctype + b"\r\nContent-Length: 0\r\n\r\n"
    r401 = (f"HTTP/1.1 401 Unauthorized\r\nServer: bsm-standin/1.0\r\n"
            f"WWW-Authenticate: {challenge}\r\nContent-Length: 0\r\n\r\n").encode()
    second = (f"POST {uri} HTTP/1.1\r\nHost: {BSM}:8080\r\nAuthorization: {creds}\r\n"
              f"User-Agent: curl/7.88.1\r\nAccept: */*\r\n").encode() + ctype + \
        b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    rhead, rbody = head_and_body(resp)
    lines = rhead.split(b"\r\n")
    r200 = b"\r\n".join([lines[0], b"Server: bsm-standin/1.0"] + lines[1:]) + b"\r\n\r\n" + rbody
    return [(first, r401), (second, r200)]


def chunked(resp, sizes):
    """The response with its body in chunks of the given sizes (the rest in the last)."""
    head, body = head_and_body(resp)
    lines = [l for l in head.split(b"\r\n") if not l.lower().startswith(b"content-length:")]
    out, at = b"\r\n".join(lines + [b"Transfer-Encoding: chunked"]) + b"\r\n\r\n", 0
    for size in sizes + [len(body)]:
        piece = body[at:at + size]
        if piece:
            out += b"%x\r\n" % len(piece) + piece + b"\r\n"
        at += len(piece)
    return out + b"0\r\n\r\n"


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def frame(src, dst, proto, transport):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(transport), 0, 0x4000, 64, proto, 0,
                     ip4(src), ip4(dst))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    return eth + ip + transport


def tcp(src, sport, dst, dport, seq, ack, flags, payload=b""):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4,
                      flags, 65535, 0, 0)
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 6, len(hdr) + len(payload))
    hdr = hdr[:16] + struct.pack("!H", checksum(pseudo + hdr + payload)) + hdr[18:]
    return frame(src, dst, 6, hdr + payload)


def udp(src, sport, dst, dport, payload):
    hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, len(hdr) + len(payload))
    hdr = hdr[:6] + struct.pack("!H", checksum(pseudo + hdr + payload) or 0xFFFF)
    return frame(src, dst, 17, hdr + payload)


SYN, FIN, RST, PSH, ACK = 0x02, 0x01, 0x04, 0x08, 0x10


class Conn:
    """One TCP connection; segments are recorded, then laid out in the order a vector needs."""

    def __init__(self, cport, sport=8080, cseq=1000, sseq=0xFFFFFF00):
        self.c, self.s = (TERMINAL, cport), (BSM, sport)
        self.cseq, self.sseq = cseq, sseq  # next sequence numbers (the server's wraps 2^32)
        self.frames = []
        self.frames.append(tcp(*self.c, *self.s, self.cseq, 0, SYN))
        self.frames.append(tcp(*self.s, *self.c, self.sseq, self.cseq + 1, SYN | ACK))
        self.cseq += 1
        self.sseq += 1
        self.frames.append(tcp(*self.c, *self.s, self.cseq, self.sseq, ACK))

    def segments(self, up, data, cuts=()):
        """The segments of `data` sent one way, cut at the given offsets; not yet recorded."""
        src, dst = (self.c, self.s) if up else (self.s, self.c)
        seq = self.cseq if up else self.sseq
        ack = self.sseq if up else self.cseq
        bounds = [0] + list(cuts) + [len(data)]
        out = [tcp(*src, *dst, seq + a, ack, PSH | ACK, data[a:b]) for a, b in zip(bounds, bounds[1:])]
        if up:
            self.cseq += len(data)
        else:
            self.sseq += len(data)
        return out

    def send(self, up, data, cuts=()):
        self.frames += self.segments(up, data, cuts)

    def close(self):
        self.frames.append(tcp(*self.c, *self.s, self.cseq, self.sseq, FIN | ACK))
        self.frames.append(tcp(*self.s, *self.c, self.sseq, self.cseq + 1, FIN | ACK))
        self.frames.append(tcp(*self.c, *self.s, self.cseq + 1, self.sseq + 1, ACK))


def push_and_verify():
    return [udp(BSM, 2269, TERMINAL, 2269, LTKM), udp(TERMINAL, 2269, BSM, 2269, VERIFICATION)]


def pcap(name, frames):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for i, f in enumerate(frames):
        out += struct.pack("<IIII", 1_700_000_000 + i, 0, len(f), len(f)) + f
    open(os.path.join(OUT, name), "wb").write(out)
    print(f"wrote vectors/pcap/{name} ({len(frames)} frames)")


def main():
    reg = "/keymanagement?requesttype=register"
    msk = "/keymanagement?requesttype=msk-request"
    dereg = "/keymanagement?requesttype=deregister"

    # Keep-alive: the Digest challenge and the registration on one connection.
    c = Conn(40000)
    for req, resp in exchange_pair("register.http", reg, 1):
        c.send(True, req)
        c.send(False, resp)
    c.close()
    pcap("http-keep-alive.pcap", c.frames + push_and_verify())

    # Pipelining: the registration and the MSK request sent back to back in one segment,
    # then both responses in one segment.
    (_, _), (r1, p1) = exchange_pair("register.http", reg, 1)
    (_, _), (r2, p2) = exchange_pair("ltkm-request.http", msk, 2)
    c = Conn(40001)
    c.send(True, r1 + r2)
    c.send(False, p1 + p2)
    c.close()
    pcap("http-pipelined.pcap", c.frames + push_and_verify())

    # Chunked: the registration response in three chunks over two segments.
    c = Conn(40002)
    c.send(True, r1)
    body = chunked(p1, [100, 300])
    c.send(False, body, [len(body) // 2])
    c.close()
    pcap("http-chunked.pcap", c.frames + push_and_verify())

    # Out of order: the request in three segments sent 1, 3, 2; the response's two the other
    # way round. The server's sequence numbers cross 2^32.
    c = Conn(40003)
    up = c.segments(True, r1, [200, 500])
    down = c.segments(False, p1, [400])
    c.frames += [up[0], up[2], up[1], down[1], down[0]]
    c.close()
    pcap("http-out-of-order.pcap", c.frames + push_and_verify())

    # Retransmission: a request segment sent twice, and a response segment sent again
    # overlapping the next one (new octets after the overlap).
    c = Conn(40004)
    up = c.segments(True, r1, [300])
    down = c.segments(False, p1, [300, 600])
    again = Conn.__new__(Conn)
    again.__dict__.update(c.__dict__)
    seq0 = c.sseq - len(p1)
    overlap = tcp(BSM, 8080, TERMINAL, 40004, seq0 + 250, c.cseq, PSH | ACK, p1[250:450])
    c.frames += [up[0], up[0], up[1], down[0], overlap, down[1], down[1], down[2]]
    c.close()
    pcap("http-retransmission.pcap", c.frames + push_and_verify())

    # A request left without response: the capture ends before the deregistration is
    # answered.
    (_, _), (r3, _) = exchange_pair("deregister.http", dereg, 3)
    c = Conn(40005)
    c.send(True, r1)
    c.send(False, p1)
    c.send(True, r3)
    pcap("http-lone-request.pcap", c.frames + push_and_verify())

    # TLS: the registration over HTTPS (port 443): a ClientHello record, unreadable.
    c = Conn(40006, sport=443)
    hello = bytes.fromhex("16030100310100002d0303") + bytes(32) + bytes.fromhex("0000020035010000")
    c.send(True, hello)
    c.close()
    # And TLS on an HTTP port: the same record to port 8080.
    d = Conn(40008)
    d.send(True, hello)
    d.close()
    pcap("http-tls.pcap", c.frames + d.frames + push_and_verify())

    # Two services registered, the deregistration lists one (BCAST-DEREG-01 fails).
    (_, _), (r4, p4) = exchange_pair("register-two.http", reg, 4)
    (_, _), (r5, p5) = exchange_pair("deregister.http", dereg, 5)
    c = Conn(40007)
    c.send(True, r4)
    c.send(False, p4)
    c.send(True, r5)
    c.send(False, p5)
    c.close()
    pcap("http-dereg-omits-service.pcap", c.frames + push_and_verify())

    # The registration answered with a media type the kind does not have (HTTP-CT-01).
    c = Conn(40009)
    c.send(True, r1)
    c.send(False, p1.replace(b"application/mbms-register-response+xml", b"text/xml", 1))
    c.close()
    pcap("http-wrong-content-type.pcap", c.frames + push_and_verify())

    # A registration that agrees HTTP delivery only, then an LTKM pushed over UDP
    # (BCAST-DLV-04T); the terminal may ignore it, so it sends no verification.
    (_, _), (r6, p6) = exchange_pair("register-http-only.http", reg, 6)
    c = Conn(40010)
    c.send(True, r6)
    c.send(False, p6)
    c.close()
    pcap("http-ltkm-not-agreed.pcap", c.frames + push_and_verify()[:1])


if __name__ == "__main__":
    main()
