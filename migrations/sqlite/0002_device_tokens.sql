-- Relay device tokens, column for column as the reference server's schema. token_id is a UUID
-- in text form (the engine generates it); only the unsalted SHA-256 of a token is stored;
-- revoked_at NULL means active. Timestamps are ISO 8601 UTC text with milliseconds.
CREATE TABLE device_tokens (
    token_id    TEXT PRIMARY KEY,
    token_hash  BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    device_type TEXT NOT NULL CHECK (device_type IN ('forwarder', 'receiver')),
    device_id   TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    revoked_at  TEXT
);
