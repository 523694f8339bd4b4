"""Pure rules of the domain: values and `now` in, values out (no database, templates or I/O)."""
