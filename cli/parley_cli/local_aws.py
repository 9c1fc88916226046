"""The local stack's AWS: moto's server in a process of its own (the API side and the AWS side each
get a core), with `moto_fixes` applied and expired items swept as DynamoDB's TTL does.

`python -m parley_cli.local_aws` prints `AWS ready: <endpoint>` once it listens. It stops on SIGTERM,
and when its standard input closes (the process that started it is gone), so it never outlives
`parley dev`; SIGINT (Ctrl-C reaches the whole process group) is left to `parley dev`, which stops it.

With PARLEY_DATA_DIR set, it keeps its data there (`dev_state`): once `parley dev` has created the
template's resources it POSTs `{"restore": true|false}` to `/_parley/state`, which puts the saved
data back (or forgets it) and starts saving; the last save happens as the process stops.
"""

import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import requests

READY = re.compile(r"^AWS ready: (?P<endpoint>\S+)$")
STOP_TIMEOUT_SECONDS = 10
STATE_PATH = "/_parley/state"


def serve() -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import WSGIRequestHandler, make_server

    class PromptHandler(WSGIRequestHandler):
        # werkzeug writes a response's headers and body apart: with Nagle's algorithm each keep-alive
        # answer would wait for the client's delayed ACK (40 ms on Linux).
        disable_nagle_algorithm = True

    from parley_cli import dev_state, moto_fixes

    moto_fixes.apply()
    if not os.environ.get("PARLEY_DEV_VERBOSE"):
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
    stopping = threading.Event()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    app: Any = DomainDispatcherApplication(create_backend_app)
    saver = None
    if data_dir := os.environ.get("PARLEY_DATA_DIR"):
        try:
            state = dev_state.StateFile(Path(data_dir))
        except dev_state.StateInUse as error:
            print(f"AWS failed: {error}", flush=True)
            sys.exit(1)
        saver = threading.Thread(target=state.keep_saving, args=(stopping,), name="save")
        app = StateEndpoint(app, state, saver)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=PromptHandler)
    threading.Thread(target=server.serve_forever, name="moto", daemon=True).start()
    threading.Thread(target=_stop_when_orphaned, args=(stopping,), daemon=True).start()
    threading.Thread(target=_sweep_expired_items, args=(stopping,), name="ttl", daemon=True).start()
    print(f"AWS ready: http://127.0.0.1:{server.server_port}", flush=True)
    stopping.wait()
    server.shutdown()
    if saver is not None and saver.is_alive():
        saver.join()  # its last save


class StateEndpoint:
    """moto's WSGI app, plus `POST /_parley/state`: put the saved data back (or forget it), then
    start saving."""

    def __init__(self, app: Any, state: Any, saver: threading.Thread) -> None:
        self.app, self.state, self.saver = app, state, saver

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != STATE_PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)  # type: ignore[no-any-return]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        asked = json.loads(environ["wsgi.input"].read(length) or b"{}")
        if self.saver.is_alive():
            restored: dict[str, int] = {}
        elif asked.get("restore"):
            restored = self.state.restore()
        else:
            self.state.forget()
            restored = {}
        if not self.saver.is_alive():
            self.saver.start()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(restored).encode()]


def _stop_when_orphaned(stopping: threading.Event) -> None:
    sys.stdin.read()
    stopping.set()


def _sweep_expired_items(stopping: threading.Event) -> None:
    from parley_cli import moto_fixes

    interval = float(os.environ.get("PARLEY_TTL_SWEEP_SECONDS", "60"))
    while not stopping.wait(interval):
        moto_fixes.expire_items()


class AwsProcess:
    """Starts and stops `python -m parley_cli.local_aws` for `parley dev`."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None

    def start(self) -> str:
        """Start the process and return its endpoint (AWS_ENDPOINT_URL)."""
        self._process = process = subprocess.Popen(
            [sys.executable, "-m", "parley_cli.local_aws"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        found = READY.match(line)
        if found is None:
            self.stop()
            raise RuntimeError(f"the local AWS process did not start: {line!r}")
        threading.Thread(target=_forward, args=(process.stdout,), daemon=True).start()
        return found["endpoint"]

    def keep_data(self, endpoint: str, restore: bool) -> dict[str, int]:
        """Once the resources exist: the saved data put back (unless `restore` is False, which
        forgets it), and saving begun. What was put back, by kind."""
        response = requests.post(f"{endpoint}{STATE_PATH}", json={"restore": restore}, timeout=300)
        response.raise_for_status()
        restored: dict[str, int] = response.json()
        return restored

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def _forward(stream: Any) -> None:
    for line in stream:
        sys.stdout.write(line)


if __name__ == "__main__":
    serve()
