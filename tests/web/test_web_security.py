"""The workbench stays in its workspace and answers only its own page.

Files outside the workspace are never read or written, whatever the path looks like;
requests naming another host, coming from another site, lacking the token or too large
are refused; no answer quotes a line of a file it refused or could not read.
"""

import hashlib
import json
import os
import uuid

import pytest
from fastapi.testclient import TestClient

from alliances.scenario import builtin_names, dump_yaml, load_builtin
from alliances.web import MAX_BODY, create_app, new_token

TOKEN = new_token()
BASE = "http://127.0.0.1:8765"
AUTH = {"Authorization": f"token {TOKEN}"}
SYRIA = "bonds.syria-foothold.RUS.value"
MARKER = f"SECRET-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def yaml_text():
    return dump_yaml(load_builtin("russia-iran-2017"))


@pytest.fixture
def tree(tmp_path, yaml_text):
    """A workspace and, beside it, a folder that must stay untouched; files with secrets."""
    workspace = tmp_path / "workspace"
    outside = tmp_path / "outside"
    workspace.mkdir()
    outside.mkdir()
    (outside / "x.yaml").write_text(f"password: {MARKER}\n", encoding="utf-8")
    (outside / "scenario.yaml").write_text(yaml_text + f"# {MARKER}\n", encoding="utf-8")
    (outside / "notes.txt").write_text(f"{MARKER}\n", encoding="utf-8")
    (workspace / "notes.txt").write_text(f"{MARKER} line one\n{MARKER} line two\n", "utf-8")
    # YAML files of the workspace that are not scenarios, with the secret in their text
    (workspace / "config.yaml").write_text(f"a: 1\na: {MARKER}\n", encoding="utf-8")
    (workspace / "quoted.yaml").write_text(f'a: 1\na: "{MARKER}\\"x"\n', encoding="utf-8")
    (workspace / "lines.yaml").write_text(f"{MARKER} line one\n{MARKER}: [\n", "utf-8")
    (workspace / "list.yaml").write_text(f"- {MARKER}\n", encoding="utf-8")
    (workspace / "actor.yaml").write_text(
        yaml_text.replace("state: Russia", f"state: '{MARKER}'", 1), encoding="utf-8"
    )
    (workspace / "binary.yaml").write_bytes(b"\xff\xfe" + MARKER.encode())
    os.symlink(outside / "x.yaml", workspace / "link.yaml")
    os.symlink(outside / "scenario.yaml", workspace / "scenario-link.yaml")
    os.symlink(outside, workspace / "elsewhere")
    os.symlink(outside / "missing.yaml", workspace / "dangling.yaml")
    os.symlink(workspace / "notes.txt", workspace / "notes-link.yaml")
    os.mkfifo(workspace / "fifo.yaml")
    (workspace / "folder.yaml").mkdir()
    return workspace, outside


@pytest.fixture
def client(tree):
    workspace, _ = tree
    app = create_app(workspace, token=TOKEN, samples=2000, sobol=32)
    return TestClient(app, base_url=BASE, headers=AUTH, raise_server_exceptions=False)


def snapshot(folder):
    """Every entry under ``folder`` (links not followed) with its bytes or link target."""
    entries = {}
    for root, folders, files in os.walk(folder):
        for name in folders + files:
            path = os.path.join(root, name)
            if os.path.islink(path):
                entries[path] = ("link", os.readlink(path))
            elif os.path.isfile(path):
                with open(path, "rb") as handle:
                    entries[path] = ("file", handle.read())
            else:
                entries[path] = ("other", None)
    return entries


ESCAPES = [
    "../outside/x.yaml",
    "../../x.yaml",
    "%2e%2e/outside/x.yaml",
    "..%2foutside%2fx.yaml",
    "sub/../../outside/x.yaml",
    "/etc/passwd",
    "link.yaml",
    "scenario-link.yaml",
    "elsewhere/x.yaml",
    "elsewhere/scenario.yaml",
    "dangling.yaml",
    "notes.txt",
    "notes-link.yaml",
    "fifo.yaml",
    "folder.yaml",
    "",
    "x.yaml\x00.txt",
]


