-- Operator-given names of a stream's epochs (e.g. "Heat 2"), as the existing relay server keeps
-- them. A row exists only while the epoch has a name; clearing the name deletes it.
CREATE TABLE stream_epoch_metadata (
    stream_id    TEXT NOT NULL REFERENCES streams (stream_id) ON DELETE CASCADE,
    stream_epoch BIGINT NOT NULL,
    name         TEXT,
    PRIMARY KEY (stream_id, stream_epoch)
);
