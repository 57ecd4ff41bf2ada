/**
 * The API bearer token: CSMS_API_TOKEN when set; otherwise one generated on the first start and kept
 * in the settings table, so scripts and the CLI keep working across restarts.
 */
import { randomBytes } from 'node:crypto';
import type { SettingsStore } from '../db/index.js';

const SETTING_KEY = 'api_token';

export interface ApiTokenSource {
  readonly token: string;
  /** 'config' = CSMS_API_TOKEN / --api-token; 'generated' = created now; 'stored' = from an earlier start. */
  readonly origin: 'config' | 'generated' | 'stored';
}

export async function resolveApiToken(
  configured: string | undefined,
  settings: SettingsStore,
): Promise<ApiTokenSource> {
  if (configured) return { token: configured, origin: 'config' };
  const { value, created } = await settings.getOrCreate(SETTING_KEY, randomBytes(24).toString('base64url'));
  return { token: value, origin: created ? 'generated' : 'stored' };
}
