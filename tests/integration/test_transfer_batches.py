"""Large import requests: many comments to a DynamoDB transaction, within what AWS allows, with
exact counts, whatever other writers do meanwhile.

moto accepts transactions AWS refuses (more than 100 actions, two actions on one item) and never
cancels one for a conflict: `aws_transaction_rules` and `refuse_first` model AWS at the boundary of
our own DynamoDB client (botocore's `before-call` hook), as tests/integration/test_aws_behaviours.py does.
"""

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from botocore.awsrequest import AWSResponse

from parley.storage import dynamo
from tests.conftest import Invoke
from tests.helpers import body, count_request
from tests.integration.test_aws_behaviours import refuse_first
from tests.integration.test_transfer import stored


def aws_transaction_rules(sent: list[int]) -> Callable[..., Any]:
    """A `before-call` hook refusing, as AWS does, a transaction of more than 100 actions or with two
    actions on one item; it notes the size of each transaction let through."""

    def hook(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        actions = json.loads(params["body"])["TransactItems"]  # the request as it would go to AWS
        keys = [
            str(request.get("Key") or {name: request["Item"][name] for name in ("PK", "SK")})
            for action in actions
            for request in action.values()
        ]
        if len(actions) > 100 or len(set(keys)) < len(keys):
            message = (
                "Member must have length less than or equal to 100"
                if len(actions) > 100
                else "Transaction request cannot include multiple operations on one item"
            )
            parsed = {"Error": {"Code": "ValidationException", "Message": message}}
            return AWSResponse("https://aws.invalid/", 400, {}, None), {
                **parsed,
                "ResponseMetadata": {"HTTPStatusCode": 400},
            }
        sent.append(len(actions))
        return None

    return hook


def spread(count: int, articles: int) -> list[dict[str, Any]]:
    """`count` approved comments, article by article in turn (each transaction meets many articles)."""
    return [stored(f"c{number}", article_slug=f"article-{number % articles}") for number in range(count)]


def counts(function: Callable[[str], Invoke], slugs: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(slugs), 50):
        answer = function("ListCommentsFunction")(count_request(slugs[start : start + 50]))
        found.update(body(answer)["counts"])
    return found


def test_a_request_of_many_articles_fits_aws_transactions_with_exact_counts(
    function: Callable[[str], Invoke],
) -> None:
    sent: list[int] = []
    dynamo.dynamodb().meta.events.register(
        "before-call.dynamodb.TransactWriteItems", aws_transaction_rules(sent)
    )
    # 150 comments and 75 articles' counts: three transactions at least (moto in tests copies the
    # whole table for each, so the request stays below IMPORT_BATCH_LIMIT here).
    comments = spread(150, 75)
    comments.append(comments[7])  # the same comment twice in one request: stored once

    answer = function("ModerateFunction")({"action": "import", "comments": comments})

    assert (answer["written"], answer["existing"], answer["approved_written"]) == (150, 1, 150)
    assert len(sent) >= 3
    assert all(size <= 100 for size in sent)
    expected = Counter(comment["article_slug"] for comment in comments[:-1])
    assert counts(function, sorted(expected)) == dict(expected)


def test_a_transaction_conflict_is_tried_again_and_nothing_counts_twice(
    function: Callable[[str], Invoke],
) -> None:
    """On AWS, another writer raising the same article's count at that moment cancels the transaction
    with `TransactionConflict` (moto never does): the import tries again, and counts stay exact."""
    comments = spread(30, 3)
    conflict = refuse_first(
        2,
        "TransactionCanceledException",
        "Transaction cancelled, please refer cancellation reasons for specific reasons",
        CancellationReasons=[{"Code": "None"}] * 30
        + [{"Code": "TransactionConflict"}, {"Code": "None"}]
        + [{"Code": "None"}],
    )
    dynamo.dynamodb().meta.events.register("before-call.dynamodb.TransactWriteItems", conflict)

    answer = function("ModerateFunction")({"action": "import", "comments": comments})
    again = function("ModerateFunction")({"action": "import", "comments": comments})

    assert (answer["written"], answer["existing"]) == (30, 0)
    assert (again["written"], again["existing"]) == (0, 30)
    assert counts(function, ["article-0", "article-1", "article-2"]) == {
        "article-0": 10,
        "article-1": 10,
        "article-2": 10,
    }
