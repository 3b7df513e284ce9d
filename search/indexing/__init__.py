"""The Whoosh index on disk: schema, generations switched atomically, and `reindex`."""
