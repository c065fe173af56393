import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REF, type AttachmentStore, type StoredFile } from './attachment-store.ts';

/**
 * Attachments as files under one folder, named by the SHA-256 of their bytes (two levels of folders by its first
 * digits, so no folder grows huge). Written to a temporary name and renamed, so a crash never leaves half a file
 * under a reference. The type is read from the bytes again when a file is served (image-type.ts). The folder is made
 * when the first file comes.
 */
export class FileAttachmentStore implements AttachmentStore {
  /** folders known to exist: a mail sweep puts hundreds of files a second, and a mkdir each is most of its time */
  private readonly made = new Set<string>();

  constructor(private readonly dir: string) {}

  async put(bytes: Buffer, mime: string): Promise<StoredFile> {
    const hex = createHash('sha256').update(bytes).digest('hex');
    const folder = join(this.dir, hex.slice(0, 2), hex.slice(2, 4));
    if (!this.made.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.made.add(folder);
    }
    const file = join(folder, hex);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, bytes).catch(async (err: NodeJS.ErrnoException) => {
      // the folder went away under us (a clean-up): made again, once
      if (err.code !== 'ENOENT') throw err;
      await mkdir(folder, { recursive: true });
      await writeFile(tmp, bytes);
    });
    await rename(tmp, file);
    return { ref: `sha256:${hex}`, mime, size: bytes.length };
  }

  async get(ref: string): Promise<Buffer | undefined> {
    if (!REF.test(ref)) return undefined;
    const hex = ref.slice('sha256:'.length);
    try {
      return await readFile(join(this.dir, hex.slice(0, 2), hex.slice(2, 4), hex));
    } catch {
      return undefined;
    }
  }
}
