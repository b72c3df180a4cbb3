"""Attachments: uploaded and downloaded byte for byte, content-addressed on disk, never served as a page."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from crm_interactions.adapters import tables
from crm_interactions.context import InteractionsContext

from .conftest import AS_CID, Api

PDF = b"%PDF-1.4 minutes of the meeting \x00\x01\x02"


def upload(api: Api, content: bytes, filename: str = "minutes.pdf", content_type: str = "application/pdf",
           headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return api.call("POST", "/attachments", headers=headers, content_type="multipart/form-data",
                    data={"file": (io.BytesIO(content), filename, content_type)})


def store_root(api: Api) -> Path:
    context = api.client.application.extensions["crm.service"]
    assert isinstance(context, InteractionsContext)
    return context.files.root


def test_an_upload_is_stored_by_its_sha256_and_downloaded_byte_for_byte(api: Api) -> None:
    answer = upload(api, PDF)
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (body["sha256"], body["size"], body["filename"], body["content_type"]) == (
        digest, len(PDF), "minutes.pdf", "application/pdf")
    assert (store_root(api) / digest[:2] / digest).read_bytes() == PDF
    download = api.call("GET", f"/attachments/{body['id']}")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert upload(api, PDF).get_json()["sha256"] == digest
    assert len(list((store_root(api) / digest[:2]).iterdir())) == 1


def test_html_is_never_served_as_html_and_hostile_names_are_refused(api: Api) -> None:
    page = upload(api, b"<html><script>alert(1)</script></html>", "page.html", "text/html").get_json()
    assert page["content_type"] == "application/octet-stream"
    sneaky = upload(api, b"<!DOCTYPE html><p>hi", "notes.txt", "text/plain").get_json()
    assert sneaky["content_type"] == "application/octet-stream"
    served = api.call("GET", f"/attachments/{sneaky['id']}")
    assert served.headers["Content-Type"].startswith("application/octet-stream")
    assert upload(api, PDF, "../../etc/passwd").get_json()["filename"] == "passwd"
    for name in ("evil\x00.pdf", "", ".."):
        refused = upload(api, PDF, name)
        assert refused.status_code == 422, (name, refused.get_json())
    assert api.count(tables.attachments) == 3


def test_a_too_large_file_is_a_413_problem_and_nothing_is_kept(api: Api) -> None:
    refused = upload(api, b"x" * 1001)
    assert refused.status_code == 413
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert api.count(tables.attachments) == 0
    assert [path for path in store_root(api).rglob("*") if path.is_file()] == []
    far_too_large = upload(api, b"x" * 200_000)
    assert far_too_large.status_code == 413


def test_another_user_cannot_download_an_upload_they_cannot_reach(api: Api) -> None:
    body = upload(api, PDF).get_json()
    assert api.call("GET", f"/attachments/{body['id']}", headers=AS_CID).status_code == 404
    template = api.template(attachment_id=body["id"])
    assert template["attachment_id"] == body["id"]
    assert api.call("GET", f"/attachments/{body['id']}", headers=AS_CID).status_code == 200
