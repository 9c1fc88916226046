"""What `sam deploy` would refuse or trip on, checked offline: placeholder answers, and fixed names
that would stop a second stack (staging beside production) in the same region."""

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import decode
from samtranslator.translator.transform import transform

from parley_cli import template

ROOT = Path(__file__).resolve().parents[2]
OWNER_PARAMETERS = {
    # parameter: (a value an owner would give, what pressing Enter or a placeholder would give)
    "SiteUrl": (
        "https://blog.mysite.net",
        ["", "https://example.com", "https://blog.example.com/", "ftp://x"],
    ),
    "AllowedOrigins": ("https://mysite.net,https://www.mysite.net", ["", "https://a.net/path", "*"]),
    "SenderEmail": ("comments@mysite.net", ["", "comments@example.com", "me@blog.example.org", "nobody"]),
    "AlarmEmail": ("owner@mysite.net", ["", "alarms@example.com", "owner"]),
}
# Properties that give a resource its physical name, by resource type (after the SAM transform).
NAME_PROPERTIES = {
    "AWS::Scheduler::Schedule": "Name",
    "AWS::Lambda::LayerVersion": "LayerName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::SQS::Queue": "QueueName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::CloudWatch::Alarm": "AlarmName",
    "AWS::CloudWatch::Dashboard": "DashboardName",
    "AWS::SecretsManager::Secret": "Name",
    "AWS::SES::ConfigurationSet": "Name",
    "AWS::Budgets::Budget": "BudgetName",
}


def allowed(parameter: dict[str, Any], value: str) -> bool:
    """CloudFormation's check of a parameter value (AllowedPattern must match all of it)."""
    return re.fullmatch(parameter["AllowedPattern"], value) is not None


@pytest.mark.parametrize("name", sorted(OWNER_PARAMETERS))
def test_an_owner_parameter_has_no_placeholder_and_refuses_one(name: str) -> None:
    parameter = template.load_template()["Parameters"][name]
    good, placeholders = OWNER_PARAMETERS[name]

    assert "Default" not in parameter
    assert allowed(parameter, good)
    assert [value for value in placeholders if allowed(parameter, value)] == []
    assert parameter["ConstraintDescription"]


def test_optional_parameters_accept_empty_and_refuse_placeholders() -> None:
    parameters = template.load_template()["Parameters"]

    for name in ("ModeratorEmail", "SenderDomain", "ApiBaseUrl"):
        assert parameters[name]["Default"] == ""
        assert allowed(parameters[name], "")
    assert not allowed(parameters["ModeratorEmail"], "moderators@example.com")
    assert allowed(parameters["SenderDomain"], "mysite.net")
    assert not allowed(parameters["SenderDomain"], "https://mysite.net")
    assert not allowed(parameters["ApiBaseUrl"], "https://comments.mysite.net/")


def test_no_resource_has_a_fixed_physical_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Transformed as `sam deploy` would (SAM names a schedule after its event unless told not to)."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    loaded, _ = decode(str(ROOT / "template.yaml"))
    for resource in loaded["Resources"].values():
        for key in ("CodeUri", "ContentUri"):
            if key in resource.get("Properties", {}):
                resource["Properties"][key] = "s3://bucket/key"

    class NoManagedPolicies:
        def load(self) -> dict[str, str]:
            return {}

    transformed = transform(loaded, {}, NoManagedPolicies())

    fixed = {
        logical_id: resource["Properties"][NAME_PROPERTIES[resource["Type"]]]
        for logical_id, resource in transformed["Resources"].items()
        if isinstance(resource.get("Properties", {}).get(NAME_PROPERTIES.get(resource["Type"], "")), str)
    }
    assert fixed == {}


def test_the_example_samconfig_answers_every_owner_parameter_acceptably() -> None:
    """`samconfig.toml.example` copied and edited is a deploy without prompts: each environment
    answers every parameter that has no default, with values CloudFormation accepts."""
    parameters = template.load_template()["Parameters"]
    config = tomllib.loads((ROOT / "samconfig.toml.example").read_text())
    required = {name for name, spec in parameters.items() if "Default" not in spec}

    for environment in config.values():
        if not isinstance(environment, dict):
            continue
        answers = dict(
            item.split("=", 1) for item in environment["deploy"]["parameters"]["parameter_overrides"]
        )
        assert required <= set(answers), sorted(required - set(answers))
        for name, value in answers.items():
            if "AllowedPattern" in parameters[name]:
                assert allowed(parameters[name], value), (name, value)
