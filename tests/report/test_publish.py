"""The switch of a build into its output folder: atomic, locked, keeping the user's files
(issue 12, item 6).

The folders are built by hand, so the right state after each step is known by construction: the
old output is what its manifest lists (file by file, by SHA-256), the new output what the staged
manifest lists, and the user's files are the ones the test put there itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
from pathlib import Path

import pytest

from terraplan.errors import OutputError
from terraplan.report import publish
from terraplan.report.publish import Publication

OLD = {"index.html": b"<p>old</p>", "static/x.png": b"old png", "profiles/KZ-10.html": b"KZ-10"}
NEW = {"index.html": b"<p>new</p>", "static/y.png": b"new png", "terraplan-tables.xlsx": b"xl"}
USER = {"notes.txt": b"my notes", "mine/data.csv": b"a,b\n1,2\n"}


def _manifest(files: dict[str, bytes]) -> bytes:
    outputs = [
        {"path": name, "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in sorted(files.items())
    ]
    return json.dumps({"schema": "terraplan.manifest/1", "outputs": outputs}).encode()


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _old_output(out: Path) -> None:
    _write(out, {**OLD, **USER, "manifest.json": _manifest(OLD)})


def _stage_new(pub: Publication) -> None:
    _write(pub.staging, {**NEW, "manifest.json": _manifest(NEW)})


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _complete(out: Path) -> str:
    """'old' or 'new' when ``out`` holds exactly that output (checked against its manifest)
    plus the user's files; raises AssertionError for anything mixed or missing."""
    files = _files(out)
    manifest = json.loads(files.pop("manifest.json"))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["outputs"]}
    for name, digest in listed.items():
        assert hashlib.sha256(files.pop(name)).hexdigest() == digest, name
    assert files == USER, f"extra or missing files: {sorted(files)}"
    if set(listed) == set(OLD):
        return "old"
    assert set(listed) == set(NEW)
    return "new"


def test_switch_replaces_the_output_and_keeps_the_users_files(tmp_path):
    out = tmp_path / "maps"
    _old_output(out)
    with Publication(out) as pub:
        _stage_new(pub)
        pub.publish()
    assert _complete(out) == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".maps.terraplan-lock", "maps"]


def test_first_build_creates_the_folder(tmp_path):
    out = tmp_path / "a" / "maps"
    with Publication(out) as pub:
        _write(pub.staging, {"index.html": b"x"})
        pub.publish()
    assert _files(out) == {"index.html": b"x"}


def test_a_discarded_build_leaves_the_old_output_untouched(tmp_path):
    out = tmp_path / "maps"
    _old_output(out)
    with Publication(out) as pub:
        _stage_new(pub)
    assert _complete(out) == "old"
    assert not list(tmp_path.glob(".maps.terraplan-staging-*"))


def test_a_symlinked_subfolder_is_not_followed(tmp_path):
    """``out/static`` links to a folder elsewhere: the build must not replace files there."""
    elsewhere = tmp_path / "elsewhere"
    _write(elsewhere, {"x.png": b"someone else's", "keep.txt": b"keep"})
    out = tmp_path / "maps"
    _write(out, {"index.html": b"<p>old</p>", "manifest.json": _manifest({})})
    (out / "static").symlink_to(elsewhere, target_is_directory=True)
    with Publication(out) as pub:
        _write(pub.staging, {"static/x.png": b"new png", "manifest.json": _manifest({})})
        pub.publish()
    assert _files(elsewhere) == {"x.png": b"someone else's", "keep.txt": b"keep"}
    assert not (out / "static").is_symlink()
    assert (out / "static" / "x.png").read_bytes() == b"new png"


