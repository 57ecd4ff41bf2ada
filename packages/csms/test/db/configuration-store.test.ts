import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStores } from '../../src/db/index.js';
import { forEachDatabase } from '../support/databases.js';

forEachDatabase('configuration and device model stores', (handle) => {
  const stores = () => createStores(handle().db);

  test('1.6 configuration keys upsert and list', async () => {
    await stores().stations.markConnected('CFG-1', 'ocpp1.6');
    const keys = [
      { key: 'HeartbeatInterval', readonly: false, value: '300' },
      { key: 'NumberOfConnectors', readonly: true, value: '2' },
      { key: 'HeartbeatInterval', readonly: false, value: '600' },
      { key: 'AuthorizationKey', readonly: false },
    ];
    assert.equal(await stores().configuration.upsertMany('CFG-1', keys), 3);
    assert.equal(await stores().configuration.upsertMany('CFG-1', keys), 3);
    await stores().configuration.setValue('CFG-1', 'NumberOfConnectors', '3');
    const rows = await stores().configuration.list('CFG-1');
    assert.deepEqual(
      rows.map((r) => [r.key, r.value, r.readonly]),
      [
        ['AuthorizationKey', null, false],
        ['HeartbeatInterval', '600', false],
        ['NumberOfConnectors', '3', true],
      ],
    );
    assert.equal(await stores().configuration.upsertMany('CFG-1', []), 0);
  });

  test('2.0.1 device model: report, then values, keyed by component and variable', async () => {
    await stores().stations.markConnected('DM-1', 'ocpp2.0.1');
    const report = [
      {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'HeartbeatInterval' },
        variableAttribute: [
          { type: 'Actual', value: '300', mutability: 'ReadWrite' },
          { type: 'MaxSet', value: '3600' },
        ],
        variableCharacteristics: { dataType: 'integer', supportsMonitoring: false },
      },
      {
        component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
        variable: { name: 'AvailabilityState' },
        variableAttribute: [{ value: 'Available', mutability: 'ReadOnly' }],
      },
    ];
    assert.equal(await stores().deviceModel.upsertReport('DM-1', report), 3);
    assert.equal(await stores().deviceModel.upsertReport('DM-1', report), 3);
    await stores().deviceModel.upsertValues('DM-1', [
      { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, value: '60' },
    ]);
    const rows = await stores().deviceModel.list('DM-1');
    assert.equal(rows.length, 3);
    const heartbeat = rows.find(
      (r) => r.variable_name === 'HeartbeatInterval' && r.attribute_type === 'Actual',
    );
    assert.equal(heartbeat?.value, '60');
    assert.equal(heartbeat?.mutability, 'ReadWrite', 'values-only update keeps what the report said');
    assert.deepEqual(heartbeat?.characteristics, { dataType: 'integer', supportsMonitoring: false });
    const connector = await stores().deviceModel.list('DM-1', { componentName: 'Connector' });
    assert.deepEqual(
      connector.map((r) => [r.evse_id, r.connector_id, r.component_instance, r.attribute_type]),
      [[1, 1, '', 'Actual']],
    );
  });
});
