"""Where fetched media are kept: under ``[media] root`` (default ``var/media``), one file per checksum, so the same
screenshot sent to ten groups is kept once. An object store would be another class with the same three methods."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol


class MediaStore(Protocol):
    def put(self, data: bytes, extension: str) -> tuple[str, str]:
        """Keep the bytes; returns (key, sha256 hex)."""

    def read(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None:
        """Forget the bytes under ``key`` (the retention purge); a missing key is no error."""

    def describe(self) -> str: ...


class LocalMediaStore:
    """Files under a folder: ``<root>/<sha[:2]>/<sha>.<ext>``; writes are atomic (temporary file, then rename)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def put(self, data: bytes, extension: str) -> tuple[str, str]:
        digest = hashlib.sha256(data).hexdigest()
        key = f"{digest[:2]}/{digest}.{extension}"
        path = self.root / key
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return key, digest

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise FileNotFoundError(key)
        return path

    def describe(self) -> str:
        return str(self.root)


def make_store(root: str) -> MediaStore:
    """The store for ``[media] root``: a folder (``file://`` or a plain path). Object stores are not built yet."""
    if "://" in root and not root.startswith("file://"):
        raise ValueError(f"media.root: only a folder is supported for now, not {root!r}")
    return LocalMediaStore(root.removeprefix("file://"))
