"""Composition root: settings -> db -> router -> channels (one list) -> delivery -> scheduler -> web."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot import console, redact
from bot.channels import telegram, webchat, wechat, wecom
from bot.channels.base import ChannelAdapter, ChannelFactory, Serving, Wiring
from bot.config import Settings
from bot.db.engine import make_engine, make_sessionmaker, unavailable, warm_pool
from bot.db.migrate import startup_lock, upgrade
from bot.events import Channel
from bot.router import Router
from bot.scheduler import make_scheduler
from bot.services.crisis import digest, escalation
from bot.services.messaging import housekeeping
from bot.services.messaging.delivery import DeliveryWorker
from bot.services.messaging.sealing import Sealer
from bot.services.messaging.spool import Spool
from bot.services.schedule import checkins
from bot.services.schedule.training import keep_audiences
from bot.services.school import console_links
from bot.services.school.schools import ensure_school
from bot.services.school.seed import seed_demo
from bot.texts import catalogue as texts
from bot.web import build_web
from handlers import bind, checkin, counsellor, disclose, mailbox, menu, report, report_match, student_file, training
from keywords import Triager

log = logging.getLogger(__name__)

# Every flow, registered explicitly. Commands are tried in this order, then the current step.
AUDIENCE_EVERY = 60.0  # seconds between recomputing training audiences and purging expired sealed addresses
FLOWS = [counsellor.FLOW, student_file.FLOW, menu.FLOW, bind.FLOW, mailbox.FLOW, disclose.FLOW, report.FLOW,
         report_match.FLOW, checkin.FLOW, training.FLOW]
# Every channel, registered explicitly: each make() returns its adapter, or None when its settings leave it off.
CHANNELS: list[ChannelFactory] = [webchat.make, wechat.make, wecom.make, telegram.make]


class App:
    """One running xinqiao: database, triage, channels, router, delivery and the clock."""

    def __init__(self, settings: Settings, triager: Triager | None = None) -> None:
        redact.install(settings.configured_secrets)  # before anything can log
        settings.ensure_data_dir()
        texts.load(settings)  # the school's texts.toml, checked whole (TextsError: the server does not start)
        self.settings = settings
        self.engine = make_engine(settings.db_url, pool_size=settings.database_pool_size,
                                  lock_wait=settings.database_wait_seconds)
        self.sessions = make_sessionmaker(self.engine)
        self.sealer = Sealer(settings.key)
        console_links.configure(settings.public_url)
        redact.install([settings.key])
        self.triager = triager or Triager.load(extra=settings.extra_lexicon_paths,
                                               cache_dir=settings.data_dir / "cache")
        self.school_id = 0
        self.demo = False  # prepared with the demo school: the web chat defaults to its demo mode
        self.spool = Spool(settings.data_dir / "spool", self.sealer)
        self.router = Router(flows=FLOWS, sessions=self.sessions, settings=settings, sealer=self.sealer,
                             triager=self.triager, school_id=lambda: self.school_id, after_commit=self.kick,
                             spool=self.spool)
        wiring = Wiring(settings=settings, router=self.router, sessions=self.sessions, sealer=self.sealer)
        self.adapters: list[ChannelAdapter] = [a for make in CHANNELS if (a := make(wiring)) is not None]
        for adapter in self.adapters:
            if not adapter.answers_inline:
                self.router.queue_replies_to(adapter.name)
        self.channels: dict[str, Channel] = {a.name: a for a in self.adapters}  # the delivery worker's
        self.delivery = DeliveryWorker(self.sessions, self.channels, self.sealer, quiet=settings.quiet)
        self._kicks: set[asyncio.Task[int]] = set()
        self._tick_lock = asyncio.Lock()
        self._next_audience_check = 0.0
        self.checkins_on_tick = True  # tests drive check-ins on a fake clock instead

    async def prepare(self, *, demo: bool = False) -> None:
        """Migrate, make sure the school exists, seed the demo if asked."""
        await upgrade(self.engine, secret_key=self.settings.key)
        async with self.sessions() as session, session.begin():
            await startup_lock(await session.connection())  # several workers start at once
            school = await ensure_school(session=session, name=self.settings.school_name,
                                         timezone=self.settings.timezone)
            self.school_id = school.id
            self.demo = self.demo or demo
            if demo and await seed_demo(session=session, school=school):
                log.info("demo school seeded")

    async def ready_to_serve(self) -> None:
        """Do now what the first messages would otherwise wait for, then set the startup objects aside.

        Opens the database pool (a burst must not open connections) and loads the triage dictionary
        (the first message must not). Then every object alive after startup (the dictionary is
        hundreds of thousands) is frozen out of the garbage collector's full passes, which otherwise
        stop a worker for 110-130 ms now and then (measured under bench-wechat).
        """
        await warm_pool(self.engine)
        self.triager.segmenter.warm()
        gc.collect()
        gc.freeze()

    async def tick(self) -> int:
        """Replay the outage spool, fire due escalation steps, ask and chase check-ins, then deliver what is
        due (pages first)."""
        async with self._tick_lock:
            zone = self.settings.zone
            done = await self.spool.replay(self.router.replay, unavailable)
            done += await escalation.run_due(sessions=self.sessions, zone=zone)
            if self.checkins_on_tick:
                try:
                    done += bool(await checkins.plan(sessions=self.sessions, school_id=self.school_id, zone=zone))
                    done += await checkins.run_due(sessions=self.sessions, zone=zone)
                except Exception:  # reminders must never hold up pages
                    log.exception("check-in planning failed")
            done += await self.delivery.run_once()
            if self.checkins_on_tick:  # housekeeping after what is due has gone out (queued rows go next tick)
                try:
                    done += bool(await digest.send_due(sessions=self.sessions, school_id=self.school_id, zone=zone))
                    if time.monotonic() >= self._next_audience_check:  # members bound since a session was added
                        self._next_audience_check = time.monotonic() + AUDIENCE_EVERY
                        done += await keep_audiences(sessions=self.sessions, zone=zone)
                except Exception:
                    log.exception("digest or training audiences failed")
            return done

    async def forget(self) -> dict[str, int]:
        """Purge what may link a sender to a note once nothing needs it (housekeeping.forget)."""
        return await housekeeping.forget(sessions=self.sessions)

    async def audit(self) -> int:
        """The escalation auditor: fire any step more than 60 s overdue (logged as an error)."""
        return await escalation.audit(sessions=self.sessions, zone=self.settings.zone)

    @property
    def telegram(self) -> telegram.TelegramChannel | None:
        """The Telegram adapter, when it is on."""
        found = self.channels.get(telegram.CHANNEL)
        return found if isinstance(found, telegram.TelegramChannel) else None

    async def start_channels(self) -> None:
        """Start what runs on its own (Telegram polling)."""
        for adapter in self.adapters:
            await adapter.start()

    async def _probe(self) -> list[object]:
        """The configured channels, each called once (the console's doctor page, as `xinqiao doctor`)."""
        from bot.channels.probes import probe_all

        return list(await probe_all(self.settings))

    def _invite_qr(self) -> object:
        """WeChat's parametrised QR for the console's invite sheet, as `xinqiao invite sheet` (None: no WeChat)."""
        from bot.channels.wechat_qr import invite_qr

        return invite_qr(self.settings)

    async def kick(self) -> None:
        """Deliver now what a message just queued, without waiting for the clock.

        Escalation steps after the first (which fires inside the message's transaction), check-ins
        and retries are the one-second tick's. A kick that finds its row already sent by an earlier
        one costs one claim that comes back empty (coalescing kicks was tried and measured no better).
        """
        task = asyncio.get_running_loop().create_task(self.delivery.run_once())
        self._kicks.add(task)
        task.add_done_callback(self._kicks.discard)

    async def settle(self) -> None:
        """Wait for deliveries started by kicks, and every send still in flight."""
        while self._kicks:
            await asyncio.gather(*list(self._kicks), return_exceptions=True)
        await self.delivery.drain()

    async def close(self) -> None:
        """Finish pending deliveries, leave the workers' table and release the database."""
        await self.settle()
        await self.delivery.presence.leave()
        for adapter in self.adapters:
            await adapter.close()
        await self.engine.dispose()

    def webchat_mode(self, demo: bool | None = None) -> str:
        """demo, on or off: XINQIAO_WEBCHAT, else demo when serving the demo school, else off."""
        return self.settings.webchat_mode(demo=self.demo if demo is None else demo)

    def asgi(self, *, demo: bool | None = None, clock: bool = True) -> Starlette:
        """The web app; its lifespan prepares the database and runs the clock.

        demo seeds the demo school; None: as prepared (an App prepared with the demo serves its chat).
        """
        mode = self.webchat_mode(demo)

        @asynccontextmanager
        async def lifespan(_app: Starlette) -> AsyncIterator[None]:
            await self.prepare(demo=bool(demo))
            await self.ready_to_serve()
            await self.forget()
            await self.start_channels()
            scheduler = (make_scheduler(self.tick, self.audit, self.forget, beat=self.delivery.presence.beat)
                         if clock else None)
            if scheduler:
                scheduler.start()
            try:
                yield
            finally:
                if scheduler:
                    scheduler.shutdown(wait=False)
                await self.close()

        serving = Serving(webchat_mode=mode)
        routes: list[BaseRoute] = [route for adapter in self.adapters for route in adapter.routes(serving)]
        routes.append(console.mount(console.Console(sessions=self.sessions, settings=self.settings, sealer=self.sealer,
                                                    triager=self.triager, school_id=lambda: self.school_id,
                                                    after_commit=self.kick, probe_channels=self._probe,
                                                    invite_qr=self._invite_qr)))
        return build_web(routes=routes, sessions=self.sessions, lifespan=lifespan, chat=mode != "off",
                         spool=self.spool, wait=self.settings.database_wait_seconds)
