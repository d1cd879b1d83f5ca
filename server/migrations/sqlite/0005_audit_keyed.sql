-- The audit chain is keyed from now on (HMAC-SHA256 with the server key file). Entries
-- already written keep their plain SHA-256 hashes (scheme 0); the key file records
-- the first keyed entry, so none later may be plain.
ALTER TABLE audit_log ADD COLUMN scheme INTEGER NOT NULL DEFAULT 0;
