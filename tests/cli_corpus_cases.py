"""The command-line corpus: every command with bad input and in every wrong state.

Each case names the state it runs in, its arguments (`{planned}` and the like are the ids
of tests/cli_corpus_record.Ids, `{files}` the folder of data files), a fragment saying what
is wrong and a fragment saying how to put it right.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# States: "missing" (no record at all), "fresh" (initialised, no inspections), "lifecycle"
# (tests/cli_corpus_record.build_lifecycle), "locked" (the lifecycle record, with another
# connection holding its write lock), "unreachable" (a PostgreSQL URL to a closed port).


@dataclass(frozen=True)
class Case:
    """One command that must be refused: exit code 2, a short message, nothing written."""

    name: str
    state: str
    argv: tuple[str, ...]
    what: str
    fix: str
    env: dict[str, str] = field(default_factory=dict)
    stdin: str = ""


def case(name: str, state: str, command: str, what: str, fix: str, **extra: object) -> Case:
    """A case from a command line written as one string (split on spaces, '|' keeps one)."""
    argv = tuple(part.replace("|", " ") for part in command.split())
    return Case(name, state, argv, what, fix, **extra)  # type: ignore[arg-type]


SCHEDULE = "inspection schedule London --programme iaow --as-of 2013-11-25 --fieldwork-start"
INIT = "run `inspectorate init` first"
LIST = "inspectorate inspection list"
DATE = "YYYY-MM-DD"

CASES = [
    # Before `inspectorate init`: every command that needs the record says to run it.
    case("list-before-init", "missing", "inspection list", "has no schema", INIT),
    case("show-before-init", "missing", "inspection show 1", "has no schema", INIT),
    case("sweep-before-init", "missing", "sweep --as-of 2014-01-06", "has no schema", INIT),
    case("reminders-before-init", "missing", "reminders list", "has no schema", INIT),
    case("schedule-before-init", "missing", f"{SCHEDULE} 2014-03-03", "has no schema", INIT),
    case("advance-before-init", "missing", "inspection advance 1 announce", "has no schema", INIT),
    case("report-list-before-init", "missing", "report list 1", "has no schema", INIT),
    case("follow-up-report-before-init", "missing", "report follow-up 1", "has no schema", INIT),
    case("export-before-init", "missing", "programme export iaow --out x.ics", "no schema", INIT),
    case("users-before-init", "missing", "users list", "has no schema", INIT),
    case("scores-before-init", "missing", "inspection scores 1", "has no schema", INIT),
    case(
        "comments-before-init",
        "missing",
        "draft comments 1 {files}/comments.txt",
        "has no schema",
        INIT,
    ),
    case("dashboard-before-init", "missing", "dashboard --port 1", "has no schema", INIT),
    # Malformed and impossible dates.
    case(
        "milestones-31-february",
        "missing",
        "milestones --programme iaow --fieldwork-start 2014-02-31",
        "'2014-02-31' is not a date",
        DATE,
    ),
    case(
        "milestones-british-date",
        "missing",
        "milestones --programme iaow --fieldwork-start 10/02/2014",
        "'10/02/2014' is not a date",
        DATE,
    ),
    case(
        "milestones-year-9999",
        "missing",
        "milestones --programme iaow --fieldwork-start 9999-12-27",
        "'9999-12-27' is outside the years",
        "to 2199-12-31",
    ),
    case(
        "milestones-tuesday",
        "missing",
        "milestones --programme iaow --fieldwork-start 2014-02-11",
        "must start on a Monday",
        "Monday",
    ),
    case("schedule-month-13", "fresh", f"{SCHEDULE} 2014-13-03", "'2014-13-03' is not a", DATE),
    case(
        "schedule-as-of-yesterday",
        "fresh",
        "inspection schedule London --programme iaow --fieldwork-start 2014-03-03 "
        "--as-of yesterday",
        "--as-of 'yesterday'",
        DATE,
    ),
    case("schedule-tuesday", "fresh", f"{SCHEDULE} 2014-03-04", "Monday", "Monday"),
    case(
        "schedule-short-notice",
        "fresh",
        f"{SCHEDULE} 2013-12-02",
        "before today",
        "earliest Monday with full",
    ),
    case("sweep-30-february", "lifecycle", "sweep --as-of 2014-02-30", "2014-02-30", DATE),
    case(
        "sample-file-date",
        "missing",
        "sample {files}/caseload.csv --programme iaow --fieldwork-start tomorrow",
        "'tomorrow' is not a date",
        DATE,
    ),
    case(
        "synthetic-caseload-date",
        "missing",
        "synthetic caseload London --out x.csv --as-of 2014/02/10",
        "'2014/02/10' is not a date",
        DATE,
    ),
    case("plan-31-april", "missing", "programme plan esi --start 2003-04-31", "2003-04-31", DATE),
    case("simulate-31-june", "missing", "simulate iaow --until 2014-06-31", "2014-06-31", DATE),
    case(
        "simulate-before-start",
        "missing",
        "simulate iaow --until 2001-01-01",
        "is not after the programme's start",
        "--until",
    ),
    case(
        "reschedule-bad-date",
        "lifecycle",
        "inspection reschedule {planned} --fieldwork-start 2014-02-30",
        "2014-02-30",
        DATE,
    ),
    case(
        "advance-as-of-british",
        "lifecycle",
        "inspection advance {planned} announce --as-of 31-12-2013",
        "'31-12-2013' is not a date",
        DATE,
    ),
    case("publish-as-of-word", "lifecycle", "report publish {draft} --as-of soon", "soon", DATE),
    # Unknown inspections, bodies, programmes, frameworks, accounts.
    case("show-unknown", "lifecycle", "inspection show 42", "no inspection with id 42", LIST),
    case("advance-unknown", "lifecycle", "inspection advance 42 announce", "id 42", LIST),
    case(
        "schedule-unknown-body",
        "fresh",
        "inspection schedule Atlantis --programme iaow --fieldwork-start 2014-03-03 "
        "--as-of 2013-11-25",
        "no trust called 'Atlantis'",
        "config/bodies/",
    ),
    case(
        "schedule-unknown-programme",
        "fresh",
        "inspection schedule London --programme omi9 --fieldwork-start 2014-03-03 "
        "--as-of 2013-11-25",
        "unknown programme 'omi9'",
        "known programmes: ",
    ),
    case(
        "milestones-unknown-programme",
        "missing",
        "milestones --programme omi9 --fieldwork-start 2014-02-10",
        "unknown programme 'omi9'",
        "known programmes: ",
    ),
    case(
        "sample-unknown",
        "lifecycle",
        "inspection sample 42 --caseload {files}/caseload.csv",
        "id 42",
        LIST,
    ),
    case(
        "score-unknown",
        "lifecycle",
        "inspection score 42 --judgements {files}/one_bad_judgement.csv",
        "id 42",
        LIST,
    ),
    case("scores-unknown", "lifecycle", "inspection scores 42", "id 42", LIST),
    case(
        "reschedule-unknown",
        "lifecycle",
        "inspection reschedule 42 --fieldwork-start 2014-06-02",
        "id 42",
        LIST,
    ),
    case(
        "sign-off-unknown",
        "lifecycle",
        "inspection sign-off 42 draft --by ian.inspector",
        "id 42",
        LIST,
    ),
    case(
        "sign-off-unknown-account",
        "lifecycle",
        "inspection sign-off {scored} draft --by nobody",
        "nobody",
        "users",
    ),
    case(
        "sign-off-what",
        "lifecycle",
        "inspection sign-off {scored} homework --by ian.inspector",
        "homework",
        "draft",
    ),
    case("follow-up-unknown", "lifecycle", "inspection follow-up 42", "id 42", LIST),
    case("compare-unknown", "lifecycle", "inspection compare 42", "id 42", LIST),
    case("report-draft-unknown", "lifecycle", "report draft 42", "id 42", LIST),
    case("report-letter-unknown", "lifecycle", "report letter 42", "id 42", LIST),
    case("report-follow-up-unknown", "lifecycle", "report follow-up 42", "id 42", LIST),
    case(
        "report-text-unknown",
        "lifecycle",
        "report text 42 {files}/unknown_key.toml",
        "id 42",
        LIST,
    ),
    case("report-publish-unknown", "lifecycle", "report publish 42", "id 42", LIST),
    case("report-list-unknown", "lifecycle", "report list 42", "id 42", LIST),
    case("reminders-unknown", "lifecycle", "reminders list --inspection 42", "id 42", LIST),
    case(
        "comments-unknown",
        "lifecycle",
        "draft comments 42 {files}/comments.txt",
        "id 42",
        LIST,
    ),
    case("plan-unknown", "missing", "programme plan omi9 --start 2003-04-01", "omi9", "known"),
    case("export-unknown", "lifecycle", "programme export omi9 --out x.ics", "omi9", "known"),
    case("analytics-unknown", "lifecycle", "programme analytics omi9", "omi9", "known"),
    case("analytics-by", "lifecycle", "programme analytics iaow --by colour", "colour", "region"),
    case("simulate-unknown", "missing", "simulate omi9 --until 2014-06-30", "omi9", "known"),
    case(
        "score-file-unknown-framework",
        "missing",
        "score {files}/one_bad_judgements.csv --framework nope",
        "unknown framework 'nope'",
        "known frameworks: ",
    ),
    case(
        "synthetic-judgements-framework",
        "missing",
        "synthetic judgements --sample {files}/caseload.csv --framework nope --out j.csv",
        "unknown framework 'nope'",
        "known frameworks: ",
    ),
    case(
        "users-assign-unknown-account",
        "lifecycle",
        "users assign nobody {planned}",
        "no account is called 'nobody'",
        "inspectorate users list",
    ),
    case(
        "users-assign-unknown-inspection",
        "lifecycle",
        "users assign ian.inspector 42",
        "id 42",
        LIST,
    ),
    case(
        "users-add-role",
        "lifecycle",
        "users add zed --role wizard --password-stdin",
        "wizard",
        "manager",
        stdin="a long enough password\n",
    ),
    case(
        "users-add-body",
        "lifecycle",
        "users add zed --role body --body Atlantis --password-stdin",
        "Atlantis",
        "--body",
        stdin="a long enough password\n",
    ),
    case(
        "users-add-no-password",
        "lifecycle",
        "users add zed --role manager --password-stdin",
        "no password",
        "--password-stdin",
    ),
    case(
        "users-disable-unknown",
        "lifecycle",
        "users disable nobody",
        "no account is called 'nobody'",
        "inspectorate users list",
    ),
]

CASES += [
    # The wrong lifecycle state.
    case(
        "score-before-sample",
        "lifecycle",
        "inspection score {planned} --judgements {files}/one_bad_judgement.csv",
        "no sample yet",
        "select one first",
    ),
    case(
        "fieldwork-before-its-date",
        "lifecycle",
        "inspection advance {sampled} record_fieldwork --as-of 2014-03-20",
        "cannot be recorded before fieldwork start on 2014-03-31",
        "record it on or after that day",
    ),
    case(
        "step-dated-before-the-last",
        "lifecycle",
        "inspection advance {sampled} cancel --as-of 2014-02-10",
        "last step (select_sample) was taken on 2014-02-24",
        "date it on or after 2014-02-24",
    ),
    case(
        "fieldwork-when-announced",
        "lifecycle",
        "inspection advance {announced} record_fieldwork",
        "cannot record_fieldwork an inspection that is announced",
        "allowed steps are: select_sample, cancel",
    ),
    case(
        "publish-when-planned",
        "lifecycle",
        "inspection advance {planned} publish",
        "cannot publish an inspection that is planned",
        "allowed steps are",
    ),
    case(
        "action-plan-before-publication",
        "lifecycle",
        "inspection advance {draft} receive_action_plan",
        "cannot receive_action_plan an inspection that is draft_sent",
        "allowed steps are: close_comments",
    ),
    case(
        "send-draft-unsigned",
        "lifecycle",
        "inspection advance {scored} send_draft",
        "sign",
        "inspection sign-off",
    ),
    case(
        "cancel-when-published",
        "lifecycle",
        "inspection advance {published} cancel",
        "cannot cancel an inspection that is published",
        "allowed steps are",
    ),
    case(
        "announce-when-cancelled",
        "lifecycle",
        "inspection advance {cancelled} announce",
        "cancelled",
        "allowed steps are: none",
    ),
    case(
        "advance-evidence-stage",
        "lifecycle",
        "inspection advance {announced} select_sample",
        "select_sample needs evidence",
        "inspection sample",
    ),
    case(
        "sample-when-scored",
        "lifecycle",
        "inspection sample {scored} --caseload {files}/caseload.csv",
        "scored",
        "allowed steps are",
    ),
    case(
        "sign-off-planned",
        "lifecycle",
        "inspection sign-off {planned} draft --by ian.inspector",
        "planned",
        "score",
    ),
    case(
        "sign-off-without-text",
        "lifecycle",
        "inspection sign-off {scored} draft --by ian.inspector",
        "text",
        "report text",
    ),
    case(
        "sign-off-publication-by-inspector",
        "lifecycle",
        "inspection sign-off {draft} publication --by ian.inspector",
        "manager",
        "manager",
    ),
    case(
        "publish-before-comments-close",
        "lifecycle",
        "report publish {draft}",
        "draft_sent",
        "allowed steps are",
    ),
    case(
        "draft-report-when-planned",
        "lifecycle",
        "report draft {planned}",
        "inspection {planned} has not been scored yet",
        "score its fieldwork first",
    ),
    case(
        "follow-up-report-of-original",
        "lifecycle",
        "report follow-up {published}",
        "not a follow-up",
        "",
    ),
    case("compare-original", "lifecycle", "inspection compare {published}", "not a follow-up", ""),
    case(
        "follow-up-check-unpublished",
        "lifecycle",
        "inspection follow-up {planned}",
        "has not been scored yet",
        "score its fieldwork first",
    ),
    case(
        "comments-without-draft",
        "lifecycle",
        "draft comments {planned} {files}/comments.txt",
        "planned",
        "draft",
    ),
    case(
        "reschedule-published",
        "lifecycle",
        "inspection reschedule {published} --fieldwork-start 2014-06-02",
        "published",
        "fieldwork has not begun",
    ),
    case(
        "comments-dated-before-the-draft",
        "lifecycle",
        "draft comments {draft} {files}/comments.txt --as-of 2013-12-02",
        "a later step cannot be dated before it (2013-12-02)",
        "date it on or after",
    ),
    case(
        "cancel-without-a-reason",
        "lifecycle",
        "inspection advance {planned} cancel",
        "needs a reason",
        'give --why "..."',
    ),
    case(
        "reschedule-without-a-reason",
        "lifecycle",
        "inspection reschedule {planned} --fieldwork-start 2014-04-28 --as-of 2014-01-06",
        "moving inspection",
        'give --why "..."',
    ),
    case(
        "reschedule-team-capacity",
        "lifecycle",
        "inspection reschedule {planned} --fieldwork-start 2014-03-17 --as-of 2013-11-26",
        "team capacity is 1",
        "choose a week with a team free",
    ),
    case(
        "schedule-twice-in-cycle",
        "lifecycle",
        "inspection schedule London --programme iaow --fieldwork-start 2014-05-19 "
        "--as-of 2014-01-06",
        "London already has IAOW inspection",
        "or go in another cycle",
    ),
    case(
        "scores-before-scoring",
        "lifecycle",
        "inspection scores {planned}",
        "not been scored",
        "score its",
    ),
    case(
        "analytics-nothing-scored",
        "lifecycle",
        "programme analytics cci",
        "no cci inspection has been scored yet",
        "score one first",
    ),
    # Empty, unreadable and ineligible files.
    case(
        "sample-empty-file",
        "missing",
        "sample {files}/empty.csv --programme iaow --fieldwork-start 2014-02-10",
        "empty",
        "case_id",
    ),
    case(
        "sample-missing-file",
        "missing",
        "sample {files}/nowhere.csv --programme iaow --fieldwork-start 2014-02-10",
        "nowhere.csv",
        "No such file",
    ),
    case(
        "sample-header-only",
        "missing",
        "sample {files}/header_only.csv --programme iaow --fieldwork-start 2014-02-10",
        "no rows",
        "rows",
    ),
    case(
        "sample-wrong-columns",
        "missing",
        "sample {files}/wrong_columns.csv --programme iaow --fieldwork-start 2014-02-10",
        "missing column",
        "case_id",
    ),
    case(
        "sample-not-utf8",
        "missing",
        "sample {files}/latin1.csv --programme iaow --fieldwork-start 2014-02-10",
        "UTF-8",
        "UTF-8",
    ),
    case(
        "sample-ineligible-file",
        "missing",
        "sample {files}/old_caseload.csv --programme iaow --fieldwork-start 2014-02-10",
        "no case in this caseload is eligible for fieldwork on 2014-02-10",
        "extract",
    ),
    case(
        "inspection-sample-ineligible",
        "lifecycle",
        "inspection sample {announced} --caseload {files}/old_caseload.csv --as-of 2014-03-03",
        "no case in this caseload is eligible for fieldwork on 2014-05-12",
        "extract",
    ),
    case(
        "inspection-sample-empty-file",
        "lifecycle",
        "inspection sample {announced} --caseload {files}/empty.csv",
        "empty",
        "case_id",
    ),
    case(
        "score-file-bad-row",
        "missing",
        "score {files}/one_bad_judgement.csv --framework iaow",
        "row 2",
        "sufficient",
    ),
    case(
        "score-file-empty",
        "missing",
        "score {files}/empty.csv --framework iaow",
        "empty",
        "case_id",
    ),
    case(
        "inspection-score-ratings-missing",
        "lifecycle",
        "inspection score {scored} --judgements {files}/nowhere.csv",
        "nowhere.csv",
        "No such file",
    ),
    case(
        "triggers-missing-rules",
        "missing",
        "triggers check --rules {files}/nowhere.toml --scores {files}/scores.csv",
        "nowhere.toml",
        "No such file",
    ),
    case(
        "triggers-malformed-rules",
        "missing",
        "triggers check --rules {files}/malformed.toml --scores {files}/scores.csv",
        "malformed.toml",
        "(at line 1, column",
    ),
    case(
        "compare-not-json",
        "missing",
        "compare {files}/not_json.json {files}/not_json.json",
        "not_json.json",
        "not the --json output of `inspectorate score`",
    ),
    case(
        "report-text-unknown-key",
        "lifecycle",
        "report text {scored} {files}/unknown_key.toml",
        "colour",
        "foreword",
    ),
    case(
        "report-text-malformed",
        "lifecycle",
        "report text {scored} {files}/malformed.toml",
        "malformed.toml",
        "TOML",
    ),
    case(
        "comments-empty-file",
        "lifecycle",
        "draft comments {draft} {files}/empty.txt",
        "empty",
        "comments",
    ),
    case(
        "synthetic-judgements-empty-sample",
        "missing",
        "synthetic judgements --sample {files}/empty.csv --framework iaow --out j.csv",
        "empty",
        "case_id",
    ),
    case(
        "plan-out-suffix",
        "missing",
        "programme plan esi --start 2003-04-01 --out plan.txt",
        "plan.txt",
        ".ics",
    ),
    case("export-out-suffix", "lifecycle", "programme export iaow --out x.txt", "x.txt", ".ics"),
    case(
        "report-format",
        "lifecycle",
        "report draft {scored} --format docx",
        "docx",
        "--format",
    ),
    case("report-lang", "lifecycle", "report letter {announced} --lang fr", "'fr'", "--lang"),
    # Settings that cannot work.
    case(
        "setting-not-a-number",
        "fresh",
        "inspection list",
        "INSPECTORATE_SMTP_PORT='twenty-five'",
        "correct it in the environment",
        env={"INSPECTORATE_SMTP_PORT": "twenty-five"},
    ),
    case(
        "setting-below-its-least",
        "fresh",
        f"{SCHEDULE} 2014-03-03",
        "INSPECTORATE_DATABASE_BUSY_TIMEOUT='-1'",
        "correct it in the environment",
        env={"INSPECTORATE_DATABASE_BUSY_TIMEOUT": "-1"},
    ),
    case(
        "report-formats-setting",
        "lifecycle",
        "inspection advance {planned} announce --as-of 2014-01-13",
        "INSPECTORATE_REPORT_FORMATS='doc'",
        "use html, pdf or html,pdf",
        env={"INSPECTORATE_REPORT_FORMATS": "doc"},
    ),
    case(
        "database-url-not-a-url",
        "missing",
        "inspection list",
        "not an SQLAlchemy URL",
        "INSPECTORATE_DATABASE_URL",
        env={"INSPECTORATE_DATABASE_URL": "record.db"},
    ),
    case(
        "database-in-unwritable-folder",
        "missing",
        "init",
        "/proc/inspectorate",
        "INSPECTORATE_DATABASE_URL",
        env={"INSPECTORATE_DATABASE_URL": "sqlite:////proc/inspectorate/record.db"},
    ),
    # A record another process holds locked, and one that cannot be reached.
    case(
        "locked-schedule",
        "locked",
        "inspection schedule Lancashire --programme iaow --fieldwork-start 2014-04-28 "
        "--as-of 2013-11-25",
        "the record is busy (locked by another process)",
        "try again",
    ),
    case(
        "locked-users-add",
        "locked",
        "users add zed --role manager --password-stdin",
        "the record is busy (locked by another process)",
        "try again",
        stdin="a long enough password\n",
    ),
    case(
        "locked-advance",
        "locked",
        "inspection advance {planned} cancel --why trust|merged",
        "the record is busy (locked by another process)",
        "try again",
    ),
    case(
        "locked-report-text",
        "locked",
        "report text {scored} {files}/unknown_key.toml",
        "colour",
        "foreword",
    ),
    case(
        "unreachable-list",
        "unreachable",
        "inspection list",
        "cannot use the database",
        "server is running",
    ),
    case("unreachable-init", "unreachable", "init", "cannot use the database", "server is running"),
    case(
        "unreachable-schedule",
        "unreachable",
        f"{SCHEDULE} 2014-03-03",
        "cannot use the database",
        "server is running",
    ),
    # Exports: refused before anything is read or written.
    case("exports-before-init", "missing", "export plan --output plan.xlsx", "no schema", INIT),
    case(
        "export-unknown-programme",
        "fresh",
        "export record --output record.xlsx --programme nope",
        "unknown programme 'nope'",
        "known programmes: apa",
    ),
    case(
        "export-impossible-date",
        "fresh",
        "export audit --output audit.csv --from 2014-02-31",
        "--from '2014-02-31' is not a date",
        DATE,
    ),
    case(
        "export-days-swapped",
        "fresh",
        "export audit --output audit.csv --from 2014-03-01 --to 2014-02-01",
        "is after the last day",
        "swap them",
    ),
    case(
        "export-folder-missing",
        "fresh",
        "export plan --output nowhere/plan.xlsx",
        "the folder nowhere does not exist",
        "create it first",
    ),
    case(
        "export-unknown-ending",
        "fresh",
        "export plan --output plan.txt",
        "a file ending in .xlsx or .csv",
        "--format",
    ),
    case(
        "export-over-the-record",
        "lifecycle",
        "export record --format csv --output record.db",
        "record.db already exists",
        "add --force to replace it",
    ),
    # Mistyped commands and values (click's usage errors).
    case("id-not-a-number", "lifecycle", "inspection show one", "'inspection_id'", "integer"),
    case("stage-unknown", "lifecycle", "inspection advance 1 fly", "'fly'", "select_sample"),
    case("command-unknown", "missing", "inspection frobnicate", "frobnicate", "--help"),
    case("option-missing", "fresh", "inspection schedule London", "--programme", "--help"),
    case(
        "quality-out-of-range",
        "missing",
        "synthetic judgements --sample {files}/caseload.csv --framework iaow --out j.csv "
        "--quality 2",
        "'--quality'",
        "less than or equal to 1",
    ),
]
