"""The workbench: its API, and the page driven in headless Chromium as a person would."""

import hashlib
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from alliances.errors import OutputError
from alliances.scenario import dump_yaml, load_builtin
from alliances.web.app import create_app, new_token, serve, url_for

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
SYRIA = "bonds.syria-foothold.RUS.value"
MARGIN = "bonds.arms-deals.RUS.margin"
TOKEN = new_token()
BASE = "http://127.0.0.1:8765"


def sha256(data):
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode("utf-8")).hexdigest()


@pytest.fixture
def workspace(tmp_path):
    folder = tmp_path / "workspace"
    folder.mkdir()
    return folder


@pytest.fixture
def client(workspace):
    app = create_app(workspace, token=TOKEN, samples=3000, sobol=64)
    return TestClient(app, base_url=BASE, headers={"Authorization": f"token {TOKEN}"})


@pytest.fixture(scope="module")
def yaml_text():
    return dump_yaml(load_builtin("russia-iran-2017"))


def test_open_returns_inputs_and_results(client):
    reply = client.post("/api/open", json={"builtin": "russia-iran-2017"})
    assert reply.status_code == 200
    data = reply.json()
    assert any(i["name"] == SYRIA for i in data["inputs"])
    assert data["result"]["flip_price"]["p50"] > 0
    assert data["readonly"] is True
    assert data["sha256"] is None


def test_open_a_workspace_file_gives_its_sha256(client, workspace, yaml_text):
    (workspace / "sub").mkdir()
    (workspace / "sub" / "mine.yml").write_text(yaml_text, encoding="utf-8")
    data = client.post("/api/open", json={"path": "sub/mine.yml"}).json()
    assert data["path"] == "sub/mine.yml"
    assert data["sha256"] == sha256(yaml_text)
    assert data["readonly"] is False
    # the older pages' key still opens either
    assert client.post("/api/open", json={"name": "sub/mine.yml"}).status_code == 200
    assert client.post("/api/open", json={"name": "russia-iran-2017"}).status_code == 200


def test_files_lists_the_workspaces_yaml_files(client, workspace, yaml_text):
    (workspace / "a.yaml").write_text(yaml_text, encoding="utf-8")
    (workspace / "sub").mkdir()
    (workspace / "sub" / "b.yml").write_text(yaml_text, encoding="utf-8")
    (workspace / "notes.txt").write_text("not a scenario", encoding="utf-8")
    (workspace / "a.yaml.bak").write_text(yaml_text, encoding="utf-8")
    (workspace / ".hidden").mkdir()
    (workspace / ".hidden" / "c.yaml").write_text(yaml_text, encoding="utf-8")
    data = client.get("/api/files").json()
    assert data["files"] == ["a.yaml", "sub/b.yml"]
    assert data["truncated"] is False


def test_edit_moves_the_price(client, yaml_text):
    before = client.post("/api/run", json={"yaml": yaml_text}).json()
    after = client.post(
        "/api/edit", json={"yaml": yaml_text, "input": SYRIA, "param": "median", "value": 5}
    ).json()
    assert after["result"]["flip_price"]["p50"] > before["result"]["flip_price"]["p50"]
    assert "median: 5" in after["yaml"]


def test_invalid_edit_gives_the_validators_message(client, yaml_text):
    reply = client.post(
        "/api/edit", json={"yaml": yaml_text, "input": MARGIN, "param": "high", "value": 0.1}
    )
    assert reply.status_code == 422
    problem = reply.json()["problems"][0]
    assert problem["path"] == "bonds[0].sides.RUS.margin.high"
    assert "should be >= mode=0.25" in problem["message"]


def test_save_is_atomic_and_keeps_a_backup(client, yaml_text, workspace):
    target = workspace / "mine.yaml"
    target.write_text("previous", encoding="utf-8")
    reply = client.post(
        "/api/save", json={"yaml": yaml_text, "path": "mine.yaml", "sha256": sha256("previous")}
    )
    assert reply.status_code == 200
    assert reply.json() == {
        "saved": "mine.yaml",
        "sha256": sha256(yaml_text),
        "backup": "mine.yaml.bak",
    }
    assert (workspace / "mine.yaml.bak").read_text(encoding="utf-8") == "previous"
    assert target.read_text(encoding="utf-8") == yaml_text
    assert sorted(p.name for p in workspace.iterdir()) == ["mine.yaml", "mine.yaml.bak"]


def test_a_new_file_is_saved_without_a_backup(client, yaml_text, workspace):
    reply = client.post("/api/save", json={"yaml": yaml_text, "path": "new.yaml"})
    assert reply.status_code == 200
    assert reply.json()["backup"] is None
    assert sorted(p.name for p in workspace.iterdir()) == ["new.yaml"]


