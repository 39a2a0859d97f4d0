#!/usr/bin/env python3
"""Writes the SIP grammar corpus of vectors/sip/grammar/ (issue 19, rules SIP-GRAM-*).

Run from the repository root: python3 tools/make-sip-grammar-vectors.py. Each invalid vector
is one message (a MESSAGE request, or a response) with exactly one defect, marked here by
'¦' just before the offending octet; the marker is removed and its line and column go into
the sidecar, which expects exactly that one finding. Each valid vector is written whole and
expects no finding (valid oddities: compact forms, case, folding, LWS, lists, escapes).
"""
import os

OUT = "vectors/sip/grammar"
MARK = "¦"

BASE = [
    ("Via", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-g-1"),
    ("Max-Forwards", "70"),
    ("From", "<sip:mcvideo-server@example.com>;tag=g-1"),
    ("To", "<sip:alice@example.com>"),
    ("Call-ID", "g-1@192.0.2.1"),
    ("CSeq", "1 MESSAGE"),
]
START = "MESSAGE sip:alice@example.com SIP/2.0"
RESP_BASE = [h if h[0] != "To" else ("To", "<sip:alice@example.com>;tag=g-2") for h in BASE]

# (name, rule, clause, what is wrong, start line or None, {header: value} replacing or adding)
INVALID = [
    # Start line (SIP-GRAM-01)
    ("start-ruri-embedded-lws", "SIP-GRAM-01", "RFC 3261 25.1 Request-URI", "a Request-URI with a space after a ';'", "MESSAGE sip:alice@example.com;¦ lr SIP/2.0", {}),
    ("start-ruri-in-angle-brackets", "SIP-GRAM-01", "RFC 3261 25.1 Request-URI", "a Request-URI enclosed in <>", "MESSAGE ¦<sip:alice@example.com> SIP/2.0", {}),
    ("start-ruri-escaped-headers", "SIP-GRAM-01", "RFC 3261 19.1.1 Table 1", "a Request-URI with escaped headers", "MESSAGE sip:alice@example.com¦?Route=%3Csip:example.com%3E SIP/2.0", {}),
    ("start-two-spaces", "SIP-GRAM-01", "RFC 3261 25.1 Request-Line", "two SP between method and Request-URI", "MESSAGE ¦ sip:alice@example.com SIP/2.0", {}),
    ("start-trailing-space", "SIP-GRAM-01", "RFC 3261 25.1 Request-Line", "a SP after the SIP version", "MESSAGE sip:alice@example.com SIP/2.0¦ ", {}),
    ("start-version-7", "SIP-GRAM-01", "RFC 3261 7.1", "version SIP/7.0", "MESSAGE sip:alice@example.com ¦SIP/7.0", {}),
    ("start-ruri-bad-escape", "SIP-GRAM-01", "RFC 3261 25.1 escaped", "a '%' not followed by two hex digits in the user", "MESSAGE sip:al¦%zzice@example.com SIP/2.0", {}),
    ("start-ruri-bad-hostname", "SIP-GRAM-01", "RFC 3261 25.1 hostname", "a host label starting with '-'", "MESSAGE sip:alice@¦-example.com SIP/2.0", {}),
    ("start-ruri-bad-ipv6", "SIP-GRAM-01", "RFC 3261 25.1 IPv6reference", "an IPv6 reference with a non-hex digit", "MESSAGE sip:alice@[2001:db8::¦g] SIP/2.0", {}),
    ("start-ruri-bad-ipv4", "SIP-GRAM-01", "RFC 3261 25.1 IPv4address", "an IPv4 address with a part over 255", "MESSAGE sip:alice@192.0.2.¦256 SIP/2.0", {}),
    ("start-ruri-ttl-over", "SIP-GRAM-01", "RFC 3261 25.1 ttl", "URI parameter ttl=300", "MESSAGE sip:alice@example.com;ttl=¦300 SIP/2.0", {}),
    ("start-ruri-empty-param", "SIP-GRAM-01", "RFC 3261 25.1 uri-parameter", "an empty URI parameter", "MESSAGE sip:alice@example.com;¦;lr SIP/2.0", {}),
    ("start-ruri-scheme-digit", "SIP-GRAM-01", "RFC 3261 25.1 scheme", "a URI scheme starting with a digit", "MESSAGE ¦9sip:alice@example.com SIP/2.0", {}),
    ("start-ruri-absolute-empty", "SIP-GRAM-01", "RFC 3261 25.1 absoluteURI", "a tel: URI with nothing after the scheme", "MESSAGE tel:¦ SIP/2.0", {}),
    ("status-code-too-long", "SIP-GRAM-01", "RFC 3261 25.1 Status-Code", "a status code of ten digits", "SIP/2.0 ¦4294967301 better not break the receiver", {}),
    ("status-code-class-9", "SIP-GRAM-01", "RFC 3261 7.2", "status code 999", "SIP/2.0 ¦999 Unknown", {}),
    ("status-reason-angle", "SIP-GRAM-01", "RFC 3261 25.1 Reason-Phrase", "a '<' in the Reason-Phrase", "SIP/2.0 200 OK ¦<done>", {}),
    ("status-no-sp-after-code", "SIP-GRAM-01", "RFC 3261 25.1 Status-Line", "no SP after the status code", "SIP/2.0 200¦", {}),
    # CSeq method (SIP-GRAM-03)
    ("cseq-method-mismatch", "SIP-GRAM-03", "RFC 3261 8.1.1.5", "CSeq method INVITE in a MESSAGE", None, {"CSeq": "1 ¦INVITE"}),
    ("cseq-method-case", "SIP-GRAM-03", "RFC 3261 8.1.1.5", "CSeq method 'message' (methods are case-sensitive)", None, {"CSeq": "1 ¦message"}),
    # RFC 3261 headers (SIP-GRAM-02)
    ("via-extraneous-separators", "SIP-GRAM-02", "RFC 3261 25.1 Via", "';;' in Via", None, {"Via": "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-g-1;¦;,;,,"}),
    ("via-no-transport", "SIP-GRAM-02", "RFC 3261 25.1 sent-protocol", "sent-protocol without the transport", None, {"Via": "SIP/2.0 ¦192.0.2.1;branch=z9hG4bK-g-1"}),
    ("via-ttl-over", "SIP-GRAM-02", "RFC 3261 25.1 via-ttl", "ttl=256", None, {"Via": "SIP/2.0/UDP 192.0.2.1;ttl=¦256;branch=z9hG4bK-g-1"}),
    ("via-received-not-address", "SIP-GRAM-02", "RFC 3261 25.1 via-received", "received=192.0.2.999", None, {"Via": "SIP/2.0/UDP 192.0.2.1;received=¦192.0.2.999;branch=z9hG4bK-g-1"}),
    ("via-branch-empty", "SIP-GRAM-02", "RFC 3261 25.1 via-branch", "branch= with no value", None, {"Via": "SIP/2.0/UDP 192.0.2.1;branch=¦"}),
    ("via-empty-list-element", "SIP-GRAM-02", "RFC 3261 25.1 Via", "a trailing ',' in Via", None, {"Via": "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-g-1,¦"}),
    ("max-forwards-over-255", "SIP-GRAM-02", "RFC 3261 20.22", "Max-Forwards 256", None, {"Max-Forwards": "¦256"}),
    ("max-forwards-not-digits", "SIP-GRAM-02", "RFC 3261 25.1 Max-Forwards", "Max-Forwards 'seventy'", None, {"Max-Forwards": "¦seventy"}),
    ("cseq-over-32-bits", "SIP-GRAM-02", "RFC 3261 20.16", "CSeq number 2^32", None, {"CSeq": "¦4294967296 MESSAGE"}),
    ("cseq-no-lws", "SIP-GRAM-02", "RFC 3261 25.1 CSeq", "no LWS between CSeq number and method", None, {"CSeq": "1¦MESSAGE"}),
    ("expires-over-32-bits", "SIP-GRAM-02", "RFC 3261 20.19", "Expires 2^32", None, {"Expires": "¦4294967296"}),
    ("expires-negative", "SIP-GRAM-02", "RFC 3261 25.1 delta-seconds", "Expires -1", None, {"Expires": "¦-1"}),
    ("min-expires-suffix", "SIP-GRAM-02", "RFC 3261 25.1 Min-Expires", "Min-Expires 60s", None, {"Min-Expires": "60¦s"}),
    ("from-unterminated-display-name", "SIP-GRAM-02", "RFC 3261 25.1 quoted-string", "an unterminated quoted display name", None, {"From": "¦\"Mr. J. User <sip:mcvideo-server@example.com>;tag=g-1"}),
    ("from-display-name-comma", "SIP-GRAM-02", "RFC 3261 25.1 display-name", "a ',' in an unquoted display name", None, {"From": "Bell¦, Alexander <sip:mcvideo-server@example.com>;tag=g-1"}),
    ("from-tag-empty", "SIP-GRAM-02", "RFC 3261 25.1 tag-param", "tag= with no value", None, {"From": "<sip:mcvideo-server@example.com>;tag=¦"}),
    ("to-addr-spec-with-headers", "SIP-GRAM-02", "RFC 3261 20.10", "an addr-spec with '?' outside <>", None, {"To": "sip:alice@example.com¦?Route=%3Csip:example.com%3E"}),
    ("to-space-in-addr-spec", "SIP-GRAM-02", "RFC 3261 25.1 addr-spec", "a space inside <...>", None, {"To": "<sip:alice¦ @example.com>"}),
    ("to-missing-raquot", "SIP-GRAM-02", "RFC 3261 25.1 name-addr", "no '>' closing the URI", None, {"To": "<sip:alice@example.com¦"}),
    ("contact-expires-over", "SIP-GRAM-02", "RFC 3261 20.19, 25.1 c-p-expires", "Contact expires=280297596632815", None, {"Contact": "<sip:alice@192.0.2.1>;expires=¦280297596632815"}),
    ("contact-q-over-1", "SIP-GRAM-02", "RFC 3261 25.1 qvalue", "q=1.5", None, {"Contact": "<sip:alice@192.0.2.1>;q=¦1.5"}),
    ("contact-extraneous-separators", "SIP-GRAM-02", "RFC 3261 25.1 contact-params", "';;' in Contact", None, {"Contact": "\"Joe\" <sip:alice@192.0.2.1>;¦;;;"}),
    ("contact-star-with-params", "SIP-GRAM-02", "RFC 3261 25.1 Contact", "'*' with a parameter", None, {"Contact": "*¦;expires=0"}),
    ("call-id-two-words", "SIP-GRAM-02", "RFC 3261 25.1 callid", "a space inside the Call-ID", None, {"Call-ID": "g-1 ¦x"}),
    ("content-type-no-subtype", "SIP-GRAM-02", "RFC 3261 25.1 media-type", "a media type without subtype", None, {"Content-Type": "text¦"}),
    ("content-type-param-no-value", "SIP-GRAM-02", "RFC 3261 25.1 m-parameter", "a media type parameter without value", None, {"Content-Type": "text/plain;charset¦"}),
    ("accept-q-over-1", "SIP-GRAM-02", "RFC 3261 25.1 qvalue", "Accept q=2", None, {"Accept": "application/sdp;q=¦2"}),
    ("accept-no-subtype", "SIP-GRAM-02", "RFC 3261 25.1 media-range", "a media range without subtype", None, {"Accept": "application¦, text/plain"}),
    ("accept-encoding-q-four-decimals", "SIP-GRAM-02", "RFC 3261 25.1 qvalue", "q=0.1234", None, {"Accept-Encoding": "gzip;q=¦0.1234"}),
    ("accept-language-digit", "SIP-GRAM-02", "RFC 3261 25.1 language-range", "a language range starting with a digit", None, {"Accept-Language": "en, ¦1fr"}),
    ("allow-empty-element", "SIP-GRAM-02", "RFC 3261 25.1 Allow", "an empty element in Allow", None, {"Allow": "INVITE, ¦, ACK"}),
    ("supported-slash", "SIP-GRAM-02", "RFC 3261 25.1 option-tag", "a '/' after an option tag", None, {"Supported": "100rel¦/x"}),
    ("require-empty", "SIP-GRAM-02", "RFC 3261 25.1 Require", "an empty Require", None, {"Require": "¦"}),
    ("proxy-require-param", "SIP-GRAM-02", "RFC 3261 25.1 Proxy-Require", "a parameter after an option tag", None, {"Proxy-Require": "sec-agree¦;x"}),
    ("unsupported-quoted", "SIP-GRAM-02", "RFC 3261 25.1 Unsupported", "a quoted option tag", None, {"Unsupported": "¦\"foo\""}),
    ("route-not-name-addr", "SIP-GRAM-02", "RFC 3261 25.1 route-param", "a Route URI without <>", None, {"Route": "¦sip:proxy.example.com;lr"}),
    ("record-route-trailing", "SIP-GRAM-02", "RFC 3261 25.1 rec-route", "text after the route", None, {"Record-Route": "<sip:proxy.example.com;lr> ¦x"}),
    ("date-est", "SIP-GRAM-02", "RFC 3261 25.1 SIP-date", "a Date in EST", None, {"Date": "Fri, 01 Jan 2010 16:00:00 ¦EST"}),
    ("date-bad-weekday", "SIP-GRAM-02", "RFC 3261 25.1 wkday", "weekday 'Fry'", None, {"Date": "¦Fry, 01 Jan 2010 16:00:00 GMT"}),
    ("date-one-digit-day", "SIP-GRAM-02", "RFC 3261 25.1 date1", "a one-digit day", None, {"Date": "Fri, 1¦ Jan 2010 16:00:00 GMT"}),
    ("mime-version-no-dot", "SIP-GRAM-02", "RFC 3261 25.1 MIME-Version", "MIME-Version 1", None, {"MIME-Version": "1¦"}),
    ("priority-quoted", "SIP-GRAM-02", "RFC 3261 25.1 priority-value", "a quoted priority", None, {"Priority": "¦\"urgent\""}),
    ("organization-control-octet", "SIP-GRAM-02", "RFC 3261 25.1 TEXT-UTF8-TRIM", "a control octet in Organization", None, {"Organization": "Example¦\x01 Corp"}),
    ("subject-not-utf8", "SIP-GRAM-02", "RFC 3261 25.1 TEXT-UTF8char", "an octet that is not UTF-8 in Subject", None, {"Subject": "caf¦\udce9"}),
    ("user-agent-unclosed-comment", "SIP-GRAM-02", "RFC 3261 25.1 comment", "a comment never closed", None, {"User-Agent": "Foo ¦(unclosed"}),
    ("server-empty-version", "SIP-GRAM-02", "RFC 3261 25.1 product-version", "'/' followed by '/'", None, {"Server": "Foo/¦/"}),
    ("timestamp-letter", "SIP-GRAM-02", "RFC 3261 25.1 Timestamp", "a Timestamp starting with a letter", None, {"Timestamp": "¦x54"}),
    ("retry-after-duration-negative", "SIP-GRAM-02", "RFC 3261 25.1 retry-param", "duration=-1", None, {"Retry-After": "18000;duration=¦-1"}),
    ("alert-info-no-brackets", "SIP-GRAM-02", "RFC 3261 25.1 alert-param", "a URI not in <>", None, {"Alert-Info": "¦http://www.example.com/sounds/moo.wav"}),
    ("call-info-empty-param-value", "SIP-GRAM-02", "RFC 3261 25.1 info-param", "purpose= with no value", None, {"Call-Info": "<http://www.example.com/alice/photo.jpg>;purpose=¦;x"}),
    ("error-info-no-raquot", "SIP-GRAM-02", "RFC 3261 25.1 error-uri", "no '>' closing the URI", None, {"Error-Info": "<sip:not-in-service-recording@example.com¦"}),
    ("in-reply-to-trailing-comma", "SIP-GRAM-02", "RFC 3261 25.1 In-Reply-To", "a trailing ','", None, {"In-Reply-To": "70710@saturn.example.com, ¦"}),
    ("content-disposition-no-type", "SIP-GRAM-02", "RFC 3261 25.1 disp-type", "parameters without a type", None, {"Content-Disposition": "¦;handling=optional"}),
    ("content-encoding-two-words", "SIP-GRAM-02", "RFC 3261 25.1 Content-Encoding", "two codings without ','", None, {"Content-Encoding": "gzip ¦x"}),
    ("content-language-digits", "SIP-GRAM-02", "RFC 3261 25.1 language-tag", "a language tag of digits", None, {"Content-Language": "¦123"}),
    ("reply-to-no-raquot", "SIP-GRAM-02", "RFC 3261 25.1 name-addr", "no '>' closing the URI", None, {"Reply-To": "Bob <sip:bob@example.com¦"}),
    ("authorization-response-not-hex", "SIP-GRAM-02", "RFC 3261 25.1 request-digest", "a Digest response that is not hex", None, {"Authorization": "Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\", uri=\"sip:example.com\", response=\"¦xyz\""}),
    ("authorization-nc-short", "SIP-GRAM-02", "RFC 3261 25.1 nonce-count", "nc of four digits", None, {"Authorization": "Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\", uri=\"sip:example.com\", qop=auth, nc=¦0001, cnonce=\"x\", response=\"00000000000000000000000000000000\""}),
    ("authorization-scheme-only", "SIP-GRAM-02", "RFC 3261 25.1 credentials", "a scheme with no parameters", None, {"Authorization": "Digest¦"}),
    ("www-authenticate-stale-maybe", "SIP-GRAM-02", "RFC 3261 25.1 stale", "stale=maybe", None, {"WWW-Authenticate": "Digest realm=\"example.com\", nonce=\"abc\", stale=¦maybe"}),
    ("proxy-authenticate-realm-unquoted", "SIP-GRAM-02", "RFC 3261 25.1 realm-value", "an unquoted realm", None, {"Proxy-Authenticate": "Digest realm=¦example.com, nonce=\"abc\""}),
    ("proxy-authorization-uri-bracketed", "SIP-GRAM-02", "RFC 3261 25.1 digest-uri", "a digest-uri in <>", None, {"Proxy-Authorization": "Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"¦<sip:example.com>\", response=\"00000000000000000000000000000000\""}),
    ("authentication-info-unquoted-nextnonce", "SIP-GRAM-02", "RFC 3261 25.1 nextnonce", "an unquoted nextnonce", None, {"Authentication-Info": "nextnonce=¦47364c23432d2e131a5fb210812c"}),
    ("extension-header-control-octet", "SIP-GRAM-02", "RFC 3261 25.1 header-value", "a BEL octet in an extension header", None, {"X-Custom": "a¦\x07b"}),
    # More productions (URI parts, parameters, dates, duplicates of single-value headers)
    ("via-maddr-bad-host", "SIP-GRAM-02", "RFC 3261 25.1 via-maddr", "maddr=-bad.example.com", None, {"Via": "SIP/2.0/UDP 192.0.2.1;maddr=¦-bad.example.com;branch=z9hG4bK-g-1"}),
    ("via-port-letters", "SIP-GRAM-02", "RFC 3261 25.1 sent-by", "a port of letters", None, {"Via": "SIP/2.0/UDP 192.0.2.1:¦x;branch=z9hG4bK-g-1"}),
    ("via-extension-empty-value", "SIP-GRAM-02", "RFC 3261 25.1 via-extension", "rport= with no value", None, {"Via": "SIP/2.0/UDP 192.0.2.1;rport=¦;branch=z9hG4bK-g-1"}),
    ("via-no-protocol-version", "SIP-GRAM-02", "RFC 3261 25.1 protocol-version", "SIP//UDP", None, {"Via": "SIP/¦/UDP 192.0.2.1;branch=z9hG4bK-g-1"}),
    ("via-ipv6-unclosed", "SIP-GRAM-02", "RFC 3261 25.1 IPv6reference", "an IPv6 reference with no ']'", None, {"Via": "SIP/2.0/UDP [2001:db8::1¦;branch=z9hG4bK-g-1"}),
    ("to-port-letters", "SIP-GRAM-02", "RFC 3261 25.1 hostport", "a URI port of letters", None, {"To": "<sip:alice@example.com:¦x>"}),
    ("to-empty-user", "SIP-GRAM-02", "RFC 3261 25.1 userinfo", "'@' with no user", None, {"To": "<sip:¦@example.com>"}),
    ("to-password-semicolon", "SIP-GRAM-02", "RFC 3261 25.1 password", "a ';' in the password", None, {"To": "<sip:alice:p¦;w@example.com>"}),
    ("to-toplabel-digit", "SIP-GRAM-02", "RFC 3261 25.1 toplabel", "a last host label of digits", None, {"To": "<sip:alice@example.¦123>"}),
    ("to-quoted-control-octet", "SIP-GRAM-02", "RFC 3261 25.1 qdtext", "a control octet in a quoted display name", None, {"To": "\"a¦\x01b\" <sip:alice@example.com>"}),
    ("to-space-inside-brackets", "SIP-GRAM-02", "RFC 3261 25.1 name-addr", "a space after '<' (RFC 4475 badaspec)", None, {"To": "\"Watson, Thomas\" <¦ sip:alice@example.com >"}),
    ("contact-uri-header-no-equals", "SIP-GRAM-02", "RFC 3261 25.1 header", "a URI header without '='", None, {"Contact": "<sip:alice@192.0.2.1?x¦>"}),
    ("contact-addr-spec-with-headers", "SIP-GRAM-02", "RFC 3261 20.10", "a Contact URI with '?' outside <> (RFC 4475 regbadct)", None, {"Contact": "sip:alice@example.com¦?Route=%3Csip:example.com%3E"}),
    ("start-ruri-maddr-no-value", "SIP-GRAM-01", "RFC 3261 25.1 maddr-param", "maddr without a value", "MESSAGE sip:alice@example.com;¦maddr SIP/2.0", {}),
    ("accept-param-no-value", "SIP-GRAM-02", "RFC 3261 25.1 m-parameter", "level= with no value", None, {"Accept": "application/sdp;level=¦"}),
    ("accept-encoding-no-coding", "SIP-GRAM-02", "RFC 3261 25.1 codings", "parameters with no coding", None, {"Accept-Encoding": "¦;q=1"}),
    ("date-bad-month", "SIP-GRAM-02", "RFC 3261 25.1 month", "month 'Jab'", None, {"Date": "Fri, 01 ¦Jab 2010 16:00:00 GMT"}),
    ("date-one-digit-minutes", "SIP-GRAM-02", "RFC 3261 25.1 time", "one-digit minutes", None, {"Date": "Fri, 01 Jan 2010 16:0¦:00 GMT"}),
    ("retry-after-unclosed-comment", "SIP-GRAM-02", "RFC 3261 25.1 comment", "a comment never closed", None, {"Retry-After": "120 ¦(in a meeting"}),
    ("authorization-other-scheme-empty", "SIP-GRAM-02", "RFC 3261 25.1 auth-param", "a parameter with no value", None, {"Authorization": "NoOneKnowsThisScheme opaque-data=¦"}),
    ("second-to", "SIP-GRAM-02", "RFC 3261 7.3.1", "two To headers (RFC 4475 multi01)", None, {"¦To#2": "<sip:bob@example.com>"}),
    ("second-call-id", "SIP-GRAM-02", "RFC 3261 7.3.1", "two Call-ID headers", None, {"¦Call-ID#2": "g-2@192.0.2.1"}),
    ("second-cseq", "SIP-GRAM-02", "RFC 3261 7.3.1", "two CSeq headers", None, {"¦CSeq#2": "2 MESSAGE"}),
    ("second-max-forwards", "SIP-GRAM-02", "RFC 3261 7.3.1", "two Max-Forwards headers", None, {"¦Max-Forwards#2": "69"}),
    ("event-package-dot-first", "SIP-GRAM-10", "RFC 6665 8.4 event-package", "a package starting with '.'", None, {"Event": "¦.poc"}),
    ("subscription-state-reason-empty", "SIP-GRAM-10", "RFC 6665 8.4 event-reason-value", "reason= with no value", None, {"Subscription-State": "terminated;reason=¦"}),
    ("event-id-quoted", "SIP-GRAM-10", "RFC 6665 8.4 event-param", "a quoted id", None, {"Event": "poc-settings;id=¦\"1\""}),
    ("second-event", "SIP-GRAM-10", "RFC 3261 7.3.1; RFC 6665 8.4", "two Event headers", None, {"Event": "poc-settings", "¦Event#2": "presence"}),
    ("allow-events-empty-template", "SIP-GRAM-10", "RFC 6665 8.4 event-template", "a '.' with no template", None, {"Allow-Events": "presence.¦"}),
    ("p-access-network-info-unterminated", "SIP-GRAM-11", "RFC 7315 5.4 access-info", "an unterminated quoted value", None, {"P-Access-Network-Info": "3GPP-E-UTRAN-FDD;cgi-3gpp=¦\"x"}),
    ("p-charging-vector-icid-no-value", "SIP-GRAM-11", "RFC 7315 5.6 icid-value", "icid-value with no '='", None, {"P-Charging-Vector": "icid-value¦"}),
    ("p-visited-network-id-trailing-comma", "SIP-GRAM-11", "RFC 7315 5.3 P-Visited-Network-ID", "a trailing ','", None, {"P-Visited-Network-ID": "other.net, ¦"}),
    ("p-associated-uri-trailing-comma", "SIP-GRAM-11", "RFC 7315 5.1 P-Associated-URI", "a trailing ','", None, {"P-Associated-URI": "<sip:alice@example.com>, ¦"}),
    ("sip-etag-empty", "SIP-GRAM-07", "RFC 3903 11.3 entity-tag", "an empty entity-tag", None, {"SIP-ETag": "¦"}),
    ("flow-timer-over", "SIP-GRAM-08", "RFC 5626 13 Flow-Timer", "Flow-Timer 2^32", None, {"Flow-Timer": "¦4294967296"}),
    ("sip-instance-empty", "SIP-GRAM-08", "RFC 5626 13 instance-val", "an empty instance ID", None, {"Contact": "<sip:alice@192.0.2.1>;+sip.instance=\"<¦>\""}),
    ("contact-numeric-range-open", "SIP-GRAM-06", "RFC 3840 9 numeric-relation", "a range with no upper bound", None, {"Contact": "<sip:alice@192.0.2.1>;+x.r=\"#1:¦\""}),
    ("contact-tag-value-bang-only", "SIP-GRAM-06", "RFC 3840 9 tag-value", "'!' with no value", None, {"Contact": "<sip:alice@192.0.2.1>;+x.b=\"!¦\""}),
    ("request-disposition-trailing-comma", "SIP-GRAM-06", "RFC 3841 10 Request-Disposition", "a trailing ','", None, {"Request-Disposition": "proxy, ¦"}),
    ("p-asserted-service-top-level-too-long", "SIP-GRAM-09", "RFC 6050 4.1 top-level", "a top-level of 28 characters", None, {"P-Asserted-Service": "urn:urn-7:abcdefghijklmnopqrstuvwxyz0¦1.x"}),
    # RFC 3325 (SIP-GRAM-04)
    ("p-asserted-identity-param", "SIP-GRAM-04", "RFC 3325 9.1", "a parameter after the identity", None, {"P-Asserted-Identity": "<sip:mcvideo-server@example.com>¦;foo=bar"}),
    ("p-asserted-identity-unterminated", "SIP-GRAM-04", "RFC 3325 9.1", "an unterminated display name", None, {"P-Asserted-Identity": "¦\"Server <sip:mcvideo-server@example.com>"}),
    ("p-preferred-identity-trailing-comma", "SIP-GRAM-04", "RFC 3325 9.2", "a trailing ','", None, {"P-Preferred-Identity": "<sip:alice@example.com>, ¦"}),
    # RFC 3327 / 3608 (SIP-GRAM-05)
    ("path-not-name-addr", "SIP-GRAM-05", "RFC 3327 4", "a Path URI without <>", None, {"Path": "¦sip:pcscf.example.com;lr"}),
    ("path-empty-param", "SIP-GRAM-05", "RFC 3327 4", "a ';' with no parameter", None, {"Path": "<sip:pcscf.example.com;lr>;¦"}),
    ("service-route-not-name-addr", "SIP-GRAM-05", "RFC 3608 6", "a second Service-Route URI without <>", None, {"Service-Route": "<sip:orig@scscf.example.com;lr>, ¦sip:x.example.com"}),
    # RFC 3840 / 3841 (SIP-GRAM-06)
    ("contact-feature-raw-colon", "SIP-GRAM-06", "RFC 3840 9 tag-value", "a raw ':' in +g.3gpp.icsi-ref", None, {"Contact": "<sip:alice@192.0.2.1>;+g.3gpp.icsi-ref=\"urn¦:urn-7:3gpp-service.ims.icsi.mcvideo\""}),
    ("contact-feature-unquoted", "SIP-GRAM-06", "RFC 3840 9 feature-param", "an unquoted feature value", None, {"Contact": "<sip:alice@192.0.2.1>;+g.3gpp.mcvideo=¦TRUE"}),
    ("contact-feature-tag-digit", "SIP-GRAM-06", "RFC 3840 9 ftag-name", "a feature tag name starting with a digit", None, {"Contact": "<sip:alice@192.0.2.1>;¦+1abc"}),
    ("contact-base-tag-empty-value", "SIP-GRAM-06", "RFC 3840 9 tag-value-list", "an empty tag-value after ','", None, {"Contact": "<sip:alice@192.0.2.1>;methods=\"INVITE,¦\""}),
    ("contact-string-value-unclosed", "SIP-GRAM-06", "RFC 3840 9 string-value", "a string-value with no '>'", None, {"Contact": "<sip:alice@192.0.2.1>;+sip.foo=\"<abc¦\""}),
    ("contact-numeric-bad-relation", "SIP-GRAM-06", "RFC 3840 9 numeric-relation", "'#>5'", None, {"Contact": "<sip:alice@192.0.2.1>;+x.num=\"#¦>5\""}),
    ("accept-contact-not-star", "SIP-GRAM-06", "RFC 3841 10 ac-value", "a URI in place of '*'", None, {"Accept-Contact": "¦sip:alice@example.com"}),
    ("accept-contact-extraneous-separators", "SIP-GRAM-06", "RFC 3841 10 ac-params", "';;'", None, {"Accept-Contact": "*;¦;require"}),
    ("reject-contact-empty-tag-value", "SIP-GRAM-06", "RFC 3840 9 tag-value", "an empty feature value", None, {"Reject-Contact": "*;+g.foo=\"¦\""}),
    ("request-disposition-unknown", "SIP-GRAM-06", "RFC 3841 10 directive", "directive 'fast'", None, {"Request-Disposition": "¦fast"}),
    # RFC 3903 (SIP-GRAM-07)
    ("sip-etag-quoted", "SIP-GRAM-07", "RFC 3903 11.3", "a quoted entity-tag", None, {"SIP-ETag": "¦\"dx200xyz\""}),
    ("sip-if-match-two-tags", "SIP-GRAM-07", "RFC 3903 11.3", "two entity-tags", None, {"SIP-If-Match": "dx200xyz ¦abc"}),
    # RFC 5626 (SIP-GRAM-08)
    ("reg-id-zero", "SIP-GRAM-08", "RFC 5626 13 c-p-reg", "reg-id=0", None, {"Contact": "<sip:alice@192.0.2.1>;reg-id=¦0"}),
    ("reg-id-over", "SIP-GRAM-08", "RFC 5626 13 c-p-reg", "reg-id=2^31", None, {"Contact": "<sip:alice@192.0.2.1>;reg-id=¦2147483648"}),
    ("sip-instance-no-angle", "SIP-GRAM-08", "RFC 5626 13 c-p-instance", "an instance ID without <>", None, {"Contact": "<sip:alice@192.0.2.1>;+sip.instance=\"¦urn:uuid:00000000-0000-1000-8000-000A95A0E128\""}),
    ("sip-instance-unquoted", "SIP-GRAM-08", "RFC 5626 13 c-p-instance", "an unquoted instance ID", None, {"Contact": "<sip:alice@192.0.2.1>;+sip.instance=¦<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"}),
    ("flow-timer-letters", "SIP-GRAM-08", "RFC 5626 13 Flow-Timer", "Flow-Timer 'abc'", None, {"Flow-Timer": "¦abc"}),
    # RFC 6050 (SIP-GRAM-09)
    ("p-asserted-service-urn-6", "SIP-GRAM-09", "RFC 6050 4.1 Service-ID", "urn:urn-6:", None, {"P-Asserted-Service": "¦urn:urn-6:3gpp-service.ims.icsi.mcvideo"}),
    ("p-asserted-service-sub-ends-hyphen", "SIP-GRAM-09", "RFC 6050 4.1 sub-service-id", "a sub-service ending with '-'", None, {"P-Asserted-Service": "urn:urn-7:3gpp-service.ims.icsi¦-"}),
    ("p-asserted-service-empty-sub", "SIP-GRAM-09", "RFC 6050 4.1 urn-service-id", "'..'", None, {"P-Asserted-Service": "urn:urn-7:3gpp-service.¦.ims"}),
    ("p-preferred-service-param", "SIP-GRAM-09", "RFC 6050 4.2", "a parameter after the Service-ID", None, {"P-Preferred-Service": "urn:urn-7:3gpp-service.ims.icsi.mcvideo¦;x"}),
    # RFC 6665 (SIP-GRAM-10)
    ("event-empty-template", "SIP-GRAM-10", "RFC 6665 8.4 event-template", "a '.' with no template", None, {"Event": "poc-settings.¦"}),
    ("event-id-empty", "SIP-GRAM-10", "RFC 6665 8.4 event-param", "id= with no value", None, {"Event": "poc-settings;id=¦"}),
    ("event-quoted", "SIP-GRAM-10", "RFC 6665 8.4 event-package", "a quoted package", None, {"Event": "¦\"poc-settings\""}),
    ("allow-events-trailing-comma", "SIP-GRAM-10", "RFC 6665 8.4 Allow-Events", "a trailing ','", None, {"Allow-Events": "presence, ¦"}),
    ("subscription-state-expires-over", "SIP-GRAM-10", "RFC 6665 8.4 subexp-params", "expires=2^32", None, {"Subscription-State": "active;expires=¦4294967296"}),
    ("subscription-state-no-value", "SIP-GRAM-10", "RFC 6665 8.4 substate-value", "parameters with no state", None, {"Subscription-State": "¦;expires=60"}),
    # RFC 7315 (SIP-GRAM-11)
    ("p-access-network-info-empty-value", "SIP-GRAM-11", "RFC 7315 5.4 access-info", "a parameter '=' with no value", None, {"P-Access-Network-Info": "3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=¦;x"}),
    ("p-access-network-info-no-type", "SIP-GRAM-11", "RFC 7315 5.4 access-net-spec", "no access type", None, {"P-Access-Network-Info": "¦;x"}),
    ("p-visited-network-id-unterminated", "SIP-GRAM-11", "RFC 7315 5.3 vnetwork-spec", "an unterminated quoted network", None, {"P-Visited-Network-ID": "¦\"Visited network number 1"}),
    ("p-charging-vector-no-icid", "SIP-GRAM-11", "RFC 7315 5.6 P-Charging-Vector", "no icid-value first", None, {"P-Charging-Vector": "¦orig-ioi=home1.net"}),
    ("p-charging-function-addresses-empty", "SIP-GRAM-11", "RFC 7315 5.5 ccf", "ccf= with no value", None, {"P-Charging-Function-Addresses": "ccf=¦;ecf=x"}),
    ("p-associated-uri-not-name-addr", "SIP-GRAM-11", "RFC 7315 5.1 p-aso-uri-spec", "a URI without <>", None, {"P-Associated-URI": "¦sip:alice@example.com"}),
    ("p-called-party-id-trailing", "SIP-GRAM-11", "RFC 7315 5.2 called-pty-id-spec", "text after the address", None, {"P-Called-Party-ID": "<sip:alice@example.com> ¦x"}),
]

VALID = {
    "display-name-against-angle": (
        "OPTIONS sip:user@example.com SIP/2.0",
        ["To: sip:user@example.com", "From: caller<sip:caller@example.com>;tag=323", "Max-Forwards: 70",
         "Call-ID: lwsdisp.1234abcd@funky.example.com", "CSeq: 60 OPTIONS",
         "Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw"], ""),
    "unusual-characters": (
        "!odd-Method0123456789_*+`.%really'~ sip:1_odd.URI~(yes!sure)&it's+so$/odd?,/;;*:&pass+w=1,x!*p$w~d_.(ok-it)@example.com SIP/2.0",
        ["Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~",
         "To: \"BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f\" <sip:1_odd.URI~(yes!sure)&it's+so$/odd?,/;;*@example.com>",
         "From: tok1~` tok2'+_ tok3*%!.- <sip:plain@example.com>;fromParam''~+*_!.-%=\"\u0440\u0430\u0431\u043e\u0442\u0430\";tag=_tok~1'+`*%!-.",
         "Call-ID: odd.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", "CSeq: 139122385 !odd-Method0123456789_*+`.%really'~",
         "Max-Forwards: 255", "extHeader-!.%*+_`'~: \u5927\u505c\u96fb"], ""),
    "compact-forms": (
        "MESSAGE sip:alice@example.com SIP/2.0",
        ["v: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-g-1", "Max-Forwards: 70",
         "f: <sip:mcvideo-server@example.com>;tag=g-1", "t: <sip:alice@example.com>",
         "i: g-1@192.0.2.1", "CSeq: 1 MESSAGE", "m: <sip:mcvideo-server@192.0.2.1>",
         "k: path, gruu", "s: compact", "o: poc-settings;id=1", "u: presence, poc-settings",
         "a: *;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mcvideo\";require;explicit",
         "j: *;+g.3gpp.mcptt", "d: proxy, recurse, parallel", "e: gzip", "c: text/plain;charset=utf-8"],
        "hello\r\n"),
    "case-insensitive-names": (
        "MESSAGE sip:alice@example.com SIP/2.0",
        ["VIA: SIP/2.0/udp 192.0.2.1;BRANCH=z9hG4bK-g-1", "mAx-FoRwArDs: 70",
         "FROM: <SIP:mcvideo-server@EXAMPLE.COM>;TAG=g-1", "to: <sip:alice@example.com>",
         "CALL-ID: g-1", "cseq: 1 MESSAGE", "p-asserted-service: URN:URN-7:3gpp-service.ims.icsi.mcvideo"], ""),
    "folding-and-lws": (
        "MESSAGE sip:alice@example.com SIP/2.0",
        ["Via  : SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw", "Max-Forwards: 0068",
         "From    : \"J Rosenberg \\\\\\\"\"       <sip:mcvideo-server@example.com>\r\n  ;\r\n  tag = 98asjd8",
         "To: <sip:alice@example.com>", "Call-ID: 0ha0isndaksdj@10.0.0.1", "CSeq: 8\r\n   MESSAGE",
         "s :", "NewFangledHeader:   newfangled value\r\n continued newfangled value",
         "UnknownHeaderWithUnusualValue: ;;,,;;,;",
         "Contact: \"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n  secondparam ; q = 0.33"], ""),
    "multi-values": (
        "MESSAGE sip:alice@example.com SIP/2.0",
        ["Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-g-1, SIP/2.0/TCP [2001:db8::9]:5070;branch=z9hG4bK-g-0;received=2001:db8::9",
         "Via: SIP/2.0/UDP pcscf.example.com;branch=z9hG4bK-g-00;rport=5060;received=192.0.2.7",
         "Max-Forwards: 70", "From: <sip:mcvideo-server@example.com>;tag=g-1", "To: Alice Smith <sip:alice@example.com>",
         "Call-ID: g-1", "CSeq: 1 MESSAGE",
         "Route: <sip:pcscf.example.com;lr>, <sip:scscf.example.com;lr>", "Route: <sip:as.example.com;lr>",
         "Accept: application/sdp;level=1, application/*;q=0.5, */*;q=0",
         "Accept-Encoding: gzip;q=1.000, *;q=0", "Accept-Language: da, en-gb;q=0.8, *",
         "Allow: INVITE, ACK, CANCEL, BYE, MESSAGE, SUBSCRIBE, NOTIFY, PUBLISH",
         "Supported:", "Require: 100rel, timer", "Record-Route: <sip:p1.example.com;lr>",
         "P-Asserted-Identity: \"Server\" <sip:mcvideo-server@example.com>, <tel:+14085551212>",
         "P-Preferred-Identity: sip:alice@example.com", "In-Reply-To: 70710@saturn.example.com, 17320@saturn.example.com"], ""),
    "uri-escapes": (
        "OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0",
        ["Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-g-1", "Max-Forwards: 70",
         "From: <sip:%61lice@example.com;transport=tcp>;tag=g-1", "To: <sip:null-%00-null@example.com>",
         "Call-ID: g-1", "CSeq: 1 OPTIONS", "Contact: <sip:alice@192.0.2.1:5060;transport=udp?Subject=hi&Priority=urgent>",
         "Error-Info: <sip:not-in-service-recording@example.com>", "Alert-Info: <http://www.example.com/sounds/moo.wav>",
         "Call-Info: <http://www.example.com/alice/photo.jpg>;purpose=icon"], ""),
    "tel-request-uri": (
        "MESSAGE tel:+1-201-555-0123;phone-context=example.com SIP/2.0",
        ["Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-g-1", "Max-Forwards: 255",
         "From: \"\" <sip:mcvideo-server@example.com>;tag=g-1", "To: tel:+1-201-555-0123",
         "Call-ID: g-1", "CSeq: 4294967295 MESSAGE", "Expires: 4294967295", "Min-Expires: 0",
         "Date: Sat, 13 Nov 2010 23:29:00 GMT", "MIME-Version: 1.0", "Priority: non-urgent",
         "Organization: Boxes by Bob \u00e9t\u00e9", "Subject: Need more boxes", "Timestamp: 54.2 0.5",
         "User-Agent: Softphone/Beta1.5 (MCVideo client) libsip/0.1", "Server: HomeServer v2",
         "Reply-To: Bob <sip:bob@example.com>", "Content-Disposition: session;handling=optional",
         "Content-Language: fr, en-US", "X-Custom: anything goes here: <>;,\""], ""),
    "ims-register": (
        "REGISTER sip:example.com SIP/2.0",
        ["Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKnashds7", "Max-Forwards: 70",
         "P-Access-Network-Info: 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=234151D0FCE11",
         "From: <sip:alice@example.com>;tag=4fa3", "To: <sip:alice@example.com>",
         "Contact: <sip:alice@[2001:db8::1]:5060>;expires=600000;+sip.instance=\"<urn:gsma:imei:35209900-176148-0>\";reg-id=1;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mcvideo\";audio;video;methods=\"INVITE,MESSAGE\";+g.3gpp.num=\"#>=3\";+g.3gpp.range=\"#1:9\";+g.desc=\"<a description>\"",
         "Call-ID: apb03a0s09dkjdfglkj49111", "Authorization: Digest username=\"alice_private@example.com\", realm=\"example.com\", nonce=\"\", uri=\"sip:example.com\", response=\"\"",
         "Security-Client: ipsec-3gpp; alg=hmac-sha-1-96; spi-c=23456789; spi-s=12345678; port-c=2468; port-s=1357",
         "Require: sec-agree", "Proxy-Require: sec-agree", "CSeq: 1 REGISTER", "Supported: path, gruu, outbound",
         "Path: <sip:term@pcscf1.visited1.net;lr>", "P-Visited-Network-ID: \"Visited network number 1\", other.net;x=1",
         "P-Charging-Vector: icid-value=\"AyretyU0dm+6O2IrT5tAFrbHLso=023551024\";orig-ioi=home1.net",
         "P-Charging-Function-Addresses: ccf=192.1.1.1; ccf=192.1.1.2; ecf=[2001:db8::5]", "Flow-Timer: 120"], ""),
    "auth-and-notify": (
        "MESSAGE sip:alice@192.0.2.1 SIP/2.0",
        ["Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-g-1", "Max-Forwards: 70",
         "From: <sip:mcvideo-server@example.com>;tag=g-1", "To: <sip:alice@example.com>;tag=a-1",
         "Call-ID: g-1", "CSeq: 2 MESSAGE", "Event: poc-settings;id=1", "Allow-Events: presence, poc-settings, dialog.winfo",
         "Subscription-State: active;expires=3600", "SIP-If-Match: dx200xyz", "SIP-ETag: kwj449x",
         "Accept-Contact: *;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mcvideo\";require;explicit, *;audio;!x",
         "Reject-Contact: *;+g.3gpp.mcptt;methods=\"!BYE\"", "Request-Disposition: no-fork, sequential",
         "P-Asserted-Service: urn:urn-7:3gpp-service.ims.icsi.mcvideo, urn:urn-7:3gpp-application.ims.iari.x",
         "P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi.mcvideo",
         "Service-Route: <sip:orig@scscf1.home1.net;lr>", "P-Associated-URI: <sip:alice@example.com>, <tel:+358504821437>",
         "P-Called-Party-ID: <sip:alice@example.com>;x=1",
         "Proxy-Authorization: Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:example.com\", qop=auth, nc=00000001, cnonce=\"c\", response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5, opaque=\"o\"",
         "Authentication-Info: nextnonce=\"47364c23432d2e131a5fb210812c\", qop=auth, rspauth=\"0a1b\", cnonce=\"c\", nc=00000001"], ""),
    "status-line-oddities": (
        "SIP/2.0 100 ",
        ["Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-g-1", "From: <sip:mcvideo-server@example.com>;tag=g-1",
         "To: <sip:alice@example.com>;tag=g-2", "Call-ID: g-1", "CSeq: 1 MESSAGE", "Retry-After: 18000 (in maintenance);duration=3600",
         "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"abc\", algorithm=AKAv1-MD5, qop=\"auth,auth-int\", stale=FALSE, domain=\"sip:example.com\"",
         "Proxy-Authenticate: Digest realm=\"example.com\", nonce=\"abc\"", "Unsupported: foo", "Contact: *"], ""),
    "reason-phrase-utf8": (
        "SIP/2.0 486 Occup\u00e9 / busy; call back: later (try %20 again)",
        ["Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-g-1", "From: <sip:mcvideo-server@example.com>;tag=g-1",
         "To: <sip:alice@example.com>;tag=g-2", "Call-ID: g-1", "CSeq: 1 MESSAGE"], ""),
}


# MIME part headers (SIP-GRAM-12, RFC 2045 / RFC 3261 20.11): the second part of a
# multipart/mixed MESSAGE body carries the one defect. (name, clause, what, part headers)
MIME_INVALID = [
    ("part-content-type-no-subtype", "RFC 2045 5.1 content", "a part's media type without subtype", ["Content-Type: text¦"]),
    ("part-content-type-tspecial-in-subtype", "RFC 2045 5.1 token", "an '@' (a tspecial) in a part's subtype", ["Content-Type: text/pl¦@in"]),
    ("part-content-type-param-no-equals", "RFC 2045 5.1 parameter", "a part's media type parameter without '='", ["Content-Type: text/plain;charset¦"]),
    ("part-content-type-param-value-tspecial", "RFC 2045 5.1 value", "a part's parameter value starting with a '?' (a tspecial), not quoted", ["Content-Type: text/plain;charset=¦?utf-8"]),
    ("part-content-type-param-unclosed-quote", "RFC 2045 5.1 quoted-string", "a part's quoted parameter value never closed", ["Content-Type: text/plain;charset=¦\"utf-8"]),
    ("part-content-type-unclosed-comment", "RFC 822 3.4.3 comment", "a comment in a part's Content-Type never closed", ["Content-Type: text/plain ¦(a comment"]),
    ("part-content-type-empty-parameter", "RFC 2045 5.1 parameter", "a trailing ';' with no parameter after it in a part's Content-Type", ["Content-Type: text/plain;¦"]),
    ("part-content-transfer-encoding-unknown", "RFC 2045 6.1 mechanism", "a part's transfer encoding 'base-64', no mechanism", ["Content-Type: text/plain", "Content-Transfer-Encoding: ¦base-64"]),
    ("part-content-transfer-encoding-two-words", "RFC 2045 6.1 encoding", "two words as a part's transfer encoding", ["Content-Type: text/plain", "Content-Transfer-Encoding: 8bit ¦binary"]),
    ("part-content-id-no-angle", "RFC 2045 7, RFC 822 6.1 msg-id", "a part's Content-ID without '<' '>'", ["Content-Type: text/plain", "Content-ID: ¦part1@example.com"]),
    ("part-content-id-no-at", "RFC 822 6.1 addr-spec", "a part's Content-ID without '@'", ["Content-Type: text/plain", "Content-ID: <part1¦>"]),
    ("part-content-id-unclosed", "RFC 822 6.1 msg-id", "a part's Content-ID with no '>'", ["Content-Type: text/plain", "Content-ID: <part1@example.com¦"]),
    ("part-content-id-empty-local-part", "RFC 822 6.1 local-part", "a part's Content-ID with nothing before '@'", ["Content-Type: text/plain", "Content-ID: <¦@example.com>"]),
    ("part-content-id-empty-word", "RFC 822 6.1 word", "two dots in a row in a part's Content-ID", ["Content-Type: text/plain", "Content-ID: <a.¦.b@example.com>"]),
    ("part-content-id-domain-literal-unclosed", "RFC 822 6.1 domain-literal", "a domain literal never closed in a part's Content-ID", ["Content-Type: text/plain", "Content-ID: <a@¦[192.0.2.1>"]),
    ("part-content-disposition-no-type", "RFC 3261 20.11, 25.1 disp-type", "a part's Content-Disposition with parameters and no type", ["Content-Type: text/plain", "Content-Disposition: ¦;handling=optional"]),
    ("part-content-disposition-param-empty", "RFC 3261 25.1 disp-param", "handling= with no value in a part's Content-Disposition", ["Content-Type: text/plain", "Content-Disposition: render;handling=¦"]),
]
MIME_VALID = {
    "part-headers": [
        "Content-Type: application/x#y+z ; (a comment) charset = \"utf-8\" ; format=flowed",
        "Content-Transfer-Encoding: (why) BINARY",
        "Content-ID: <\"part 1\".x@[192.0.2.1]>",
        "Content-Disposition: render;handling=optional;x",
    ],
    "part-headers-x-encoding": [
        "content-type: TEXT/plain",
        "Content-Transfer-Encoding: x-private",
        "Content-ID: <a.b.c@d.example.com> (the second part)",
    ],
}


def multipart(part_headers):
    """A MESSAGE whose multipart/mixed body's second part has these headers (its body raw)."""
    body = ("--b\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--b\r\n"
            + "".join(f"{h}\r\n" for h in part_headers) + "\r\nsecond\r\n--b--\r\n")
    return [f"{n}: {v}" for n, v in BASE] + ["Content-Type: multipart/mixed;boundary=b"], body


def mime_invalid(part_headers):
    """The message and the line and column of the marked octet (Content-Length counted
    without the marker)."""
    headers, body = multipart(part_headers)
    marked = body.encode()
    at_body = marked.index(MARK.encode())
    raw = message(START, headers, body.replace(MARK, "", 1))
    at = len(raw) - (len(marked) - len(MARK.encode())) + at_body
    line = raw[:at].count(b"\n") + 1
    column = len(raw[raw.rfind(b"\n", 0, at) + 1:at].decode()) + 1
    return raw, line, column


def message(start, headers, body=""):
    head = "".join(f"{h}\r\n" for h in headers)
    raw_body = body.encode("utf-8", "surrogateescape")
    return (start + "\r\n" + head + f"Content-Length: {len(raw_body)}\r\n\r\n").encode("utf-8", "surrogateescape") + raw_body


def invalid(start, changes):
    base = RESP_BASE if start and start.startswith("SIP/") else BASE
    headers = []
    done = set()
    for name, value in base:
        if name in changes:
            value = changes[name]
            done.add(name)
        headers.append(f"{name}: {value}")
    for name, value in changes.items():
        if name not in done:
            headers.append(f"{name.split('#')[0]}: {value}")
    return message(start or START, headers)


def locate(raw):
    mark = MARK.encode()
    at = raw.index(mark)
    raw = raw.replace(mark, b"", 1)
    line = raw[:at].count(b"\n") + 1
    col_bytes = raw[raw.rfind(b"\n", 0, at) + 1:at]
    column = len(col_bytes.decode("utf-8", "replace")) + 1
    return raw, line, column


def write(name, raw, sidecar):
    with open(os.path.join(OUT, name + ".sip"), "wb") as f:
        f.write(raw)
    with open(os.path.join(OUT, name + ".yaml"), "w") as f:
        f.write(sidecar)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, rule, clause, what, start, changes in INVALID:
        raw, line, column = locate(invalid(start, changes))
        write("invalid-" + name, raw, f"""description: 'One defect: {what.replace("'", "''")}.'
clause: {clause}
expect:
  verdict: non-conformant
  kind: sip
  findings:
  - line: {line}
    column: {column}
    rule: {rule}
    verdict: fail
""")
    for name, (start, headers, body) in VALID.items():
        write("valid-" + name, message(start, headers, body), f"""description: 'Valid: {name.replace("-", " ")} (written by tools/make-sip-grammar-vectors.py).'
clause: RFC 3261 7.3, 25.1
expect:
  verdict: conformant
  kind: sip
  findings: []
""")
    for name, clause, what, part_headers in MIME_INVALID:
        raw, line, column = mime_invalid(part_headers)
        write("invalid-" + name, raw, f"""description: 'One defect: {what.replace("'", "''")}.'
clause: {clause}
expect:
  verdict: non-conformant
  kind: sip
  findings:
  - line: {line}
    column: {column}
    rule: SIP-GRAM-12
    verdict: fail
""")
    for name, part_headers in MIME_VALID.items():
        headers, body = multipart(part_headers)
        write("valid-" + name, message(START, headers, body), f"""description: 'Valid: {name.replace("-", " ")} (written by tools/make-sip-grammar-vectors.py).'
clause: RFC 2045 5.1, 6.1, 7; RFC 3261 20.11
expect:
  verdict: conformant
  kind: sip
  findings: []
""")
    print(f"{len(INVALID)} + {len(MIME_INVALID)} invalid, {len(VALID)} + {len(MIME_VALID)} valid")


main()
