/**
 * @ocppkit/simulator: charging stations in software, for people (the CLI), tests and load (the fleet).
 */
export type { ConnectorView, TransactionView } from './connectors.js';
export type { StationEvent, StationEventListener } from './events.js';
export { type FleetOptions, type FleetSummary, runFleet } from './fleet.js';
export { SCENARIOS, type ScenarioName } from './scenarios/index.js';
export { createStation, simulateStation } from './station.js';
export type { Station, StationOptions, StationProtocol, StopReason } from './station-api.js';
