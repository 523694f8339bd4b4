"""Benchmark: render draft reports as HTML and as PDF.

One scored IAOW inspection (synthetic fieldwork) in a fresh SQLite record; its draft is
rendered N times as HTML (scores read back, findings, charts, template) and N times as PDF
(that HTML laid out by WeasyPrint). The HTML time is the baseline the PDF is compared with,
measured in the same run.

Goal (issue 4): HTML under 150 ms and PDF under 3 s per report.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pendulum  # noqa: E402

from inspectorate.adapters import clock  # noqa: E402
from inspectorate.domain import synthetic  # noqa: E402
from inspectorate.domain.lifecycle import Stage  # noqa: E402
from inspectorate.services import context, evidence, reports, scheduling, setup, stages  # noqa: E402
from inspectorate.services.demo import fresh_record  # noqa: E402

N = int(os.environ.get("BENCH_REPORTS", "100"))


def scored_inspection() -> int:
    """Schedule, sample, do fieldwork and score one IAOW inspection."""
    at = lambda day: clock.morning_of(pendulum.parse(day).date(), 10)  # noqa: E731
    setup.initialise(now=at("2013-11-25"))
    inspection_id, _ = context.run(
        scheduling.schedule,
        body_name="Wales",
        programme_code="iaow",
        fieldwork_start=pendulum.date(2014, 3, 10),
        actor="bench",
        now=at("2013-11-25"),
    )
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="b",
        now=at("2013-12-30"),
    )
    caseload = synthetic.caseload("Wales", 1500, pendulum.date(2014, 3, 10), 1)
    with context.unit_of_work() as session:
        sample = evidence.draw_sample(
            session, inspection_id=inspection_id, caseload=caseload, seed=1
        )
        evidence.record_sample(
            session, inspection_id=inspection_id, sample=sample, actor="b", now=at("2014-02-17")
        )
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.RECORD_FIELDWORK,
        actor="b",
        now=at("2014-03-14"),
    )
    with context.unit_of_work() as session:
        framework = evidence.framework_of(session, inspection_id=inspection_id)
        judgements = synthetic.judgements(sample.cases, framework, 0.7, 1)
        scores = evidence.score_inspection(
            session, inspection_id=inspection_id, judgements=judgements
        )
        evidence.record_scores(
            session,
            inspection_id=inspection_id,
            judgements=judgements,
            scores=scores,
            actor="b",
            now=at("2014-03-28"),
        )
    return inspection_id


def render_draft(inspection_id: int) -> str:
    """Render the draft as HTML, reading the record in a session of its own."""
    with context.reading() as session:
        return reports.render_html(session, inspection_id=inspection_id, draft=True, editable={})


def main() -> None:
    """Print the median time per report for HTML and PDF."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh_record(Path(scratch) / "record")
        inspection_id = scored_inspection()
        render_draft(inspection_id)  # compile the template
        html_times, pdf_times = [], []
        for _ in range(N):
            began = time.perf_counter()
            html = render_draft(inspection_id)
            html_times.append(time.perf_counter() - began)
        for _ in range(N):
            began = time.perf_counter()
            reports.html_to_pdf(html)
            pdf_times.append(time.perf_counter() - began)
    html_s, pdf_s = statistics.median(html_times), statistics.median(pdf_times)
    print(f"rendering {N} draft reports (IAOW, 37 questions, 5 chapters, {len(html):,} bytes)")
    print(f"  HTML per report (median): {html_s * 1000:.0f} ms")
    print(f"  PDF per report (median):  {pdf_s:.2f} s")
    print(f"  PDF / HTML:               {pdf_s / html_s:.0f}x")
    print(
        f"  goal: HTML under 150 ms ({'met' if html_s < 0.15 else 'NOT met'}), PDF under 3 s "
        f"({'met' if pdf_s < 3 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
