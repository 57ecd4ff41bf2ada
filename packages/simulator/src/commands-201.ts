/**
 * How a simulated OCPP 2.0.1 charging station answers the CSMS (Part 2, the "Charging Station"
 * requirements of blocks B, C, D, E, F, H, J, K, L, N, P). Handlers answer at once; the work a
 * command starts runs in the `after` hook, once the answer has been sent.
 */
import type * as v201 from 'ocppkit/v201';
import { toStoredProfile201 } from './messages-201.js';
import type { Station201 } from './station-201.js';
import { describe } from './station-core.js';

const PURPOSES = {
  ChargingStationMaxProfile: 'StationMax',
  TxDefaultProfile: 'TxDefault',
  TxProfile: 'Tx',
  ChargingStationExternalConstraints: 'External',
} as const;

export function registerCommands201(cp: v201.ChargePoint, station: Station201): void {
  const fail = (what: string) => (error: unknown) =>
    station.emit({ type: 'error', message: `${what}: ${describe(error)}`, error });
  const evseOf = (id: number | undefined) => (id ? station.ports[id - 1] : undefined);
  const byTransaction = (id: string) => station.ports.find((c) => c.transaction?.transactionId === id);
  const remoteStarts = new Map<string, number>();

  cp.handle('RequestStartTransaction', (request, { messageId }) => {
    // F01.FR.*: without evseId the station picks an EVSE; a charging profile must be a TxProfile.
    const candidates = request.evseId === undefined ? station.ports : [evseOf(request.evseId)];
    const free = candidates.filter((c) => c && !c.transaction && c.operative && station.stationOperative);
    const chosen = free.find((c) => c?.plugged) ?? free[0];
    const profileOk =
      !request.chargingProfile || request.chargingProfile.chargingProfilePurpose === 'TxProfile';
    if (!chosen || !profileOk) return { status: 'Rejected' };
    remoteStarts.set(messageId, chosen.id);
    return { status: 'Accepted' };
  });
  cp.after('RequestStartTransaction', (request, _response, { messageId }) => {
    const evseId = remoteStarts.get(messageId);
    remoteStarts.delete(messageId);
    if (evseId === undefined) return;
    station
      .startCharging(evseId, request.idToken.idToken, {
        authorize: station.deviceModel.value('AuthCtrlr', 'AuthorizeRemoteStart') === 'true',
        remoteStartId: request.remoteStartId,
        chargingProfile: request.chargingProfile,
      })
      .catch(fail('remote start'));
  });

  cp.handle('RequestStopTransaction', (request) => ({
    status: byTransaction(request.transactionId) ? 'Accepted' : 'Rejected',
  }));
  cp.after('RequestStopTransaction', (request, response) => {
    const c = byTransaction(request.transactionId);
    if (response.status === 'Accepted' && c) station.stopCharging(c.id, 'Remote').catch(fail('remote stop'));
  });

  cp.handle('Reset', (request) => {
    if (request.evseId !== undefined) {
      return { status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedRequest' } };
    }
    // B12.FR.01: OnIdle waits for running transactions (Scheduled); Immediate stops them (B12.FR.05).
    if (request.type === 'OnIdle' && station.ports.some((c) => c.transaction)) {
      station.resetWhenIdle = true;
      return { status: 'Scheduled' };
    }
    return { status: 'Accepted' };
  });
  cp.after('Reset', async (_request, response) => {
    if (response.status !== 'Accepted') return;
    for (const c of station.ports) if (c.transaction) station.endTransaction(c, 'ImmediateReset');
    await station.reboot('RemoteReset').catch(fail('reset'));
  });

  cp.handle('UnlockConnector', (request) => {
    const c = evseOf(request.evseId);
    if (!c || request.connectorId !== 1) return { status: 'UnknownConnector' };
    // F05.FR.02: never unlock under an authorized transaction.
    if (c.transaction) return { status: 'OngoingAuthorizedTransaction' };
    return { status: 'Unlocked' };
  });

  cp.handle('ChangeAvailability', (request) => {
    const inoperative = request.operationalStatus === 'Inoperative';
    if (!request.evse || request.evse.id === 0) {
      station.stationOperative = !inoperative;
      station.later(0, () => station.reportAllStatuses());
      // G03.FR.05: a station-wide change waits for running transactions.
      return { status: inoperative && station.ports.some((c) => c.transaction) ? 'Scheduled' : 'Accepted' };
    }
    const c = evseOf(request.evse.id);
    if (!c) return { status: 'Rejected' };
    let status: v201.ChangeAvailabilityStatusEnumType = 'Accepted';
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

  cp.handle('GetVariables', (request) => ({
    getVariableResult: request.getVariableData.map((data) => station.deviceModel.get(data)),
  }));
  cp.handle('SetVariables', (request) => ({
    setVariableResult: request.setVariableData.map((data) => station.deviceModel.set(data)),
  }));

  cp.handle('GetBaseReport', () => ({ status: 'Accepted' }));
  cp.after('GetBaseReport', async (request) => {
    // B07.FR.03–10: the report in NotifyReport parts, seqNo from 0, tbc on all but the last.
    const items = station.deviceModel.report(request.reportBase);
    const perMessage = Math.max(
      1,
      station.deviceModel.int('DeviceDataCtrlr', 'ItemsPerMessage', 20, 'GetReport'),
    );
    const parts = Math.max(1, Math.ceil(items.length / perMessage));
    const generatedAt = new Date().toISOString();
    for (let seqNo = 0; seqNo < parts && station.canTalk(); seqNo++) {
      const reportData = items.slice(seqNo * perMessage, (seqNo + 1) * perMessage);
      await station
        .call('NotifyReport', {
          requestId: request.requestId,
          generatedAt,
          seqNo,
          tbc: seqNo < parts - 1,
          reportData,
        })
        .catch(fail('NotifyReport'));
    }
  });

  cp.handle('TriggerMessage', (request) => {
    const evse = request.evse;
    if (evse && (!evseOf(evse.id) || (evse.connectorId !== undefined && evse.connectorId !== 1))) {
      return { status: 'Rejected' };
    }
    switch (request.requestedMessage) {
      case 'BootNotification':
        // F06.FR.17: no triggered BootNotification once accepted.
        return { status: station.registrationStatus === 'Accepted' ? 'Rejected' : 'Accepted' };
      case 'TransactionEvent': {
        const withTx = evse ? [evseOf(evse.id)] : station.ports;
        return { status: withTx.some((c) => c?.transaction) ? 'Accepted' : 'Rejected' };
      }
      case 'Heartbeat':
      case 'StatusNotification':
      case 'MeterValues':
      case 'FirmwareStatusNotification':
      case 'LogStatusNotification':
        return { status: 'Accepted' };
      default:
        return { status: 'NotImplemented' };
    }
  });
  cp.after('TriggerMessage', async (request, response) => {
    if (response.status !== 'Accepted') return;
    const targets = request.evse ? [evseOf(request.evse.id)!] : station.ports;
    switch (request.requestedMessage) {
      case 'BootNotification':
        await station.bootOnTrigger().catch(fail('triggered BootNotification'));
        return;
      case 'Heartbeat':
        await station.sendHeartbeat().catch(() => {});
        return;
      case 'StatusNotification':
        for (const c of targets) station.reportStatus(c, true);
        return;
      case 'MeterValues':
        for (const c of targets) station.sendMeterValues(c, 'Trigger');
        return;
      case 'TransactionEvent':
        for (const c of targets) station.sendTransactionUpdate(c, 'Trigger');
        return;
      case 'FirmwareStatusNotification':
        await station
          .call('FirmwareStatusNotification', {
            status: station.firmwareStatus,
            ...(station.firmwareRequestId === undefined ? {} : { requestId: station.firmwareRequestId }),
          })
          .catch(() => {});
        return;
      case 'LogStatusNotification':
        await station
          .call('LogStatusNotification', {
            status: station.logStatus,
            ...(station.logRequestId === undefined ? {} : { requestId: station.logRequestId }),
          })
          .catch(() => {});
        return;
    }
  });

  cp.handle('SetChargingProfile', (request) => {
    const profile = request.chargingProfile;
    const c = evseOf(request.evseId);
    const purpose = profile.chargingProfilePurpose;
    // K01.FR.*: TxProfile only on an EVSE with (that) transaction; the station maximum only on EVSE 0.
    const invalid =
      (request.evseId !== 0 && !c) ||
      profile.stackLevel > station.deviceModel.int('SmartChargingCtrlr', 'ProfileStackLevel', 10) ||
      (purpose === 'ChargingStationMaxProfile' && request.evseId !== 0) ||
      (purpose === 'TxProfile' &&
        (!c?.transaction ||
          (profile.transactionId !== undefined && profile.transactionId !== c.transaction.transactionId)));
    if (invalid) return { status: 'Rejected' };
    station.profiles.install(toStoredProfile201(request.evseId, profile));
    station.later(0, () => station.reportAllStatuses());
    return { status: 'Accepted' };
  });
  cp.handle('ClearChargingProfile', (request) => {
    const criteria = request.chargingProfileCriteria;
    const cleared = station.profiles.clear({
      id: request.chargingProfileId,
      connectorId: criteria?.evseId,
      purpose: criteria?.chargingProfilePurpose && PURPOSES[criteria.chargingProfilePurpose],
      stackLevel: criteria?.stackLevel,
    });
    station.later(0, () => station.reportAllStatuses());
    return { status: cleared > 0 ? 'Accepted' : 'Unknown' };
  });
  cp.handle('GetCompositeSchedule', (request) => {
    const c = evseOf(request.evseId);
    if (request.evseId !== 0 && !c) return { status: 'Rejected' };
    const unit = request.chargingRateUnit ?? 'W';
    const now = Date.now();
    const periods = station.profiles.composite(
      request.evseId,
      now,
      request.duration,
      c?.transaction?.startedAt.getTime(),
      unit,
      station.options.powerKw * 1000,
    );
    return {
      status: 'Accepted',
      schedule: {
        evseId: request.evseId,
        duration: request.duration,
        scheduleStart: new Date(now).toISOString(),
        chargingRateUnit: unit,
        chargingSchedulePeriod: periods,
      },
    };
  });

  cp.handle('ReserveNow', (request) => {
    const candidates = request.evseId === undefined ? station.ports : [evseOf(request.evseId)];
    if (candidates.some((c) => c === undefined)) return { status: 'Rejected' };
    const usable = candidates.filter((c) => c?.operative && station.stationOperative);
    if (usable.length === 0) return { status: 'Unavailable' };
    const free = usable.find(
      (c) => c && !c.transaction && !c.plugged && (!c.reservation || c.reservation.id === request.id),
    );
    if (!free) return { status: 'Occupied' };
    station.reserve(free, request.id, request.idToken.idToken, new Date(request.expiryDateTime));
    return { status: 'Accepted' };
  });
  cp.handle('CancelReservation', (request) => ({
    status: station.cancelReservation(request.reservationId) ? 'Accepted' : 'Rejected',
  }));

  cp.handle('SendLocalList', (request) => {
    if (station.deviceModel.value('LocalAuthListCtrlr', 'Enabled') !== 'true') return { status: 'Failed' };
    const entries = (request.localAuthorizationList ?? []).map((e) => ({
      idToken: e.idToken.idToken,
      status: e.idTokenInfo?.status,
    }));
    return { status: station.localList.update(request.versionNumber, request.updateType, entries) };
  });
  cp.handle('GetLocalListVersion', () => ({ versionNumber: station.localList.version }));
  cp.handle('ClearCache', () => ({ status: 'Accepted' }));

  cp.handle('UpdateFirmware', () => ({ status: 'Accepted' }));
  cp.after('UpdateFirmware', (request) => {
    // L01: Downloading → Downloaded → Installing → Installed, each with the request's requestId.
    const steps: v201.FirmwareStatusEnumType[] = ['Downloading', 'Downloaded', 'Installing', 'Installed'];
    const startIn = Math.max(0, Date.parse(request.firmware.retrieveDateTime) - Date.now());
    station.firmwareRequestId = request.requestId;
    station.inSteps(steps, startIn, (status) => {
      station.firmwareStatus = status;
      if (status === 'Installed') station.firmwareVersion = `${station.firmwareVersion}+1`;
      if (station.canTalk()) {
        station.call('FirmwareStatusNotification', { status, requestId: request.requestId }).catch(() => {});
      }
    });
  });

  cp.handle('GetLog', () => ({ status: 'Accepted', filename: `${station.identity}-${Date.now()}.log` }));
  cp.after('GetLog', (request) => {
    // N01: Uploading → Uploaded, with the request's requestId.
    const steps: v201.UploadLogStatusEnumType[] = ['Uploading', 'Uploaded'];
    station.logRequestId = request.requestId;
    station.inSteps(steps, 0, (status) => {
      station.logStatus = status;
      if (station.canTalk()) {
        station.call('LogStatusNotification', { status, requestId: request.requestId }).catch(() => {});
      }
    });
  });

  cp.handle('DataTransfer', (request) => {
    // P01: only our own vendor id is known.
    if (request.vendorId !== station.options.vendor) return { status: 'UnknownVendorId' };
    return { status: 'Accepted', ...(request.data === undefined ? {} : { data: request.data }) };
  });
}
