import type { PacerService } from './pacerService';

/** The queue as other extensions see it: counts only. */
export interface ClaudePacerStatus {
  /** Requests waiting, all lanes together. */
  readonly queued: number;
  /** Requests on the wire. */
  readonly inFlight: number;
  /** True when at least one API key is stored. */
  readonly hasKey: boolean;
}

/**
 * What every other extension gets from `getExtension('claude-pacer.claude-pacer').exports` outside
 * tests. Nothing secret and no object of ours: plain functions returning fresh plain values.
 */
export interface ClaudePacerPublicApi {
  readonly apiVersion: 1;
  /** The queue right now. */
  status(): ClaudePacerStatus;
}

/** Builds the frozen public API over `service`; the service itself is not reachable through it. */
export function createPublicApi(service: PacerService): ClaudePacerPublicApi {
  return Object.freeze({
    apiVersion: 1 as const,
    status: (): ClaudePacerStatus => {
      const snapshot = service.scheduler.snapshot();
      return {
        queued: snapshot.queued.interactive + snapshot.queued.command + snapshot.queued.background,
        inFlight: snapshot.inFlight,
        hasKey: service.keys.list().length > 0,
      };
    },
  });
}
