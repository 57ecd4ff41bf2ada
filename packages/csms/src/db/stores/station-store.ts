import type { Kysely } from 'kysely';
import type { Database, OcppProtocol, RegistrationStatus, SecurityProfile, StationRow } from '../schema.js';
import { containsPattern, type Instant, toDate, toNullableJsonb } from './conversions.js';
import { type Page, type PageRequest, pageBounds } from './pagination.js';
import { stationBatchQueries } from './station-batches.js';
import { inTransaction } from './transaction-scope.js';

/** A station as the API may show it: everything but its password hashes. */
export type StationView = Omit<
  StationRow,
  'password_hash' | 'password_salt' | 'previous_password_hash' | 'previous_password_salt'
>;

/** What Basic authentication needs; kept apart so hashes never reach an API response by accident. */
export interface StationCredentials {
  passwordHash: string | null;
  passwordSalt: string | null;
  /** Still accepted until the station confirms the new password. */
  previousPasswordHash: string | null;
  previousPasswordSalt: string | null;
  securityProfile: SecurityProfile;
}

export interface PasswordHash {
  hash: string;
  salt: string;
}

export interface NewStation {
  identity: string;
  securityProfile?: SecurityProfile;
  password?: PasswordHash;
  registrationStatus?: RegistrationStatus;
}

/** BootNotification contents, flattened over 1.6 and 2.0.1/2.1. */
export interface StationBoot {
  registrationStatus: RegistrationStatus;
  vendor: string;
  model: string;
  serialNumber?: string;
  /** 1.6 chargeBoxSerialNumber. */
  chargeBoxSerialNumber?: string;
  firmwareVersion?: string;
  iccid?: string;
  imsi?: string;
  meterType?: string;
  meterSerialNumber?: string;
  /** 2.0.1 BootReasonEnumType. */
  bootReason?: string;
  /** The request as received. */
  payload: unknown;
  at?: Instant;
}

export interface StationListFilter extends PageRequest {
  /** Matches part of the identity, vendor, model or serial number, ignoring case. */
  search?: string;
  connected?: boolean;
}

const VIEW_COLUMNS = [
  'identity',
  'protocol',
  'registration_status',
  'vendor',
  'model',
  'serial_number',
  'charge_box_serial_number',
  'firmware_version',
  'iccid',
  'imsi',
  'meter_type',
  'meter_serial_number',
  'boot_reason',
  'boot_payload',
  'booted_at',
  'connected',
  'connected_at',
  'disconnected_at',
  'last_contact_at',
  'security_profile',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof StationView)[];

