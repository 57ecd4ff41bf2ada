import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSettingsStore } from '../../src/db/stores/settings-store.js';
import { forEachDatabase } from '../support/databases.js';

forEachDatabase('settings store', (handle) => {
  test('getOrCreate keeps the first value, also when called concurrently', async () => {
    const settings = createSettingsStore(handle().db);
    assert.equal(await settings.get('api-token'), undefined);
    const outcomes = await Promise.all(
      ['a', 'b', 'c'].map((value) => settings.getOrCreate('api-token', value)),
    );
    assert.equal(new Set(outcomes.map((o) => o.value)).size, 1);
    assert.equal(outcomes.filter((o) => o.created).length, 1);
    assert.equal(await settings.get('api-token'), outcomes[0]?.value);
  });
});
