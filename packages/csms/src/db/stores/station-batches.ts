/**
 * The station store's queries for many stations at once, for the CSMS's group commits (a boot
 * storm, the last contacts of a busy CSMS): one statement per batch, the rows passed as one array
 * per column (unnest), which PostgreSQL and PGlite parse and plan at a fraction of the cost of a
 * VALUES list. Each returns one answer per input, in input order. A station named twice in one
 * batch is handled in a second statement, so no statement touches a row twice.
 */
import { type Kysely, sql } from 'kysely';
import type { Database, OcppProtocol, RegistrationStatus, SecurityProfile } from '../schema.js';
import { type Instant, toDate, toNullableJsonb } from './conversions.js';
import type { StationBoot, StationCredentials } from './station-store.js';

export interface Connection {
  readonly identity: string;
  readonly protocol: OcppProtocol;
  readonly at: Instant;
}

export interface ConnectionRecord {
  readonly connectedAt: Date;
  /** As stored for the station before (an operator's decision or an earlier boot); null for a new one. */
  readonly registrationStatus: RegistrationStatus | null;
}

export interface Boot {
  readonly identity: string;
  /** Its registrationStatus is stored only when the station has none yet. */
  readonly boot: StationBoot;
}

/** Splits items into rounds in which no key appears twice, keeping their order. */
function rounds<T>(items: readonly T[], key: (item: T) => string): number[][] {
  const result: number[][] = [];
  const roundOf = new Map<string, number>();
  items.forEach((item, index) => {
    const round = (roundOf.get(key(item)) ?? -1) + 1;
    roundOf.set(key(item), round);
    const members = result[round] ?? [];
    members.push(index);
    result[round] = members;
  });
  return result;
}

const iso = (instant: Instant) => toDate(instant).toISOString();

