#!/usr/bin/env python3
"""Writes the SIP vectors of vectors/sip/ (MCVideo signalling, TS 24.281 CR 003).

Run from the repository root: python3 tools/make-sip-vectors.py. Each vector is a file of
SIP messages in order; Content-Length is computed unless a vector sets it wrong on purpose.
The CSK download carries the real MIKEY-SAKKE I_MESSAGE of Streamwide set 1 test 2 (CSK,
purpose tag 2; vectors/sip/data/csk-i-message.base64, copied from
shared/vectors/ts33180_mikey_sakke.txt). The sidecars (*.yaml) are written by hand.
"""
import base64
import os

OUT = "vectors/sip"
ICSI = "urn:urn-7:3gpp-service.ims.icsi.mcvideo"
ICSI_ENC = ICSI.replace(":", "%3A")
SERVER = "mcvideo.example.com"
USER = "sip:alice@example.com"
PSI = "sip:mcvideo-psi@example.com"
# The initiator of the Streamwide CSK test (set 1 test 2), whose UID its IDRi carries.
SW_INITIATOR = "sip:alice@streamwide.com"


def load(name):
    with open(os.path.join(OUT, "data", name)) as f:
        return base64.b64decode(f.read().strip())


CSK = load("csk-i-message.base64")
GMK = load("gmk-i-message.base64")


def with_uri_initiator(msg, uri):
    """The CSK I_MESSAGE with its IDRi (role 8, the initiator's UID) replaced by a role-1
    IDR holding `uri` (identity hiding not used, 7.2.5 1a). The signature no longer
    verifies; no rule verifies it without keys."""
    uid = bytes.fromhex("b5c452309219da6a3d805615548d6c1b0f4de45a6b48fb13d9a24d857fc03dc4")
    old = b"\x08\x01\x00\x20" + uid
    i = msg.index(old)
    u = uri.encode()
    return msg[:i] + b"\x01\x01" + len(u).to_bytes(2, "big") + u + msg[i + len(old):]


def sip(start, headers, body=b"", length=None, eol=b"\r\n"):
    """One message; `length` overrides the Content-Length (None: the body's size)."""
    lines = [start] + headers
    if length is not False:
        lines.append("Content-Length: %d" % (len(body) if length is None else length))
    head = eol.join(l.encode() for l in lines) + eol + eol
    return head + body


def multipart(boundary, parts, eol=b"\r\n"):
    out = b""
    for ctype, content in parts:
        out += b"--" + boundary.encode() + eol + b"Content-Type: " + ctype.encode() + eol + eol + content + eol
    return out + b"--" + boundary.encode() + b"--" + eol


def dialog(call_id, cseq, frm, to):
    return ["From: <%s>;tag=%s" % (frm, call_id[:4]), "To: <%s>" % to, "Call-ID: " + call_id, "CSeq: " + cseq]


def via(host, branch):
    return "Via: SIP/2.0/UDP %s;branch=z9hG4bK-%s" % (host, branch)


def response(code, reason, call_id, cseq, frm, to, extra=(), body=b""):
    return sip("SIP/2.0 %d %s" % (code, reason), [via("scscf.example.com", call_id[:6])] + dialog(call_id, cseq, frm, to) + list(extra), body)


CLIENT_REGISTER = sip(
    "REGISTER sip:example.com SIP/2.0",
    [via("[2001:db8::1]:5060", "ue1"), "Max-Forwards: 70"] + dialog("ue-reg-1", "7 REGISTER", USER, USER)
    + ['Contact: <sip:alice@[2001:db8::1]:5060>;+g.3gpp.icsi-ref="%s"' % ICSI_ENC, "Expires: 600000"],
)


def third_party_register(body=CLIENT_REGISTER, ctype="message/sip", call_id="tpreg-1"):
    return sip(
        "REGISTER sip:%s SIP/2.0" % SERVER,
        [via("scscf.example.com", "tp1"), "Max-Forwards: 70"] + dialog(call_id, "1 REGISTER", "sip:scscf.example.com", USER)
        + ["Contact: <sip:scscf.example.com>", "Expires: 600000", "Content-Type: " + ctype],
        body,
    )


POC_SETTINGS = b"""<?xml version="1.0" encoding="UTF-8"?>
<poc-settings xmlns="urn:oma:params:xml:ns:poc:poc-settings" xmlns:mcs10Set="urn:3gpp:mcsSettings:1.0">
  <entity id="urn:uuid:3c0a7b4e-1f52-4d6b-9f0e-6a1d2b3c4d5e">
    <am-settings><answer-mode>automatic</answer-mode></am-settings>
    <mcs10Set:selected-user-profile-index><mcs10Set:user-profile-index>1</mcs10Set:user-profile-index></mcs10Set:selected-user-profile-index>
  </entity>
</poc-settings>""".replace(b"\n", b"\r\n")

