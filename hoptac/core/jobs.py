"""Background jobs: long work out of the web request, with progress, cancel and a result file.

The queue is django-tasks (the backport of Django 6's tasks framework) with its database backend:
no broker, the same on SQLite and PostgreSQL; `hoptac worker` runs the jobs. Around it, one
`core.models.Job` row per job says to the user what runs and how it ended.

A job's body is a function decorated with `@job_task`: `body(job, progress, **params)`. It
reports with `progress.step(done, total, message)`, which also raises `Cancelled` once the user
asked to cancel; it does its writes in one transaction (or idempotently), so a failure, a cancel
or a killed worker leaves nothing half-written; it returns an `Outcome` (a summary, a file,
a link). Launch one with `start(user, body, title, **params)`.

Live progress is written to the "jobs" cache (Redis with HOPTAC_REDIS_URL, so every app server
sees it; otherwise a file cache shared by the processes of one machine): a write transaction on
SQLite would keep the job's row from being updated until it ends.

A worker killed mid-job (kill -9, a lost machine) leaves its job "running". While a job runs its
worker holds a lock that dies with the process (a PostgreSQL advisory lock on the job's
connection; a file lock on SQLite), so every worker's periodic check (`recover_interrupted`) can
tell a dead job from a slow one: it is queued again once (JOB_MAX_ATTEMPTS), then failed.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from hoptac.core.models import Job

logger = logging.getLogger("hoptac.jobs")

LOCK_CLASS = 2121  # first key of the PostgreSQL advisory locks held by running jobs
PROGRESS_EVERY = 0.3  # seconds between two progress writes to the cache


class Cancelled(Exception):
    """Raised by `Progress.step` once the user asked to cancel; the job's transaction rolls back."""


class JobFailed(Exception):
    """A failure to show the user as it is (a Vietnamese message)."""


@dataclass
class Outcome:
    summary: dict[str, Any] = field(default_factory=dict)
    file_name: str = ""
    file_bytes: bytes = b""
    link: str = ""
    message: str = ""


def _progress_key(job_id: int) -> str:
    return f"job:{job_id}:progress"


def _cancel_key(job_id: int) -> str:
    return f"job:{job_id}:cancel"


def _cache():
    return caches["jobs"]


class Progress:
    """What the body reports; read by the progress page through `live`."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last = 0.0
        self.done, self.total, self.message = 0, job.total, ""

    def step(self, done: int, total: int | None = None, message: str = "", force: bool = False) -> None:
        self.done, self.message = done, message or self.message
        if total is not None:
            self.total = total
        now = time.monotonic()
        if force or now - self._last >= PROGRESS_EVERY:
            self._last = now
            _cache().set(
                _progress_key(self.job.pk),
                {"done": self.done, "total": self.total, "message": self.message},
                timeout=7 * 24 * 3600,
            )
            self.check_cancel()

    def check_cancel(self) -> None:
        if _cache().get(_cancel_key(self.job.pk)):
            raise Cancelled


def live(job: Job) -> dict[str, Any]:
    """The job's progress as the page shows it: the live value while it runs, else the row's."""
    values: dict[str, Any] = {"done": job.done, "total": job.total, "message": job.message}
    if job.state == Job.State.RUNNING:
        values.update(_cache().get(_progress_key(job.pk)) or {})
    done, total = int(values["done"] or 0), int(values["total"] or 0)
    values["percent"] = (
        100 if job.state == Job.State.DONE else (min(100, round(100 * done / total)) if total else 0)
    )
    return values


# -- running ---------------------------------------------------------------------------------


def job_task(body: Callable[..., Outcome | None]):
    """Make `body(job, progress, **params)` a django-tasks task taking the job's id."""

    @functools.wraps(body)
    def run(job_id: int) -> None:
        execute(job_id, body)

    return task()(run)


def _lock_path(job_id: int) -> Path:
    path = Path(settings.VAR_DIR) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path / f"{job_id}.lock"


