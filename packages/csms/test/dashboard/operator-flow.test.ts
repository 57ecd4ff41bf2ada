/**
 * The operator's day in a real browser: sign in, watch stations come online, start a charge from
 * the station page and see it run, stop it and find its chart, block a token and see the station's
 * next Authorize refused, edit settings of a 1.6 and a 2.0.1 station and read what the latter
 * reported — on a laptop and a phone screen, with screenshots of every page and no console error
 * anywhere.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { databaseKinds, startTestCsms, type TestCsms } from '../support/csms.js';
import {
  assertFitsWidth,
  type DashboardPage,
  eventually,
  launchBrowser,
  missingPrerequisite,
  openDashboard,
  PHONE,
  textBecomes,
} from './browser.js';
import { connectStation16, connectStation201, type Station16, type Station201 } from './test-stations.js';

for (const kind of databaseKinds()) {
  describe(`dashboard in a browser [${kind}]`, { skip: missingPrerequisite() }, () => {
    const id16 = `DASH16-${kind}`;
    const id201 = `DASH201-${kind}`;
    const offline = `DASH-OFFLINE-${kind}`;
    let csms: TestCsms;
    let browser: Browser;
    let station16: Station16;
    let station201: Station201 | undefined;
    let dash: DashboardPage;
    let transactionId: number;

    before(async () => {
      [csms, browser] = await Promise.all([startTestCsms(kind), launchBrowser()]);
      assert.equal(
        (await csms.api('/api/v1/stations', { method: 'POST', body: { identity: offline } })).status,
        201,
      );
      assert.equal(
        (await csms.api('/api/v1/id-tokens', { method: 'POST', body: { idToken: 'TAG-OK' } })).status,
        201,
      );
      station16 = await connectStation16(csms.ocppUrl, id16);
    });
    after(async () => {
      await browser?.close();
      await station16?.close();
      await station201?.close();
      await csms?.stop();
    });

    test('sign-in: a wrong token is refused, the right one is kept and opens the overview', async () => {
      dash = await openDashboard(browser, csms.apiUrl);
      const { page } = dash;
      await page.goto('/');
      await page.locator('input[name=token]').waitFor();
      await dash.screenshot('sign-in');
      await dash.expectingErrors(/status of 401/, async () => {
        await page.fill('input[name=token]', 'not-the-token');
        await page.click('button[type=submit]');
        await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor();
      });
      await page.fill('input[name=token]', csms.apiToken);
      await page.click('button[type=submit]');
      await page.locator('h1', { hasText: 'Overview' }).waitFor();
      assert.equal(await page.evaluate("localStorage.getItem('csms.apiToken')"), csms.apiToken);
      dash.assertNoErrors();
    });

    test('overview: counts follow live events without a reload', async () => {
      const { page } = dash;
      const stat = (name: string) => page.locator(`[data-stat="${name}"] .stat-value`);
      await textBecomes(stat('online'), '1', 'stations online');
      await textBecomes(stat('offline'), '1', 'stations offline');
      await textBecomes(stat('available'), '2', 'connectors available');
      await page.locator('[data-live="live"]').waitFor();
      await page.evaluate('window.sameDocument = true');
      station201 = await connectStation201(csms.ocppUrl, id201);
      await textBecomes(stat('online'), '2', 'stations online after the 2.0.1 station connected');
      await textBecomes(stat('available'), '3', 'connectors available after the 2.0.1 station connected');
      assert.equal(await page.evaluate("'sameDocument' in window"), true, 'the page was not reloaded');
      await dash.screenshot('overview');
      dash.assertNoErrors();
    });

    test('stations: the table shows protocol, vendor, firmware and status, and searches', async () => {
      const { page } = dash;
      await page.click('nav >> text=Stations');
      const rows = page.locator('[data-testid=stations-table] tbody tr');
      await eventually(async () => (await rows.count()) === 3, 'three stations listed');
      const row16 = page.locator(`tr[data-station="${id16}"]`);
      for (const text of ['Online', 'OCPP 1.6', 'Alfen Eve Double Pro', '6.4.2']) {
        await row16.filter({ hasText: text }).waitFor();
      }
      await page.locator(`tr[data-station="${offline}"]`).filter({ hasText: 'Offline' }).waitFor();
      await dash.screenshot('stations');
      await page.fill('input[name=search]', 'Zaptec');
      await eventually(async () => (await rows.count()) === 1, 'the search leaves the Zaptec station');
      assert.equal(await rows.first().getAttribute('data-station'), id201);
      await page.fill('input[name=search]', '');
      await eventually(async () => (await rows.count()) === 3, 'all stations again');
      dash.assertNoErrors();
    });

    test('station page: remote start; the connector turns Charging and the energy rises', async () => {
      const { page } = dash;
      await page.locator(`tr[data-station="${id16}"] a`).click();
      await page.locator('[data-connector="1"][data-status="Available"]').waitFor();
      await page.fill('form[data-command=remote-start] input[name=idToken]', 'TAG-OK');
      await page.click('form[data-command=remote-start] button[type=submit]');
      const result = page.locator('[data-testid=command-result]');
      await result.filter({ hasText: 'RemoteStartTransaction' }).filter({ hasText: 'Accepted' }).waitFor();
      await page.locator('[data-connector="1"][data-status="Charging"]').waitFor();
      const energy = async () =>
        Number(await page.locator('[data-connector="1"] .energy').getAttribute('data-energy-wh'));
      await eventually(async () => (await energy()) > 0, 'energy shown');
      const first = await energy();
      await eventually(async () => (await energy()) > first, 'energy rises on the page');
      transactionId = station16.transactionOn(1) as number;
      assert.ok(transactionId > 0);
      await dash.screenshot('station-charging');

      await page.click('nav >> text=Overview');
      const stat = (name: string) => page.locator(`[data-stat="${name}"] .stat-value`);
      await textBecomes(stat('charging'), '1', 'connectors charging');
      await textBecomes(stat('active-transactions'), '1', 'active transactions');
      await page.goBack();
      await page.locator('[data-connector="1"][data-status="Charging"]').waitFor();
      dash.assertNoErrors();
    });

    test('station page: live protocol log filtered by action; commands show the answer; keys edited', async () => {
      const { page } = dash;
      const log = page.locator('[data-testid=protocol-log]');
      // The default policy's note: the stored log leaves out what the live frames still show.
      await page
        .locator('[data-testid=log-policy]', { hasText: 'leaves out Heartbeats, MeterValues' })
        .waitFor();
      await log.locator('li[data-action="MeterValues"]').first().waitFor();
      await log.locator('li[data-action="RemoteStartTransaction"]').first().waitFor();
      await page.selectOption('#protocol-log select[name=action]', 'RemoteStartTransaction');
      await eventually(async () => {
        const actions = await log
          .locator('li')
          .evaluateAll((items) => items.map((li) => li.getAttribute('data-action')));
        return actions.length >= 2 && actions.every((a) => a === 'RemoteStartTransaction');
      }, 'only RemoteStartTransaction frames (the CALL and its result)');
      await log.locator('li.frame-call button').first().click();
      await log.locator('pre', { hasText: '"idTag": "TAG-OK"' }).waitFor();
      await page.selectOption('#protocol-log select[name=action]', '');

      const result = page.locator('[data-testid=command-result]');
      await page.click('form[data-command=trigger-message] button[type=submit]');
      await result.filter({ hasText: 'TriggerMessage' }).filter({ hasText: 'Accepted' }).waitFor();
      await page.click('[data-command=reset] button:has-text("Soft reset")');
      await result.filter({ hasText: 'Reset' }).filter({ hasText: 'Accepted' }).waitFor();
      await page.click('form[data-command=unlock] button[type=submit]');
      await result.filter({ hasText: 'UnlockConnector' }).filter({ hasText: 'Unlocked' }).waitFor();
      await page.click('form[data-command=change-availability] button[value=Inoperative]');
      await result.filter({ hasText: 'ChangeAvailability' }).filter({ hasText: 'Accepted' }).waitFor();

      await page.click('#settings button:has-text("Read from station")');
      const key = page.locator('#settings tr[data-setting="HeartbeatInterval"]');
      await key.locator('.value', { hasText: '300' }).waitFor();
      await page
        .locator('#settings tr[data-setting="NumberOfConnectors"]', { hasText: 'read-only' })
        .waitFor();
      await key.locator('button:has-text("Edit")').click();
      await key.locator('input[name=value]').fill('120');
      await key.locator('button:has-text("Save")').click();
      await page.locator('[data-testid=settings-outcome]', { hasText: 'Accepted' }).waitFor();
      await key.locator('.value', { hasText: '120' }).waitFor();
      const stored = await csms.api(`/api/v1/stations/${id16}`);
      assert.equal(
        stored.body.configuration.find((c: { key: string }) => c.key === 'HeartbeatInterval')?.value,
        '120',
      );
      await dash.screenshot('station');
      dash.assertNoErrors();
    });

    test('stop: the transaction ends; its page has the chart and the CSV export', async () => {
      const { page } = dash;
      await page.click('[data-connector="1"] button:has-text("Stop")');
      await page
        .locator('[data-testid=command-result]')
        .filter({ hasText: 'RemoteStopTransaction' })
        .filter({ hasText: 'Accepted' })
        .waitFor();
      await page.locator('[data-connector="1"][data-status="Available"]').waitFor();

      await page.click('nav >> text=Transactions');
      const row = page.locator(`tr[data-transaction="${transactionId}"]`);
      await row
        .filter({ hasText: 'Ended' })
        .filter({ hasText: id16 })
        .filter({ hasText: 'TAG-OK' })
        .waitFor();
      await dash.screenshot('transactions');
      await page.selectOption('select[name=state]', 'active');
      await page.getByText('No transaction matches these filters.').waitFor();
      await page.selectOption('select[name=state]', '');
      await row.locator('a', { hasText: `#${transactionId}` }).click();

      const chart = page.locator('[data-testid=power-energy-chart]');
      await chart.waitFor();
      const energyPath = (await chart.locator('path.energy-line').getAttribute('d')) ?? '';
      const powerPath = (await chart.locator('path.power-line').getAttribute('d')) ?? '';
      assert.ok(
        (energyPath.match(/L/g) ?? []).length >= 4,
        `an energy line of several points: ${energyPath}`,
      );
      assert.ok((powerPath.match(/L/g) ?? []).length >= 4, 'a power line of several points');
      await page.locator('[data-stat="energy"] .stat-value', { hasText: 'kWh' }).waitFor();
      await dash.screenshot('transaction');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('a:has-text("Export CSV")'),
      ]);
      assert.equal(download.suggestedFilename(), `transaction-${transactionId}-meter-values.csv`);
      const csv = await readFile(await download.path(), 'utf8');
      assert.match(csv, /^sampled_at,measurand,/);
      assert.ok(csv.split('\n').filter((line) => line.includes('Energy.Active.Import.Register')).length >= 4);
      dash.assertNoErrors();
    });

    test("id tokens: add with a group, expire, block — the station's next Authorize is refused", async () => {
      const { page } = dash;
      await page.click('nav >> text=Id tokens');
      await page.locator('tr[data-token="TAG-OK"]').waitFor();
      await page.fill('form.add-token input[name=idToken]', 'TAG-NEW');
      await page.fill('form.add-token input[name=parentIdToken]', 'FLEET-1');
      await page.click('form.add-token button[type=submit]');
      const added = page.locator('tr[data-token="TAG-NEW"]');
      await added.filter({ hasText: 'FLEET-1' }).waitFor();
      assert.equal(await station16.authorize('TAG-NEW'), 'Accepted');
      await added.locator('button:has-text("Expire")').click();
      await added.locator('.badge', { hasText: 'Expired' }).waitFor();
      assert.equal(await station16.authorize('TAG-NEW'), 'Expired');

      const ok = page.locator('tr[data-token="TAG-OK"]');
      await ok.locator('button:has-text("Edit")').click();
      await page.fill('tr.editing input[name=parentIdToken]', 'FLEET-1');
      await page.click('tr.editing button[type=submit]');
      await ok.filter({ hasText: 'FLEET-1' }).waitFor();

      assert.equal(await station16.authorize('TAG-OK'), 'Accepted');
      await ok.locator('button:has-text("Block")').click();
      await ok.locator('.badge', { hasText: 'Blocked' }).waitFor();
      assert.equal(await station16.authorize('TAG-OK'), 'Blocked', 'the next Authorize after blocking');
      await dash.screenshot('id-tokens');
      dash.assertNoErrors();
    });

    test('2.0.1 station: variables edited with SetVariables; password and security profile set', async () => {
      const { page } = dash;
      await page.goto(`/stations/${id201}`);
      const variable = page.locator('#settings tr[data-setting="OCPPCommCtrlr · HeartbeatInterval"]');
      await variable.locator('.value', { hasText: '300' }).waitFor();
      await page
        .locator('#settings tr[data-setting="EVSE · AvailabilityState"]', { hasText: 'read-only' })
        .waitFor();
      await variable.locator('button:has-text("Edit")').click();
      await variable.locator('input[name=value]').fill('120');
      await variable.locator('button:has-text("Save")').click();
      await page.locator('[data-testid=settings-outcome]', { hasText: 'Accepted' }).waitFor();
      await variable.locator('.value', { hasText: '120' }).waitFor();
      assert.deepEqual(station201?.setVariables[0]?.setVariableData, [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
          attributeType: 'Actual',
          attributeValue: '120',
        },
      ]);

      await page.selectOption('#security select[name=securityProfile]', '1');
      await page.click('#security button:has-text("Save")');
      await page.locator('#security .notice-ok').waitFor();
      await page.fill('#security input[name=password]', 'correct-horse-battery-9');
      await page.click('#security button:has-text("Set password")');
      await page.locator('#security .notice-ok', { hasText: 'Password set' }).waitFor();
      assert.equal((await csms.api(`/api/v1/stations/${id201}`)).body.securityProfile, 1);
      await textBecomes(page.locator('[data-fact="security-profile"]'), '1', 'the security profile shown');
      await dash.screenshot('station-201');
      dash.assertNoErrors();
    });

    test('2.0.1 station: reports and monitors appear live as the station sends them', async () => {
      const { page } = dash;
      await page.goto(`/stations/${id201}`);
      await page.locator('#records .empty', { hasText: 'No reports received.' }).waitFor();
      const chargePoint = station201!.chargePoint;
      const generatedAt = new Date().toISOString();
      await chargePoint.call('NotifyCustomerInformation', {
        data: 'Customer 42: 3 sessions in 2026',
        seqNo: 0,
        tbc: false,
        requestId: 77,
        generatedAt,
      });
      await chargePoint.call('NotifyMonitoringReport', {
        requestId: 78,
        seqNo: 0,
        generatedAt,
        monitor: [
          {
            component: { name: 'EVSE', evse: { id: 1 } },
            variable: { name: 'Power' },
            variableMonitoring: [
              { id: 4, transaction: true, value: 22_000, type: 'UpperThreshold', severity: 2 },
            ],
          },
        ],
      });
      const report = page.locator('#records tr[data-report=customer_information]');
      await report.locator('summary', { hasText: 'Customer 42: 3 sessions in 2026' }).waitFor();
      await textBecomes(
        report.locator('td[data-label="Request · part"]'),
        '77 · 0',
        'the request and part shown',
      );
      const monitor = page.locator('#records tr[data-monitor="EVSE · Power #4"]');
      await monitor.locator('td', { hasText: 'UpperThreshold #4' }).waitFor();
      await monitor.locator('.muted', { hasText: 'EVSE 1' }).waitFor();
      await monitor.locator('.muted', { hasText: 'during transactions only' }).waitFor();
      await report.locator('summary').click();
      await report.locator('pre.payload', { hasText: '"requestId": 77' }).waitFor();
      await dash.screenshot('station-201-records');
      dash.assertNoErrors();
    });

    test('phone: every page fits a phone screen', async () => {
      const phone = await openDashboard(browser, csms.apiUrl, {
        viewport: PHONE,
        mobile: true,
        token: csms.apiToken,
      });
      const pages = [
        ['overview', '/', '[data-stat="online"]'],
        ['stations', '/stations', '[data-testid=stations-table]'],
        ['station', `/stations/${id16}`, '[data-connector="1"]'],
        ['transactions', '/transactions', '[data-testid=transactions-table]'],
        ['transaction', `/transactions/${transactionId}`, '[data-testid=power-energy-chart]'],
        ['id-tokens', '/id-tokens', '[data-testid=id-tokens-table]'],
      ] as const;
      for (const [name, path, ready] of pages) {
        await phone.page.goto(path);
        await phone.page.locator(ready).first().waitFor();
        await assertFitsWidth(phone.page, name);
        await phone.screenshot(`phone-${name}`);
      }
      phone.assertNoErrors();
      await phone.context.close();
    });

    test('the station saw no failure in what the dashboard made it do', () => {
      assert.deepEqual(station16.problems, []);
    });
  });
}
