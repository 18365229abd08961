"""The workbench: its API, and the page driven in headless Chromium as a person would."""

import hashlib
import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from alliances.errors import OutputError
from alliances.scenario import dump_yaml, load_builtin
from alliances.web import create_app, new_token, serve, url_for
from conftest import CHROMEDRIVER, CHROMIUM, headless_chromium

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
    app = create_app(
        workspace, token=TOKEN, samples=3000, sobol=64, report_samples=2000, find_store=False
    )
    return TestClient(app, base_url=BASE, headers={"Authorization": f"token {TOKEN}"})


@pytest.fixture(scope="module")
def yaml_text():
    return dump_yaml(load_builtin("russia-iran-2017"))


@pytest.mark.slow
def test_open_returns_inputs_and_results(client):
    reply = client.post("/api/open", json={"builtin": "russia-iran-2017"})
    assert reply.status_code == 200
    data = reply.json()
    assert any(i["name"] == SYRIA for i in data["inputs"])
    assert data["result"]["flip_price"]["p50"] > 0
    calibrated = data["result"]["calibrated"]  # the headline's calibrated P(flip)
    assert 0 <= calibrated["interval"][0] <= calibrated["p_flip"] <= calibrated["interval"][1]
    assert data["readonly"] is True
    assert data["sha256"] is None
    assert data["yaml"].startswith("# Russia")  # the built-in file with its comments


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_report_download_is_the_html_report(client, yaml_text):
    reply = client.post("/api/report", json={"yaml": yaml_text})
    assert reply.status_code == 200
    assert "attachment" in reply.headers["content-disposition"]
    assert "the flip price O*" in reply.text


def test_every_answer_says_how_it_was_grounded(client):
    data = client.post("/api/open", json={"builtin": "russia-iran-2017"}).json()
    assert data["grounded"]["store"] is None
    statement = data["grounded"]["statement"]
    assert statement.startswith("Not grounded: the workbench was started without a store")


def test_answers_carry_the_charts_with_their_titles(client):
    data = client.post("/api/open", json={"builtin": "russia-iran-2017"}).json()
    assert set(data["figures"]) == {"curve", "histogram", "drivers", "network"}
    for name, figure in data["figures"].items():
        layout = figure["layout"]
        assert layout["title"]["text"], name
        if name != "network":
            assert layout["xaxis"]["title"]["text"], name
            assert layout["yaxis"]["title"]["text"], name
    names = [t.get("name", "") for t in data["figures"]["curve"]["data"]]
    assert any(n.startswith("P(divider would pay") for n in names)
    assert any(n.startswith("offer evaluated") for n in names)


@pytest.mark.slow
def test_a_bond_removed_with_the_form_moves_the_price(client, yaml_text):
    before = client.post("/api/run", json={"yaml": yaml_text}).json()
    reply = client.post(
        "/api/structure",
        json={"yaml": yaml_text, "op": "remove", "kind": "bond", "id": "syria-foothold"},
    )
    assert reply.status_code == 200
    after = reply.json()
    assert "syria-foothold" not in [b["id"] for b in after["structure"]["bonds"]]
    assert after["result"]["flip_price"]["p50"] < before["result"]["flip_price"]["p50"]
    assert "id: syria-foothold" not in after["yaml"]


@pytest.mark.parametrize(
    ("kind", "item"),
    [
        ("actor", {"id": "TUR", "state": "Turkey"}),
        ("bond", {"id": "rus-tur-gas", "kind": "economic", "between": ["RUS", "CHN"],
                  "source": "fa2017"}),
        ("instrument", {"id": "grain-deal",
                        "value": {"value": 1.0, "unit": "USD bn/yr", "assumption": "test"},
                        "blocked": {"value": 0.2, "assumption": "test"},
                        "renege": {"value": 0.1, "unit": "1/yr", "assumption": "test"}}),
        ("threat", {"id": "tariffs",
                    "value": {"value": 5.0, "unit": "USD bn", "assumption": "test"},
                    "credibility": {"value": 0.5, "assumption": "test"},
                    "backlash": {"value": 0.1, "assumption": "test"}}),
    ],
)  # fmt: skip
@pytest.mark.slow
def test_items_added_with_the_form_are_in_the_scenario_and_can_be_removed(
    client, yaml_text, kind, item
):
    added = client.post(
        "/api/structure", json={"yaml": yaml_text, "op": "add", "kind": kind, "item": item}
    )
    assert added.status_code == 200, added.json()
    listed = added.json()["structure"][f"{kind}s"]
    assert item["id"] in [i["id"] for i in listed]
    removed = client.post(
        "/api/structure",
        json={"yaml": added.json()["yaml"], "op": "remove", "kind": kind, "id": item["id"]},
    )
    assert removed.status_code == 200
    assert item["id"] not in [i["id"] for i in removed.json()["structure"][f"{kind}s"]]


