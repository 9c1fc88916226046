"""The local stack's two HTTP faces: API Gateway in front of the template's routes, and the Lambda
Invoke API. Both serve whatever stack they are given (`ServedStack`), which `localstack` builds."""

from __future__ import annotations

import base64
import ipaddress
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from parley_cli import template
from parley_cli.events import http_api_event
from parley_cli.pages import PageHandler

INVOKE_PATH = re.compile(r"^/2015-03-31/functions/(?P<name>[^/]+)/invocations$")


class Invocable(Protocol):
    def invoke(self, event: dict[str, Any]) -> Any: ...


class ServedStack(Protocol):
    """What the servers need of a stack: its functions, its routes and its extra pages."""

    @property
    def functions(self) -> Mapping[str, Invocable]: ...

    @property
    def pages(self) -> Sequence[PageHandler]: ...

    def match(self, method: str, path: str) -> tuple[template.HttpRoute, dict[str, str]] | None: ...

    def any_route_for(self, path: str) -> template.HttpRoute | None: ...


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog (5) resets connections when a crowd of clients connects at once.
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], stack: ServedStack
    ) -> None:
        self.stack = stack
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: with Nagle's algorithm the body waits for the client's
    # delayed ACK of the headers (40 ms on Linux) on every keep-alive response.
    disable_nagle_algorithm = True
    server: LocalServer

    def log_message(self, format: str, *args: Any) -> None:
        if os.environ.get("PARLEY_DEV_VERBOSE"):
            super().log_message(format, *args)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, headers: dict[str, str], body: bytes, cookies: Sequence[str] = ()) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        for cookie in cookies:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send(
            status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(payload).encode()
        )


class ApiHandler(_Handler):
    """API Gateway in front of the template's HttpApi routes."""

    def __getattr__(self, name: str) -> Any:
        """Every method (`do_TRACE`, `do_QUERY`, ...) reaches the routes; API Gateway answers 404 for
        a method no route has, never 501."""
        if name.startswith("do_"):
            return self._route
        raise AttributeError(name)

    def _client_address(self) -> str:
        peer = self.client_address[0]
        forwarded = self.headers.get("X-Forwarded-For")
        if forwarded and ipaddress.ip_address(peer).is_loopback:
            first = forwarded.split(",")[0].strip()
            try:
                return str(ipaddress.ip_address(first))
            except ValueError:
                return peer
        return peer

    def _route(self) -> None:
        stack = self.server.stack
        path, _, query = self.path.partition("?")
        method = self.command
        body = self._body()
        found = stack.match("GET" if method == "HEAD" else method, path)
        if found is None and method == "OPTIONS":
            route = stack.any_route_for(path)
            found = (route, {}) if route else None
        if found is None:
            self._page(method, path, query)
            return
        route, path_parameters = found
        route_key = f"{route.method} {route.path}"
        headers = {name: ", ".join(self.headers.get_all(name) or []) for name in self.headers}
        event = http_api_event(
            method, path, route_key, query, headers, body, self._client_address(), path_parameters
        )
        try:
            result = stack.functions[route.function].invoke(event)
        except Exception as error:
            print(f"{route.function} failed: {error!r}", file=sys.stderr)
            self._send_json(500, {"message": "Internal Server Error"})
            return
        self._send_result(result)

    def _page(self, method: str, path: str, query: str) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        for handler in self.server.stack.pages:
            response = handler(method, path, query, headers)
            if response is not None:
                self._send(response.status, response.headers, response.body)
                return
        self._send_json(404, {"message": "Not Found"})

    def _send_result(self, result: dict[str, Any]) -> None:
        body = result.get("body") or ""
        raw = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode("utf-8")
        headers = {name: str(value) for name, value in (result.get("headers") or {}).items()}
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers[name] = ", ".join(str(value) for value in values)
        self._send(int(result.get("statusCode", 200)), headers, raw, result.get("cookies") or [])


class InvokeHandler(_Handler):
    """The Lambda Invoke API (RequestResponse), for the template's functions by logical id."""

    def do_POST(self) -> None:
        stack = self.server.stack
        found = INVOKE_PATH.match(self.path.partition("?")[0])
        payload = self._body()
        if not found:
            self._send_json(404, {"message": "unknown route"})
            return
        name = found["name"].split(":")[-1]
        function = stack.functions.get(name)
        if function is None:
            self._send_json(
                404,
                {"Type": "User", "message": f"Function not found: {name}"},
                {"x-amzn-ErrorType": "ResourceNotFoundException"},
            )
            return
        try:
            event = json.loads(payload or b"{}")
        except ValueError:
            self._send_json(
                400,
                {"Type": "User", "message": "payload is not JSON"},
                {"x-amzn-ErrorType": "InvalidRequestContentException"},
            )
            return
        try:
            result = function.invoke(event)
        except Exception as error:
            self._send_json(
                200,
                {"errorMessage": str(error), "errorType": type(error).__name__},
                {"X-Amz-Function-Error": "Unhandled", "X-Amz-Executed-Version": "$LATEST"},
            )
            return
        self._send_json(200, result, {"X-Amz-Executed-Version": "$LATEST"})
