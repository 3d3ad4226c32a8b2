-- ============================================ inbound texts recorded together (group commit)
-- Texts that reach a server while its previous batch is being written go in the next statement
-- together (sync-server/telephony/text-intake.ts): one round trip and one commit for many, where a
-- socket write to the database was most of the server's work per text. Each text is recorded as
-- by record_inbound_text, in a block of its own, so one that fails (its row: `failure`) does not
-- undo the others. Taken in business, sender and MessageSid order, so two batches lock in the same
-- order and cannot deadlock each other. `ord` is the text's 1-based place in `texts`; a text to a
-- number no business has gets no row.
CREATE OR REPLACE FUNCTION record_inbound_texts(texts jsonb)
RETURNS TABLE (ord int, text_id uuid, text_lead_id uuid, recorded_now boolean,
               number_id uuid, number_business uuid, number_phone text, number_source text,
               number_campaign uuid, number_forward_to text, number_business_name text,
               number_zone text, failure text)
AS $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT e.ordinality::int AS i, e.value AS v
      FROM jsonb_array_elements(texts) WITH ORDINALITY AS e
      LEFT JOIN tracking_numbers tn ON tn.phone_number = e.value->>'to' AND tn.active
     ORDER BY tn.user_id, e.value->>'from', e.value->>'sid', e.ordinality
  LOOP
    BEGIN
      RETURN QUERY
        SELECT t.i, r.text_id, r.text_lead_id, r.recorded_now, r.number_id, r.number_business,
               r.number_phone, r.number_source, r.number_campaign, r.number_forward_to,
               r.number_business_name, r.number_zone, NULL::text
          FROM record_inbound_text(t.v->>'sid', t.v->>'from', t.v->>'to', t.v->>'body',
                                   t.v->>'intent', t.v->>'how', t.v->>'matched') AS r;
    EXCEPTION WHEN OTHERS THEN
      RETURN QUERY
        SELECT t.i, NULL::uuid, NULL::uuid, NULL::boolean, NULL::uuid, NULL::uuid, NULL::text,
               NULL::text, NULL::uuid, NULL::text, NULL::text, NULL::text,
               SQLSTATE || ': ' || SQLERRM;
    END;
  END LOOP;
END;
$$ LANGUAGE plpgsql;