@pytest.mark.slow
def test_an_item_added_with_the_form_is_validated_as_the_file_is(client, yaml_text):
    threat = {"id": "t", "value": {"value": 5.0, "unit": "USD bn"},
              "credibility": {"value": 0.5, "assumption": "a"},
              "backlash": {"value": 0.1, "assumption": "a"}}  # fmt: skip
    reply = client.post(
        "/api/structure", json={"yaml": yaml_text, "op": "add", "kind": "threat", "item": threat}
    )
    assert reply.status_code == 422
    problem = reply.json()["problems"][0]
    assert problem["path"] == "question.threats[1].value"
    assert "'source' or an 'assumption'" in problem["message"]
    actor = {"id": "X", "state": {"a": [1]}}
    reply = client.post(
        "/api/structure", json={"yaml": yaml_text, "op": "add", "kind": "actor", "item": actor}
    )
    assert reply.status_code == 422
    assert reply.json()["problems"][0]["path"].startswith("actors[")
    # an actor still named by bonds cannot go; the problem names the bond
    reply = client.post(
        "/api/structure", json={"yaml": yaml_text, "op": "remove", "kind": "actor", "id": "SYR"}
    )
    assert reply.status_code == 422
    assert reply.json()["problems"][0]["path"].startswith("bonds[")
    assert "unknown actor 'SYR'" in reply.json()["problems"][0]["message"]


def test_a_second_actor_for_a_state_is_refused_naming_the_actor_it_already_is(client, yaml_text):
    actor = {"id": "PERSIA", "state": "Tehran"}
    reply = client.post(
        "/api/structure", json={"yaml": yaml_text, "op": "add", "kind": "actor", "item": actor}
    )
    assert reply.status_code == 422
    (problem,) = reply.json()["problems"]
    assert re.fullmatch(r"actors\[\d+\]\.state", problem["path"])
    assert problem["line"] is None  # the actor added is in no text the person sees yet
    assert "Iran is already the actor 'IRN'" in problem["message"]


@pytest.mark.parametrize(
    ("request_", "status", "says"),
    [
        ({"op": "remove", "kind": "bond", "id": "no-such-bond"}, 404, "no bond"),
        ({"op": "add", "kind": "bond", "item": {"kind": "economic"}}, 422, "an id"),
        ({"op": "add", "kind": "bond", "item": {"id": "trade"}}, 422, "already has"),
        ({"op": "rename", "kind": "bond", "id": "trade"}, 422, "op should be"),
        ({"op": "add", "kind": "context", "item": {"id": "x"}}, 422, "kind should be"),
    ],
)
def test_a_structure_request_that_names_nothing_is_refused(
    client, yaml_text, request_, status, says
):
    reply = client.post("/api/structure", json={"yaml": yaml_text, **request_})
    assert reply.status_code == status
    assert says in reply.json()["message"]


@pytest.mark.parametrize(
    ("kind", "item", "says"),
    [
        ("actor", {"id": "RUS", "state": "Russia"}, "already has an actor 'RUS'"),
        ("instrument", {"id": "us-sanctions-relief"}, "already has an instrument"),
        ("bond", {"id": "trade"}, "already has a bond 'trade'"),
    ],
)
def test_a_duplicate_item_is_refused_in_good_english(client, yaml_text, kind, item, says):
    reply = client.post(
        "/api/structure", json={"yaml": yaml_text, "op": "add", "kind": kind, "item": item}
    )
    assert reply.status_code == 422
    assert says in reply.json()["message"]


def _line_after(text, head, key):
    """The line (from 1) of the first ``key:`` after the line ``head`` in ``text``."""
    lines = text.splitlines()
    start = lines.index(head)
    after = next(i for i, line in enumerate(lines[start:]) if line.strip().startswith(f"{key}:"))
    return start + after + 1


