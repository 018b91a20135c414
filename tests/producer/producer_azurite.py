"""Test harness: a real Azurite blob server in OAuth mode over HTTPS, a test-only token
credential, and a loopback fault-injecting HTTPS proxy.

Azurite's ``--oauth basic`` accepts a well-formed Entra ID token (issuer, audience,
lifetime checked; signature not), so the sink runs its product path: bearer tokens
from a TokenCredential over TLS, no keys. The credential below is for tests only.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import ipaddress
import json
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from azure.core.credentials import AccessToken
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

REPO = Path(__file__).resolve().parents[2]
AZURITE = REPO / "node_modules" / ".bin" / "azurite-blob"
ACCOUNT = "devstoreaccount1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed_cert(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


class StaticTokenCredential:
    """TEST ONLY: a token shaped like Entra ID's for storage. The product always uses
    DefaultAzureCredential; Azurite cannot validate a real token's signature anyway."""

    def __init__(self, lifetime_s: int = 3600):
        now = int(time.time())
        self.expires_on = now + lifetime_s
        claims = {
            "aud": "https://storage.azure.com",
            "iss": "https://sts.windows.net/00000000-0000-0000-0000-000000000001/",
            "nbf": now - 60,
            "iat": now - 60,
            "exp": self.expires_on,
            "oid": "test-producer",
            "tid": "test",
        }
        self.token = f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64(claims)}.c2lnbmF0dXJl"
        self.calls = 0

    def get_token(self, *scopes, **kwargs) -> AccessToken:
        assert scopes == ("https://storage.azure.com/.default",), scopes
        self.calls += 1
        return AccessToken(self.token, self.expires_on)


class Azurite:
    """azurite-blob on a free loopback port, HTTPS + OAuth, in memory; stopped on exit."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.cert, self.key = self_signed_cert(workdir)
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}/{ACCOUNT}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Azurite:
        self.process = subprocess.Popen(
            [
                str(AZURITE),
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                str(self.port),
                "--oauth",
                "basic",
                "--cert",
                str(self.cert),
                "--key",
                str(self.key),
                "--inMemoryPersistence",
                "--skipApiVersionCheck",
                "--silent",
                "--disableTelemetry",
            ],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"azurite exited: {self.process.stderr.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("azurite did not start within 30 s")

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class FaultPlan:
    """Which requests fail, decided by request number so runs are repeatable.

    ``pattern``: a cycle of actions, one per request: "ok", "503", "500", "reset"
    (connection closed before forwarding), "lost" (forwarded and committed by Azurite,
    then the response is dropped: the retry must not duplicate anything), "hang"
    (no answer until the client's read timeout). ``fail_after``: from that request on,
    every request gets ``permanent`` (a status code), simulating a lasting outage."""

    def __init__(
        self,
        pattern: tuple[str, ...] = ("ok",),
        fail_after: int | None = None,
        permanent: int = 403,
        hang_s: float = 0.0,
        max_faults: int | None = None,
    ):
        self.pattern, self.fail_after, self.permanent, self.hang_s = pattern, fail_after, permanent, hang_s
        self.max_faults = max_faults
        self.requests = 0
        self.faults: dict[str, int] = {}
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            n = self.requests
            self.requests += 1
            if self.fail_after is not None and n >= self.fail_after:
                action = str(self.permanent)
            else:
                action = self.pattern[n % len(self.pattern)]
                if self.max_faults is not None and sum(self.faults.values()) >= self.max_faults:
                    action = "ok"
            if action != "ok":
                self.faults[action] = self.faults.get(action, 0) + 1
            return action


class _LoopbackServer:
    """serve_forever in a daemon thread while in the `with` block."""

    server: ThreadingHTTPServer

    def _serve(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        server.daemon_threads = True
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


# What Azure Storage answers with these statuses.
ERROR_CODES = {500: "InternalError", 503: "ServerBusy", 403: "AuthorizationPermissionMismatch"}


class FaultProxy(_LoopbackServer):
    """HTTPS reverse proxy on loopback in front of Azurite, injecting FaultPlan's faults."""

    def __init__(self, azurite: Azurite, plan: FaultPlan):
        self.plan = plan
        upstream = ssl.create_default_context(cafile=str(azurite.cert))
        target_port = azurite.port

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _handle(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                action = plan.next()
                if action in ("reset", "hang"):
                    if action == "hang":
                        time.sleep(plan.hang_s)
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if action not in ("ok", "lost"):
                    code = ERROR_CODES.get(int(action), "InjectedFault")
                    body = (
                        f'<?xml version="1.0" encoding="utf-8"?><Error><Code>{code}</Code>'
                        f"<Message>injected by the test proxy</Message></Error>"
                    ).encode()
                    self._reply(int(action), {"Content-Type": "application/xml", "x-ms-error-code": code}, body)
                    return
                conn = http.client.HTTPSConnection("127.0.0.1", target_port, context=upstream, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                conn.close()
                if action == "lost":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                out = {
                    k: v
                    for k, v in resp.getheaders()
                    if k.lower() not in ("transfer-encoding", "connection", "content-length")
                }
                if self.command == "HEAD":
                    out["Content-Length"] = resp.getheader("Content-Length", "0")
                    data = b""
                self._reply(resp.status, out, data)

            def _reply(self, status, headers, data):
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_HEAD = do_DELETE = do_POST = _handle

        self._serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(azurite.cert, azurite.key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}/{ACCOUNT}"


class FakeManagedIdentityEndpoint(_LoopbackServer):
    """TEST ONLY: an App Service style managed-identity endpoint on loopback
    (IDENTITY_ENDPOINT + IDENTITY_HEADER), so the CLI's DefaultAzureCredential gets its
    token through ManagedIdentityCredential exactly as it would in Azure."""

    SECRET = "test-identity-header"

    def __init__(self, credential: StaticTokenCredential):
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                outer.requests.append(query)
                ok = self.headers.get("X-IDENTITY-HEADER") == outer.SECRET
                body = json.dumps(
                    {
                        "access_token": credential.token,
                        "expires_on": str(credential.expires_on),
                        "resource": query.get("resource"),
                        "token_type": "Bearer",
                    }
                    if ok
                    else {"error": "bad identity header"}
                ).encode()
                self.send_response(200 if ok else 401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
        self.env = {
            "IDENTITY_ENDPOINT": f"http://127.0.0.1:{self.server.server_address[1]}/msi/token",
            "IDENTITY_HEADER": self.SECRET,
        }
