"""No follow-up is ever asked before its parent is answered in a way that opens it (issue 13).

Each persona of the relevance set is walked through the app with the keyboard, answering every
question from its full facts (a fact it does not state is skipped, 不确定); at the moment each
question is shown, its ``ask_if`` must hold on the answers given so far — unknown is not enough.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from app.storage.catalog_files import load_catalog
from app.engine.rules import evaluate
from app.storage.paths import bundled_catalog
from app.engine.profile import effective_facts, parse_profile
from tui_driver import SIZE, answer, make_app, screen_name, wait_ready

PERSONAS = tomllib.loads((Path(__file__).parent.parent / "bench" / "relevance" / "personas.toml")
                         .read_text(encoding="utf-8"))["persona"]
CATALOG = load_catalog(bundled_catalog())


def typed(value):
    """A fact's value as the keyboard gives it."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("persona", PERSONAS, ids=[p["id"] for p in PERSONAS])
async def test_no_orphan_follow_up(persona):
    full = parse_profile(persona["profile"], CATALOG.registry, persona["id"]).facts
    full["name"] = persona["name"]
    app = make_app("zh_CN", catalog=bundled_catalog())
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        asked = []
        for _ in range(120):
            if screen_name(app) != "QuestionnaireScreen" or app.screen.current is None:
                break
            fact = app.screen.current
            question = CATALOG.questions[fact]
            if question.ask_if is not None:
                facts, _ = effective_facts(app.session.facts, persona["as_of"], CATALOG)
                gate = evaluate(question.ask_if, facts, CATALOG.registry)
                assert gate.value is True, (fact, "asked before its parent opened it", asked)
            assert fact not in asked, (fact, "asked twice")
            asked.append(fact)
            await answer(pilot, typed(full.get(fact)))
            await pilot.pause()
        assert asked and len(asked) < 120