@pytest.mark.parametrize("above", ["", "# my notes\n# on two lines\n\n"])
def test_a_field_error_names_the_line_of_the_value_in_the_text_the_page_shows(
    client, yaml_text, above
):
    # a low above the mode: the problem is at the mode, on its line of the text sent (the
    # YAML box), not of the scenario written out again with its defaults
    text = above + yaml_text
    reply = client.post(
        "/api/edit",
        json={"yaml": text, "input": "question.discount_rate", "param": "low", "value": 0.5},
    )
    assert reply.status_code == 422
    (problem,) = reply.json()["problems"]
    assert problem["path"] == "question.discount_rate.mode"
    assert problem["line"] == _line_after(text, "  discount_rate:", "mode")


def test_a_structure_error_names_the_line_in_the_text_the_page_shows(client, yaml_text):
    reply = client.post(
        "/api/structure", json={"yaml": yaml_text, "op": "remove", "kind": "actor", "id": "SYR"}
    )
    assert reply.status_code == 422
    listed = reply.json()["problems"]
    assert listed
    assert all(p["path"].startswith("bonds[") for p in listed)
    lines = yaml_text.splitlines()
    for p in listed:
        assert "unknown actor 'SYR'" in p["message"]
        assert lines[p["line"] - 1] == "  - SYR"


def _without_time_stamp(html):
    return re.sub(r"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", "", html)


def _cli_report(tmp_path, *options):
    from typer.testing import CliRunner

    from alliances.cli import app

    out = tmp_path / "cli.html"
    args = ["report", "russia-iran-2017", "-o", str(out), "--samples", "2000", *options]
    ran = CliRunner().invoke(app, args)
    assert ran.exit_code == 0, ran.output
    return out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_workbench_report_is_the_command_lines_but_for_its_time_stamp(
    workspace, yaml_text, tmp_path, monkeypatch
):
    # no store where both look for one: both say so, in the same words
    monkeypatch.delenv("ALLIANCES_STORE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = create_app(workspace, token=None, samples=2000, sobol=64, report_samples=2000)
    web = TestClient(app, base_url=BASE).post("/api/report", json={"yaml": yaml_text})
    assert web.status_code == 200
    cli = _cli_report(tmp_path)
    assert f"Not grounded: no store at {tmp_path / 'cache'}" in web.text
    assert _without_time_stamp(web.text) == _without_time_stamp(cli)


def test_grounded_in_a_store_the_workbench_report_is_the_command_lines(
    workspace, yaml_text, tmp_path, real_store
):
    path, _ = real_store
    app = create_app(workspace, token=None, report_samples=2000, samples=2000, store=path)
    client = TestClient(app, base_url=BASE)
    opened = client.post("/api/open", json={"builtin": "russia-iran-2017"}).json()
    assert opened["grounded"]["statement"].startswith("Grounded in the store")
    # the input the store replaced says so, with the value used: its fields move nothing
    [grounded] = [i for i in opened["inputs"] if i["grounded"]]
    assert grounded["name"] == "bonds.trade.RUS.revenue"
    assert grounded["grounded"]["value"] > 0
    assert grounded["grounded"]["source"].startswith("COW dyadic trade")
    web = client.post("/api/report", json={"yaml": yaml_text})
    cli = _cli_report(tmp_path, "--store", str(path))
    for section in ("Russia and Iran in the data", "Grounded in the data", "Data versions"):
        assert section in web.text
    assert _without_time_stamp(web.text) == _without_time_stamp(cli)


def test_a_store_named_but_missing_is_an_error(workspace, tmp_path):
    from alliances.errors import DataError

    with pytest.raises(DataError, match="no store here"):
        create_app(workspace, token=None, store=tmp_path / "none.duckdb")


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

browser_installed = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)",
)


def browser(test):
    """A test in a real browser: it starts chromium and a server, so it is ``slow``."""
    return pytest.mark.slow(browser_installed(test))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The workbench on a free port, serving a workspace; (URL with the token, folder)."""
    port = _free_port()
    folder = tmp_path_factory.mktemp("served")
    app = create_app(
        folder,
        token=TOKEN,
        port=port,
        samples=5000,
        sobol=64,
        report_samples=5000,
        find_store=False,
    )
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
    session = headless_chromium(
        tmp_path_factory.mktemp("chrome"),
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
    )
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
    # the headline's calibrated P(flip) and its interval are shown, not left as "–"
    assert 0 <= float(driver.find_element("id", "pcal").text) <= 1
    assert " to " in driver.find_element("id", "pcalint").text
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


def _fill(driver, element_id, text):
    """Put ``text`` in a field as typing would, without pressing anything after."""
    driver.execute_script(
        "document.getElementById(arguments[0]).value = arguments[1];", element_id, text
    )


def _row_error(driver, name):
    """The problem shown beside an input's fields ('' while the table is drawn again)."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    try:
        row = driver.find_element("css selector", f'tr[data-input="{name}"]')
        return row.find_element("css selector", ".error").text
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


