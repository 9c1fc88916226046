"""Subscriptions: who wants follow-ups for which article, and whether they confirmed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from parley.models import Subscription, SubscriptionScope, SubscriptionStatus, email_hash
from parley.retention import UNCONFIRMED_SUBSCRIPTION_RETENTION
from parley.settings import get_settings
from parley.storage.dynamo import batch_get, dynamodb, error_code, plain, timestamp, to_attributes


def _subscription_key(slug: str, email_hash: str) -> dict[str, Any]:
    return {"PK": {"S": f"ARTICLE#{slug}"}, "SK": {"S": f"SUB#{email_hash}"}}


class SubscriptionRepository:
    UNCONFIRMED_LIFETIME = UNCONFIRMED_SUBSCRIPTION_RETENTION

    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    def request(
        self,
        slug: str,
        email: str,
        now: datetime,
        resend_after: timedelta,
        reader_key: str,
        lang: str = "en",
    ) -> Subscription | None:
        """Record a wish to subscribe. Returns the subscription when a confirmation is due: it is new,
        unsubscribed before, or unconfirmed with no confirmation sent within `resend_after`; None otherwise.
        Unconfirmed, it expires (TTL) 7 days after its last confirmation email; `reader_key` files it
        under its reader (GSI4)."""
        return self._conditional_update(
            slug,
            email_hash(email),
            UpdateExpression=(
                "SET #type = :type, article_slug = :slug, email = :email, email_hash = :hash, "
                "#status = :unconfirmed, #scope = :all, lang = :lang, confirmation_sent_at = :now, "
                "created_at = if_not_exists(created_at, :now), expires_at = :expires, "
                "GSI4PK = :reader, GSI4SK = :reader_sort "
                "REMOVE confirmed_at, unsubscribed_at"
            ),
            ConditionExpression=(
                "attribute_not_exists(PK) OR #status = :unsubscribed "
                "OR (#status = :unconfirmed AND (attribute_not_exists(confirmation_sent_at) "
                "OR confirmation_sent_at < :resend_from))"
            ),
            ExpressionAttributeNames={"#type": "type", "#status": "status", "#scope": "scope"},
            ExpressionAttributeValues={
                ":type": {"S": "subscription"},
                ":all": {"S": "all"},
                ":slug": {"S": slug},
                ":lang": {"S": lang},
                ":email": {"S": email},
                ":hash": {"S": email_hash(email)},
                ":unconfirmed": {"S": SubscriptionStatus.UNCONFIRMED.value},
                ":unsubscribed": {"S": SubscriptionStatus.UNSUBSCRIBED.value},
                ":now": {"S": timestamp(now)},
                ":resend_from": {"S": timestamp(now - resend_after)},
                ":expires": {"N": str(int((now + self.UNCONFIRMED_LIFETIME).timestamp()))},
                ":reader": {"S": f"READER#{reader_key}"},
                ":reader_sort": {"S": f"SUB#{slug}"},
            },
        )

    def add_if_new(self, subscription: Subscription, reader_key: str) -> bool:
        """Store an imported subscription unless the address already has one for the article;
        `reader_key` files it under its reader (GSI4), as a subscription made here is."""
        stored = subscription.model_dump(mode="json", exclude_none=True)
        stored.update({"GSI4PK": f"READER#{reader_key}", "GSI4SK": f"SUB#{subscription.article_slug}"})
        for name in ("created_at", "confirmation_sent_at", "confirmed_at", "unsubscribed_at"):
            moment = getattr(subscription, name)
            if moment is not None:
                stored[name] = timestamp(moment)
        if subscription.status is SubscriptionStatus.UNCONFIRMED:
            sent = subscription.confirmation_sent_at or subscription.created_at
            stored["expires_at"] = int((sent + self.UNCONFIRMED_LIFETIME).timestamp())
        key = _subscription_key(subscription.article_slug, subscription.email_hash)
        try:
            dynamodb().put_item(
                TableName=self.table_name,
                Item={**to_attributes({**stored, "type": "subscription"}), **key},
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def remove(self, subscription: Subscription) -> None:
        """Forget a subscription entirely (its reader erased their data)."""
        dynamodb().delete_item(
            TableName=self.table_name,
            Key=_subscription_key(subscription.article_slug, subscription.email_hash),
        )

    def withdraw_request(self, subscription: Subscription) -> None:
        """Undo `request`'s mark when its confirmation could not be queued, so a new tick sends one."""
        self._conditional_update(
            subscription.article_slug,
            subscription.email_hash,
            UpdateExpression="REMOVE confirmation_sent_at",
            ConditionExpression="#status = :unconfirmed",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":unconfirmed": {"S": SubscriptionStatus.UNCONFIRMED.value}},
        )

    def get(self, slug: str, email_hash: str) -> Subscription | None:
        response = dynamodb().get_item(
            TableName=self.table_name, Key=_subscription_key(slug, email_hash), ConsistentRead=True
        )
        return subscription_from_item(response["Item"]) if "Item" in response else None

    def confirm(self, slug: str, email_hash: str, now: datetime) -> Subscription | None:
        """Confirm an unconfirmed (or already confirmed) subscription; None when there is none to confirm."""
        return self._set_status(
            slug,
            email_hash,
            "SET #status = :confirmed, confirmed_at = if_not_exists(confirmed_at, :now) REMOVE expires_at",
            "#status IN (:unconfirmed, :confirmed)",
            now,
        )

    def choose_scope(
        self, slug: str, email_hash: str, scope: SubscriptionScope, now: datetime
    ) -> Subscription | None:
        """Follow all new comments or only replies (again, after unsubscribing); only an address that
        confirmed once may choose. None when there is no such subscription."""
        return self._conditional_update(
            slug,
            email_hash,
            UpdateExpression="SET #status = :confirmed, #scope = :scope, scope_chosen_at = :now REMOVE unsubscribed_at",
            ConditionExpression="attribute_exists(confirmed_at)",
            ExpressionAttributeNames={"#status": "status", "#scope": "scope"},
            ExpressionAttributeValues={
                ":confirmed": {"S": SubscriptionStatus.CONFIRMED.value},
                ":scope": {"S": scope},
                ":now": {"S": timestamp(now)},
            },
        )

    def unsubscribe(self, slug: str, email_hash: str, now: datetime) -> Subscription | None:
        """Stop all mail for this article and address; None when there was no subscription."""
        return self._set_status(
            slug,
            email_hash,
            "SET #status = :unsubscribed, unsubscribed_at = :now REMOVE expires_at",
            None,
            now,
        )

    def _set_status(
        self, slug: str, email_hash: str, update: str, condition: str | None, now: datetime
    ) -> Subscription | None:
        """Apply `update` to an existing subscription (and only when `condition` holds, if given)."""
        values = {
            ":confirmed": {"S": SubscriptionStatus.CONFIRMED.value},
            ":unconfirmed": {"S": SubscriptionStatus.UNCONFIRMED.value},
            ":unsubscribed": {"S": SubscriptionStatus.UNSUBSCRIBED.value},
            ":now": {"S": timestamp(now)},
        }
        expression = "attribute_exists(PK)" + (f" AND {condition}" if condition else "")
        used = {name: value for name, value in values.items() if name in update or name in expression}
        return self._conditional_update(
            slug,
            email_hash,
            UpdateExpression=update,
            ConditionExpression=expression,
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=used,
        )

    def _conditional_update(self, slug: str, email_hash: str, **update: Any) -> Subscription | None:
        """UpdateItem on one subscription; its new state, or None when the condition did not hold."""
        try:
            response = dynamodb().update_item(
                TableName=self.table_name,
                Key=_subscription_key(slug, email_hash),
                ReturnValues="ALL_NEW",
                **update,
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return None
            raise
        return subscription_from_item(response["Attributes"])

    def confirmed_page(
        self, slug: str, after: str | None, page_size: int
    ) -> tuple[list[Subscription], str | None]:
        """One page of the article's confirmed subscriptions, from just after the email hash `after`;
        and the hash to continue after, or None at the end."""
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "PK = :article AND begins_with(SK, :subscription)",
            "FilterExpression": "#status = :confirmed",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":article": {"S": f"ARTICLE#{slug}"},
                ":subscription": {"S": "SUB#"},
                ":confirmed": {"S": SubscriptionStatus.CONFIRMED.value},
            },
            "Limit": page_size,
        }
        if after is not None:
            query["ExclusiveStartKey"] = _subscription_key(slug, after)
        response = dynamodb().query(**query)
        last = response.get("LastEvaluatedKey")
        return [subscription_from_item(item) for item in response.get("Items", [])], (
            last["SK"]["S"].removeprefix("SUB#") if last else None
        )

    def statuses(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], SubscriptionStatus]:
        """The status of up to 100 (slug, email hash) subscriptions in one BatchGetItem; absent ones are left out."""
        found: dict[tuple[str, str], SubscriptionStatus] = {}
        request = {
            "Keys": [_subscription_key(slug, hashed) for slug, hashed in dict.fromkeys(keys)],
            "ProjectionExpression": "article_slug, email_hash, #status",
            "ExpressionAttributeNames": {"#status": "status"},
            "ConsistentRead": True,
        }
        for item in batch_get(self.table_name, request):
            stored = plain(item)
            found[(stored["article_slug"], stored["email_hash"])] = SubscriptionStatus(stored["status"])
        return found


def subscription_from_item(item: dict[str, Any]) -> Subscription:
    return Subscription.model_validate(plain(item))
