"""Date pickers show their value in every language (a browser leaves a date field empty unless
its value is ISO, YYYY-MM-DD)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from powershift.budgets.forms import RoundForm
from powershift.core.forms import DateInput
from powershift.core.models import Place


def test_a_date_input_is_iso_whatever_the_language() -> None:
    for language in ("en-gb", "en-us", "de"):
        with translation.override(language):
            html = DateInput().render("day", dt.date(2026, 12, 1))
            assert 'type="date"' in html and 'value="2026-12-01"' in html, (language, html)


def test_a_form_being_edited_shows_its_dates() -> None:
    with translation.override("en-gb"):
        form = RoundForm(initial={"voting_opens": dt.date(2026, 12, 2)}, places=Place.objects.none())
        assert 'value="2026-12-02"' in str(form["voting_opens"])
