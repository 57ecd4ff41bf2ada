import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createStores } from '../../src/db/index.js';
import { forEachDatabase } from '../support/databases.js';

forEachDatabase('message log store', (handle) => {
  const stores = () => createStores(handle().db);

  test('append, list newest first with an action filter and a cursor', async () => {
    await stores().stations.markConnected('ML-1', 'ocpp1.6');
    await stores().messageLog.append({
      stationIdentity: 'ML-1',
      direction: 'in',
      messageType: 'CALL',
      action: 'Heartbeat',
      messageId: 'm1',
      payload: {},
    });
    await stores().messageLog.appendMany([
      {
        stationIdentity: 'ML-1',
        direction: 'out',
        messageType: 'CALLRESULT',
        action: 'Heartbeat',
        messageId: 'm1',
        payload: { currentTime: 'x' },
      },
      {
        stationIdentity: 'ML-1',
        direction: 'in',
        messageType: 'CALL',
        action: 'StatusNotification',
        messageId: 'm2',
        payload: [1, 2],
      },
    ]);
    const recent = await stores().messageLog.listRecent('ML-1');
    assert.deepEqual(
      recent.map((m) => m.message_id),
      ['m2', 'm1', 'm1'],
    );
    assert.deepEqual(recent[0]?.payload, [1, 2], 'a JSON array payload survives');
    // Stored as JSON text, not jsonb (migration 0006: cheaper to write, and nothing queries inside).
    const column = await sql<{ data_type: string }>`SELECT data_type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'message_log' AND column_name = 'payload'`.execute(
      handle().db,
    );
    assert.deepEqual(column.rows, [{ data_type: 'json' }]);
    // One index to update per row (migration 0007): the primary key serves every query.
    const indexes = await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = 'message_log'`.execute(handle().db);
    assert.deepEqual(
      indexes.rows.map((row) => row.indexdef.replace(/^.* USING /, '')),
      ['btree (station_identity, id)'],
    );
    const heartbeats = await stores().messageLog.listRecent('ML-1', { action: 'Heartbeat' });
    assert.equal(heartbeats.length, 2);
    const older = await stores().messageLog.listRecent('ML-1', { beforeId: recent[0]!.id, limit: 1 });
    assert.deepEqual(
      older.map((m) => m.id),
      [recent[1]!.id],
    );
  });

  test('prune keeps the newest entries of each station', async () => {
    for (const identity of ['ML-P1', 'ML-P2']) {
      await stores().stations.markConnected(identity, 'ocpp2.0.1');
      await stores().messageLog.appendMany(
        Array.from({ length: 5 }, (_, i) => ({
          stationIdentity: identity,
          direction: 'in' as const,
          messageType: 'CALL' as const,
          action: 'Heartbeat',
          messageId: `${identity}-${i}`,
          payload: {},
        })),
      );
    }
    const deleted = await stores().messageLog.prune(2);
    assert.ok(deleted >= 6);
    assert.deepEqual(
      (await stores().messageLog.listRecent('ML-P1')).map((m) => m.message_id),
      ['ML-P1-4', 'ML-P1-3'],
    );
    assert.equal((await stores().messageLog.listRecent('ML-P2')).length, 2);
    assert.equal(await stores().messageLog.prune(2), 0);
  });

  test('a frame with NUL or half a surrogate pair is stored with U+FFFD, and its batch with it', async () => {
    // PostgreSQL's json cannot hold either; before, one such frame failed its whole batch of up to
    // 500 rows, other stations' frames too.
    const entry = (messageId: string, payload: unknown) =>
      ({
        stationIdentity: 'ML-NUL',
        direction: 'in',
        messageType: 'CALL',
        action: 'DataTransfer',
        messageId,
        payload,
      }) as const;
    await stores().messageLog.appendMany([
      entry('ok-before', { vendorId: 'plain' }),
      entry('nul', { vendorId: 'a\u0000b', 'k\u0000': ['\u0000'] }),
      entry('lone', { vendorId: 'x\ud800y\udc00', data: 'end\udbff' }),
      // Not the character: a backslash, then the text "u0000"; an escaped backslash before a NUL.
      entry('text', { vendorId: '\\u0000', data: '\\\u0000' }),
      entry('pair', { vendorId: 'EV \ud83d\udd0c' }),
      entry('id\u0000', { vendorId: 'the message id' }),
      { ...entry('ok-after', {}), stationIdentity: 'ML-NUL-OTHER' },
    ]);
    const rows = (await stores().messageLog.listRecent('ML-NUL')).reverse();
    assert.deepEqual(
      rows.map((row) => [row.message_id, row.payload]),
      [
        ['ok-before', { vendorId: 'plain' }],
        ['nul', { vendorId: 'a\ufffdb', 'k\ufffd': ['\ufffd'] }],
        ['lone', { vendorId: 'x\ufffdy\ufffd', data: 'end\ufffd' }],
        ['text', { vendorId: '\\u0000', data: '\\\ufffd' }],
        ['pair', { vendorId: 'EV \ud83d\udd0c' }],
        ['id\ufffd', { vendorId: 'the message id' }],
      ],
    );
    assert.equal((await stores().messageLog.listRecent('ML-NUL-OTHER')).length, 1);
  });

  test('a CALL stored with its answer is listed as two frames, by append and appendMany alike', async () => {
    const call = {
      stationIdentity: 'ML-PAIR',
      direction: 'out',
      messageType: 'CALL',
      action: 'GetConfiguration',
      payload: { key: ['A'] },
    } as const;
    const calledAt = Date.UTC(2026, 10, 25, 6, 0, 0);
    await stores().messageLog.append({
      ...call,
      messageId: 'c1',
      at: calledAt,
      answer: { messageType: 'CALLRESULT', payload: null, at: calledAt + 250 },
    });
    await stores().messageLog.appendMany([
      { ...call, messageId: 'c2', at: calledAt + 1000 },
      {
        ...call,
        messageId: 'c3',
        at: calledAt + 2000,
        answer: {
          messageType: 'CALLERROR',
          payload: { errorCode: 'NotImplemented', description: 'n\u0000', details: {} },
          at: calledAt + 2500,
        },
      },
    ]);
    const frames = await stores().messageLog.listRecent('ML-PAIR');
    assert.deepEqual(
      frames.map((f) => [f.direction, f.message_type, f.message_id, f.created_at.getTime() - calledAt]),
      [
        ['in', 'CALLERROR', 'c3', 2500],
        ['out', 'CALL', 'c3', 2000],
        ['out', 'CALL', 'c2', 1000],
        ['in', 'CALLRESULT', 'c1', 250],
        ['out', 'CALL', 'c1', 0],
      ],
    );
    assert.equal(frames[3]?.payload, null, 'a JSON null answer is kept as JSON null');
    // The answer's JSON is made storable as the CALL's is.
    assert.deepEqual(frames[0]?.payload, {
      errorCode: 'NotImplemented',
      description: 'n\ufffd',
      details: {},
    });
    assert.deepEqual(frames[1]?.payload, { key: ['A'] });
    const rows = await sql<{ answer_type: string | null }>`SELECT answer_type FROM message_log
      WHERE station_identity = 'ML-PAIR' ORDER BY id`.execute(handle().db);
    assert.deepEqual(
      rows.rows.map((row) => row.answer_type),
      ['CALLRESULT', null, 'CALLERROR'],
    );
    // Paging by frame: a limit may split a row, and the next page starts with the rest of it.
    const first = await stores().messageLog.listRecent('ML-PAIR', { limit: 2 });
    const second = await stores().messageLog.listRecent('ML-PAIR', { limit: 2, beforeId: first[1]!.id });
    const third = await stores().messageLog.listRecent('ML-PAIR', { limit: 2, beforeId: second[1]!.id });
    assert.deepEqual(
      [...first, ...second, ...third].map((f) => f.id),
      frames.map((f) => f.id),
    );
    const split = await stores().messageLog.listRecent('ML-PAIR', { limit: 3, beforeId: frames[0]!.id });
    assert.deepEqual(
      split.map((f) => f.id),
      frames.slice(1, 4).map((f) => f.id),
    );
  });
});
