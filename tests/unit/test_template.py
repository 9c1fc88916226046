"""template.yaml stays deployable, and what the local stack and tests read from it stays true."""

from pathlib import Path

from cfnlint.api import ManualArgs, lint_file

from parley.storage import comment_items
from parley_cli import template
from parley_cli.openapi import openapi_document

ROOT = Path(__file__).resolve().parents[2]


def test_template_is_clean_under_cfn_lint() -> None:
    matches = lint_file(ROOT / "template.yaml", config=ManualArgs(regions=["us-east-1"]))

    assert [str(match) for match in matches] == []


def test_every_function_runs_on_python_3_13_with_the_layer() -> None:
    loaded = template.load_template()
    assert loaded["Globals"]["Function"]["Runtime"] == "python3.13"
    assert loaded["Globals"]["Function"]["Layers"] == [{"Ref": "ParleyLayer"}]
    layer = loaded["Resources"]["ParleyLayer"]
    assert layer["Metadata"]["BuildMethod"] == "python3.13"
    assert (ROOT / layer["Properties"]["ContentUri"] / "requirements.txt").is_file()
    for spec in template.functions(loaded).values():
        assert (spec.code_uri / "app.py").is_file()


def test_the_table_is_on_demand_encrypted_recoverable_and_expires_items() -> None:
    properties = template.load_template()["Resources"]["CommentsTable"]["Properties"]

    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["SSESpecification"]["SSEEnabled"] is True
    assert properties["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}


def test_routes_are_those_of_the_http_contract() -> None:
    routes = {
        (route.method, route.path): route.function for route in template.http_routes(template.load_template())
    }

    assert routes == {
        ("POST", "/api/comments"): "SubmitCommentFunction",
        ("GET", "/api/comments"): "ListCommentsFunction",
        ("GET", "/api/comments/count"): "ListCommentsFunction",
        ("GET", "/api/comments/replies"): "ListCommentsFunction",
        ("GET", "/api/subscriptions/confirm"): "SubscriptionsFunction",
        ("POST", "/api/subscriptions/confirm"): "SubscriptionsFunction",
        ("GET", "/api/subscriptions/unsubscribe"): "SubscriptionsFunction",
        ("POST", "/api/subscriptions/unsubscribe"): "SubscriptionsFunction",
    }


def test_every_route_has_a_sample_event() -> None:
    samples = {path.read_text() for path in (ROOT / "events").glob("*.json")}
    for route in template.http_routes(template.load_template()):
        assert any(f'"routeKey": "{route.method} {route.path}"' in sample for sample in samples), route


def test_docs_openapi_json_is_current(environment: dict[str, str]) -> None:
    """`make openapi` writes it; this fails when a route or model changed without it."""
    assert (ROOT / "docs" / "openapi.json").read_text() == openapi_document()


def test_the_public_indexes_project_exactly_what_the_listing_reads() -> None:
    """The listing asks GSI1 and GSI3 for these fields only; emails are not even in those indexes."""
    indexes = template.load_template()["Resources"]["CommentsTable"]["Properties"]["GlobalSecondaryIndexes"]
    projections = {index["IndexName"]: index["Projection"] for index in indexes}

    for name, attributes in [
        (comment_items.ARTICLE_INDEX, comment_items.PUBLISHED_ATTRIBUTES),
        (comment_items.THREAD_INDEX, comment_items.THREAD_ATTRIBUTES),
    ]:
        assert projections[name]["ProjectionType"] == "INCLUDE"
        assert sorted(projections[name]["NonKeyAttributes"]) == sorted(attributes)
        assert "email" not in projections[name]["NonKeyAttributes"]


def policy_actions(logical_id: str) -> list[str]:
    resource = template.load_template()["Resources"][logical_id]
    actions: list[str] = []
    for policy in resource["Properties"]["Policies"]:
        for statement in policy.get("Statement", []):
            listed = statement["Action"]
            actions += listed if isinstance(listed, list) else [listed]
        actions += [f"SAM:{name}" for name in policy if name != "Statement"]
    return sorted(actions)


def test_moderation_has_no_http_route_at_all() -> None:
    loaded = template.load_template()

    assert "Events" not in loaded["Resources"]["ModerateFunction"]["Properties"]
    assert "ModerateFunction" not in {route.function for route in template.http_routes(loaded)}
    assert not template.resources_of_type(loaded, "AWS::Lambda::Permission")
    assert not template.resources_of_type(loaded, "AWS::Lambda::Url")


def test_each_function_has_only_what_it_needs() -> None:
    assert policy_actions("ListCommentsFunction") == [
        "dynamodb:BatchGetItem",
        "dynamodb:GetItem",
        "dynamodb:Query",
    ]
    assert policy_actions("SubmitCommentFunction") == [
        "SAM:AWSSecretsManagerGetSecretValuePolicy",
        "SAM:SQSSendMessagePolicy",
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    ]
    assert policy_actions("SubscriptionsFunction") == [
        "SAM:AWSSecretsManagerGetSecretValuePolicy",
        "dynamodb:UpdateItem",
    ]
    assert policy_actions("ModerateFunction") == [
        "SAM:SQSSendMessagePolicy",
        "dynamodb:BatchGetItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
    ]


def test_the_notification_queue_is_encrypted_and_keeps_what_fails() -> None:
    resources = template.load_template()["Resources"]
    queue = resources["NotificationQueue"]["Properties"]
    dead_letters = resources["NotificationDeadLetterQueue"]["Properties"]

    assert queue["SqsManagedSseEnabled"] is True
    assert dead_letters["SqsManagedSseEnabled"] is True
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["NotificationDeadLetterQueue", "Arn"]
    }
    assert dead_letters["MessageRetentionPeriod"] == 1209600


def test_the_sender_runs_on_a_schedule_alone_and_mails_only_as_its_identity() -> None:
    loaded = template.load_template()
    sender = loaded["Resources"]["SendNotificationsFunction"]["Properties"]
    [schedule] = sender["Events"].values()
    ses_statement = next(
        statement
        for policy in sender["Policies"]
        for statement in policy.get("Statement", [])
        if "ses:SendRawEmail" in statement["Action"]
    )

    assert schedule == {
        "Type": "ScheduleV2",
        "Properties": {"ScheduleExpression": {"Ref": "NotificationSchedule"}, "OmitName": True},
    }
    assert loaded["Parameters"]["NotificationSchedule"]["Default"] == "rate(5 minutes)"
    assert "ReservedConcurrentExecutions" not in sender
    assert [resource["Fn::Sub"] for resource in ses_statement["Resource"]] == [
        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*",
        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/${EmailConfigurationSet}",
    ]
    assert ses_statement["Condition"] == {"StringEquals": {"ses:FromAddress": {"Ref": "SenderEmail"}}}


def test_bounces_and_complaints_are_suppressed() -> None:
    configuration = template.load_template()["Resources"]["EmailConfigurationSet"]["Properties"]

    assert sorted(configuration["SuppressionOptions"]["SuppressedReasons"]) == ["BOUNCE", "COMPLAINT"]
