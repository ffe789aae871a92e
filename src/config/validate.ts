import { fail } from '../shared/errors'

/** Config types Nacos knows (ConfigType), with the file extensions FileTypeEnum accepts as aliases. */
const TYPES: Record<string, string> = {
  text: 'text', txt: 'text', json: 'json', xml: 'xml', yaml: 'yaml', yml: 'yaml', html: 'html', htm: 'html',
  properties: 'properties', toml: 'toml', unset: 'unset',
}

/** Nacos ParamUtils.isValid: letters and digits of any script, and `_ - . :`. */
const VALID_ID = /^[\p{L}\p{N}_\-.:]+$/u

/** Checks a dataId or group the way Nacos does; throws `invalid` with the parameter's name. */
export function checkId(name: 'dataId' | 'group', value: string | undefined, max: number): string {
  if (value === undefined || value.trim() === '') throw fail.missing(name)
  if (value.length > max) throw fail.invalid(`invalid ${name}: longer than ${max} characters`)
  if (!VALID_ID.test(value)) throw fail.invalid(`invalid ${name}: only letters, digits and _ - . : are allowed`)
  return value
}

/** Returns the canonical type name; empty means text; an unknown type is refused rather than stored. */
export function checkType(type: string | undefined): string {
  if (type === undefined || type.trim() === '') return 'text'
  const t = TYPES[type.trim().toLowerCase()]
  if (!t) throw fail.invalid(`invalid type: ${type} (one of text, json, xml, yaml, html, properties, toml)`)
  return t
}

/** Checks content presence and size (bytes of UTF-8, as Nacos measures it). */
export function checkContent(content: string | undefined, maxBytes: number): string {
  if (content === undefined || content.trim() === '') throw fail.missing('content')
  if (Buffer.byteLength(content, 'utf8') > maxBytes) throw fail.invalid(`invalid content: over ${maxBytes} bytes`)
  return content
}

/** Checks an optional text field against a maximum length (Nacos ParamUtils limits). */
export function checkLength(name: string, value: string | undefined, max: number): string {
  const v = value ?? ''
  if (v.length > max) throw fail.invalid(`invalid ${name}: longer than ${max} characters`)
  return v
}

/** Config tags: at most 5, each at most 64 characters (Nacos ParamUtils.checkParam). */
export function checkTags(tags: string | undefined): string {
  const list = (tags ?? '').split(',').map((t) => t.trim()).filter(Boolean)
  if (list.length > 5) throw fail.invalid('invalid config_tags: at most 5 tags')
  for (const t of list) if (t.length > 64) throw fail.invalid('invalid config_tags: a tag is longer than 64 characters')
  return list.join(',')
}

/** A gray tag: at most 16 valid characters. */
export function checkTag(tag: string): string {
  if (tag.length > 16 || !VALID_ID.test(tag)) throw fail.invalid('invalid tag: at most 16 letters, digits or _ - . :')
  return tag
}