@browser
def test_save_applies_the_yaml_typed_in_the_box_and_keeps_it_if_invalid(served, driver):
    server, folder = served
    _loaded(driver, server)
    box = driver.find_element("id", "yaml")
    typed = box.get_attribute("value").replace("title: Could", "title: Typed, could", 1)
    _fill(driver, "yaml", typed)  # typed, not applied
    _type(driver, "path", "typed.yaml")
    driver.find_element("id", "save").click()
    _wait(lambda: _status(driver).startswith("saved typed.yaml"))
    saved = (folder / "typed.yaml").read_text(encoding="utf-8")
    assert "title: Typed, could" in saved
    assert driver.find_element("id", "title").text.startswith("Typed, could")
    # invalid text typed: not saved, the problem beside the box, the text still there
    broken = box.get_attribute("value").replace("  horizon: 10\n", "  horizon: ten\n", 1)
    assert broken != box.get_attribute("value")
    _fill(driver, "yaml", broken)
    driver.find_element("id", "save").click()
    _wait(lambda: _status(driver).startswith("not saved"))
    assert "horizon" in driver.find_element("id", "yamlerror").text
    assert box.get_attribute("value") == broken
    assert (folder / "typed.yaml").read_text(encoding="utf-8") == saved


@browser
def test_an_invalid_value_and_its_problem_stay_when_another_field_is_fixed(served, driver):
    server, _ = served
    _loaded(driver, server)
    discount = "question.discount_rate"
    _set(driver, _field(driver, MARGIN, "high"), 0.1)
    _wait(lambda: "should be >= mode=0.25" in _row_error(driver, MARGIN))
    _set(driver, _field(driver, discount, "low"), 0.5)
    _wait(lambda: "should be >= low=0.5" in _row_error(driver, discount))
    # fix the second: the form is drawn again, and the first keeps its text and problem
    _set(driver, _field(driver, discount, "low"), 0.02)
    _wait(lambda: _status(driver).startswith("updated"))
    assert _value(driver, discount, "low") == "0.02"
    assert _row_error(driver, discount) == ""
    assert _value(driver, MARGIN, "high") == "0.1"
    assert "invalid" in _field(driver, MARGIN, "high").get_attribute("class")
    assert "should be >= mode=0.25" in _row_error(driver, MARGIN)
    assert "1 invalid value is not in the scenario" in _status(driver)
    # until that field is changed
    _set(driver, _field(driver, MARGIN, "high"), 0.3)
    _wait(lambda: _status(driver) == "updated")
    assert _value(driver, MARGIN, "high") == "0.3"
    assert "invalid" not in _field(driver, MARGIN, "high").get_attribute("class")
    assert _row_error(driver, MARGIN) == ""


_CLICK_AND_READ_STATUS = """
document.getElementById(arguments[0]).click();
return document.getElementById("status").textContent;
"""


@browser
def test_the_status_line_says_what_happened(served, driver, yaml_text):
    server, folder = served
    (folder / "taken.yaml").write_text(yaml_text, encoding="utf-8")
    _loaded(driver, server)
    # opening a file says so at once
    _type(driver, "path", "taken.yaml")
    assert driver.execute_script(_CLICK_AND_READ_STATUS, "openfile") == "opening taken.yaml…"
    _wait(lambda: _status(driver) == "opened taken.yaml")
    # pinning a variant and clearing it say so
    assert driver.execute_script(_CLICK_AND_READ_STATUS, "pin").startswith("pinned taken.yaml")
    assert driver.execute_script(_CLICK_AND_READ_STATUS, "unpin") == "cleared A"
    # Apply YAML says that it applied the text, or that it did not
    box = driver.find_element("id", "yaml")
    _fill(driver, "yaml", box.get_attribute("value").replace("title: Could", "title: New, could"))
    assert driver.execute_script(_CLICK_AND_READ_STATUS, "apply") == "applying the YAML…"
    _wait(lambda: _status(driver) == "applied the YAML")
    _fill(driver, "yaml", "title: [")
    driver.find_element("id", "apply").click()
    _wait(lambda: _status(driver).startswith("YAML not applied"))
    assert driver.find_element("id", "yamlerror").text.startswith("line 1")
    # a built-in saved over a file that exists: the status says so, as the banner does
    driver.find_element("id", "open").click()
    _wait(lambda: _status(driver).startswith("opened the built-in"))
    assert driver.find_element("id", "yamlerror").text == ""
    _type(driver, "path", "taken.yaml")
    driver.find_element("id", "save").click()
    _wait(driver.find_element("id", "conflict").is_displayed)
    assert "already exists" in driver.find_element("id", "conflictmsg").text
    assert _status(driver) == "not saved: 'taken.yaml' already exists; saving would overwrite it"
    assert (folder / "taken.yaml").read_text(encoding="utf-8") == yaml_text


