"""Properties template.yaml must keep, checked on what CloudFormation receives (the SAM translator's
expansion) and against the code: not a copy of the template's values."""

import ast
import tomllib
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint_file

from parley import settings
from parley.storage import comment_items
from parley.storage.idempotency import idempotency_store
from parley_cli import runtime, template
from parley_cli.openapi import openapi_document
from tests import iam
from tests.cloudformation import Resolver, expanded_template

ROOT = Path(__file__).resolve().parents[2]
# The routes of DESIGN.md's "HTTP contract" and its second round (outside tests call them).
CONTRACT_ROUTES = {
    ("POST", "/api/comments"),
    ("GET", "/api/comments"),
    ("GET", "/api/comments/count"),
    ("GET", "/api/subscriptions/confirm"),
    ("POST", "/api/subscriptions/confirm"),
    ("GET", "/api/subscriptions/unsubscribe"),
    ("POST", "/api/subscriptions/unsubscribe"),
}
MODERATION = "ModerateFunction"
# Links in moderators' emails (DESIGN.md, second round) may reach moderation: only under this path.
MODERATION_LINKS = "/api/moderation/"


def api_routes() -> dict[tuple[str, str], str]:
    """(method, path) -> the function API Gateway invokes, from the HTTP API that SAM generates."""
    resolver = Resolver(expanded_template())
    routes = {}
    for api in template.resources_of_type(resolver.expanded, "AWS::ApiGatewayV2::Api").values():
        for path, operations in api["Properties"]["Body"]["paths"].items():
            for method, operation in operations.items():
                uri = resolver.resolve(operation["x-amazon-apigateway-integration"]["uri"])
                function = uri.split(":function:", 1)[1].split("/", 1)[0].split(":", 1)[0]  # no alias
                routes[(method.upper(), path)] = function
    return routes


def test_template_is_clean_under_cfn_lint() -> None:
    matches = lint_file(ROOT / "template.yaml", config=ManualArgs(regions=["us-east-1"]))

    assert [str(match) for match in matches] == []


def test_every_route_of_the_http_contract_reaches_a_function() -> None:
    assert set(api_routes()) >= CONTRACT_ROUTES


def test_each_function_serves_exactly_the_routes_the_api_sends_it(environment: dict[str, str]) -> None:
    """A route the API sends to a function that does not serve it is a 404 in production; a route a
    function serves that the API never sends it is dead code."""
    routes = api_routes()
    loaded = template.load_template()
    for name, spec in template.functions(loaded).items():
        sent = {route for route, function in routes.items() if function == name}
        if not sent:
            continue
        with pytest.MonkeyPatch.context() as patch:
            for variable, value in template.function_environment(loaded, spec, {}).items():
                patch.setenv(variable, value)
            settings.get_settings.cache_clear()
            paths = runtime.load_module(spec).app.get_openapi_schema().paths or {}
        served = {(method.upper(), path) for path, item in paths.items() for method in _methods(item)}
        assert served == sent, name


def _methods(path_item: Any) -> list[str]:
    fields = path_item.model_dump(exclude_none=True)
    return [
        method for method in ("get", "put", "post", "delete", "patch", "head", "options") if method in fields
    ]


def test_every_route_has_a_sample_event() -> None:
    samples = {path.read_text() for path in (ROOT / "events").glob("*.json")}
    for method, path in api_routes():
        assert any(f'"routeKey": "{method} {path}"' in sample for sample in samples), (method, path)


def test_docs_openapi_json_is_current(environment: dict[str, str]) -> None:
    """`make openapi` writes it; this fails when a route or model changed without it."""
    assert (ROOT / "docs" / "openapi.json").read_text() == openapi_document()


def test_every_handler_exists_on_a_runtime_the_layer_is_built_for() -> None:
    expanded = expanded_template()
    [layer] = template.resources_of_type(expanded, "AWS::Lambda::LayerVersion").values()
    runtimes = layer["Properties"]["CompatibleRuntimes"]
    floor = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    for name in runtimes:  # every runtime the layer is built for runs the code (pyproject's floor)
        assert _version(name.removeprefix("python")) >= _version(floor.removeprefix(">=")), name
    for name, function in template.resources_of_type(expanded, "AWS::Lambda::Function").items():
        properties = function["Properties"]
        assert properties["Runtime"] in runtimes, name
        assert set(properties.get("Architectures", ["x86_64"])) <= set(
            layer["Properties"].get("CompatibleArchitectures", ["x86_64"])
        ), name
        spec = template.functions(template.load_template())[name]
        module, handler = spec.handler.rsplit(".", 1)
        tree = ast.parse((spec.code_uri / f"{module}.py").read_text())
        assert handler in {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}, name


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_the_public_indexes_project_exactly_what_the_listing_reads() -> None:
    """The listing asks GSI1 and GSI3, the feeds GSI5 and GSI6, for these fields only; emails are not
    even in those indexes."""
    indexes = template.load_template()["Resources"]["CommentsTable"]["Properties"]["GlobalSecondaryIndexes"]
    projections = {index["IndexName"]: index["Projection"] for index in indexes}

    for name, attributes in [
        (comment_items.ARTICLE_INDEX, comment_items.PUBLISHED_ATTRIBUTES),
        (comment_items.THREAD_INDEX, comment_items.THREAD_ATTRIBUTES),
        (comment_items.ARTICLE_FEED_INDEX, comment_items.FEED_ATTRIBUTES),
        (comment_items.RECENT_INDEX, comment_items.FEED_ATTRIBUTES),
    ]:
        assert projections[name]["ProjectionType"] == "INCLUDE"
        assert sorted(projections[name]["NonKeyAttributes"]) == sorted(attributes)
        assert "email" not in projections[name]["NonKeyAttributes"]


