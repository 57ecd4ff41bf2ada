/**
 * The benchmark's PostgreSQL CPU figure (bench/postgres.ts, postgresCpuMs): what /proc says of
 * PostgreSQL's processes, live and exited, and nothing of any other process.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { isLocalServer, postgresCpuMs } from '../bench/postgres.js';

/** A /proc/<pid>/stat line: fields 14–17 (utime, stime, cutime, cstime) as given, the rest zeros. */
function statLine(pid: number, comm: string, [utime, stime, cutime, cstime]: number[]): string {
  const afterComm = ['S', ...Array(10).fill('0'), utime, stime, cutime, cstime, ...Array(30).fill('0')];
  return `${pid} (${comm}) ${afterComm.join(' ')}\n`;
}

test('sums the four CPU fields of the postgres processes, in ms, and nothing else', () => {
  const proc = mkdtempSync(join(tmpdir(), 'fake-proc-'));
  try {
    const processes: [number, string, number[]][] = [
      // The postmaster: its children's times are those of the backends it has reaped.
      [100, 'postgres', [1, 2, 300, 40]],
      [101, 'postgres', [50, 7, 0, 0]],
      [102, 'node', [900, 900, 900, 900]],
      // A name with a space and a parenthesis is not PostgreSQL's.
      [103, 'postgres) (x', [900, 900, 900, 900]],
    ];
    for (const [pid, comm, times] of processes) {
      mkdirSync(join(proc, String(pid)));
      writeFileSync(join(proc, String(pid), 'stat'), statLine(pid, comm, times));
    }
    // Not a process, and a process that exited between the listing and the read.
    mkdirSync(join(proc, 'sys'));
    mkdirSync(join(proc, '104'));
    assert.equal(postgresCpuMs(proc), (1 + 2 + 300 + 40 + 50 + 7) * 10);
    rmSync(join(proc, '100'), { recursive: true });
    rmSync(join(proc, '101'), { recursive: true });
    assert.equal(postgresCpuMs(proc), undefined, 'no postgres process: no figure');
    assert.equal(postgresCpuMs(join(proc, 'missing')), undefined);
  } finally {
    rmSync(proc, { recursive: true, force: true });
  }
});

test('only a server on this machine is sampled', () => {
  assert.equal(isLocalServer('postgres://postgres@127.0.0.1:5432/test'), true);
  assert.equal(isLocalServer('postgres://postgres@localhost/test'), true);
  assert.equal(isLocalServer('postgres://postgres@[::1]:5432/test'), true);
  assert.equal(isLocalServer('postgres://postgres@db.example.com:5432/test'), false);
});

const url = process.env.TEST_DATABASE_URL;

test("a query's CPU shows in the figure of a PostgreSQL on this machine", {
  skip: url && isLocalServer(url) ? false : 'needs TEST_DATABASE_URL on this machine',
}, async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const before = postgresCpuMs();
    assert.ok(before !== undefined, 'PostgreSQL runs here, so /proc shows it');
    await client.query('SELECT count(*) FROM generate_series(1, 5000000)');
    const used = postgresCpuMs()! - before;
    // The query costs ~350 ms of CPU on a machine 3.4× the targets' (more on slower ones), however
    // busy the machine is: its wall time would be no yardstick next to other test files.
    assert.ok(used >= 50, `PostgreSQL used ${used} ms for the query`);
  } finally {
    await client.end();
  }
});
