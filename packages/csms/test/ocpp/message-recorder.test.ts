/**
 * The message log is written behind the stations, and waits while they wait for the database (a
 * boot storm), so a frame's row must carry the time the frame was seen, not the time it was written.
 * A CALL and its answer share a row; what finds no partner in time is a row of its own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import type { Frame, FrameEvent } from 'ocppkit';
import { pino } from 'pino';
import { createStores } from '../../src/db/index.js';
import { groupCommits } from '../../src/ocpp/group-commits.js';
import { MessageRecorder } from '../../src/ocpp/message-recorder.js';
import { forEachDatabase } from '../support/databases.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const silent = pino({ level: 'silent' });
const newStation = (identity: string) => ({
  identity,
  logRowsSinceTrim: 0,
  logCallIn: undefined,
  logCallOut: undefined,
});
/** A frame as the library reports it (the text is not what the recorder reads). */
function seen(direction: 'in' | 'out', frame: Frame, action?: string): FrameEvent {
  return { direction, text: JSON.stringify(frame), frame, action } as FrameEvent;
}

forEachDatabase('message recorder', (handle) => {
  test('a frame is stamped with the time it was seen, not the time its row was written', async () => {
    const stores = createStores(handle().db);
    const recorder = new MessageRecorder(stores, 100, silent);
    const station = newStation('MR-STAMP');
    const seenAt = Date.now();
    recorder.record(station, {
      direction: 'in',
      text: '[2,"m1","Heartbeat",{}]',
      frame: [2, 'm1', 'Heartbeat', {}],
      action: 'Heartbeat',
    });
    // Stations waiting for the database (real group calls, one every 10 ms) hold the log back.
    const until = Date.now() + 400;
    while (Date.now() < until) {
      await groupCommits(stores).credentials.call(station.identity);
      await sleep(10);
    }
    assert.deepEqual(await stores.messageLog.listRecent(station.identity), [], 'not written while busy');
    await recorder.flush();
    const [row] = await stores.messageLog.listRecent(station.identity);
    assert.equal(row?.action, 'Heartbeat');
    const lag = row.created_at.getTime() - seenAt;
    assert.ok(lag >= 0 && lag < 100, `stamped ${lag} ms after it was seen`);
    assert.equal(station.logRowsSinceTrim, 1);
  });

  test('a CALL and its answer share a row, listed as two frames; what finds no partner is alone', async () => {
    const stores = createStores(handle().db);
    const recorder = new MessageRecorder(stores, 100, silent, { holdMs: 60_000 });
    const station = newStation('MR-PAIR');
    const status = { connectorId: 1, status: 'Available', errorCode: 'NoError' };
    // The station's CALL and the CSMS's answer.
    recorder.record(station, seen('in', [2, 's1', 'StatusNotification', status], 'StatusNotification'));
    recorder.record(station, seen('out', [3, 's1', {}], 'StatusNotification'));
    // A CSMS command, refused by the station.
    recorder.record(station, seen('out', [2, 'c1', 'Reset', { type: 'Soft' }], 'Reset'));
    recorder.record(station, seen('in', [4, 'c1', 'NotSupported', 'no', {}], 'Reset'));
    // A command the station never answers before it leaves; meanwhile an answer with another id
    // (not its answer), and a CALL of the station that another one overtakes.
    recorder.record(station, seen('out', [2, 'c2', 'ClearCache', {}], 'ClearCache'));
    recorder.record(station, seen('in', [3, 'stray', {}]));
    recorder.record(station, seen('in', [2, 's2', 'Heartbeat', {}], 'Heartbeat'));
    recorder.record(station, seen('in', [2, 's3', 'Heartbeat', {}], 'Heartbeat'));
    recorder.record(station, seen('out', [3, 's3', { currentTime: 'now' }], 'Heartbeat'));
    recorder.stationLeft(station);
    await recorder.flush();
    const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM message_log
      WHERE station_identity = 'MR-PAIR'`.execute(handle().db);
    assert.equal(rows.rows[0]?.n, 6, 'four pairs and lone frames in six rows');
    assert.equal(station.logRowsSinceTrim, 0, 'trimmed as it left');
    const frames = await stores.messageLog.listRecent('MR-PAIR');
    assert.deepEqual(
      frames.map((f) => [f.direction, f.message_type, f.message_id, f.action]),
      [
        ['out', 'CALL', 'c2', 'ClearCache'],
        ['out', 'CALLRESULT', 's3', 'Heartbeat'],
        ['in', 'CALL', 's3', 'Heartbeat'],
        ['in', 'CALL', 's2', 'Heartbeat'],
        ['in', 'CALLRESULT', 'stray', null],
        ['in', 'CALLERROR', 'c1', 'Reset'],
        ['out', 'CALL', 'c1', 'Reset'],
        ['out', 'CALLRESULT', 's1', 'StatusNotification'],
        ['in', 'CALL', 's1', 'StatusNotification'],
      ],
    );
    assert.deepEqual(frames[5]?.payload, { errorCode: 'NotSupported', description: 'no', details: {} });
    assert.deepEqual(frames[8]?.payload, status);
    // Frame ids: a row's CALL, then its answer one above; newest first, every id distinct.
    assert.equal(frames[1]!.id, frames[2]!.id + 1);
    assert.ok(frames.every((f, i) => i === 0 || f.id < frames[i - 1]!.id));
    assert.ok(frames[7]!.created_at >= frames[8]!.created_at, 'each frame keeps its own time');
    // Pages: from an answer's id, the next page starts with its CALL.
    const page = await stores.messageLog.listRecent('MR-PAIR', { beforeId: frames[1]!.id, limit: 2 });
    assert.deepEqual(
      page.map((f) => f.id),
      [frames[2]!.id, frames[3]!.id],
    );
    const resets = await stores.messageLog.listRecent('MR-PAIR', { action: 'Reset' });
    assert.deepEqual(
      resets.map((f) => f.message_type),
      ['CALLERROR', 'CALL'],
    );
  });

  test('a routine CALL is dropped with its CALLRESULT, kept with a CALLERROR or when unanswered', async () => {
    const stores = createStores(handle().db);
    const recorder = new MessageRecorder(stores, 100, silent, { holdMs: 50 });
    const station = newStation('MR-ROUTINE');
    const sample = { connectorId: 1, meterValue: [] };
    recorder.record(station, seen('in', [2, 'r1', 'MeterValues', sample], 'MeterValues'), true);
    recorder.record(station, seen('out', [3, 'r1', {}], 'MeterValues'));
    recorder.record(station, seen('in', [2, 'r2', 'MeterValues', sample], 'MeterValues'), true);
    recorder.record(station, seen('out', [4, 'r2', 'FormationViolation', 'bad', {}], 'MeterValues'));
    recorder.record(station, seen('in', [2, 'r3', 'Heartbeat', {}], 'Heartbeat'), true);
    await sleep(300);
    await recorder.flush();
    const frames = await stores.messageLog.listRecent('MR-ROUTINE');
    assert.deepEqual(
      frames.map((f) => [f.message_type, f.message_id]),
      [
        ['CALL', 'r3'],
        ['CALLERROR', 'r2'],
        ['CALL', 'r2'],
      ],
    );
    assert.equal(station.logRowsSinceTrim, 2, 'the dropped exchange is not counted');
  });

  test('a CALL left unanswered is written alone after the hold, and its late answer too', async () => {
    const stores = createStores(handle().db);
    const recorder = new MessageRecorder(stores, 100, silent, { holdMs: 50 });
    const station = newStation('MR-HOLD');
    recorder.record(station, seen('out', [2, 'c1', 'TriggerMessage', { requestedMessage: 'Heartbeat' }]));
    await sleep(300);
    assert.equal(station.logCallOut, undefined, 'released by the sweep');
    recorder.record(station, seen('in', [3, 'c1', { status: 'Accepted' }], 'TriggerMessage'));
    await recorder.flush();
    const frames = await stores.messageLog.listRecent('MR-HOLD');
    assert.deepEqual(
      frames.map((f) => f.message_type),
      ['CALLRESULT', 'CALL'],
    );
    assert.equal(frames[0]!.id - frames[1]!.id, 2, 'two rows');
  });
});