def test_only_moderation_links_can_reach_the_moderation_function() -> None:
    """No route, URL or invoke permission leads to ModerateFunction; a function that may invoke it
    serves moderators' email links only."""
    expanded = expanded_template()
    resolver = Resolver(expanded)
    routes = api_routes()
    moderation_arn = resolver.get_att(MODERATION, "Arn")

    assert MODERATION not in routes.values()
    for permission in template.resources_of_type(expanded, "AWS::Lambda::Permission").values():
        assert resolver.resolve(permission["Properties"]["FunctionName"]) not in (MODERATION, moderation_arn)
    for url in template.resources_of_type(expanded, "AWS::Lambda::Url").values():
        assert resolver.resolve(url["Properties"]["TargetFunctionArn"]) not in (MODERATION, moderation_arn)
    for name in template.resources_of_type(expanded, "AWS::Lambda::Function"):
        if name != MODERATION and iam.allowed(
            iam.role_statements(name, resolver), "lambda:InvokeFunction", moderation_arn
        ):
            paths = {path for (_, path), function in routes.items() if function == name}
            assert all(path.startswith(MODERATION_LINKS) for path in paths), (name, paths)


def test_what_fails_on_the_queue_is_kept_longer_than_it_lived() -> None:
    """SQS keeps a standard message's first enqueue time when it moves to the dead-letter queue, so a
    dead-letter queue that keeps messages for less time than its source loses them early."""
    resources = template.load_template()["Resources"]
    queues = template.resources_of_type(template.load_template(), "AWS::SQS::Queue")
    redriven = {name: queue for name, queue in queues.items() if "RedrivePolicy" in queue["Properties"]}
    assert redriven
    for name, queue in redriven.items():
        [target, _] = queue["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"]
        kept = resources[target]["Properties"].get("MessageRetentionPeriod", 345600)
        assert int(kept) >= int(queue["Properties"].get("MessageRetentionPeriod", 345600)), name


def test_every_table_and_queue_is_encrypted_and_every_table_recoverable() -> None:
    loaded = template.load_template()
    for name, table in template.resources_of_type(loaded, "AWS::DynamoDB::Table").items():
        properties = table["Properties"]
        assert properties["SSESpecification"]["SSEEnabled"] is True, name
        assert properties["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True, name
    for name, queue in template.resources_of_type(loaded, "AWS::SQS::Queue").items():
        properties = queue["Properties"]
        assert properties.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in properties, name


def test_records_the_code_lets_expire_are_expired_by_the_table(environment: dict[str, str]) -> None:
    """Rate counters and idempotency records carry an expiry; the table's TTL must read that attribute."""
    loaded = template.load_template()
    [expiring] = template.time_to_live_attributes(loaded).values()

    assert idempotency_store("CommentsTable").expiry_attr == expiring


def test_the_owner_hears_when_any_function_fails_or_is_throttled_and_keeps_its_logs_for_a_while() -> None:
    """A function added without its alarms and log group would fail unseen and log forever."""
    watched = {
        (alarm["Properties"]["MetricName"], dimension["Value"]["Ref"])
        for alarm in template.resources_of_type(template.load_template(), "AWS::CloudWatch::Alarm").values()
        if alarm["Properties"].get("Namespace") == "AWS/Lambda"
        for dimension in alarm["Properties"].get("Dimensions", [])
        if dimension["Name"] == "FunctionName"
    }
    log_groups = [
        group["Properties"]
        for group in template.resources_of_type(template.load_template(), "AWS::Logs::LogGroup").values()
    ]

    for function in template.functions(template.load_template()):
        assert ("Errors", function) in watched, function
        assert ("Throttles", function) in watched, function
        assert any(
            f"${{{function}}}" in str(group.get("LogGroupName")) and "RetentionInDays" in group
            for group in log_groups
        ), function


def test_snapstart_is_off_by_default_and_when_on_covers_every_function_the_api_invokes() -> None:
    """A snapshot serves only published versions: with SnapStart on, each function behind a route is
    snapshotted and every route invokes a published alias (never $LATEST, which no snapshot serves)."""
    expanded = expanded_template()
    behind_routes = set(api_routes().values())
    for setting, snapshotted in (("off", set()), ("on", behind_routes)):
        resolver = Resolver(expanded, {"SnapStart": setting})
        applied = {
            name
            for name, function in template.resources_of_type(expanded, "AWS::Lambda::Function").items()
            if resolver.resolve(function["Properties"].get("SnapStart", {}))
            == {"ApplyOn": "PublishedVersions"}
        }
        assert applied == snapshotted, setting
    resolver = Resolver(expanded)
    for api in template.resources_of_type(expanded, "AWS::ApiGatewayV2::Api").values():
        for operations in api["Properties"]["Body"]["paths"].values():
            for operation in operations.values():
                uri = resolver.resolve(operation["x-amazon-apigateway-integration"]["uri"])
                target = uri.split(":function:", 1)[1].split("/", 1)[0]
                assert ":" in target, f"{target} is invoked unqualified ($LATEST)"
