#!/usr/bin/env python3
"""Writes vectors/cpns/ (CPNS group-key traces in YAML and JSON Lines, with their sidecars):
one conforming group life, and variants of it that each break one rule. Run from anywhere
(needs PyYAML); it overwrites the generated vectors and leaves the hand-written ones
(bad-action, headerless, key-material, unknown-message, seq-backwards) alone. Expected
findings are written as (rule, seq): their line and column are found in the written text."""
import json, copy, sys, os
F = {k: "sha256:" + (c * 64) for k, c in [("gk-1","1"),("gk-2","2"),("gk-3","3"),("gk-4","4")]}
def ev(seq, t, actor, msg, dir="send", peer=None, sg=None, **fields):
    e = {"seq": seq}
    if t: e["t"] = "2026-03-02T" + t + "Z"
    e["actor"] = actor
    if peer: e["peer"] = peer
    e["dir"] = dir
    e["msg"] = msg
    e["sg_id"] = sg
    if fields: e["fields"] = fields
    return e
def deliver(seq, t, pne, key):
    return ev(seq, t, "CPNS", "GroupKeyDelivery", peer="PNE:"+pne, sg="sg-1", key_id=key, key_fpr=F[key])
def inv(seq, t, key, members):
    gk = None if key is None else {"key_id": key, "key_fpr": F[key]}
    return ev(seq, t, "CPNS", "InventoryState", dir="local", sg="sg-1", group_key=gk, members=members)
def pinv(seq, t, pne, key):
    gk = None if key is None else {"key_id": key}
    return ev(seq, t, "PNE:"+pne, "InventoryState", dir="local", sg="sg-1", group_key=gk)
def deleted(seq, t, pne, key):
    return ev(seq, t, "PNE:"+pne, "GroupKeyDeleted", dir="local", sg="sg-1", key_id=key)
ALL = ["pne-a","pne-b","pne-c","pne-d"]
def life():
    return [
      ev(1,"10:00:00","PNE:pne-a","SGCreateRequest",peer="CPNS",sg_owner="pne-a",members=ALL),
      ev(2,"10:00:01","CPNS","SGCreateResponse",peer="PNE:pne-a",sg="sg-1",result="success"),
      deliver(3,"10:00:02","pne-a","gk-1"), deliver(4,"10:00:02","pne-b","gk-1"),
      deliver(5,"10:00:02","pne-c","gk-1"), deliver(6,"10:00:02","pne-d","gk-1"),
      inv(7,"10:00:03","gk-1",ALL),
      pinv(8,"10:00:04","pne-a","gk-1"), pinv(9,"10:00:04","pne-b","gk-1"),
      pinv(10,"10:00:04","pne-c","gk-1"), pinv(11,"10:00:04","pne-d","gk-1"),
      ev(12,"10:20:00","PNE:pne-b","SGActionRequest",peer="CPNS",sg="sg-1",action=4),
      ev(13,"10:20:01","CPNS","SGActionResponse",peer="PNE:pne-b",sg="sg-1",result="success"),
      deleted(14,"10:20:02","pne-b","gk-1"),
      deliver(15,"10:20:02","pne-a","gk-2"), deliver(16,"10:20:02","pne-c","gk-2"), deliver(17,"10:20:02","pne-d","gk-2"),
      inv(18,"10:20:03","gk-2",["pne-a","pne-c","pne-d"]),
      ev(19,"10:40:00","PNE:pne-a","SGActionRequest",peer="CPNS",sg="sg-1",action=1,target_pnes=["pne-c"]),
      ev(20,"10:40:01","CPNS","SGActionResponse",peer="PNE:pne-a",sg="sg-1",result="success"),
      deleted(21,"10:40:02","pne-c","gk-2"),
      deliver(22,"10:40:02","pne-a","gk-3"), deliver(23,"10:40:02","pne-d","gk-3"),
      inv(24,"10:40:03","gk-3",["pne-a","pne-d"]),
      deliver(25,"11:30:00","pne-a","gk-4"), deliver(26,"11:30:00","pne-d","gk-4"),
      inv(27,"11:30:01","gk-4",["pne-a","pne-d"]),
      ev(28,"12:00:00","PNE:pne-a","SGReleaseRequest",peer="CPNS",sg="sg-1"),
      ev(29,"12:00:01","CPNS","SGReleaseResponse",peer="PNE:pne-a",sg="sg-1",result="success"),
      ev(30,"12:00:01","CPNS","SGReleaseNotification",peer="PNE:pne-d",sg="sg-1"),
      deleted(31,"12:00:02","pne-d","gk-4"),
      inv(32,"12:00:03",None,[]),
    ]
