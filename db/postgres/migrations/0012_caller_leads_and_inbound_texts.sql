-- ============================================ a caller's lead, and an inbound text, in one round trip
-- A Twilio webhook was one transaction of about eleven statements (BEGIN, the tracking number, a
-- lock on the MessageSid, the replay check, a lock on the caller, their open lead, the reply
-- stamp, the INSERT, COMMIT), and on a machine where a socket write costs a tenth of a
-- millisecond, sending them was most of the server's work per text. These functions do the same
-- in one statement (sync-server/telephony/texts.ts and leads.ts call them).

-- The business's newest open lead for a phone (E.164), if it has one. A finished job (completed or
-- lost) is history: calling again is new work.
CREATE OR REPLACE FUNCTION open_lead_of(business uuid, caller_phone text)
RETURNS uuid AS $$
  SELECT id FROM leads
   WHERE user_id = business AND customer_phone = caller_phone
     AND status NOT IN ('completed', 'lost')
   ORDER BY created_at DESC
   LIMIT 1
$$ LANGUAGE sql STABLE;
--> statement-breakpoint

-- The lead a caller's call or text belongs to: their open lead, else a new one from `source`.
-- Serialised per business and phone (to the end of the transaction), so two simultaneous first
-- calls do not make two leads.
CREATE OR REPLACE FUNCTION lead_for_caller(business uuid, caller_phone text, source text,
                                           OUT lead_id uuid, OUT created boolean)
AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('lead:' || business || ':' || caller_phone, 0));
  lead_id := open_lead_of(business, caller_phone);
  created := lead_id IS NULL;
  IF created THEN
    INSERT INTO leads (user_id, customer_phone, source, status)
      VALUES (business, caller_phone, source, 'new')
      RETURNING id INTO lead_id;
  END IF;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint

-- Records a text to one of a business's numbers, once per MessageSid: threaded to the sender's open
-- lead (a new lead, unless the text only says stop: `intent` is what the server read of consent),
-- as a reply to the business's last text to that number (whose replied_at is stamped), and applies
-- an opt-out or opt-in to the business's suppression list. No row when no business has the number;
-- `is_new` false for a replay of a text already recorded.
CREATE OR REPLACE FUNCTION record_inbound_text(
  p_message_sid text, p_from text, p_to text, p_body text,
  p_intent text, p_how text, p_matched text)
RETURNS TABLE (text_id uuid, text_lead_id uuid, recorded_now boolean,
               number_id uuid, number_business uuid, number_phone text, number_source text,
               number_campaign uuid, number_forward_to text, number_business_name text,
               number_zone text)
AS $$
DECLARE
  tn record;
  known record;
  lead uuid;
  replied_to uuid;
  recorded uuid;
BEGIN
  SELECT t.id, t.user_id, t.phone_number::text AS phone_number, t.lead_source::text AS lead_source,
         t.campaign_id, coalesce(t.forward_to, u.primary_phone)::text AS forward_to,
         u.business_name::text AS business_name, u.timezone::text AS timezone
    INTO tn
    FROM tracking_numbers t JOIN users u ON u.id = t.user_id
   WHERE t.phone_number = p_to AND t.active AND u.status = 'active';
  IF NOT FOUND THEN
    RETURN;
  END IF;

  PERFORM pg_advisory_xact_lock(hashtextextended(p_message_sid, 0));
  SELECT s.id, s.lead_id INTO known
    FROM sms_logs s
   WHERE s.provider = 'twilio' AND s.provider_message_id = p_message_sid;
  IF FOUND THEN
    RETURN QUERY SELECT known.id, known.lead_id, false, tn.id, tn.user_id, tn.phone_number,
                        tn.lead_source, tn.campaign_id, tn.forward_to, tn.business_name,
                        tn.timezone;
    RETURN;
  END IF;

  IF p_intent = 'opt_out' THEN
    lead := open_lead_of(tn.user_id, p_from);
  ELSE
    SELECT c.lead_id INTO lead FROM lead_for_caller(tn.user_id, p_from, tn.lead_source) c;
  END IF;
  UPDATE sms_logs SET replied_at = coalesce(replied_at, now())
   WHERE id = (SELECT s.id FROM sms_logs s
                WHERE s.user_id = tn.user_id AND s.direction = 'outbound' AND s.to_phone = p_from
                ORDER BY s.created_at DESC, s.id DESC LIMIT 1)
   RETURNING id INTO replied_to;
  INSERT INTO sms_logs (user_id, lead_id, direction, from_phone, to_phone, message_text, status,
                        reply_to_sms_id, provider, provider_message_id)
    VALUES (tn.user_id, lead, 'inbound', p_from, p_to, p_body, 'received', replied_to, 'twilio',
            p_message_sid)
    RETURNING id INTO recorded;

  IF p_intent = 'opt_out' THEN
    INSERT INTO sms_suppressions (user_id, phone, reason, matched, source_sms_id)
      VALUES (tn.user_id, p_from, coalesce(p_how, 'keyword'), p_matched, recorded)
      ON CONFLICT (user_id, phone) DO UPDATE
        SET reason = excluded.reason, matched = excluded.matched,
            source_sms_id = excluded.source_sms_id, lifted_at = NULL;
  ELSIF p_intent = 'opt_in' THEN
    -- Only someone who opted out can opt back in; a "yes" confirming a visit changes nothing.
    UPDATE sms_suppressions SET lifted_at = now()
     WHERE user_id = tn.user_id AND phone = p_from AND lifted_at IS NULL;
  END IF;

  RETURN QUERY SELECT recorded, lead, true, tn.id, tn.user_id, tn.phone_number, tn.lead_source,
                      tn.campaign_id, tn.forward_to, tn.business_name, tn.timezone;
END;
$$ LANGUAGE plpgsql;
