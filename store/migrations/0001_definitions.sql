-- Definitions (sources, destinations, models, syncs), runs and their row errors.
CREATE TABLE hubsync.sources (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    type        text NOT NULL,
    config      jsonb NOT NULL,          -- redacted: safe to return
    secret      text NOT NULL,           -- sealed (AES-256-GCM) full configuration
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE hubsync.destinations (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL UNIQUE,
    type         text NOT NULL,
    config       jsonb NOT NULL,         -- non-secret settings (base_url, ...)
    secret       text,                   -- sealed JSON of credentials
    auth_method  text NOT NULL,
    hub_id       bigint,
    scopes       jsonb NOT NULL DEFAULT '[]',
    status       text NOT NULL DEFAULT 'ok',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE hubsync.models (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL UNIQUE,
    source_id    bigint NOT NULL REFERENCES hubsync.sources (id) ON DELETE RESTRICT,
    sql          text NOT NULL,
    primary_key  text NOT NULL,
    columns      jsonb NOT NULL DEFAULT '[]',  -- as last seen by a check or preview
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX models_source_idx ON hubsync.models (source_id);

CREATE TABLE hubsync.syncs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    model_id        bigint NOT NULL REFERENCES hubsync.models (id) ON DELETE RESTRICT,
    destination_id  bigint NOT NULL REFERENCES hubsync.destinations (id) ON DELETE RESTRICT,
    type            text NOT NULL,
    config          jsonb NOT NULL,
    schedule        jsonb NOT NULL,
    enabled         boolean NOT NULL DEFAULT true,
    warnings        jsonb NOT NULL DEFAULT '[]',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX syncs_model_idx ON hubsync.syncs (model_id);
CREATE INDEX syncs_destination_idx ON hubsync.syncs (destination_id);

CREATE TABLE hubsync.runs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sync_id      bigint NOT NULL REFERENCES hubsync.syncs (id) ON DELETE CASCADE,
    status       text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled')),
    options      jsonb NOT NULL DEFAULT '{}',
    dry_run      boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz,
    planned      jsonb NOT NULL DEFAULT '{"added":0,"changed":0,"removed":0,"unchanged":0}',
    succeeded    jsonb NOT NULL DEFAULT '{"added":0,"changed":0,"removed":0}',
    failed       jsonb NOT NULL DEFAULT '{"added":0,"changed":0,"removed":0}',
    api_calls    bigint NOT NULL DEFAULT 0,
    error        text,
    extra        jsonb NOT NULL DEFAULT '{}'   -- dry-run projection and sample, warnings
);
CREATE INDEX runs_sync_idx ON hubsync.runs (sync_id, id DESC);
CREATE INDEX runs_active_idx ON hubsync.runs (status) WHERE status IN ('queued', 'running');

CREATE TABLE hubsync.run_errors (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id       bigint NOT NULL REFERENCES hubsync.runs (id) ON DELETE CASCADE,
    primary_key  text,
    category     text NOT NULL,
    message      text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX run_errors_run_idx ON hubsync.run_errors (run_id, id);
