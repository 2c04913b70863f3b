"""Files go through Django's storage API only, so with ``S3_BUCKET`` set every
process reads and writes one private bucket (issue 20). Here against a real
S3-compatible server (moto in server mode, on a free port of this machine), with
the local-disk storage booby-trapped: any read or write of the local disk fails the
test. Covered: a paper uploaded and downloaded, the agenda pack built from it and
the auditors' archive exported, as a worker builds them."""

import io
import zipfile

import boto3
import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from config.settings import s3_storage
from meetings.models import Meeting, MinutesJob, Paper
from meetings.services.minutes_jobs import job_request, job_run
from tests.documents import blank_pdf
from tests.meetings.minutes_scenario import approved_version, build_scenario, circulate
from tests.servers import free_port

BUCKET = "governance-test"


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 in server mode: a real HTTP endpoint, as MinIO or AWS would be."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_env(endpoint: str, bucket: str = BUCKET) -> dict:
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "eu-west-2",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test-secret",
    }


def bucket_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-2",
        aws_access_key_id="test",
        aws_secret_access_key="test-secret",
    )


@pytest.fixture
def s3_storage_on(s3_server, settings, monkeypatch, tmp_path):
    """The default storage is the bucket; the local disk storage raises."""
    for name, value in s3_env(s3_server).items():
        monkeypatch.setenv(name, value)
    client = bucket_client(s3_server)
    client.create_bucket(
        Bucket=BUCKET,
        CreateBucketConfiguration={"LocationConstraint": "eu-west-2"},
    )
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(BUCKET)}
    settings.MEDIA_ROOT = tmp_path / "must-stay-empty"

    def local_disk(*args, **kwargs):
        raise AssertionError("a file was read or written on the local disk")

    for method in ("_open", "_save", "exists", "size", "delete", "listdir", "path"):
        monkeypatch.setattr(FileSystemStorage, method, local_disk)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.mark.django_db
