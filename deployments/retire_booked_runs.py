"""Cancel the stage runs that announcing used to book ahead: the daily sweep takes them now.

`make deploy` runs it after applying the deployments, so a server upgraded from a version
that booked a run per later stage of each inspection keeps no run that would act on a day
the sweep has already handled, or on an old day after a reschedule. Running it again finds
nothing to cancel.
"""

from __future__ import annotations

import os
import sys

from tasks.timers import retire_all_booked_runs

if __name__ == "__main__":
    try:
        cancelled = retire_all_booked_runs()
    except Exception as error:  # the server away, or another API: say so in one line
        where = os.environ.get("PREFECT_API_URL") or "no PREFECT_API_URL set"
        said = f"error: booked runs not retired ({where}): {error}; start the server, rerun"
        print(said, file=sys.stderr)
        sys.exit(2)
    print(f"Stage runs booked ahead and cancelled (the sweep takes them): {cancelled}")
