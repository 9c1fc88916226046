"""The local stack's correction to Powertools' event handler, whose resolvers keep the event they
are answering on a class: `BaseRouter.current_event` and `BaseRouter.lambda_context`, shared by
every resolver of the process. On Lambda a process answers one event at a time. The local stack
runs every function's containers as threads of one process, so two requests at once read each
other's event: a reader's comment validated from another reader's body, one stored twice and the
other answered `409 duplicate_in_progress`. Here the two attributes are kept per thread, read and
written through the class (`BaseRouter.current_event = ...`) or a resolver (`app.current_event`)."""

import threading
from abc import ABCMeta
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

PER_THREAD = ("current_event", "lambda_context")
_values = threading.local()


class _ThreadValue:
    """A class attribute whose value is this thread's (read through the class or an instance)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        try:
            return getattr(_values, self.name)
        except AttributeError as error:
            raise AttributeError(self.name) from error

    def __set__(self, instance: object, value: Any) -> None:
        setattr(_values, self.name, value)


class _PerThreadRouterMeta(ABCMeta):
    """BaseRouter's metaclass here: `BaseRouter.current_event = event` sets this thread's value."""

    def __setattr__(cls, name: str, value: Any) -> None:
        if name in PER_THREAD and cls is BaseRouter:
            setattr(_values, name, value)
        else:
            super().__setattr__(name, value)


def apply() -> None:
    """Patch Powertools in this process (once)."""
    if isinstance(BaseRouter, _PerThreadRouterMeta):
        return
    for name in PER_THREAD:
        type.__setattr__(BaseRouter, name, _ThreadValue(name))
    BaseRouter.__class__ = _PerThreadRouterMeta  # type: ignore[method-assign,assignment]
