-- Single-use, expiring OAuth `state` values, each bound to the destination being authorized.
CREATE TABLE hubsync.oauth_states (
    state           text PRIMARY KEY,
    destination_id  bigint NOT NULL REFERENCES hubsync.destinations (id) ON DELETE CASCADE,
    expires_at      timestamptz NOT NULL
);
