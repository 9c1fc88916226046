"""Daily marks: a piece of scheduled work claimed for one UTC day, so that it is done once that day.

One item per piece of work and day (`DAILY#<name>`, `<YYYY-MM-DD>`): `held_until` (epoch seconds:
a claim that ran out without `done`, its run having failed, may be taken again), `done` once the
work is finished. It expires by TTL after KEPT. Claims are conditional writes, so runs that overlap
or an invocation retried never both take the same day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from botocore.exceptions import ClientError

from parley.settings import get_settings
from parley.storage.dynamo import dynamodb, error_code

KEPT = timedelta(days=2)  # past its day, a mark only has to outlive a run that started just before midnight


def day_of(moment: datetime) -> str:
    """The UTC day a moment falls on, as the mark's sort key."""
    return moment.date().isoformat()


class DailyMarks:
    def __init__(self, table_name: str | None = None) -> None:
        self.table_name = table_name or get_settings().table_name

    def _key(self, name: str, day: str) -> dict[str, dict[str, str]]:
        return {"PK": {"S": f"DAILY#{name}"}, "SK": {"S": day}}

    def claim(self, name: str, now: datetime, hold: timedelta) -> bool:
        """Take today's work for `hold`: only when nobody did it today and no claim of today still holds."""
        try:
            dynamodb().put_item(
                TableName=self.table_name,
                Item={
                    **self._key(name, day_of(now)),
                    "held_until": {"N": str(int((now + hold).timestamp()))},
                    "expires_at": {"N": str(int((now + KEPT).timestamp()))},
                },
                ConditionExpression="attribute_not_exists(PK) OR "
                "(attribute_not_exists(done) AND held_until < :now)",
                ExpressionAttributeValues={":now": {"N": str(int(now.timestamp()))}},
            )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def done(self, name: str, day: str) -> None:
        """The day's work is finished: no later run that day takes it again."""
        dynamodb().update_item(
            TableName=self.table_name,
            Key=self._key(name, day),
            UpdateExpression="SET done = :done",
            ExpressionAttributeValues={":done": {"BOOL": True}},
        )
