import { type Kysely, sql } from 'kysely';
import type { Database, IdTokenRow, IdTokenStatus } from '../schema.js';
import { containsPattern, type Instant, toDate } from './conversions.js';
import { type Page, type PageRequest, pageBounds } from './pagination.js';

export interface IdTokenFields {
  status?: IdTokenStatus;
  expiresAt?: Instant | null;
  parentIdToken?: string | null;
  /** null = no limit. */
  maxConcurrentTx?: number | null;
}

export interface NewIdToken extends IdTokenFields {
  idToken: string;
  /** 2.0.1 IdTokenEnumType; default ISO14443. */
  type?: string;
}

export interface IdTokenListFilter extends PageRequest {
  /** Matches part of the token or its group, ignoring case. */
  search?: string;
  status?: IdTokenStatus;
}

const DEFAULT_TYPE = 'ISO14443';

function columnsOf(fields: IdTokenFields) {
  return {
    ...(fields.status !== undefined && { status: fields.status }),
    ...(fields.expiresAt !== undefined && { expires_at: fields.expiresAt && toDate(fields.expiresAt) }),
    ...(fields.parentIdToken !== undefined && { parent_id_token: fields.parentIdToken }),
    ...(fields.maxConcurrentTx !== undefined && { max_concurrent_tx: fields.maxConcurrentTx }),
  };
}

export function createIdTokenStore(db: Kysely<Database>) {
  return {
    /** Adds a token; undefined when the (idToken, type) pair exists already. */
    async create(token: NewIdToken): Promise<IdTokenRow | undefined> {
      return db
        .insertInto('id_tokens')
        .values({ id_token: token.idToken, type: token.type ?? DEFAULT_TYPE, ...columnsOf(token) })
        .onConflict((oc) => oc.columns(['id_token', 'type']).doNothing())
        .returningAll()
        .executeTakeFirst();
    },

    /** Creates the token or overwrites the fields given (e.g. a bulk import). */
    async upsert(token: NewIdToken): Promise<IdTokenRow> {
      const fields = columnsOf(token);
      return db
        .insertInto('id_tokens')
        .values({ id_token: token.idToken, type: token.type ?? DEFAULT_TYPE, ...fields })
        .onConflict((oc) =>
          oc.columns(['id_token', 'type']).doUpdateSet({ ...fields, updated_at: new Date() }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /**
     * Looks a token up. Without `type` (OCPP 1.6 idTags carry none) any type matches; should
     * the same text exist with several types, the first type in alphabetical order wins.
     */
    async get(idToken: string, type?: string): Promise<IdTokenRow | undefined> {
      let query = db.selectFrom('id_tokens').selectAll().where('id_token', '=', idToken);
      if (type !== undefined) query = query.where('type', '=', type);
      return query.orderBy('type').limit(1).executeTakeFirst();
    },

    /**
     * Looks a token up ignoring case, as authorization must: 1.6 §7.28 "IdToken is case
     * insensitive", and so is 2.0.1 IdTokenType.idToken. A token stored with exactly this
     * spelling wins over one that differs in case only; then as `get`.
     */
    async getCaseInsensitive(idToken: string, type?: string): Promise<IdTokenRow | undefined> {
      let query = db
        .selectFrom('id_tokens')
        .selectAll()
        .where((eb) => eb(eb.fn('lower', ['id_token']), '=', eb.fn('lower', [eb.val(idToken)])));
      if (type !== undefined) query = query.where('type', '=', type);
      return query
        .orderBy(sql`id_token = ${idToken}`, 'desc')
        .orderBy('type')
        .orderBy('id_token')
        .limit(1)
        .executeTakeFirst();
    },

    /** Changes the fields given; undefined when there is no such token. */
    async update(idToken: string, type: string, fields: IdTokenFields): Promise<IdTokenRow | undefined> {
      return db
        .updateTable('id_tokens')
        .set({ ...columnsOf(fields), updated_at: new Date() })
        .where('id_token', '=', idToken)
        .where('type', '=', type)
        .returningAll()
        .executeTakeFirst();
    },

    async delete(idToken: string, type: string): Promise<boolean> {
      const result = await db
        .deleteFrom('id_tokens')
        .where('id_token', '=', idToken)
        .where('type', '=', type)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    /** Tokens ordered by token text, then type. */
    async list(filter: IdTokenListFilter = {}): Promise<Page<IdTokenRow>> {
      const { limit, offset } = pageBounds(filter);
      let query = db.selectFrom('id_tokens');
      if (filter.status) query = query.where('status', '=', filter.status);
      if (filter.search) {
        const pattern = containsPattern(filter.search);
        query = query.where((eb) =>
          eb.or([eb('id_token', 'ilike', pattern), eb('parent_id_token', 'ilike', pattern)]),
        );
      }
      const [items, count] = await Promise.all([
        query.selectAll().orderBy('id_token').orderBy('type').limit(limit).offset(offset).execute(),
        query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: count.total, limit, offset };
    },

    /**
     * Transactions still running with this token, in any case spelling (the token is
     * case-insensitive), for the max_concurrent_tx check (ConcurrentTx). With
     * `fromTransactionId`, only that transaction and the ones created after it.
     */
    async countActiveTransactions(
      idToken: string,
      options: { fromTransactionId?: number } = {},
    ): Promise<number> {
      let query = db
        .selectFrom('transactions')
        .select((eb) => eb.fn.countAll<number>().as('active'))
        .where((eb) => eb(eb.fn('lower', ['id_token']), '=', eb.fn('lower', [eb.val(idToken)])))
        .where('status', '=', 'Active');
      if (options.fromTransactionId !== undefined) query = query.where('id', '>=', options.fromTransactionId);
      const row = await query.executeTakeFirstOrThrow();
      return row.active;
    },
  };
}

export type IdTokenStore = ReturnType<typeof createIdTokenStore>;