@browser
def test_the_page_loads_without_an_error_in_the_console(served, driver):
    server, _ = served
    driver.get_log("browser")  # what earlier tests left
    _loaded(driver, server)
    # no request for /favicon.ico (a 404 on every load): the page gives its own icon
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    icon = "const link = document.querySelector('link[rel~=icon]'); return link && link.href;"
    assert driver.execute_script(icon).startswith("data:")


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


def _loaded(driver, server):
    driver.get(server)
    _wait(lambda: driver.find_element("id", "p50").text not in ("", "–"))
    _wait(lambda: len(driver.find_elements("css selector", ".js-plotly-plot .gtitle")) >= 4)


_ROWS = """
const out = [];
for (const label of document.querySelectorAll("label")) {
  const field = label.querySelector("input, select");
  const text = label.querySelector("span");
  if (!field || !text || !label.offsetParent) continue;
  const a = text.getBoundingClientRect(), b = field.getBoundingClientRect();
  const shared = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  out.push({label: text.textContent, shared, height: Math.min(a.height, b.height)});
}
return out;
"""


@browser
def test_every_label_shares_a_row_with_its_field(served, driver):
    server, _ = served
    for width in (1400, 1000):  # a narrower window wraps the form, never a label from its box
        driver.set_window_size(width, 1000)
        _loaded(driver, server)
        rows = driver.execute_script(_ROWS)
        assert len(rows) > 100  # every parameter of every input, and the structure forms
        apart = [r["label"] for r in rows if r["shared"] < 0.5 * r["height"]]
        assert apart == [], f"labels not on their field's row at width {width}: {apart}"
    driver.set_window_size(1400, 1000)


_CHARTS = """
const out = {};
for (const id of ["curve", "histogram", "network", "drivers"]) {
  const root = document.getElementById(id);
  const text = (sel) => [...root.querySelectorAll(sel)].map((e) => e.textContent).join(" ");
  const title = root.querySelector(".gtitle");
  const bar = root.querySelector(".modebar");
  let overlap = false;
  if (title && bar) {
    const a = title.getBoundingClientRect(), b = bar.getBoundingClientRect();
    overlap = b.width > 0 && a.left < b.right && b.left < a.right
      && a.top < b.bottom && b.top < a.bottom;
  }
  const edge = root.getBoundingClientRect().right;
  const lines = title ? [...title.querySelectorAll("tspan.line")] : [];
  const outside = lines.some((line) => line.getBoundingClientRect().right > edge);
  out[id] = {title: text(".gtitle"), x: text(".g-xtitle"), y: text(".g-ytitle"),
             legend: text(".legendtext"), overlap, outside, lines: lines.length};
}
return out;
"""


@browser
def test_each_chart_has_its_title_and_axis_titles_and_the_toolbar_covers_none(served, driver):
    server, _ = served
    _loaded(driver, server)
    # the toolbar shows on hover: hover each chart, then read titles and toolbar
    from selenium.webdriver import ActionChains

    for name in ("curve", "histogram", "network", "drivers"):
        ActionChains(driver).move_to_element(driver.find_element("id", name)).perform()
    charts = driver.execute_script(_CHARTS)
    for name, chart in charts.items():
        assert chart["title"].strip(), name
        assert not chart["overlap"], f"the toolbar covers the title of {name}"
        assert not chart["outside"], f"the title of {name} runs past the chart's edge"
        if name != "network":
            assert chart["x"].strip(), name
            assert chart["y"].strip(), name
    assert "USD bn" in charts["curve"]["x"]
    assert charts["curve"]["lines"] >= 3  # its long subtitle wrapped, every word shown
    assert "median flip price" in charts["curve"]["title"]
    assert "P(divider would pay this much)" in charts["curve"]["legend"]
    assert "offer evaluated" in charts["curve"]["legend"]
    assert "median" in charts["histogram"]["legend"]
    assert "military bond" in charts["network"]["legend"]


