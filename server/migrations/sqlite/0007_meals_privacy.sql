-- Meals: dietary data lives only in the elder's record. The first release also kept it
-- in the submitted meal_profile payloads; empty them there (the elder's record keeps
-- what was consented to, and withdrawing consent empties that too).
UPDATE submissions
   SET payload = json_set(payload, '$.needs', json('[]'), '$.allergies', json('[]'))
 WHERE kind = 'meal_profile';

-- Who gave or withdrew the separate consent, on whose word when staff recorded it.
ALTER TABLE elders ADD COLUMN consent_note TEXT NOT NULL DEFAULT '';
