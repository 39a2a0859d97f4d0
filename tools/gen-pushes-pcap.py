#!/usr/bin/env python3
"""Writes a classic pcap of MBMS MSK pushes for benchmarks: the DBC MSK message
(vectors/mikey/real/dbc-mbms-msk-vendor-a.hex) from the BM-SC 203.0.113.5:2269 to
`terminals` terminals (10.x.y.z:2269), round robin, each with its own counter 1, 2, 3, ...
(fresh: no finding expected), except push STALE (1-based) when given, whose counter repeats
its terminal's previous one (one MBMS-KEY-01 finding, at that frame).
Usage: gen-pushes-pcap.py OUT COUNT [TERMINALS [STALE]]"""
import struct, sys

out, count = sys.argv[1], int(sys.argv[2])
terminals = int(sys.argv[3]) if len(sys.argv) > 3 else 1
stale = int(sys.argv[4]) if len(sys.argv) > 4 else 0
msg = bytearray(bytes.fromhex(open("vectors/mikey/real/dbc-mbms-msk-vendor-a.hex").read().replace("\n", "")))
COUNTER = 27  # the T payload's 4-octet counter (mikeyconf decode shows its offset)
eth = b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00"
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i in range(count):
        t, n = i % terminals, i // terminals + 1
        if i + 1 == stale:
            n -= 1
        msg[COUNTER:COUNTER + 4] = struct.pack("!I", n & 0xFFFFFFFF)
        udp = struct.pack("!HHHH", 2269, 2269, 8 + len(msg), 0) + msg
        dst = bytes([10, (t >> 16) & 0xFF, (t >> 8) & 0xFF, t & 0xFF])
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, 64, 17, 0, bytes([203, 0, 113, 5]), dst)
        p = eth + ip + udp
        f.write(struct.pack("<IIII", 1_700_000_000 + i // 1000, (i % 1000) * 1000, len(p), len(p)) + p)
