"""The workbench holds under fire: long names, odd backups, hostile files, large
scenarios, a taken port, and connections that never finish their request."""

import hashlib
import json
import random
import socket
import threading
import time
import urllib.request

import pytest
from fastapi.testclient import TestClient

from alliances.scenario import dump_yaml, load_builtin
from alliances.web import create_app
from alliances.web.answers import MAX_BONDS
from alliances.web.server import Limits, listen, server_for

BASE = "http://127.0.0.1:8765"


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def workspace(tmp_path):
    folder = tmp_path / "workspace"
    folder.mkdir()
    return folder


@pytest.fixture
def client(workspace):
    app = create_app(workspace, token=None, samples=2000, sobol=0, find_store=False)
    return TestClient(app, base_url=BASE)


@pytest.fixture(scope="module")
def yaml_text():
    return dump_yaml(load_builtin("russia-iran-2017"))


def test_a_file_name_of_250_bytes_is_saved_and_saved_again_with_its_backup(
    client, workspace, yaml_text
):
    name = "a" * 245 + ".yaml"
    first = client.post("/api/save", json={"yaml": yaml_text, "path": name})
    assert first.status_code == 200, first.json()
    edited = yaml_text.replace("Could the United States", "Could the US")
    second = client.post(
        "/api/save", json={"yaml": edited, "path": name, "sha256": first.json()["sha256"]}
    )
    assert second.status_code == 200, second.json()
    assert (workspace / name).read_text(encoding="utf-8") == edited
    assert (workspace / f"{name}.bak").read_text(encoding="utf-8") == yaml_text
    assert sorted(p.name for p in workspace.iterdir()) == [name, f"{name}.bak"]


def test_a_name_too_long_for_its_backup_is_refused_before_anything_is_written(
    client, workspace, yaml_text
):
    name = "b" * 248 + ".yaml"  # 253 bytes: the name fits, NAME.bak does not
    (workspace / name).write_text("previous", encoding="utf-8")
    reply = client.post(
        "/api/save", json={"yaml": yaml_text, "path": name, "sha256": sha256("previous")}
    )
    assert reply.status_code == 409
    assert "too long to keep the previous version" in reply.json()["message"]
    assert (workspace / name).read_text(encoding="utf-8") == "previous"
    assert [p.name for p in workspace.iterdir()] == [name]


def test_a_backup_that_is_a_folder_is_refused_naming_it(client, workspace, yaml_text):
    (workspace / "mine.yaml").write_text("previous", encoding="utf-8")
    (workspace / "mine.yaml.bak").mkdir()
    reply = client.post(
        "/api/save", json={"yaml": yaml_text, "path": "mine.yaml", "sha256": sha256("previous")}
    )
    assert reply.status_code == 409
    assert reply.json()["message"].startswith("'mine.yaml.bak' is a folder;")
    assert (workspace / "mine.yaml").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in workspace.iterdir()) == ["mine.yaml", "mine.yaml.bak"]


SECRET = "hunter2-c0ffee"


@pytest.mark.parametrize(
    "construct",
    [f"&{SECRET} 2017", f"!{SECRET} 2017", f"!!python/name:{SECRET} 2017"],
    ids=["anchor", "local tag", "python tag"],
)
def test_an_anchor_or_tag_of_a_file_is_refused_without_its_name(
    client, workspace, yaml_text, construct
):
    text = yaml_text.replace("year: 2017", f"year: {construct}", 1)
    (workspace / "hostile.yaml").write_text(text, encoding="utf-8")
    reply = client.post("/api/open", json={"path": "hostile.yaml"})
    assert reply.status_code == 422
    assert SECRET not in reply.text
    [refused] = [p for p in reply.json()["problems"] if p["path"] == "year"]
    assert refused["message"].startswith("YAML anchors, aliases and tags are not allowed")
    assert refused["line"] == text.splitlines().index(f"year: {construct}") + 1


def test_a_taken_port_is_refused_with_exit_2_naming_it(tmp_path):
    from typer.testing import CliRunner

    from alliances.cli import app

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", str(tmp_path), "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"ParameterError: port {port} on 127.0.0.1 is in use; pick another with --port\n"
    )
    assert result.stdout == ""


