/** How numbers and times are shown: one place, so every page says "12.5 kWh" and "3 min ago" alike. */
import type { VariablePlace } from './api-types';

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export function formatTime(iso: string | number): string {
  return new Date(iso).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

export function formatDuration(fromIso: string, toIso: string | null, now = Date.now()): string {
  const seconds = Math.max(0, Math.round(((toIso ? Date.parse(toIso) : now) - Date.parse(fromIso)) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

/** Wh in, "1.23 kWh" (or "850 Wh" below one kWh) out. */
export function formatEnergy(wh: number | null | undefined): string {
  if (wh === null || wh === undefined || Number.isNaN(wh)) return '—';
  if (Math.abs(wh) < 1000) return `${Math.round(wh)} Wh`;
  return `${(wh / 1000).toLocaleString(undefined, { maximumFractionDigits: 2, minimumFractionDigits: 2 })} kWh`;
}

/** W in, "11.0 kW" out. */
export function formatPower(w: number | null | undefined): string {
  if (w === null || w === undefined || Number.isNaN(w)) return '—';
  if (Math.abs(w) < 1000) return `${Math.round(w)} W`;
  return `${(w / 1000).toLocaleString(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} kW`;
}

export function protocolLabel(protocol: string | null | undefined): string {
  if (!protocol) return '—';
  return protocol.replace(/^ocpp/, 'OCPP ');
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Start of the local day, as the API's `from` filter wants it. */
export function startOfToday(now = new Date()): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}

/** "Component · Variable (instance)", as a 2.0.1 device model names a variable. */
export function variableLabel(v: VariablePlace): string {
  return `${v.componentName} · ${v.variableName}${v.variableInstance ? ` (${v.variableInstance})` : ''}`;
}

/** Where a 2.0.1 component is: "instance X", "EVSE 1", "connector 2"; none for the station itself. */
export function componentPlace(v: VariablePlace): string[] {
  return [
    v.componentInstance && `instance ${v.componentInstance}`,
    v.evseId > 0 && `EVSE ${v.evseId}`,
    v.connectorId > 0 && `connector ${v.connectorId}`,
  ].filter((part): part is string => Boolean(part));
}