@browser
def test_a_person_adds_an_actor_and_compares_without_a_bond(served, driver):
    server, _ = served
    _loaded(driver, server)
    p50 = float(driver.find_element("id", "p50").text)
    # add an actor with the form
    form = driver.find_element("id", "addactor")
    form.find_element("name", "id").send_keys("TUR")
    form.find_element("name", "state").send_keys("Turkey")
    form.find_element("css selector", "button[type=submit]").click()
    _wait(lambda: driver.find_elements("css selector", '#actors tr[data-id="TUR"]'))
    assert _status(driver) == "added actor TUR"
    # the comparison: the scenario without the Syrian foothold beside it as it was
    row = driver.find_element("css selector", '#bonds tr[data-id="syria-foothold"]')
    next(b for b in row.find_elements("tag name", "button") if b.text == "compare without").click()
    _wait(lambda: _status(driver) == "removed bond syria-foothold")
    assert driver.find_element("id", "comparison").is_displayed()
    cells = driver.find_elements("css selector", "#comparetable tbody tr:first-child td")
    a, b = float(cells[1].text), float(cells[2].text)
    assert a == pytest.approx(p50, abs=0.05)
    assert b < a
    assert "without the Syrian foothold" in driver.find_element("id", "nameB").text
    assert driver.find_elements("css selector", "#comparechart .gtitle")
    # remove the actor again
    driver.find_element("css selector", '#actors tr[data-id="TUR"] button').click()
    _wait(lambda: not driver.find_elements("css selector", '#actors tr[data-id="TUR"]'))


@browser
def test_after_another_file_is_opened_the_comparison_names_it_not_the_old_variant(
    served, driver, yaml_text
):
    server, folder = served
    (folder / "other.yaml").write_text(yaml_text, encoding="utf-8")
    _loaded(driver, server)
    row = driver.find_element("css selector", '#bonds tr[data-id="syria-foothold"]')
    next(b for b in row.find_elements("tag name", "button") if b.text == "compare without").click()
    _wait(lambda: _status(driver) == "removed bond syria-foothold")
    assert "without the Syrian foothold" in driver.find_element("id", "nameB").text
    _type(driver, "path", "other.yaml")
    driver.find_element("id", "openfile").click()
    _wait(lambda: _status(driver) == "opened other.yaml")
    assert driver.find_element("id", "nameB").text == "other.yaml"
    assert driver.find_element("id", "nameA").text == "russia-iran-2017, as pinned"
    cells = driver.find_elements("css selector", "#comparetable tbody tr:last-child td")
    bonds = str(len(load_builtin("russia-iran-2017").bonds))
    assert [c.text for c in cells] == ["bonds", bonds, bonds]  # B: the file, all its bonds


@browser
def test_the_report_shows_progress_while_it_is_built(served, driver):
    server, _ = served
    _loaded(driver, server)
    driver.find_element("id", "report").click()
    _wait(lambda: driver.find_element("id", "reportprogress").is_displayed())
    assert "building the report" in driver.find_element("id", "reportstatus").text
    assert not driver.find_element("id", "report").is_enabled()
    _wait(lambda: "report ready" in driver.find_element("id", "reportstatus").text, timeout=60)
    assert not driver.find_element("id", "reportprogress").is_displayed()


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

    def run(server, sockets):
        ran.append((server.config, [s.getsockname() for s in sockets]))
        for listening in sockets:
            listening.close()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    port = _free_port()  # not a fixed one another server may hold
    printed = []
    serve(
        workspace,
        host="127.0.0.1",
        port=port,
        token="abc",
        open_browser=False,
        print_url=printed.append,
    )
    assert printed == [f"http://127.0.0.1:{port}/?token=abc"]
    assert ran[0][1] == [("127.0.0.1", port)]
    assert ran[0][0].timeout_keep_alive == 5
    with pytest.raises(OutputError, match="does not exist"):
        serve(
            workspace / "missing",
            host="127.0.0.1",
            port=port,
            token=None,
            open_browser=False,
            print_url=printed.append,
        )
    assert len(printed) == 1