def test_papers_packs_and_archives_use_only_the_bucket(s3_storage_on, client):
    """Upload, download, agenda pack and archive with S3 set: the paper is an
    object in the bucket (private), nothing touches the local disk."""
    assert type(storages["default"]).__name__ == "S3Storage"
    s = build_scenario()
    meeting = s.meeting
    Meeting.objects.filter(pk=meeting.pk).update(  # papers go on before it is held
        status=Meeting.Status.SCHEDULED, agenda_published_at=None
    )
    client.force_login(s.secretary)
    content = blank_pdf(3)
    response = client.post(
        reverse("meetings:paper_upload", args=[s.decision.pk]),
        {"title": "BCF plan", "file": SimpleUploadedFile("bcf.pdf", content)},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    paper = Paper.objects.get()
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CLOSED, agenda_published_at=timezone.now()
    )
    keys = [o["Key"] for o in s3_storage_on.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [paper.file.name]
    acl = s3_storage_on.get_object_acl(Bucket=BUCKET, Key=paper.file.name)
    assert all("AllUsers" not in str(g["Grantee"]) for g in acl["Grants"])

    download = client.get(reverse("meetings:paper", args=[paper.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content

    pack = job_request(
        kind=MinutesJob.Kind.AGENDA_PACK, by=s.secretary, meeting=meeting
    )
    assert job_run(job_id=pack.pk)
    pack.refresh_from_db()
    assert pack.state == "done", pack.error
    assert len(PdfReader(io.BytesIO(bytes(pack.result))).pages) > 3

    circulate(approved_version(s), by=s.secretary)
    day = timezone.localdate(meeting.starts_at).isoformat()
    archive = job_request(
        kind=MinutesJob.Kind.AUDIT_EXPORT,
        by=s.secretary,
        params={"start": day, "end": day},
    )
    assert job_run(job_id=archive.pk)
    archive.refresh_from_db()
    assert archive.state == "done", archive.error
    names = zipfile.ZipFile(io.BytesIO(bytes(archive.result))).namelist()
    assert "SHA256SUMS" in names and any(n.endswith(".pdf") for n in names)
    assert not settings.MEDIA_ROOT.exists()


def test_without_s3_bucket_files_stay_on_the_local_disk():
    """The default for one machine (``make run``): the disk under MEDIA_ROOT."""
    assert settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")


# --- several processes on one bucket ---------------------------------------------------


class Web:
    """A gunicorn process of the app on a free port."""

    def __init__(self, env: dict):
        import subprocess
        import sys
        from pathlib import Path

        self.port = free_port()
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.proc = subprocess.Popen(  # noqa: S603 - our own gunicorn
            [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", "1", "--log-level", "warning"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def request(self, method, path, body=b"", headers=None):
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def ready(self) -> bool:
        try:
            return self.request("GET", "/healthz")[0] == 200
        except OSError:
            return False

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "----governance-test-boundary"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_paper_stored_by_one_process_is_read_by_another_and_by_a_worker(
    s3_server, redis_server, celery_worker, tmp_path, settings
):
    """Two web processes and a Celery worker on one bucket, one database and one
    Redis: a paper uploaded through the first is downloaded from the second, the
    worker builds the agenda pack from it and exports the auditors' archive;
    nothing is written to any process's local disk."""
    import os

    from django.db import connection
    from django.test import Client

    from tests.servers import wait_for

    client = bucket_client(s3_server)
    bucket = "two-processes"
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    media = tmp_path / "media-of-every-process"
    db = connection.settings_dict
    env = {
        **os.environ,
        **s3_env(s3_server, bucket),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@"
        f"{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_server.url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(media),
        "AXES_ENABLED": "0",
        "OTP_REQUIRED": "0",
    }
    s = build_scenario()
    Meeting.objects.filter(pk=s.meeting.pk).update(
        status=Meeting.Status.SCHEDULED, agenda_published_at=None
    )
    browser = Client()
    browser.force_login(s.secretary)
    cookie = (
        f"sessionid={browser.cookies['sessionid'].value}; "
        "csrftoken=TwoProcessesCsrfSecret0123456789"
    )
    headers = {"Cookie": cookie, "X-CSRFToken": "TwoProcessesCsrfSecret0123456789"}

    first, second = Web(env), Web(env)
    worker = celery_worker(**{k: v for k, v in env.items() if k.startswith("S3_")})
    worker.env["MEDIA_ROOT"] = str(media)
    worker.start()
    try:
        assert wait_for(first.ready, 60) and wait_for(second.ready, 60)
        content = blank_pdf(3)
        body, content_type = multipart(
            {"title": "BCF plan"}, {"file": ("bcf.pdf", content)}
        )
        status, _ = first.request(
            "POST",
            f"/meetings/items/{s.decision.pk}/papers/new/",
            body,
            headers | {"Content-Type": content_type, "Referer": "http://127.0.0.1/"},
        )
        assert status == 302, status
        paper = Paper.objects.get()
        status, downloaded = second.request(
            "GET", f"/meetings/papers/{paper.pk}/", headers=headers
        )
        assert status == 200 and downloaded == content

        Meeting.objects.filter(pk=s.meeting.pk).update(
            status=Meeting.Status.CLOSED, agenda_published_at=timezone.now()
        )
        pack = job_request(
            kind=MinutesJob.Kind.AGENDA_PACK, by=s.secretary, meeting=s.meeting
        )
        circulate(approved_version(s), by=s.secretary)
        day = timezone.localdate(s.meeting.starts_at).isoformat()
        archive = job_request(
            kind=MinutesJob.Kind.AUDIT_EXPORT,
            by=s.secretary,
            params={"start": day, "end": day},
        )

        def finished():
            states = set(
                MinutesJob.objects.filter(pk__in=[pack.pk, archive.pk]).values_list(
                    "state", flat=True
                )
            )
            return states <= {"done", "failed"}

        assert wait_for(finished, 90), "the worker did not build the pack and archive"
        pack.refresh_from_db()
        archive.refresh_from_db()
        assert pack.state == "done", pack.error
        assert archive.state == "done", archive.error
        assert len(PdfReader(io.BytesIO(bytes(pack.result))).pages) > 3
        keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]]
        assert keys == [paper.file.name]
        assert not media.exists(), "a process wrote to its local disk"
    finally:
        first.stop()
        second.stop()
