"""The review desk in a real browser: Debian's headless Chromium, driven by Selenium through
the system's chromedriver (nothing is downloaded). The desk runs on uvicorn on a loopback
port; its batches replay the event gold set's recorded responses.

The path: an upload in the inbox -> its batch on recorded answers, progress shown -> the
results list -> a result -> a fact's evidence link scrolls the article to the
highlighted quote -> an ungrounded correction is refused with its reason -> a grounded one
is kept and shows in the page and the audit trail -> approved and corrected results become
gold cases that ``summarizer eval`` reads. Skips, saying why, where Chromium or its driver
is not installed (``make browser-deps`` as root; ``.ci/run`` installs them).
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="needs Debian's chromium and chromium-driver: make browser-deps (as root)",
)
webdriver = pytest.importorskip("selenium.webdriver")
uvicorn = pytest.importorskip("uvicorn")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from summarizer.config import Settings  # noqa: E402
from summarizer.evaluation.events import RECORDED_MODEL  # noqa: E402
from summarizer.evaluation.goldset import load_cases  # noqa: E402
from summarizer.replay import ReplayTransport  # noqa: E402
from summarizer.serve.app import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GROUNDED = "وبحث الجانبان خلال اللقاء سبل تعزيز التعاون العسكري بين البلدين"


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """An empty desk on uvicorn whose batches replay the event gold set's recorded answers."""
    data = tmp_path_factory.mktemp("browser") / "desk"
    data.mkdir()
    cassettes = sorted((ROOT / "fixtures" / "cassettes" / "events").glob("*.yaml"))
    settings = Settings(model=RECORDED_MODEL, api_key="replay-no-key", use_cache=False)
    app = create_app(data, settings=settings, transport=lambda: ReplayTransport(cassettes))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the desk did not start"
    yield f"http://127.0.0.1:{port}", data
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1300,900",
                 "--disable-dev-shm-usage", "--no-first-run"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(str(DRIVER)))
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


def _wait_for(browser: Any, text: str) -> None:
    """Until the page holds ``text`` (a form's answer loads after the click returns)."""
    WebDriverWait(browser, 10).until(lambda driver: text in driver.page_source)


def _form(browser: Any, action: str, **fields: str) -> None:
    form = browser.find_element(By.CSS_SELECTOR, f'form[action$="{action}"]')
    for name, value in fields.items():
        field = form.find_element(By.NAME, name)
        if field.tag_name == "select":
            field.find_element(By.CSS_SELECTOR, f'option[value="{value}"]').click()
        else:
            field.clear()
            field.send_keys(value)
    form.find_element(By.CSS_SELECTOR, "button").click()


def test_review_a_result_in_the_browser_from_list_to_gold(
    desk: tuple[str, Path], browser: Any
) -> None:
    url, data = desk
    # Upload a day's reports; the batch runs on recorded answers, its progress on the page.
    browser.get(url + "/inbox")
    browser.find_element(By.NAME, "files").send_keys(
        str(ROOT / "fixtures" / "events" / "articles.jsonl")
    )
    _form(browser, "/inbox", who="Mona")
    WebDriverWait(browser, 60, poll_frequency=0.5).until(
        lambda driver: driver.get(url + "/inbox") or "10 / 10" in driver.page_source
    )
    batch = next((data / "runs").iterdir()).name
    browser.get(url + "/")
    assert "10 results" in browser.find_element(By.CSS_SELECTOR, "p.counts").text
    browser.find_element(By.PARTIAL_LINK_TEXT, "Pakistani Navy commander").click()
    assert browser.current_url.endswith(f"/r/{batch}/e01_kuna_ar")

    # A fact's number leads to its evidence, highlighted in the article beside it.
    ref = browser.find_elements(By.CSS_SELECTOR, "a.ref")[-1]
    target = ref.get_attribute("href").split("#", 1)[1]
    ref.click()
    mark = browser.find_element(By.ID, target)
    assert browser.execute_script("return location.hash") == f"#{target}"
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", mark)
    assert 0 <= top < browser.execute_script("return window.innerHeight")
    article = browser.find_element(By.ID, "article")
    assert article.get_attribute("dir") == "rtl" and mark.tag_name == "mark"

    # An ungrounded correction is refused, with the reason, and nothing is kept.
    _form(browser, "/correct", who="Mona", path="topics[0].evidence.quote",
          value="The two sides agreed to buy submarines.")  # fmt: skip
    _wait_for(browser, "Not kept")
    assert "is not in the article" in browser.page_source
    assert not (data / "reviews.jsonl").exists()

    # A grounded one is kept, highlighted where the article says it, and in the audit trail.
    browser.get(url + f"/r/{batch}/e01_kuna_ar")
    _form(browser, "/correct", who="Mona", path="topics[0].evidence.quote", value=GROUNDED)
    _wait_for(browser, "→")
    assert browser.current_url.endswith(f"/r/{batch}/e01_kuna_ar")
    trail = browser.find_element(By.CSS_SELECTOR, "section.audit").text
    assert "Mona" in trail and "topics[0].evidence.quote" in trail
    kept = json.loads((data / "reviews.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    span = kept["summary"]["topics"][0]["evidence"]
    mark = browser.find_element(By.ID, f"q{span['start']}-{span['end']}")
    assert mark.text.strip() == GROUNDED
    link = browser.find_element(By.CSS_SELECTOR, 'a[href$="/briefing.md"]').get_attribute("href")
    with urllib.request.urlopen(link, timeout=10) as download:  # what the link downloads
        assert GROUNDED in download.read().decode("utf-8")

    # Approved and corrected results become gold cases that eval reads.
    browser.get(url + f"/r/{batch}/e04_observer_om_en")
    _form(browser, "/review", who="Ali")
    _wait_for(browser, "approve")
    browser.get(url + "/")
    browser.find_element(By.CSS_SELECTOR, 'form[action="/gold"] button').click()
    _wait_for(browser, "gold case(s)")
    assert "2 gold case(s)" in browser.page_source
    ids = {case.id.rsplit("_", 1)[0] for case in load_cases([data / "gold"])}
    assert ids == {f"desk_{batch}_e01_kuna_ar", f"desk_{batch}_e04_observer_om_en"}


def test_model_text_cannot_run_script_in_the_browser(desk: tuple[str, Path], browser: Any) -> None:
    url, data = desk
    hostile = {"id": "hostile", "status": "ok", "summary": {
        "headline": "<img src=x onerror=\"document.title='owned'\">",
        "summary": "<script>document.title='owned'</script>"}}  # fmt: skip
    run = data / "runs" / "hostile-run"
    run.mkdir(parents=True)
    (run / "results.jsonl").write_text(json.dumps(hostile) + "\n", encoding="utf-8")
    for path in ("/", "/r/hostile-run/hostile"):
        browser.get(url + path)
        assert browser.title != "owned"
        assert browser.find_elements(By.CSS_SELECTOR, "main img, main script") == []
