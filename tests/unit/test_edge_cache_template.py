"""The optional edge cache (EdgeCache=true) in template.yaml, as CloudFormation receives it (the SAM
translator's expansion), checked against what the code reads: not a copy of the template's values."""

from pathlib import Path
from typing import Any

import pytest

from parley.api import EDGE_URL_STAGE_VARIABLE
from parley.client_address import EDGE_SECRET_HEADER, VIEWER_ADDRESS_HEADER
from parley_cli import template
from tests import iam
from tests.cloudformation import Resolver, expanded_template
from tests.unit.test_template import api_routes

SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:EdgeOriginSecret-AbCdEf"


def stack(edge_cache: str) -> Resolver:
    return Resolver(expanded_template(), {"EdgeCache": edge_cache, "EdgeOriginSecret": SECRET_ARN})


def present(resolver: Resolver) -> dict[str, dict[str, Any]]:
    """The resources CloudFormation would create for these parameters."""
    return {
        name: resource
        for name, resource in resolver.expanded["Resources"].items()
        if "Condition" not in resource or resolver.condition(resource["Condition"])
    }


def distribution(resolver: Resolver) -> dict[str, Any]:
    [config] = [
        resolver.resolve(resource["Properties"]["DistributionConfig"])
        for resource in present(resolver).values()
        if resource["Type"] == "AWS::CloudFront::Distribution"
    ]
    return config


def policy(resolver: Resolver, logical_id: str, config_key: str) -> dict[str, Any]:
    resolved: dict[str, Any] = resolver.resolve(
        resolver.expanded["Resources"][logical_id]["Properties"][config_key]
    )
    return resolved


def policies(resolver: Resolver) -> tuple[dict[str, Any], dict[str, Any]]:
    behaviour = distribution(resolver)["DefaultCacheBehavior"]
    return (
        policy(resolver, behaviour["CachePolicyId"], "CachePolicyConfig"),
        policy(resolver, behaviour["OriginRequestPolicyId"], "OriginRequestPolicyConfig"),
    )


def clients_of_the_viewer_address() -> list[str]:
    """The functions whose code asks who the reader is (and so must be able to check the secret)."""
    specs = template.functions(template.load_template())
    return sorted(
        name for name, spec in specs.items() if "client_address" in Path(spec.code_uri, "app.py").read_text()
    )


def test_off_by_default_the_stack_has_no_edge_cache_and_on_it_has_one_with_its_url() -> None:
    default = template.parameter_defaults(template.load_template())["EdgeCache"]
    off, on = stack(default), stack("true")
    edge_types = ("AWS::CloudFront::", "AWS::SecretsManager::")
    edge_resources = {n for n, r in present(on).items() if r["Type"].startswith(edge_types)}
    outputs = on.expanded["Outputs"]

    assert {r["Type"] for r in present(off).values() if r["Type"].startswith("AWS::CloudFront::")} == set()
    assert set(present(off)) == (set(present(on)) - edge_resources) | {"SigningSecret"}
    assert on.condition(outputs["EdgeUrl"]["Condition"])
    assert not off.condition(outputs["EdgeUrl"]["Condition"])
    assert on.resolve(outputs["EdgeUrl"]["Value"]).startswith("https://")


def test_only_gets_are_cached_and_every_route_passes_through() -> None:
    on = stack("true")
    behaviour = distribution(on)["DefaultCacheBehavior"]
    routed = {method for method, _ in api_routes()}

    assert set(behaviour["CachedMethods"]) == {"GET", "HEAD"}
    assert routed | {"OPTIONS"} <= set(behaviour["AllowedMethods"])
    assert behaviour["ViewerProtocolPolicy"] in ("https-only", "redirect-to-https")