def yaml_scalar(v):
    if v is None: return "null"
    if isinstance(v, int): return str(v)
    if isinstance(v, list): return "[" + ", ".join(yaml_scalar(x) for x in v) + "]"
    if isinstance(v, dict): return "{" + ", ".join(f"{k}: {yaml_scalar(x)}" for k, x in v.items()) + "}"
    s = str(v)
    if any(c in s for c in ":{}[],#") or s in ("null","true","false"): return json.dumps(s)
    return s
def to_yaml(events, comment):
    out = [f"# {l}" for l in comment.split("\n")] + ["cpns_trace: 1", "events:"]
    for e in events:
        first = True
        for k, v in e.items():
            if k == "sg_id" and v is None: continue
            out.append(("  - " if first else "    ") + f"{k}: {yaml_scalar(v)}")
            first = False
    return "\n".join(out) + "\n"
def to_jsonl(events):
    return "\n".join([json.dumps({"cpns_trace": 1})] + [json.dumps(e, separators=(",", ":")) for e in events]) + "\n"
def drop(events, *seqs): return [e for e in events if e["seq"] not in seqs]
def find(events, seq): return next(e for e in events if e["seq"] == seq)

def renum(events):
    for e in events: e["seq"] *= 10
    return events
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors", "cpns")
os.makedirs(OUT, exist_ok=True)
def place(text, form, seq):
    for i, l in enumerate(text.split("\n")):
        if form == "yaml" and l == f"  - seq: {seq}": return i + 1, 5
        if form == "jsonl" and l.startswith(f'{{"seq":{seq},'): return i + 1, 1
    raise Exception(f"seq {seq} not found")
def write(name, form, events, description, clause, findings=(), settings=None, outcomes=None, verdict=None, messages=None):
    text = to_yaml(events, description) if form == "yaml" else to_jsonl(events)
    ext = "cpns.yaml" if form == "yaml" else "cpns.jsonl"
    open(f"{OUT}/{name}.{ext}", "w").write(text)
    side = {"description": description, "clause": clause}
    if settings: side["settings"] = {"cpns": settings}
    fs = []
    for rule, seq, v in findings:
        line, col = place(text, form, seq)
        f = {"line": line, "column": col, "rule": rule, "verdict": v}
        if messages and rule in messages: f["message"] = messages[rule]
        fs.append(f)
    if verdict is None:
        verdict = "non-conformant" if any(v == "fail" for _, _, v in findings) else "conformant"
    exp = {"verdict": verdict, "kind": "cpns-trace", "findings": fs}
    if outcomes: exp["outcomes"] = outcomes
    side["expect"] = exp
    import yaml
    open(f"{OUT}/{name}.yaml", "w").write(yaml.safe_dump(side, sort_keys=False, width=100, allow_unicode=True))
