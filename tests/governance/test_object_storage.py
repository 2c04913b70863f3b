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
from meetings.services import minutes as minutes_services
from meetings.services.minutes_jobs import job_request, job_run
from tests.documents import blank_pdf
from tests.meetings.minutes_scenario import approved_version, build_scenario
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

    minutes_services.minutes_circulate(version=approved_version(s), by=s.secretary)
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
