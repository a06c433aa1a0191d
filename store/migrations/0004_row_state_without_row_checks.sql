-- Row state loses its foreign key: checking it cost PostgreSQL a look-up and a row lock on the sync for every
-- row written, about as much as writing the row (bench/RESULTS.md "Object sync"). The writer now locks the sync
-- once per batch instead (store/row_state.cpp), which keeps a concurrent delete out just as the key did, and a
-- trigger does what ON DELETE CASCADE did.
ALTER TABLE hubsync.row_state DROP CONSTRAINT row_state_sync_id_fkey;

CREATE FUNCTION hubsync.delete_row_state_of_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM hubsync.row_state WHERE sync_id = OLD.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER syncs_delete_row_state AFTER DELETE ON hubsync.syncs
    FOR EACH ROW EXECUTE FUNCTION hubsync.delete_row_state_of_sync();
