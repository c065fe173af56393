import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** what this machine lacks for an Ext4Disk (root, loop devices, e2fsprogs), or undefined */
export function ext4DiskMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'root (mount and losetup)';
  if (!existsSync('/dev/loop-control')) return 'loop devices (/dev/loop-control)';
  if (spawnSync('mkfs.ext4', ['-V'], { stdio: 'ignore' }).status !== 0) return 'mkfs.ext4 and e2fsck (apt-get install e2fsprogs)';
  return undefined;
}

/**
 * A small ext4 disk of its own (an image file on a loop device, root only) that the kernel can be made to turn
 * read-only under a running process, as it does after an I/O error with `errors=remount-ro`. Linux refuses
 * `mount -o remount,ro` (EBUSY) while any process holds a file on it open for writing, as SQLite does: a disk
 * goes read-only under a live database only this way, and comes back only after an unmount and a fsck.
 */
export class Ext4Disk {
  readonly dir: string;
  private readonly backing: string;
  private readonly image: string;

  constructor(root: string, private readonly sizeMb = 64) {
    this.dir = join(root, 'disk');
    this.backing = join(root, 'backing');
    this.image = join(this.backing, 'disk.img');
  }

  create(): void {
    // the image in memory: an fsync costs what it costs on a fast disk, not on the machine's own
    mkdirSync(this.backing, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${this.sizeMb + 8}m`, 'tmpfs', this.backing]);
    execFileSync('truncate', ['-s', `${this.sizeMb}M`, this.image]);
    execFileSync('mkfs.ext4', ['-q', '-F', this.image]);
    this.mount();
  }

  mount(): void {
    mkdirSync(this.dir, { recursive: true });
    execFileSync('mount', ['-o', 'loop,errors=remount-ro', this.image, this.dir]);
  }

  /** what the kernel does on a metadata error: aborts the journal and makes every write fail with EROFS */
  failReadOnly(): void {
    const device = execFileSync('findmnt', ['-n', '-o', 'SOURCE', this.dir]).toString().trim();
    writeFileSync(`/sys/fs/ext4/${basename(device)}/trigger_fs_error`, 'disk test: read-only from here\n');
  }

  /** what an operator does once nothing holds the disk: unmount, check, mount again (read-write) */
  repair(): void {
    this.unmount();
    try {
      execFileSync('e2fsck', ['-f', '-y', this.image], { stdio: 'ignore' });
    } catch (err) {
      // 1: errors were corrected, which is what a journal aborted under a writer leaves
      if ((err as { status?: number }).status !== 1) throw err;
    }
    this.mount();
  }

  unmount(): void {
    execFileSync('umount', [this.dir]);
  }

  /** the disk and the memory under it, whatever state a failed test left them in */
  destroy(): void {
    for (const dir of [this.dir, this.backing]) {
      try {
        // lazy: a bridge killed a moment ago may still hold its files
        execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      } catch {
        // not mounted
      }
    }
  }
}
