"""The engine as a wheel, for a site to pin: the same bytes for the same engine, wherever
``portfolio new`` or ``portfolio upgrade`` runs.

An engine installed from a wheel (or a git URL, or a path) is packed again from its
installed files, which its ``RECORD`` lists; an engine installed in editable mode (this
repository's checkout) is built with pip from its folder first.  Either way the archive is
written canonically (members sorted, one timestamp, one mode, ``RECORD`` computed again),
so a wheel built from the repository and the wheel an installed copy of it packs are the
same file, and their hash in the site's requirements is the engine's, not the machine's.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

from ._render import RefusedError

DIST = "portfolio"
#: written by the installer, not part of the wheel
INSTALLER_FILES = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
EPOCH = (1980, 1, 1, 0, 0, 0)


def _checkout() -> Path | None:
    """The engine's source folder when it runs from one (an editable install, or no install),
    which the package's own location tells: an installed copy has no pyproject.toml beside it."""
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").is_file() else None


def _built(source: Path) -> dict[str, bytes]:
    """The wheel's files, built by pip from a clean copy of the source (setuptools' build/
    folder in a checkout keeps modules deleted since, and they would be packed)."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "source"
        skip = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(source / DIST, tree / DIST, symlinks=True, ignore=skip)
        shutil.copytree(source / "requirements", tree / "requirements", ignore=skip)
        shutil.copy2(source / "pyproject.toml", tree)
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
             "--no-build-isolation", "--no-index", "--wheel-dir", tmp, str(tree)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        wheels = list(Path(tmp).glob(f"{DIST}-*.whl"))
        if proc.returncode or len(wheels) != 1:
            last = (proc.stderr.strip().splitlines() or ["no wheel"])[-1]
            raise RefusedError(f"could not build the engine's wheel from {source}: {last}")
        with zipfile.ZipFile(wheels[0]) as archive:
            return {
                i.filename: archive.read(i)
                for i in archive.infolist()
                if not i.is_dir() and not i.filename.endswith(".dist-info/RECORD")
            }


def _installed(dist: metadata.Distribution) -> dict[str, bytes]:
    members = {}
    for file in dist.files or []:
        parts = file.parts
        if parts[0] == ".." or "__pycache__" in parts or file.suffix == ".pyc":
            continue
        if parts[0].endswith(".dist-info") and file.name in INSTALLER_FILES:
            continue
        # a folder's Path, or a zipfile.Path for an engine run from a wheel on sys.path
        located: Any = dist.locate_file(file)
        members[file.as_posix()] = located.read_bytes()
    if not any(name.startswith(f"{DIST}/") for name in members):
        raise RefusedError(f"the installed {DIST} {dist.version} lists none of its files: reinstall it")
    return members


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")


def write_wheel(members: dict[str, bytes], folder: Path) -> Path:
    """``members`` as a canonical wheel in ``folder``; its path."""
    (info,) = {name.split("/")[0] for name in members if name.split("/")[0].endswith(".dist-info")}
    name_version = info.removesuffix(".dist-info")
    tags = [
        line.split(":", 1)[1].strip()
        for line in members[f"{info}/WHEEL"].decode().splitlines()
        if line.startswith("Tag:")
    ]
    path = folder / f"{name_version}-{tags[0]}.whl"
    record = "".join(f"{n},{_record_hash(members[n])},{len(members[n])}\n" for n in sorted(members))
    members = {**members, f"{info}/RECORD": (record + f"{info}/RECORD,,\n").encode()}
    folder.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as archive:
        # the dist-info folder last, as the wheel format recommends
        for name in sorted(members, key=lambda n: (n.startswith(info), n)):
            entry = zipfile.ZipInfo(name, EPOCH)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, members[name])
    part.replace(path)
    return path


def engine_wheel(folder: Path, source: Path | None = None) -> Path:
    """The running engine as a canonical wheel in ``folder`` (or the engine whose source
    folder is ``source``); its path."""
    source = source or _checkout()
    if source is not None:
        return write_wheel(_built(source), folder)
    dist = metadata.distribution(DIST)
    running = Path(__file__).resolve().parents[1] / "__init__.py"
    if Path(str(dist.locate_file(f"{DIST}/__init__.py"))).resolve() != running:
        raise RefusedError(f"the {DIST} {dist.version} installed is not the one running: reinstall it")
    members = _installed(dist)
    return write_wheel(members, folder)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
