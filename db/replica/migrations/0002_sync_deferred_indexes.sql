CREATE TABLE `sync_deferred_indexes` (
	`index_name` text PRIMARY KEY NOT NULL,
	`table_name` text NOT NULL,
	`create_sql` text NOT NULL,
	CONSTRAINT "sync_deferred_indexes_table_name_check" CHECK("table_name" IN ('leads', 'call_logs', 'sms_logs', 'financials', 'campaigns', 'keywords', 'workflows', 'ai_agent_logs'))
);