def _ended_by_the_server(client):
    """What the server sent before it closed ``client`` (None: it kept it open)."""
    received = b""
    try:
        while chunk := client.recv(4096):
            received += chunk
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return received


@pytest.mark.slow
def test_connections_that_never_finish_a_request_cannot_wedge_the_server(workspace):
    limits = Limits(request_timeout=0.5, keep_alive=1, max_connections=8)
    listening = listen("127.0.0.1", 0)
    port = listening.getsockname()[1]
    app = create_app(workspace, token=None, port=port, find_store=False)
    server = server_for(app, limits)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        request = b"GET /api/builtins HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n\r\n"
        rng = random.Random(26)
        attackers = []
        for _ in range(40):  # five times the limit, each sends a part of its headers
            client = socket.create_connection(("127.0.0.1", port), timeout=10)
            client.sendall(request[: rng.randrange(len(request) - 2)])
            attackers.append(client)
        endings = [_ended_by_the_server(client) for client in attackers]
        for client in attackers:
            client.close()
        assert None not in endings  # none is held: each was refused or timed out
        statuses = {ending.split(b"\r\n", 1)[0] for ending in endings if ending}
        assert statuses <= {b"HTTP/1.1 503 Service Unavailable", b"HTTP/1.1 408 Request Timeout"}
        assert b"HTTP/1.1 503 Service Unavailable" in statuses
        assert b"HTTP/1.1 408 Request Timeout" in statuses
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/builtins", timeout=10) as reply:
            assert reply.status == 200
            assert "russia-iran-2017" in json.loads(reply.read())
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _with_bonds(yaml_text, bonds):
    return yaml_text.replace("\nquestion:", "\n" + "".join(bonds) + "question:", 1)


_PLAIN = """  - id: extra-{i}
    kind: political
    between: [USA, IRN]
    sign: -1
    description: one of many
    source: fa2017
"""


def test_a_scenario_of_1400_bonds_is_refused_at_once_saying_the_limit(client, yaml_text):
    text = _with_bonds(yaml_text, [_PLAIN.format(i=i) for i in range(1400)])
    assert "\n  - id: extra-1399\n" in text
    reply = client.post("/api/run", json={"yaml": text})
    assert reply.status_code == 422
    [problem] = reply.json()["problems"]
    assert problem["message"].startswith(f"the scenario is {len(text.encode()):,} bytes;")
    assert "at most 128 KiB" in problem["message"]


@pytest.mark.slow
def test_a_scenario_with_more_uncertain_inputs_than_the_limit_is_refused_saying_it(
    client, yaml_text
):
    from alliances.scenario import Scenario
    from alliances.web.answers import MAX_INPUTS

    data = load_builtin("russia-iran-2017").model_dump(mode="json", exclude_none=True)
    trade = next(b for b in data["bonds"] if b["id"] == "trade")
    trade["sides"]["RUS"].pop("derive", None)
    copies = [{**trade, "id": f"trade-{i}"} for i in range(MAX_INPUTS // 5)]
    text = dump_yaml(Scenario.model_validate({**data, "bonds": data["bonds"] + copies}))
    for endpoint in ("/api/run", "/api/report"):
        reply = client.post(endpoint, json={"yaml": text})
        assert reply.status_code == 422
        message = reply.json()["message"]
        assert message.startswith(f"the scenario has {39 + MAX_INPUTS} uncertain inputs;")
        assert f"at most {MAX_BONDS} bonds and {MAX_INPUTS} uncertain inputs" in message


def test_a_scenario_with_more_bonds_than_the_limit_is_refused_saying_it(
    client, yaml_text, monkeypatch
):
    monkeypatch.setattr("alliances.web.answers.MAX_BONDS", 10)
    reply = client.post("/api/run", json={"yaml": yaml_text})
    assert reply.status_code == 422
    assert reply.json()["message"].startswith("the scenario has 11 bonds;")
    assert "at most 10 bonds" in reply.json()["message"]
