-- Recorded Twitch chat and the live sessions it was recorded under. The columns of the existing
-- service's chat_messages are kept (research §2), plus the message id (de-duplication), user id
-- and display name. There is no foreign key to vods: live chat is stored under the session's
-- placeholder id "live-<started_at unix>" until reconciliation moves it to the archived VOD.
-- Timestamps are ISO 8601 UTC text with milliseconds.
CREATE TABLE chat_messages (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    channel           TEXT NOT NULL DEFAULT '',
    vod_id            TEXT NOT NULL,
    message_id        TEXT,
    user_id           TEXT,
    username          TEXT,
    display_name      TEXT,
    message           TEXT,
    abs_timestamp     TEXT NOT NULL,
    rel_timestamp     REAL NOT NULL,
    badges            TEXT,
    emotes            TEXT,
    color             TEXT,
    reply_to_id       TEXT,
    reply_to_username TEXT,
    reply_to_message  TEXT,
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
-- NULL message ids (servers that send no tags) never collide.
CREATE UNIQUE INDEX idx_chat_messages_channel_message_id ON chat_messages (channel, message_id);
CREATE INDEX idx_chat_vod_rel ON chat_messages (vod_id, rel_timestamp);
CREATE INDEX idx_chat_messages_channel_vod ON chat_messages (channel, vod_id);

-- One row per broadcast recorded in auto mode. Kept apart from vods so a live session never
-- enters the download queue; reconciled_vod_id names the archive its chat was moved to.
CREATE TABLE live_sessions (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    channel           TEXT NOT NULL,
    placeholder_id    TEXT NOT NULL,
    started_at        TEXT NOT NULL,
    title             TEXT NOT NULL DEFAULT '',
    ended_at          TEXT,
    reconciled_vod_id TEXT,
    reconciled_at     TEXT,
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (channel, placeholder_id)
);
