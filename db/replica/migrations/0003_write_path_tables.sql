CREATE TABLE `field_conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`field` text NOT NULL,
	`kept_value` text,
	`superseded_value` text,
	`kept_hlc` text NOT NULL,
	`superseded_hlc` text NOT NULL,
	`kept_by` text,
	`superseded_by` text,
	`superseded_client_id` text,
	`superseded_mutation_id` integer,
	`outcome` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z') NOT NULL,
	CONSTRAINT "field_conflicts_id_check" CHECK((typeof("id") = 'text' AND "id" GLOB '????????-????-????-????-????????????' AND "id" NOT GLOB '*[^0-9a-f-]*')),
	CONSTRAINT "field_conflicts_user_id_check" CHECK((typeof("user_id") = 'text' AND "user_id" GLOB '????????-????-????-????-????????????' AND "user_id" NOT GLOB '*[^0-9a-f-]*')),
	CONSTRAINT "field_conflicts_table_name_check" CHECK((typeof("table_name") = 'text' AND length("table_name") <= 63)),
	CONSTRAINT "field_conflicts_row_id_check" CHECK((typeof("row_id") = 'text' AND "row_id" GLOB '????????-????-????-????-????????????' AND "row_id" NOT GLOB '*[^0-9a-f-]*')),
	CONSTRAINT "field_conflicts_field_check" CHECK((typeof("field") = 'text' AND length("field") <= 63)),
	CONSTRAINT "field_conflicts_kept_value_check" CHECK("kept_value" IS NULL OR ((typeof("kept_value") = 'text'))),
	CONSTRAINT "field_conflicts_superseded_value_check" CHECK("superseded_value" IS NULL OR ((typeof("superseded_value") = 'text'))),
	CONSTRAINT "field_conflicts_kept_hlc_check" CHECK((typeof("kept_hlc") = 'text' AND length("kept_hlc") <= 100)),
	CONSTRAINT "field_conflicts_superseded_hlc_check" CHECK((typeof("superseded_hlc") = 'text' AND length("superseded_hlc") <= 100)),
	CONSTRAINT "field_conflicts_kept_by_check" CHECK("kept_by" IS NULL OR ((typeof("kept_by") = 'text' AND length("kept_by") <= 300))),
	CONSTRAINT "field_conflicts_superseded_by_check" CHECK("superseded_by" IS NULL OR ((typeof("superseded_by") = 'text' AND length("superseded_by") <= 300))),
	CONSTRAINT "field_conflicts_superseded_client_id_check" CHECK("superseded_client_id" IS NULL OR ((typeof("superseded_client_id") = 'text' AND length("superseded_client_id") <= 64))),
	CONSTRAINT "field_conflicts_superseded_mutation_id_check" CHECK("superseded_mutation_id" IS NULL OR ((typeof("superseded_mutation_id") = 'integer' AND "superseded_mutation_id" BETWEEN -2147483648 AND 2147483647))),
	CONSTRAINT "field_conflicts_outcome_check" CHECK((typeof("outcome") = 'text' AND length("outcome") <= 20) AND ("outcome" IN ('overwritten', 'overtaken'))),
	CONSTRAINT "field_conflicts_created_at_check" CHECK((typeof("created_at") = 'text' AND "created_at" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z' AND strftime('%Y-%m-%dT%H:%M:%S', "created_at") IS substr("created_at", 1, 19)))
);
--> statement-breakpoint
CREATE INDEX `idx_field_conflicts_row` ON `field_conflicts` (`table_name`,`row_id`);--> statement-breakpoint
CREATE TABLE `lead_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`lead_id` text NOT NULL,
	`member_id` text,
	`body` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z') NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z') NOT NULL,
	CONSTRAINT "lead_notes_id_check" CHECK((typeof("id") = 'text' AND "id" GLOB '????????-????-????-????-????????????' AND "id" NOT GLOB '*[^0-9a-f-]*')),
	CONSTRAINT "lead_notes_user_id_check" CHECK((typeof("user_id") = 'text' AND "user_id" GLOB '????????-????-????-????-????????????' AND "user_id" NOT GLOB '*[^0-9a-f-]*')),
	CONSTRAINT "lead_notes_lead_id_check" CHECK((typeof("lead_id") = 'text' AND "lead_id" GLOB '????????-????-????-????-????????????' AND "lead_id" NOT GLOB '*[^0-9a-f-]*')),
	CONSTRAINT "lead_notes_member_id_check" CHECK("member_id" IS NULL OR ((typeof("member_id") = 'text' AND "member_id" GLOB '????????-????-????-????-????????????' AND "member_id" NOT GLOB '*[^0-9a-f-]*'))),
	CONSTRAINT "lead_notes_body_check" CHECK((typeof("body") = 'text') AND (length(trim("body")) > 0)),
	CONSTRAINT "lead_notes_created_at_check" CHECK((typeof("created_at") = 'text' AND "created_at" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z' AND strftime('%Y-%m-%dT%H:%M:%S', "created_at") IS substr("created_at", 1, 19))),
	CONSTRAINT "lead_notes_updated_at_check" CHECK((typeof("updated_at") = 'text' AND "updated_at" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z' AND strftime('%Y-%m-%dT%H:%M:%S', "updated_at") IS substr("updated_at", 1, 19)))
);
--> statement-breakpoint
CREATE INDEX `idx_lead_notes_lead_id` ON `lead_notes` (`lead_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `mutation_rejections` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`client_id` text NOT NULL,
	`mutation_id` integer NOT NULL,
	`member_id` text,
	`name` text NOT NULL,
	`args` text NOT NULL,
	`code` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z') NOT NULL,
	CONSTRAINT "mutation_rejections_id_check" CHECK((typeof("id") = 'text' AND "id" GLOB '????????-????-????-????-????????????' AND "id" NOT GLOB '*[^0-9a-f-]*')),
	CONSTRAINT "mutation_rejections_user_id_check" CHECK((typeof("user_id") = 'text' AND "user_id" GLOB '????????-????-????-????-????????????' AND "user_id" NOT GLOB '*[^0-9a-f-]*')),
	CONSTRAINT "mutation_rejections_client_id_check" CHECK((typeof("client_id") = 'text' AND length("client_id") <= 64)),
	CONSTRAINT "mutation_rejections_mutation_id_check" CHECK((typeof("mutation_id") = 'integer' AND "mutation_id" BETWEEN -2147483648 AND 2147483647)),
	CONSTRAINT "mutation_rejections_member_id_check" CHECK("member_id" IS NULL OR ((typeof("member_id") = 'text' AND "member_id" GLOB '????????-????-????-????-????????????' AND "member_id" NOT GLOB '*[^0-9a-f-]*'))),
	CONSTRAINT "mutation_rejections_name_check" CHECK((typeof("name") = 'text' AND length("name") <= 64)),
	CONSTRAINT "mutation_rejections_args_check" CHECK((typeof("args") = 'text' AND json_valid("args"))),
	CONSTRAINT "mutation_rejections_code_check" CHECK((typeof("code") = 'text' AND length("code") <= 64)),
	CONSTRAINT "mutation_rejections_reason_check" CHECK((typeof("reason") = 'text')),
	CONSTRAINT "mutation_rejections_created_at_check" CHECK((typeof("created_at") = 'text' AND "created_at" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z' AND strftime('%Y-%m-%dT%H:%M:%S', "created_at") IS substr("created_at", 1, 19)))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mutation_rejections_client_id_mutation_id_key` ON `mutation_rejections` (`client_id`,`mutation_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_sync_deferred_indexes` (
	`index_name` text PRIMARY KEY NOT NULL,
	`table_name` text NOT NULL,
	`create_sql` text NOT NULL,
	CONSTRAINT "sync_deferred_indexes_table_name_check" CHECK("table_name" IN ('leads', 'call_logs', 'sms_logs', 'financials', 'campaigns', 'keywords', 'workflows', 'ai_agent_logs', 'lead_notes', 'mutation_rejections', 'field_conflicts'))
);
--> statement-breakpoint
INSERT INTO `__new_sync_deferred_indexes`("index_name", "table_name", "create_sql") SELECT "index_name", "table_name", "create_sql" FROM `sync_deferred_indexes`;--> statement-breakpoint
DROP TABLE `sync_deferred_indexes`;--> statement-breakpoint
ALTER TABLE `__new_sync_deferred_indexes` RENAME TO `sync_deferred_indexes`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_sync_shapes` (
	`table_name` text PRIMARY KEY NOT NULL,
	`handle` text NOT NULL,
	`offset` text NOT NULL,
	`rows_synced` integer DEFAULT 0 NOT NULL,
	`snapshot_rows` integer,
	`up_to_date_at` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z') NOT NULL,
	CONSTRAINT "sync_shapes_table_name_check" CHECK("table_name" IN ('leads', 'call_logs', 'sms_logs', 'financials', 'campaigns', 'keywords', 'workflows', 'ai_agent_logs', 'lead_notes', 'mutation_rejections', 'field_conflicts')),
	CONSTRAINT "sync_shapes_rows_synced_check" CHECK("rows_synced" >= 0),
	CONSTRAINT "sync_shapes_snapshot_rows_check" CHECK("snapshot_rows" >= 0)
);
--> statement-breakpoint
INSERT INTO `__new_sync_shapes`("table_name", "handle", "offset", "rows_synced", "snapshot_rows", "up_to_date_at", "updated_at") SELECT "table_name", "handle", "offset", "rows_synced", "snapshot_rows", "up_to_date_at", "updated_at" FROM `sync_shapes`;--> statement-breakpoint
DROP TABLE `sync_shapes`;--> statement-breakpoint
ALTER TABLE `__new_sync_shapes` RENAME TO `sync_shapes`;