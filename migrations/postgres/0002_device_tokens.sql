-- Relay device tokens, column for column as the reference server's schema, so the runbook's
-- SQL keeps working ("verify token hash in device_tokens": token_hash = sha256('<token>')).
-- Only the unsalted SHA-256 of a token is stored; revoked_at NULL means active.
CREATE TABLE device_tokens (
    token_id    UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash  BYTEA NOT NULL UNIQUE,
    device_type TEXT NOT NULL CHECK (device_type IN ('forwarder', 'receiver')),
    device_id   TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);
