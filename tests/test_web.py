"""The workbench: its API, and the page driven in headless Chromium as a person would."""

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from alliances.scenario import dump_yaml, load_builtin
from alliances.web.app import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
SYRIA = "bonds.syria-foothold.RUS.value"
MARGIN = "bonds.arms-deals.RUS.margin"


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(samples=3000, sobol=64))


@pytest.fixture(scope="module")
def yaml_text():
    return dump_yaml(load_builtin("russia-iran-2017"))


def test_open_returns_inputs_and_results(client):
    reply = client.post("/api/open", json={"name": "russia-iran-2017"})
    assert reply.status_code == 200
    data = reply.json()
    assert any(i["name"] == SYRIA for i in data["inputs"])
    assert data["result"]["flip_price"]["p50"] > 0


def test_edit_moves_the_price(client, yaml_text):
    before = client.post("/api/run", json={"yaml": yaml_text}).json()
    after = client.post(
        "/api/edit", json={"yaml": yaml_text, "input": SYRIA, "param": "median", "value": 12}
    ).json()
    assert after["result"]["flip_price"]["p50"] > before["result"]["flip_price"]["p50"]
    assert "median: 12" in after["yaml"]


def test_invalid_edit_gives_the_validators_message(client, yaml_text):
    reply = client.post(
        "/api/edit", json={"yaml": yaml_text, "input": MARGIN, "param": "high", "value": 0.1}
    )
    assert reply.status_code == 422
    problem = reply.json()["problems"][0]
    assert problem["path"] == "bonds[0].sides.RUS.margin.high"
    assert "should be >= mode=0.25" in problem["message"]


def test_save_is_atomic_and_keeps_a_backup(client, yaml_text, tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("previous", encoding="utf-8")
    reply = client.post("/api/save", json={"yaml": yaml_text, "path": str(target)})
    assert reply.status_code == 200
    assert (tmp_path / "mine.yaml.bak").read_text(encoding="utf-8") == "previous"
    assert target.read_text(encoding="utf-8") == yaml_text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml", "mine.yaml.bak"]


def test_report_download_is_the_html_report(client, yaml_text):
    reply = client.post("/api/report", json={"yaml": yaml_text})
    assert reply.status_code == 200
    assert "attachment" in reply.headers["content-disposition"]
    assert "Flip price O*" in reply.text


def test_page_and_plotly_are_served_locally(client):
    assert "alliances workbench" in client.get("/").text
    assert len(client.get("/plotly.js").content) > 1_000_000


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
def server():
    port = _free_port()
    config = uvicorn.Config(
        create_app(samples=5000, sobol=64), host="127.0.0.1", port=port, log_level="warning"
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(100):
        if instance.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
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
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def _field(driver, name, param):
    return driver.find_element("css selector", f'input[data-input="{name}"][data-param="{param}"]')


def _set(driver, element, value):
    driver.execute_script(
        "arguments[0].value = arguments[1];arguments[0].dispatchEvent(new Event('change'));",
        element,
        str(value),
    )


@browser
def test_workbench_as_a_person_uses_it(server, driver, tmp_path):
    driver.get(server)
    p50 = _wait(lambda: driver.find_element("id", "p50").text.replace("–", ""))
    # change a value and see the result move
    _set(driver, _field(driver, SYRIA, "median"), 12)
    _wait(lambda: driver.find_element("id", "p50").text not in ("", "–", p50))
    assert float(driver.find_element("id", "p50").text) > float(p50)
    # an invalid value is shown next to the field, with the validator's message
    _set(driver, _field(driver, MARGIN, "high"), 0.1)
    row = driver.find_element("css selector", f'tr[data-input="{MARGIN}"]')
    message = _wait(lambda: row.find_element("css selector", ".error").text)
    assert "should be >= mode=0.25" in message
    # save, reload, and find the change kept
    target = tmp_path / "edited.yaml"
    driver.find_element("id", "path").send_keys(str(target))
    driver.find_element("id", "save").click()
    _wait(lambda: "saved" in driver.find_element("id", "status").text)
    assert "median: 12" in target.read_text(encoding="utf-8")
    driver.get(server)
    _wait(lambda: driver.find_element("id", "p50").text not in ("", "–"))
    driver.find_element("id", "path").send_keys(str(target))
    driver.find_element("id", "openfile").click()
    _wait(lambda: _field(driver, SYRIA, "median").get_attribute("value") == "12")


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
    client, yaml_text, tmp_path, monkeypatch
):
    target = tmp_path / "mine.yaml"
    target.write_text("previous", encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise OSError("the disk filled up half-way")

    monkeypatch.setattr("alliances.scenario.io.os.replace", interrupted)
    with pytest.raises(OSError, match="half-way"):
        client.post("/api/save", json={"yaml": yaml_text, "path": str(target)})
    assert target.read_text(encoding="utf-8") == "previous"
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert leftovers == ["mine.yaml", "mine.yaml.bak"]
