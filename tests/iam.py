"""What IAM would decide: the statements of each function's role in the expanded template, and the
(action, resource) pairs an AWS API call needs. moto enforces no IAM; this stands in for it.

Explicit denies win over allows. A condition is evaluated when the call gives its key (string
operators only, such as `ses:FromAddress`); a condition on any other key is taken as met."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from parley_cli.call_log import AwsCall
from tests.cloudformation import ACCOUNT, PARTITION, REGION, Resolver

# The IAM action each API operation needs, where it is not `<prefix>:<Operation>`.
ACTIONS = {
    ("sqs", "SendMessageBatch"): "SendMessage",
    ("sqs", "DeleteMessageBatch"): "DeleteMessage",
    ("sqs", "ChangeMessageVisibilityBatch"): "ChangeMessageVisibility",
}
# DynamoDB authorises a transaction's items as the single-item actions they are.
TRANSACTION_ITEMS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}


@dataclass(frozen=True)
class Statement:
    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    negated_actions: bool = False
    negated_resources: bool = False
    conditions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (operator, key, values)

    def matches(self, action: str, resource: str, context: Mapping[str, str] | None = None) -> bool:
        action_hit = any(_wildcard(pattern, action, ignore_case=True) for pattern in self.actions)
        resource_hit = any(_wildcard(pattern, resource) for pattern in self.resources)
        return (
            action_hit != self.negated_actions
            and resource_hit != self.negated_resources
            and all(
                _holds(operator, (context or {}).get(key), values)
                for operator, key, values in self.conditions
            )
        )


def _holds(operator: str, value: str | None, values: tuple[str, ...]) -> bool:
    if value is None:
        return True  # a key this call does not give: taken as met
    match operator.removesuffix("IfExists"):
        case "StringEquals":
            return value in values
        case "StringNotEquals":
            return value not in values
        case "StringEqualsIgnoreCase":
            return value.casefold() in {item.casefold() for item in values}
        case "StringLike":
            return any(_wildcard(pattern, value) for pattern in values)
        case "StringNotLike":
            return not any(_wildcard(pattern, value) for pattern in values)
    return True


def _wildcard(pattern: str, value: str, ignore_case: bool = False) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


def _listed(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in (value if isinstance(value, list) else [value]))


def statements_of(document: dict[str, Any], resolver: Resolver) -> list[Statement]:
    statements = []
    for raw in _listed_dicts(resolver.resolve(document.get("Statement", []))):
        actions, negated_actions = (raw["Action"], False) if "Action" in raw else (raw["NotAction"], True)
        resources, negated = (raw["Resource"], False) if "Resource" in raw else (raw["NotResource"], True)
        conditions = tuple(
            (operator, key, _listed(values))
            for operator, tests in raw.get("Condition", {}).items()
            for key, values in tests.items()
        )
        statements.append(
            Statement(
                raw["Effect"], _listed(actions), _listed(resources), negated_actions, negated, conditions
            )
        )
    return statements


def _listed_dicts(value: Any) -> list[dict[str, Any]]:
    return value if isinstance(value, list) else [value]


def _chosen(policy: Any, resolver: Resolver) -> Any:
    """An inline policy, or the branch of its `Fn::If` that the conditions pick (None for AWS::NoValue)."""
    while isinstance(policy, dict) and "Fn::If" in policy:
        condition, when_true, when_false = policy["Fn::If"]
        policy = when_true if resolver.condition(condition) else when_false
    return None if policy == {"Ref": "AWS::NoValue"} else policy


def role_statements(function: str, resolver: Resolver) -> list[Statement]:
    """Every statement of the role a function runs as: the role's inline policies and the
    AWS::IAM::Policy / ManagedPolicy resources of the template attached to it (AWS managed policies
    such as AWSLambdaBasicExecutionRole grant logs only, and are left out)."""
    resources = resolver.expanded["Resources"]
    role = resources[function]["Properties"]["Role"]
    [role_name, _] = role["Fn::GetAtt"]
    chosen = [_chosen(policy, resolver) for policy in resources[role_name]["Properties"].get("Policies", [])]
    documents = [policy["PolicyDocument"] for policy in chosen if policy is not None]
    for resource in resources.values():
        if resource["Type"] not in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            continue
        if "Condition" in resource and not resolver.condition(resource["Condition"]):
            continue
        if {"Ref": role_name} in resource["Properties"].get("Roles", []):
            documents.append(resource["Properties"]["PolicyDocument"])
    return [statement for document in documents for statement in statements_of(document, resolver)]


def allowed(
    statements: list[Statement], action: str, resource: str, context: Mapping[str, str] | None = None
) -> bool:
    if any(s.effect == "Deny" and s.matches(action, resource, context) for s in statements):
        return False
    return any(s.effect == "Allow" and s.matches(action, resource, context) for s in statements)


def context_of(service: str, operation: str, params: dict[str, Any]) -> dict[str, str]:
    """The condition keys a call gives that the tests know how to read."""
    if (service, operation) == ("sesv2", "SendEmail"):
        return {"ses:FromAddress": parseaddr(params["FromEmailAddress"])[1]}
    return {}


def arn(service: str, resource: str, region: str = REGION) -> str:
    return f"arn:{PARTITION}:{service}:{region}:{ACCOUNT}:{resource}"


def table_arn(name: str, index: str | None = None) -> str:
    return arn("dynamodb", f"table/{name}" + (f"/index/{index}" if index else ""))


def queue_arn(url: str) -> str:
    return arn("sqs", url.rstrip("/").rsplit("/", 1)[-1])


def required(service: str, operation: str, params: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The (action, resources) an API call needs: IAM grants it when, for each pair, some resource
    of the list is allowed (SES accepts the sender's address or its domain as the identity)."""
    match service, operation:
        case "dynamodb", "TransactWriteItems" | "TransactGetItems":
            return [
                (f"dynamodb:{TRANSACTION_ITEMS[kind]}", [table_arn(detail["TableName"])])
                for item in params["TransactItems"]
                for kind, detail in item.items()
            ]
        case "dynamodb", "BatchGetItem" | "BatchWriteItem":
            return [(f"dynamodb:{operation}", [table_arn(name)]) for name in params["RequestItems"]]
        case "dynamodb", _ if "TableName" in params:
            return [(f"dynamodb:{operation}", [table_arn(params["TableName"], params.get("IndexName"))])]
        case "sqs", "GetQueueUrl":
            return [("sqs:GetQueueUrl", [arn("sqs", params["QueueName"])])]
        case "sqs", _ if "QueueUrl" in params:
            return [(f"sqs:{ACTIONS.get((service, operation), operation)}", [queue_arn(params["QueueUrl"])])]
        case "sesv2", "SendEmail":
            sender = parseaddr(params["FromEmailAddress"])[1]
            domain = sender.rpartition("@")[2]
            needs = [("ses:SendEmail", [arn("ses", f"identity/{sender}"), arn("ses", f"identity/{domain}")])]
            if "ConfigurationSetName" in params:
                needs.append(
                    ("ses:SendEmail", [arn("ses", f"configuration-set/{params['ConfigurationSetName']}")])
                )
            return needs
        case "secretsmanager", _ if "SecretId" in params:
            return [(f"secretsmanager:{operation}", [params["SecretId"]])]
        case "lambda", "Invoke":
            name = params["FunctionName"]
            function = name if name.startswith("arn:") else arn("lambda", f"function:{name}")
            return [("lambda:InvokeFunction", [function])]
    prefix = {"sesv2": "ses"}.get(service, service)
    return [(f"{prefix}:{ACTIONS.get((service, operation), operation)}", ["*"])]


def refused(calls: list[AwsCall], resolver: Resolver) -> list[str]:
    """One line for each (function, action, resource) of `calls` that the function's role does not allow."""
    roles: dict[str, list[Statement]] = {}
    lines: dict[str, None] = {}
    for call in calls:
        if call.function not in roles:
            roles[call.function] = role_statements(call.function, resolver)
        context = context_of(call.service, call.operation, call.params)
        for action, resources in required(call.service, call.operation, call.params):
            if not any(allowed(roles[call.function], action, resource, context) for resource in resources):
                lines[f"{call.function}: {action} on {' or '.join(resources)} ({call.operation})"] = None
    return list(lines)
