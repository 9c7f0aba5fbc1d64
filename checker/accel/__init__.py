"""Only for speed, and optional: runners with forked workers, the worker pool, the cache (imported by api only)."""
