/**
 * Firmware and logs: UpdateFirmware (1.6 §5.19, 2.0.1 L01; the 1.6 security whitepaper's
 * SignedUpdateFirmware for signed images) and log upload (1.6 GetDiagnostics §5.9, whitepaper GetLog,
 * 2.0.1 N01 GetLog). The generated requestId links the station's later status notifications.
 */
import type * as v16 from 'ocppkit/v16';
import type * as v201 from 'ocppkit/v201';
import { compact, defineCommand, newRequestId } from './command.js';

interface FirmwareBody {
  location: string;
  retrieveAt: string;
  installAt?: string;
  retries?: number;
  retryInterval?: number;
  signingCertificate?: string;
  signature?: string;
}

function signedFirmware(body: FirmwareBody) {
  return {
    retries: body.retries,
    retryInterval: body.retryInterval,
    requestId: newRequestId(),
    firmware: compact({
      location: body.location,
      retrieveDateTime: body.retrieveAt,
      installDateTime: body.installAt,
      signingCertificate: body.signingCertificate,
      signature: body.signature,
    }),
  };
}

const updateFirmware = defineCommand<FirmwareBody>({
  name: 'update-firmware',
  summary: 'Install new firmware (UpdateFirmware; 1.6 SignedUpdateFirmware when signed)',
  description:
    'With signingCertificate and signature a 1.6 station gets SignedUpdateFirmware (security whitepaper). ' +
    'The generated requestId (2.0.1, signed 1.6) is in `request.requestId` of the reply.',
  body: {
    type: 'object',
    properties: {
      location: { type: 'string', minLength: 1, description: 'URI to download from' },
      retrieveAt: { type: 'string', format: 'date-time' },
      installAt: { type: 'string', format: 'date-time', description: '2.0.1 / signed 1.6 only' },
      retries: { type: 'integer', minimum: 0 },
      retryInterval: { type: 'integer', minimum: 0, description: 'seconds' },
      signingCertificate: { type: 'string', description: 'PEM' },
      signature: { type: 'string', description: 'Base64' },
    },
    required: ['location', 'retrieveAt'],
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) =>
      body.signingCertificate && body.signature
        ? {
            action: 'SignedUpdateFirmware',
            payload: compact(signedFirmware(body)) as v16.SignedUpdateFirmwareRequest,
          }
        : {
            action: 'UpdateFirmware',
            payload: compact({
              location: body.location,
              retrieveDate: body.retrieveAt,
              retries: body.retries,
              retryInterval: body.retryInterval,
            }) satisfies v16.UpdateFirmwareRequest,
          },
    'ocpp2.0.1': (body) => ({
      action: 'UpdateFirmware',
      payload: compact(signedFirmware(body)) as v201.UpdateFirmwareRequest,
    }),
  },
});

interface LogBody {
  location: string;
  logType?: 'DiagnosticsLog' | 'SecurityLog';
  from?: string;
  to?: string;
  retries?: number;
  retryInterval?: number;
}

function getLog(body: LogBody) {
  return compact({
    log: compact({ remoteLocation: body.location, oldestTimestamp: body.from, latestTimestamp: body.to }),
    logType: body.logType ?? 'DiagnosticsLog',
    requestId: newRequestId(),
    retries: body.retries,
    retryInterval: body.retryInterval,
  }) satisfies v201.GetLogRequest & v16.GetLogRequest;
}

const getLogCommand = defineCommand<LogBody>({
  name: 'get-log',
  summary: 'Upload logs to a URL (1.6 GetDiagnostics, 2.0.1 GetLog)',
  description: 'A 1.6 SecurityLog uses the 1.6 security extension GetLog.',
  body: {
    type: 'object',
    properties: {
      location: { type: 'string', minLength: 1, description: 'URI to upload to' },
      logType: { type: 'string', enum: ['DiagnosticsLog', 'SecurityLog'], default: 'DiagnosticsLog' },
      from: { type: 'string', format: 'date-time', description: 'Oldest entries to include' },
      to: { type: 'string', format: 'date-time', description: 'Newest entries to include' },
      retries: { type: 'integer', minimum: 0 },
      retryInterval: { type: 'integer', minimum: 0, description: 'seconds' },
    },
    required: ['location'],
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) =>
      body.logType === 'SecurityLog'
        ? { action: 'GetLog', payload: getLog(body) }
        : {
            action: 'GetDiagnostics',
            payload: compact({
              location: body.location,
              startTime: body.from,
              stopTime: body.to,
              retries: body.retries,
              retryInterval: body.retryInterval,
            }) satisfies v16.GetDiagnosticsRequest,
          },
    'ocpp2.0.1': (body) => ({ action: 'GetLog', payload: getLog(body) }),
  },
});

export const MAINTENANCE_COMMANDS = [updateFirmware, getLogCommand];
