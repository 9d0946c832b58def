"""Storage: the eventsourcing application, its recorders for SQLite and PostgreSQL, the index
and the read model's tables. The domain's model is written here and read back; nothing here
decides what a record means."""
