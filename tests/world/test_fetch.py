"""`alliances data fetch`: the registry's files downloaded, verified and laid out for
`alliances data build`, from a local mirror of ../shared/data (never the network)."""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliances.cli import app
from alliances.world import DATASETS, store
from alliances.world.download import fetch
from conftest import SHARED

DATA = SHARED / "data"
SMALL = ["cow_majors", "maoz_powers", "grh_arms_races"]  # the three smallest files
PATHS = [path for name in SMALL for path in DATASETS[name].sha256]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Mirror:
    """A folder laid out as the data directory, served over HTTP on 127.0.0.1."""

    def __init__(self, root: Path) -> None:
        self.root, self.requests = root, []
        mirror = self

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self) -> None:
                mirror.requests.append(self.path)
                super().do_GET()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=root))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/data"


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[_Mirror]:
    """A copy of the small datasets' files of ../shared/data, served while the test runs."""
    if not DATA.is_dir():
        pytest.skip(f"the shared data folder is not at {DATA}")
    for path in PATHS:
        copy = tmp_path / "served" / "data" / path
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DATA / path, copy)
    served = _Mirror(tmp_path / "served")
    thread = threading.Thread(target=served.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield served
    served.server.shutdown()
    served.server.server_close()
    thread.join()


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["data", "fetch", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
@pytest.mark.data
def test_fetch_lays_out_the_files_with_the_registry_hashes_where_build_reads_them(
    mirror, tmp_path
):
    dest = tmp_path / "dest"
    lines: list[str] = []
    report = fetch(dest, only=SMALL, base_url=mirror.url, progress=lines.append)
    assert sorted(report.fetched) == sorted(PATHS)
    assert (report.present, report.failed, report.by_hand) == ([], {}, {})
    assert len(lines) == len(PATHS)  # a line a file
    for name in SMALL:
        spec = DATASETS[name]
        found = store._files(spec, dest)  # what `alliances data build` reads
        assert {p.relative_to(dest).as_posix(): _sha256(p) for p in found} == dict(spec.sha256)


@pytest.mark.slow
@pytest.mark.data
def test_a_second_run_downloads_nothing_and_says_so(mirror, tmp_path):
    dest = str(tmp_path / "dest")
    assert _run("--dest", dest, "--only", ",".join(SMALL), "--base-url", mirror.url)[0] == 0
    asked = len(mirror.requests)
    code, out, err = _run("--dest", dest, "--only", ",".join(SMALL), "--base-url", mirror.url)
    assert (code, err) == (0, "")
    assert f"0 downloaded, {len(PATHS)} already there and verified" in out
    assert len(mirror.requests) == asked == len(PATHS)


@pytest.mark.slow
@pytest.mark.data
def test_a_file_corrupted_on_the_server_is_a_hash_error_and_never_lands(mirror, tmp_path):
    path = DATASETS["maoz_powers"].files[0]
    served = mirror.root / "data" / path
    data = served.read_bytes()
    served.write_bytes(bytes([data[0] ^ 0xFF]) + data[1:])
    dest = tmp_path / "dest"
    code, out, err = _run("--dest", str(dest), "--only", ",".join(SMALL), "--base-url", mirror.url)
    assert code == 2
    assert f"failed: {path} from {mirror.url}/{path}: SHA256 hash" in err
    assert f"expected sha256:{DATASETS['maoz_powers'].sha256[path]}" in err
    assert "2 downloaded" in out
    assert not (dest / path).exists()
    assert sorted(p.name for p in (dest / path).parent.iterdir()) == sorted(
        Path(p).name for p in PATHS if p != path
    )  # no temporary left behind either


@pytest.mark.slow
@pytest.mark.data
def test_a_half_written_file_in_the_destination_is_replaced(mirror, tmp_path):
    path = DATASETS["grh_arms_races"].files[0]
    dest = tmp_path / "dest"
    (dest / path).parent.mkdir(parents=True)
    (dest / path).write_bytes((DATA / path).read_bytes()[:100])
    report = fetch(dest, only=["grh_arms_races"], base_url=mirror.url)
    assert (report.fetched, report.failed) == ([path], {})
    assert _sha256(dest / path) == DATASETS["grh_arms_races"].sha256[path]


def test_a_file_with_no_public_url_is_left_to_fetch_by_hand_and_says_where(tmp_path):
    code, out, err = _run("--dest", str(tmp_path), "--only", "signnet_tribes")
    assert code == 0
    assert "0 downloaded" in out
    assert (
        "no public URL for signnet/tribes_edges.csv: fetch it by hand from GitHub "
        "schochastics/signnet, data/tribes.rda"
    ) in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--only", "nope"], "unknown datasets nope"),
        (["--base-url", "mirror.example/data"], "expected a URL starting with https://"),
    ],
)
def test_bad_arguments_are_data_errors_that_say_what_was_expected(tmp_path, args, problem):
    code, _, err = _run("--dest", str(tmp_path), *args)
    assert code == 2
    assert err.startswith("DataError:")
    assert problem in err
