import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DatabaseError } from './errors.js';

// PGlite takes no lock on its data directory, and two processes writing one directory
// corrupt it, so the CSMS keeps its own lock file in there (PostgreSQL ignores it).
const LOCK_FILE = 'csms.lock';

// Directories this process holds: its own pid in a lock file means "held" only if listed
// here; otherwise the file is left over from an earlier life with the same pid (containers).
const heldHere = new Set<string>();

/**
 * Takes the data directory for this process, creating the directory if needed. A lock left
 * by a process that is gone (killed, crashed) is taken over. Returns the release function.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const directory = resolve(dataDir);
  const lockPath = join(directory, LOCK_FILE);
  if (heldHere.has(directory)) throw lockedError(directory, process.pid);
  await mkdir(directory, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(lockPath, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      heldHere.add(directory);
      return async () => {
        heldHere.delete(directory);
        await rm(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (isAnotherLiveProcess(holder)) throw lockedError(directory, holder);
      await rm(lockPath, { force: true });
    }
  }
  throw lockedError(directory, undefined);
}

function isAnotherLiveProcess(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(directory: string, pid: number | undefined): DatabaseError {
  return new DatabaseError(
    'DB_DATA_DIR_LOCKED',
    `PGlite data directory ${directory} is in use${pid ? ` by process ${pid}` : ''}; ` +
      `if no CSMS is running, delete ${join(directory, LOCK_FILE)}`,
  );
}
