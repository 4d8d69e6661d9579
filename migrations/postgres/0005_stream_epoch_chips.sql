-- The distinct chips (tag ids) seen in a stream's current epoch, added by the ingest in its
-- transaction, and their count in stream_metrics: unique_chips without counting the epoch's
-- events on every metrics read (that is O(rows) and ran every few hundred milliseconds). The
-- count restarts when the epoch advances; rows of earlier epochs are no longer read. Cascades
-- from stream_metrics, so the runbook's retention delete (metrics row first) restarts both
-- together; deferred, as the ingest adds chips before it re-creates a deleted metrics row.
CREATE TABLE stream_epoch_chips (
    stream_id    UUID NOT NULL REFERENCES stream_metrics (stream_id) ON DELETE CASCADE
                 DEFERRABLE INITIALLY DEFERRED,
    stream_epoch BIGINT NOT NULL,
    tag_id       TEXT NOT NULL,
    PRIMARY KEY (stream_id, stream_epoch, tag_id)
);
ALTER TABLE stream_metrics ADD COLUMN epoch_unique_chips BIGINT NOT NULL DEFAULT 0;

INSERT INTO stream_epoch_chips (stream_id, stream_epoch, tag_id)
SELECT DISTINCT e.stream_id, e.stream_epoch, e.tag_id
FROM events e
JOIN streams s ON s.stream_id = e.stream_id AND s.stream_epoch = e.stream_epoch
JOIN stream_metrics m ON m.stream_id = e.stream_id
WHERE e.tag_id IS NOT NULL;
UPDATE stream_metrics SET epoch_unique_chips = (
    SELECT COUNT(*) FROM stream_epoch_chips c
    JOIN streams s ON s.stream_id = c.stream_id AND s.stream_epoch = c.stream_epoch
    WHERE c.stream_id = stream_metrics.stream_id);
