// The console files embedded in the compiled executable. This committed version holds none (running from source
// bundles public/ in-process); scripts/build-console.ts overwrites it with one `type: 'file'` import per built
// file for `bun build --compile`, and scripts/build.ts puts this version back afterwards.

/** Built console files (path under /nacos/ and embedded file path), or null when running from source. */
export const embeddedConsole: { path: string; file: string }[] | null = null

/** The built index.html, when embedded. */
export const embeddedIndexHtml: string | null = null
