import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate'
import { fail } from '../../shared/errors'

/** One file of a zip: its name and its bytes. */
export interface ZipEntry {
  name: string
  data: Uint8Array
}

/** What an upload may expand to; a hostile zip (bomb, thousands of entries) is refused before it is inflated. */
export interface ZipLimits {
  /** Most files in the archive (directories included). */
  maxEntries: number
  /** Largest uncompressed file of a name, as the central directory declares it. */
  maxEntryBytes: (name: string) => number
  /** Largest uncompressed total. */
  maxTotalBytes: number
}

/** Thrown for an archive that is not a readable zip or breaks the limits (Nacos PARSING_DATA_FAILED). */
export class BadZipError extends Error {}

/**
 * Reads a zip's files (directories skipped, as Nacos ZipUtils.unzip does). Sizes are checked against the central
 * directory before anything is inflated, and fflate inflates into a buffer of exactly the declared size, so an
 * entry that lies about its size is cut off rather than allowed to grow: memory stays within `maxTotalBytes`.
 */
export function readZip(bytes: Uint8Array, limits: ZipLimits): ZipEntry[] {
  let entries = 0
  let total = 0
  let out: Record<string, Uint8Array>
  const order: string[] = []
  try {
    out = unzipSync(bytes, {
      filter(f) {
        if (++entries > limits.maxEntries) throw new BadZipError(`the zip holds more than ${limits.maxEntries} entries`)
        if (f.name.endsWith('/')) return false
        const size = Math.max(f.size, f.originalSize)
        const max = limits.maxEntryBytes(f.name)
        if (size > max) throw new BadZipError(`zip entry ${f.name} is larger than ${max} bytes`)
        total += size
        if (total > limits.maxTotalBytes) throw new BadZipError(`the zip expands to more than ${limits.maxTotalBytes} bytes`)
        order.push(f.name)
        return true
      },
    })
  } catch (e) {
    if (e instanceof BadZipError) throw e
    throw new BadZipError(`not a readable zip file: ${e instanceof Error ? e.message : String(e)}`)
  }
  // unzipSync keys by name, so a repeated name keeps the last copy; the order is the central directory's.
  return [...new Set(order)].map((name) => ({ name, data: out[name] }))
}

/** Writes a zip of the given files in order (deflated, as Java's ZipOutputStream does). */
export function writeZip(files: { name: string; data: Uint8Array | string }[]): Uint8Array {
  const z: Zippable = {}
  for (const f of files) z[f.name] = typeof f.data === 'string' ? strToU8(f.data) : f.data
  return zipSync(z, { level: 6 })
}

/** Decodes an entry as UTF-8 text (Nacos reads every entry as UTF-8). */
export function entryText(e: ZipEntry): string {
  return strFromU8(e.data)
}

/** A zip name that cannot be a config: absolute, `..`, backslashes or control characters. */
export function unsafeName(name: string): boolean {
  return name.startsWith('/') || name.includes('\\') || name.split('/').includes('..') || /[\u0000-\u001f]/.test(name)
}

/** Refuses a name from an outer archive that could escape where it is meant to go. */
export function checkSafeName(name: string): void {
  if (unsafeName(name)) throw fail.invalid(`unsafe zip entry name: ${JSON.stringify(name)}`)
}
