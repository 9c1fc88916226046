"""The floor a Parley function's first request is judged against: the same framework pieces (boto3,
Powertools' HTTP resolver with validation, Logger) answering one GET with one DynamoDB read."""

import os
from functools import cache
from typing import Annotated, Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
app = APIGatewayHttpResolver(enable_validation=True)


@cache
def dynamodb() -> Any:
    return boto3.client("dynamodb")


@app.get("/api/comments")
def read_counter(article_slug: Annotated[str, Query(pattern=r"^[a-z0-9-]{1,200}$")]) -> dict[str, Any]:
    key = {"PK": {"S": f"ARTICLE#{article_slug}"}, "SK": {"S": "STATS"}}
    item = dynamodb().get_item(TableName=os.environ["TABLE_NAME"], Key=key).get("Item", {})
    return {"article_slug": article_slug, "count": int(item.get("approved_count", {}).get("N", "0"))}


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    result: dict[str, Any] = app.resolve(event, context)
    return result
