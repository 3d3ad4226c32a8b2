CREATE TABLE `sync_shapes` (
	`table_name` text PRIMARY KEY NOT NULL,
	`handle` text NOT NULL,
	`offset` text NOT NULL,
	`rows_synced` integer DEFAULT 0 NOT NULL,
	`snapshot_rows` integer,
	`up_to_date_at` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z') NOT NULL,
	CONSTRAINT "sync_shapes_table_name_check" CHECK("table_name" IN ('leads', 'call_logs', 'sms_logs', 'financials', 'campaigns', 'keywords', 'workflows', 'ai_agent_logs')),
	CONSTRAINT "sync_shapes_rows_synced_check" CHECK("rows_synced" >= 0),
	CONSTRAINT "sync_shapes_snapshot_rows_check" CHECK("snapshot_rows" >= 0)
);
