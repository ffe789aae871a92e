/**
 * Finds where JSON text goes wrong: a small recursive-descent scan that reports the offset and what was found.
 * Browsers' JSON.parse messages differ (Chromium's recent ones carry no position), so the editor can't rely on them.
 */
export function jsonError(text: string): { offset: number; message: string } | null {
  let i = 0
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++
  }
  const fail = (what: string): never => {
    throw { offset: i, message: i >= text.length ? `unexpected end of input, expected ${what}` : `unexpected ${JSON.stringify(text[i])}, expected ${what}` }
  }
  const str = () => {
    i++
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        i++
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('4 hex digits')
          i += 4
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('an escape character')
      } else if (text.charCodeAt(i) < 0x20) fail('a closing quote')
      i++
    }
    if (i >= text.length) fail('a closing quote')
    i++
  }
  const value = (): void => {
    ws()
    const ch = text[i]
    if (ch === '{') {
      i++
      ws()
      if (text[i] === '}') return void i++
      for (;;) {
        ws()
        if (text[i] !== '"') fail('a quoted key')
        str()
        ws()
        if (text[i] !== ':') fail("':'")
        i++
        value()
        ws()
        if (text[i] === ',') i++
        else if (text[i] === '}') return void i++
        else fail("',' or '}'")
      }
    }
    if (ch === '[') {
      i++
      ws()
      if (text[i] === ']') return void i++
      for (;;) {
        value()
        ws()
        if (text[i] === ',') i++
        else if (text[i] === ']') return void i++
        else fail("',' or ']'")
      }
    }
    if (ch === '"') return str()
    const m = text.slice(i).match(/^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/)
    if (!m) fail('a value')
    i += m![0].length
  }
  try {
    value()
    ws()
    if (i < text.length) fail('end of input')
    return null
  } catch (e) {
    return e as { offset: number; message: string }
  }
}