def test_a_get_is_kept_only_as_long_as_its_cache_control_says() -> None:
    """No Cache-Control (a confirmation page, a moderator's link): not cached at all. A listing: for
    its max-age, up to the longest ListCacheSeconds allows; keyed on its query and the site asking."""
    on = stack("true")
    cache_policy, _ = policies(on)
    config = distribution(on)
    longest = template.load_template()["Parameters"]["ListCacheSeconds"]["MaxValue"]
    key = cache_policy["ParametersInCacheKeyAndForwardedToOrigin"]

    assert (int(cache_policy["MinTTL"]), int(cache_policy["DefaultTTL"])) == (0, 0)
    assert int(cache_policy["MaxTTL"]) >= int(longest)
    assert key["QueryStringsConfig"]["QueryStringBehavior"] == "all"
    assert "origin" in {header.lower() for header in key["HeadersConfig"]["Headers"]}
    assert key["CookiesConfig"]["CookieBehavior"] == "none"
    kept_errors = {int(e["ErrorCode"]): int(e["ErrorCachingMinTTL"]) for e in config["CustomErrorResponses"]}
    assert {kept_errors.get(status, 10) for status in (500, 502, 503, 504)} == {
        0
    }  # 10 s: CloudFront's default


def test_the_api_receives_what_it_reads_and_never_the_viewers_host() -> None:
    on = stack("true")
    cache_policy, origin_request = policies(on)
    in_key = cache_policy["ParametersInCacheKeyAndForwardedToOrigin"]["HeadersConfig"]["Headers"]
    config = origin_request["HeadersConfig"]
    forwarded = {header.lower() for header in [*in_key, *config["Headers"]]}

    assert config["HeaderBehavior"] == "whitelist"
    assert {"content-type", "authorization", "origin", "user-agent", VIEWER_ADDRESS_HEADER} <= forwarded
    assert {"access-control-request-method", "access-control-request-headers"} <= forwarded
    assert "host" not in forwarded  # API Gateway answers only to its own host name
    assert origin_request["CookiesConfig"]["CookieBehavior"] == "none"


def test_the_distribution_proves_itself_with_a_secret_the_functions_can_check() -> None:
    on, off = stack("true"), stack("false")
    [origin] = distribution(on)["Origins"]
    headers = {h["HeaderName"].lower(): h["HeaderValue"] for h in origin["OriginCustomHeaders"]}
    readers = clients_of_the_viewer_address()
    loaded = template.load_template()

    assert origin["DomainName"].startswith("HttpApi.execute-api.")
    assert headers[EDGE_SECRET_HEADER] == f"{{{{resolve:secretsmanager:{SECRET_ARN}:SecretString}}}}"
    assert on.expanded["Resources"]["EdgeOriginSecret"]["Properties"]["GenerateSecretString"]
    assert readers == ["ModerationLinksFunction", "SubmitCommentFunction"]
    for name in readers:
        spec = template.functions(loaded)[name]
        on_environment = template.function_environment(loaded, spec, on.references)
        assert on_environment["EDGE_SECRET_ARN"] == SECRET_ARN, name
        assert template.function_environment(loaded, spec, off.references)["EDGE_SECRET_ARN"] == "", name
        assert iam.allowed(iam.role_statements(name, on), "secretsmanager:GetSecretValue", SECRET_ARN), name
        assert not iam.allowed(iam.role_statements(name, off), "secretsmanager:GetSecretValue", SECRET_ARN), (
            name
        )


@pytest.mark.parametrize("edge_cache", ["true", "false"])
def test_email_links_reach_the_api_through_the_distribution_when_there_is_one(edge_cache: str) -> None:
    resolver = stack(edge_cache)
    [stage] = [r for r in present(resolver).values() if r["Type"] == "AWS::ApiGatewayV2::Stage"]
    variables = resolver.resolve(stage["Properties"].get("StageVariables", {})) or {}

    if edge_cache == "true":
        assert variables == {EDGE_URL_STAGE_VARIABLE: "https://*"}  # the distribution's domain name
    else:
        assert EDGE_URL_STAGE_VARIABLE not in variables