@pytest.mark.parametrize("path", ESCAPES)
def test_open_refuses_what_is_not_a_yaml_file_of_the_workspace(client, path):
    reply = client.post("/api/open", json={"path": path})
    assert reply.status_code in (403, 404, 422)
    assert MARKER not in reply.text
    assert reply.json()["problems"]


@pytest.mark.parametrize("path", ["link.yaml", "scenario-link.yaml", "elsewhere/x.yaml"])
def test_links_leaving_the_workspace_are_refused_with_403(client, path):
    reply = client.post("/api/open", json={"path": path})
    assert reply.status_code == 403
    assert "outside the workspace" in reply.json()["message"]


def test_absolute_paths_outside_the_workspace_are_refused(client, tree):
    _, outside = tree
    for path in (outside / "x.yaml", outside / "scenario.yaml", "/etc/passwd"):
        reply = client.post("/api/open", json={"path": str(path)})
        assert reply.status_code == 403
        assert MARKER not in reply.text


def test_a_fifo_is_refused_without_blocking(client):
    reply = client.post("/api/open", json={"path": "fifo.yaml"})
    assert reply.status_code == 403
    assert "not a regular file" in reply.json()["message"]


def test_a_link_put_in_place_of_a_resolved_file_is_not_followed(tree, monkeypatch):
    from alliances.web.problems import Refused
    from alliances.web.workspace import Workspace

    workspace, outside = tree
    folder = Workspace(workspace)
    swapped = workspace / "swapped.yaml"
    swapped.symlink_to(outside / "scenario.yaml")
    # the race: the path checks out as a plain file, then a link takes its place
    monkeypatch.setattr(Workspace, "resolve", lambda self, relative: swapped)
    with pytest.raises(Refused) as refused:
        folder.read("swapped.yaml")
    assert refused.value.status == 403
    assert MARKER not in str(refused.value)


@pytest.mark.parametrize(
    "name",
    ["config.yaml", "quoted.yaml", "lines.yaml", "list.yaml", "actor.yaml", "binary.yaml"],
)
def test_a_file_that_is_not_a_scenario_is_not_echoed(client, name):
    reply = client.post("/api/open", json={"path": name})
    assert reply.status_code == 422
    assert MARKER not in reply.text
    assert MARKER[:12] not in reply.text
    assert reply.json()["problems"]


@pytest.mark.slow
def test_saving_never_writes_outside_the_workspace(client, tree, yaml_text):
    workspace, outside = tree
    before = snapshot(outside)
    parent = snapshot(outside.parent)
    for path in [
        *ESCAPES,
        "../outside/new.yaml",
        "../new.yaml",
        str(outside / "new.yaml"),
        "elsewhere/new.yaml",
        "link.yaml",
        "dangling.yaml",
    ]:
        for sha in (None, hashlib.sha256(f"password: {MARKER}\n".encode()).hexdigest()):
            reply = client.post("/api/save", json={"yaml": yaml_text, "path": path, "sha256": sha})
            assert MARKER not in reply.text
            if reply.status_code == 200:  # a literal name such as "..%2fx.yaml" is inside
                saved = (workspace / reply.json()["saved"]).resolve()
                assert saved.parent == workspace.resolve(), path
            else:
                assert reply.status_code in (403, 404, 409, 422), path
    assert snapshot(outside) == before
    inside = str(workspace) + os.sep
    assert {k: v for k, v in snapshot(outside.parent).items() if not k.startswith(inside)} == {
        k: v for k, v in parent.items() if not k.startswith(inside)
    }
    # and a save inside works, next to the refused ones
    assert client.post("/api/save", json={"yaml": yaml_text, "path": "ok.yaml"}).status_code == 200


def test_the_file_list_holds_only_the_workspaces_own_yaml_files(client):
    reply = client.get("/api/files")
    assert reply.status_code == 200
    files = reply.json()["files"]
    assert "link.yaml" not in files
    assert "fifo.yaml" not in files
    assert "folder.yaml" not in files
    assert "notes-link.yaml" not in files
    assert not any(f.startswith("elsewhere") for f in files)
    assert "config.yaml" in files
    assert MARKER not in reply.text