C1, C2, C3 = "OMA CPNS CR 004 7.y.1", "OMA CPNS CR 004 7.y.2", "OMA CPNS CR 004 7.y.3"
RULES = ["CPNS-GK-01D","CPNS-GK-01S","CPNS-GK-02U","CPNS-GK-02D","CPNS-GK-02S","CPNS-GK-02X","CPNS-GK-03","CPNS-GK-04","CPNS-GK-05L","CPNS-GK-05E","CPNS-GK-05R"]
ALL_PASS = {r: "pass" for r in RULES}
L = lambda: renum(life())
write("group-life", "yaml", L(),
  "A conforming group life: SG sg-1 created by its owner pne-a with four members, the key\ndelivered to all and stored; pne-b leaves (Action 4), pne-c is expelled (Action 1), each time\na new key to the remaining members only, and the PNEs delete theirs; one periodic update;\nthe owner releases the SG, the server empties the inventory, the notified PNE deletes its key.",
  f"{C1}; {C2}; {C3}", settings={"max_key_age": 3600}, outcomes=ALL_PASS)
write("group-life-jsonl", "jsonl", L(),
  "The conforming group life of group-life.cpns.yaml in JSON Lines: the same verdicts.",
  f"{C1}; {C2}; {C3}", settings={"max_key_age": 3600}, outcomes=ALL_PASS)
# Only the messages: no local event, no inventory snapshot.
msgs = [e for e in L() if e["dir"] != "local"]
write("messages-only", "jsonl", msgs,
  "The group life as the messages alone show it (no InventoryState, no GroupKeyDeleted): the\nrules on delivery and update are judged; those on the SG Inventory and on PNE deletions are\nnot applicable, with the reason, never passed.",
  f"{C1}; {C2}; {C3}",
  outcomes={"CPNS-GK-01D": "pass", "CPNS-GK-02U": "pass", "CPNS-GK-02D": "pass", "CPNS-GK-02X": "pass",
    "CPNS-GK-01S": "not-applicable: no InventoryState of the CPNS Server follows the delivery of a Group Key after a creation: the trace does not show the SG Inventory",
    "CPNS-GK-03": "not-applicable: needs the cpns.max_key_age setting, which was not supplied",
    "CPNS-GK-04": "not-applicable: no GroupKeyDeleted or InventoryState of the CPNS Server follows a release: the trace does not show the SG Inventory",
    "CPNS-GK-05L": "not-applicable: pne-b logs no local event (GroupKeyDeleted, InventoryState): the trace cannot show a deletion"})
write("create-key-not-delivered", "yaml", drop(L(), 60),
  "After the create, the server delivers gk-1 to pne-a, pne-b and pne-c but not to pne-d.",
  C1, [("CPNS-GK-01D", 10, "fail")],
  messages={"CPNS-GK-01D": "SG sg-1 after its creation at seq 10: the Group Key gk-1 was not delivered to pne-d (members: pne-a, pne-b, pne-c, pne-d)"})
ev_ = L(); find(ev_, 70)["fields"]["group_key"] = None
write("create-key-not-stored", "jsonl", ev_,
  "After the create and the delivery of gk-1, the server's SG Inventory holds no Group Key.",
  C1, [("CPNS-GK-01S", 70, "fail")])
# Without the update pne-c still holds gk-1 when it is expelled: that is the key it deletes.
ev_ = drop(L(), 150, 160, 170, 180); find(ev_, 210)["fields"]["key_id"] = "gk-1"
write("leave-key-not-updated", "yaml", ev_,
  "pne-b leaves (Action 4); the server delivers no new key, so the remaining members keep gk-1.",
  C2, [("CPNS-GK-02U", 120, "fail")])
ev_ = drop(L(), 250, 260, 270)
find(ev_, 310)["fields"]["key_id"] = "gk-3"  # no periodic update: pne-d holds gk-3
for s in (220, 230, 240):
    k = find(ev_, s)["fields"]; k2 = k.get("group_key") or k
    k2["key_fpr"] = F["gk-2"]
write("expel-key-same-fingerprint", "jsonl", ev_,
  "After the expel of pne-c the server delivers and stores 'gk-3', but with the fingerprint of\ngk-2: the key material was not updated, only its ID (no periodic update follows before the\nrelease: the CR gives no deadline, so any new key before the SG's next change would count).",
  C2, [("CPNS-GK-02U", 190, "fail")],
  messages={"CPNS-GK-02U": "SG sg-1: after the expel (Action 1) of pne-c at seq 190, no new Group Key was delivered or held (the key in force was gk-2); gk-3 carries the fingerprint of gk-2, so it is the old key under another ID"})
