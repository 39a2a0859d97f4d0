#!/usr/bin/env python3
"""Writes the vectors that pin the session fold's compact state (src/checks/trace/fold.rs,
step.rs, terminals.rs; README "Mutation testing"): MBMS MSK and MTK messages built field by
field (shared/reference/mikey-wire-format.md: the common header, the Key ID extension of
TS 33.246 (EXT type 3), T, KEMAC) and their verification messages (data type 1: the CSB ID and
T of what they answer, then V), laid out as classic pcaps of UDP datagrams on port 2269 (as
tools/gen-pushes-pcap.py writes them) or as session traces with FLUTE objects. No key is
used: the KEMAC and V octets are fixed filler, which no rule run without a keyring reads.
Standard library only; deterministic. The sidecar .yaml files (expected outcomes) are
written by hand.

    tools/make-fold-state-vectors.py      (from the repository root)
"""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BSM = "203.0.113.5"
KEMAC = bytes.fromhex("000200108254c329a92850f6d539dd376f4816ee0162c66a7a5dd70c3146618063c344e531e6d4b59e")
V_MAC = bytes.fromhex("00014c94485e0c21ae6c41ce1dfe7b6bfaceea5ab68e")
DOMAIN = bytes.fromhex("b8709d")
MSK = bytes.fromhex("68c90000")


def key_ids(domain=DOMAIN, msk=MSK, mtk=None):
    """The Key ID extension's entries: (type, length, value) for each ID present."""
    out = b""
    for kind, value in ((0, domain), (1, msk), (2, mtk)):
        if value is not None:
            out += bytes([kind, len(value)]) + value
    return out


def t_payload(nxt, t):
    """T: (0, ntp) an NTP-UTC timestamp (8 octets), (2, n) a COUNTER (4 octets)."""
    kind, value = t
    return bytes([nxt, kind]) + (struct.pack("!Q", value) if kind in (0, 1) else struct.pack("!I", value))


def push(csb, t=None, v=False, **ids):
    """An MSK message (an MTK message when `mtk` is given): HDR, EXT, [T], KEMAC."""
    ext = key_ids(**ids)
    after_ext = 5 if t else 1
    body = struct.pack("!BBH", after_ext, 3, len(ext)) + ext
    if t:
        body += t_payload(1, t)
    body += KEMAC
    return struct.pack("!BBBBIBB", 1, 0, 21, 0x80 if v else 0, csb, 0, 1) + body


def verification(csb, t=None):
    """A verification message (data type 1): HDR, [T], V."""
    first = 5 if t else 9
    body = t_payload(9, t) if t else b""
    return struct.pack("!BBBBIBB", 1, 1, first, 0, csb, 0, 1) + body + V_MAC


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def pcap(name, frames):
    """frames: (source, destination, UDP payload), one second apart."""
    eth = b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00"
    with open(os.path.join(ROOT, "vectors", "pcap", name + ".pcap"), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, (src, dst, msg) in enumerate(frames):
            udp = struct.pack("!HHHH", 2269, 2269, 8 + len(msg), 0) + msg
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0, ip4(src), ip4(dst))
            p = eth + ip + udp
            f.write(struct.pack("<IIII", 1_700_000_000 + i, 0, len(p), len(p)) + p)


FDT = ('<?xml version="1.0" encoding="UTF-8"?>\\n<FDT-Instance xmlns="urn:ietf:params:xml:ns:fdt"'
       ' Expires="3600000000">\\n  <File TOI="1" Content-Location="http://example.com/show.3gp"'
       ' Content-Type="video/3gpp"/>\\n  <File TOI="{toi}" Content-Location="http://example.com/show.mtk"'
       ' Content-Type="application/mikey"/>\\n</FDT-Instance>\\n')


