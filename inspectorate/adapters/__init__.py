"""One I/O concern each: the record, documents, mail, calendars, settings and the clock."""
