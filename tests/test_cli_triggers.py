"""`inspectorate triggers check`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import run

RULES = Path(__file__).resolve().parent.parent / "config" / "triggers"


def scores_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scores.csv"
    path.write_text(text)
    return path


def test_check_prints_json_for_every_body(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = scores_file(
        tmp_path,
        "body,published,iqr\nLondon,2002-09-01,40%\nEssex,2003-04-01,68\nHampshire,2002-03-01,70\n",
    )
    code, out, _ = run(
        ["triggers", "check", "--rules", str(RULES / "apa.toml"), "--scores", str(path), "--json"],
        capsys,
        monkeypatch,
    )
    assert code == 0
    rows = {r["body"]: r for r in json.loads(out)}
    assert rows["London"] | {"reason": ""} == {
        "body": "London",
        "due": True,
        "rule": "IQR below 50% (from June 2002)",
        "kind": "follow_up",
        "due_date": "2003-09-01",
        "window_start": "2003-05-01",
        "window_end": "2004-01-01",
        "reason": "",
    }
    assert (rows["Essex"]["due"], rows["Essex"]["rule"], rows["Essex"]["due_date"]) == (
        False,
        None,
        None,
    )
    assert rows["Hampshire"]["rule"] == "every audit followed up (before June 2002)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "body,published,safeguarding\nX,2011-01-01,50\n",
            "missing score column(s) likelihood_of_reoffending, risk_of_harm",
        ),
        (
            "body,published,safeguarding,risk_of_harm,likelihood_of_reoffending\n"
            "X,01/02/2011,50,50,50\n",
            "row 2, column published: '01/02/2011' is not a date",
        ),
        (
            "body,published,safeguarding,risk_of_harm,likelihood_of_reoffending\n"
            "X,2011-01-01,lots,50,50\n",
            "row 2, column safeguarding: 'lots' is not a percentage",
        ),
        ("published,safeguarding\n2011-01-01,3\n", "missing column(s) body"),
    ],
)
def test_bad_score_files_exit_2_with_a_clear_error(  # type: ignore[no-untyped-def]
    capsys, monkeypatch, tmp_path, text, message
) -> None:
    path = scores_file(tmp_path, text)
    code, _, err = run(
        ["triggers", "check", "--rules", str(RULES / "cci.toml"), "--scores", str(path)],
        capsys,
        monkeypatch,
    )
    assert code == 2 and message in " ".join(err.split())


def test_a_malformed_rule_file_exits_2(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "rules.toml"
    rules.write_text('[[trigger]]\nname = "x"\nkind = "sometimes"\ndue_after = "1 year"\n')
    path = scores_file(tmp_path, "body,published\nX,2011-01-01\n")
    code, _, err = run(
        ["triggers", "check", "--rules", str(rules), "--scores", str(path)], capsys, monkeypatch
    )
    assert code == 2 and "trigger 1: kind" in err


def _scored(tmp_path: Path, name: str, counts: dict[str, tuple[int, int]]) -> Path:
    data = {
        "questions": {
            q: {"sufficient": s, "applicable": a, "score": 100 * s / a}
            for q, (s, a) in counts.items()
        },
        "criteria": {},
        "headline": {},
    }
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_compare_two_score_files(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    original = _scored(tmp_path, "o.json", {"1.1a": (11, 24), "1.1b": (17, 25), "2.1a": (3, 4)})
    follow_up = _scored(tmp_path, "f.json", {"1.1a": (22, 24), "1.1b": (20, 25)})
    code, out, _ = run(["compare", str(original), str(follow_up), "--json"], capsys, monkeypatch)
    data = json.loads(out)
    rows = {r["measure"]: r for r in data["measures"]}
    assert code == 0
    assert (rows["1.1a"]["original"], rows["1.1a"]["follow_up"]) == (45.8, 91.7)
    assert rows["1.1a"]["significant"] and rows["1.1a"]["p_value"] < 0.01
    assert not rows["1.1b"]["significant"] and rows["1.1b"]["p_value"] > 0.3
    assert data["only_in_original"] == ["2.1a"] and data["only_in_follow_up"] == []
    assert data["summary"] == "improvement against 2 of 2 measures (1 statistically significant)"


def test_compare_refuses_a_file_that_is_not_score_json(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = _scored(tmp_path, "o.json", {"1.1a": (1, 2)})
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    code, _, err = run(["compare", str(good), str(bad)], capsys, monkeypatch)
    assert code == 2 and "not the --json output of `inspectorate score`" in err