@contextlib.contextmanager
def _alive(job_id: int) -> Iterator[None]:
    """Held while the job runs; released by the operating system if the worker dies."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_CLASS, job_id])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, job_id])
    else:
        import fcntl

        with open(_lock_path(job_id), "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def is_alive(job_id: int) -> bool:
    """Whether a worker (any process, any machine on the same database) is running the job."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, job_id])
            free = cursor.fetchone()[0]
            if free:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, job_id])
        return not free
    import fcntl

    with open(_lock_path(job_id), "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _messages(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


def execute(job_id: int, body: Callable[..., Outcome | None]) -> None:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.state != Job.State.QUEUED:
        return  # cancelled before it started, or already run
    if job.cancel_requested:
        _finish(job, Job.State.CANCELLED, _("Cancelled before it started; nothing was written."))
        return
    with _alive(job_id):
        Job.objects.filter(pk=job_id).update(
            state=Job.State.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
        )
        job.refresh_from_db()
        progress = Progress(job)
        try:
            progress.step(0, job.total, _("Starting…"), force=True)
            outcome = body(job, progress, **job.params) or Outcome()
        except Cancelled:
            _finish(job, Job.State.CANCELLED, _("Cancelled at your request; nothing was written."), progress)
        except (JobFailed, ValidationError, PermissionDenied) as exc:
            _finish(job, Job.State.FAILED, _messages(exc), progress)
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            _finish(
                job, Job.State.FAILED,
                _("The job stopped on an unexpected error; nothing was written. Error reference: job %(id)s.")
                % {"id": job.pk}, progress,
            )  # fmt: skip
        else:
            _succeed(job, outcome, progress)
    with contextlib.suppress(FileNotFoundError):
        if connection.vendor != "postgresql":
            _lock_path(job_id).unlink()


def _finish(job: Job, state: str, message: str, progress: Progress | None = None) -> None:
    fields = {"state": state, "message": message, "finished_at": timezone.now()}
    if progress is not None:
        fields.update(done=progress.done, total=progress.total)
    Job.objects.filter(pk=job.pk).update(**fields)
    _cache().delete_many([_progress_key(job.pk), _cancel_key(job.pk)])


def _succeed(job: Job, outcome: Outcome, progress: Progress) -> None:
    fields: dict[str, Any] = {"result": outcome.summary}
    if outcome.link:
        fields["result"] = {**outcome.summary, "link": outcome.link}
    if outcome.file_name:
        suffix = Path(outcome.file_name).suffix
        stored = default_storage.save(f"jobs/{uuid.uuid4().hex}{suffix}", ContentFile(outcome.file_bytes))
        fields.update(
            result_file=stored,
            result_name=outcome.file_name,
            result_expires_at=timezone.now() + datetime.timedelta(hours=settings.JOB_RESULT_HOURS),
        )
    Job.objects.filter(pk=job.pk).update(**fields)
    done = progress.total if progress.total is not None else progress.done
    progress.done = done
    _finish(job, Job.State.DONE, outcome.message or _("Done."), progress)


# -- launching and cancelling ----------------------------------------------------------------


def start(
    user, body, kind: str, title: str, total: int | None = None, key: str | None = None, **params
) -> Job:
    """Queue `body` (a `@job_task`) for `user`; the page `/jobs/<pk>/` follows it."""
    job = Job.objects.create(
        owner=user if getattr(user, "pk", None) else None, kind=kind, title=title[:300], total=total,
        task_path=body.module_path, params=params, key=key,
    )  # fmt: skip
    _enqueue(job, body)
    return job


def _enqueue(job: Job, body) -> None:
    result = body.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


def cancel(job: Job) -> None:
    """Ask the job to stop: a waiting job never starts; a running one stops at its next step and
    rolls back. A finished job is left as it is."""
    if job.finished:
        return
    _cache().set(_cancel_key(job.pk), True, timeout=7 * 24 * 3600)
    # A waiting job is marked in its row too (the cache may be cleared before a worker takes it).
    Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(cancel_requested=True)


# -- the workers' periodic duties -----------------------------------------------------------


def recover_interrupted() -> int:
    """Queue again, once, each job whose worker died; fail it the second time. Returns the count."""
    count = 0
    for job_id in Job.objects.filter(state=Job.State.RUNNING).values_list("pk", flat=True):
        if is_alive(job_id):
            continue
        with transaction.atomic():
            job = Job.objects.select_for_update().filter(pk=job_id, state=Job.State.RUNNING).first()
            if job is None:  # it finished between the two looks
                continue
            if job.attempts < settings.JOB_MAX_ATTEMPTS:
                Job.objects.filter(pk=job.pk).update(
                    state=Job.State.QUEUED, message=_("Interrupted (the worker stopped); running it again.")
                )
                _enqueue(job, import_string(job.task_path))
            else:
                _finish(
                    job, Job.State.FAILED, _("Interrupted twice (the worker stopped); nothing was written.")
                )
        count += 1
    return count


def prune_expired(now: datetime.datetime | None = None) -> int:
    """Delete result files past their time; the job's row stays (its page says the file expired)."""
    now = now or timezone.now()
    count = 0
    for job in Job.objects.filter(result_expires_at__lt=now).exclude(result_file=""):
        default_storage.delete(job.result_file)
        Job.objects.filter(pk=job.pk).update(result_file="")
        count += 1
    return count


def schedule_daily(now: datetime.datetime | None = None) -> int:
    """Start each of settings.DAILY_JOBS once a day, from DAILY_JOBS_HOUR local time on.

    Each entry names a function `launch(key, day)` that calls `start(..., key=key)`; the key is
    unique, so two workers checking at once start it once."""
    local = timezone.localtime(now)
    if local.hour < settings.DAILY_JOBS_HOUR:
        return 0
    started = 0
    for path in settings.DAILY_JOBS:
        key = f"{path}:{local.date().isoformat()}"
        if Job.objects.filter(key=key).exists():
            continue
        try:
            with transaction.atomic():
                import_string(path)(key=key, day=local.date())
        except IntegrityError:  # another worker started it first
            continue
        started += 1
    return started


def periodic() -> None:
    """One round of the duties every worker does besides running jobs."""
    recover_interrupted()
    prune_expired()
    schedule_daily()
