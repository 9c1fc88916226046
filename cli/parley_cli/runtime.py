"""Runs the template's Lambda handlers in this process, as the Lambda runtime would call them."""

import importlib.util
import sys
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from parley_cli.template import FunctionSpec

Handler = Callable[[dict[str, Any], Any], Any]
# The function whose handler this thread is loading or running (its AWS calls are its own: call_log).
acting: ContextVar[str | None] = ContextVar("acting", default=None)


@dataclass
class LocalLambdaContext:
    """What the Lambda runtime passes as `context`, with the fields Powertools reads."""

    function_name: str
    memory_limit_in_mb: int = 512
    function_version: str = "$LATEST"
    timeout_seconds: float = 10.0
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        return "local"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - (time.monotonic() - self.started)) * 1000))


def load_module(spec: FunctionSpec) -> ModuleType:
    """Import a function's handler module under a name of its own (every handler file is app.py)."""
    module_file, _ = spec.handler.rsplit(".", 1)
    path = spec.code_uri / f"{module_file.replace('.', '/')}.py"
    module_name = f"parley_function_{spec.logical_id}"
    import_spec = importlib.util.spec_from_file_location(module_name, path)
    if import_spec is None or import_spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(import_spec)
    sys.modules[module_name] = module
    import_spec.loader.exec_module(module)
    return module


def load_handler(spec: FunctionSpec) -> Handler:
    token = acting.set(spec.logical_id)
    try:
        handler: Handler = getattr(load_module(spec), spec.handler.rsplit(".", 1)[1])
    finally:
        acting.reset(token)
    return handler


def invoke(spec: FunctionSpec, handler: Handler, event: dict[str, Any]) -> Any:
    context = LocalLambdaContext(
        function_name=spec.logical_id, memory_limit_in_mb=spec.memory_mb, timeout_seconds=spec.timeout_seconds
    )
    token = acting.set(spec.logical_id)
    try:
        return handler(event, context)
    finally:
        acting.reset(token)
