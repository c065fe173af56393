/** "10 MB", "200 KB": a size as the citizen and the operator read it (decimal units, as phones show file sizes) */
export function sizeInWords(bytes: number): string {
  return bytes >= 1_000_000 ? `${Number((bytes / 1_000_000).toFixed(1))} MB` : `${Math.round(bytes / 1000)} KB`;
}