@pytest.mark.parametrize(
    ("on_disk", "sent", "says"),
    [
        ("someone else's version", sha256("the version opened"), "changed on disk"),
        (None, sha256("the version opened"), "deleted or renamed"),
        ("a file that was already there", None, "would overwrite"),
    ],
)
def test_a_save_that_would_lose_a_version_is_a_conflict(
    client, yaml_text, workspace, on_disk, sent, says
):
    target = workspace / "mine.yaml"
    if on_disk is not None:
        target.write_text(on_disk, encoding="utf-8")
    reply = client.post("/api/save", json={"yaml": yaml_text, "path": "mine.yaml", "sha256": sent})
    assert reply.status_code == 409
    assert says in reply.json()["message"]
    # nothing written: the file on disk (or its absence) as it was, no backup, no leftovers
    assert sorted(p.name for p in workspace.iterdir()) == (["mine.yaml"] if on_disk else [])
    if on_disk is not None:
        assert target.read_text(encoding="utf-8") == on_disk


def test_an_invalid_scenario_is_not_saved(client, workspace):
    reply = client.post("/api/save", json={"yaml": "title: [", "path": "mine.yaml"})
    assert reply.status_code == 422
    assert reply.json()["problems"][0]["line"] == 1
    assert list(workspace.iterdir()) == []


def test_report_download_is_the_html_report(client, yaml_text):
    reply = client.post("/api/report", json={"yaml": yaml_text})
    assert reply.status_code == 200
    assert "attachment" in reply.headers["content-disposition"]
    assert "Flip price O*" in reply.text


def test_page_and_plotly_are_served_locally_without_the_token(workspace):
    anyone = TestClient(create_app(workspace, token=TOKEN), base_url=BASE)
    page = anyone.get("/")
    assert "alliances workbench" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert len(anyone.get("/plotly.js").content) > 1_000_000
    assert anyone.get("/api/builtins").status_code == 403


def test_the_workspace_must_be_an_existing_folder(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        create_app(tmp_path / "missing", token=None)
    (tmp_path / "file.yaml").write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match="should be a folder"):
        create_app(tmp_path / "file.yaml", token=None)


def test_the_url_carries_the_token():
    assert url_for("127.0.0.1", 8765, "abc") == "http://127.0.0.1:8765/?token=abc"
    assert url_for("0.0.0.0", 9000, None) == "http://127.0.0.1:9000/"
    assert url_for("::1", 8765, "abc") == "http://[::1]:8765/?token=abc"


# --- in a real browser ------------------------------------------------------------------

browser = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The workbench on a free port, serving a workspace; (URL with the token, folder)."""
    port = _free_port()
    folder = tmp_path_factory.mktemp("served")
    app = create_app(folder, token=TOKEN, port=port, samples=5000, sobol=64)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(100):
        if instance.started:
            break
        time.sleep(0.05)
    yield url_for("127.0.0.1", port, TOKEN), folder
    instance.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chrome')}",
    ):
        options.add_argument(flag)
    session = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield session
    session.quit()


def _wait(condition, timeout=20.0):
    deadline = time.time() + timeout
    value = None
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out; last value {value!r}")


def _field(driver, name, param):
    return driver.find_element("css selector", f'input[data-input="{name}"][data-param="{param}"]')


def _value(driver, name, param):
    """The field's value, or None while the table is being drawn again."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    try:
        return _field(driver, name, param).get_attribute("value")
    except (NoSuchElementException, StaleElementReferenceException):
        return None


def _set(driver, element, value):
    driver.execute_script(
        "arguments[0].value = arguments[1];arguments[0].dispatchEvent(new Event('change'));",
        element,
        str(value),
    )


def _status(driver):
    return driver.find_element("id", "status").text


def _type(driver, element_id, text):
    element = driver.find_element("id", element_id)
    element.clear()
    element.send_keys(text)


@browser
def test_workbench_as_a_person_uses_it(served, driver):
    server, folder = served
    driver.get(server)
    p50 = _wait(lambda: driver.find_element("id", "p50").text.replace("–", ""))
    # the token moved from the address bar to the tab's storage
    assert "token" not in driver.current_url
    # change a value and see the result move
    _set(driver, _field(driver, SYRIA, "median"), 5)
    _wait(lambda: driver.find_element("id", "p50").text not in ("", "–", p50))
    assert float(driver.find_element("id", "p50").text) > float(p50)
    # an invalid value is shown next to the field, with the validator's message
    _set(driver, _field(driver, MARGIN, "high"), 0.1)
    row = driver.find_element("css selector", f'tr[data-input="{MARGIN}"]')
    message = _wait(lambda: row.find_element("css selector", ".error").text)
    assert "should be >= mode=0.25" in message
    # save, reload, and find the change kept
    _type(driver, "path", "edited.yaml")
    driver.find_element("id", "save").click()
    _wait(lambda: "saved" in _status(driver))
    assert "median: 5" in (folder / "edited.yaml").read_text(encoding="utf-8")
    driver.get(server)
    _wait(lambda: driver.find_element("id", "p50").text not in ("", "–"))
    _type(driver, "path", "edited.yaml")
    driver.find_element("id", "openfile").click()
    _wait(lambda: _value(driver, SYRIA, "median") == "5")


