/** Lowercase hex MD5 of a string's UTF-8 bytes — the md5 every Nacos client computes over config content. */
export function md5(text: string): string {
  return new Bun.CryptoHasher('md5').update(text).digest('hex')
}
