"""report.html: one self-contained, escaped, deterministic page under 5 MB, checked in a real browser.

The browser test drives Debian's ``chromium`` through its ``/usr/bin/chromedriver`` (Selenium
Manager is kept offline, so nothing is downloaded). ``.ci/run`` installs both; without them the
test fails rather than skips.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import tqaudit
from tqaudit.audit import AuditResult
from tqaudit.config import Config
from tqaudit.findings import CATEGORIES, FINDING_COLUMNS, SEVERITIES, SEVERITY_RANK, excerpt
from tqaudit.report import html, write_reports
from tqaudit.store import SegmentStore

DATA = Path(__file__).resolve().parent.parent / "data"
HOSTILE = "</script><script>alert(1)</script> & mdash; \u2028 end"
PWN = "<script>window.pwned=1</script> & mdash; <img src=x onerror=window.pwned=2>"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def _page(result: AuditResult) -> str:
    return html.render(result)["report.html"]


def _data_block(page: str) -> str:
    match = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
    assert match, "no JSON block"
    return match.group(1)


def _decode(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The table rows as the page's script builds them (a Python mirror of report.js)."""
    rows = []
    stride = data["rowFields"]
    for n in range(0, len(data["f"]), stride):
        k, si, a, b, m, g, t = data["f"][n : n + stride]
        x = data["texts"][t] if t >= 0 else None
        seg = data["segs"][si]
        full = len(seg) > 3
        flagged = (seg[3][a:b] if a >= 0 else "") if full else (x if a >= 0 else "")
        suggestion = data["sugs"][g]
        template = data["msgs"][m]
        message = (
            template[0]
            if isinstance(template, list)
            else template.replace("\x02", suggestion).replace("\x01", flagged)
        )
        shown = x if x is not None else excerpt(seg[3], a, b)
        rule, category, severity = data["kinds"][k]
        rows.append(
            {
                "segment_id": seg[0],
                "rule": rule,
                "category": category,
                "severity": severity,
                "message": message,
                "start": a,
                "end": b,
                "excerpt": shown,
                "suggestion": suggestion,
                "full": full,
            }
        )
    return rows


@pytest.fixture(scope="module")
def hostile() -> AuditResult:
    return tqaudit.audit(
        pd.DataFrame(
            {"id": ["x<1>", "2"], "target": [HOSTILE, "Fine & amp; good"], "source": ["<b>ok</b>", ""]}
        )
    )


def test_the_json_block_cannot_be_broken_out_of(hostile: AuditResult) -> None:
    page = _page(hostile)
    block = _data_block(page)
    for char in "<>&\u2028\u2029":
        assert char not in block
    data = json.loads(block)
    assert next(s[3] for s in data["segs"] if len(s) > 3) == HOSTILE  # round trip, exact
    assert "x<1>" in [s[0] for s in data["segs"]]
    assert page.count("<script") == 2  # the data block and the page's own script
    assert "alert(1)" not in page.replace(block, "")
    assert "<b>ok</b>" not in page


def test_csp_allows_only_the_pages_own_script_and_style(hostile: AuditResult) -> None:
    page = _page(hostile)
    [csp] = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    csp = csp.replace("&#39;", "'")
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert script and style
    assert csp == (
        f"default-src 'none'; script-src {html.csp_hash(script.group(1))}; "
        f"style-src {html.csp_hash(style.group(1))}"
    )
    assert "unsafe" not in csp and "http" not in csp
    assert not re.search(r"\s(src|href)=", page.replace(_data_block(page), ""))


def test_every_finding_survives_the_compact_encoding() -> None:
    result = tqaudit.audit(DATA / "sample-feed.tsv")
    rows = _decode(json.loads(_data_block(_page(result))))
    columns = [c for c in FINDING_COLUMNS if c != "fix"]
    expected = result.findings[columns].to_dict("records")
    expected = [
        e for _, e in sorted(enumerate(expected), key=lambda p: (SEVERITY_RANK[p[1]["severity"]], p[0]))
    ]
    assert [{c: r[c] for c in columns} for r in rows] == expected  # errors first, then input order
    assert all(r["full"] for r in rows)


def test_messages_with_placeholder_characters_are_kept_verbatim() -> None:
    result = tqaudit.audit(DATA / "sample-feed.tsv")
    odd = ["Control character '\x01' here", "Text \x02 and '& mdash;'", "Broken entity"]
    result.findings = result.findings.assign(message=[odd[i % 3] for i in range(len(result.findings))])
    rows = _decode(json.loads(_data_block(_page(result))))
    assert sorted(r["message"] for r in rows) == sorted(result.findings["message"])
    assert {r["message"] for r in rows} == set(odd)


