/**
 * The main process's log: one JSON line per entry on stderr (the utility process's stderr is piped
 * to the same place). Messages are written by us and never carry tokens or a lead's details.
 */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLog(
  source: string,
  write: (line: string) => void = (line) => void process.stderr.write(line),
): Log {
  const entry = (level: string) => (message: string) =>
    write(`${JSON.stringify({ time: new Date().toISOString(), level, source, message })}\n`);
  return { info: entry('info'), warn: entry('warn'), error: entry('error') };
}