write("leave-key-missing-member", "yaml", drop(L(), 170),
  "After pne-b leaves, the new key gk-2 reaches pne-a and pne-c but not pne-d.",
  C2, [("CPNS-GK-02D", 120, "fail")])
ev_ = L(); find(ev_, 180)["fields"]["group_key"] = {"key_id": "gk-1", "key_fpr": F["gk-1"]}
write("leave-key-not-stored", "jsonl", ev_,
  "After pne-b leaves and gk-2 is delivered, the server's SG Inventory still holds gk-1.",
  C2, [("CPNS-GK-02S", 180, "fail")])
ev_ = L(); ev_.insert([e["seq"] for e in ev_].index(170) + 1, deliver(175, "10:20:02", "pne-b", "gk-2"))
write("leaver-gets-new-key", "yaml", ev_,
  "After pne-b leaves, the new key gk-2 is delivered to pne-b as well (provisional: a warning).",
  C2, [("CPNS-GK-02X", 175, "warn")])
write("key-too-old", "jsonl", L(),
  "The group life with a maximum key age of 45 minutes: gk-3 stays in force from 10:40:02 to\n11:30:00 (a SHOULD: a warning at the first event past its age).",
  C2, [("CPNS-GK-03", 250, "warn")], settings={"max_key_age": 2700},
  messages={"CPNS-GK-03": "SG sg-1: the Group Key gk-3, in force since seq 220 (2026-03-02T10:40:02Z), is older than cpns.max_key_age (2700 s) at seq 250 (2026-03-02T11:30:00Z); it was replaced by gk-4 at seq 250"})
ev_ = L(); find(ev_, 320)["fields"]["group_key"] = {"key_id": "gk-4", "key_fpr": F["gk-4"]}
write("release-key-kept", "yaml", ev_,
  "The owner releases sg-1; the server's SG Inventory still holds gk-4 afterwards.",
  C3, [("CPNS-GK-04", 320, "fail")])
write("leaver-keeps-key", "jsonl", drop(L(), 140),
  "pne-b leaves and gets the response, but never deletes gk-1 (it logs its inventory, so the\ntrace could show a deletion).",
  C3, [("CPNS-GK-05L", 130, "warn")])
write("expelled-keeps-key", "yaml", drop(L(), 210),
  "pne-c is expelled; it never deletes gk-2 (reading: the expelled PNE deletes).",
  C3, [("CPNS-GK-05E", 200, "warn")],
  messages={"CPNS-GK-05E": "pne-c did not delete its Group Key of SG sg-1 after the response to the expel request (Action 1) at seq 200 (no GroupKeyDeleted of PNE:pne-c follows) [provisional: assumes the expelled PNE deletes once the SG Owner has its response (cpns.expel_deleter: expelled); the \"SG Inventory\" a PNE deletes from is its own store of the Group Key (cpns.pne_inventory: own). The expel request comes from the SG Owner, so the response goes to the Owner: the CR is ambiguous about who deletes]"})
write("expel-literal-reading", "jsonl", L(),
  "The conforming group life judged with the literal reading of 7.y.3 (cpns.expel_deleter:\nrequester): the SG Owner pne-a, which receives the response to its expel request, does not\ndelete its Group Key, and the message says which reading was taken.",
  C3, [("CPNS-GK-05E", 200, "warn")], settings={"expel_deleter": "requester"},
  messages={"CPNS-GK-05E": "pne-a did not delete its Group Key of SG sg-1 after the response to the expel request (Action 1) at seq 200 (no GroupKeyDeleted of PNE:pne-a follows) [provisional: assumes the SG Owner, which receives the response, deletes (cpns.expel_deleter: requester, the literal reading); the \"SG Inventory\" a PNE deletes from is its own store of the Group Key (cpns.pne_inventory: own). The expel request comes from the SG Owner, so the response goes to the Owner: the CR is ambiguous about who deletes]"})
