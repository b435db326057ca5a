"""The storage port for files: call recordings, order assets, import uploads.

A local folder is the embedded default; an S3-compatible bucket is chosen by settings.
Keys are relative paths such as `recordings/2026/11/42.wav`; they never come from a user
as is (callers build them), and the local store refuses any key that escapes its root.
"""

import asyncio
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from config.settings import Settings


class BlobMissing(LookupError):
    """No file under that key."""


@dataclass(frozen=True, slots=True)
class BlobInfo:
    size: int
    content_type: str


class BlobStore(Protocol):
    async def put(self, key: str, data: bytes, *, content_type: str) -> None: ...

    async def info(self, key: str) -> BlobInfo: ...

    async def read(self, key: str, *, start: int = 0, end: int | None = None) -> bytes:
        """Bytes `start` to `end` inclusive (HTTP range semantics); `end=None` reads to the end."""
        ...

    async def delete(self, key: str) -> None: ...


def _checked_key(key: str) -> PurePosixPath:
    path = PurePosixPath(key)
    if not key or path.is_absolute() or ".." in path.parts or "\\" in key:
        raise ValueError(f"invalid storage key {key!r}")
    return path


class LocalFolderStore:
    """Files under one folder; the content type sits beside each file in `<name>.type`."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _checked_key(key)

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        await asyncio.to_thread(self._put, self._path(key), data, content_type)

    @staticmethod
    def _put(path: Path, data: bytes, content_type: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        partial.replace(path)  # readers never see half a file
        path.with_name(path.name + ".type").write_text(content_type)

    async def info(self, key: str) -> BlobInfo:
        path = self._path(key)
        try:
            size = path.stat().st_size
            kind = path.with_name(path.name + ".type").read_text()
        except FileNotFoundError as missing:
            raise BlobMissing(key) from missing
        return BlobInfo(size=size, content_type=kind)

    async def read(self, key: str, *, start: int = 0, end: int | None = None) -> bytes:
        return await asyncio.to_thread(self._read, self._path(key), key, start, end)

    @staticmethod
    def _read(path: Path, key: str, start: int, end: int | None) -> bytes:
        try:
            with path.open("rb") as file:
                file.seek(start)
                return file.read(-1 if end is None else end - start + 1)
        except FileNotFoundError as missing:
            raise BlobMissing(key) from missing

    async def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".type").unlink(missing_ok=True)


class S3Store:
    """An S3-compatible bucket through boto3 (AWS S3, MinIO, R2...), calls run in threads."""

    def __init__(self, *, bucket: str, prefix: str = "", **client: Any) -> None:
        import boto3  # only deployments that choose S3 pay for importing it

        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.client = boto3.client("s3", **{k: v for k, v in client.items() if v})

    def _key(self, key: str) -> str:
        checked = str(_checked_key(key))
        return f"{self.prefix}/{checked}" if self.prefix else checked

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        await asyncio.to_thread(
            self.client.put_object,
            Bucket=self.bucket,
            Key=self._key(key),
            Body=data,
            ContentType=content_type,
        )

    async def info(self, key: str) -> BlobInfo:
        head = await self._call(self.client.head_object, key)
        return BlobInfo(size=int(head["ContentLength"]), content_type=head["ContentType"])

    async def read(self, key: str, *, start: int = 0, end: int | None = None) -> bytes:
        span = f"bytes={start}-{'' if end is None else end}"
        found = await self._call(self.client.get_object, key, Range=span)
        return await asyncio.to_thread(found["Body"].read)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=self._key(key))

    async def _call(self, method: Any, key: str, **extra: Any) -> Any:
        from botocore.exceptions import ClientError

        try:
            return await asyncio.to_thread(method, Bucket=self.bucket, Key=self._key(key), **extra)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                raise BlobMissing(key) from error
            raise


def build_blob_store(settings: Settings) -> BlobStore:
    if settings.storage == "s3":
        return S3Store(
            bucket=settings.s3_bucket or "",
            prefix=settings.s3_prefix,
            endpoint_url=settings.s3_endpoint_url,
            region_name=settings.s3_region,
            aws_access_key_id=settings.s3_access_key_id,
            aws_secret_access_key=settings.s3_secret_access_key,
        )
    return LocalFolderStore(settings.storage_path)
