/** What every server the benchmark runs (the CSMS and its two peers) offers the server child. */
export interface BenchServer {
  /** Where stations connect; the identity is appended. */
  readonly ocppUrl: string;
  /** The CSMS's management API (the peers have none). */
  readonly apiUrl?: string;
  readonly apiToken?: string;
  /** Station connections open right now, as the server counts them. */
  connections(): number;
  /** Collects garbage outside the main heap (the CSMS's PGlite worker thread). */
  collectGarbage?(): Promise<void>;
  close(): Promise<void>;
}
