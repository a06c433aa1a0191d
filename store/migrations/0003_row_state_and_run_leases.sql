-- Row state: per sync and primary key, what HubSpot last acknowledged. A row's baseline (hash) advances only
-- when HubSpot acknowledged it, so a crash at any moment loses nothing: the next run plans it again.
CREATE TABLE hubsync.row_state (
    sync_id      bigint NOT NULL REFERENCES hubsync.syncs (id) ON DELETE CASCADE,
    pk           text COLLATE "C" NOT NULL,   -- byte order, the order the planner merges in
    hash         bigint,                      -- of the mapped values last acknowledged; NULL: never acknowledged
    hubspot_id   text,                        -- the record, once known
    status       text NOT NULL CHECK (status IN ('synced', 'failed', 'pending')),
    attempts     integer NOT NULL DEFAULT 0,  -- consecutive failures
    last_error   text,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sync_id, pk)
);

-- Runs are claimed by one daemon, which keeps a lease alive while it works; a run whose lease ran out belongs to
-- a daemon that died and is failed and queued again by whoever notices.
ALTER TABLE hubsync.runs
    ADD COLUMN owner            text,
    ADD COLUMN heartbeat_at     timestamptz,
    ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false;

-- One running and one queued run per sync at most: a trigger during a run queues one run behind it.
CREATE UNIQUE INDEX runs_one_running_idx ON hubsync.runs (sync_id) WHERE status = 'running';
CREATE UNIQUE INDEX runs_one_queued_idx ON hubsync.runs (sync_id) WHERE status = 'queued';
