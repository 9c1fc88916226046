"""A cold start without the garbage collector walking the objects that loading a function makes.

Importing boto3, Powertools and pydantic, and building a function's clients and resolver, creates
a few hundred thousand objects that live as long as the container. CPython's cyclic collector,
triggered by allocation counts, walks them again and again while they are being made: a fifth of a
function's first request (docs/benchmarks.md, "First request"). So each function's module imports
this one before anything else, which turns collection off, and calls `ready()` once its handler is
built: what is alive then is moved out of every later collection's way (`gc.freeze`), and
collection is on again for the requests.

Reference counting still frees almost everything as usual; only garbage in reference cycles made
while loading stays, and it is a fraction of a MiB (measured by `python -m bench --only first`).
"""

import gc

gc.disable()


def ready() -> None:
    """Collection on again. The first time in a process, what exists now is frozen out of it for good;
    a process that loads several functions (the local stack, the tests) freezes only once."""
    if not gc.get_freeze_count():
        gc.freeze()
    gc.enable()
