import { z } from 'zod';
import { syncedTables, type SyncedTable } from '../../db/enums.ts';
import { AppError } from '../../db/errors.ts';
import type { ShapeColumn, TableCatalog } from './catalog.ts';
import { parseOffset, type ShapePosition } from './offsets.ts';
import { parseParams } from './where.ts';

/** A shape request as the server understands it, after validation. */
export interface ShapeRequest {
  table: SyncedTable;
  position: ShapePosition;
  handle: string | undefined;
  live: boolean;
  sse: boolean;
  where: string | undefined;
  params: ReadonlyMap<number, string>;
  /** The columns to send, in table order; the primary key is always among them. */
  columns: ShapeColumn[];
}

const flag = z.enum(['true', 'false']).optional();

/**
 * The Electric query parameters this server reads. Anything else the client sends (cursor,
 * expired_handle, cache-buster, log, replica…) is accepted and ignored: updates always carry the
 * whole row, which is what `replica=full` asks for and what `default` clients handle too.
 */
const querySchema = z.looseObject({
  table: z.string({ error: 'table is required' }),
  offset: z.string({ error: 'offset is required (-1 for a new shape)' }),
  handle: z.string().max(100).optional(),
  live: flag,
  live_sse: flag,
  experimental_live_sse: flag,
  where: z.string().optional(),
  columns: z.string().max(4_000).optional(),
});

const SUBSET_PARAM = /^subset__/;

export function parseShapeRequest(query: unknown, catalog: TableCatalog): ShapeRequest {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    );
    throw new AppError('SHAPE_INVALID', detail.join('; '));
  }
  const raw = parsed.data;
  if (Object.keys(raw).some((key) => SUBSET_PARAM.test(key))) {
    throw new AppError('SHAPE_INVALID', 'subset snapshots (subset__*) are not supported');
  }
  const table = syncedTables.find((name) => name === raw.table);
  if (!table) {
    throw new AppError(
      'SHAPE_INVALID',
      `table "${raw.table.slice(0, 60)}" is not synced; the synced tables are ${syncedTables.join(', ')}`,
    );
  }
  const position = parseOffset(raw.offset);
  const live = raw.live === 'true';
  if (position.kind !== 'initial' && !raw.handle) {
    throw new AppError('SHAPE_INVALID', 'handle is required with an offset other than -1');
  }
  if (live && position.kind === 'initial') {
    throw new AppError('SHAPE_INVALID', 'live=true needs an offset from an earlier response');
  }
  const tableColumns = catalog.get(table);
  if (!tableColumns) throw new Error(`no catalog for ${table}`);
  return {
    table,
    position,
    handle: raw.handle,
    live,
    sse: live && (raw.live_sse === 'true' || raw.experimental_live_sse === 'true'),
    where: raw.where === undefined || raw.where.trim() === '' ? undefined : raw.where,
    params: parseParams(raw),
    columns: selectColumns(table, tableColumns, raw.columns),
  };
}

/** `columns=id,"Status",name`: names as Electric writes them, quoted when not plain lower case. */
function selectColumns(
  table: SyncedTable,
  columns: ReadonlyMap<string, ShapeColumn>,
  list: string | undefined,
): ShapeColumn[] {
  if (list === undefined) return [...columns.values()];
  const wanted = new Set<string>();
  for (const part of splitColumnList(list)) {
    const column = columns.get(part);
    if (!column) {
      throw new AppError(
        'SHAPE_INVALID',
        `columns: "${part.slice(0, 60)}" is not a column of ${table}`,
      );
    }
    wanted.add(part);
  }
  for (const column of columns.values()) {
    if (column.pkIndex !== undefined && !wanted.has(column.name)) {
      throw new AppError('SHAPE_INVALID', `columns must include the primary key "${column.name}"`);
    }
  }
  return [...columns.values()].filter((column) => wanted.has(column.name));
}

function splitColumnList(list: string): string[] {
  const names: string[] = [];
  let index = 0;
  while (index < list.length) {
    let name: string;
    if (list[index] === '"') {
      let end = index + 1;
      name = '';
      for (;;) {
        const quote = list.indexOf('"', end);
        if (quote === -1) throw new AppError('SHAPE_INVALID', 'columns: unterminated quoted name');
        name += list.slice(end, quote);
        if (list[quote + 1] === '"') {
          name += '"';
          end = quote + 2;
          continue;
        }
        index = quote + 1;
        break;
      }
    } else {
      const comma = list.indexOf(',', index);
      const end = comma === -1 ? list.length : comma;
      name = list.slice(index, end).trim().toLowerCase();
      index = end;
    }
    if (name === '') throw new AppError('SHAPE_INVALID', 'columns: empty column name');
    names.push(name);
    if (index < list.length) {
      if (list[index] !== ',') {
        throw new AppError('SHAPE_INVALID', `columns: expected "," at position ${index}`);
      }
      index += 1;
    }
  }
  return names;
}
