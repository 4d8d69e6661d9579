-- OAuth tokens of the VOD engine (YouTube upload, Twitch user login), one row per provider and
-- channel ('' is the token every channel shares). Column for column as vod-tender's table, so
-- its rows can be copied over: with encryption_version 1 the three token columns hold
-- base64(nonce || AES-256-GCM ciphertext || tag) under ENCRYPTION_KEY (key id 'default'); with
-- 0 they are plaintext. Empty strings are never encrypted.
CREATE TABLE oauth_tokens (
    provider           TEXT NOT NULL,
    channel            TEXT NOT NULL DEFAULT '',
    access_token       TEXT NOT NULL DEFAULT '',
    refresh_token      TEXT NOT NULL DEFAULT '',
    scope              TEXT NOT NULL DEFAULT '',
    expires_at         TIMESTAMPTZ,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    encryption_version INTEGER NOT NULL DEFAULT 0 CHECK (encryption_version IN (0, 1)),
    encryption_key_id  TEXT,
    PRIMARY KEY (provider, channel)
);