class _Table(HTMLParser):
    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", self.id) in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None


def test_category_severity_numbers_sit_under_their_headers() -> None:
    result = tqaudit.audit(DATA / "sample-feed.tsv")
    parser = _Table("counts")
    parser.feed(_page(result))
    header, *body = parser.rows
    assert header == ["category", *SEVERITIES, "total"]
    counts = result.findings.groupby(["category", "severity"]).size()
    assert [row[0] for row in body] == [c for c in CATEGORIES if c in set(result.findings["category"])]
    for row in body:
        assert len(row) == len(header)
        cells = dict(zip(header, row, strict=True))
        for sev in SEVERITIES:
            assert int(cells[sev]) == int(counts.get((cells["category"], sev), 0)), (cells, sev)
        assert int(cells["total"]) == int((result.findings["category"] == cells["category"]).sum())
    assert {int(r[header.index("error")]) for r in body} != {0}  # the sample has errors: a real check


def test_same_input_same_bytes(tmp_path: Path) -> None:
    table = pd.read_csv(DATA / "sample-feed.tsv", sep="\t", dtype=str, keep_default_na=False)
    pages = []
    for n in range(2):
        result = tqaudit.audit(table.sample(frac=1, random_state=0), Config(min_chrf=50))
        write_reports(result, tmp_path / str(n), ["html"])
        pages.append((tmp_path / str(n) / "report.html").read_bytes())
    assert pages[0] == pages[1]
    assert html.render(result)["report.html"].encode() == pages[1]


