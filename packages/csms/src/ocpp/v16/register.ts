import type * as v16 from 'ocppkit/v16';
import type { StationSession } from '../station-session.js';

export function registerV16Handlers(_cp: v16.ChargePoint, _session: StationSession): void {}
