"""`parley moderate review`: the pending comments one at a time, oldest first, each with its context,
and one key for each move (approve, reject, spam, skip, quit)."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable
from typing import Any

Invoke = Callable[[argparse.Namespace, dict[str, Any]], dict[str, Any]]
KEYS = {"a": "approve", "r": "reject", "s": "spam", "k": "skip", "": "skip", "q": "quit"}
PROMPT = "[a]pprove  [r]eject  [s]pam  s[k]ip  [q]uit > "
PAGE_SIZE = 50


def in_context(comment: dict[str, Any]) -> str:
    """What a moderator needs to decide: where, who, what it answers, what it says."""
    lines = [
        f"{comment['article_slug']} · {comment['created_at'][:16].replace('T', ' ')} UTC · {comment['id']}",
        f"{comment['name']} <{comment['email']}>"
        + (f" · {comment['website']}" if comment.get("website") else ""),
    ]
    parent = comment.get("parent")
    if parent:
        lines.append(f"In reply to {parent['name']} ({parent['status']}):")
        lines.append(textwrap.indent(parent["message"], "  | "))
    lines.append(textwrap.indent(comment["message"], "  "))
    return "\n".join(lines)


def run(
    arguments: argparse.Namespace,
    invoke: Invoke,
    moderator: str,
    ask: Callable[[str], str] = input,
    say: Callable[[str], None] = print,
) -> int:
    """Until the queue is done or the moderator quits; skipped comments are not shown again."""
    skipped: set[str] = set()
    cursor: str | None = None
    decided = 0
    while True:
        page = invoke(arguments, {"action": "list_pending", "limit": PAGE_SIZE, "cursor": cursor})
        if "error" in page:
            say(f"{page['error'].get('code')}: {page['error'].get('message')}")
            return 1
        waiting = [comment for comment in page["comments"] if comment["id"] not in skipped]
        if not waiting:
            if page.get("next_cursor"):
                cursor = page["next_cursor"]
                continue
            say(f"No more comments await review ({decided} decided, {len(skipped)} skipped).")
            return 0
        comment = waiting[0]
        say("\n" + in_context(comment))
        move = _ask_move(ask, say)
        if move == "quit":
            say(f"{decided} decided, {len(skipped)} skipped.")
            return 0
        if move == "skip":
            skipped.add(comment["id"])
            continue
        answer = invoke(arguments, {"action": move, "comment_id": comment["id"], "moderator": moderator})
        if "error" in answer:  # another moderator moved it meanwhile: say so, and go on
            say(f"not {move}d: {answer['error'].get('message')}")
            skipped.add(comment["id"])
            continue
        decided += 1
        say(f"-> {answer['comment']['status']}")


def _ask_move(ask: Callable[[str], str], say: Callable[[str], None]) -> str:
    while True:
        try:
            key = ask(PROMPT).strip().lower()[:1]
        except EOFError:
            return "quit"
        if key in KEYS:
            return KEYS[key]
        say("Keys: a approve, r reject, s spam, k (or Enter) skip, q quit.")