@pytest.mark.slow
def test_no_answer_ever_quotes_a_secret(client, tree, yaml_text):
    """Every endpoint, fed every path: the marker never comes back."""
    _, outside = tree
    paths = [*ESCAPES, "config.yaml", "quoted.yaml", "lines.yaml", "actor.yaml", "binary.yaml"]
    paths += [str(outside / "x.yaml"), str(outside / "notes.txt")]
    replies = [client.get("/api/files"), client.get("/api/builtins")]
    for path in paths:
        replies.append(client.post("/api/open", json={"path": path}))
        replies.append(client.post("/api/open", json={"name": path}))
        replies.append(client.post("/api/save", json={"yaml": yaml_text, "path": path}))
    for reply in replies:
        assert reply.status_code < 500
        assert MARKER not in reply.text


# --- who may call -----------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example"])
def test_a_foreign_host_header_is_refused(client, host):
    for reply in (
        client.get("/api/files", headers={"Host": host}),
        client.post("/api/run", json={"yaml": "x"}, headers={"Host": host}),
        client.get("/", headers={"Host": host}),
    ):
        assert reply.status_code == 400
        assert "Host" in reply.json()["message"]


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "LOCALHOST", "127.0.0.1"])
def test_the_local_host_names_are_accepted(client, host):
    assert client.get("/api/builtins", headers={"Host": host}).json() == builtin_names()


def test_ipv6_loopback_only_when_bound_there(tree):
    workspace, _ = tree
    v4 = TestClient(create_app(workspace, token=None), base_url=BASE)
    assert v4.get("/api/builtins", headers={"Host": "[::1]:8765"}).status_code == 400
    v6 = TestClient(create_app(workspace, token=None, host="::1"), base_url="http://[::1]:8765")
    assert v6.get("/api/builtins").status_code == 200
    assert (
        v6.post(
            "/api/run", json={"yaml": "x"}, headers={"Origin": "http://[::1]:8765"}
        ).status_code
        == 422
    )


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "token wrong"}, {"Authorization": TOKEN}, {"Authorization": "token "}],
)
def test_the_api_needs_the_token(tree, headers):
    workspace, _ = tree
    anyone = TestClient(create_app(workspace, token=TOKEN), base_url=BASE)
    for reply in (
        anyone.get("/api/builtins", headers=headers),
        anyone.get("/api/files", headers=headers),
        anyone.post("/api/open", json={"path": "config.yaml"}, headers=headers),
        anyone.post("/api/save", json={"yaml": "x", "path": "a.yaml"}, headers=headers),
        anyone.get("/api/builtins?token=wrong", headers=headers),
        anyone.get("/api/nothing-here", headers=headers),
    ):
        assert reply.status_code == 403
        assert "token" in reply.json()["message"]
    assert list(workspace.glob("a.yaml*")) == []


def test_the_token_in_the_header_or_the_query(tree):
    workspace, _ = tree
    anyone = TestClient(create_app(workspace, token=TOKEN), base_url=BASE)
    assert anyone.get("/api/builtins", headers={"Authorization": f"token {TOKEN}"}).is_success
    assert anyone.get("/api/builtins", headers={"Authorization": f"Bearer {TOKEN}"}).is_success
    assert anyone.get(f"/api/builtins?token={TOKEN}").is_success


def test_no_token_means_no_check(tree):
    workspace, _ = tree
    anyone = TestClient(create_app(workspace, token=None), base_url=BASE)
    assert anyone.get("/api/builtins").json() == builtin_names()


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "http://127.0.0.1:9999", "https://127.0.0.1:8765", "null"]
)
def test_a_request_from_another_site_is_refused(client, origin, yaml_text):
    for reply in (
        client.post("/api/run", json={"yaml": yaml_text}, headers={"Origin": origin}),
        client.post(
            "/api/save", json={"yaml": yaml_text, "path": "a.yaml"}, headers={"Origin": origin}
        ),
    ):
        assert reply.status_code == 403
        assert "Origin" in reply.json()["message"]


@pytest.mark.parametrize("origin", ["http://127.0.0.1:8765", "http://localhost:8765"])
def test_a_request_from_the_page_itself_is_accepted(client, origin, yaml_text):
    reply = client.post(
        "/api/save", json={"yaml": yaml_text, "path": "a.yaml"}, headers={"Origin": origin}
    )
    assert reply.status_code == 200


