"""Stand-ins for signing in to the staff editor without Netlify: an OAuth sign-in service and GitHub, on 127.0.0.1.

Both speak HTTPS with a certificate made for the run (`certificate()`, by the openssl command), so the clinic's
config keeps the https:// its settings require, and nothing leaves the computer.

`SignInService` follows sveltia-cms-auth's protocol (github.com/sveltia/sveltia-cms-auth, src/index.js), which
decap-proxy shares for GitHub; neither is published on npm, so this is a Python copy of it, for GitHub only:
- GET /auth?provider=github&site_id=<the editor's host>&scope=...: refuses a site_id that is not in
  `allowed_domains` (its ALLOWED_DOMAINS), otherwise sets a `csrf-token` cookie (HttpOnly, Secure, SameSite=Lax,
  10 minutes) and redirects to GitHub's authorize page with the app's client id, scope `repo,user` and the token
  as `state`;
- GET /callback?code=...&state=...: checks `state` against the cookie, asks GitHub's token endpoint for a token
  (POST, JSON, with the app's client id and secret), and answers a page that does Decap's postMessage handshake:
  it posts "authorizing:github" to its opener, and answers the window that replies with
  "authorization:github:success:{"provider":"github","token":...}" (or ":error:{"provider","error","errorCode"}"),
  sent to that window's origin only.
Where it differs: GitHub's address is a setting (`github`, an origin) instead of https://<GITHUB_HOSTNAME>, so the
stand-in GitHub can listen on a port; GitLab is left out; and the /callback page answers only a window whose host
is in `allowed_domains` (an error, to any). sveltia-cms-auth (src/index.js, read at commit c41b595) checks ALLOWED_DOMAINS against the
site_id the opening page declares, then sends the token to whichever window answers the handshake, so a page on
another site that opens /auth with the clinic's site_id would be sent the token of someone who authorized the app
before (GitHub then skips its page). handbook/editor.md tells a clinic to make that same one-line check.

`FakeGitHub` is GitHub as the editor and the service see it: the OAuth app's authorize page (Authorize or Cancel,
which redirect to the app's callback URL with a code, or with error=access_denied), its token endpoint, and, under
/api/v3 (as on GitHub Enterprise Server, the clinic's `api_root`), as much of the REST API as Decap asks for to
sign in and list the collections, read from a git repository: the user, the repository, its open pull requests
(none), branches, trees and blobs. Any other request is answered 404 and kept in `unknown`, so a test sees it.
"""

from __future__ import annotations

import base64
import contextlib
import http.cookies
import http.server
import json
import re
import secrets
import ssl
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlsplit


