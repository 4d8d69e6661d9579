-- The VOD queue: one row per Twitch VOD with an explicit state machine (VodTransitions in the
-- engine), separate download and upload attempt counters, next_attempt_at for retries and caps,
-- uploaded_at for the daily upload caps, the resumable upload's session, and a lease so several
-- daemons on one database never work on the same VOD (claims use FOR UPDATE SKIP LOCKED). The
-- runbook's columns (processed, processing_error, youtube_url, download_state) keep their names
-- so its SQL runs unchanged.
CREATE TABLE vods (
    id                  BIGSERIAL PRIMARY KEY,
    twitch_vod_id       TEXT NOT NULL UNIQUE,
    channel             TEXT NOT NULL DEFAULT '',
    title               TEXT NOT NULL DEFAULT '',
    date                TIMESTAMPTZ NOT NULL,
    duration_seconds    INTEGER NOT NULL DEFAULT 0,
    state               TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'downloading',
                        'downloaded', 'uploading', 'done', 'done_no_upload', 'failed_retry',
                        'failed_terminal', 'canceled', 'throttled')),
    priority            INTEGER NOT NULL DEFAULT 0,
    skip_upload         BOOLEAN NOT NULL DEFAULT FALSE,
    description         TEXT,
    download_attempts   INTEGER NOT NULL DEFAULT 0,
    upload_attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TIMESTAMPTZ,
    download_state      TEXT,
    download_bytes      BIGINT NOT NULL DEFAULT 0,
    download_total      BIGINT NOT NULL DEFAULT 0,
    progress_updated_at TIMESTAMPTZ,
    downloaded_path     TEXT,
    upload_session_uri  TEXT,
    upload_offset       BIGINT NOT NULL DEFAULT 0,
    uploaded_at         TIMESTAMPTZ,
    youtube_url         TEXT,
    -- 1 exactly for done and done_no_upload (the triggers below keep it so). INTEGER rather
    -- than BOOLEAN so the runbook's `processed=0` works (a BOOLEAN refuses the integer).
    processed           INTEGER NOT NULL DEFAULT 0 CHECK (processed IN (0, 1)),
    processing_error    TEXT,
    lease_owner         TEXT,
    lease_expires_at    TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
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
    id            BIGSERIAL PRIMARY KEY,
    vod_id        BIGINT NOT NULL REFERENCES vods (id) ON DELETE CASCADE,
    twitch_vod_id TEXT NOT NULL,
    channel       TEXT NOT NULL,
    from_state    TEXT NOT NULL,
    to_state      TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    actor         TEXT NOT NULL DEFAULT '',
    changed_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_vod_transitions_vod ON vod_transitions (vod_id, id);

-- The engine writes state and never processed; this derives processed from it.
CREATE FUNCTION vods_state_sets_processed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.processed := CASE WHEN NEW.state IN ('done', 'done_no_upload') THEN 1 ELSE 0 END;
    RETURN NEW;
END
$$;

-- The runbook's reset, `UPDATE vods SET processed=0, processing_error=NULL, youtube_url=NULL
-- WHERE twitch_vod_id='...'`, re-queues the VOD from any state: attempts, the retry time, the
-- download state and the upload session start afresh. A lease is left to run out, so a worker
-- still busy with the row notices (its renewal fails) before anyone claims it again.
-- `processed=1` by hand marks the VOD finished: done when it has a YouTube URL.
CREATE FUNCTION vods_processed_sets_state() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target TEXT;
    why    TEXT;
BEGIN
    IF NEW.processed = 0 THEN
        target := 'queued';
        why := 'reset: processed set to 0';
        NEW.download_attempts := 0;
        NEW.upload_attempts := 0;
        NEW.next_attempt_at := NULL;
        NEW.download_state := NULL;
        NEW.upload_session_uri := NULL;
        NEW.upload_offset := 0;
    ELSIF NEW.state IN ('done', 'done_no_upload') THEN
        RETURN NEW;
    ELSE
        target := CASE WHEN COALESCE(NEW.youtube_url, '') <> '' THEN 'done'
                       ELSE 'done_no_upload' END;
        why := 'processed set to 1';
        NEW.next_attempt_at := NULL;
    END IF;
    IF NEW.state <> target THEN
        INSERT INTO vod_transitions (vod_id, twitch_vod_id, channel, from_state, to_state,
                                     reason, actor)
        VALUES (NEW.id, NEW.twitch_vod_id, NEW.channel, NEW.state, target, why, 'sql');
    END IF;
    NEW.state := target;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

-- Triggers of one event fire in name order: when a statement sets both columns, the state
-- derived from processed comes first and processed is then derived from that state.
CREATE TRIGGER vods_a_processed_sets_state BEFORE UPDATE OF processed ON vods
    FOR EACH ROW EXECUTE FUNCTION vods_processed_sets_state();
CREATE TRIGGER vods_b_state_sets_processed BEFORE UPDATE OF state ON vods
    FOR EACH ROW EXECUTE FUNCTION vods_state_sets_processed();