def test_an_oversized_body_is_refused(client, tree):
    workspace, _ = tree
    big = json.dumps({"yaml": "x" * (MAX_BODY + 1), "path": "big.yaml"}).encode()
    reply = client.post("/api/save", content=big, headers={"Content-Type": "application/json"})
    assert reply.status_code == 413

    def chunks():  # no Content-Length: the size is counted as it streams in
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"x" * 65536

    reply = client.post("/api/run", content=chunks(), headers={"Content-Type": "application/json"})
    assert reply.status_code == 413
    reply = client.post("/api/run", content=b"{}", headers={"Content-Length": str(MAX_BODY + 1)})
    assert reply.status_code == 413
    assert not (workspace / "big.yaml").exists()


# --- every answer is JSON, and user input is never a 500 --------------------------------


@pytest.mark.parametrize(
    "token", ["Infinity", "-Infinity", "NaN", "1e309", "-1e999", "1" + "0" * 400]
)
def test_a_value_json_cannot_carry_is_a_problem_next_to_the_field(client, yaml_text, token):
    body = (
        f'{{"yaml": {json.dumps(yaml_text)}, "input": "{SYRIA}", "param": "median", '
        f'"value": {token}}}'
    )
    reply = client.post("/api/edit", content=body, headers={"Content-Type": "application/json"})
    assert reply.status_code == 422
    data = json.loads(reply.text, parse_constant=pytest.fail)  # no NaN or Infinity
    assert data["input"] == SYRIA
    assert data["problems"][0]["path"] == f"{SYRIA}.median"
    assert "finite" in data["problems"][0]["message"]


@pytest.mark.parametrize(
    "request_",
    [
        ("post", "/api/edit", {"yaml": "S", "input": "title.x", "param": "median", "value": 1}),
        ("post", "/api/edit", {"yaml": "S", "input": "title", "param": "median", "value": 1}),
        ("post", "/api/edit", {"yaml": "S", "input": "", "param": "nope", "value": 1}),
        ("post", "/api/edit", {"yaml": "S", "input": SYRIA, "param": "median", "value": "a"}),
        ("post", "/api/edit", {"yaml": "S"}),
        ("post", "/api/run", {"yaml": "[" * 5000}),
        ("post", "/api/run", {"yaml": "a: " + "{b: " * 3000}),
        ("post", "/api/run", {"yaml": 12}),
        ("post", "/api/run", [1, 2]),
        ("post", "/api/open", {}),
        ("post", "/api/open", {"builtin": "no-such-scenario"}),
        ("post", "/api/open", {"path": 12}),
        ("post", "/api/save", {"yaml": "S", "path": "a.yaml", "sha256": "é"}),
        ("post", "/api/save", {"yaml": "S", "path": "config.yaml", "sha256": "é"}),
        ("post", "/api/save", {"yaml": "S", "path": "config.yaml", "sha256": None}),
        ("post", "/api/save", {"yaml": "S", "path": "no-folder/a.yaml"}),
        ("post", "/api/report", {"yaml": "title: ["}),
        ("get", "/api/open", None),
        ("get", "/api/nothing-here", None),
    ],
)
def test_user_input_gets_a_json_4xx(client, yaml_text, request_):
    method, url, body = request_
    if isinstance(body, dict) and body.get("yaml") == "S":
        body = {**body, "yaml": yaml_text}
    reply = (
        client.request(method, url, json=body) if body is not None else client.request(method, url)
    )
    assert 400 <= reply.status_code < 500
    data = json.loads(reply.text, parse_constant=pytest.fail)
    assert data["problems"]
    assert "Traceback" not in reply.text


def test_an_invalid_json_body_is_a_422(client):
    reply = client.post(
        "/api/run", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert reply.status_code == 422
    assert reply.json()["problems"]


def test_an_unexpected_error_is_a_generic_500(client, yaml_text, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError(f"internal detail {MARKER}")

    monkeypatch.setattr("alliances.web.answers._price", broken)
    reply = client.post("/api/run", json={"yaml": yaml_text})
    assert reply.status_code == 500
    assert MARKER not in reply.text
    assert "Traceback" not in reply.text
    assert "internal error" in reply.json()["message"]
