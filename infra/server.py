"""The local gateway: Chalice's own local API Gateway for /api, plus the PWA's static files
from web/ on the same origin (as CloudFront would serve them in AWS)."""
import json
import mimetypes
import socket
from pathlib import Path

from chalice.cli.factory import CLIFactory
from chalice.local import (
    ChaliceRequestHandler,
    CustomLocalChalice,
    ForbiddenError,
    LocalChalice,
    LocalDevServer,
    LocalGatewayException,
    ThreadedHTTPServer,
)

from chalicelib.core import headers as security_headers
from chalicelib.core.gateway_responses import PROBLEM_BY_STATUS

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
TEXT_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css",
              ".webmanifest": "application/manifest+json", ".svg": "image/svg+xml", ".json": "application/json"}


def _index_html() -> str:
    """Read each time: the PWA's import map (hashed into the CSP) may change while `make run` runs."""
    return (WEB / "index.html").read_text(encoding="utf-8")


class QuayRequestHandler(ChaliceRequestHandler):
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    def _generic_handle(self) -> None:
        if self.path.startswith("/api/") or self.command not in ("GET", "HEAD"):
            return super()._generic_handle()
        return self._serve_static()

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _generic_handle

    def _serve_static(self) -> None:
        relative = self.path.split("?", 1)[0].lstrip("/") or "index.html"
        target = (WEB / relative).resolve()
        if not target.is_file() or WEB.resolve() not in target.parents:
            target = WEB / "index.html"  # the app shell handles its own routes
        suffix = target.suffix
        media = TEXT_TYPES.get(suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if media.startswith("text/") or media.endswith(("json", "+xml")):
            media += "; charset=utf-8"
        body = target.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache" if suffix in (".html", ".js", ".webmanifest") else "max-age=3600")
        for name, value in security_headers.for_app(_index_html()).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def _send_error_response(self, error: LocalGatewayException) -> None:
        # Chalice's local gateway says 403 "Missing Authentication Token" for a route it does not
        # know, as API Gateway does; the deployed stage maps that to 404 (MISSING_AUTHENTICATION_TOKEN).
        unknown_route = isinstance(error, ForbiddenError) and error.headers.get("x-amzn-ErrorType") == "UnauthorizedException"
        self._send_problem(404 if unknown_route else error.CODE)

    def _send_problem(self, status: int) -> None:
        title, detail = PROBLEM_BY_STATUS.get(status, ("Method not allowed", "This method is not supported."))
        body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail})
        self._send_http_response(status, {"Content-Type": "application/problem+json",
                                          **security_headers.for_api("application/problem+json")}, body)

    def send_error(self, code, message=None, explain=None) -> None:
        """http.server's own refusals (an unknown method is 501 there) as problem+json 405."""
        self._send_problem(405 if code == 501 else int(code))

    def log_message(self, format, *args):
        """Only server errors are worth a line."""
        if len(args) > 1 and str(args[1]).startswith("5"):
            super().log_message(format, *args)


class QuayHTTPServer(ThreadedHTTPServer):
    """A phone, a tablet and a scanner at once, or a burst of requests, must not meet connection
    resets: the listen backlog is the system's maximum, not socketserver's 5."""
    request_queue_size = socket.SOMAXCONN


def build(app, host: str, port: int, stage: str = "local") -> LocalDevServer:
    config = CLIFactory(str(ROOT)).create_config_obj(chalice_stage_name=stage)
    if not isinstance(app, LocalChalice):  # thread-local current_request, as `chalice local` does
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice
    return LocalDevServer(app, config, host, port, handler_cls=QuayRequestHandler, server_cls=QuayHTTPServer)