def certificate(folder: Path) -> tuple[Path, Path]:
    """(certificate, key) for https://127.0.0.1, valid for a day, made by the openssl command."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


class Handler(http.server.BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.app.handle(self, "GET")

    def do_POST(self) -> None:
        self.server.app.handle(self, "POST")

    def do_OPTIONS(self) -> None:
        self.server.app.handle(self, "OPTIONS")

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def answer(self, status: int, body: bytes | str = b"", content_type: str = "text/html; charset=utf-8",
               headers: dict[str, str] | None = None) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        for name, value in {"Content-Type": content_type, "Content-Length": str(len(data)), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    app: App


class App:
    """One HTTPS server on 127.0.0.1 with a free port, run in a thread while `running()`."""

    def handle(self, request: Handler, method: str) -> None:
        raise NotImplementedError

    @contextlib.contextmanager
    def running(self, cert: Path, key: Path) -> Iterator[str]:
        server = Server(("127.0.0.1", 0), Handler)
        server.app = self
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        server.socket = tls.wrap_socket(server.socket, server_side=True)
        self.origin = f"https://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self.origin
        finally:
            server.shutdown()
            server.server_close()


# sveltia-cms-auth's errors, by their errorCode, in its words.
ERRORS = {
    "UNSUPPORTED_BACKEND": "Your Git backend is not supported by the authenticator.",
    "UNSUPPORTED_DOMAIN": "Your domain is not allowed to use the authenticator.",
    "AUTH_CODE_REQUEST_FAILED": "Failed to receive an authorization code. Please try again later.",
    "CSRF_DETECTED": "Potential CSRF attack detected. Authentication flow aborted.",
    "TOKEN_REQUEST_FAILED": "Failed to request an access token. Please try again later.",
}


# The page the service answers at /callback: sveltia-cms-auth's outputHTML, with the values as JSON.
HANDSHAKE = """<!doctype html><html><body><script>
(() => {
  const provider = %(provider)s;
  const allowed = %(allowed)s.map((pattern) => new RegExp(pattern));  // the stand-in's one addition (see above)
  const served = (origin) => !allowed.length || allowed.some((pattern) => pattern.test(new URL(origin).hostname));
  window.addEventListener('message', ({ data, origin }) => {
    if (data === 'authorizing:' + provider && (%(state)s === 'error' || served(origin))) {  // an error holds no secret
      window.opener?.postMessage('authorization:' + provider + ':' + %(state)s + ':' + %(content)s, origin);
    }
  });
  window.opener?.postMessage('authorizing:' + provider, '*');
})();
</script></body></html>
"""


@dataclass
class SignInService(App):
    """The OAuth sign-in service (sveltia-cms-auth's protocol; see the module's text)."""

    github: str  # GitHub's origin (sveltia-cms-auth: https://<GITHUB_HOSTNAME>)
    client_id: str
    client_secret: str
    allowed_domains: str  # ALLOWED_DOMAINS: host names, comma-separated, * for any part
    ca_file: Path  # to trust the stand-in GitHub's certificate when asking it for a token
    requests: list[str] = field(default_factory=list)

    def handle(self, request: Handler, method: str) -> None:
        parts = urlsplit(request.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        self.requests.append(f"{method} {parts.path}")
        if method == "GET" and parts.path in ("/auth", "/oauth/authorize"):
            self.auth(request, query)
        elif method == "GET" and parts.path in ("/callback", "/oauth/redirect"):
            self.callback(request, query)
        else:
            request.answer(404)

    def page(self, request: Handler, provider: str = "unknown", token: str | None = None, error: str | None = None,
             code: str | None = None) -> None:
        error = error or ERRORS.get(code or "")
        content = {"provider": provider, "error": error, "errorCode": code} if error else {"provider": provider, "token": token}
        if error and code is None:
            del content["errorCode"]  # as JSON.stringify leaves out an undefined value
        html = HANDSHAKE % {"provider": json.dumps(provider), "state": json.dumps("error" if error else "success"),
                            "allowed": json.dumps([pattern.pattern for pattern in self.patterns()]),
                            "content": json.dumps(json.dumps(content, separators=(",", ":")))}
        request.answer(200, html, headers={"Set-Cookie": "csrf-token=deleted; HttpOnly; Max-Age=0; Path=/; SameSite=Lax; Secure"})

    def patterns(self) -> list[re.Pattern[str]]:
        """ALLOWED_DOMAINS as sveltia-cms-auth reads it: host names, comma-separated, * for one or more characters."""
        return [re.compile("^" + re.escape(domain.strip()).replace(r"\*", ".+") + "$")
                for domain in self.allowed_domains.split(",") if domain.strip()]

    def allowed(self, domain: str) -> bool:
        return any(pattern.match(domain) for pattern in self.patterns())

    def auth(self, request: Handler, query: dict[str, str]) -> None:
        provider = query.get("provider")
        if provider != "github":
            return self.page(request, code="UNSUPPORTED_BACKEND")
        if self.allowed_domains and not self.allowed(query.get("site_id", "")):
            return self.page(request, provider, code="UNSUPPORTED_DOMAIN")
        csrf = secrets.token_hex(16)
        params = urlencode({"client_id": self.client_id, "scope": "repo,user", "state": csrf})
        request.answer(302, headers={"Location": f"{self.github}/login/oauth/authorize?{params}",
                                     "Set-Cookie": f"csrf-token={provider}_{csrf}; HttpOnly; Path=/; Max-Age=600; SameSite=Lax; Secure"})

    def callback(self, request: Handler, query: dict[str, str]) -> None:
        cookie = http.cookies.SimpleCookie(request.headers.get("Cookie") or "")
        found = re.match(r"^([a-z-]+?)_([0-9a-f]{32})$", cookie["csrf-token"].value) if "csrf-token" in cookie else None
        provider, csrf = found.groups() if found else (None, None)
        if provider != "github":
            return self.page(request, code="UNSUPPORTED_BACKEND")
        code, state = query.get("code"), query.get("state")
        if not code or not state:
            return self.page(request, provider, code="AUTH_CODE_REQUEST_FAILED")
        if state != csrf:
            return self.page(request, provider, code="CSRF_DETECTED")
        asked = urllib.request.Request(f"{self.github}/login/oauth/access_token", method="POST",
                                       headers={"Accept": "application/json", "Content-Type": "application/json"},
                                       data=json.dumps({"code": code, "client_id": self.client_id,
                                                        "client_secret": self.client_secret}).encode())
        try:
            with urllib.request.urlopen(asked, context=ssl.create_default_context(cafile=self.ca_file), timeout=10) as answer:
                reply = json.loads(answer.read())
        except (OSError, ValueError):
            return self.page(request, provider, code="TOKEN_REQUEST_FAILED")
        self.page(request, provider, token=reply.get("access_token"), error=reply.get("error"))


# GitHub's authorize page for the OAuth app: what a staff member sees the first time they sign in.
AUTHORIZE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorize application</title>
<link rel="icon" href="data:,"></head>
<body><h1>Authorize %(app)s</h1><p>%(app)s by the clinic wants to access your account (%(scope)s).</p>
<a href="%(allow)s">Authorize</a> <a href="%(deny)s">Cancel</a></body></html>
"""