write("notified-keeps-key", "yaml", drop(L(), 310),
  "pne-d receives the SGReleaseNotification but never deletes gk-4.",
  C3, [("CPNS-GK-05R", 300, "warn")])
write("pne-inventory-server", "jsonl", drop(L(), 140, 210, 310),
  "With cpns.pne_inventory: server (the SG Inventory of 7.y.3 read as the server's) the PNE\ndeletion rules are not applicable, so PNEs that keep their keys are not reported.",
  C3, settings={"pne_inventory": "server"},
  outcomes={"CPNS-GK-05L": "not-applicable: cpns.pne_inventory is server: the SG Inventory of 7.y.3 is read as the CPNS Server's, so a PNE has no deletion of its own to show",
            "CPNS-GK-05E": "not-applicable", "CPNS-GK-05R": "not-applicable"})
write("create-no-key", "jsonl", drop(L(), 30, 40, 50, 60, 70),
  "After the create the server delivers no Group Key at all (and logs no inventory): the\nfinding names every member.",
  C1, [("CPNS-GK-01D", 10, "fail")],
  messages={"CPNS-GK-01D": "SG sg-1 after its creation at seq 10: no Group Key was delivered to any member (members: pne-a, pne-b, pne-c, pne-d)"})
mid = [inv(5, "10:00:00", "gk-1", ["pne-a", "pne-b", "pne-c"])]
mid[0]["fields"]["sg_owner"] = "pne-a"
mid += [pinv(6, "10:00:01", "pne-b", "gk-1")]
mid += [e for e in L() if 120 <= e["seq"] <= 180 and e["seq"] != 170]
find(mid, 180)["fields"]["members"] = ["pne-a", "pne-c"]
write("mid-life-leave", "yaml", mid,
  "A trace that starts mid-life: the server's first InventoryState gives sg-1's owner, members\nand key gk-1; pne-b then leaves, deletes its key, and gk-2 goes to pne-a and pne-c only.",
  C2 + "; " + C3,
  outcomes={"CPNS-GK-02U": "pass", "CPNS-GK-02D": "pass", "CPNS-GK-02S": "pass", "CPNS-GK-02X": "pass",
            "CPNS-GK-05L": "pass", "CPNS-GK-01D": "not-applicable"})

# Which key a release deletes (CPNS-GK-04, -05R): the Group Key in force, gk-4. Before these,
# any GroupKeyDeleted after the release passed, whatever key it named and whatever the
# inventory held after it.
def sdeleted(seq, t, key):
    return ev(seq, t, "CPNS", "GroupKeyDeleted", dir="local", sg="sg-1", key_id=key)
def after(events, seq, *new):
    i = [e["seq"] for e in events].index(seq) + 1
    return events[:i] + list(new) + events[i:]
ev_ = after(L(), 310, sdeleted(315, "12:00:02", "gk-3"))
find(ev_, 320)["fields"]["group_key"] = {"key_id": "gk-4", "key_fpr": F["gk-4"]}
write("release-deletes-other-key", "yaml", ev_,
  "The owner releases sg-1; the server logs the deletion of gk-3, a key it replaced earlier,\nnot gk-4, the Group Key in force, and its next SG Inventory still holds gk-4.",
  C3, [("CPNS-GK-04", 320, "fail")],
  messages={"CPNS-GK-04": "SG sg-1 was released at seq 280, but the SG Inventory at seq 320 still holds gk-4, the Group Key in force"})
ev_ = drop(after(L(), 310, sdeleted(315, "12:00:02", "gk-9")), 320)
write("release-deletes-never-issued", "jsonl", ev_,
  "The owner releases sg-1; the server logs the deletion of gk-9, a key never issued for sg-1,\nand no inventory after it: nothing shows gk-4, the key in force, deleted.",
  C3, [("CPNS-GK-04", 315, "fail")],
  messages={"CPNS-GK-04": "SG sg-1 was released at seq 280, but the server deleted gk-9, a key never issued for the SG, not gk-4, the Group Key in force; nothing shows gk-4 deleted"})
