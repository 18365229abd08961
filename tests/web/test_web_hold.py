"""The workbench holds under fire: long names, odd backups, hostile files, large
scenarios, a taken port, and connections that never finish their request."""

import hashlib

import pytest
from fastapi.testclient import TestClient

from alliances.scenario import dump_yaml, load_builtin
from alliances.web import create_app

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
