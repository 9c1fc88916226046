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

import logging
import os
import queue
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3

from parley.queue_drain import SENDER_LEASE
from parley.storage.leases import Leases
from parley_cli import call_log, outbox, powertools_threads, runtime, site, template
from parley_cli.local_aws import AwsProcess
from parley_cli.local_http import ApiHandler, InvokeHandler, LocalServer
from parley_cli.pages import PageHandler

LOCAL_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "parley-local",
    "AWS_SECRET_ACCESS_KEY": "parley-local",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}
CONTAINERS_PER_FUNCTION = 4


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
    data_note: str = "not kept (no PARLEY_DATA_DIR)"
    _servers: list[Any] = field(default_factory=list)
    _stopping: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        powertools_threads.apply()  # containers are threads here: each answers its own event
        self._start_aws()
        api = self._bind(self.port, ApiHandler)
        invoke = self._bind(self.lambda_port, InvokeHandler)
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
        self._keep_data()
        if call_log_path := os.environ.get("PARLEY_AWS_CALL_LOG"):  # the e2e tests' IAM check
            call_log.log_to_file(Path(call_log_path), references)
        # The sender's run that held its lease when the stack stopped did not survive it: the lease
        # ends (else sending would wait for it to run out). After the call log: its client logs too.
        for table_name in template.table_definitions(loaded):
            Leases(table_name).end(SENDER_LEASE)
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

    def _keep_data(self) -> None:
        """With PARLEY_DATA_DIR, the data saved there is put back into the new resources (unless
        PARLEY_FRESH) and saved from now on (`dev_state`)."""
        data_dir = os.environ.get("PARLEY_DATA_DIR")
        aws = self._servers[0]
        if not data_dir or not isinstance(aws, AwsProcess):
            return
        fresh = bool(os.environ.get("PARLEY_FRESH"))
        restored = aws.keep_data(os.environ["AWS_ENDPOINT_URL"], restore=not fresh)
        self.data_note = (
            f"{data_dir} (started empty: FRESH)"
            if fresh
            else f"{data_dir} ({restored.get('items', 0)} items, {restored.get('emails', 0)} emails and "
            f"{restored.get('messages', 0)} queued messages put back; `make dev FRESH=1` starts empty)"
        )

    def _bind(self, port: int, handler: type[BaseHTTPRequestHandler]) -> LocalServer:
        server = LocalServer(("127.0.0.1", port), handler, self)
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


def serve(port: int, lambda_port: int) -> None:
    stack = LocalStack(port=port, lambda_port=lambda_port)
    stack.start()
    print(f"Parley local stack ready: http://127.0.0.1:{stack.port}/", flush=True)
    print(f"  API:          http://127.0.0.1:{stack.port}/api/comments", flush=True)
    print(
        f"  Lambda API:   http://127.0.0.1:{stack.lambda_port} (functions: {', '.join(stack.functions)})",
        flush=True,
    )
    print(f"  Data:         {stack.data_note}", flush=True)
    print(f"  AWS (moto):   {os.environ['AWS_ENDPOINT_URL']}", flush=True)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
