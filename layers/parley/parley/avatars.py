"""Avatars without a third party: a keyed hash of the commenter, drawn by the widget as an identicon.

The hash is an HMAC-SHA256 under the stack's signing secret (never a plain hash of the address, as
Gravatar's MD5 is, which anyone can recompute for a guessed address), over the address as typed in
any capitalisation, or over the name for an imported comment without one. It is cut to 64 bits:
enough to tell commenters apart at a glance, too short to be worth attacking.
"""

from parley import tokens

AVATAR_LENGTH = 16  # hex digits


def avatar_key(email: str | None, name: str) -> str:
    """The same for the same commenter on every article of the stack; reveals nothing about them."""
    address = (email or "").strip().casefold()
    who = f"email:{address}" if address else f"name:{name.strip().casefold()}"
    return tokens.keyed_hash("avatar", who)[:AVATAR_LENGTH]
