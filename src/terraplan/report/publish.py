"""Publishing a build: a locked staging folder beside the output folder, then one atomic switch.

A build writes every file into a fresh hidden folder *beside* the output folder
(``.<name>.terraplan-staging-*``), never into the output folder itself, so a symlinked
``out/static`` is never followed. When every file is ready, the user's own files in the output
folder (everything that the previous build's ``manifest.json`` does not list) are hard-linked
into the staging folder, and the two folders are exchanged in **one** ``rename`` step
(``renameat2(RENAME_EXCHANGE)`` on Linux). A process killed at any moment therefore leaves the
output folder holding either the complete previous output or the complete new one. Where the
exchange is not available, the switch takes two renames and an interrupted switch is rolled back
by the next build before it starts.

A lock file beside the output folder (``.<name>.terraplan-lock``) keeps two builds from writing
to one folder at once: the second stops with an :class:`~terraplan.errors.OutputError` (exit 2).
Under the lock, staging folders left by killed builds are removed. The file system root, the
home folder and the current folder (``--out ""``) are refused as targets unless they are empty or
hold a terraplan ``manifest.json``.

Example
-------
>>> import tempfile
>>> from pathlib import Path
>>> out = Path(tempfile.mkdtemp()) / "maps"
>>> with Publication(out) as pub:
...     _ = (pub.staging / "index.html").write_text("<p>new</p>")
...     _ = (pub.staging / "manifest.json").write_text('{"outputs": [{"path": "index.html"}]}')
...     pub.publish()
>>> sorted(p.name for p in out.iterdir())
['index.html', 'manifest.json']
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import IO, Any

from terraplan.errors import OutputError

MANIFEST = "manifest.json"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def owned_files(folder: Path) -> set[str]:
    """Paths (relative, POSIX) that a terraplan build wrote into ``folder``, per its manifest.

    >>> owned_files(Path("no-such-folder"))
    set()
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        listed = {str(entry["path"]) for entry in manifest.get("outputs", [])}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return set()
    return listed | {MANIFEST}


def _dangerous(out: Path, given: str) -> str | None:
    """Why ``out`` is a dangerous target, or None."""
    if given.strip() == "":
        return "an empty --out names the current folder"
    if out == Path(out.anchor):
        return "it is the root of the file system"
    if out == Path.home().resolve():
        return "it is your home folder"
    cwd = Path.cwd().resolve()
    if out == cwd or out in cwd.parents:
        return "it holds the current folder"
    return None


def _lock(path: Path) -> IO[bytes]:
    handle = open(path, "a+b")  # noqa: SIM115 (kept open while the lock is held)
    try:
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # Windows
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    except OSError:
        handle.close()
        raise
    return handle


def _carry(src: Path, dst: Path, skip: set[str], rel: str = "") -> None:
    """Hard-link (else copy) the entries of ``src`` not in ``skip`` into ``dst``, symlinks as
    links (never followed); entries that ``dst`` already has are the new build's and win."""
    with os.scandir(src) as entries:
        for entry in entries:
            name = f"{rel}{entry.name}"
            if name in skip or (not rel and entry.name.startswith(".terraplan-build-")):
                continue
            target = dst / entry.name
            if entry.is_dir(follow_symlinks=False):
                if target.is_symlink() or (target.exists() and not target.is_dir()):
                    continue
                target.mkdir(exist_ok=True)
                _carry(Path(entry.path), target, skip, f"{name}/")
            elif not os.path.lexists(target):
                try:
                    os.link(entry.path, target, follow_symlinks=False)
                except OSError:
                    if entry.is_symlink():
                        os.symlink(os.readlink(entry.path), target)
                    else:
                        shutil.copy2(entry.path, target)


def _return_users_files(aside: Path, out: Path) -> None:
    """Move back into ``out`` what a user added to ``aside`` (the old output) during a build,
    then remove ``aside``."""
    try:
        _carry(aside, out, owned_files(aside))
    except OSError:
        return  # kept: the next build tries again
    shutil.rmtree(aside, ignore_errors=True)


