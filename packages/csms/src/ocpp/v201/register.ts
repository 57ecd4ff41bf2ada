import type * as v201 from 'ocppkit/v201';
import type { StationSession } from '../station-session.js';

export function registerV201Handlers(_cp: v201.ChargePoint, _session: StationSession): void {}
