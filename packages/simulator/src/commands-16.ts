/**
 * How a simulated OCPP 1.6 charge point answers the Central System (1.6 §5 "Operations initiated by
 * Central System"). Handlers answer at once; the work a command starts (a transaction, a reboot, a
 * triggered message, firmware steps) runs in the `after` hook, once the answer has been sent.
 */
import type * as v16 from 'ocppkit/v16';
import { toStoredProfile } from './messages-16.js';
import type { Station16 } from './station-16.js';
import { describe } from './station-core.js';

export function registerCommands16(cp: v16.ChargePoint, station: Station16): void {
  const fail = (what: string) => (error: unknown) =>
    station.emit({ type: 'error', message: `${what}: ${describe(error)}`, error });
  const connectorOf = (id: number | undefined) => (id ? station.ports[id - 1] : undefined);
  const remoteStarts = new Map<string, number>();

  cp.handle('RemoteStartTransaction', (request, { messageId }) => {
    // §5.11: without a connectorId the charge point picks one; connector 0 is never valid.
    const candidates = request.connectorId === undefined ? station.ports : [connectorOf(request.connectorId)];
    const free = candidates.filter(
      (c) => c && !c.transaction && c.operative && station.stationOperative,
    ) as Station16['ports'];
    const chosen = free.find((c) => c.plugged) ?? free[0];
    const profileOk =
      !request.chargingProfile || request.chargingProfile.chargingProfilePurpose === 'TxProfile';
    if (!chosen || !profileOk) return { status: 'Rejected' };
    remoteStarts.set(messageId, chosen.id);
    return { status: 'Accepted' };
  });
  cp.after('RemoteStartTransaction', (request, _response, { messageId }) => {
    const connectorId = remoteStarts.get(messageId);
    remoteStarts.delete(messageId);
    if (connectorId === undefined) return;
    const authorize = station.config.bool('AuthorizeRemoteTxRequests');
    station
      .startCharging(connectorId, request.idTag, { authorize, chargingProfile: request.chargingProfile })
      .catch(fail('remote start'));
  });

  cp.handle('RemoteStopTransaction', (request) => {
    const c = station.ports.find(
      (p) => p.transaction && p.transaction.transactionId === request.transactionId,
    );
    return { status: c ? 'Accepted' : 'Rejected' };
  });
  cp.after('RemoteStopTransaction', (request, response) => {
    const c = station.ports.find(
      (p) => p.transaction && p.transaction.transactionId === request.transactionId,
    );
    if (response.status === 'Accepted' && c) station.stopCharging(c.id, 'Remote').catch(fail('remote stop'));
  });

  cp.handle('Reset', () => ({ status: 'Accepted' }));
  cp.after('Reset', async (request) => {
    // §5.14: stop transactions (reason SoftReset / HardReset), then restart and boot again.
    const reason = request.type === 'Hard' ? 'HardReset' : 'SoftReset';
    for (const c of station.ports) if (c.transaction) station.endTransaction(c, reason);
    await station.reboot(reason).catch(fail('reset'));
  });

  cp.handle('UnlockConnector', (request) => {
    const c = connectorOf(request.connectorId);
    if (!c) return { status: 'NotSupported' };
    // §5.18: a running transaction is stopped first (reason UnlockCommand).
    if (c.transaction) station.endTransaction(c, 'UnlockCommand');
    return { status: 'Unlocked' };
  });

  cp.handle('ChangeAvailability', (request) => {
    const inoperative = request.type === 'Inoperative';
    if (request.connectorId === 0) {
      station.stationOperative = !inoperative;
      for (const c of station.ports) {
        c.operative = true;
        c.inoperativeWhenIdle = false;
      }
      station.later(0, () => {
        if (station.canTalk()) station.sendStationStatus().catch(() => {});
        station.reportAllStatuses();
      });
      // §5.2: Scheduled when a transaction keeps a connector busy until it ends.
      const busy = inoperative && station.ports.some((c) => c.transaction);
      return { status: busy ? 'Scheduled' : 'Accepted' };
    }
    const c = connectorOf(request.connectorId);
    if (!c) return { status: 'Rejected' };
    let status: v16.ChangeAvailabilityResponseStatus = 'Accepted';
    if (inoperative && c.transaction) {
      c.inoperativeWhenIdle = true;
      status = 'Scheduled';
    } else {
      c.operative = !inoperative;
      c.inoperativeWhenIdle = false;
    }
    station.later(0, () => station.reportStatus(c));
    return { status };
  });

  cp.handle('GetConfiguration', (request) => {
    const { known, unknown } = station.config.get(request.key);
    return { configurationKey: known, ...(unknown.length ? { unknownKey: unknown } : {}) };
  });
  cp.handle('ChangeConfiguration', (request) => ({
    status: station.config.change(request.key, request.value),
  }));

  cp.handle('TriggerMessage', (request) => {
    if (request.connectorId !== undefined && request.connectorId > station.ports.length) {
      return { status: 'Rejected' };
    }
    return { status: 'Accepted' };
  });
  cp.after('TriggerMessage', async (request, response) => {
    if (response.status !== 'Accepted') return;
    const targets = request.connectorId ? [connectorOf(request.connectorId)!] : station.ports;
    switch (request.requestedMessage) {
      case 'BootNotification':
        await station.bootOnTrigger().catch(fail('triggered BootNotification'));
        return;
      case 'Heartbeat':
        await station.sendHeartbeat().catch(() => {});
        return;
      case 'StatusNotification':
        if (request.connectorId === 0 || request.connectorId === undefined) {
          await station.sendStationStatus().catch(() => {});
        }
        if (request.connectorId !== 0) for (const c of targets) station.reportStatus(c, true);
        return;
      case 'MeterValues':
        for (const c of targets) station.sendMeterValues(c, 'Trigger');
        return;
      case 'FirmwareStatusNotification':
        await station.call('FirmwareStatusNotification', { status: station.firmwareStatus }).catch(() => {});
        return;
      case 'DiagnosticsStatusNotification':
        await station
          .call('DiagnosticsStatusNotification', { status: station.diagnosticsStatus })
          .catch(() => {});
        return;
    }
  });

  cp.handle('SetChargingProfile', (request) => {
    const profile = request.csChargingProfiles;
    const c = connectorOf(request.connectorId);
    const maxStack = station.config.int('ChargeProfileMaxStackLevel', 10);
    // §3.13.2 / §5.16: TxProfile only on a connector with a transaction; ChargePointMaxProfile only on 0.
    const invalid =
      (request.connectorId !== 0 && !c) ||
      profile.stackLevel > maxStack ||
      (profile.chargingProfilePurpose === 'ChargePointMaxProfile' && request.connectorId !== 0) ||
      (profile.chargingProfilePurpose === 'TxProfile' &&
        (!c?.transaction ||
          (profile.transactionId !== undefined && profile.transactionId !== c.transaction.transactionId)));
    if (invalid) return { status: 'Rejected' };
    station.profiles.install(toStoredProfile(request.connectorId, profile));
    station.later(0, () => station.reportAllStatuses());
    return { status: 'Accepted' };
  });
  cp.handle('ClearChargingProfile', (request) => {
    const purposes = {
      ChargePointMaxProfile: 'StationMax',
      TxDefaultProfile: 'TxDefault',
      TxProfile: 'Tx',
    } as const;
    const cleared = station.profiles.clear({
      id: request.id,
      connectorId: request.connectorId,
      purpose: request.chargingProfilePurpose && purposes[request.chargingProfilePurpose],
      stackLevel: request.stackLevel,
    });
    station.later(0, () => station.reportAllStatuses());
    return { status: cleared > 0 ? 'Accepted' : 'Unknown' };
  });
  cp.handle('GetCompositeSchedule', (request) => {
    const c = connectorOf(request.connectorId);
    if (request.connectorId !== 0 && !c) return { status: 'Rejected' };
    const unit = request.chargingRateUnit ?? 'A';
    const now = Date.now();
    const periods = station.profiles.composite(
      request.connectorId,
      now,
      request.duration,
      c?.transaction?.startedAt.getTime(),
      unit,
      station.options.powerKw * 1000,
    );
    const scheduleStart = new Date(now).toISOString();
    return {
      status: 'Accepted',
      connectorId: request.connectorId,
      scheduleStart,
      chargingSchedule: {
        duration: request.duration,
        startSchedule: scheduleStart,
        chargingRateUnit: unit,
        chargingSchedulePeriod: periods,
      },
    };
  });

  cp.handle('ReserveNow', (request) => {
    const c = connectorOf(request.connectorId);
    if (!c) return { status: 'Rejected' }; // ReserveConnectorZeroSupported is false
    if (!c.operative || !station.stationOperative) return { status: 'Unavailable' };
    if (c.transaction || c.plugged || (c.reservation && c.reservation.id !== request.reservationId)) {
      return { status: 'Occupied' };
    }
    station.reserve(c, request.reservationId, request.idTag, new Date(request.expiryDate));
    return { status: 'Accepted' };
  });
  cp.handle('CancelReservation', (request) => ({
    status: station.cancelReservation(request.reservationId) ? 'Accepted' : 'Rejected',
  }));

  cp.handle('SendLocalList', (request) => {
    if (!station.config.bool('LocalAuthListEnabled')) return { status: 'NotSupported' };
    const entries = request.localAuthorizationList ?? [];
    if (entries.length > station.config.int('SendLocalListMaxLength', 100)) return { status: 'Failed' };
    const list = entries.map((e) => ({ idToken: e.idTag, status: e.idTagInfo?.status }));
    return { status: station.localList.update(request.listVersion, request.updateType, list) };
  });
  cp.handle('GetLocalListVersion', () => ({
    // §5.10: -1 when local authorization lists are not enabled.
    listVersion: station.config.bool('LocalAuthListEnabled') ? station.localList.version : -1,
  }));
  cp.handle('ClearCache', () => ({ status: 'Accepted' }));

  cp.handle('UpdateFirmware', () => ({}));
  cp.after('UpdateFirmware', (request) => {
    // §5.19 / §6.3: Downloading → Downloaded → Installing → Installed, from retrieveDate on.
    const steps: v16.FirmwareStatusNotificationRequestStatus[] = [
      'Downloading',
      'Downloaded',
      'Installing',
      'Installed',
    ];
    const startIn = Math.max(0, Date.parse(request.retrieveDate) - Date.now());
    station.inSteps(steps, startIn, (status) => {
      station.firmwareStatus = status;
      if (status === 'Installed') station.firmwareVersion = `${station.firmwareVersion}+1`;
      if (station.canTalk()) station.call('FirmwareStatusNotification', { status }).catch(() => {});
    });
  });
  cp.handle('GetDiagnostics', () => ({ fileName: `diagnostics-${station.identity}-${Date.now()}.log` }));
  cp.after('GetDiagnostics', () => {
    const steps: v16.DiagnosticsStatusNotificationRequestStatus[] = ['Uploading', 'Uploaded'];
    station.inSteps(steps, 0, (status) => {
      station.diagnosticsStatus = status;
      if (station.canTalk()) station.call('DiagnosticsStatusNotification', { status }).catch(() => {});
    });
  });

  cp.handle('DataTransfer', (request) => {
    // Only our own vendor id is known; §5.6 answers UnknownVendorId for the rest.
    if (request.vendorId !== station.options.vendor) return { status: 'UnknownVendorId' };
    return { status: 'Accepted', ...(request.data === undefined ? {} : { data: request.data }) };
  });
}