MCVIDEO_INFO = b"""<?xml version="1.0" encoding="UTF-8"?>
<mcvideoinfo xmlns="urn:3gpp:ns:mcvideoInfo:1.0">
  <mcvideo-Params>
    <mcvideo-access-token type="Normal"><mcvideoString>eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl</mcvideoString></mcvideo-access-token>
    <mcvideo-client-id type="Normal"><mcvideoString>urn:uuid:3c0a7b4e-1f52-4d6b-9f0e-6a1d2b3c4d5e</mcvideoString></mcvideo-client-id>
  </mcvideo-Params>
</mcvideoinfo>""".replace(b"\n", b"\r\n")


def publish(parts, event="poc-settings", call_id="pub-1"):
    body = multipart("mcv-boundary", parts)
    return sip(
        "PUBLISH %s SIP/2.0" % USER,
        [via("scscf.example.com", "pb1"), "Max-Forwards: 70"] + dialog(call_id, "1 PUBLISH", USER, USER)
        + ["P-Asserted-Identity: <%s>" % USER, "Event: " + event, "Expires: 7200",
           "Content-Type: multipart/mixed;boundary=mcv-boundary"],
        body,
    )


def notify(body, call_id="sub-1", ctype="application/poc-settings+xml"):
    extra = ["Content-Type: " + ctype] if body else []
    return sip(
        "NOTIFY sip:alice@[2001:db8::1]:5060 SIP/2.0",
        [via(SERVER, "nt1"), "Max-Forwards: 70"] + dialog(call_id, "2 NOTIFY", "sip:alice@example.com", USER)
        + ["Event: poc-settings", "Subscription-State: active;expires=3600"] + extra,
        body,
    )


def poc(answer_mode, index):
    """POC_SETTINGS with another answer mode and user-profile-index (as written)."""
    return (POC_SETTINGS.replace(b"<answer-mode>automatic</answer-mode>", b"<answer-mode>%s</answer-mode>" % answer_mode.encode())
            .replace(b"<mcs10Set:user-profile-index>1</mcs10Set:user-profile-index>",
                     b"<mcs10Set:user-profile-index>%s</mcs10Set:user-profile-index>" % index.encode()))


GOOD_AC = 'Accept-Contact: *;+g.3gpp.icsi-ref="%s";require;explicit' % ICSI_ENC


def csk_message(mikey=CSK, uri=USER, ac=GOOD_AC, pas=ICSI, call_id="csk-1", pai=PSI, raw=False):
    headers = [via(SERVER, "ms1"), "Max-Forwards: 70"] + dialog(call_id, "1 MESSAGE", PSI, uri)
    headers += [h for h in [ac, "P-Asserted-Service: " + pas if pas else None, "P-Asserted-Identity: <%s>" % pai] if h]
    headers.append("Content-Type: application/mikey")
    return sip("MESSAGE %s SIP/2.0" % uri, headers, mikey)


def ok(call_id, cseq, frm=USER, to=USER, extra=()):
    return response(200, "OK", call_id, cseq, frm, to, extra)


def warn488(text, call_id="csk-1"):
    extra = ["Warning: " + text] if text else []
    return response(488, "Not Acceptable Here", call_id, "1 MESSAGE", PSI, USER, extra)


def write(name, *messages, sep=b"\r\n"):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(sep.join(messages))


def exchange():
    return [
        third_party_register(), ok("tpreg-1", "1 REGISTER", "sip:scscf.example.com"),
        publish([("application/poc-settings+xml", POC_SETTINGS), ("application/vnd.3gpp.mcvideo-info+xml", MCVIDEO_INFO)]),
        ok("pub-1", "1 PUBLISH", extra=["SIP-ETag: e1", "Expires: 7200"]),
        notify(POC_SETTINGS), ok("sub-1", "2 NOTIFY"),
        csk_message(), ok("csk-1", "1 MESSAGE", PSI),
    ]


