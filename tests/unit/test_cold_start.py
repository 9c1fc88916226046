"""Each function loads with garbage collection off (parley.cold_start) and must turn it on again:
a function that forgot would never collect a reference cycle in a warm container, and its memory
would grow with every request until Lambda stopped it. And it must import parley.cold_start before
anything else, or what it imports first is loaded with collection on (the cold start it saves)."""

import ast
import json
import os
import subprocess
import sys

import pytest

from parley_cli import template

LOADED = template.load_template()
LAYER = template.PROJECT_ROOT / "layers" / "parley"
PROBE = """
import gc, json, sys
sys.path[:0] = [{code!r}, {layer!r}]
import app
print(json.dumps({{"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}}))
"""


@pytest.mark.parametrize("name", sorted(template.functions(LOADED)))
def test_a_loaded_function_collects_garbage_again(name: str) -> None:
    spec = template.functions(LOADED)[name]
    environment = {
        **os.environ,
        "AWS_DEFAULT_REGION": "us-east-1",
        **template.function_environment(LOADED, spec, {}),
    }
    loaded = subprocess.run(  # noqa: S603 - our own interpreter, a fresh one as Lambda's would be
        [sys.executable, "-c", PROBE.format(code=str(spec.code_uri), layer=str(LAYER))],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    state = json.loads(loaded.stdout.strip().splitlines()[-1])
    assert state["enabled"], f"{name} left garbage collection off"
    assert state["frozen"], "what loading built was not frozen out of later collections"


@pytest.mark.parametrize("name", sorted(template.functions(LOADED)))
def test_a_function_imports_cold_start_before_anything_else(name: str) -> None:
    spec = template.functions(LOADED)[name]
    module = ast.parse((spec.code_uri / f"{spec.handler.rsplit('.', 1)[0]}.py").read_text())
    first_import = next(node for node in module.body if isinstance(node, ast.Import | ast.ImportFrom))
    assert ast.unparse(first_import) == "from parley import cold_start"
