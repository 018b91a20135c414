"""The report: self-contained HTML, Markdown with its pictures beside it, and it renders."""

from __future__ import annotations

import base64
import re

import pytest

from demo import report
from tests.demo.chromium import chromium_binary, load_page

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CHARTS = {"lineage", "resources-dev", "quality", "kpi-dau", "kpi-funnel", "kpi-top-pages"}


@pytest.fixture(scope="module")
def written(tmp_path_factory, demo_run):
    built = report.build(demo_run)
    return built, *report.write(built, tmp_path_factory.mktemp("demo-report"))


def test_report_has_every_picture_the_issue_asks_for(written):
    built, _, _ = written
    assert {c.name for c in built.charts()} == CHARTS
    assert all(c.png.startswith(PNG_MAGIC) for c in built.charts())


def test_html_is_self_contained(written):
    _, html_path, _ = written
    html = html_path.read_text()
    assert not re.search(r'(src|href)="(?!data:|#)', html), "every src/href must be inline or an anchor"
    assert "<script" not in html
    embedded = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(embedded) == len(CHARTS)
    assert all(base64.b64decode(data).startswith(PNG_MAGIC) for data in embedded)


def test_markdown_links_pngs_written_beside_it(written):
    _, _, md_path = written
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md_path.read_text())
    assert {link.removesuffix(".png") for link in links} == CHARTS
    assert all((md_path.parent / link).read_bytes().startswith(PNG_MAGIC) for link in links)


def test_report_shows_the_numbers_of_the_run(written):
    _, html_path, md_path = written
    for text in (html_path.read_text(), md_path.read_text()):
        assert "22,000" in text  # bronze events
        assert "known_event_type" in text  # quarantined by rule
        assert "ALL_PRIVILEGES" in text  # the access matrix
        assert "all checks pass" in text


@pytest.mark.slow
def test_html_report_renders_in_headless_chromium(written, tmp_path):
    binary = chromium_binary()
    if binary is None:
        pytest.fail("chromium is not installed: run `make chromium` (scripts/install-chromium.sh)")
    _, html_path, _ = written
    page = load_page(binary, html_path, tmp_path / "profile")
    assert page.errors == []
    assert page.title == "Clickstream platform: the demo"
    assert len(page.images) == len(CHARTS)
    for image in page.images:
        assert image["complete"] and image["width"] > 100 and image["height"] > 100, image
