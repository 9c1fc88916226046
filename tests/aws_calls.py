"""Every AWS call a function made in this test process (the conftest's `function` fixture checks its
test's calls against the function's role): parley_cli.call_log, recording from import on."""

from parley_cli.call_log import AwsCall, record_calls

recorded: list[AwsCall] = []
record_calls(recorded.append)
