"""Use cases over the record: one function, one transaction."""
