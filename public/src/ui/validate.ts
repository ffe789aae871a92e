import { parse as parseToml } from 'smol-toml'
import { parseAllDocuments } from 'yaml'
import { jsonError } from './json-check'

/** The config types Nacos knows (ConfigType), in the order the editor offers them. */
export const configTypes = ['text', 'json', 'xml', 'yaml', 'html', 'properties', 'toml'] as const

/** One config type. */
export type ConfigType = (typeof configTypes)[number]

/** A problem found in a config's content: 1-based line and column, and what is wrong. */
export interface ContentProblem {
  line: number
  column: number
  message: string
}

/** Line and column (1-based) of a character offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)))
  const lines = before.split('\n')
  return { line: lines.length, column: lines[lines.length - 1].length + 1 }
}

function checkJson(text: string): ContentProblem | null {
  const err = jsonError(text)
  return err ? { ...position(text, err.offset), message: err.message } : null
}

function checkYaml(text: string): ContentProblem | null {
  for (const doc of parseAllDocuments(text, { prettyErrors: true })) {
    const err = doc.errors?.[0]
    if (err) {
      const lp = err.linePos?.[0]
      return { line: lp?.line ?? 1, column: lp?.col ?? 1, message: err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') }
    }
  }
  return null
}

function checkToml(text: string): ContentProblem | null {
  try {
    parseToml(text)
    return null
  } catch (e) {
    const err = e as Error & { line?: number; column?: number }
    return { line: err.line ?? 1, column: err.column ?? 1, message: err.message.split('\n')[0] }
  }
}

function checkXml(text: string): ContentProblem | null {
  const doc = new DOMParser().parseFromString(text, 'application/xml')
  const err = doc.getElementsByTagName('parsererror')[0]
  if (!err) return null
  const detail = (err.textContent ?? '').replace(/\s+/g, ' ').trim()
  const lc = detail.match(/line (\d+) at column (\d+)/i) ?? detail.match(/line (?:number )?(\d+),? column (\d+)/i)
  const message = detail.replace(/^This page contains the following errors:\s*/i, '').replace(/\s*Below is a rendering.*$/i, '').replace(/^error on line \d+ at column \d+:\s*/i, '')
  return { line: lc ? Number(lc[1]) : 1, column: lc ? Number(lc[2]) : 1, message: message || 'malformed XML' }
}

/** Java .properties: every logical line is a comment (# or !), blank, or `key=value` / `key:value` / `key value`. */
function checkProperties(text: string): ContentProblem | null {
  const lines = text.split(/\r?\n/)
  let continued = false
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]
    const line = raw.trim()
    const wasContinued = continued
    continued = /(^|[^\\])(\\\\)*\\$/.test(raw)
    if (wasContinued || !line || line.startsWith('#') || line.startsWith('!')) continue
    const m = line.match(/^((?:\\.|[^=:\s\\])+)\s*([=:]|\s)/)
    if (!m) return { line: i + 1, column: 1, message: `expected key=value, found "${line.length > 40 ? `${line.slice(0, 40)}…` : line}"` }
  }
  return null
}

/**
 * Checks content against its type before publishing: a strict JSON scan, the `yaml` parser, smol-toml, the browser's XML
 * parser, and key=value lines for properties. Text and HTML (browsers accept any HTML) always pass. Null when fine.
 */
export function validateContent(type: string, text: string): ContentProblem | null {
  switch (type) {
    case 'json':
      return checkJson(text)
    case 'yaml':
      return checkYaml(text)
    case 'toml':
      return checkToml(text)
    case 'xml':
      return checkXml(text)
    case 'properties':
      return checkProperties(text)
    default:
      return null
  }
}
