"""DynamoDB access: the only package that talks to the table, one module per aggregate.

One table holds everything (see docs/architecture.md):

| item            | PK             | SK      | GSI1 (approved)                | GSI2 (pending)            |
| --------------- | -------------- | ------- | ------------------------------ | ------------------------- |
| comment         | COMMENT#<id>   | COMMENT | ARTICLE#<slug>, <created>#<id> | PENDING or SPAM, <c>#<id> |
| article counter | ARTICLE#<slug> | STATS   |                                |                           |
| subscription    | ARTICLE#<slug> | SUB#<h> |                                |                           |
| email sent      | IDEMPOTENCY    | <key>   | (Powertools idempotency, expires by TTL)                   |
| rate counter    | RATE#<subject> | <window seconds>#<window number> (expires by TTL)                    |
"""