@browser
def test_the_page_shows_amounts_as_the_command_line_does(served, driver):
    from alliances.cli._app import bn

    server, _ = served
    _loaded(driver, server)
    amounts = [0.0, 4e6, 750e6, 70.68e9, 1_234.5e9, 1.5e15, -2e15, 6.79e89]
    shown = driver.execute_script("return arguments[0].map(bn);", amounts)
    assert shown == [bn(v) for v in amounts]


@browser
def test_a_field_changed_while_the_box_was_invalid_is_in_the_file_saved_once_it_is_fixed(
    served, driver
):
    server, folder = served
    _loaded(driver, server)
    valid = driver.find_element("id", "yaml").get_attribute("value")
    _fill(driver, "yaml", valid.replace("  horizon: 10\n", "  horizon: ten\n", 1))
    _set(driver, _field(driver, SYRIA, "median"), 7)
    _wait(lambda: _status(driver).startswith("not changed yet"))
    # the box mended, then saved at once: the field's change is saved with it
    _fill(driver, "yaml", valid.replace("title: Could", "title: Mended, could", 1))
    _type(driver, "path", "mended.yaml")
    driver.find_element("id", "save").click()
    _wait(lambda: _status(driver).startswith("saved mended.yaml"))
    saved = (folder / "mended.yaml").read_text(encoding="utf-8")
    assert "title: Mended, could" in saved
    assert "median: 7" in saved
    assert _value(driver, SYRIA, "median") == "7"
    assert "invalid" not in _field(driver, SYRIA, "median").get_attribute("class")


@browser
def test_a_server_that_does_not_answer_is_said_not_left_computing(served, driver):
    server, _ = served
    _loaded(driver, server)
    driver.execute_script("window.fetch = () => Promise.reject(new TypeError('offline'));")
    _set(driver, _field(driver, SYRIA, "median"), 6)
    _wait(lambda: _status(driver) != "computing…")
    assert "no answer from the workbench" in _row_error(driver, SYRIA)
    driver.find_element("id", "openfile").click()
    _wait(lambda: _status(driver).startswith("not opened: no answer from the workbench"))
    driver.get(server)  # the page as it was, for the tests after


def test_the_comments_of_a_file_survive_opening_editing_restructuring_and_saving(
    client, workspace
):
    from importlib import resources

    from alliances.scenario import parse_yaml

    commented = (
        resources.files("alliances.scenario.builtin")
        .joinpath("russia-iran-2017.yaml")
        .read_text(encoding="utf-8")
    )
    notes = [line for line in commented.splitlines() if line.lstrip().startswith("#")]
    assert len(notes) > 5
    (workspace / "notes.yaml").write_text(commented, encoding="utf-8")
    opened = client.post("/api/open", json={"path": "notes.yaml"}).json()
    assert opened["yaml"] == commented  # the page holds the file as it is
    edited = client.post(
        "/api/edit", json={"yaml": opened["yaml"], "input": SYRIA, "param": "median", "value": 5}
    ).json()
    removed = client.post(
        "/api/structure",
        json={"yaml": edited["yaml"], "op": "remove", "kind": "bond", "id": "syria-foothold"},
    ).json()
    assert "id: syria-foothold" not in removed["yaml"]
    reply = client.post(
        "/api/save",
        json={"yaml": removed["yaml"], "path": "notes.yaml", "sha256": opened["sha256"]},
    )
    assert reply.status_code == 200, reply.json()
    saved = (workspace / "notes.yaml").read_text(encoding="utf-8")
    kept = [line for line in saved.splitlines() if line.lstrip().startswith("#")]
    assert kept[:5] == notes[:5]  # the file's header, word for word
    assert len(kept) >= len(notes) - 3  # a removed bond's own comments may go with it
    assert parse_yaml(saved, file="x") == parse_yaml(removed["yaml"], file="x")


@pytest.mark.parametrize("how", ["says otherwise", "cannot be made"])
def test_a_change_the_text_cannot_take_is_written_afresh_from_the_model(yaml_text, how):
    from alliances.scenario import parse_yaml
    from alliances.web.editing import keeping_comments

    commented = "# a note\n" + yaml_text
    retitled = parse_yaml(yaml_text.replace("\ntitle: ", "\ntitle: New. ", 1), file="x")

    def change(document):
        if how == "cannot be made":
            document["bonds"][999]["id"] = "x"  # no such bond

    written = keeping_comments(commented, change, retitled)
    assert written.text == dump_yaml(retitled)  # the model's change, not the text's
    assert "# a note" not in written.text
    assert written.dropped == 1  # and the answer says so


