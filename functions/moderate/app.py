"""ModerateFunction: invoked directly by moderators (never over HTTP). JSON in, JSON out.

{"action": "list_pending", "limit": 50, "cursor": null}
{"action": "get", "comment_id": "..."}
{"action": "approve" | "reject" | "spam" | "delete", "comment_id": "...", "moderator": "who"}
{"action": "import", "comments": [{...every stored field...}], "subscriptions": [...]}   (`parley import`)
{"action": "export", "article_slug": null, "include_subscriptions": false, "limit": 100, "cursor": null}
{"action": "rerender", "article_slug": null, "limit": 100, "cursor": null}   (`parley rerender`)
"""

from parley import cold_start  # first: no garbage collection while the function loads

# isort: split
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from parley import moderation, rerendering, transfer
from parley.errors import InvalidTransition, NotFound, ParleyError
from parley.observability import logger
from parley.sqs import NotificationQueue
from parley.storage.comments import CommentRepository
from parley.storage.subscriptions import SubscriptionRepository

repository = CommentRepository()
subscriptions = SubscriptionRepository()
queue = NotificationQueue()


def handle(request: moderation.ModerationRequest) -> dict[str, Any]:
    match request:
        case moderation.ListPending():
            return moderation.list_pending(request, repository).model_dump(mode="json")
        case moderation.GetComment():
            comment = repository.get(request.comment_id)
        case moderation.ChangeStatus():
            comment = moderation.change_status(request, repository, queue)
        case moderation.DeleteComment():
            comment = moderation.delete(request, repository)
        case transfer.ImportComments():
            return transfer.import_comments(request, repository, subscriptions).model_dump(mode="json")
        case transfer.ExportComments():
            return transfer.export_comments(request, repository.table_name).model_dump(mode="json")
        case rerendering.RerenderComments():
            return rerendering.rerender(request, repository).model_dump(mode="json")
    [shown] = moderation.in_context([comment], repository)
    return {"comment": shown.model_dump(mode="json")}


def failure(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


@logger.inject_lambda_context
def lambda_handler(event: Any, context: LambdaContext) -> dict[str, Any]:
    try:
        return handle(moderation.moderation_request.validate_python(event))
    except ValidationError as error:
        return failure("validation_failed", moderation.describe(error))
    except (NotFound, InvalidTransition) as error:
        return failure(error.code, error.message)
    except ParleyError as error:
        return failure("validation_failed", error.message)
    except Exception:
        logger.exception("moderation failed")
        return failure("internal_error", "moderation failed; the function's log has the details")


cold_start.ready()
