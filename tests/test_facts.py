"""tests/facts.toml holds what the seeds say, so that the site tests run in a clone that
has no ../shared; here it is held to the seeds themselves, where they are present."""

from __future__ import annotations

import re

import pytest

from conftest import FACTS, SEEDS, seed

pytestmark = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"{SEEDS} is absent (it sits beside CI's checkout, not beside a clone)"
)


def test_seed_paper_titles_are_the_paper_lists() -> None:
    titles = re.findall(
        r"^(?:[\d.]+)?[A-Z]{2}[A-Z][a-z]{2} \d{1,2}(?:, \d{4})?(?:Code)?\n(.+)$", seed("002"), re.M
    )
    assert titles == FACTS["seed_paper_titles"]


def test_homepage_news_dates_are_the_homepages() -> None:
    home = seed("000")
    news = home[home.index("Recent News") : home.index("Experiences")]
    dates = [f"{m[:3]} {y}" for m, y in re.findall(r"^- (\w{3,4})\. (\d{4}) - ", news, re.M)]
    assert dates == FACTS["homepage_news_dates"]
