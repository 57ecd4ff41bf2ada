/** Stable codes for failures of the database layer. */
export type DatabaseErrorCode =
  | 'DB_INVALID_OPTIONS'
  | 'DB_CONNECTION_FAILED'
  | 'DB_DATA_DIR_LOCKED'
  | 'DB_MIGRATION_FAILED'
  | 'DB_INVALID_TIMESTAMP'
  | 'DB_UNSAFE_INTEGER';

export class DatabaseError extends Error {
  override name = 'DatabaseError';
  readonly code: DatabaseErrorCode;

  constructor(code: DatabaseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