def flute_trace(name, comment, objects):
    """A session trace of FLUTE events, one MTK object each, a minute apart."""
    lines = [f"# {comment}", "trace: 1", "events:"]
    for i, msg in enumerate(objects):
        toi = i + 2
        fdt = FDT.format(toi=toi).replace('"', '\\"')
        lines += [f"- at: '2026-11-22T10:0{i}:00Z'", "  flute:", "    session: flute-1",
                  f'    fdt: "{fdt}"', "    objects:", f"      {toi}:", f"        hex: {msg.hex()}"]
    with open(os.path.join(ROOT, "vectors", "trace", name + ".trace.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")


T7 = (0, 0xE8F0_0000_0000_0000)
T8 = (0, 0xE8F0_0001_0000_0000)
T9 = (0, 0xE8F0_0002_0000_0000)

# The MTK message goes to one terminal, not to a group; another terminal's verification with
# its CSB ID and T answers nothing of its own (Key::is_multicast).
pcap("unicast-mtk-answered-by-another-terminal", [
    (BSM, "10.0.0.7", push(0x5000, T7, mtk=b"\x00\x01")),
    ("10.0.0.8", BSM, verification(0x5000, T7)),
])
# multicast-mtk-verified with limits.session_window = 1: the group keeps its one MTK message.
pcap("multicast-mtk-verified-window-1", [
    (BSM, "239.1.1.1", push(0x6000, T7, mtk=b"\x00\x01")),
    ("10.0.0.7", BSM, verification(0x6000, T7)),
])
# An MSK message without the V flag, answered all the same: answered already, not an MTK's.
pcap("msk-without-v-flag-verified", [
    (BSM, "10.0.0.7", push(0x3000, T7)),
    ("10.0.0.7", BSM, verification(0x3000, T7)),
])
# Two MSK messages, then a verification answering neither, with limits.session_window = 2:
# both are still known, so it answers nothing (Delivered::present, the history's bound).
pcap("verification-answering-nothing-within-window", [
    (BSM, "10.0.0.7", push(0x3000, T7)),
    (BSM, "10.0.0.7", push(0x3001, T8)),
    ("10.0.0.7", BSM, verification(0x3002, T9)),
])
# An MSK message with the V flag and no T, and a verification with its CSB ID and an NTP-UTC
# T of 0: the T differs (none against 0), so it is paired by CSB ID alone.
pcap("verification-t-zero-answers-push-without-t", [
    (BSM, "10.0.0.7", push(0x3000, None, v=True)),
    ("10.0.0.7", BSM, verification(0x3000, (0, 0))),
])
# FLUTE MTK objects under one MSK with a counter and no MTK ID: the counter goes back.
flute_trace("mtk-counter-without-mtk-id",
            "Two MTK objects under MSK 68c90000 without MTK IDs, counters 5 then 3 (tools/make-fold-state-vectors.py).",
            [push(0x5000, (2, 5), mtk=None), push(0x5001, (2, 3), mtk=None)])
# An MTK message without an MSK ID, then one with MSK ID 0: two streams, not one.
flute_trace("mtk-msk-absent-against-zero",
            "An MTK object without an MSK ID (counter 5), then one under MSK ID 00000000 (counter 3) (tools/make-fold-state-vectors.py).",
            [push(0x5000, (2, 5), msk=None, mtk=b"\x00\x01"), push(0x5001, (2, 3), msk=b"\0\0\0\0", mtk=b"\x00\x01")])
# A datagram to the terminal that is no MIKEY message (it has no CSB ID), then a verification
# with CSB ID 0 and no T: it answers nothing (Delivered::csb_id of a message without one).
pcap("verification-csb-zero-after-undecodable-push", [
    (BSM, "10.0.0.7", bytes.fromhex("ff00ff00ff00ff00")),
    ("10.0.0.7", BSM, verification(0, None)),
])
# With limits.session_window = 1: an MTK object under MSK 68c90000 without MTK ID or counter
# keeps no counter state, so the MTK messages under MSK 68c90001 after it are judged.
flute_trace("mtk-without-counter-keeps-no-stream",
            "An MTK object under MSK 68c90000 with neither MTK ID nor T, then two under MSK 68c90001 with MTK IDs 1 and 2 and counters 5 and 6 (tools/make-fold-state-vectors.py).",
            [push(0x5000, None, msk=bytes.fromhex("68c90000"), mtk=None),
             push(0x5001, (2, 5), msk=bytes.fromhex("68c90001"), mtk=b"\0\0\0\1"),
             push(0x5002, (2, 6), msk=bytes.fromhex("68c90001"), mtk=b"\0\0\0\2")])
