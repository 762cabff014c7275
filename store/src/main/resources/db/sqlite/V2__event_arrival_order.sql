-- On SQLite, V1 already gives ticket_event its arrival order (seq): nothing to do. The version is kept so that
-- the two migration sets stay numbered alike.
SELECT 1;