class Publication:
    """One build's staging folder, the lock on the output folder, and the switch.

    Use as a context manager: entering takes the lock, cleans stale staging folders and makes
    ``staging``; :meth:`publish` switches it into place; leaving removes what is left and
    releases the lock.
    """

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.given = os.fspath(out)
        self.out = Path(self.given).resolve()
        #: the folder the build writes into (None once switched into place or removed)
        self.staging: Path | None = None
        self._handle: IO[bytes] | None = None

    def _path(self, kind: str) -> Path:
        return self.out.parent / f".{self.out.name}.terraplan-{kind}"

    def __enter__(self) -> Publication:
        out = self.out
        if out.exists() and not out.is_dir():
            raise OutputError(f"{out} is a file, not a folder; choose another --out")
        reason = _dangerous(out, self.given)
        if reason and out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
            raise OutputError(
                f"refusing to build into {out}: {reason}, and it is neither empty nor an earlier "
                "terraplan output (no manifest.json). Fix: pass --out with a folder of its own, "
                "e.g. --out maps"
            )
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            self._handle = _lock(self._path("lock"))
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise OutputError(
                    f"another terraplan build is writing to {out}. Fix: wait until it ends, "
                    "or choose another --out"
                ) from None
            raise OutputError(
                f"{out}: cannot write beside the output folder ({exc.strerror}); choose another "
                "--out in a folder you can write to"
            ) from None
        try:
            self._recover()
            self.staging = Path(
                tempfile.mkdtemp(prefix=f".{out.name}.terraplan-staging-", dir=out.parent)
            )
            self.staging.chmod(0o755)
        except OSError as exc:
            self._release()
            raise OutputError(
                f"{out}: cannot write beside the output folder ({exc.strerror}); choose another "
                "--out"
            ) from None
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        self._release()

    def _release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _recover(self) -> None:
        """Finish or undo what a killed build left: restore an old output whose switch was cut
        between its two renames, return users' files from old outputs set aside, remove the rest.

        A staging folder without a manifest was cut before it was complete: it is removed. One
        with a manifest is either complete (all it holds beyond the manifest is already in the
        output folder) or, after the exchange, the old output: its unlisted files are returned.
        """
        parent, prefix = self.out.parent, f".{self.out.name}.terraplan-"
        leftovers = sorted(p for p in parent.iterdir() if p.name.startswith(prefix))
        asides = [p for p in leftovers if p.name.startswith(f"{prefix}old-")]
        if not os.path.lexists(self.out) and asides:
            os.rename(asides.pop(), self.out)
        for path in leftovers:
            if path.name.startswith(f"{prefix}staging-") and not (path / MANIFEST).is_file():
                shutil.rmtree(path, ignore_errors=True)
            elif path.is_dir() and (path in asides or path.name.startswith(f"{prefix}staging-")):
                _return_users_files(path, self.out)
        if self.out.is_dir():
            for stale in self.out.glob(".terraplan-build-*"):  # staging of terraplan <= 0.1
                shutil.rmtree(stale, ignore_errors=True)

    def publish(self) -> None:
        """Switch the staging folder into place, keeping the user's own files."""
        out, staging = self.out, self.staging
        if staging is None:
            raise OutputError("nothing to publish: the staging folder is gone")
        if not out.exists():
            os.rename(staging, out)
            self.staging = None
            return
        try:
            _carry(out, staging, owned_files(out))
            staging.chmod(stat.S_IMODE(out.stat().st_mode))
            aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.terraplan-old-", dir=out.parent))
            if _exchange(staging, out):
                os.rmdir(aside)
                aside = staging  # the staging name now holds the old output
            else:
                os.replace(out, aside)  # replaces the empty folder just made
                os.rename(staging, out)
        except OSError as exc:
            raise OutputError(
                f"{out}: the new output could not be switched into place ({exc.strerror}: "
                f"{exc.filename}); the previous output is unchanged. Fix: make the output "
                "folder and your files in it readable and writable, or choose another --out"
            ) from None
        self.staging = None
        _return_users_files(aside, out)