def test_a_symlink_the_user_made_is_kept_as_a_link(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    _write(elsewhere, {"big.tif": b"raster"})
    out = tmp_path / "maps"
    _write(out, {"manifest.json": _manifest({})})
    (out / "rasters").symlink_to(elsewhere, target_is_directory=True)
    with Publication(out) as pub:
        _write(pub.staging, {"index.html": b"x", "manifest.json": _manifest({})})
        pub.publish()
    assert (out / "rasters").is_symlink()
    assert _files(elsewhere) == {"big.tif": b"raster"}


def test_a_second_build_on_the_same_folder_stops_with_a_clear_error(tmp_path):
    out = tmp_path / "maps"
    _old_output(out)
    with Publication(out) as first:
        with pytest.raises(OutputError, match="another terraplan build is writing to"):
            Publication(out).__enter__()
        _stage_new(first)
        first.publish()
    assert _complete(out) == "new"
    with Publication(out):  # the lock is free again
        pass


def test_stale_staging_folders_are_cleaned(tmp_path):
    out = tmp_path / "maps"
    _old_output(out)
    stale = tmp_path / ".maps.terraplan-staging-dead"
    _write(stale, {"index.html": b"half"})  # no manifest: cut before it was complete
    legacy = out / ".terraplan-build-dead"  # staging of terraplan 0.1 inside the folder
    _write(legacy, {"index.html": b"half"})
    with Publication(out):
        pass
    assert not stale.exists() and not legacy.exists()
    assert _complete(out) == "old"


@pytest.mark.parametrize("where", ["home", "cwd", "empty"])
def test_dangerous_targets_are_refused_unless_empty_or_terraplans(tmp_path, monkeypatch, where):
    folder = tmp_path / "somewhere"
    _write(folder, {"thesis.docx": b"years of work"})
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.chdir(folder)
    target = {"home": str(folder), "cwd": ".", "empty": ""}[where]
    with pytest.raises(OutputError, match="refusing to build into"):
        Publication(target).__enter__()
    assert _files(folder) == {"thesis.docx": b"years of work"}
    (folder / "thesis.docx").unlink()
    with Publication(target):  # empty: allowed
        pass
    _write(folder, {"manifest.json": _manifest({})})
    with Publication(target):  # an earlier terraplan output: allowed
        pass


def test_the_root_folder_is_refused():
    with pytest.raises(OutputError, match="root of the file system"):
        Publication("/").__enter__()


# the kill test -------------------------------------------------------------------------------

#: file-system calls of the switch at which the child process is killed
_OPS = ("rename", "replace", "link", "unlink", "rmdir", "mkdir", "symlink", "chmod")


def _run_killed_at(out: Path, n: int | None, exchange: bool) -> int:
    """Fork; the child stages the new output and publishes it, killed by SIGKILL before its
    ``n``-th file-system call of the switch (None: never). Returns the number of calls made."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(reader)
            calls = [0]

            def counted(func):
                def wrapper(*args, **kwargs):
                    calls[0] += 1
                    if calls[0] == n:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return func(*args, **kwargs)

                return wrapper

            with Publication(out) as pub:
                _stage_new(pub)
                for name in _OPS:
                    setattr(os, name, counted(getattr(os, name)))
                real_exchange = publish._exchange
                publish._exchange = counted(real_exchange if exchange else lambda a, b: False)
                pub.publish()
            os.write(writer, str(calls[0]).encode())
        finally:
            os._exit(0)
    os.close(writer)
    made = os.read(reader, 100)
    os.close(reader)
    os.waitpid(pid, 0)
    return int(made) if made else -1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill test forks (POSIX)")
@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_build_killed_anywhere_in_the_switch_leaves_old_or_new(tmp_path, exchange):
    if exchange and not _exchange_works(tmp_path):
        pytest.skip("this file system has no renameat2(RENAME_EXCHANGE)")
    probe = tmp_path / "probe" / "maps"
    _old_output(probe)
    total = _run_killed_at(probe, None, exchange)
    assert _complete(probe) == "new"
    assert total > 5
    seen = set()
    for n in range(1, total + 1):
        out = tmp_path / f"k{n}" / "maps"
        _old_output(out)
        assert _run_killed_at(out, n, exchange) == -1  # killed
        if exchange:  # one rename step: complete before any recovery
            seen.add(_complete(out))
        else:  # two renames: the output folder may be missing until the next build
            assert out.is_dir() or list(out.parent.glob(".maps.terraplan-old-*"))
        with Publication(out):  # the next build recovers before anything else
            pass
        seen.add(_complete(out))
        # and the next build then switches cleanly
        with Publication(out) as pub:
            _stage_new(pub)
            pub.publish()
        assert _complete(out) == "new"
        assert sorted(p.name for p in out.parent.iterdir()) == [".maps.terraplan-lock", "maps"]
    assert seen == {"old", "new"}


def _exchange_works(tmp_path: Path) -> bool:
    a, b = tmp_path / "xa", tmp_path / "xb"
    a.mkdir()
    b.mkdir()
    (a / "in-a").touch()
    try:
        return publish._exchange(a, b) and (b / "in-a").exists()
    finally:
        shutil.rmtree(a)
        shutil.rmtree(b)


def _listed(out: Path, user: dict[str, bytes]) -> dict[str, str]:
    """The outputs ``out``'s manifest lists, after checking each against its SHA-256 and that
    nothing but the user's files is beside them."""
    files = _files(out)
    manifest = json.loads(files.pop("manifest.json"))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["outputs"]}
    for name, digest in listed.items():
        assert hashlib.sha256(files.pop(name)).hexdigest() == digest, name
    assert files == user
    return listed