ev_ = after(L(), 310, sdeleted(315, "12:00:02", "gk-4"))
find(ev_, 320)["fields"]["group_key"] = {"key_id": "gk-4", "key_fpr": F["gk-4"]}
write("release-deleted-key-still-held", "yaml", ev_,
  "The owner releases sg-1; the server logs the deletion of gk-4, the Group Key in force, but\nits next SG Inventory still holds gk-4.",
  C3, [("CPNS-GK-04", 320, "fail")],
  messages={"CPNS-GK-04": "SG sg-1 was released at seq 280, but the SG Inventory at seq 320 still holds gk-4, the Group Key in force (the server logged its deletion at seq 315)"})
ev_ = after(L(), 310, sdeleted(315, "12:00:02", "gk-4"), pinv(316, "12:00:02", "pne-d", None))
write("release-deletes-key-in-force", "jsonl", ev_,
  "The owner releases sg-1; the server logs the deletion of gk-4, the Group Key in force, and\nits next SG Inventory holds none; the notified pne-d deletes gk-4 and its inventory holds\nnone: conformant.",
  C3, outcomes={"CPNS-GK-04": "pass", "CPNS-GK-05R": "pass"})
ev_ = after(L(), 310, pinv(316, "12:00:02", "pne-d", "gk-4")); find(ev_, 310)["fields"]["key_id"] = "gk-1"
write("notified-deletes-other-key", "yaml", ev_,
  "pne-d, notified of the release, deletes gk-1 (a key it held before) instead of gk-4, and its\ninventory after still holds gk-4.",
  C3, [("CPNS-GK-05R", 316, "warn")],
  messages={"CPNS-GK-05R": "pne-d still holds its Group Key gk-4 of SG sg-1 at seq 316, after an SGReleaseNotification at seq 300 [provisional: assumes the \"SG Inventory\" a PNE deletes from is its own store of the Group Key (cpns.pne_inventory: own), the CR otherwise giving the SG Inventory to the CPNS Server]"})
ev_ = L(); find(ev_, 310)["fields"]["key_id"] = "gk-9"
write("notified-deletes-never-given", "jsonl", ev_,
  "pne-d, notified of the release, logs the deletion of gk-9, a key never given to it; nothing\nshows gk-4 deleted.",
  C3, [("CPNS-GK-05R", 310, "warn")],
  messages={"CPNS-GK-05R": "after an SGReleaseNotification at seq 300, pne-d deleted gk-9, a key never given to it, not its Group Key gk-4 of SG sg-1; nothing shows gk-4 deleted [provisional: assumes the \"SG Inventory\" a PNE deletes from is its own store of the Group Key (cpns.pne_inventory: own), the CR otherwise giving the SG Inventory to the CPNS Server]"})
ev_ = after(L(), 310, pinv(316, "12:00:02", "pne-d", "gk-4"))
write("notified-deleted-key-still-held", "jsonl", ev_,
  "pne-d, notified of the release, logs the deletion of gk-4, but its inventory after still\nholds gk-4.",
  C3, [("CPNS-GK-05R", 316, "warn")])

# Vectors added for mutation testing (README, "Mutation testing"): each pins a decision of a
# check that no vector above could tell from a mutant of it.
TWO = ["pne-a", "pne-b"]
def short_life(t0, key, sg_seq):
    """SG sg-1 created by pne-a with pne-b, its key delivered to both and stored."""
    h, s = t0, sg_seq
    return [
      ev(s,h+":00","PNE:pne-a","SGCreateRequest",peer="CPNS",sg_owner="pne-a",members=TWO),
      ev(s+10,h+":01","CPNS","SGCreateResponse",peer="PNE:pne-a",sg="sg-1",result="success"),
      deliver(s+20,h+":02","pne-a",key), deliver(s+30,h+":02","pne-b",key),
      inv(s+40,h+":03",key,TWO),
    ]
