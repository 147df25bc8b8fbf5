"""Background jobs as a user meets them: a large import or export hands over to a job page that
shows its outcome, a result downloadable for a set time, cancel and failures that write nothing,
an interrupted job run again once. (The test settings run jobs at once, in the request; the
worker in its own process is tested in test_several_servers.py.)"""

import datetime

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hoptac.conftest import make_organisation
from hoptac.core import jobs
from hoptac.core.models import Job
from hoptac.imports import jobs as import_jobs
from hoptac.imports.tests.test_import import ROWS, codes, district_file
from hoptac.registry.models import Organisation


@pytest.fixture
def small_thresholds(settings):
    settings.IMPORT_JOB_ROWS = 5
    settings.EXPORT_JOB_ROWS = 1
    settings.MEDIA_ROOT = settings.VAR_DIR / "test-media"


@pytest.fixture
def district_rows():
    return [(n, code, f, c, m) for (n, _c, f, c, m), code in zip(ROWS, codes(len(ROWS)), strict=True)]


def upload(client, rows, **extra):
    return client.post(
        "/imports/",
        {
            "kind": "organisations",
            "within": "464",
            "file": SimpleUploadedFile("vl.xlsx", district_file(rows)),
            **extra,
        },
    )


def test_a_large_import_is_checked_by_a_job_then_imported_by_another(
    client, district_officer, district_rows, small_thresholds
):
    client.force_login(district_officer)
    response = upload(client, district_rows)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.state == "done" and job.kind == "import" and Organisation.objects.count() == 0
    page = client.get(response.url).content.decode()
    assert "3 dòng: 3 mới, 0 thay đổi, 0 không đổi, 0 có lỗi." in page and "chưa ghi dữ liệu nào" in page
    fields = job.result["commit_fields"]
    done = client.post(job.result["commit_form"], {**fields, "commit": "1"})
    second = Job.objects.exclude(pk=job.pk).get()
    assert done.url == f"/jobs/{second.pk}/" and second.state == "done"
    assert Organisation.objects.count() == 3 and second.result["link"].startswith("/imports/")


def test_the_progress_fragment_polls_until_the_job_ends(
    client, district_officer, district_rows, small_thresholds
):
    client.force_login(district_officer)
    upload(client, district_rows)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state="running")
    caches["jobs"].set(f"job:{job.pk}:progress", {"done": 40, "total": 80, "message": "…"})
    running = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in running and 'data-width="50"' in running
    Job.objects.filter(pk=job.pk).update(state="done")
    finished = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in finished and 'data-width="100"' in finished


def test_another_users_job_is_not_found(
    client, district_officer, province_officer, district_rows, small_thresholds
):
    client.force_login(district_officer)
    upload(client, district_rows)
    job = Job.objects.get()
    client.force_login(province_officer)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 404
    assert job.pk not in [j.pk for j in client.get("/jobs/").context["jobs"]]


def queued(user, body, **params) -> Job:
    return Job.objects.create(owner=user, kind="import", title="t", task_path=body.module_path, params=params)


def test_a_cancelled_job_writes_nothing(district_officer, district_rows, small_thresholds):
    from hoptac.imports.views import _store

    (_store() / "tok").write_bytes(district_file(district_rows))
    job = queued(district_officer, import_jobs.import_file, token="tok", filename="vl.xlsx", import_kind="organisations",
                 within="464", commit=True)  # fmt: skip
    Job.objects.filter(pk=job.pk).update(state="queued")
    caches["jobs"].set(f"job:{job.pk}:cancel", True)  # asked while it ran: seen at its next step
    import_jobs.import_file.call(job.pk)
    job.refresh_from_db()
    assert (
        job.state == "cancelled"
        and job.message == "Đã huỷ theo yêu cầu của bạn; không có dữ liệu nào được ghi."
    )
    assert Organisation.objects.count() == 0 and (_store() / "tok").exists()


def test_a_waiting_job_cancelled_never_starts(district_officer, small_thresholds):
    job = queued(
        district_officer,
        import_jobs.import_file,
        token="gone",
        filename="x.xlsx",
        import_kind="organisations",
    )
    jobs.cancel(job)
    caches["jobs"].clear()  # even if the cache forgot the request
    import_jobs.import_file.call(job.pk)
    job.refresh_from_db()
    assert job.state == "cancelled" and job.attempts == 0


def test_a_failure_shows_a_message_and_writes_nothing(district_officer, small_thresholds):
    job = queued(district_officer, import_jobs.import_file, token="gone", filename="x.xlsx", import_kind="organisations",
                 commit=True)  # fmt: skip
    import_jobs.import_file.call(job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and "hãy tải lên lại" in job.message and Organisation.objects.count() == 0


def test_a_national_export_is_a_downloadable_file_until_it_expires(client, admin, small_thresholds):
    make_organisation("19363", name="HTX A")
    make_organisation("19363", name="HTX B")
    client.force_login(admin)
    response = client.get("/registry/export.csv")
    job = Job.objects.get()
    assert response.status_code == 302 and job.state == "done" and job.result_name.endswith(".csv")
    download = client.get(f"/jobs/{job.pk}/download/")
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert download.status_code == 200 and "HTX A" in body and "HTX B" in body
    assert "attachment" in download["Content-Disposition"]
    assert jobs.prune_expired(timezone.now() + datetime.timedelta(hours=25)) == 1
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 410


def test_a_job_whose_worker_died_runs_again_once(district_officer, district_rows, small_thresholds):
    from hoptac.imports.views import _store

    (_store() / "tok2").write_bytes(district_file(district_rows))
    job = queued(district_officer, import_jobs.import_file, token="tok2", filename="vl.xlsx",
                 import_kind="organisations", within="464", commit=True)  # fmt: skip
    Job.objects.filter(pk=job.pk).update(state="running", attempts=1)  # its worker was killed
    assert jobs.recover_interrupted() == 1
    job.refresh_from_db()
    assert job.state == "done" and job.attempts == 2 and Organisation.objects.count() == 3
    again = queued(
        district_officer,
        import_jobs.import_file,
        token="tok3",
        filename="vl.xlsx",
        import_kind="organisations",
    )
    Job.objects.filter(pk=again.pk).update(state="running", attempts=2)
    jobs.recover_interrupted()
    again.refresh_from_db()
    assert again.state == "failed" and Organisation.objects.count() == 3


def test_the_daily_reminders_start_once_a_day(db):
    morning = timezone.make_aware(datetime.datetime(2026, 3, 2, 7, 0))
    assert jobs.schedule_daily(morning) == 1
    assert jobs.schedule_daily(morning + datetime.timedelta(hours=3)) == 0
    job = Job.objects.get()
    assert job.kind == "reminders" and job.state == "done" and job.owner is None
    assert (
        jobs.schedule_daily(timezone.make_aware(datetime.datetime(2026, 3, 3, 5, 0))) == 0
    )  # before the hour


def test_classifying_a_year_runs_as_a_job(client, province_officer, viewer):
    client.force_login(viewer)
    assert client.post("/figures/classify/", {"year": "2024"}).status_code == 403
    client.force_login(province_officer)
    assert client.get("/figures/classify/").status_code == 200
    response = client.post("/figures/classify/", {"year": "2024"})
    job = Job.objects.get()
    assert (
        response.url == f"/jobs/{job.pk}/"
        and job.state == "done"
        and job.params == {"year": 2024, "ref": "44"}
    )
    assert client.post("/figures/classify/", {"year": "12"}).status_code == 400
