"""Work that runs once the response has gone to the client.

With a broker, a task's .delay() only publishes a message, and the request's answer and timing cannot depend
on what the task finds. Without one (the embedded default: tasks run eagerly) .delay() would run the task
inside the request, so a task whose work depends on private data (matching a verified identifier against
the leaked datasets, then e-mailing the person) would make the answer slower exactly when there is a match.
delay_after_response() runs such a task after the response instead: the WSGI server calls the response's
close() once the client has the answer, and AfterResponseMiddleware runs the queued work there.
"""

import logging
from contextvars import ContextVar
from functools import partial

logger = logging.getLogger(__name__)

_queued: ContextVar[list | None] = ContextVar("after_response_queue", default=None)


class AfterResponseMiddleware:
    """Collect the work queued while a request is handled and run it when the response is closed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _queued.set([])
        try:
            response = self.get_response(request)
            queued = _queued.get()
        finally:
            _queued.reset(token)
        if queued:
            response._resource_closers.append(partial(_run, queued))  # Django's hook for close()
        return response


def _run(queued: list) -> None:
    for work in queued:
        try:
            work()
        except Exception:  # close() would swallow it silently; the work is lost either way, so say so
            logger.exception("Work queued to run after the response failed")


def delay_after_response(task, *args, **kwargs) -> None:
    """task.delay(*args, **kwargs); when tasks run eagerly inside a request, only after the response."""
    queued = _queued.get()
    if queued is not None and task.app.conf.task_always_eager:
        queued.append(partial(task.delay, *args, **kwargs))
    else:
        task.delay(*args, **kwargs)
