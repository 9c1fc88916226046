"""Reads template.yaml, so the local stack and the tests are driven by the same file that deploys."""

import json
import re
import secrets
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from parley_cli.conditions import decide

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = PROJECT_ROOT / "template.yaml"


class _CloudFormationLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (`!Ref X` becomes `{"Ref": "X"}`)."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = str(value).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CloudFormationLoader.add_multi_constructor("!", _intrinsic)


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    code_uri: Path
    handler: str
    environment: dict[str, Any] = field(default_factory=dict)
    timeout_seconds: int = 3
    memory_mb: int = 128


@dataclass(frozen=True)
class HttpRoute:
    method: str
    path: str
    function: str

    @property
    def pattern(self) -> re.Pattern[str]:
        """`/a/{id}` matches `/a/42`, with `id` as a named group."""
        parts = re.split(r"\{([^}/+]+)\+?\}", self.path)
        regex = "".join(
            re.escape(part) if index % 2 == 0 else f"(?P<{part}>[^/]+)" for index, part in enumerate(parts)
        )
        return re.compile(f"^{regex}$")


@cache
def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.load(handle, Loader=_CloudFormationLoader)  # noqa: S506 - SafeLoader subclass
    return loaded


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


def functions(template: dict[str, Any]) -> dict[str, FunctionSpec]:
    globals_ = template.get("Globals", {}).get("Function", {})
    shared = globals_.get("Environment", {}).get("Variables", {})
    specs = {}
    for name, resource in resources_of_type(template, "AWS::Serverless::Function").items():
        properties = resource["Properties"]
        own = properties.get("Environment", {}).get("Variables", {})
        specs[name] = FunctionSpec(
            logical_id=name,
            code_uri=PROJECT_ROOT / properties["CodeUri"],
            handler=properties["Handler"],
            environment={**shared, **own},
            timeout_seconds=int(properties.get("Timeout", globals_.get("Timeout", 3))),
            memory_mb=int(properties.get("MemorySize", globals_.get("MemorySize", 128))),
        )
    return specs


def http_routes(template: dict[str, Any]) -> list[HttpRoute]:
    routes = []
    for name, resource in resources_of_type(template, "AWS::Serverless::Function").items():
        for event in resource["Properties"].get("Events", {}).values():
            if event["Type"] == "HttpApi":
                properties = event["Properties"]
                routes.append(HttpRoute(properties["Method"].upper(), properties["Path"], name))
    return routes


def scheduled_functions(template: dict[str, Any]) -> list[str]:
    """Functions that run on a schedule (EventBridge Scheduler or Events rules)."""
    return [
        name
        for name, resource in resources_of_type(template, "AWS::Serverless::Function").items()
        if any(
            event["Type"] in ("ScheduleV2", "Schedule")
            for event in resource["Properties"].get("Events", {}).values()
        )
    ]


