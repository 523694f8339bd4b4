"""Timeline and deadlines as of a day: state from the audit trail, overdue, labels, filters."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlmodel import Session, select

from dashboard import pages
from dashboard.app import create_app
from dashboard.timeline_chart import (
    LABEL_WIDTH,
    LEFT,
    MONTH_LABEL,
    PALE,
    PLOT_WIDTH,
    RIGHT,
    text_width,
    timeline_svg,
    wrap,
)
from inspectorate.adapters.models import Body, Inspection, Milestone, Programme
from inspectorate.services import context
from inspectorate.services.as_of import TimelineRow
from tests.dashboard_record import BoardRecord, build_board_record
from tests.factories import schedule
from tests.test_dashboard import sign_in

pytestmark = pytest.mark.usefixtures("prefect_server")


@pytest.fixture
def record(sqlite_database: str) -> BoardRecord:
    return build_board_record()


@pytest.fixture
def app_client() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def rows_of(client: TestClient, query: str) -> dict[int, dict]:
    answer = client.get(f"/api/programmes/iaow/timeline?{query}")
    assert answer.status_code == 200, answer.text
    return {r["id"]: r for r in answer.json()}


def test_the_timeline_shows_state_and_milestones_as_they_were(
    record: BoardRecord, app_client: TestClient
) -> None:
    later = schedule(
        body="Staffordshire and West Midlands", fieldwork_start="2014-04-28", on="2014-02-10"
    )
    sign_in(app_client, "manager")
    before = rows_of(app_client, "as_of=2014-03-05")
    london = before[record.published]
    assert london["status"] not in ("published", "scored")
    assert "publication" not in london["done"] and "fieldwork_end" not in london["done"]
    assert before[later]["status"] == "planned"  # scheduled on 10 February
    after = rows_of(app_client, "as_of=2014-06-02")
    assert after[record.published]["status"] == "published"
    assert "publication" in after[record.published]["done"]
    assert after[later]["status"] == "planned"
    assert later not in rows_of(app_client, "as_of=2014-02-09")  # not yet scheduled
    assert later in rows_of(app_client, "as_of=2014-02-10")
    html = app_client.get("/programmes/iaow?as_of=2014-02-09").text
    assert f'href="/inspections/{later}"' not in html and "as of 9 Feb 2014" in html


def test_deadlines_of_a_past_week_list_what_was_due_then(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in(app_client, "manager")
    week = app_client.get("/api/deadlines?as_of=2014-03-10").json()
    due = {(d["inspection_id"], d["milestone"]) for d in week["this_week"]}
    assert (record.draft, "fieldwork_end") in due  # done on the 14th, open on the 10th
    assert (record.draft, "fieldwork_end") not in {
        (d["inspection_id"], d["milestone"])
        for d in app_client.get("/api/deadlines?as_of=2014-03-17").json()["this_week"]
    }
    html = app_client.get("/deadlines?as_of=2014-03-10").text
    assert "fieldwork end" in html and "Nothing." not in html.split('id="this-week"')[1]


def test_the_deadlines_region_is_matched_as_typed_in_any_case(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in(app_client, "manager")
    everyone = app_client.get("/api/deadlines?as_of=2014-03-10").json()["this_week"]
    region = next(r["region"] for r in rows_of(app_client, "as_of=2014-03-10").values())

    def ids(typed: str) -> set[int]:
        week = app_client.get(f"/api/deadlines?as_of=2014-03-10&region={typed}").json()
        return {d["inspection_id"] for d in week["this_week"]}

    exact = ids(region)
    assert exact and exact <= {d["inspection_id"] for d in everyone}
    assert ids(f"  {region.lower()} ") == ids(region.upper()) == exact


def test_overdue_milestones_are_marked_in_words_not_only_red(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in(app_client, "manager")
    week = app_client.get("/api/deadlines?as_of=2014-05-12").json()
    assert week["overdue"] and all(d["overdue"] for d in week["overdue"])
    assert record.scored in {d["inspection_id"] for d in week["overdue"]}
    assert (
        '<strong class="error">Overdue</strong>'
        in app_client.get("/deadlines?as_of=2014-05-12").text
    )
    rows = rows_of(app_client, "as_of=2014-05-12")
    assert rows[record.scored]["overdue"]
    svg = app_client.get("/programmes/iaow?as_of=2014-05-12").text
    assert re.search(r"\d+ overdue</tspan>", svg) and "— overdue</title>" in svg


def test_a_reinspection_is_labelled_and_names_are_never_cut(
    record: BoardRecord, app_client: TestClient
) -> None:
    with Session(context.engine()) as session:
        row = session.get(Inspection, record.assigned)
        assert row is not None
        row.kind = "reinspection"
        session.add(row)
        session.commit()
    sign_in(app_client, "manager")
    html = app_client.get("/programmes/iaow?as_of=2014-04-07&page=1").text
    assert "Cumbria — reinspection" in html
    long = TimelineRow(
        1, "Staffordshire and West Midlands", "planned", "reinspection",
        milestones={"announcement": dt.date(2014, 1, 6), "publication": dt.date(2014, 9, 1)},
    )  # fmt: skip
    svg = timeline_svg([long], dt.date(2014, 3, 3))
    words = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg))
    assert words == "Staffordshire and West Midlands — reinspection" and "…" not in svg
    assert all(text_width(line) <= LABEL_WIDTH for line in wrap("W" * 80 + " Midlands"))
    assert "Sep 2014</text>" in svg  # the last month's label fits inside the picture
    width = int(re.search(r'width="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    last = max(float(x) for x in re.findall(r'<text x="([\d.]+)" y="\d+">\w{3} \d{4}', svg))
    assert last + text_width("Sep 2014") <= width


def test_filters_by_region_status_and_programme(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in(app_client, "manager")
    every = rows_of(app_client, "as_of=2014-04-07")
    london_region = every[record.published]["region"]
    only = rows_of(app_client, f"as_of=2014-04-07&region={london_region}")
    assert set(only) == {i for i, r in every.items() if r["region"] == london_region}
    status = every[record.scored]["status"]
    assert set(rows_of(app_client, f"as_of=2014-04-07&status={status}")) == {
        i for i, r in every.items() if r["status"] == status
    }
    page = app_client.get(f"/programmes/iaow?as_of=2014-04-07&status={status}").text
    assert page.count('<a href="/inspections/') == len(
        [r for r in every.values() if r["status"] == status]
    )
    assert app_client.get("/programmes/iaow?status=nonsense").status_code == 400
    moved = app_client.get(
        "/programmes/iaow?programme=cci&as_of=2014-04-07", follow_redirects=False
    )
    assert moved.status_code == 303 and moved.headers["location"].startswith("/programmes/cci?")
    none = app_client.get("/api/deadlines?as_of=2014-05-12&programme=cci").json()
    assert none["this_week"] == [] and none["overdue"] == []


def test_five_hundred_inspections_come_in_pages(
    record: BoardRecord, app_client: TestClient
) -> None:
    with Session(context.engine()) as session:
        iaow = session.exec(select(Programme).where(Programme.code == "iaow")).one()
        body = session.exec(select(Body).where(Body.name == "London")).first()
        assert body is not None and iaow.id is not None
        made = dt.datetime(2013, 6, 1, tzinfo=dt.UTC)
        start = dt.date(2014, 6, 2)
        session.execute(
            insert(Inspection),
            [
                {
                    "programme_id": iaow.id,
                    "body_id": body.id,
                    "kind": "inspection",
                    "status": "planned",
                    "fieldwork_start": start + dt.timedelta(weeks=n),  # one body, one a week
                    "created_at": made,
                    "updated_at": made,
                }
                for n in range(520)
            ],
        )
        made_rows = session.exec(
            select(Inspection.id, Inspection.fieldwork_start).where(Inspection.created_at == made)
        ).all()
        session.execute(
            insert(Milestone),
            [
                {"inspection_id": i, "kind": kind, "due_on": monday + dt.timedelta(days=days)}
                for i, monday in made_rows
                for kind, days in (("fieldwork_start", 0), ("fieldwork_end", 4))
            ],
        )
        session.commit()
    sign_in(app_client, "manager")
    first = app_client.get("/programmes/iaow?as_of=2014-05-01").text
    assert first.count('<a href="/inspections/') == 50 and "page 1 of 11" in first
    assert 'href="?as_of=2014-05-01&amp;region=&amp;status=&amp;page=11"' in first
    last = app_client.get("/programmes/iaow?as_of=2014-05-01&page=11").text
    assert last.count('<a href="/inspections/') == 524 - 500


def test_the_day_is_asked_in_three_fields_and_a_day_that_is_none_is_refused(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in(app_client, "manager")
    fields = "as_of-day=5&as_of-month=3&as_of-year=2014"
    timeline = app_client.get(f"/programmes/iaow?{fields}")
    assert timeline.status_code == 200 and " on 5 March 2014" in timeline.text
    assert (
        'name="as_of-day" type="text" inputmode="numeric" size="2" maxlength="2" value="5"'
        in timeline.text
    )
    assert 'id="as_of-month"' in timeline.text and 'value="2014"' in timeline.text
    assert 'type="date"' not in timeline.text  # no browser picker in the reader's locale
    deadlines = app_client.get(f"/deadlines?{fields}")
    assert deadlines.status_code == 200 and "Deadlines, week of 5 March 2014" in deadlines.text
    same = app_client.get("/deadlines?as_of=2014-03-05")
    assert "Deadlines, week of 5 March 2014" in same.text  # links keep the one ISO field
    refused = app_client.get("/programmes/iaow?as_of-day=31&as_of-month=2&as_of-year=2014")
    assert refused.status_code == 400 and "There is a problem" in refused.text
    assert "As of must be a real date: 31/2/2014 is not a day" in refused.text
    assert 'href="#as_of-day"' in refused.text and 'value="31"' in refused.text  # as typed
    link = app_client.get("/deadlines?as_of=2014-02-31")
    assert link.status_code == 400 and "The day to look at &#39;2014-02-31&#39; is not" in link.text


def test_deadlines_come_in_pages_of_each_list_with_the_totals_kept(
    record: BoardRecord, app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(app_client, "manager")
    week = app_client.get("/api/deadlines?as_of=2014-05-12").json()
    overdue = week["overdue"]
    assert len(overdue) >= 3, "the record's week needs three overdue milestones"
    monkeypatch.setattr(pages, "DEADLINE_ROWS", 2)
    first = app_client.get("/deadlines?as_of=2014-05-12").text
    count = len(overdue)
    assert f"Overdue ({count}) — 1 to 2 shown" in first
    assert 'aria-current="page">1</strong>' in first and "page=2" in first
    last_page = -(-max(count, len(week["this_week"])) // 2)
    assert f"Page 1 of {last_page}" in first
    second = app_client.get("/deadlines?as_of=2014-05-12&page=2").text
    assert f"Overdue ({count}) — 3 to {min(4, count)} shown" in second
    beyond = app_client.get(f"/deadlines?as_of=2014-05-12&page={last_page + 5}").text
    assert f'aria-current="page">{last_page}</strong>' in beyond, "a page past the end: the last"
    overdue_rows = first.split('id="overdue"')[1].split('id="this-week"')[0].count("<tr><td")
    assert overdue_rows == 2


def three_years_of_rows() -> list[TimelineRow]:
    """A page of rows whose fieldwork spreads over three years, a week apart."""
    rows = []
    for n in range(50):
        fieldwork = dt.date(2011, 1, 3) + dt.timedelta(weeks=3 * n)
        rows.append(
            TimelineRow(
                n + 1, f"Body {n}", "planned", "inspection",
                milestones={
                    "announcement": fieldwork - dt.timedelta(weeks=10),
                    "fieldwork_start": fieldwork,
                    "fieldwork_end": fieldwork + dt.timedelta(days=4),
                    "publication": fieldwork + dt.timedelta(weeks=11),
                },
            )
        )  # fmt: skip
    return rows


def chart_width(svg: str) -> int:
    return int(re.search(r'width="(\d+)"', svg).group(1))  # type: ignore[union-attr]


WIDEST = LEFT + PLOT_WIDTH + RIGHT + 1


def test_the_chart_fits_the_page_however_far_the_rows_spread() -> None:
    svg = timeline_svg(three_years_of_rows(), dt.date(2012, 6, 4))
    assert chart_width(svg) <= WIDEST  # three years at 16 pixels a week drew 3,000 and more
    assert svg.count(f'fill="{PALE}"><title>') == 50  # every row's bar
    assert 'stroke="#b00020" stroke-width="1.5"' in svg and ">today</text>" in svg
    labels = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="\d+">\w{3} \d{4}', svg)]
    assert len(labels) > 4 and all(b - a >= MONTH_LABEL for a, b in itertools.pairwise(labels))


def test_rows_all_before_the_day_are_drawn_whole_and_the_day_is_marked_at_the_edge() -> None:
    svg = timeline_svg(three_years_of_rows(), dt.date(2026, 11, 30))
    assert chart_width(svg) <= WIDEST
    assert "today 30 Nov 2026 →</text>" in svg
    assert "announcement 2010-10-25" in svg and "publication 2014-01-13" in svg
    early = timeline_svg(three_years_of_rows(), dt.date(2009, 1, 5), "as of 5 Jan 2009")
    assert "← as of 5 Jan 2009</text>" in early
