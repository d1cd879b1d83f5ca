-- A notice's picture (the path the app reads it at; the bytes are in `assets`) and the
-- text of an attachment (附件), Chinese and optional English (issue 10).
ALTER TABLE notices ADD COLUMN image TEXT;
ALTER TABLE notices ADD COLUMN attachment_zh TEXT;
ALTER TABLE notices ADD COLUMN attachment_en TEXT;
