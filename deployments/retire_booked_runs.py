"""Cancel the stage runs that announcing used to book ahead: the daily sweep takes them now.

`make deploy` runs it after applying the deployments, so a server upgraded from a version
that booked a run per later stage of each inspection keeps no run that would act on a day
the sweep has already handled, or on an old day after a reschedule. Running it again finds
nothing to cancel.
"""

from __future__ import annotations

from tasks.timers import retire_all_booked_runs

if __name__ == "__main__":
    cancelled = retire_all_booked_runs()
    print(f"Stage runs booked ahead and cancelled (the sweep takes them): {cancelled}")