def release(s, h):
    return [
      ev(s,h+":00","PNE:pne-a","SGReleaseRequest",peer="CPNS",sg="sg-1"),
      ev(s+10,h+":01","CPNS","SGReleaseResponse",peer="PNE:pne-a",sg="sg-1",result="success"),
      ev(s+20,h+":01","CPNS","SGReleaseNotification",peer="PNE:pne-b",sg="sg-1"),
      inv(s+30,h+":02",None,[]),
    ]
ev_ = short_life("10:00", "gk-1", 10) + release(60, "10:30") + short_life("12:00", "gk-2", 100)
write("key-age-ends-at-release", "yaml", ev_,
  "sg-1 is released 28 minutes after gk-1 was delivered and created anew under the same SG ID\nan hour and a half later with gk-2: gk-1 was in force until the release, not until gk-2, so\nwith a maximum key age of one hour no key is too old.",
  f"{C2}; {C3}", settings={"max_key_age": 3600},
  outcomes={"CPNS-GK-03": "pass", "CPNS-GK-01D": "pass", "CPNS-GK-04": "pass"})
write("create-only", "jsonl", short_life("10:00", "gk-1", 10),
  "SG sg-1 is created and its key delivered and stored, and nothing else happens: the rules on\nupdates and on deletions are not applicable, each with its reason.",
  C1,
  outcomes={"CPNS-GK-01D": "pass", "CPNS-GK-01S": "pass",
    "CPNS-GK-02U": "not-applicable: the trace has no SGActionRequest with Action 4 from a member or Action 1 from the SG Owner that was not refused",
    "CPNS-GK-02D": "not-applicable: the trace has no SGActionRequest with Action 4 from a member or Action 1 from the SG Owner that was not refused, or none after which the server showed a new Group Key",
    "CPNS-GK-02S": "not-applicable: the trace has no SGActionRequest with Action 4 from a member or Action 1 from the SG Owner that was not refused",
    "CPNS-GK-02X": "not-applicable: the trace has no SGActionRequest with Action 4 from a member or Action 1 from the SG Owner that was not refused",
    "CPNS-GK-04": "not-applicable: the trace has no SGReleaseRequest from the SG Owner that was not refused",
    "CPNS-GK-05L": "not-applicable: no PNE receives the response to its leave request (Action 4) in the trace",
    "CPNS-GK-05E": "not-applicable: no PNE receives the response to the expel request (Action 1) in the trace",
    "CPNS-GK-05R": "not-applicable: no PNE receives an SGReleaseNotification in the trace"})
ev_ = [
  ev(10,"10:00:00","PNE:pne-a","SGCreateRequest",peer="CPNS",sg_owner="pne-a",members=["pne-a"]),
  ev(20,"10:00:01","CPNS","SGCreateResponse",peer="PNE:pne-a",sg="sg-1",result="success"),
  deliver(30,"10:00:02","pne-a","gk-1"),
  deliver(40,"11:30:00","pne-a","gk-2"),
  inv(50,"11:30:01","gk-2",["pne-a"]),
]
write("key-too-old-at-next-event", "jsonl", ev_,
  "An SG whose only member is its owner: gk-1 is delivered at 10:00:02 and the very next event,\nat 11:30:00, delivers gk-2; with a maximum key age of one hour gk-1 was too old when it was\nreplaced (a SHOULD: a warning at that event).",
  C2, [("CPNS-GK-03", 40, "warn")], settings={"max_key_age": 3600},
  messages={"CPNS-GK-03": "SG sg-1: the Group Key gk-1, in force since seq 30 (2026-03-02T10:00:02Z), is older than cpns.max_key_age (3600 s) at seq 40 (2026-03-02T11:30:00Z); it was replaced by gk-2 at seq 40"})
