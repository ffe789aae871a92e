/** Structured JSON-lines logger with a level; one instance per process, configured at start. */
export type Level = 'debug' | 'info' | 'warn' | 'error'
const rank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }
let threshold = rank.info

/** Sets the lowest level that is written. */
export function setLogLevel(level: Level) {
  threshold = rank[level]
}

function write(level: Level, msg: string, fields?: Record<string, unknown>) {
  if (rank[level] < threshold) return
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields })
  if (rank[level] >= rank.warn) process.stderr.write(line + '\n')
  else process.stdout.write(line + '\n')
}

/** The process logger. */
export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
  enabled: (level: Level) => rank[level] >= threshold,
}
