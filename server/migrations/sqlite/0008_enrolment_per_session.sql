-- A second factor being enrolled belongs to the session that shows it: someone who
-- knows only an account's password must not be shown the secret its owner is about to
-- enrol. Secrets of enrolments begun but not finished are dropped; those accounts are
-- shown a new one at their next sign-in.
ALTER TABLE sessions ADD COLUMN totp_pending TEXT;
UPDATE staff SET totp_secret = NULL WHERE totp_enabled_at IS NULL;
