CREATE TABLE `outbox_base_rows` (
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`row` text,
	PRIMARY KEY(`table_name`, `row_id`),
	CONSTRAINT "outbox_base_rows_table_name_check" CHECK("table_name" IN ('leads', 'call_logs', 'sms_logs', 'financials', 'campaigns', 'keywords', 'workflows', 'ai_agent_logs', 'lead_notes', 'mutation_rejections', 'field_conflicts')),
	CONSTRAINT "outbox_base_rows_row_check" CHECK("row" IS NULL OR json_valid("row"))
);
--> statement-breakpoint
CREATE TABLE `outbox_client` (
	`id` integer PRIMARY KEY NOT NULL,
	`client_id` text NOT NULL,
	`last_mutation_id` integer DEFAULT 0 NOT NULL,
	`last_hlc` text,
	CONSTRAINT "outbox_client_id_check" CHECK("id" = 1)
);
--> statement-breakpoint
CREATE TABLE `outbox_mutations` (
	`mutation_id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`args` text NOT NULL,
	`hlc` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`wait_table` text,
	`visible_seq` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z') NOT NULL,
	`acknowledged_at` text,
	CONSTRAINT "outbox_mutations_mutation_id_check" CHECK("mutation_id" >= 1),
	CONSTRAINT "outbox_mutations_args_check" CHECK(json_valid("args")),
	CONSTRAINT "outbox_mutations_status_check" CHECK("status" IN ('pending', 'applied', 'rejected', 'duplicate')),
	CONSTRAINT "outbox_mutations_wait_table_check" CHECK("wait_table" IS NULL OR "wait_table" IN ('leads', 'call_logs', 'sms_logs', 'financials', 'campaigns', 'keywords', 'workflows', 'ai_agent_logs', 'lead_notes', 'mutation_rejections', 'field_conflicts'))
);
--> statement-breakpoint
CREATE INDEX `idx_outbox_mutations_wait` ON `outbox_mutations` (`wait_table`,`visible_seq`);--> statement-breakpoint
CREATE TABLE `outbox_rows` (
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`mutation_id` integer NOT NULL,
	PRIMARY KEY(`table_name`, `row_id`, `mutation_id`),
	FOREIGN KEY (`mutation_id`) REFERENCES `outbox_mutations`(`mutation_id`) ON UPDATE cascade ON DELETE cascade,
	CONSTRAINT "outbox_rows_table_name_check" CHECK("table_name" IN ('leads', 'call_logs', 'sms_logs', 'financials', 'campaigns', 'keywords', 'workflows', 'ai_agent_logs', 'lead_notes', 'mutation_rejections', 'field_conflicts'))
);
--> statement-breakpoint
CREATE INDEX `idx_outbox_rows_mutation` ON `outbox_rows` (`mutation_id`);