import type { SyncedTable } from '../enums.ts';
import { quoteIdent } from '../sql-quote.ts';
import type { Database } from './open.ts';

/**
 * Bulk loading a large snapshot: a table's plain secondary indexes are dropped before its rows go
 * in and built once afterwards, the way pg_restore and every bulk loader does it. Kept up to date
 * row by row, each index costs a random B-tree insert per row; built at the end, one sort.
 *
 * Only indexes made by CREATE INDEX without UNIQUE are set aside: a unique index (or a primary
 * key) is a constraint the upserts rely on, and stays. Each one set aside is recorded in
 * `sync_deferred_indexes` in the caller's transaction, together with its DROP, so a crash in the
 * middle of a snapshot never loses an index: it is put back when the snapshot catches up, or by
 * the next migration.
 */

interface IndexListRow {
  name: string;
  unique: 0 | 1;
  origin: 'c' | 'u' | 'pk';
}

/**
 * Full-text indexes kept up to date by triggers on a synced table (migration 0005). Row by row, each
 * loaded row costs a tokenisation and an FTS insert, making a 100,000-lead snapshot load 4.7 times
 * slower (bench/README.md, desktop-queries); so, like the indexes, the triggers are set aside while
 * a large snapshot loads and the index is rebuilt from the table once, when it is up to date.
 */
const fullTextIndexes: Partial<
  Record<SyncedTable, { index: string; triggers: readonly string[] }>
> = {
  leads: {
    index: 'leads_search',
    triggers: ['leads_search_insert', 'leads_search_delete', 'leads_search_update'],
  },
};

/**
 * Sets `table`'s plain secondary indexes aside, and its full-text index's triggers with a
 * rebuild to run at the end. Call inside the transaction that loads it.
 */
export function deferIndexes(sqlite: Database, table: SyncedTable): string[] {
  const plain = (sqlite.pragma(`index_list(${quoteIdent(table)})`) as IndexListRow[]).filter(
    (index) => index.origin === 'c' && index.unique === 0,
  );
  const definition = sqlite.prepare<[string], { sql: string | null }>(
    `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`,
  );
  const record = sqlite.prepare<[string, string, string]>(
    `INSERT INTO sync_deferred_indexes (index_name, table_name, create_sql) VALUES (?, ?, ?)`,
  );
  const deferred: string[] = [];
  for (const { name } of plain) {
    const sql = definition.get(name)?.sql;
    if (!sql) continue;
    record.run(name, table, sql);
    sqlite.exec(`DROP INDEX ${quoteIdent(name)}`);
    deferred.push(name);
  }
  const fullText = fullTextIndexes[table];
  const triggerSql = sqlite.prepare<[string], { sql: string | null }>(
    `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`,
  );
  const setAside = (fullText?.triggers ?? []).filter((name) => {
    const sql = triggerSql.get(name)?.sql;
    if (!sql) return false;
    record.run(name, table, sql);
    sqlite.exec(`DROP TRIGGER ${quoteIdent(name)}`);
    return true;
  });
  if (fullText && setAside.length > 0) {
    // Named after the FTS table, which is no index or trigger: restoreIndexes always runs it.
    const index = quoteIdent(fullText.index);
    record.run(fullText.index, table, `INSERT INTO ${index} (${index}) VALUES ('rebuild')`);
    deferred.push(...setAside, fullText.index);
  }
  return deferred;
}

/**
 * Builds again every index set aside for `table` (every table when omitted), puts its full-text
 * triggers back and rebuilds that index, and forgets the record, in one transaction (nested in
 * the caller's, if any). Returns the names built.
 */
export function restoreIndexes(sqlite: Database, table?: SyncedTable): string[] {
  const select = `SELECT index_name AS indexName, create_sql AS createSql FROM sync_deferred_indexes`;
  type Deferred = { indexName: string; createSql: string };
  const rows =
    table === undefined
      ? sqlite.prepare<[], Deferred>(`${select} ORDER BY index_name`).all()
      : sqlite
          .prepare<[string], Deferred>(`${select} WHERE table_name = ? ORDER BY index_name`)
          .all(table);
  if (rows.length === 0) return [];
  // An index or trigger already there (a crash after it was built) is not made twice; any other
  // entry is a full-text rebuild, which is idempotent and runs every time.
  const exists = sqlite.prepare<[string]>(
    `SELECT 1 FROM sqlite_master WHERE type IN ('index', 'trigger') AND name = ?`,
  );
  const forget = sqlite.prepare<[string]>(`DELETE FROM sync_deferred_indexes WHERE index_name = ?`);
  return sqlite.transaction(() => {
    for (const { indexName, createSql } of rows) {
      if (exists.get(indexName) === undefined) sqlite.exec(createSql);
      forget.run(indexName);
    }
    return rows.map((row) => row.indexName);
  })();
}