def synthetic(findings: int = 100_000, segments: int = 40_000, seed: int = 7) -> AuditResult:
    """A large noisy run: 2.5 findings a segment, ~120-character English targets, Cyrillic
    sources and references, segment scores, and the messages real rules write."""
    rng = random.Random(seed)
    words = [
        "the",
        "of",
        "city",
        "new",
        "line",
        "mayor",
        "said",
        "on",
        "in",
        "a",
        "to",
        "year",
        "metro",
        "ceremony",
        "tenge",
        "station",
        "airport",
    ]
    cyr = [
        "мэр",
        "города",
        "новую",
        "линию",
        "метро",
        "открыл",
        "сказал",
        "на",
        "церемонии",
        "год",
        "станция",
        "аэропорт",
    ]
    artifacts = [
        ("MK001", "markup", "error", "& mdash;", "—", "Broken entity '{f}'; did you mean '{s}'?"),
        (
            "TL001",
            "transliteration",
            "warning",
            "Alma-Ata",
            "Almaty",
            "Legacy toponym '{f}'; did you mean '{s}'?",
        ),
        ("TL001", "transliteration", "warning", "Kiev", "Kyiv", "Legacy toponym '{f}'; did you mean '{s}'?"),
        ("PU003", "punctuation", "warning", " .", ".", "Space before '.'"),
        ("FD001", "fidelity", "warning", "{n}", "", "Number '{f}' of the source is missing from the target"),
        ("CQ001", "calque", "info", "within the framework of", "under", "Calque '{f}'; consider '{s}'"),
    ]
    seg_rows, found = [], []
    for i in range(segments):
        chosen = [rng.choice(artifacts) for _ in range(2 if i % 2 else 3)]
        target, spans = "", []
        for rule, cat, sev, flag, sugg, msg in chosen:
            flag = flag.replace("{n}", str(rng.randint(10, 99999)))
            target += " ".join(rng.choices(words, k=rng.randint(3, 6))) + " "
            spans.append((len(target), len(target) + len(flag), rule, cat, sev, flag, sugg, msg))
            target += flag + " "
        target = target.rstrip()
        seg_rows.append(
            {
                "segment_id": f"doc{i // 100}-{i}",
                "doc_id": "",
                "source": " ".join(rng.choices(cyr, k=14)),
                "target": target,
                "reference": " ".join(rng.choices(words, k=len(target) // 6)),
                "src_lang": "ru",
                "tgt_lang": "en",
                "line": i + 2,
            }
        )
        for start, end, rule, cat, sev, flag, sugg, msg in spans:
            found.append(
                {
                    "segment_id": f"doc{i // 100}-{i}",
                    "rule": rule,
                    "category": cat,
                    "severity": sev,
                    "message": msg.format(f=flag, s=sugg),
                    "start": start,
                    "end": end,
                    "excerpt": excerpt(target, start, end),
                    "suggestion": sugg,
                    "fix": "safe",
                }
            )
        if i % 10 == 0:  # a whole-segment score finding with its own number
            chrf = rng.uniform(5, 19.9)
            found.append(
                {
                    "segment_id": f"doc{i // 100}-{i}",
                    "rule": "SC001",
                    "category": "score",
                    "severity": "warning",
                    "message": f"Segment chrF {chrf:.1f} is below the threshold 20",
                    "start": -1,
                    "end": -1,
                    "excerpt": excerpt(target, -1, -1),
                    "suggestion": "",
                    "fix": "none",
                }
            )
    frame = pd.DataFrame(found[:findings], columns=list(FINDING_COLUMNS))
    scores = pd.DataFrame(
        {"bleu": [rng.uniform(0, 100) for _ in seg_rows], "chrf": [rng.uniform(10, 100) for _ in seg_rows]}
    )
    return AuditResult(
        store=SegmentStore.of(pd.DataFrame(seg_rows), scores=scores),
        findings=frame,
        config=Config(min_chrf=40.0),
        catalogue=tqaudit.audit(DATA / "sample-feed.tsv").catalogue,
        signature="tqaudit:test",
    )


@pytest.fixture(scope="module")
def big_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = synthetic()
    assert len(result.findings) == 100_000
    started = time.perf_counter()
    folder = tmp_path_factory.mktemp("big")
    write_reports(result, folder, ["html"])
    print(f"100,000 findings rendered in {time.perf_counter() - started:.1f} s")
    return folder / "report.html"


def test_100000_findings_stay_under_5_mb(big_page: Path) -> None:
    page = big_page.read_text("utf-8")
    size = big_page.stat().st_size
    print(f"report.html for 100,000 findings: {size:,} bytes")
    assert size < html.PAGE_LIMIT
    rows = _decode(json.loads(_data_block(page)))
    assert len(rows) == 100_000
    embedded = sum(1 for r in rows if r["full"])
    assert embedded > 1_000  # the first pages' rows (errors first) have their segments' texts
    assert rows[0]["severity"] == "error" and rows[-1]["severity"] == "info"
    assert all(r["message"] and r["excerpt"] for r in rows)  # past the budget: the flagged text
    assert "Texts of" in page and "segments.csv has them" in page


# -- in a real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    if missing:
        pytest.fail(
            f"the report.html browser test needs Debian's chromium and chromium-driver ({', '.join(missing)} "
            "missing): apt-get install -y chromium chromium-driver (.ci/run does it)"
        )
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download a browser or driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    profile = tmp_path_factory.mktemp("chromium-profile")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _browser_result() -> AuditResult:
    table = pd.read_csv(DATA / "sample-feed.tsv", sep="\t", dtype=str, keep_default_na=False)
    extra = pd.DataFrame(
        {
            "id": ["pwn-1", "pwn-2"],
            "source": ["<b>Готово</b>", "Мэр Алма-Аты"],
            "target": [PWN, "Mayor of Alma-Ata & mdash; 😀 in Alma-Ata"],
            "reference": ["<b>Done</b>", "Almaty mayor"],
        }
    )
    return tqaudit.audit(pd.concat([table, extra], ignore_index=True), Config(min_chrf=50))


def _open(driver: Any, url: str) -> None:
    """Load ``url`` and wait until the report's script has drawn its table (the page info
    is written last): on a loaded machine a 5 MB page can be handed over before that."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 120).until(lambda d: d.find_element(By.ID, "page-info").text.strip())


def _rows(driver: Any) -> list[list[str]]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#findings tbody tr'),"
        " tr => Array.from(tr.cells, td => td.textContent))"
    )


def _severe(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def test_the_report_works_in_chromium(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    result = _browser_result()
    write_reports(result, tmp_path, ["html"])
    _open(browser, (tmp_path / "report.html").as_uri())
    total = len(result.findings)

    rows = _rows(browser)
    assert len(rows) == total and total > 10
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), key=SEVERITIES.index)  # errors first
    for chart in ("chart-categories", "chart-rules", "chart-scores"):
        assert browser.find_elements(By.CSS_SELECTOR, f"#{chart} svg rect"), chart
    assert browser.find_elements(By.CSS_SELECTOR, "#chart-scores line.gate")

    def sort_by(label: str) -> list[list[str]]:
        browser.find_element(By.XPATH, f"//table[@id='findings']//th/button[text()='{label}']").click()
        return _rows(browser)

    ascending = sort_by("rule")
    assert ascending[0][1] == min(result.findings["rule"]) and ascending[-1][1] == max(
        result.findings["rule"]
    )
    descending = sort_by("rule")
    assert descending[0][1] == max(result.findings["rule"])
    assert (
        browser.find_element(By.CSS_SELECTOR, "th[data-key=rule]").get_attribute("aria-sort") == "descending"
    )
    by_line = sort_by("line")
    assert [int(r[4]) for r in by_line] == sorted(int(r[4]) for r in by_line)

    Select(browser.find_element(By.ID, "f-severity")).select_by_value("warning")
    warnings = _rows(browser)
    assert warnings and {r[0] for r in warnings} == {"warning"}
    assert len(warnings) == int((result.findings["severity"] == "warning").sum())
    Select(browser.find_element(By.ID, "f-severity")).select_by_value("")
    Select(browser.find_element(By.ID, "f-category")).select_by_value("markup")
    assert {r[2] for r in _rows(browser)} == {"markup"}
    Select(browser.find_element(By.ID, "f-category")).select_by_value("")
    Select(browser.find_element(By.ID, "f-rule")).select_by_value("TL001")
    assert {r[1] for r in _rows(browser)} == {"TL001"}
    assert len(_rows(browser)) == int((result.findings["rule"] == "TL001").sum())
    Select(browser.find_element(By.ID, "f-rule")).select_by_value("")
    browser.find_element(By.ID, "f-text").send_keys("pwn-1")
    hostile = _rows(browser)
    assert hostile and {r[3] for r in hostile} == {"pwn-1"}

    # the hostile segment's card: its text shown as text, nothing run
    browser.find_element(By.CSS_SELECTOR, "#findings tbody tr").click()
    card = browser.find_element(By.ID, "card")
    assert card.is_displayed() and card.get_attribute("data-segment") == "pwn-1"
    target = browser.find_element(By.CSS_SELECTOR, "#card .target")
    assert browser.execute_script("return arguments[0].textContent", target) == PWN
    assert target.find_elements(By.TAG_NAME, "mark")
    assert not card.find_elements(By.TAG_NAME, "script") and not card.find_elements(By.TAG_NAME, "img")
    assert browser.execute_script("return typeof window.pwned") == "undefined"
    assert "<b>Done</b>" in card.text  # the reference, as text

    # offsets count code points (the emoji before the second Alma-Ata)
    browser.find_element(By.ID, "f-text").clear()
    browser.find_element(By.ID, "f-text").send_keys("pwn-2")
    browser.find_element(By.CSS_SELECTOR, "#findings tbody tr").click()
    marks = browser.execute_script(
        "return Array.from(document.querySelectorAll('#card mark'), m => m.textContent)"
    )
    assert marks.count("Alma-Ata") == 2 and "& mdash;" in marks
    assert not browser.find_elements(By.CSS_SELECTOR, "#card mark mark")  # overlaps are cut, never nested
    assert browser.execute_script("return location.hash") == "#segment=pwn-2"  # a link to the card

    # the rule's documentation, one click away
    button = browser.find_element(By.CSS_SELECTOR, "#card li button")
    code = button.text
    button.click()
    assert browser.find_element(By.ID, "doc").is_displayed()
    shown = browser.execute_script("return document.getElementById('doc-text').textContent")
    assert shown == result.catalogue[code].documentation
    browser.find_element(By.ID, "doc-close").click()
    assert not browser.find_element(By.ID, "doc").is_displayed()

    # a link to a card opens it
    _open(browser, (tmp_path / "report.html").as_uri() + "#segment=metro-03")
    browser.refresh()
    assert browser.find_element(By.ID, "card").get_attribute("data-segment") == "metro-03"

    shot = tmp_path / "report.png"
    browser.set_window_size(1400, 2000)
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(shot))
    browser.set_window_size(1400, 1000)
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
    assert _severe(browser) == []


def test_100000_findings_page_in_chromium(browser: Any, big_page: Path) -> None:
    from selenium.webdriver.common.by import By

    started = time.perf_counter()
    _open(browser, big_page.as_uri())
    assert len(_rows(browser)) == 100
    assert "rows 1–100 of 100000" in browser.find_element(By.ID, "page-info").text
    browser.find_element(By.ID, "next").click()
    assert "rows 101–200 of 100000" in browser.find_element(By.ID, "page-info").text
    browser.find_element(By.XPATH, "//table[@id='findings']//th/button[text()='message']").click()
    assert len(_rows(browser)) == 100
    browser.find_element(By.ID, "f-text").send_keys("Kiev")
    rows = _rows(browser)
    assert rows and all("Kiev" in r[5] + r[6] for r in rows)  # message or excerpt
    print(f"100,000-finding page loaded, paged, sorted and filtered in {time.perf_counter() - started:.1f} s")
    # a segment past the text budget: its card says where its texts are
    rows = _decode(json.loads(_data_block(big_page.read_text("utf-8"))))
    past = next(r["segment_id"] for r in rows if not r["full"])
    browser.find_element(By.ID, "f-text").clear()
    browser.find_element(By.ID, "f-text").send_keys(past)
    browser.find_element(By.XPATH, f"//table[@id='findings']//td/button[text()='{past}']").click()
    assert "segments.csv has them" in browser.find_element(By.ID, "card").text
    assert _severe(browser) == []


def test_a_clean_run_in_chromium(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    table = pd.DataFrame(
        {
            "target": ["The mayor opened a new line.", "Almaty"],
            "reference": ["The mayor opened a line.", "Almaty"],
        }
    )
    result = tqaudit.audit(table, Config(min_bleu=10))
    assert result.findings.empty and result.scores is not None
    write_reports(result, tmp_path, ["html"])
    _open(browser, (tmp_path / "report.html").as_uri())
    assert _rows(browser) == []
    assert browser.find_element(By.ID, "page-info").text == "no findings match"
    assert browser.find_elements(By.CSS_SELECTOR, "#chart-scores line.gate")  # the gated metric: BLEU
    assert not browser.find_elements(By.ID, "counts")
    assert _severe(browser) == []
    assert "segment BLEU" in browser.find_element(By.ID, "chart-scores").text


def test_consistency_messages_link_the_other_segments(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    src = "Подписывайтесь на наш канал в Telegram"
    ids = ["s1", "<i>2</i>", "s3"]  # an id with markup stays text, in the link and its address
    table = pd.DataFrame(
        {
            "id": ids,
            "source": [src, "Другое предложение", src],
            "target": ["Subscribe to our channel", "Other", "Follow our channel"],
        }
    )
    result = tqaudit.audit(table, Config(select=("CN001",), fail_on="never"))
    assert result.findings["message"].iloc[0].endswith("(see segment s1)")
    write_reports(result, tmp_path, ["html"])
    _open(browser, (tmp_path / "report.html").as_uri())
    links = browser.find_elements(By.CSS_SELECTOR, "#findings tbody td a.seg")
    assert [(a.text, a.get_attribute("href").split("#")[1]) for a in links] == [("s1", "segment=s1")]
    links[0].click()
    assert browser.find_element(By.CSS_SELECTOR, "#card h3").text == "Segment s1"
    assert browser.execute_script("return location.hash") == "#segment=s1"

    # a message naming the id with markup: linked by its text, never parsed as HTML
    table["target"] = ["Follow our channel", "Other", "Subscribe to our channel"]
    table["source"] = [src, src, "Другое предложение"]
    result = tqaudit.audit(table, Config(select=("CN001",), fail_on="never"))
    assert result.findings["segment_id"].tolist() == ["<i>2</i>"]
    write_reports(result, tmp_path, ["html"])
    _open(browser, (tmp_path / "report.html").as_uri())
    browser.find_element(By.CSS_SELECTOR, "#findings tbody td:nth-child(4) button").click()  # its own card
    card_links = browser.find_elements(By.CSS_SELECTOR, "#card li a.seg")
    assert [a.text for a in card_links] == ["s1"]
    table["id"] = ["<i>1</i>", "s2", "s3"]
    result = tqaudit.audit(table, Config(select=("CN001",), fail_on="never"))
    write_reports(result, tmp_path, ["html"])
    _open(browser, (tmp_path / "report.html").as_uri())
    link = browser.find_element(By.CSS_SELECTOR, "#findings tbody td a.seg")
    assert link.text == "<i>1</i>" and not browser.find_elements(By.CSS_SELECTOR, "#findings i")
    assert link.get_attribute("href").endswith("#segment=%3Ci%3E1%3C%2Fi%3E")
    link.click()
    assert browser.find_element(By.CSS_SELECTOR, "#card h3").text == "Segment <i>1</i>"
    assert _severe(browser) == []
