#!/usr/bin/env python3
"""Writes the vectors of HTTP-STATUS-03 (a request that was missing or malformed is not
answered with success, TS 33.246 G.2.4, Table G.2.4-1) into vectors/exchange/: raw HTTP/1.1
exchanges whose request bodies are not the payload their requesttype names, answered 200 (the
rule warns: it is provisional) or 400 (it passes), and a well-formed registration typed
application/xml answered 415 (HTTP-STATUS-02: Table G.2.4-1 marks 415 not used by the BM-SC).
The sidecars (.yaml) are written by hand."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "vectors", "exchange")

REGISTER = b"""<?xml version="1.0" encoding="UTF-8"?>
<mbmsSecurityRegister xmlns="urn:3GPP:metadata:2005:MBMS:securityRegistration">
  <serviceID>urn:3gpp:mbms:example:service:identification:123456789abcdef</serviceID>
</mbmsSecurityRegister>
"""
MSK_REQUEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<mbmsMSKRequest xmlns="urn:3GPP:metadata:2005:MBMS:mskRequest">
  <MSK><keyDomainID>uHCd</keyDomainID><MSKID>aMkAAA==</MSKID></MSK>
</mbmsMSKRequest>
"""
REGISTER_RESPONSE = b"""<?xml version="1.0" encoding="UTF-8"?>
<mbmsSecurityRegisterResponse xmlns="urn:3GPP:metadata:2005:MBMS:securityRegistrationResponse">
  <Response>
    <serviceID>urn:3gpp:mbms:example:service:identification:123456789abcdef</serviceID>
    <ResponseCode>200 OK</ResponseCode>
  </Response>
</mbmsSecurityRegisterResponse>
"""
MSK_RESPONSE = b"""<?xml version="1.0" encoding="UTF-8"?>
<mbmsMSKResponse xmlns="urn:3GPP:metadata:2005:MBMS:mskResponse">
  <Response>
    <MSK><keyDomainID>uHCd</keyDomainID><MSKID>aMkAAA==</MSKID></MSK>
    <ResponseCode>200 OK</ResponseCode>
  </Response>
</mbmsMSKResponse>
"""
TYPES = {
    "register": "application/mbms-register+xml",
    "msk-request": "application/mbms-msk+xml",
}


def message(start, headers, body):
    head = [start] + [f"{n}: {v}" for n, v in headers]
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def exchange(name, requesttype, body, status, response=b"", media=None, response_media=None):
    req = message(
        f"POST /keymanagement?requesttype={requesttype} HTTP/1.1",
        [("Host", "bmsc.operator.com"), ("User-Agent", "mbms-ue/1.0 3gpp-gba"),
         ("Content-Type", media or TYPES[requesttype])],
        body,
    )
    reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 415: "Unsupported Media Type"}[status]
    headers = [("Content-Type", response_media)] if response else []
    rsp = message(f"HTTP/1.1 {status} {reason}", headers, response)
    with open(os.path.join(OUT, name + ".http"), "wb") as f:
        f.write(req + rsp)


NOT_WELL_FORMED = REGISTER.replace(b"</mbmsSecurityRegister>\n", b"")
RR = "application/mbms-register-response+xml"
exchange("malformed-register-not-well-formed-200", "register", NOT_WELL_FORMED, 200,
         REGISTER_RESPONSE, response_media=RR)
exchange("malformed-register-not-well-formed-400", "register", NOT_WELL_FORMED, 400)
exchange("malformed-register-msk-request-200", "register", MSK_REQUEST, 200,
         REGISTER_RESPONSE, response_media=RR)
exchange("malformed-register-not-xml-200", "register",
         b'{"serviceID": "urn:3gpp:mbms:example:service:identification:123456789abcdef"}\n',
         200, REGISTER_RESPONSE, media="application/json", response_media=RR)
exchange("malformed-msk-request-no-body-200", "msk-request", b"", 200, MSK_RESPONSE,
         response_media="application/mbms-msk-response+xml")
exchange("malformed-msk-request-no-body-400", "msk-request", b"", 400)
exchange("register-application-xml-415", "register", REGISTER, 415, media="application/xml")
exchange("register-application-xml-200", "register", REGISTER, 200, REGISTER_RESPONSE,
         media="application/xml", response_media=RR)
# A body with a document type declaration, which mikeyconf does not read: not judged.
DTD = REGISTER.replace(b"<mbmsSecurityRegister ", b"<!DOCTYPE mbmsSecurityRegister>\n<mbmsSecurityRegister ", 1)
exchange("malformed-register-dtd-200", "register", DTD, 200, REGISTER_RESPONSE, response_media=RR)
# A registration under a requesttype no procedure has, answered with an MSK response: the
# request's payload still says what answers it (HTTP-RSP-01), as without a requesttype.
exchange("register-unknown-requesttype-msk-response", "foo", REGISTER, 200, MSK_RESPONSE,
         media=TYPES["register"], response_media="application/mbms-msk-response+xml")
# A 200 to a registration whose body is a web page: HTTP-RSP-01's one finding (the page is not
# also read as a registration response and failed by its schema).
PAGE = b"<html><head><title>Welcome</title></head><body><p>It works!</p></body></html>\n"
exchange("register-200-html-page", "register", REGISTER, 200, PAGE, response_media="text/html")
# A 403 whose body, typed text/xml, has a DOCTYPE: an XML body no rule could read.
DOC = REGISTER_RESPONSE.replace(b"<mbmsSecurityRegisterResponse ", b"<!DOCTYPE x>\n<mbmsSecurityRegisterResponse ", 1)
exchange("register-403-doctype-text-xml", "register", REGISTER, 403, DOC, response_media="text/xml")
