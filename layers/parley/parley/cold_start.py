"""A cold start without the garbage collector walking the objects that loading a function makes.

Importing boto3, Powertools and pydantic, and building a function's clients and resolver, creates
50,000 to 90,000 objects the collector tracks, nearly all of which live as long as the container.
CPython's cyclic collector, triggered by allocation counts, walked them again and again while they
were being made: 50-100 ms of a function's first request (docs/benchmarks.md, "First request").

Importing this module turns collection off, so each function's `app.py` imports it before anything
else (a unit test holds them to that) and calls `ready()` as its last line, once its handler is
built: what is alive then is moved out of every later collection's way (`gc.freeze`), and
collection is on again for the requests. Nothing else should import it.

Reference counting still frees almost everything as usual; only garbage in reference cycles made
while loading stays, some 700 objects (~170 KiB) per function.
"""

import gc

gc.disable()


def ready() -> None:
    """Collection on again. The first time in a process, what exists now is frozen out of it for good;
    a process that loads several functions (the local stack, the tests) freezes only once."""
    if not gc.get_freeze_count():
        gc.freeze()
    gc.enable()