def main():
    write("complete-exchange.sip", *exchange())
    # The same exchange as a log that converted CRLF to LF: twice, once read as it is and once
    # with sip.lf_as_crlf (the sidecars differ).
    lf = b"".join(m + b"\r\n" for m in exchange()).replace(b"\r\n", b"\n")
    for name in ["lf-only-exchange.sip", "lf-only-exchange-read-as-crlf.sip"]:
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(lf)
    bad_uri = with_uri_initiator(CSK, "sip:impostor@example.com")
    good_uri = with_uri_initiator(CSK, PSI)
    write("csk-488-initiator-not-psi.sip", csk_message(bad_uri),
          warn488('399 alice-ue.example.com "136 authentication of the MIKEY-SAKKE I_MESSAGE failed"'))
    write("csk-200-initiator-not-psi.sip", csk_message(bad_uri), ok("csk-1", "1 MESSAGE", PSI))
    write("csk-488-without-warning.sip", csk_message(good_uri), warn488(None))
    write("csk-488-wrong-text.sip", csk_message(bad_uri),
          warn488('399 alice-ue.example.com "136 Authentication of the MIKEY-SAKKE I_MESSAGE failed"'))
    write("csk-488-code-in-warn-code.sip", csk_message(bad_uri),
          warn488('136 alice-ue.example.com "authentication of the MIKEY-SAKKE I_MESSAGE failed"'))
    write("csk-488-warning-without-agent.sip", csk_message(bad_uri),
          warn488('399 "136 authentication of the MIKEY-SAKKE I_MESSAGE failed"'))
    write("csk-message-headers-wrong.sip", third_party_register(), ok("tpreg-1", "1 REGISTER", "sip:scscf.example.com"),
          csk_message(uri="sip:bob@example.com",
                      ac='Accept-Contact: *;+g.3gpp.icsi-ref="%s";require, *;explicit' % ICSI,
                      pas="urn:urn-7:3gpp-service.ims.icsi.mcptt"))
    write("csk-message-without-accept-contact.sip", csk_message(ac=None, pas=None))
    write("csk-message-gmk-not-csk.sip", csk_message(GMK))
    write("csk-message-base64-body.sip", csk_message(base64.b64encode(CSK)))
    write("third-party-register-403.sip", third_party_register(),
          response(403, "Forbidden", "tpreg-1", "1 REGISTER", "sip:scscf.example.com", USER,
                   ['Warning: 399 %s "101 service authorisation failed"' % SERVER]))
    write("third-party-register-403-wrong-text.sip", third_party_register(),
          response(403, "Forbidden", "tpreg-1", "1 REGISTER", "sip:scscf.example.com", USER,
                   ['Warning: 399 other.example.com "101 service authorization failed"']))
    for name in ["third-party-register-403-code-in-warn-code.sip", "third-party-register-403-code-in-warn-code-client-profile.sip"]:
        write(name, third_party_register(),
              response(403, "Forbidden", "tpreg-1", "1 REGISTER", "sip:scscf.example.com", USER,
                       ['Warning: 101 %s "service authorisation failed"' % SERVER]))
    write("third-party-register-403-no-warning.sip", third_party_register(),
          response(403, "Forbidden", "tpreg-1", "1 REGISTER", "sip:scscf.example.com", USER))
    for name in ["third-party-register-body-not-register.sip", "third-party-register-body-not-register-server-profile.sip"]:
        write(name, third_party_register(body=ok("ue-reg-1", "7 REGISTER")))
    both = [("application/poc-settings+xml", POC_SETTINGS), ("application/vnd.3gpp.mcvideo-info+xml", MCVIDEO_INFO)]
    for name, text in [("publish-403-decrypt.sip", "140 unable to decrypt XML content"),
                       ("publish-403-cr-text.sip", "140 unable to decrypt XML content "),
                       ("publish-403-cr-text-table-only.sip", "140 unable to decrypt XML content ")]:
        write(name, publish(both), response(403, "Forbidden", "pub-1", "1 PUBLISH", USER, USER,
                                             ['Warning: 399 %s "%s"' % (SERVER, text)]))
    write("publish-403-no-warning.sip", publish(both), response(403, "Forbidden", "pub-1", "1 PUBLISH", USER, USER))
    no_client_id = MCVIDEO_INFO.replace(b"mcvideo-client-id", b"mcvideo-calling-user-id")
    write("publish-wrong.sip",
          publish([("application/poc-settings+xml", POC_SETTINGS)], call_id="pub-1"),
          publish([("application/poc-settings+xml", POC_SETTINGS), ("application/vnd.3gpp.mcvideo-info+xml", no_client_id)], call_id="pub-2"),
          response(500, "Server Internal Error", "pub-2", "1 PUBLISH", USER, USER),
          publish(both, event="presence", call_id="pub-3"))
    two = POC_SETTINGS.replace(b"<am-settings>", b"<am-settings><answer-mode>manual</answer-mode></am-settings><am-settings>")
    no_index = b'<?xml version="1.0" encoding="UTF-8"?>\n<poc-settings xmlns="urn:oma:params:xml:ns:poc:poc-settings"/>'
    write("notify-wrong.sip", notify(b"", call_id="sub-1"), notify(two, call_id="sub-2"), notify(no_index, call_id="sub-3"))
    cr = open("vectors/sip/data/cr003-poc-settings-example.xml.in", "rb").read().replace(b"\n", b"\r\n")
    write("notify-cr003-example.sip", notify(cr))
    write("notify-cr003-example-client-profile.sip", notify(cr))
    # The Streamwide CSK message as it is (its initiator named by UID, identity hiding), in a
    # MESSAGE answered 488 or 200: judged with a keyring whose participating_psi is or is not
    # the initiator, under a client or a server profile (issue 19's "Done when").
    good136 = '399 alice-ue.example.com "136 authentication of the MIKEY-SAKKE I_MESSAGE failed"'
    sw = csk_message(pai=SW_INITIATOR)
    for psi in ["psi-is-initiator", "psi-not-initiator"]:
        for profile in ["client", "server"]:
            write("csk-streamwide-488-%s-%s.sip" % (psi, profile), sw, warn488(good136))
            write("csk-streamwide-200-%s-%s.sip" % (psi, profile), sw, ok("csk-1", "1 MESSAGE", PSI))
    # A 488 to the PSI's message whose signature the keyring cannot show verifies (7.2.5 1d).
    write("csk-488-initiator-psi-signature-unverified.sip", csk_message(good_uri), warn488(good136))
    # csk-488-initiator-not-psi judged for a client (MCV-CSK-10 judges the server's message).
    write("csk-488-initiator-not-psi-client-profile.sip", csk_message(bad_uri), warn488(good136))
    # The settings NOTIFY against the PUBLISH the server accepted (7.3.3 steps 10, 11; 7.3.6.2).
    def settings_publish(am, index, call_id):
        return publish([("application/poc-settings+xml", poc(am, index)), ("application/vnd.3gpp.mcvideo-info+xml", MCVIDEO_INFO)], call_id=call_id)
    write("notify-follows-publish.sip",
          settings_publish("manual", "2", "pub-1"), ok("pub-1", "1 PUBLISH", extra=["SIP-ETag: e1", "Expires: 7200"]),
          settings_publish("automatic", "1", "pub-2"), ok("pub-2", "1 PUBLISH", extra=["SIP-ETag: e2", "Expires: 7200"]),
          notify(poc("automatic", "01")), ok("sub-1", "2 NOTIFY"))
    write("notify-contradicts-publish.sip",
          settings_publish("manual", "2", "pub-1"), ok("pub-1", "1 PUBLISH", extra=["SIP-ETag: e1", "Expires: 7200"]),
          notify(poc("automatic", "1")), ok("sub-1", "2 NOTIFY"))
    write("notify-after-refused-publish.sip",
          settings_publish("manual", "2", "pub-1"),
          response(403, "Forbidden", "pub-1", "1 PUBLISH", USER, USER, ['Warning: 399 %s "101 service authorisation failed"' % SERVER]),
          notify(POC_SETTINGS), ok("sub-1", "2 NOTIFY"))
    # Found by mutation testing (README, "Mutation testing"). The profile index's lexical
    # forms: "+-0" and "1.0" are no xs:nonNegativeInteger (the schema's finding, not judged
    # against), "-0" is 0.
    def entities(*ents, extra=b""):
        out = b'<?xml version="1.0" encoding="UTF-8"?>\r\n<poc-settings xmlns="urn:oma:params:xml:ns:poc:poc-settings" xmlns:mcs10Set="urn:3gpp:mcsSettings:1.0">\r\n'
        for eid, am, index in ents:
            out += b'  <entity id="%s">\r\n' % eid.encode()
            if am is not None:
                out += b"    <am-settings><answer-mode>%s</answer-mode></am-settings>\r\n" % am.encode()
            if index is not None:
                out += b"    <mcs10Set:selected-user-profile-index><mcs10Set:user-profile-index>%s</mcs10Set:user-profile-index></mcs10Set:selected-user-profile-index>\r\n" % index.encode()
            out += b"  </entity>\r\n"
        return out + extra + b"</poc-settings>"
    write("notify-profile-index-lexical-forms.sip",
          publish([("application/poc-settings+xml", entities(("urn:uuid:a", "manual", "+-0"), ("urn:uuid:b", "manual", "-0"), ("urn:uuid:c", "manual", "1.0"))),
                   ("application/vnd.3gpp.mcvideo-info+xml", MCVIDEO_INFO)]),
          ok("pub-1", "1 PUBLISH", extra=["SIP-ETag: e1", "Expires: 7200"]),
          notify(entities(("urn:uuid:a", "manual", "1"), ("urn:uuid:b", "manual", "1"), ("urn:uuid:c", "manual", "2"))), ok("sub-1", "2 NOTIFY"))
    write("notify-entity-without-index.sip",
          notify(entities(("urn:uuid:a", "manual", None))), ok("sub-1", "2 NOTIFY"))
    # Settings put beside the entity (the schema's finding) are no entity's: neither MCV-NOT-02
    # nor MCV-NOT-03 reads them; nor an entity element of an extension namespace.
    beside = lambda am: b'  <x:entity xmlns:x="urn:example:extension" id="urn:uuid:b"/>\r\n  <am-settings><answer-mode>%s</answer-mode></am-settings>\r\n' % am
    write("notify-settings-beside-entity.sip",
          publish([("application/poc-settings+xml", entities(("urn:uuid:a", "manual", "1"), extra=beside(b"automatic"))),
                   ("application/vnd.3gpp.mcvideo-info+xml", MCVIDEO_INFO)]),
          ok("pub-1", "1 PUBLISH", extra=["SIP-ETag: e1", "Expires: 7200"]),
          notify(entities(("urn:uuid:a", "manual", "1"), extra=beside(b"manual"))),
          ok("sub-1", "2 NOTIFY"))
    # An extension element before <answer-mode> (the schema's finding): the answer mode is
    # still the <answer-mode> child's.
    write("notify-answer-mode-after-extension.sip",
          settings_publish("manual", "1", "pub-1"), ok("pub-1", "1 PUBLISH", extra=["SIP-ETag: e1", "Expires: 7200"]),
          notify(entities(("urn:uuid:3c0a7b4e-1f52-4d6b-9f0e-6a1d2b3c4d5e", "manual", "1")).replace(
              b"<am-settings>", b'<am-settings><x:note xmlns:x="urn:example:extension">automatic</x:note>')),
          ok("sub-1", "2 NOTIFY"))
    write("csk-message-accept-contact-other-icsi.sip",
          csk_message(ac='Accept-Contact: *;+g.3gpp.icsi-ref="%s";require;explicit' % ICSI_ENC.replace("mcvideo", "mcptt")),
          ok("csk-1", "1 MESSAGE", PSI))
    # The icsi-ref compared percent-decoded: an escape in the value's second half ("." as
    # %2E, needless but the same value), and a "%3" cut short at the end (kept as it stands).
    write("csk-message-icsi-ref-dot-encoded.sip",
          csk_message(ac='Accept-Contact: *;+g.3gpp.icsi-ref="%s";require;explicit' % ICSI_ENC.replace(".mcvideo", "%2Emcvideo")),
          ok("csk-1", "1 MESSAGE", PSI))
    write("csk-message-icsi-ref-escape-cut-short.sip",
          csk_message(ac='Accept-Contact: *;+g.3gpp.icsi-ref="%s%%3";require;explicit' % ICSI_ENC),
          ok("csk-1", "1 MESSAGE", PSI))
    # An empty element in the Warning list (RFC 3261 20.43: warning-value *(COMMA warning-value)).
    write("warning-empty-list-element.sip", csk_message(), warn488(good136 + ", , " + good136))
    # Framing and grammar.
    m = csk_message()
    for name in ["content-length-too-long.sip", "content-length-too-long-client-profile.sip", "content-length-too-long-server-profile.sip"]:
        write(name, m.replace(b"Content-Length: 694", b"Content-Length: 900"), ok("csk-1", "1 MESSAGE", PSI))
    write("content-length-missing.sip",
          sip("NOTIFY sip:alice@example.com SIP/2.0", dialog("sub-9", "3 NOTIFY", USER, USER) + ["Event: poc-settings", "Content-Type: application/poc-settings+xml"], POC_SETTINGS, length=False),
          ok("sub-9", "3 NOTIFY"))
    write("header-without-colon.sip", ok("x-1", "1 MESSAGE").replace(b"Call-ID: x-1\r\n", b"Call-ID: x-1\r\nThis line has no colon\r\n"))
    write("multipart-without-close-delimiter.sip",
          publish(both).replace(b"--mcv-boundary--\r\n", b""))


if __name__ == "__main__":
    main()
