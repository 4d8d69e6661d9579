-- Per-channel engine state (VOD circuit breaker, timing averages, catalogue cursor, job
-- timestamps, cfg:<NAME> overrides).
CREATE TABLE kv (
    channel    TEXT NOT NULL DEFAULT '',
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, key)
);