_KILLED_BUILD = """
import os, signal, sys
from terraplan.report import publish
from terraplan.report.build import build
config, when, out = sys.argv[1:4]
real = publish._exchange
def killed(a, b):
    if when == "after":
        real(a, b)
    os.kill(os.getpid(), signal.SIGKILL)
publish._exchange = killed
build(config, out, progress=False)
"""


def _build_killed(config: Path, out: Path, *, after: bool) -> None:
    """Run ``build`` in a fresh interpreter, killed just before (or after) its switching step."""
    import subprocess
    import sys

    import terraplan

    env = {**os.environ, "PYTHONPATH": str(Path(terraplan.__file__).parents[1])}
    when = "after" if after else "before"
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_BUILD, str(config), when, str(out)], env=env, check=False
    )
    assert done.returncode == -signal.SIGKILL


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="the kill test needs SIGKILL (POSIX)")
def test_a_real_build_killed_at_the_switch(tmp_path):
    """``terraplan build`` killed just before, then just after, its one switching step."""
    from terraplan.report.build import build

    if not _exchange_works(tmp_path):
        pytest.skip("this file system has no renameat2(RENAME_EXCHANGE)")
    small = (
        'indicators = ["grp_per_capita", "unemployment_rate", "population"]\n'
        "[typology]\nn_stability = 0\n"
        "[outputs]\nmaps = false\nstatic_maps = false\nprofiles = false\n"
    )
    (tmp_path / "old.toml").write_text(small, encoding="utf-8")
    (tmp_path / "new.toml").write_text('lang = "ru"\n' + small, encoding="utf-8")
    out = tmp_path / "maps"
    build(tmp_path / "old.toml", out, progress=False)
    old = _listed(out, {})
    user = {"my-notes.md": b"# mine"}
    _write(out, user)
    _build_killed(tmp_path / "new.toml", out, after=False)
    assert _listed(out, user) == old
    _build_killed(tmp_path / "new.toml", out, after=True)
    new = _listed(out, user)
    assert new != old and set(new) == set(old)
    with Publication(out):  # the next build cleans what the killed one left
        pass
    assert _listed(out, user) == new
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".maps.terraplan-lock", "maps", "new.toml", "old.toml"]


def test_a_file_that_cannot_be_kept_stops_the_switch_with_the_old_output_intact(
    tmp_path, monkeypatch
):
    """A user's file that can be neither linked nor copied: a clear OutputError, no switch."""
    out = tmp_path / "maps"
    _old_output(out)

    def refused(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied", str(out / "notes.txt"))

    with Publication(out) as pub:
        _stage_new(pub)
        monkeypatch.setattr(os, "link", refused)
        monkeypatch.setattr(shutil, "copy2", refused)
        with pytest.raises(OutputError, match="previous output is unchanged"):
            pub.publish()
    monkeypatch.undo()
    assert _complete(out) == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".maps.terraplan-lock", "maps"]
