-- Per-channel engine state (VOD circuit breaker, timing averages, catalogue cursor, job
-- timestamps, cfg:<NAME> overrides). Timestamps are ISO 8601 UTC text with milliseconds.
CREATE TABLE kv (
    channel    TEXT NOT NULL DEFAULT '',
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (channel, key)
);
