-- The VOD queue: one row per Twitch VOD with an explicit state machine (VodTransitions in the
-- engine), separate download and upload attempt counters, next_attempt_at for retries and caps,
-- uploaded_at for the daily upload caps, the resumable upload's session, and a lease so several
-- daemons on one database never work on the same VOD. The runbook's columns (processed,
-- processing_error, youtube_url, download_state) keep their names so its SQL runs unchanged.
-- Timestamps are ISO 8601 UTC text with milliseconds.
CREATE TABLE vods (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    twitch_vod_id       TEXT NOT NULL UNIQUE,
    channel             TEXT NOT NULL DEFAULT '',
    title               TEXT NOT NULL DEFAULT '',
    date                TEXT NOT NULL,
    duration_seconds    INTEGER NOT NULL DEFAULT 0,
    state               TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'downloading',
                        'downloaded', 'uploading', 'done', 'done_no_upload', 'failed_retry',
                        'failed_terminal', 'canceled', 'throttled')),
    priority            INTEGER NOT NULL DEFAULT 0,
    skip_upload         BOOLEAN NOT NULL DEFAULT FALSE,
    description         TEXT,
    download_attempts   INTEGER NOT NULL DEFAULT 0,
    upload_attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TEXT,
    download_state      TEXT,
    download_bytes      BIGINT NOT NULL DEFAULT 0,
    download_total      BIGINT NOT NULL DEFAULT 0,
    progress_updated_at TEXT,
    downloaded_path     TEXT,
    upload_session_uri  TEXT,
    upload_offset       BIGINT NOT NULL DEFAULT 0,
    uploaded_at         TEXT,
    youtube_url         TEXT,
    -- 1 exactly for done and done_no_upload (the triggers below keep it so). INTEGER rather
    -- than BOOLEAN so the runbook's `processed=0` works on both dialects.
    processed           INTEGER NOT NULL DEFAULT 0 CHECK (processed IN (0, 1)),
    processing_error    TEXT,
    lease_owner         TEXT,
    lease_expires_at    TEXT,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
-- The claim: a channel's pending rows by priority, then oldest first. The predicate lists the
-- pending states exactly as the claim query does, so the planner may use it.
CREATE INDEX idx_vods_claim ON vods (channel, priority DESC, date)
    WHERE state IN ('queued', 'failed_retry', 'throttled', 'downloading', 'downloaded',
                    'uploading');
CREATE INDEX idx_vods_channel_date ON vods (channel, date DESC);
CREATE INDEX idx_vods_channel_uploaded ON vods (channel, uploaded_at)
    WHERE uploaded_at IS NOT NULL;

-- One audit row per state change: from the engine (actor = the lease owner or "operator") and
-- from the reset trigger (actor "sql").
CREATE TABLE vod_transitions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    vod_id        INTEGER NOT NULL REFERENCES vods (id) ON DELETE CASCADE,
    twitch_vod_id TEXT NOT NULL,
    channel       TEXT NOT NULL,
    from_state    TEXT NOT NULL,
    to_state      TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    actor         TEXT NOT NULL DEFAULT '',
    changed_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX idx_vod_transitions_vod ON vod_transitions (vod_id, id);

-- The engine writes state and never processed; this derives processed from it.
CREATE TRIGGER vods_state_sets_processed AFTER UPDATE OF state ON vods
WHEN NEW.processed <> (NEW.state IN ('done', 'done_no_upload'))
BEGIN
    UPDATE vods SET processed = (NEW.state IN ('done', 'done_no_upload')) WHERE id = NEW.id;
END;

-- The runbook's reset, `UPDATE vods SET processed=0, processing_error=NULL, youtube_url=NULL
-- WHERE twitch_vod_id='...'`, re-queues the VOD from any state: attempts, the retry time, the
-- download state and the upload session start afresh. A lease is left to run out, so a worker
-- still busy with the row notices (its renewal fails) before anyone claims it again.
CREATE TRIGGER vods_processed_reset AFTER UPDATE OF processed ON vods
WHEN NEW.processed = 0
BEGIN
    INSERT INTO vod_transitions (vod_id, twitch_vod_id, channel, from_state, to_state, reason,
                                 actor)
    SELECT NEW.id, NEW.twitch_vod_id, NEW.channel, NEW.state, 'queued',
           'reset: processed set to 0', 'sql'
    WHERE NEW.state <> 'queued';
    UPDATE vods SET state = 'queued', download_attempts = 0, upload_attempts = 0,
                    next_attempt_at = NULL, download_state = NULL, upload_session_uri = NULL,
                    upload_offset = 0,
                    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE id = NEW.id;
END;

-- `processed=1` by hand marks the VOD finished: done when it has a YouTube URL.
CREATE TRIGGER vods_processed_done AFTER UPDATE OF processed ON vods
WHEN NEW.processed = 1 AND NEW.state NOT IN ('done', 'done_no_upload')
BEGIN
    INSERT INTO vod_transitions (vod_id, twitch_vod_id, channel, from_state, to_state, reason,
                                 actor)
    VALUES (NEW.id, NEW.twitch_vod_id, NEW.channel, NEW.state,
            CASE WHEN COALESCE(NEW.youtube_url, '') <> '' THEN 'done' ELSE 'done_no_upload' END,
            'processed set to 1', 'sql');
    UPDATE vods SET state = CASE WHEN COALESCE(NEW.youtube_url, '') <> '' THEN 'done'
                                 ELSE 'done_no_upload' END,
                    next_attempt_at = NULL,
                    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE id = NEW.id;
END;