def _builtin_file():
    from importlib import resources

    return (
        resources.files("alliances.scenario.builtin")
        .joinpath("russia-iran-2017.yaml")
        .read_text(encoding="utf-8")
    )


def _notes(text):
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def test_removing_an_actor_written_without_an_id_keeps_the_files_comments(client):
    commented = _builtin_file()
    assert "id: AFG" not in commented  # written "- state: Afghanistan"
    reply = client.post(
        "/api/structure", json={"yaml": commented, "op": "remove", "kind": "actor", "id": "AFG"}
    )
    assert reply.status_code == 200, reply.json()
    text = reply.json()["yaml"]
    assert "Afghanistan" not in text
    assert _notes(text) == _notes(commented)
    assert reply.json()["comments_dropped"] == 0


def test_removing_an_organisation_keeps_the_headings_of_the_other_blocs(client):
    commented = _builtin_file()
    reply = client.post(
        "/api/structure",
        json={"yaml": commented, "op": "remove", "kind": "actor", "id": "CSTO"},
    )
    assert reply.status_code == 200, reply.json()
    notes = _notes(reply.json()["yaml"])
    assert any(note.startswith("# SCO") for note in notes)
    assert any(note.startswith("# EAEU") for note in notes)


def test_an_edit_of_a_bond_side_written_by_name_keeps_the_comments(client, yaml_text):
    named = "# my notes\n" + yaml_text.replace("    RUS:\n", "    Russia:\n")
    assert named.count("    Russia:\n") >= 1
    reply = client.post(
        "/api/edit", json={"yaml": named, "input": MARGIN, "param": "high", "value": 0.45}
    )
    assert reply.status_code == 200, reply.json()
    text = reply.json()["yaml"]
    assert text.startswith("# my notes\n")
    assert "    Russia:\n" in text
    assert reply.json()["comments_dropped"] == 0


def test_an_edit_changes_only_the_lines_of_the_value_in_the_files_layout(client):
    import difflib

    commented = _builtin_file()
    reply = client.post(
        "/api/edit", json={"yaml": commented, "input": SYRIA, "param": "median", "value": 5}
    )
    text = reply.json()["yaml"]
    changed = [
        line
        for line in difflib.unified_diff(commented.splitlines(), text.splitlines(), lineterm="")
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    # the value's line, and the flow mappings ruamel joins onto their key's line
    assert len(changed) <= 30, changed
    assert "  - id: arms-deals" in text  # the file's list indentation, not "- id"


def test_an_edit_of_a_default_the_file_does_not_write_keeps_the_comments(client):
    from importlib import resources

    commented = (
        resources.files("alliances.scenario.builtin")
        .joinpath("russia-iran-2017.yaml")
        .read_text(encoding="utf-8")
    )
    name = "bonds.eurasian-partnership.RUS.substitutability"
    assert "substitutability" not in commented.split("id: eurasian-partnership")[1][:600]
    reply = client.post(
        "/api/edit", json={"yaml": commented, "input": name, "param": "value", "value": 0.25}
    )
    assert reply.status_code == 200, reply.json()
    text = reply.json()["yaml"]
    assert text.startswith(commented.splitlines()[0])
    assert any(i["name"] == name and i["params"]["value"] == 0.25 for i in reply.json()["inputs"])


_OVERLAPS = """
const out = {};
for (const id of ["curve", "histogram", "drivers"]) {
  const gd = document.getElementById(id);
  const legend = gd.querySelector("g.legend"), title = gd.querySelector(".g-xtitle");
  if (!legend || !title) { out[id] = false; continue; }
  const a = legend.getBoundingClientRect(), b = title.getBoundingClientRect();
  out[id] = a.top < b.bottom && b.top < a.bottom && a.left < b.right && b.left < a.right;
}
out.wider = document.documentElement.scrollWidth > window.innerWidth;
return out;
"""


@browser
def test_a_narrow_window_gets_one_column_and_legends_clear_of_axis_titles(served, driver):
    server, _ = served
    driver.set_window_size(900, 1000)
    try:
        _loaded(driver, server)

        def clear():
            found = driver.execute_script(_OVERLAPS)
            return found if not any(found.values()) else None

        assert _wait(clear) == {
            "curve": False,
            "histogram": False,
            "drivers": False,
            "wider": False,
        }
    finally:
        driver.set_window_size(1400, 1000)
