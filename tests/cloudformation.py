"""template.yaml as CloudFormation would receive it: expanded by the SAM translator, and its values
resolved against the resources of a test (moto) or of nothing (names fall back to logical ids)."""

import copy
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import boto3
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

from parley_cli import template

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's account
PARTITION = "aws"
UNKNOWN = "*"  # what a value the tests cannot know resolves to: any name, of the right resource type


@cache
def _expanded() -> dict[str, Any]:
    sam = copy.deepcopy(template.load_template())
    for name, resource in sam["Resources"].items():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):  # as `sam package` leaves them
            if isinstance(properties.get(key), str):
                properties[key] = f"s3://packaged/{name}"
    translator = Translator(
        managed_policy_map={}, sam_parser=Parser(), boto_session=boto3.Session(region_name=REGION)
    )
    expanded: dict[str, Any] = translator.translate(sam_template=sam, parameter_values={})
    return expanded


def expanded_template() -> dict[str, Any]:
    """The CloudFormation template SAM makes of template.yaml (roles, permissions, the API's routes)."""
    return copy.deepcopy(_expanded())


@dataclass
class Resolver:
    """Resolves Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If and conditions.
    `references` gives what `Ref` answers for parameters and resources (as the conftest's `aws`)."""

    expanded: dict[str, Any]
    references: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        defaults = template.parameter_defaults(self.expanded)  # as the local stack and the conftest have them
        self.references = {
            **defaults,
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::Partition": PARTITION,
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": "parley",
            **self.references,
        }

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(item) for item in value if item != {"Ref": "AWS::NoValue"}]
        if not isinstance(value, dict):
            return value
        if len(value) != 1:
            return {key: self.resolve(item) for key, item in value.items()}
        [(function, argument)] = value.items()
        match function:
            case "Ref":
                return self.ref(argument)
            case "Fn::GetAtt":
                resource, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
                return self.get_att(resource, attribute)
            case "Fn::Sub":
                text, variables = (argument, {}) if isinstance(argument, str) else argument
                return self.sub(text, {name: self.resolve(item) for name, item in variables.items()})
            case "Fn::Join":
                delimiter, items = argument
                return str(delimiter).join(str(item) for item in self.resolve(items))
            case "Fn::Select":
                index, items = argument
                return self.resolve(items)[int(self.resolve(index))]
            case "Fn::Split":
                delimiter, text = argument
                return str(self.resolve(text)).split(delimiter)
            case "Fn::If":
                condition, if_true, if_false = argument
                return self.resolve(if_true if self.condition(condition) else if_false)
            case "Fn::ImportValue" | "Fn::GetAZs" | "Fn::Base64" | "Fn::Cidr" | "Fn::FindInMap":
                return UNKNOWN
        return {key: self.resolve(item) for key, item in value.items()}

    def ref(self, name: str) -> str:
        if name in self.references:
            return self.references[name]
        resource = self.expanded["Resources"].get(name, {})
        if resource.get("Type") == "AWS::Lambda::Alias":  # AutoPublishAlias: the alias's ARN
            properties = resource["Properties"]
            function = self.get_att(self.resolve(properties["FunctionName"]), "Arn")
            return f"{function}:{self.resolve(properties['Name'])}"
        return name  # a resource the tests did not create: its local name is its logical id

    def get_att(self, resource: str, attribute: str) -> str:
        kind = self.expanded["Resources"].get(resource, {}).get("Type", "")
        name = self.ref(resource)
        arn = f"arn:{PARTITION}:{{}}:{REGION}:{ACCOUNT}:{{}}"
        match kind, attribute:
            case "AWS::DynamoDB::Table", "Arn":
                return arn.format("dynamodb", f"table/{name}")
            case "AWS::SQS::Queue", "Arn":
                return arn.format("sqs", name.rsplit("/", 1)[-1])
            case "AWS::SQS::Queue", "QueueName":
                return name.rsplit("/", 1)[-1]
            case "AWS::Lambda::Function", "Arn":
                return arn.format("lambda", f"function:{name}")
            case "AWS::IAM::Role", "Arn":
                return f"arn:{PARTITION}:iam::{ACCOUNT}:role/{name}"
            case "AWS::SNS::Topic", "TopicArn" | "TopicName":
                return arn.format("sns", name) if attribute == "TopicArn" else name
        return UNKNOWN

    def sub(self, text: str, variables: dict[str, Any]) -> str:
        def replace(found: re.Match[str]) -> str:
            name = found[1]
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return str(variables[name])
            if "." in name and not name.startswith("AWS::"):
                return self.get_att(*name.split(".", 1))
            return self.ref(name)

        return re.sub(r"\$\{([^}]+)\}", replace, text)

    def condition(self, condition: Any) -> bool:
        if isinstance(condition, str):
            return self.condition(self.expanded.get("Conditions", {})[condition])
        [(function, argument)] = condition.items()
        match function:
            case "Fn::Equals":
                left, right = (str(self.resolve(item)) for item in argument)
                return left == right
            case "Fn::Not":
                return not self.condition(argument[0])
            case "Fn::And":
                return all(self.condition(item) for item in argument)
            case "Fn::Or":
                return any(self.condition(item) for item in argument)
            case "Condition":
                return self.condition(argument)
        raise ValueError(f"not a condition: {condition!r}")
