CREATE TABLE `desktop_marks` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `inbox_reads` (
	`lead_id` text PRIMARY KEY NOT NULL,
	`read_at` text NOT NULL,
	CONSTRAINT "inbox_reads_read_at_check" CHECK("read_at" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z')
);
--> statement-breakpoint
CREATE INDEX `idx_call_logs_missed_created_at` ON `call_logs` (("call_direction" = 'inbound' AND ("call_status" = 'no_answer' OR "call_status" = 'busy' OR "call_status" = 'voicemail' OR "call_status" = 'failed')),`created_at`);--> statement-breakpoint
CREATE INDEX `idx_leads_status_created_at` ON `leads` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `idx_leads_updated_at` ON `leads` (`updated_at`);--> statement-breakpoint
CREATE INDEX `idx_leads_status_updated_at` ON `leads` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `idx_leads_customer_name` ON `leads` ("customer_name" COLLATE NOCASE);--> statement-breakpoint
CREATE INDEX `idx_leads_status_customer_name` ON `leads` (`status`,"customer_name" COLLATE NOCASE);--> statement-breakpoint
CREATE INDEX `idx_leads_urgency_rank` ON `leads` ((CASE "urgency" WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END),`created_at`);--> statement-breakpoint
CREATE INDEX `idx_leads_status_urgency_rank` ON `leads` (`status`,(CASE "urgency" WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END),`created_at`);--> statement-breakpoint
CREATE INDEX `idx_leads_service_type` ON `leads` (`service_type`);--> statement-breakpoint
CREATE INDEX `idx_leads_status_filters` ON `leads` (`status`,`source`,`urgency`,`service_type`,`created_at`);--> statement-breakpoint
-- Search as you type over leads (electron/core/queries/search.ts): an external-content FTS5 index
-- whose content is the view below, so it stores no second copy of the text. A phone is indexed as
-- every suffix of its digits ("15125551234 5125551234 125551234 …"): a prefix query on them finds
-- any run of digits the person types. The index addresses leads by rowid, which VACUUM may
-- renumber (leads has no INTEGER PRIMARY KEY): after a VACUUM, run the 'rebuild' command.
CREATE VIEW `leads_search_source` AS
  SELECT rowid AS lead_rowid, customer_name, description,
         trim(substr(customer_phone, 2)||' '||substr(customer_phone, 3)||' '||substr(customer_phone, 4)||' '||substr(customer_phone, 5)||' '||substr(customer_phone, 6)||' '||substr(customer_phone, 7)||' '||substr(customer_phone, 8)||' '||substr(customer_phone, 9)||' '||substr(customer_phone, 10)||' '||substr(customer_phone, 11)||' '||substr(customer_phone, 12)||' '||substr(customer_phone, 13)||' '||substr(customer_phone, 14)||' '||substr(customer_phone, 15)||' '||substr(customer_phone, 16)) AS phone_digits
    FROM leads;--> statement-breakpoint
CREATE VIRTUAL TABLE `leads_search` USING fts5(
  customer_name, description, phone_digits,
  content = 'leads_search_source', content_rowid = 'lead_rowid',
  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);--> statement-breakpoint
-- Kept up to date row by row, except while a large snapshot loads: db/replica/deferred-indexes.ts
-- sets these triggers aside with the table's indexes and rebuilds the index once at the end.
CREATE TRIGGER `leads_search_insert` AFTER INSERT ON `leads` BEGIN
  INSERT INTO leads_search (rowid, customer_name, description, phone_digits)
  VALUES (new.rowid, new.customer_name, new.description, trim(substr(new.customer_phone, 2)||' '||substr(new.customer_phone, 3)||' '||substr(new.customer_phone, 4)||' '||substr(new.customer_phone, 5)||' '||substr(new.customer_phone, 6)||' '||substr(new.customer_phone, 7)||' '||substr(new.customer_phone, 8)||' '||substr(new.customer_phone, 9)||' '||substr(new.customer_phone, 10)||' '||substr(new.customer_phone, 11)||' '||substr(new.customer_phone, 12)||' '||substr(new.customer_phone, 13)||' '||substr(new.customer_phone, 14)||' '||substr(new.customer_phone, 15)||' '||substr(new.customer_phone, 16)));
END;--> statement-breakpoint
CREATE TRIGGER `leads_search_delete` AFTER DELETE ON `leads` BEGIN
  INSERT INTO leads_search (leads_search, rowid, customer_name, description, phone_digits)
  VALUES ('delete', old.rowid, old.customer_name, old.description, trim(substr(old.customer_phone, 2)||' '||substr(old.customer_phone, 3)||' '||substr(old.customer_phone, 4)||' '||substr(old.customer_phone, 5)||' '||substr(old.customer_phone, 6)||' '||substr(old.customer_phone, 7)||' '||substr(old.customer_phone, 8)||' '||substr(old.customer_phone, 9)||' '||substr(old.customer_phone, 10)||' '||substr(old.customer_phone, 11)||' '||substr(old.customer_phone, 12)||' '||substr(old.customer_phone, 13)||' '||substr(old.customer_phone, 14)||' '||substr(old.customer_phone, 15)||' '||substr(old.customer_phone, 16)));
END;--> statement-breakpoint
CREATE TRIGGER `leads_search_update` AFTER UPDATE OF customer_name, description, customer_phone ON `leads`
  WHEN old.customer_name IS NOT new.customer_name OR old.description IS NOT new.description
    OR old.customer_phone IS NOT new.customer_phone
BEGIN
  INSERT INTO leads_search (leads_search, rowid, customer_name, description, phone_digits)
  VALUES ('delete', old.rowid, old.customer_name, old.description, trim(substr(old.customer_phone, 2)||' '||substr(old.customer_phone, 3)||' '||substr(old.customer_phone, 4)||' '||substr(old.customer_phone, 5)||' '||substr(old.customer_phone, 6)||' '||substr(old.customer_phone, 7)||' '||substr(old.customer_phone, 8)||' '||substr(old.customer_phone, 9)||' '||substr(old.customer_phone, 10)||' '||substr(old.customer_phone, 11)||' '||substr(old.customer_phone, 12)||' '||substr(old.customer_phone, 13)||' '||substr(old.customer_phone, 14)||' '||substr(old.customer_phone, 15)||' '||substr(old.customer_phone, 16)));
  INSERT INTO leads_search (rowid, customer_name, description, phone_digits)
  VALUES (new.rowid, new.customer_name, new.description, trim(substr(new.customer_phone, 2)||' '||substr(new.customer_phone, 3)||' '||substr(new.customer_phone, 4)||' '||substr(new.customer_phone, 5)||' '||substr(new.customer_phone, 6)||' '||substr(new.customer_phone, 7)||' '||substr(new.customer_phone, 8)||' '||substr(new.customer_phone, 9)||' '||substr(new.customer_phone, 10)||' '||substr(new.customer_phone, 11)||' '||substr(new.customer_phone, 12)||' '||substr(new.customer_phone, 13)||' '||substr(new.customer_phone, 14)||' '||substr(new.customer_phone, 15)||' '||substr(new.customer_phone, 16)));
END;