write("key-age-mid-life", "yaml", mid,
  "The trace of mid-life-leave.cpns.yaml (its first event, the server's InventoryState, shows\ngk-1) judged with a maximum key age of one hour: gk-1 is in force from that first event until\ngk-2 twenty minutes later, so no key is too old.",
  C2, settings={"max_key_age": 3600}, outcomes={"CPNS-GK-03": "pass"})
THREE = ["pne-a", "pne-b", "pne-c"]
def expel(s, h, target):
    return [
      ev(s,h+":00","PNE:pne-a","SGActionRequest",peer="CPNS",sg="sg-1",action=1,target_pnes=[target]),
      ev(s+10,h+":01","CPNS","SGActionResponse",peer="PNE:pne-a",sg="sg-1",result="success"),
    ]
ev_ = [
  ev(10,"10:00:00","PNE:pne-a","SGCreateRequest",peer="CPNS",sg_owner="pne-a",members=THREE),
  ev(20,"10:00:01","CPNS","SGCreateResponse",peer="PNE:pne-a",sg="sg-1",result="success"),
  deliver(30,"10:00:02","pne-a","gk-1"), deliver(40,"10:00:02","pne-b","gk-1"), deliver(50,"10:00:02","pne-c","gk-1"),
  inv(60,"10:00:03","gk-1",THREE),
] + expel(70, "10:10", "pne-b") + [
  deliver(90,"10:10:02","pne-a","gk-2"), deliver(100,"10:10:02","pne-c","gk-2"),
  inv(110,"10:10:03","gk-2",["pne-a","pne-c"]),
] + expel(120, "10:20", "pne-c") + [
  deleted(140,"10:20:02","pne-a","gk-2"),
  deliver(150,"10:20:02","pne-a","gk-3"),
  inv(160,"10:20:03","gk-3",["pne-a"]),
]
write("expel-twice-literal-reading", "yaml", ev_,
  "With the literal reading (cpns.expel_deleter: requester) the SG Owner pne-a receives the\nresponses to two expels: it deletes nothing after the first (pne-b's) and deletes gk-2, the key\nit then holds, after the second (pne-c's). What it logs after the second response answers the\nsecond trigger, not the first: one warning, at the first response.",
  C3, [("CPNS-GK-05E", 80, "warn")], settings={"expel_deleter": "requester"})
ev_ = drop(after(L(), 310, sdeleted(315, "12:00:02", "gk-3")), 320)
write("release-deletes-replaced-key", "yaml", ev_,
  "The owner releases sg-1; the server logs the deletion of gk-3, a key it issued for sg-1 and\nreplaced earlier, not gk-4, the Group Key in force, and no inventory after it: nothing shows\ngk-4 deleted.",
  C3, [("CPNS-GK-04", 315, "fail")],
  messages={"CPNS-GK-04": "SG sg-1 was released at seq 280, but the server deleted gk-3, which is not gk-4, the Group Key in force; nothing shows gk-4 deleted"})
sg2 = short_life("11:00", "gk-2", 100) + release(150, "11:30")[:3]
for e in sg2:
    if e.get("sg_id") == "sg-1": e["sg_id"] = "sg-2"
sg2.append(ev(180, "11:30:02", "CPNS", "GroupKeyDeleted", dir="local", sg="sg-2", key_id="gk-1"))
ev_ = short_life("10:00", "gk-1", 10) + release(60, "10:30") + sg2
write("release-two-sgs-deletes-other-sgs-key", "jsonl", ev_,
  "Two SGs, one after the other: sg-1 is released and its inventory emptied; sg-2 is released and\nthe server deletes gk-1, sg-1's old key, a key never issued for sg-2: nothing shows gk-2, sg-2's\nGroup Key in force, deleted. One release judged conformant, one not.",
  C3, [("CPNS-GK-04", 180, "fail")],
  messages={"CPNS-GK-04": "SG sg-2 was released at seq 150, but the server deleted gk-1, a key never issued for the SG, not gk-2, the Group Key in force; nothing shows gk-2 deleted"})
