"""A synchronous facade of ``JobSetClient`` for scripts and notebooks.

    from jobset_temporal import SyncJobSetClient

    jobsets = SyncJobSetClient.connect("127.0.0.1:7233")
    jobsets.submit(leader_workers("train", image="pytorch/pytorch", workers=3))
    for status in jobsets.watch("default", "train"):
        print(status.terminalState or "running")
    jobsets.close()

The async client runs on an event loop of its own in a background thread, so the facade works
where a loop already runs (Jupyter) as well as in a plain script.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

from .client import JobSetClient, JobSetInfo, SubmitResult
from .models import JobSet, JobSetStatus

T = TypeVar("T")


class _LoopThread:
    """An event loop running forever in a daemon thread; ``run`` waits for one coroutine on it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="jobset-temporal-loop", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


class SyncJobSetClient:
    """The methods of ``JobSetClient``, blocking until done (same arguments, results and errors)."""

    def __init__(self, client: JobSetClient, runner: _LoopThread) -> None:
        self.client = client
        self._runner = runner

    @classmethod
    def connect(cls, *args: Any, **kwargs: Any) -> "SyncJobSetClient":
        """Connects like ``JobSetClient.connect`` (same arguments)."""
        runner = _LoopThread()
        try:
            return cls(runner.run(JobSetClient.connect(*args, **kwargs)), runner)
        except BaseException:
            runner.stop()
            raise

    def prepare(self, source: JobSet | dict[str, Any] | str, namespace: str | None = None) -> JobSet:
        return self.client.prepare(source, namespace)

    def submit(self, source: JobSet | dict[str, Any] | str, namespace: str | None = None) -> SubmitResult:
        return self._runner.run(self.client.submit(source, namespace))

    def get(self, namespace: str, name: str) -> JobSetInfo:
        return self._runner.run(self.client.get(namespace, name))

    def list(
        self,
        namespace: str | None = None,
        label_selector: str = "",
        state: str | None = None,
        on_unreadable: Callable[[str, Exception], None] | None = None,
    ) -> list[JobSetInfo]:
        return self._runner.run(self.client.list(namespace, label_selector, state, on_unreadable))

    def watch(self, namespace: str, name: str, interval: float = 1.0) -> Iterator[JobSetStatus]:
        changes = self.client.watch(namespace, name, interval)

        async def next_change() -> JobSetStatus:
            return await changes.__anext__()

        while True:
            try:
                yield self._runner.run(next_change())
            except StopAsyncIteration:
                return

    def wait(self, namespace: str, name: str, for_: str = "Completed", timeout: float | None = None, interval: float = 1.0) -> JobSetStatus:
        return self._runner.run(self.client.wait(namespace, name, for_, timeout, interval))

    def suspend(self, namespace: str, name: str) -> JobSetStatus:
        return self._runner.run(self.client.suspend(namespace, name))

    def resume(self, namespace: str, name: str, request: dict[str, Any] | None = None) -> JobSetStatus:
        return self._runner.run(self.client.resume(namespace, name, request))

    def delete(self, namespace: str, name: str) -> None:
        self._runner.run(self.client.delete(namespace, name))

    def close(self) -> None:
        """Stops the background loop (the connection closes with it)."""
        self._runner.stop()

    def __enter__(self) -> "SyncJobSetClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
