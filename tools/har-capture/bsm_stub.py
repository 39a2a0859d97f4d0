# A stand-in BSM on 127.0.0.1: answers a registration with a registration response.
import http.server, sys
RSP = open(sys.argv[2], 'rb').read()
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(200)
        self.send_header('Content-Type', 'application/mbms-register-response+xml')
        self.send_header('Content-Length', str(len(RSP)))
        self.end_headers()
        self.wfile.write(RSP)
    def log_message(self, *a): pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
