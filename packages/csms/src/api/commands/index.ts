import { AUTHORIZATION_COMMANDS } from './authorization-commands.js';
import { CHARGING_COMMANDS } from './charging-commands.js';
import { CONFIGURATION_COMMANDS } from './configuration-commands.js';
import { MAINTENANCE_COMMANDS } from './maintenance-commands.js';
import { SESSION_COMMANDS } from './session-commands.js';
import { STATION_COMMANDS } from './station-commands.js';

export type { CommandContext, FriendlyCommand, OutgoingCall } from './command.js';
export { CSMS_ACTIONS, isCsmsAction } from './csms-actions.js';

/** Every friendly command, each served at POST /api/v1/stations/{id}/{name}. */
export const FRIENDLY_COMMANDS = [
  ...SESSION_COMMANDS,
  ...STATION_COMMANDS,
  ...AUTHORIZATION_COMMANDS,
  ...MAINTENANCE_COMMANDS,
  ...CONFIGURATION_COMMANDS,
  ...CHARGING_COMMANDS,
];
