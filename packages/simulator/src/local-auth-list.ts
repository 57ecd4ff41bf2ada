/**
 * The Local Authorization List (1.6 §3.4.2 / SendLocalList, 2.0.1 D01): a versioned list of id
 * tokens and their status, replaced by a Full update, patched by a Differential one.
 */

export interface LocalListEntry {
  readonly idToken: string;
  /** Undefined in a Differential update: remove the entry. */
  readonly status: string | undefined;
}

export type LocalListOutcome = 'Accepted' | 'VersionMismatch' | 'Failed';

export class LocalAuthList {
  #version = 0;
  readonly #entries = new Map<string, string>();
  readonly #maxLength: number;

  constructor(maxLength = 1000) {
    this.#maxLength = maxLength;
  }

  get version(): number {
    return this.#version;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The status the list gives an id token, or undefined when it is not on the list. */
  statusOf(idToken: string): string | undefined {
    return this.#entries.get(idToken);
  }

  update(
    version: number,
    type: 'Full' | 'Differential',
    entries: readonly LocalListEntry[],
  ): LocalListOutcome {
    // 1.6 §5.15 / 2.0.1 D01.FR.18: a differential update must be newer than the installed list.
    if (type === 'Differential' && version <= this.#version) return 'VersionMismatch';
    const next = type === 'Full' ? new Map<string, string>() : new Map(this.#entries);
    for (const entry of entries) {
      if (entry.status === undefined) next.delete(entry.idToken);
      else next.set(entry.idToken, entry.status);
    }
    if (next.size > this.#maxLength) return 'Failed';
    this.#entries.clear();
    for (const [idToken, status] of next) this.#entries.set(idToken, status);
    this.#version = version;
    return 'Accepted';
  }
}
