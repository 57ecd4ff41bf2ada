/**
 * The fleet scenarios, by name. Each gets a FleetContext and returns when done or aborted.
 */
import type { FleetContext } from '../fleet-context.js';
import { bootStorm } from './boot-storm.js';
import { charge } from './charge.js';
import { idle } from './idle.js';
import { reconnectStorm } from './reconnect-storm.js';

export interface Scenario {
  readonly description: string;
  run(context: FleetContext): Promise<void>;
}

export const SCENARIOS = {
  idle,
  charge,
  'boot-storm': bootStorm,
  'reconnect-storm': reconnectStorm,
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}
