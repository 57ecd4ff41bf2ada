/**
 * Smart charging: set and clear charging profiles, read the composite schedule (OCPP 1.6 §5.16,
 * §5.5, §5.7; 2.0.1 K01, K10, K08). Profiles are passed in the station's version's shape, because 1.6 and
 * 2.0.1 profiles differ (csChargingProfiles vs chargingProfile, chargingSchedule list); the library
 * checks them against the right schema.
 */
import type * as v16 from 'ocppkit/v16';
import type * as v201 from 'ocppkit/v201';
import {
  compact,
  connector16,
  defineCommand,
  evse201,
  type Location,
  locationProperties,
} from './command.js';

const purpose = {
  type: 'string',
  enum: [
    'ChargePointMaxProfile',
    'ChargingStationMaxProfile',
    'TxDefaultProfile',
    'TxProfile',
    'ChargingStationExternalConstraints',
  ],
  description:
    '1.6: ChargePointMaxProfile; 2.0.1: ChargingStationMaxProfile, ChargingStationExternalConstraints',
} as const;

interface SetProfileBody extends Location {
  chargingProfile: object;
}

const setChargingProfile = defineCommand<SetProfileBody>({
  name: 'set-charging-profile',
  summary: 'Install a charging profile (SetChargingProfile)',
  description:
    "`chargingProfile` is a 1.6 csChargingProfiles or a 2.0.1 ChargingProfileType, per the station's version. " +
    'Without evseId/connectorId it applies to the whole station (0).',
  body: {
    type: 'object',
    properties: { ...locationProperties, chargingProfile: { type: 'object' } },
    required: ['chargingProfile'],
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) => ({
      action: 'SetChargingProfile',
      payload: {
        connectorId: connector16(body) ?? 0,
        csChargingProfiles: body.chargingProfile as v16.SetChargingProfileRequest['csChargingProfiles'],
      } satisfies v16.SetChargingProfileRequest,
    }),
    'ocpp2.0.1': (body) => ({
      action: 'SetChargingProfile',
      payload: {
        evseId: evse201(body)?.id ?? 0,
        chargingProfile: body.chargingProfile as v201.ChargingProfileType,
      } satisfies v201.SetChargingProfileRequest,
    }),
  },
});

interface ClearProfileBody extends Location {
  chargingProfileId?: number;
  purpose?: string;
  stackLevel?: number;
}

const clearChargingProfile = defineCommand<ClearProfileBody>({
  name: 'clear-charging-profile',
  summary: 'Remove charging profiles by id or by criteria (ClearChargingProfile)',
  body: {
    type: 'object',
    properties: {
      chargingProfileId: { type: 'integer' },
      ...locationProperties,
      purpose,
      stackLevel: { type: 'integer', minimum: 0 },
    },
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) => ({
      action: 'ClearChargingProfile',
      payload: compact({
        id: body.chargingProfileId,
        connectorId: connector16(body),
        chargingProfilePurpose: body.purpose as v16.ClearChargingProfileRequest['chargingProfilePurpose'],
        stackLevel: body.stackLevel,
      }) satisfies v16.ClearChargingProfileRequest,
    }),
    'ocpp2.0.1': (body) => {
      const criteria = compact({
        evseId: evse201(body)?.id,
        chargingProfilePurpose: body.purpose as v201.ChargingProfilePurposeEnumType | undefined,
        stackLevel: body.stackLevel,
      });
      return {
        action: 'ClearChargingProfile',
        payload: compact({
          chargingProfileId: body.chargingProfileId,
          chargingProfileCriteria: Object.keys(criteria).length > 0 ? criteria : undefined,
        }) satisfies v201.ClearChargingProfileRequest,
      };
    },
  },
});

interface CompositeBody extends Location {
  duration: number;
  chargingRateUnit?: 'A' | 'W';
}

const getCompositeSchedule = defineCommand<CompositeBody>({
  name: 'get-composite-schedule',
  summary: 'Ask for the schedule that results from all profiles (GetCompositeSchedule); stored when Accepted',
  body: {
    type: 'object',
    properties: {
      duration: { type: 'integer', minimum: 1, description: 'seconds' },
      chargingRateUnit: { type: 'string', enum: ['A', 'W'] },
      ...locationProperties,
    },
    required: ['duration'],
    additionalProperties: false,
  },
  build: {
    'ocpp1.6': (body) => ({
      action: 'GetCompositeSchedule',
      payload: compact({
        connectorId: connector16(body) ?? 0,
        duration: body.duration,
        chargingRateUnit: body.chargingRateUnit,
      }) satisfies v16.GetCompositeScheduleRequest,
    }),
    'ocpp2.0.1': (body) => ({
      action: 'GetCompositeSchedule',
      payload: compact({
        evseId: evse201(body)?.id ?? 0,
        duration: body.duration,
        chargingRateUnit: body.chargingRateUnit,
      }) satisfies v201.GetCompositeScheduleRequest,
    }),
  },
  async afterResponse(call, response, context) {
    if ((response as { status?: string }).status !== 'Accepted') return;
    const payload = call.payload as { connectorId?: number; evseId?: number };
    await context.deps.stores.chargingProfiles.record({
      stationIdentity: context.identity,
      kind: 'composite_schedule',
      evseId: payload.evseId ?? payload.connectorId ?? 0,
      payload: response,
    });
  },
});

export const CHARGING_COMMANDS = [setChargingProfile, clearChargingProfile, getCompositeSchedule];
