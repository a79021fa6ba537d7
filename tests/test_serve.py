"""The review desk (``summarizer serve``) through Starlette's test client: lists and filters,
a result's facts with their evidence, reviews kept in the audit trail, and the guards (the
token beyond loopback, CSRF on every form, no script from model text, strict headers)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from summarizer.evaluation.events import run_gold  # noqa: E402
from summarizer.serve.app import create_app  # noqa: E402
from summarizer.serve.command import serve  # noqa: E402, F401  (the command imports)
from summarizer.serve.desk import Desk  # noqa: E402
from summarizer.serve.security import CSP  # noqa: E402

from .cli_run import run_cli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "a-desk-token-of-some-length"
HOSTILE = {
    "id": "hostile",
    "status": "ok",
    "summary": {
        "headline": "<script>alert(1)</script>\u202eevil",
        "summary": "<img src=x onerror=alert(2)>",
        "participants": [{"name": "<b>Bold</b>", "evidence": {"quote": "<script>q</script>"}}],
    },
    "meta": {"article": {"outlet": "<i>Outlet</i>", "published": "2025-02-10"}},
}


@pytest.fixture(scope="module")
def gold_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("desk-gold")
    run_gold(ROOT / "fixtures" / "events", ROOT / "fixtures" / "cassettes" / "events", work)
    return work / "run" / "results.jsonl"


@pytest.fixture
def data(tmp_path: Path, gold_run: Path) -> Path:
    run = tmp_path / "desk" / "runs" / "gold"
    run.mkdir(parents=True)
    shutil.copy(gold_run, run / "results.jsonl")
    with (run / "results.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(HOSTILE, ensure_ascii=False) + "\n")
    return tmp_path / "desk"


def _csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found[1]


def test_the_results_list_shows_every_result_and_filters_them(data: Path) -> None:
    client = TestClient(create_app(data))
    page = client.get("/")
    assert page.status_code == 200 and "11 results" in page.text
    assert "Kuwaiti Chief of General Staff receives Pakistani Navy commander" in page.text
    assert "2 results" in client.get("/", params={"outlet": "KUNA"}).text
    assert "2 results" in client.get("/", params={"country": "tr"}).text
    only_oman = client.get("/", params={"country": "om"}).text
    assert "Pakistani Navy" not in only_oman and "Oman" in only_oman
    industry = client.get("/", params={"area": "defense_industry"}).text
    assert "3 results" in industry and "Pakistani Navy" not in industry
    assert "2 results" in client.get("/", params={"organisation": "gcc"}).text
    searched = client.get("/", params={"text": "memorandum"}).text
    assert "Pakistani Navy" in searched and "Türkiye" not in searched
    may = client.get("/", params={"since": "2025-05-20", "until": "2025-05-31"}).text
    assert "1 results" in may


def test_a_result_shows_its_facts_with_their_evidence(data: Path) -> None:
    page = TestClient(create_app(data)).get("/r/gold/e01_kuna_ar")
    assert page.status_code == 200
    assert "Salem Al-Enezi" in page.text
    assert "<mark>الكويت - 10 - 2 (كونا)" in page.text and "[65–242]" in page.text


def test_a_missing_result_or_run_is_404_and_no_path_is_read(data: Path) -> None:
    client = TestClient(create_app(data))
    assert client.get("/r/gold/nothing").status_code == 404
    assert client.get("/r/..%2F..%2Fetc/passwd").status_code == 404


def test_model_and_article_text_renders_inert(data: Path) -> None:
    client = TestClient(create_app(data))
    for path in ("/", "/r/gold/hostile"):
        page = client.get(path)
        assert "<script" not in page.text and "<img" not in page.text and "<b>" not in page.text
        assert "\u202e" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/r/gold/hostile").text


def test_every_response_carries_the_strict_headers(data: Path) -> None:
    client = TestClient(create_app(data, token=TOKEN))
    for response in (client.get("/"), client.get("/login"), client.get("/static/desk.css")):
        assert response.headers["content-security-policy"] == CSP
        assert "script-src" not in CSP and "default-src 'none'" in CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_a_review_is_kept_in_the_audit_trail_and_shown(data: Path) -> None:
    client = TestClient(create_app(data))
    csrf = _csrf(client, "/r/gold/e01_kuna_ar")
    form = {"csrf": csrf, "who": "Mona", "action": "wrong", "field": "date", "note": "9 Feb"}
    done = client.post("/r/gold/e01_kuna_ar/review", data=form, follow_redirects=False)
    assert done.status_code == 303
    approve = {"csrf": csrf, "who": "Ali", "action": "approve"}
    client.post("/r/gold/e01_kuna_ar/review", data=approve)
    lines = [json.loads(x) for x in (data / "reviews.jsonl").read_text().splitlines()]
    assert [(r["who"], r["action"], r["field"]) for r in lines] == [
        ("Mona", "wrong", "date"), ("Ali", "approve", None)]  # fmt: skip
    page = client.get("/r/gold/e01_kuna_ar").text
    assert "Mona" in page and "wrong date" in page and "approved" in page
    assert "approved" in client.get("/", params={"outlet": "KUNA"}).text


def test_a_form_without_its_csrf_token_is_refused(data: Path) -> None:
    client = TestClient(create_app(data))
    _csrf(client, "/r/gold/e01_kuna_ar")  # the browser holds a cookie...
    form = {"who": "Mona", "action": "approve"}
    assert client.post("/r/gold/e01_kuna_ar/review", data=form).status_code == 403
    forged = {**form, "csrf": "guessed"}  # ...and a forged form cannot know it
    assert client.post("/r/gold/e01_kuna_ar/review", data=forged).status_code == 403
    assert not (data / "reviews.jsonl").exists()


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"who": "", "action": "approve"}, 400),
        ({"who": "x" * 81, "action": "approve"}, 400),
        ({"who": "Mona", "action": "delete"}, 400),
        ({"who": "Mona", "action": "wrong"}, 400),
        ({"who": "Mona", "action": "wrong", "field": "__class__"}, 400),
    ],
)
def test_a_bad_review_is_refused_and_not_kept(
    data: Path, form: dict[str, str], status: int
) -> None:
    client = TestClient(create_app(data))
    csrf = _csrf(client, "/r/gold/e01_kuna_ar")
    response = client.post("/r/gold/e01_kuna_ar/review", data={**form, "csrf": csrf})
    assert response.status_code == status
    assert not (data / "reviews.jsonl").exists()


def test_with_a_token_every_page_needs_it(data: Path) -> None:
    client = TestClient(create_app(data, token=TOKEN))
    assert client.get("/").status_code == 401
    assert client.get("/r/gold/e01_kuna_ar").status_code == 401
    assert client.get("/", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200
    csrf = _csrf(client, "/login")
    assert client.post("/login", data={"csrf": csrf, "token": "wrong"}).status_code == 401
    assert client.get("/").status_code == 401
    client.post("/login", data={"csrf": csrf, "token": TOKEN})
    assert client.get("/").status_code == 200  # the sign-in cookie


def test_serving_beyond_loopback_without_a_token_does_not_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    everywhere = ["serve", "--data", str(tmp_path), "--host", "0.0.0.0"]
    code, _, err = run_cli(everywhere, monkeypatch, capsys)
    assert code == 2 and "needs --token-file" in err
    short = tmp_path / "token"
    short.write_text("short")
    code, _, err = run_cli([*everywhere, "--token-file", str(short)], monkeypatch, capsys)
    assert code == 2 and "16 characters" in err


def test_each_fact_links_to_its_evidence_highlighted_in_the_article(data: Path) -> None:
    page = TestClient(create_app(data)).get("/r/gold/e01_kuna_ar").text
    marks = set(re.findall(r'<mark id="([^"]+)"', page))
    links = set(re.findall(r'<a class="ref" href="#([^"]+)"', page))
    assert links and links == marks
    assert 'id="q65-242"' in page  # the participants' sentence, at its offsets
    assert '<section class="source" id="article" lang="ar" dir="rtl">' in page


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda line: line["meta"]["article"].update(sha256="0" * 64), "has changed since"),
        (lambda line: line.update(source="/nowhere/articles.jsonl:1"), "no longer there"),
    ],
)
def test_an_article_that_cannot_be_found_again_is_said_not_guessed(
    tmp_path: Path, gold_run: Path, change: Any, reason: str
) -> None:
    line = json.loads(gold_run.read_text(encoding="utf-8").splitlines()[0])
    change(line)
    run = tmp_path / "desk" / "runs" / "r"
    run.mkdir(parents=True)
    (run / "results.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n")
    page = TestClient(create_app(tmp_path / "desk")).get(f"/r/r/{line['id']}").text
    assert reason in page and "<mark id=" not in page


def _correct(client: TestClient, path: str, value: str) -> Any:
    csrf = _csrf(client, "/r/gold/e01_kuna_ar")
    form = {"csrf": csrf, "who": "Mona", "path": path, "value": value, "note": "checked"}
    return client.post("/r/gold/e01_kuna_ar/correct", data=form, follow_redirects=False)


def test_a_grounded_correction_is_kept_and_stands_for_the_result(data: Path) -> None:
    client = TestClient(create_app(data))
    quote = "وبحث الجانبان خلال اللقاء سبل تعزيز التعاون العسكري بين البلدين"
    assert _correct(client, "participants[1].title", "Chief of Naval Staff").status_code == 303
    assert _correct(client, "topics[0].evidence.quote", quote).status_code == 303
    page = client.get("/r/gold/e01_kuna_ar").text
    assert "Farhan Qureshi, Chief of Naval Staff" in page and "corrected" in page
    assert "participants[1].title → <bdi>Chief of Naval Staff</bdi>" in page
    kept = [json.loads(x) for x in (data / "reviews.jsonl").read_text().splitlines()]
    last = kept[-1]["summary"]
    assert last["participants"][1]["title"] == "Chief of Naval Staff"  # the first one kept too
    assert last["topics"][0]["evidence"]["quote"] == quote
    start, end = last["topics"][0]["evidence"]["start"], last["topics"][0]["evidence"]["end"]
    assert f'id="q{start}-{end}"' in page  # highlighted where the article says it


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        (
            "topics[0].evidence.quote",
            "The two sides agreed to buy submarines.",
            "not in the article",
        ),  # noqa: E501
        ("date", "2025-03-01", "disagrees with date_text"),
        ("participants[0].name_source", "محمد الأحمد", "name_source"),
        ("participants[0].person_key", "XX:abc", "not a field that can be corrected"),
        ("headline", "", "headline"),
    ],
)
def test_an_ungrounded_correction_is_refused_with_its_reasons_and_not_kept(
    data: Path, path: str, value: str, reason: str
) -> None:
    client = TestClient(create_app(data))
    refused = _correct(client, path, value)
    assert refused.status_code == 422 and "Not kept" in refused.text
    assert reason in refused.text
    assert not (data / "reviews.jsonl").exists()


def test_reviewed_results_become_gold_cases_that_eval_reads(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from summarizer.evaluation.goldset import load_cases
    from summarizer.evaluation.score import score_run

    client = TestClient(create_app(data))
    assert _correct(client, "location.city", "Jahra").status_code == 303
    csrf = _csrf(client, "/r/gold/e04_observer_om_en")
    client.post(
        "/r/gold/e04_observer_om_en/review", data={"csrf": csrf, "who": "Ali", "action": "approve"}
    )  # noqa: E501
    page = client.get("/").text
    assert "How often the model" in page and "<td>location</td><td>1</td><td>2</td>" in page
    done = client.post("/gold", data={"csrf": csrf})
    assert done.status_code == 200 and "2 gold case(s)" in done.text
    cases = {case.id.rsplit("_", 1)[0]: case for case in load_cases([data / "gold"])}
    assert set(cases) == {"desk_gold_e01_kuna_ar", "desk_gold_e04_observer_om_en"}
    corrected = json.loads((data / "reviews.jsonl").read_text().splitlines()[0])["summary"]
    case = cases["desk_gold_e01_kuna_ar"]
    assert "الكويت - 10 - 2 (كونا)" in case.article.read_text(encoding="utf-8")
    fields, _, _ = score_run(corrected, case.gold, "meeting", "en")
    assert all(v in (1.0, True) for k, v in fields.items() if v is not None), fields
    lines = (data / "runs" / "gold" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    model = json.loads(next(x for x in lines if '"e01_kuna_ar"' in x))["summary"]
    assert score_run(model, case.gold, "meeting", "en")[0]["location"] == 0.5  # city wrong
    code, out, _ = run_cli(["eval", str(data / "gold")], monkeypatch, capsys)  # the command
    assert code == 0 and re.search(r"runs\s*│\s*2\b", out), out


def test_a_form_posted_to_gold_without_its_token_is_refused(data: Path) -> None:
    client = TestClient(create_app(data))
    _csrf(client, "/")
    assert client.post("/gold", data={}).status_code == 403
    assert not (data / "gold").exists()


def test_the_downloaded_briefing_is_the_corrected_one(data: Path) -> None:
    client = TestClient(create_app(data))
    before = client.get("/r/gold/e01_kuna_ar/briefing.md")
    assert before.status_code == 200 and "Chief of Naval Staff" not in before.text
    assert _correct(client, "participants[1].title", "Chief of Naval Staff").status_code == 303
    after = client.get("/r/gold/e01_kuna_ar/briefing.md")
    assert (
        "Chief of Naval Staff" in after.text
        and "corrected on the review desk by Mona" in after.text
    )
    disposition = after.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="gold.e01_kuna_ar.corrected.md"')
    html = client.get("/r/gold/e01_kuna_ar/briefing.html")
    assert html.headers["content-disposition"].startswith("attachment")  # never shown inline
    assert client.get("/r/gold/e01_kuna_ar/briefing.exe").status_code == 404
    assert client.get("/r/gold/hostile/briefing.md").status_code == 409  # no article to cite


# The inbox ------------------------------------------------------------------------------

ARTICLES = ROOT / "fixtures" / "events" / "articles.jsonl"


def _replaying_app(data: Path) -> Any:
    from summarizer.config import Settings
    from summarizer.evaluation.events import RECORDED_MODEL
    from summarizer.replay import ReplayTransport

    cassettes = sorted((ROOT / "fixtures" / "cassettes" / "events").glob("*.yaml"))
    settings = Settings(model=RECORDED_MODEL, api_key="replay-no-key", use_cache=False)
    return create_app(data, settings=settings, transport=lambda: ReplayTransport(cassettes))


def _upload(client: TestClient, files: list[tuple[str, bytes]], **fields: str) -> Any:
    csrf = _csrf(client, "/inbox")
    form = {"csrf": csrf, "who": "Mona", "schema": "meeting", "lang": "en", **fields}
    sent = [("files", (name, content, "application/octet-stream")) for name, content in files]
    return client.post("/inbox", data=form, files=sent, follow_redirects=False)


def test_an_upload_becomes_a_batch_whose_results_reach_the_desk(tmp_path: Path) -> None:
    data = tmp_path / "desk"
    data.mkdir()
    app = _replaying_app(data)
    with TestClient(app) as client:
        assert _upload(client, [("articles.jsonl", ARTICLES.read_bytes())]).status_code == 303
        assert app.state.inbox.wait(60)
        page = client.get("/inbox").text
        assert "10 / 10" in page and "ended" in page and 'http-equiv="refresh"' not in page
        assert "10 results" in client.get("/").text
        batch = app.state.inbox.batches()[0]
        assert batch.done["ok"] == 10 and batch.tokens > 0
        assert "Salem Al-Enezi" in client.get(f"/r/{batch.id}/e01_kuna_ar").text


def test_a_batch_the_server_did_not_see_end_is_resumed_when_it_starts(tmp_path: Path) -> None:
    data = tmp_path / "desk"
    data.mkdir()
    first = _replaying_app(data)
    first.state.inbox.start = lambda batch: None  # the server dies before the batch runs
    with TestClient(first) as client:
        assert _upload(client, [("a.jsonl", ARTICLES.read_bytes())]).status_code == 303
        assert "waiting to resume" in client.get("/inbox").text
    again = _replaying_app(data)
    with TestClient(again) as client:  # starting again resumes it
        assert again.state.inbox.wait(60)
        assert "10 / 10" in client.get("/inbox").text


@pytest.mark.parametrize(
    ("files", "fields", "message"),
    [
        ([("evil.exe", b"MZ")], {}, "upload .txt, .html, .jsonl or .csv files"),
        ([], {}, "upload a file or paste an article"),
        ([("a.txt", b"x")] * 51, {}, "Maximum number of files is 50"),
        ([("a.txt", b"x")], {"schema": "poem"}, "choose the schema"),
    ],
)
def test_a_bad_upload_is_refused_with_its_reason_and_starts_nothing(
    tmp_path: Path, files: list[tuple[str, bytes]], fields: dict[str, str], message: str
) -> None:
    data = tmp_path / "desk"
    data.mkdir()
    with TestClient(_replaying_app(data)) as client:
        refused = _upload(client, files, **fields)
    assert refused.status_code in (400, 413) and message in refused.text
    assert not (data / "inbox").exists()


def test_an_uploaded_name_cannot_leave_the_inputs_folder(tmp_path: Path) -> None:
    data = tmp_path / "desk"
    data.mkdir()
    app = _replaying_app(data)
    with TestClient(app) as client:
        line = ARTICLES.read_bytes().splitlines()[0] + b"\n"
        assert _upload(client, [("../../outside.jsonl", line)]).status_code == 303
        assert app.state.inbox.wait(60)
    assert not (tmp_path / "outside.jsonl").exists()
    assert [p.name for p in (data / "inbox").glob("*/inputs/*")] == ["000_outside.jsonl"]


def test_an_upload_without_its_csrf_token_is_refused(tmp_path: Path) -> None:
    with TestClient(_replaying_app(tmp_path)) as client:
        files = [("files", ("a.txt", b"text", "text/plain"))]
        sent = client.post("/inbox", data={"who": "Mona"}, files=files)
    assert sent.status_code == 403 and not (tmp_path / "inbox").exists()


def test_a_pasted_article_is_a_batch_of_one_that_ends_as_a_result_or_an_error(
    tmp_path: Path,
) -> None:
    app = _replaying_app(tmp_path)
    with TestClient(app) as client:
        pasted = {"text": "An article no model has answered.", "outlet": "SPA",
                  "published": "2025-02-10"}  # fmt: skip
        assert _upload(client, [], **pasted).status_code == 303
        assert app.state.inbox.wait(60)
        batch = app.state.inbox.batches()[0]
        assert batch.total == 1 and batch.finished == 1  # here an error: nothing recorded
        row = next(iter(Desk(tmp_path).rows()))
        assert row.id == "pasted" and row.outlet in ("SPA", "")


def test_results_grouped_into_events_show_their_reports_and_conflicts(data: Path) -> None:
    client = TestClient(create_app(data))
    assert "No events yet" in client.get("/events").text
    assert client.post("/events", data={}).status_code == 403  # no CSRF token
    csrf = _csrf(client, "/events")
    assert client.post("/events", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    listing = client.get("/events").text
    assert "7 events" in listing
    first = re.search(r'<a href="/events/([^"]+)">2025-02-10</a>', listing)
    assert first, listing
    page = client.get(f"/events/{first[1]}").text
    assert "Reports differ on the date: 10 February 2025 (KUNA and Gulf Daily)" in page
    assert page.count('<a href="/r/gold/') == 3
    digest = client.get("/digest.md", params={"lang": "ar"})
    assert digest.status_code == 200 and "من التقى بمن" in digest.text
    assert digest.headers["content-disposition"].startswith('attachment; filename="digest.ar.md"')
    assert client.get("/digest.md", params={"lang": "fr"}).status_code == 409


def test_a_desk_answers_only_to_its_own_host_names(data: Path) -> None:
    client = TestClient(create_app(data))
    assert client.get("/", headers={"host": "attacker.example:8000"}).status_code == 400
    assert client.get("/", headers={"host": "127.0.0.1:8000"}).status_code == 200
    served = TestClient(create_app(data, token=TOKEN, hosts=("desk.lan",)))
    assert (
        served.get(
            "/", headers={"host": "desk.lan", "authorization": f"Bearer {TOKEN}"}
        ).status_code
        == 200
    )  # noqa: E501


def test_a_form_from_another_origin_or_with_a_planted_cookie_is_refused(data: Path) -> None:
    client = TestClient(create_app(data))
    csrf = _csrf(client, "/r/gold/e01_kuna_ar")
    form = {"csrf": csrf, "who": "Mona", "action": "approve"}
    url = "/r/gold/e01_kuna_ar/review"
    assert client.post(url, data=form, headers={"origin": "http://evil.example"}).status_code == 403  # noqa: E501
    assert client.post(url, data=form, headers={"sec-fetch-site": "cross-site"}).status_code == 403  # noqa: E501
    planted = TestClient(create_app(data), cookies={"desk_csrf": "chosen"})
    assert planted.post(url, data={**form, "csrf": "chosen"}).status_code == 403
    assert not (data / "reviews.jsonl").exists()
    client.post(url, data=form, headers={"origin": "http://testserver"})  # its own origin
    assert (data / "reviews.jsonl").exists()


def test_a_body_over_the_bound_is_refused_before_it_is_read(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarizer.serve import security

    client = TestClient(create_app(data))
    csrf = _csrf(client, "/inbox")
    monkeypatch.setattr(security, "MAX_BODY", 1000)
    sent = client.post("/inbox", data={"csrf": csrf, "who": "M", "text": "x" * 2000})
    assert sent.status_code == 413 and not (data / "inbox").exists()


def test_odd_bytes_in_secrets_and_parameters_are_refusals_not_errors(data: Path) -> None:
    client = TestClient(create_app(data, token=TOKEN))
    assert client.get("/", headers={"authorization": "Bearer é".encode()}).status_code == 401
    assert client.get("/", headers={"cookie": "desk_token=é".encode()}).status_code == 401
    assert TestClient(create_app(data)).get("/", params={"from_row": "²"}).status_code == 200


def test_a_quote_the_article_says_only_loosely_is_refused_as_a_correction(data: Path) -> None:
    client = TestClient(create_app(data))
    garbled = "They signed a memo, ran dum of understanding"  # found only loosely
    csrf = _csrf(client, "/r/gold/e02_gulfdaily_en")
    form = {"csrf": csrf, "who": "Mona", "path": "topics[0].evidence.quote", "value": garbled}
    refused = client.post("/r/gold/e02_gulfdaily_en/correct", data=form)
    assert refused.status_code == 422 and "the article does not say it so" in refused.text
    assert not (data / "reviews.jsonl").exists()


def test_a_damaged_audit_line_loses_no_later_review(data: Path) -> None:
    (data / "reviews.jsonl").write_text('{"at": "2025-', encoding="utf-8")  # a crash mid-line
    client = TestClient(create_app(data))
    assert client.get("/").status_code == 200
    csrf = _csrf(client, "/r/gold/e01_kuna_ar")
    client.post(
        "/r/gold/e01_kuna_ar/review", data={"csrf": csrf, "who": "Ali", "action": "approve"}
    )  # noqa: E501
    assert "approved" in client.get("/r/gold/e01_kuna_ar").text
    assert (data / "reviews.jsonl").read_text(encoding="utf-8").splitlines()[0] == '{"at": "2025-'


def test_events_and_their_digest_say_what_was_corrected(data: Path) -> None:
    client = TestClient(create_app(data))
    assert (
        _correct(client, "participants[1].title", "Deputy Chief of Naval Staff").status_code == 303
    )  # noqa: E501
    csrf = _csrf(client, "/events")
    client.post("/events", data={"csrf": csrf})
    assert "Deputy Chief of Naval Staff" in client.get("/digest.md").text
    assert "Deputy" not in (data / "runs" / "gold" / "results.jsonl").read_text()  # untouched


def test_a_result_whose_id_is_a_path_or_arabic_opens_and_downloads(
    tmp_path: Path, gold_run: Path
) -> None:
    line = json.loads(gold_run.read_text(encoding="utf-8").splitlines()[0])
    run = tmp_path / "desk" / "runs" / "r"
    run.mkdir(parents=True)
    with (run / "results.jsonl").open("w", encoding="utf-8") as out:
        for ident in ("/inbox/x/inputs/000_a.txt", "خبر-1"):
            out.write(json.dumps({**line, "id": ident}, ensure_ascii=False) + "\n")
    client = TestClient(create_app(tmp_path / "desk"))
    page = client.get("/")
    for link in re.findall(r'<a href="(/r/r/[^"]+)"', page.text):
        assert client.get(link).status_code == 200
        download = client.get(link + "/briefing.md")
        assert download.status_code == 200
        assert download.headers["content-disposition"].isascii()


def test_a_bilingual_result_says_it_cannot_be_corrected_here(
    tmp_path: Path, gold_run: Path
) -> None:
    line = json.loads(gold_run.read_text(encoding="utf-8").splitlines()[0])
    both = {**line, "summary": {"en": line["summary"], "ar": line["summary"]},
            "meta": {**line["meta"], "lang": "both"}}  # fmt: skip
    run = tmp_path / "desk" / "runs" / "r"
    run.mkdir(parents=True)
    (run / "results.jsonl").write_text(json.dumps(both, ensure_ascii=False) + "\n")
    page = TestClient(create_app(tmp_path / "desk")).get(f"/r/r/{line['id']}").text
    assert "a bilingual result is not corrected here yet" in page and "/correct" not in page


def test_an_approval_withdrawn_removes_its_gold_case(data: Path) -> None:
    client = TestClient(create_app(data))
    csrf = _csrf(client, "/r/gold/e01_kuna_ar")
    url = "/r/gold/e01_kuna_ar/review"
    client.post(url, data={"csrf": csrf, "who": "Ali", "action": "approve"})
    client.post("/gold", data={"csrf": csrf})
    assert len(list((data / "gold").glob("*.json"))) == 1
    client.post(url, data={"csrf": csrf, "who": "Ali", "action": "wrong", "field": "date"})
    client.post("/gold", data={"csrf": csrf})
    assert list((data / "gold").glob("*")) == []


# Users ------------------------------------------------------------------------------------


def test_with_users_each_review_is_signed_by_the_person_signed_in(
    data: Path, tmp_path: Path
) -> None:
    from summarizer.serve.users import add_user, read_users

    users_file = tmp_path / "users"
    add_user(users_file, "mona", "a long enough password")
    assert "a long enough password" not in users_file.read_text()  # only its scrypt hash
    client = TestClient(create_app(data, users=read_users(users_file)))
    assert client.get("/").status_code == 401
    csrf = _csrf(client, "/login")
    wrong = {"csrf": csrf, "user": "mona", "password": "not her password"}
    assert client.post("/login", data=wrong).status_code == 401
    assert client.post("/login", data={**wrong, "user": "ali"}).status_code == 401
    client.post("/login", data={"csrf": csrf, "user": "mona", "password": "a long enough password"})
    page = client.get("/r/gold/e01_kuna_ar")
    assert page.status_code == 200 and 'name="who"' not in page.text
    form = {
        "csrf": _csrf(client, "/r/gold/e01_kuna_ar"),
        "who": "someone else",
        "action": "approve",
    }  # noqa: E501
    client.post("/r/gold/e01_kuna_ar/review", data=form)
    kept = json.loads((data / "reviews.jsonl").read_text(encoding="utf-8"))
    assert kept["who"] == "mona"  # not the name typed
    forged = TestClient(create_app(data, users=read_users(users_file)),
                        cookies={"desk_user": "mona|forged"})  # fmt: skip
    assert forged.get("/").status_code == 401


def test_add_user_from_the_command_line_keeps_a_hash_and_replaces_a_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    import io
    import sys

    from summarizer.serve.users import check_password, read_users

    users_file = tmp_path / "users"
    for password in ("first password!", "second password!"):
        monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
        code, _, err = run_cli(["serve", "--users-file", str(users_file), "--add-user", "ali"],
                               monkeypatch, capsys)  # fmt: skip
        assert code == 0 and "ali can sign in" in err
    stored = read_users(users_file)["ali"]
    assert check_password(stored, "second password!") and not check_password(
        stored, "first password!"
    )  # noqa: E501
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    code, _, err = run_cli(["serve", "--users-file", str(users_file), "--add-user", "x"],
                           monkeypatch, capsys)  # fmt: skip
    assert code == 2 and "10 characters" in err
    everywhere = ["serve", "--data", str(tmp_path), "--host", "0.0.0.0"]
    bad = tmp_path / "bad-users"
    bad.write_text("ali:plaintext\n")
    code, _, err = run_cli([*everywhere, "--users-file", str(bad)], monkeypatch, capsys)
    assert code == 2 and "not a 'name:scrypt$...' line" in err


def test_a_batch_stopped_by_a_server_that_echoes_the_key_keeps_no_key(tmp_path: Path) -> None:
    from summarizer.serve.inbox import Inbox

    key = "sk-proj-" + "a1B2c3D4" * 6

    def settings() -> Any:
        raise RuntimeError(f"server said: invalid key {key}")  # not one of ours: not redacted

    inbox = Inbox(tmp_path, settings)
    inbox.create([("a.jsonl", ARTICLES.read_bytes())], None, "meeting", "en", "Mona")
    assert inbox.wait(30)
    ended = next((tmp_path / "inbox").glob("*/ended.json")).read_text()
    assert "invalid key" in ended and key not in ended