def table_definitions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """create_table arguments for each AWS::DynamoDB::Table, by logical id (which names the table locally)."""
    definitions = {}
    for name, resource in resources_of_type(template, "AWS::DynamoDB::Table").items():
        properties = resource["Properties"]
        arguments: dict[str, Any] = {
            "TableName": name,
            "AttributeDefinitions": properties["AttributeDefinitions"],
            "KeySchema": properties["KeySchema"],
            "BillingMode": properties.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if "GlobalSecondaryIndexes" in properties:
            arguments["GlobalSecondaryIndexes"] = properties["GlobalSecondaryIndexes"]
        definitions[name] = arguments
    return definitions


def time_to_live_attributes(template: dict[str, Any]) -> dict[str, str]:
    return {
        name: resource["Properties"]["TimeToLiveSpecification"]["AttributeName"]
        for name, resource in resources_of_type(template, "AWS::DynamoDB::Table").items()
        if resource["Properties"].get("TimeToLiveSpecification", {}).get("Enabled")
    }


def resolve(value: Any, references: dict[str, str], conditions: dict[str, bool] | None = None) -> str:
    """A value of the template with `Ref`s to parameters and resources replaced by local values, and
    each `Fn::If` by its branch (`conditions`: `conditions.decide`)."""
    if isinstance(value, dict) and "Ref" in value:
        return references[value["Ref"]]
    if isinstance(value, dict) and "Fn::If" in value and conditions is not None:
        name, when_true, when_false = value["Fn::If"]
        return resolve(when_true if conditions[name] else when_false, references, conditions)
    if isinstance(value, str | int | float | bool):
        return str(value)
    raise ValueError(f"the local stack cannot resolve {value!r}")


# The owner must choose these when deploying (the template gives them no default); the local stack
# and the tests use these values unless told otherwise.
LOCAL_VALUES = {
    "SiteUrl": "http://127.0.0.1:3000",
    "AllowedOrigins": "http://127.0.0.1:3000,http://localhost:3000",
    "SenderEmail": "comments@example.com",
    "AlarmEmail": "alarms@example.com",
}


def parameter_defaults(template: dict[str, Any]) -> dict[str, str]:
    """Each parameter's default, or its local value when the template has no default."""
    defaults = {}
    for name, spec in template.get("Parameters", {}).items():
        if "Default" in spec:
            defaults[name] = str(spec["Default"])
        elif name in LOCAL_VALUES:
            defaults[name] = LOCAL_VALUES[name]
        else:
            raise ValueError(
                f"template parameter {name} has no default: give it a local value in LOCAL_VALUES"
            )
    return defaults


def function_environment(
    template: dict[str, Any], spec: FunctionSpec, references: dict[str, str]
) -> dict[str, str]:
    """A function's environment as it would be on AWS. `references` gives the value of each `Ref`
    (parameters and resources); parameters not given take their defaults, other resources their
    logical id (a table's local name)."""
    known = {**parameter_defaults(template), **references}
    known.update({name: name for name in template["Resources"] if name not in known})
    conditions = decide(template, known)
    return {name: resolve(value, known, conditions) for name, value in spec.environment.items()}


def create_resources(template: dict[str, Any], session: Any, parameters: dict[str, str]) -> dict[str, str]:
    """Create the template's tables, queues, secrets and SES identities wherever `session` (boto3)
    points: moto, or the local stack's moto server. Returns what `Ref` gives for each resource
    (a table's name, a queue's URL, a secret's ARN, a configuration set's name)."""
    known = {**parameter_defaults(template), **parameters}
    references = create_tables(template, session.client("dynamodb"))
    references.update(create_queues(template, session.client("sqs")))
    references.update(create_secrets(template, session.client("secretsmanager"), decide(template, known)))
    references.update(create_email_identities(template, session.client("sesv2"), known))
    return references


def create_secrets(
    template: dict[str, Any], secrets_client: Any, conditions: dict[str, bool]
) -> dict[str, str]:
    """Each AWS::SecretsManager::Secret whose condition holds, with a value generated here as
    GenerateSecretString asks."""
    arns = {}
    for name, resource in resources_of_type(template, "AWS::SecretsManager::Secret").items():
        if not conditions.get(resource.get("Condition", ""), True):
            continue
        length = int(resource["Properties"].get("GenerateSecretString", {}).get("PasswordLength", 32))
        value = secrets.token_urlsafe(length)[:length]
        arns[name] = secrets_client.create_secret(Name=name, SecretString=value)["ARN"]
    return arns


def create_email_identities(
    template: dict[str, Any], sesv2_client: Any, known: dict[str, str]
) -> dict[str, str]:
    """SES configuration sets (named by logical id) and email identities, verified at once (moto)."""
    names = {}
    for name in resources_of_type(template, "AWS::SES::ConfigurationSet"):
        sesv2_client.create_configuration_set(ConfigurationSetName=name)
        names[name] = name
    for name, resource in resources_of_type(template, "AWS::SES::EmailIdentity").items():
        identity = resolve(resource["Properties"]["EmailIdentity"], known)
        if identity:  # an optional identity (SenderDomain) left empty
            sesv2_client.create_email_identity(EmailIdentity=identity)
            names[name] = identity
    return names


def create_tables(template: dict[str, Any], dynamodb_client: Any) -> dict[str, str]:
    ttl = time_to_live_attributes(template)
    for name, arguments in table_definitions(template).items():
        dynamodb_client.create_table(**arguments)
        if name in ttl:
            dynamodb_client.update_time_to_live(
                TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl[name]}
            )
    return {name: name for name in table_definitions(template)}


QUEUE_ATTRIBUTES = ("VisibilityTimeout", "MessageRetentionPeriod", "SqsManagedSseEnabled", "DelaySeconds")


def create_queues(template: dict[str, Any], sqs_client: Any) -> dict[str, str]:
    """Each AWS::SQS::Queue, named by its logical id; redrive policies point at the queues made here."""
    queues = resources_of_type(template, "AWS::SQS::Queue")
    urls, arns = {}, {}
    for name, resource in queues.items():
        properties = resource.get("Properties", {})
        attributes = {
            key: str(properties[key]).lower() if isinstance(properties[key], bool) else str(properties[key])
            for key in QUEUE_ATTRIBUTES
            if key in properties
        }
        urls[name] = sqs_client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arns[name] = sqs_client.get_queue_attributes(QueueUrl=urls[name], AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
    for name, resource in queues.items():
        redrive = resource.get("Properties", {}).get("RedrivePolicy")
        if redrive:
            [target, _] = redrive["deadLetterTargetArn"]["Fn::GetAtt"]
            policy = {"deadLetterTargetArn": arns[target], "maxReceiveCount": int(redrive["maxReceiveCount"])}
            sqs_client.set_queue_attributes(
                QueueUrl=urls[name], Attributes={"RedrivePolicy": json.dumps(policy)}
            )
    return urls