export function stationBatchQueries(db: Kysely<Database>) {
  return {
    /** last_contact_at of many stations; the newest time wins when a station appears more than once. */
    async touchMany(contacts: readonly { identity: string; at: Instant }[]): Promise<void> {
      const latest = new Map<string, Date>();
      for (const contact of contacts) {
        const at = toDate(contact.at);
        const known = latest.get(contact.identity);
        if (!known || known < at) latest.set(contact.identity, at);
      }
      // Sorted, so that concurrent writers lock rows in the same order.
      const rows = [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (rows.length === 0) return;
      await sql`UPDATE stations SET last_contact_at = contact.at
        FROM unnest(${rows.map(([identity]) => identity)}::text[],
                    ${rows.map(([, at]) => at.toISOString())}::timestamptz[]) AS contact (identity, at)
        WHERE stations.identity = contact.identity`.execute(db);
    },

    /** getCredentials of many stations; undefined for a station that has no row. */
    async getCredentialsMany(identities: readonly string[]): Promise<(StationCredentials | undefined)[]> {
      const { rows } = await sql<{
        identity: string;
        password_hash: string | null;
        password_salt: string | null;
        previous_password_hash: string | null;
        previous_password_salt: string | null;
        security_profile: SecurityProfile;
      }>`SELECT identity, password_hash, password_salt, previous_password_hash, previous_password_salt,
          security_profile FROM stations WHERE identity = ANY(${[...identities]}::text[])`.execute(db);
      const found = new Map(rows.map((row) => [row.identity, row]));
      return identities.map((identity) => {
        const row = found.get(identity);
        return (
          row && {
            passwordHash: row.password_hash,
            passwordSalt: row.password_salt,
            previousPasswordHash: row.previous_password_hash,
            previousPasswordSalt: row.previous_password_salt,
            securityProfile: row.security_profile,
          }
        );
      });
    },

    /** markConnected for many connections, with the registration status each station has stored. */
    async markConnectedMany(connections: readonly Connection[]): Promise<ConnectionRecord[]> {
      const records: ConnectionRecord[] = [];
      for (const round of rounds(connections, (c) => c.identity)) {
        const batch = round.map((i) => connections[i]!);
        const { rows } = await sql<{ identity: string; registration_status: RegistrationStatus | null }>`
          INSERT INTO stations (identity, protocol, connected, connected_at, last_contact_at)
          SELECT identity, protocol, true, at, at FROM unnest(${batch.map((c) => c.identity)}::text[],
            ${batch.map((c) => c.protocol)}::text[], ${batch.map((c) => iso(c.at))}::timestamptz[])
            AS connection (identity, protocol, at)
          ON CONFLICT (identity) DO UPDATE SET protocol = EXCLUDED.protocol, connected = true,
            connected_at = EXCLUDED.connected_at, last_contact_at = EXCLUDED.last_contact_at, updated_at = now()
          RETURNING identity, registration_status`.execute(db);
        const status = new Map(rows.map((row) => [row.identity, row.registration_status]));
        round.forEach((index, k) => {
          records[index] = {
            connectedAt: toDate(batch[k]!.at),
            registrationStatus: status.get(batch[k]!.identity) ?? null,
          };
        });
      }
      return records;
    },

    /**
     * markDisconnected for many closed connections, each only if no newer connection of its station
     * was recorded since. Returns whether each row changed.
     */
    async markDisconnectedMany(
      closed: readonly { identity: string; connectedAt: Date; at: Instant }[],
    ): Promise<boolean[]> {
      const changed: boolean[] = [];
      for (const round of rounds(closed, (c) => c.identity)) {
        const batch = round.map((i) => closed[i]!);
        const { rows } = await sql<{ identity: string }>`
          UPDATE stations SET connected = false, disconnected_at = closed.at, updated_at = now()
          FROM unnest(${batch.map((c) => c.identity)}::text[], ${batch.map((c) => c.connectedAt.toISOString())}::timestamptz[],
            ${batch.map((c) => iso(c.at))}::timestamptz[]) AS closed (identity, connected_at, at)
          WHERE stations.identity = closed.identity AND stations.connected_at <= closed.connected_at
          RETURNING stations.identity`.execute(db);
        const updated = new Set(rows.map((row) => row.identity));
        round.forEach((index, k) => {
          changed[index] = updated.has(batch[k]!.identity);
        });
      }
      return changed;
    },

    /**
     * recordBoot for many stations; each keeps the registration status it has stored (an operator's
     * decision, an earlier answer) and gets the boot's only when it has none. Returns the status
     * each station has now: the one to answer its BootNotification with.
     */
    async recordBootsMany(boots: readonly Boot[]): Promise<RegistrationStatus[]> {
      const statuses: RegistrationStatus[] = [];
      for (const round of rounds(boots, (b) => b.identity)) {
        const batch = round.map((i) => boots[i]!);
        const column = <T>(pick: (boot: StationBoot) => T) => batch.map((b) => pick(b.boot));
        const { rows } = await sql<{ identity: string; registration_status: RegistrationStatus }>`
          INSERT INTO stations (identity, registration_status, vendor, model, serial_number,
            charge_box_serial_number, firmware_version, iccid, imsi, meter_type, meter_serial_number,
            boot_reason, boot_payload, booted_at)
          SELECT * FROM unnest(${batch.map((b) => b.identity)}::text[],
            ${column((b) => b.registrationStatus)}::text[], ${column((b) => b.vendor)}::text[],
            ${column((b) => b.model)}::text[], ${column((b) => b.serialNumber ?? null)}::text[],
            ${column((b) => b.chargeBoxSerialNumber ?? null)}::text[],
            ${column((b) => b.firmwareVersion ?? null)}::text[], ${column((b) => b.iccid ?? null)}::text[],
            ${column((b) => b.imsi ?? null)}::text[], ${column((b) => b.meterType ?? null)}::text[],
            ${column((b) => b.meterSerialNumber ?? null)}::text[], ${column((b) => b.bootReason ?? null)}::text[],
            ${column((b) => toNullableJsonb(b.payload))}::jsonb[],
            ${column((b) => iso(b.at ?? new Date()))}::timestamptz[])
          ON CONFLICT (identity) DO UPDATE SET
            registration_status = COALESCE(stations.registration_status, EXCLUDED.registration_status),
            vendor = EXCLUDED.vendor, model = EXCLUDED.model, serial_number = EXCLUDED.serial_number,
            charge_box_serial_number = EXCLUDED.charge_box_serial_number,
            firmware_version = EXCLUDED.firmware_version, iccid = EXCLUDED.iccid, imsi = EXCLUDED.imsi,
            meter_type = EXCLUDED.meter_type, meter_serial_number = EXCLUDED.meter_serial_number,
            boot_reason = EXCLUDED.boot_reason, boot_payload = EXCLUDED.boot_payload,
            booted_at = EXCLUDED.booted_at, updated_at = now()
          RETURNING identity, registration_status`.execute(db);
        const status = new Map(rows.map((row) => [row.identity, row.registration_status]));
        round.forEach((index, k) => {
          statuses[index] = status.get(batch[k]!.identity) ?? batch[k]!.boot.registrationStatus;
        });
      }
      return statuses;
    },
  };
}
