-- Meals: dietary data lives only in the elder's record, an order's note only in its
-- meal_orders row. The first release also kept them in the submitted payloads; empty
-- them there (consent withdrawal and erasure reach the meals tables).
UPDATE submissions
   SET payload = json_set(payload, '$.needs', json('[]'), '$.allergies', json('[]'))
 WHERE kind = 'meal_profile';
UPDATE submissions
   SET payload = json_set(payload, '$.note', '')
 WHERE kind = 'meal_order';

-- Who gave or withdrew the separate consent, on whose word when staff recorded it.
ALTER TABLE elders ADD COLUMN consent_note TEXT NOT NULL DEFAULT '';