@browser
def test_a_file_changed_on_disk_is_not_overwritten(served, driver, yaml_text):
    server, folder = served
    target = folder / "conflict.yaml"
    target.write_text(yaml_text, encoding="utf-8")
    driver.get(server)
    _wait(lambda: driver.find_element("id", "p50").text not in ("", "–"))
    _type(driver, "path", "conflict.yaml")
    driver.find_element("id", "openfile").click()
    _wait(lambda: _status(driver) == "opened conflict.yaml")
    # someone else saves the file meanwhile; the page's edit must not overwrite it
    theirs = yaml_text.replace("title: Could", "title: Theirs, could", 1)
    target.write_text(theirs, encoding="utf-8")
    _set(driver, _field(driver, SYRIA, "median"), 5)
    _wait(lambda: _status(driver) == "updated")
    driver.find_element("id", "save").click()
    conflict = driver.find_element("id", "conflict")
    _wait(conflict.is_displayed)
    assert "changed on disk" in driver.find_element("id", "conflictmsg").text
    assert target.read_text(encoding="utf-8") == theirs
    # keep both: save the page's version under the name offered
    assert driver.find_element("id", "saveasname").get_attribute("value") == "conflict-2.yaml"
    driver.find_element("id", "saveas").click()
    _wait(lambda: _status(driver).startswith("saved conflict-2.yaml"))
    assert not conflict.is_displayed()
    assert "median: 5" in (folder / "conflict-2.yaml").read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8") == theirs
    # or take theirs: a conflict, then reload the file from disk
    _type(driver, "path", "conflict.yaml")
    driver.find_element("id", "openfile").click()
    _wait(lambda: _status(driver) == "opened conflict.yaml")
    newest = yaml_text.replace("title: Could", "title: Newest, could", 1)
    target.write_text(newest, encoding="utf-8")
    driver.find_element("id", "save").click()
    _wait(conflict.is_displayed)
    driver.find_element("id", "reload").click()
    _wait(lambda: driver.find_element("id", "title").text.startswith("Newest"))
    assert not conflict.is_displayed()
    assert target.read_text(encoding="utf-8") == newest


@browser
def test_report_renders_its_charts_offline(driver, tmp_path):
    from alliances.analysis.wedge import wedge
    from alliances.report import render, write

    scenario = load_builtin("russia-iran-2017")
    page = write(
        render(scenario, wedge(scenario, samples=2000, sobol_samples=64)), tmp_path / "report.html"
    )
    # a file:// page in a browser started without background networking: every script
    # the charts need must be inside the file
    driver.get(Path(page).as_uri())
    plots = _wait(lambda: driver.find_elements("css selector", ".js-plotly-plot .main-svg"))
    assert len(plots) >= 4


def test_a_save_interrupted_half_way_leaves_the_previous_file(
    client, yaml_text, workspace, monkeypatch
):
    target = workspace / "mine.yaml"
    target.write_text("previous", encoding="utf-8")
    replace = os.replace

    def interrupted(source, destination, *args, **kwargs):
        if Path(destination) == target:
            raise OSError("the disk filled up half-way")
        return replace(source, destination, *args, **kwargs)

    monkeypatch.setattr("os.replace", interrupted)
    reply = client.post(
        "/api/save", json={"yaml": yaml_text, "path": "mine.yaml", "sha256": sha256("previous")}
    )
    assert reply.status_code == 500
    assert reply.json()["message"] == "mine.yaml: cannot write: the disk filled up half-way"
    assert target.read_text(encoding="utf-8") == "previous"
    assert (workspace / "mine.yaml.bak").read_text(encoding="utf-8") == "previous"
    leftovers = sorted(p.name for p in workspace.iterdir())
    assert leftovers == ["mine.yaml", "mine.yaml.bak"]


def test_serve_prints_the_url_with_the_token_then_runs(workspace, monkeypatch):
    ran = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda server: ran.append(server.config))
    printed = []
    serve(
        workspace,
        host="127.0.0.1",
        port=8799,
        token="abc",
        open_browser=False,
        print_url=printed.append,
    )
    assert printed == ["http://127.0.0.1:8799/?token=abc"]
    assert (ran[0].host, ran[0].port) == ("127.0.0.1", 8799)
    with pytest.raises(OutputError, match="does not exist"):
        serve(
            workspace / "missing",
            host="127.0.0.1",
            port=8799,
            token=None,
            open_browser=False,
            print_url=printed.append,
        )
    assert len(printed) == 1
