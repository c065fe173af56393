/**
 * What an image file is, read from its first bytes, not from the name or the type the browser claims: JPEG, PNG,
 * WebP, GIF and HEIC/HEIF (what phone cameras take). Undefined for anything else.
 */
export function imageType(bytes: Buffer): 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif' | 'image/heic' | undefined {
  if (bytes.length < 12) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (bytes.toString('latin1', 0, 6) === 'GIF87a' || bytes.toString('latin1', 0, 6) === 'GIF89a') return 'image/gif';
  // ISO base media: "ftyp" then a brand; heic/heix/mif1 are the photo brands
  if (bytes.toString('latin1', 4, 8) === 'ftyp' && /^(heic|heix|hevc|heim|heis|mif1|msf1)$/.test(bytes.toString('latin1', 8, 12))) return 'image/heic';
  return undefined;
}
