-- OAuth tokens of the VOD engine (YouTube upload, Twitch user login), one row per provider and
-- channel ('' is the token every channel shares). Column for column as vod-tender's table, so
-- its rows can be copied over: with encryption_version 1 the three token columns hold
-- base64(nonce || AES-256-GCM ciphertext || tag) under ENCRYPTION_KEY (key id 'default'); with
-- 0 they are plaintext. Empty strings are never encrypted. Timestamps are ISO 8601 UTC text
-- with milliseconds.
CREATE TABLE oauth_tokens (
    provider           TEXT NOT NULL,
    channel            TEXT NOT NULL DEFAULT '',
    access_token       TEXT NOT NULL DEFAULT '',
    refresh_token      TEXT NOT NULL DEFAULT '',
    scope              TEXT NOT NULL DEFAULT '',
    expires_at         TEXT,
    updated_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    encryption_version INTEGER NOT NULL DEFAULT 0 CHECK (encryption_version IN (0, 1)),
    encryption_key_id  TEXT,
    PRIMARY KEY (provider, channel)
);
