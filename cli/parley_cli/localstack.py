"""`parley dev`: the whole stack on 127.0.0.1, with AWS embedded through moto.

- moto's server runs in a process of its own (`local_aws`, with `moto_fixes`), so the API side and the
  AWS side each get a core; the table, queues, secrets and identities are created from template.yaml;
- the API port serves every HttpApi route of template.yaml by calling its handler in this process with
  a real API Gateway v2 event; the handlers reach AWS over HTTP (AWS_ENDPOINT_URL), as on Lambda;
- the Lambda port answers the Lambda Invoke API, so boto3 and `aws lambda invoke` work as on AWS.

Each function runs in a small pool of "containers" (separate imports of its module), and a
container handles one event at a time, as on Lambda.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import os
import queue
import re
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3

from parley_cli import call_log, outbox, runtime, site, template
from parley_cli.events import http_api_event
from parley_cli.local_aws import AwsProcess
from parley_cli.pages import PageHandler

LOCAL_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "parley-local",
    "AWS_SECRET_ACCESS_KEY": "parley-local",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}
CONTAINERS_PER_FUNCTION = 4
INVOKE_PATH = re.compile(r"^/2015-03-31/functions/(?P<name>[^/]+)/invocations$")


class LocalFunction:
    """One function of the template, with a pool of loaded handlers."""

    def __init__(self, spec: template.FunctionSpec, containers: int) -> None:
        self.spec = spec
        self._pool: queue.Queue[runtime.Handler] = queue.Queue()
        for _ in range(containers):
            self._pool.put(runtime.load_handler(spec))

    @contextmanager
    def container(self) -> Iterator[runtime.Handler]:
        handler = self._pool.get()
        try:
            yield handler
        finally:
            self._pool.put(handler)

    def invoke(self, event: dict[str, Any]) -> Any:
        with self.container() as handler:
            return runtime.invoke(self.spec, handler, event)


@dataclass
class LocalStack:
    port: int = 3000
    lambda_port: int = 3001
    parameters: dict[str, str] = field(default_factory=dict)
    containers: int = CONTAINERS_PER_FUNCTION
    functions: dict[str, LocalFunction] = field(default_factory=dict)
    routes: list[template.HttpRoute] = field(default_factory=list)
    pages: list[PageHandler] = field(default_factory=list)
    schedule_seconds: float = float(os.environ.get("PARLEY_SCHEDULE_SECONDS", "3"))
    _servers: list[Any] = field(default_factory=list)
    _stopping: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        self._start_aws()
        api = self._bind(self.port, _ApiHandler)
        invoke = self._bind(self.lambda_port, _InvokeHandler)
        self.port, self.lambda_port = api.server_address[1], invoke.server_address[1]
        # Functions that invoke others (ModerationLinksFunction) reach this port, as boto3 on AWS reaches Lambda.
        os.environ["AWS_ENDPOINT_URL_LAMBDA"] = f"http://127.0.0.1:{self.lambda_port}"
        loaded = template.load_template()
        self.parameters = {
            "SiteUrl": f"http://127.0.0.1:{self.port}",
            "AllowedOrigins": f"http://127.0.0.1:{self.port},http://localhost:{self.port}",
            "ModeratorEmail": "moderators@example.com",
            **parameter_overrides(os.environ.get("PARLEY_PARAMETER_OVERRIDES", "")),
            **self.parameters,
        }
        references = {
            **self.parameters,
            **template.create_resources(loaded, boto3.Session(), self.parameters),
        }
        if call_log_path := os.environ.get("PARLEY_AWS_CALL_LOG"):  # the e2e tests' IAM check
            call_log.log_to_file(Path(call_log_path), references)
        specs = template.functions(loaded)
        # One process hosts every function: each sees the others' variables too (their values agree).
        for spec in specs.values():
            os.environ.update(template.function_environment(loaded, spec, references))
        for name, spec in specs.items():
            os.environ["POWERTOOLS_SERVICE_NAME"] = str(spec.environment.get("POWERTOOLS_SERVICE_NAME", name))
            self.functions[name] = LocalFunction(spec, self.containers)
        self.routes = template.http_routes(loaded)
        self.pages = [site.handle, outbox.handle]
        for name in template.scheduled_functions(loaded):
            threading.Thread(
                target=self._run_on_schedule, args=(name,), name=f"schedule-{name}", daemon=True
            ).start()
        for server in (api, invoke):
            threading.Thread(target=server.serve_forever, name="parley-http", daemon=True).start()

    def _run_on_schedule(self, name: str) -> None:
        """EventBridge Scheduler, shortened: the function runs every `schedule_seconds`."""
        while not self._stopping.wait(self.schedule_seconds):
            try:
                self.functions[name].invoke({})
            except Exception as error:
                print(f"{name} failed on its schedule: {error!r}", file=sys.stderr)

    def _start_aws(self) -> None:
        if not os.environ.get("PARLEY_DEV_VERBOSE"):
            logging.getLogger("werkzeug").setLevel(logging.ERROR)
            os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
        aws = AwsProcess()
        self._servers.append(aws)
        os.environ.update(LOCAL_CREDENTIALS)
        os.environ["AWS_ENDPOINT_URL"] = aws.start()

    def _bind(self, port: int, handler: type[BaseHTTPRequestHandler]) -> _Server:
        server = _Server(("127.0.0.1", port), handler, self)
        self._servers.append(server)
        return server

    def stop(self) -> None:
        self._stopping.set()
        for server in reversed(self._servers):
            server.shutdown() if isinstance(server, ThreadingHTTPServer) else server.stop()

    def match(self, method: str, path: str) -> tuple[template.HttpRoute, dict[str, str]] | None:
        for route in self.routes:
            found = route.pattern.match(path)
            if found and (route.method == method or route.method == "ANY"):
                return route, found.groupdict()
        return None

    def any_route_for(self, path: str) -> template.HttpRoute | None:
        return next((route for route in self.routes if route.pattern.match(path)), None)


def parameter_overrides(text: str) -> dict[str, str]:
    """`Key=Value Key2=Value2`, as `sam deploy --parameter-overrides` takes them."""
    pairs = [item.split("=", 1) for item in text.split()]
    if any(len(pair) != 2 for pair in pairs):
        raise ValueError(f"parameter overrides are Key=Value pairs separated by spaces, not {text!r}")
    return {key: value for key, value in pairs}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog (5) resets connections when a crowd of clients connects at once.
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], stack: LocalStack
    ) -> None:
        self.stack = stack
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

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


class _ApiHandler(_Handler):
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


class _InvokeHandler(_Handler):
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


def serve(port: int, lambda_port: int) -> None:
    stack = LocalStack(port=port, lambda_port=lambda_port)
    stack.start()
    print(f"Parley local stack ready: http://127.0.0.1:{stack.port}/", flush=True)
    print(f"  API:          http://127.0.0.1:{stack.port}/api/comments", flush=True)
    print(
        f"  Lambda API:   http://127.0.0.1:{stack.lambda_port} (functions: {', '.join(stack.functions)})",
        flush=True,
    )
    print(f"  AWS (moto):   {os.environ['AWS_ENDPOINT_URL']}", flush=True)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
