"""Reviewing cleaning decisions: a self-contained review page made from a TEI master, and the
corrections file it saves written back into the master (`kzarchive review`, `kzarchive apply`)."""
