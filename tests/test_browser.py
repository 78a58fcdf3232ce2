"""The browser the HTML tests use works: a page loads, runs its script and reports its width."""
from __future__ import annotations


def test_a_page_loads_in_a_real_browser_at_phone_width(page_at, tmp_path):
    html = tmp_path / "p.html"
    html.write_text("<!doctype html><meta name=viewport content='width=device-width'>"
                    "<p id=x>hei</p><script>document.getElementById('x').textContent='hallo'"
                    "</script>", "utf-8")
    page = page_at(390)
    page.goto(html.as_uri())
    assert page.text_content("#x") == "hallo"
    assert page.evaluate("document.documentElement.clientWidth") == 390
    assert page.console_errors == []
