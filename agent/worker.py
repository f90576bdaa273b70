"""The worker: finds new calls, triages a few at a time, and keeps going through faults.

Every call goes through the ledger: sources queue calls there, and the worker
claims them back a few at a time, so a call is triaged once however many polls,
webhooks, restarts or fellow workers see it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

from agent.calls import Call
from agent.claims import Claims
from agent.errors import ConfigError
from agent.gong import GongError
from agent.pipeline import Pipeline
from agent.sources import Source
from tools.trackers.base import TrackerAuthError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Errors every call would meet alike: the worker stops rather than fail them all.
FATAL = (TrackerAuthError, ConfigError)


@dataclass
class Tally:
    """What a worker did since it started."""

    queued: int = 0
    triaged: int = 0
    skipped: int = 0
    failed: int = 0
    poll_errors: int = 0

    def __str__(self) -> str:
        return (
            f"queued {self.queued} new call(s); triaged {self.triaged}, "
            f"skipped {self.skipped}, failed {self.failed}"
        )


class Worker:
    """Polls its sources every `interval` seconds and drains the queue in between.

    `stop` ends the worker: it claims nothing more, lets the calls in hand finish
    for up to `grace` seconds, then gives back the ones still unfinished. An error
    no call can get past (the tracker refusing its credentials) stops it the same
    way, and is raised once the worker has stopped.
    """

    def __init__(
        self,
        claims: Claims,
        pipeline: Pipeline,
        sources: Sequence[Source],
        *,
        concurrency: int = 4,
        interval: float = 300.0,
        grace: float = 30.0,
    ) -> None:
        self.claims = claims
        self.pipeline = pipeline
        self.sources = list(sources)
        self.concurrency = concurrency
        self.interval = interval
        self.grace = grace
        self.tally = Tally()
        self.fatal: Exception | None = None
        self.stop = asyncio.Event()
        self._hurry = asyncio.Event()
        self._wake = asyncio.Event()

    def request_stop(self) -> None:
        """Stop gracefully; asked a second time, give back unfinished calls now."""
        if self.stop.is_set():
            self._hurry.set()
        self.stop.set()

    def queue(self, call: Call) -> bool:
        """Queue a call that arrived by itself (a webhook) and drain soon."""
        queued = self.claims.enqueue(call)
        self.tally.queued += queued
        self._wake.set()
        return queued

    async def run_once(self) -> Tally:
        """Poll every source once, then triage everything claimable."""
        await self._poll_all()
        await self._drain()
        return self._result()

    async def run_forever(self) -> Tally:
        """Poll and drain until `stop` is set."""
        loop = asyncio.get_running_loop()
        next_poll = loop.time()
        while not self.stop.is_set():
            try:
                if loop.time() >= next_poll:
                    next_poll = loop.time() + self.interval
                    await self._poll_all()
                self._wake.clear()
                await self._drain()
            except Exception:  # the worker outlives any one failed round
                logger.exception("the worker's round failed; trying again later")
            await self._rest(next_poll - loop.time())
        return self._result()

    def _result(self) -> Tally:
        if self.fatal is not None:
            raise self.fatal
        return self.tally

    async def _poll_all(self) -> None:
        for source in self.sources:
            try:
                queued = await self._unless_stopped(source.poll(self.claims))
            except GongError as exc:
                logger.warning("polling %s failed: %s", source.name, exc)
                self.tally.poll_errors += 1
                continue
            if queued is None:
                return
            self.tally.queued += queued

    async def _drain(self) -> None:
        running: dict[asyncio.Task[None], str] = {}
        stopping = asyncio.create_task(self.stop.wait())
        renewing = asyncio.create_task(self._keep_leases(running))
        try:
            while True:
                if not self.stop.is_set():
                    for call in self._claim(self.concurrency - len(running)):
                        running[asyncio.create_task(self._process(call))] = call.call_id
                if not running:
                    return
                if self.stop.is_set():
                    return await self._finish_or_release(running)
                done, _ = await asyncio.wait(
                    {*running, stopping}, return_when=asyncio.FIRST_COMPLETED
                )
                for task in done - {stopping}:
                    del running[task]
        finally:
            stopping.cancel()
            renewing.cancel()
            # Left early by an error: the calls in hand give back their claims.
            for task in running:
                task.cancel()

    def _claim(self, limit: int) -> list[Call]:
        """Claim more calls; a database that fails to answer is tried next round."""
        try:
            return self.claims.claim(limit)
        except SQLAlchemyError as exc:
            logger.warning("could not claim calls: %s", exc)
            return []

    async def _process(self, call: Call) -> None:
        try:
            result = await self.pipeline.process(call, claims=self.claims)
        except asyncio.CancelledError:
            self.claims.release(call.call_id)
            logger.info("gave back call %s unfinished", call.call_id)
            raise
        except FATAL as exc:
            self.claims.release(call.call_id)
            self.fatal = self.fatal or exc
            self.stop.set()
            return
        except Exception as exc:  # one call's fault must not stop the others
            logger.exception("call %s failed", call.call_id)
            self.claims.fail(call.call_id, f"{type(exc).__name__}: {exc}")
            self.tally.failed += 1
            return
        if result.status == "failed":
            self.tally.failed += 1
        elif result.status == "skipped":
            self.tally.skipped += 1
        elif result.status == "triaged":
            self.tally.triaged += 1

    async def _finish_or_release(self, running: dict[asyncio.Task[None], str]) -> None:
        hurry = asyncio.create_task(self._hurry.wait())
        logger.info("stopping: waiting for %d call(s) in hand", len(running))
        try:
            in_hand = asyncio.gather(*running, return_exceptions=True)
            await asyncio.wait(
                {in_hand, hurry},
                timeout=self.grace,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            hurry.cancel()
        unfinished = [task for task in running if not task.done()]
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)

    async def _keep_leases(self, running: dict[asyncio.Task[None], str]) -> None:
        every = self.claims.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(every)
            self._renew(running)

    def _renew(self, running: dict[asyncio.Task[None], str]) -> None:
        """Renew the claims in hand; a call whose claim is gone is worked on no more."""
        try:
            held = self.claims.renew(list(running.values()))
        except SQLAlchemyError as exc:
            logger.warning("could not renew the claims in hand: %s", exc)
            return
        for task, call_id in running.items():
            if call_id not in held and not task.done():
                logger.warning("lost the claim on call %s; stopping its run", call_id)
                task.cancel()

    async def _unless_stopped(self, work: Awaitable[T]) -> T | None:
        """The result of `work`, or None when `stop` came first and cancelled it."""
        task = asyncio.ensure_future(work)
        stopping = asyncio.create_task(self.stop.wait())
        try:
            await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            if not task.done():
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
        return None if task.cancelled() else task.result()

    async def _rest(self, seconds: float) -> None:
        """Sleep until the next poll, a stop, or a call queued by a webhook."""
        if self.stop.is_set() or seconds <= 0:
            return
        stopping = asyncio.create_task(self.stop.wait())
        waking = asyncio.create_task(self._wake.wait())
        try:
            await asyncio.wait(
                {stopping, waking},
                timeout=seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            stopping.cancel()
            waking.cancel()