@dataclass
class FakeGitHub(App):
    """GitHub for one OAuth app and one repository (see the module's text)."""

    repo_dir: Path  # a git repository: the clinic's project
    repo: str  # owner/name, as the editor's config says
    client_id: str
    client_secret: str
    callback_url: str  # the OAuth app's "Authorization callback URL"
    user: str = "front-desk"
    token: str = field(default_factory=lambda: "gho_" + secrets.token_hex(18))
    codes: set[str] = field(default_factory=set)
    requests: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def handle(self, request: Handler, method: str) -> None:
        parts = urlsplit(request.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        self.requests.append(f"{method} {parts.path}" + (f"?{parts.query}" if parts.query else ""))
        if parts.path.startswith("/api/v3/"):
            return self.api(request, method, unquote(parts.path.removeprefix("/api/v3")), query)
        if method == "GET" and parts.path == "/login/oauth/authorize":
            return self.authorize(request, query)
        if method == "GET" and parts.path == "/login/oauth/authorize/decide":
            return self.decide(request, query)
        if method == "POST" and parts.path == "/login/oauth/access_token":
            return self.access_token(request)
        self.unknown.append(f"{method} {request.path}")
        request.answer(404, "Not Found", "text/plain")

    # The OAuth app: https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps

    def authorize(self, request: Handler, query: dict[str, str]) -> None:
        if query.get("client_id") != self.client_id:
            return request.answer(404, "Not Found", "text/plain")
        state = query.get("state", "")
        link = f"/login/oauth/authorize/decide?{{}}&{urlencode({'state': state})}"
        request.answer(200, AUTHORIZE % {"app": "Clinic site editor", "scope": escape(query.get("scope", "")),
                                         "allow": escape(link.format("allow=1")), "deny": escape(link.format("allow=0"))})

    def decide(self, request: Handler, query: dict[str, str]) -> None:
        if query.get("allow") == "1":
            code = secrets.token_hex(10)
            self.codes.add(code)
            answer = {"code": code, "state": query.get("state", "")}
        else:
            answer = {"error": "access_denied", "error_description": "The user has denied your application access.",
                      "state": query.get("state", "")}
        request.answer(302, headers={"Location": f"{self.callback_url}?{urlencode(answer)}"})

    def access_token(self, request: Handler) -> None:
        body = request.body()
        try:
            asked = json.loads(body)
        except ValueError:
            asked = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        if (asked.get("client_id"), asked.get("client_secret")) != (self.client_id, self.client_secret):
            reply = {"error": "incorrect_client_credentials", "error_description": "The client_id and/or client_secret passed are incorrect."}
        elif asked.get("code") not in self.codes:
            reply = {"error": "bad_verification_code", "error_description": "The code passed is incorrect or expired."}
        else:
            self.codes.discard(asked["code"])
            reply = {"access_token": self.token, "token_type": "bearer", "scope": "repo,user"}
        request.answer(200, json.dumps(reply), "application/json")

    # The REST API, as much as the editor asks for to sign in and list the collections

    def git(self, *args: str) -> bytes:
        return subprocess.run(["git", *args], cwd=self.repo_dir, check=True, capture_output=True).stdout

    def api(self, request: Handler, method: str, path: str, query: dict[str, str]) -> None:
        origin = request.headers.get("Origin")
        cors = {"Access-Control-Allow-Origin": origin, "Vary": "Origin",
                "Access-Control-Expose-Headers": "Link, X-RateLimit-Remaining, X-RateLimit-Reset"} if origin else {}
        if method == "OPTIONS":
            return request.answer(204, headers={**cors, "Access-Control-Allow-Methods": "GET, POST, PATCH, PUT, DELETE",
                                                "Access-Control-Allow-Headers": request.headers.get("Access-Control-Request-Headers", ""),
                                                "Access-Control-Max-Age": "600"})

        def reply(status: int, value: object) -> None:
            request.answer(status, json.dumps(value), "application/json; charset=utf-8", cors)

        if request.headers.get("Authorization") not in (f"token {self.token}", f"Bearer {self.token}"):
            return reply(401, {"message": "Bad credentials"})
        repo = f"/repos/{self.repo}"
        if method == "GET" and path == "/user":
            return reply(200, {"login": self.user, "id": 1, "name": "Front Desk", "type": "User"})
        if method == "GET" and path == repo:
            owner, name = self.repo.split("/")
            return reply(200, {"full_name": self.repo, "name": name, "owner": {"login": owner}, "private": True,
                               "default_branch": "main", "permissions": {"admin": False, "push": True, "pull": True}})
        if method == "GET" and path == f"{repo}/pulls":
            return reply(200, [])  # no change waiting for review yet
        if method == "GET" and (found := re.fullmatch(rf"{re.escape(repo)}/branches/(.+)", path)):
            sha = self.resolve(found.group(1))
            return reply(200, {"name": found.group(1), "commit": {"sha": sha}}) if sha else reply(404, {"message": "Branch not found"})
        if method == "GET" and (found := re.fullmatch(rf"{re.escape(repo)}/git/trees/(.+)", path)):
            return self.tree(found.group(1), query.get("recursive"), reply)
        if method == "GET" and path == f"{repo}/commits":  # the last change of a file, for its "updated" line
            return reply(200, self.commits(query.get("sha", "main"), query.get("path", "")))
        if method == "GET" and (found := re.fullmatch(rf"{re.escape(repo)}/git/blobs/([0-9a-f]{{40}})", path)):
            return self.blob(request, found.group(1), cors, reply)
        self.unknown.append(f"{method} {request.path}")
        reply(404, {"message": "Not Found"})

    def commits(self, ref: str, path: str) -> list[dict]:
        lines = self.git("log", "-n", "30", "--format=%H%x00%an%x00%ae%x00%aI%x00%s", ref, "--", path).decode().splitlines()
        return [{"sha": sha, "commit": {"author": {"name": name, "email": email, "date": date}, "message": message},
                 "author": {"login": self.user}} for sha, name, email, date, message in (line.split("\0") for line in lines)]

    def resolve(self, ref: str) -> str | None:
        try:
            return self.git("rev-parse", "--verify", "--quiet", ref).decode().strip() or None
        except subprocess.CalledProcessError:
            return None

    def tree(self, tree: str, recursive: str | None, reply) -> None:
        sha = self.resolve(tree)  # a tree's or a commit's sha, a branch, or <branch>:<folder>
        if sha and self.git("cat-file", "-t", sha).strip() == b"commit":
            sha = self.resolve(f"{sha}^{{tree}}")
        if not sha or self.git("cat-file", "-t", sha).strip() != b"tree":
            return reply(404, {"message": "Not Found"})
        entries = []
        for line in self.git("ls-tree", "-l", *(["-r", "-t"] if recursive else []), "-z", sha).decode().split("\0"):
            if line:
                info, name = line.split("\t", 1)
                mode, kind, object_sha, size = info.split()
                entries.append({"path": name, "mode": mode, "type": kind, "sha": object_sha,
                                **({"size": int(size)} if kind == "blob" else {})})
        reply(200, {"sha": sha, "tree": entries, "truncated": False})

    def blob(self, request: Handler, sha: str, cors: dict[str, str], reply) -> None:
        try:
            content = self.git("cat-file", "blob", sha)
        except subprocess.CalledProcessError:
            return reply(404, {"message": "Not Found"})
        if "raw" in (request.headers.get("Accept") or ""):
            return request.answer(200, content, "application/octet-stream", cors)
        reply(200, {"sha": sha, "size": len(content), "encoding": "base64", "content": base64.b64encode(content).decode()})
