"""The storage port: the local folder and an S3 bucket (boto3 against moto's S3 server)."""

import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from config.settings import Settings
from store.blobs import BlobMissing, BlobStore, LocalFolderStore, build_blob_store


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3"])
async def blobs(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BlobStore]:
    if request.param == "local":
        yield build_blob_store(Settings(storage="local", storage_path=str(tmp_path)))
        return
    endpoint = request.getfixturevalue("s3_endpoint")
    keys = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys).create_bucket(
        Bucket="pivotal-files"
    )
    yield build_blob_store(
        Settings(
            storage="s3",
            s3_bucket="pivotal-files",
            s3_prefix="test",
            s3_endpoint_url=endpoint,
            s3_region="us-east-1",
            s3_access_key_id="test",
            s3_secret_access_key="test",
        )
    )


async def test_put_then_read_whole_and_ranges(blobs: BlobStore) -> None:
    await blobs.put("recordings/1.wav", b"0123456789", content_type="audio/wav")
    info = await blobs.info("recordings/1.wav")
    assert (info.size, info.content_type) == (10, "audio/wav")
    assert await blobs.read("recordings/1.wav") == b"0123456789"
    assert await blobs.read("recordings/1.wav", start=2, end=4) == b"234"
    assert await blobs.read("recordings/1.wav", start=7) == b"789"


async def test_put_replaces_and_delete_removes(blobs: BlobStore) -> None:
    await blobs.put("assets/a.pdf", b"old", content_type="application/pdf")
    await blobs.put("assets/a.pdf", b"new!", content_type="application/pdf")
    assert await blobs.read("assets/a.pdf") == b"new!"
    await blobs.delete("assets/a.pdf")
    with pytest.raises(BlobMissing):
        await blobs.info("assets/a.pdf")
    with pytest.raises(BlobMissing):
        await blobs.read("assets/a.pdf")


@pytest.mark.parametrize("key", ["", "/etc/passwd", "../x", "a/../../x", "a\\..\\x"])
async def test_keys_that_escape_the_store_are_refused(key: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid storage key"):
        await LocalFolderStore(tmp_path).put(key, b"x", content_type="text/plain")


def test_s3_storage_needs_a_bucket() -> None:
    with pytest.raises(ValueError, match="PIVOTAL_S3_BUCKET"):
        Settings(storage="s3")