export function createStationStore(db: Kysely<Database>) {
  return {
    ...stationBatchQueries(db),

    /** Adds a station; undefined when one with this identity exists already. */
    async create(station: NewStation): Promise<StationView | undefined> {
      return db
        .insertInto('stations')
        .values({
          identity: station.identity,
          security_profile: station.securityProfile ?? 0,
          password_hash: station.password?.hash ?? null,
          password_salt: station.password?.salt ?? null,
          registration_status: station.registrationStatus ?? null,
        })
        .onConflict((oc) => oc.column('identity').doNothing())
        .returning(VIEW_COLUMNS)
        .executeTakeFirst();
    },

    /**
     * Records a new connection, creating the station row on first contact.
     * Returns connectedAt: pass it to markDisconnected when this connection closes.
     */
    async markConnected(identity: string, protocol: OcppProtocol, at: Instant = new Date()): Promise<Date> {
      const connectedAt = toDate(at);
      await db
        .insertInto('stations')
        .values({
          identity,
          protocol,
          connected: true,
          connected_at: connectedAt,
          last_contact_at: connectedAt,
        })
        .onConflict((oc) =>
          oc.column('identity').doUpdateSet({
            protocol,
            connected: true,
            connected_at: connectedAt,
            last_contact_at: connectedAt,
            updated_at: new Date(),
          }),
        )
        .execute();
      return connectedAt;
    },

    /**
     * Records that a connection closed. With `connectedAt`, only if no newer connection has
     * been recorded since: a station that reconnects fast can have its old socket's close
     * handled after the new socket's open. Returns whether the row changed.
     */
    async markDisconnected(identity: string, connectedAt?: Date, at: Instant = new Date()): Promise<boolean> {
      let query = db
        .updateTable('stations')
        .set({ connected: false, disconnected_at: toDate(at), updated_at: new Date() })
        .where('identity', '=', identity);
      if (connectedAt) query = query.where('connected_at', '<=', connectedAt);
      const result = await query.executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** At start-up no station is connected to this process, whatever the last run left behind. */
    async markAllDisconnected(at: Instant = new Date()): Promise<number> {
      const result = await db
        .updateTable('stations')
        .set({ connected: false, disconnected_at: toDate(at), updated_at: new Date() })
        .where('connected', '=', true)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Stores a BootNotification and the registration status the CSMS answered with. */
    async recordBoot(identity: string, boot: StationBoot): Promise<void> {
      const fields = {
        registration_status: boot.registrationStatus,
        vendor: boot.vendor,
        model: boot.model,
        serial_number: boot.serialNumber ?? null,
        charge_box_serial_number: boot.chargeBoxSerialNumber ?? null,
        firmware_version: boot.firmwareVersion ?? null,
        iccid: boot.iccid ?? null,
        imsi: boot.imsi ?? null,
        meter_type: boot.meterType ?? null,
        meter_serial_number: boot.meterSerialNumber ?? null,
        boot_reason: boot.bootReason ?? null,
        boot_payload: toNullableJsonb(boot.payload),
        booted_at: toDate(boot.at ?? new Date()),
      };
      await db
        .insertInto('stations')
        .values({ identity, ...fields })
        .onConflict((oc) => oc.column('identity').doUpdateSet({ ...fields, updated_at: new Date() }))
        .execute();
    },

    /** Cheap per-message update of last_contact_at (updated_at is left alone on purpose). */
    async touch(identity: string, at: Instant = new Date()): Promise<void> {
      await db
        .updateTable('stations')
        .set({ last_contact_at: toDate(at) })
        .where('identity', '=', identity)
        .execute();
    },

    async get(identity: string): Promise<StationView | undefined> {
      return db
        .selectFrom('stations')
        .select(VIEW_COLUMNS)
        .where('identity', '=', identity)
        .executeTakeFirst();
    },

    /** Stations ordered by identity. */
    async list(filter: StationListFilter = {}): Promise<Page<StationView>> {
      const { limit, offset } = pageBounds(filter);
      let query = db.selectFrom('stations');
      if (filter.connected !== undefined) query = query.where('connected', '=', filter.connected);
      if (filter.search) {
        const pattern = containsPattern(filter.search);
        query = query.where((eb) =>
          eb.or([
            eb('identity', 'ilike', pattern),
            eb('vendor', 'ilike', pattern),
            eb('model', 'ilike', pattern),
            eb('serial_number', 'ilike', pattern),
          ]),
        );
      }
      const [items, count] = await Promise.all([
        query.select(VIEW_COLUMNS).orderBy('identity').limit(limit).offset(offset).execute(),
        query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: count.total, limit, offset };
    },

    /**
     * Removes the station and, by cascade, everything recorded for it, transactions included; its
     * message log, connector status and meter values have no foreign key to it (migrations 0004,
     * 0005, 0010), so they go in the same transaction.
     */
    async delete(identity: string): Promise<boolean> {
      return inTransaction(db, async (trx) => {
        const unlinked = [
          'message_log',
          'connector_status_history',
          'connector_status',
          'meter_values',
        ] as const;
        for (const table of unlinked) {
          await trx.deleteFrom(table).where('station_identity', '=', identity).execute();
        }
        const result = await trx.deleteFrom('stations').where('identity', '=', identity).executeTakeFirst();
        return result.numDeletedRows > 0n;
      });
    },

    async setRegistrationStatus(identity: string, status: RegistrationStatus): Promise<boolean> {
      const result = await db
        .updateTable('stations')
        .set({ registration_status: status, updated_at: new Date() })
        .where('identity', '=', identity)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async setSecurityProfile(identity: string, profile: SecurityProfile): Promise<boolean> {
      const result = await db
        .updateTable('stations')
        .set({ security_profile: profile, updated_at: new Date() })
        .where('identity', '=', identity)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async getCredentials(identity: string): Promise<StationCredentials | undefined> {
      const row = await db
        .selectFrom('stations')
        .select([
          'password_hash',
          'password_salt',
          'previous_password_hash',
          'previous_password_salt',
          'security_profile',
        ])
        .where('identity', '=', identity)
        .executeTakeFirst();
      return (
        row && {
          passwordHash: row.password_hash,
          passwordSalt: row.password_salt,
          previousPasswordHash: row.previous_password_hash,
          previousPasswordSalt: row.previous_password_salt,
          securityProfile: row.security_profile,
        }
      );
    },

    /**
     * Makes `password` current and keeps the old one as previous, so the station can still
     * log in while the change is in flight. Setting the current password again is a no-op,
     * so a retry doesn't push the real previous password out. False if no such station.
     */
    async setPassword(identity: string, password: PasswordHash): Promise<boolean> {
      await db
        .updateTable('stations')
        .set((eb) => ({
          previous_password_hash: eb.ref('password_hash'),
          previous_password_salt: eb.ref('password_salt'),
          password_hash: password.hash,
          password_salt: password.salt,
          updated_at: new Date(),
        }))
        .where('identity', '=', identity)
        .where('password_hash', 'is distinct from', password.hash)
        .execute();
      const station = await db
        .selectFrom('stations')
        .select('identity')
        .where('identity', '=', identity)
        .executeTakeFirst();
      return station !== undefined;
    },

    /** The station accepted the new password: the old one stops working. */
    async clearPreviousPassword(identity: string): Promise<void> {
      await db
        .updateTable('stations')
        .set({ previous_password_hash: null, previous_password_salt: null, updated_at: new Date() })
        .where('identity', '=', identity)
        .execute();
    },

    /**
     * The station refused the first password it was given: it goes on without one, as before.
     * (revertPasswordChange restores a previous password; here there was none.)
     */
    async removePassword(identity: string): Promise<void> {
      await db
        .updateTable('stations')
        .set({
          password_hash: null,
          password_salt: null,
          previous_password_hash: null,
          previous_password_salt: null,
          updated_at: new Date(),
        })
        .where('identity', '=', identity)
        .execute();
    },

    /** The station refused the new password: the previous one becomes current again. */
    async revertPasswordChange(identity: string): Promise<void> {
      await db
        .updateTable('stations')
        .set((eb) => ({
          password_hash: eb.ref('previous_password_hash'),
          password_salt: eb.ref('previous_password_salt'),
          previous_password_hash: null,
          previous_password_salt: null,
          updated_at: new Date(),
        }))
        .where('identity', '=', identity)
        .where('previous_password_hash', 'is not', null)
        .execute();
    },
  };
}

export type StationStore = ReturnType<typeof createStationStore>;
