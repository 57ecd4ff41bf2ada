/**
 * Keeps station passwords out of the message log and the live event stream: the CSMS sends them in
 * 1.6 ChangeConfiguration (key AuthorizationKey) and 2.0.1 SetVariables (SecurityCtrlr
 * BasicAuthPassword). 1.6 security whitepaper A01.FR.09 and 2.0.1 A01.FR.09: the CSMS SHOULD NOT put
 * passwords in clear text in log files.
 */
import type { Frame, FrameEvent } from 'ocppkit';

const REDACTED = '[redacted]';

type Payload = Record<string, unknown>;

function isObject(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 1.6 configuration keys are CiString50 (§9), so the key is compared ignoring case. */
function setsAuthorizationKey(payload: Payload): boolean {
  return typeof payload.key === 'string' && payload.key.toLowerCase() === 'authorizationkey';
}

function isPasswordVariable(entry: unknown): entry is Payload {
  return isObject(entry) && isObject(entry.variable) && entry.variable.name === 'BasicAuthPassword';
}

function redactChangeConfiguration(payload: Payload): Payload | undefined {
  return setsAuthorizationKey(payload) ? { ...payload, value: REDACTED } : undefined;
}

/** A SetVariables payload that sets BasicAuthPassword among its variables. */
function setsPasswordVariable(payload: Payload): payload is Payload & { setVariableData: unknown[] } {
  return Array.isArray(payload.setVariableData) && payload.setVariableData.some(isPasswordVariable);
}

function redactSetVariables(payload: Payload): Payload | undefined {
  if (!setsPasswordVariable(payload)) return undefined;
  const redacted = payload.setVariableData.map((entry: unknown) =>
    isPasswordVariable(entry) ? { ...entry, attributeValue: REDACTED } : entry,
  );
  return { ...payload, setVariableData: redacted };
}

/**
 * Whether a CALL to a station sets its Basic Auth password. Only the password route may send one:
 * it stores the hash the CSMS checks the station's next connection against, where a password sent
 * any other way would lock the station out, and be stored in clear as its configuration.
 */
export function setsStationPassword(action: string, payload: unknown): boolean {
  if (!isObject(payload)) return false;
  if (action === 'ChangeConfiguration') return setsAuthorizationKey(payload);
  if (action === 'SetVariables') return setsPasswordVariable(payload);
  return false;
}

/** The event itself, or a copy whose frame and text have the password replaced. */
export function redactSecrets(event: FrameEvent): FrameEvent {
  const frame = event.frame;
  if (frame?.[0] !== 2 || !isObject(frame[3])) return event;
  const payload = frame[3];
  const redacted =
    frame[2] === 'ChangeConfiguration'
      ? redactChangeConfiguration(payload)
      : frame[2] === 'SetVariables'
        ? redactSetVariables(payload)
        : undefined;
  if (!redacted) return event;
  const safeFrame: Frame = [frame[0], frame[1], frame[2], redacted];
  return { ...event, frame: safeFrame, text: JSON.stringify(safeFrame) };
}
