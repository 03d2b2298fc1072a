/**
 * How much of a model's rate-limit budget is left now, for the chat's model picker: the pool the
 * scheduler would send the model's next request to (its model class on the chosen key), read
 * from a snapshot taken for that model. Pure.
 */
import type { SchedulerSnapshot } from '../../pacer/index';
import { ENGLISH, type Localize } from '../../status/model/localize';
import { hasKnownLimits, nextPoolOf } from '../../status/model/statusTooltip';
import { modelClassOf } from '../../pacer/index';

/** A model's headroom now. */
export type ModelHeadroom =
  | { readonly kind: 'noKey' }
  /** Nothing sent on this model class yet, or its limits not known yet. */
  | { readonly kind: 'unknown' }
  | {
      readonly kind: 'known';
      /** Share (0–1) left of the tightest limit. */
      readonly share: number;
      readonly isCooling: boolean;
      /** How long a request sent now would wait, in ms (0: it would go at once). */
      readonly waitMs: number;
    };

/** The headroom of `model` in `snapshot`, which must come from `scheduler.snapshot(model)`. */
export function modelHeadroom(snapshot: SchedulerSnapshot, model: string): ModelHeadroom {
  if (!snapshot.next || snapshot.next.model !== model) return { kind: 'noKey' };
  const pool = nextPoolOf(snapshot, modelClassOf(model));
  if (!pool || !hasKnownLimits(pool) || pool.headroom === undefined) return { kind: 'unknown' };
  const waitMs = Number.isFinite(snapshot.next.waitMs) ? Math.max(0, snapshot.next.waitMs) : 0;
  return { kind: 'known', share: pool.headroom, isCooling: pool.state === 'cooling', waitMs };
}

/** The headroom in words: "72% of its budget left now", "… a request now would wait 12 s". */
export function headroomText(headroom: ModelHeadroom, t: Localize = ENGLISH): string {
  switch (headroom.kind) {
    case 'noKey':
      return t('no usable key for this model');
    case 'unknown':
      return t('budget not known yet (nothing sent with this model)');
    case 'known': {
      const percent = Math.round(headroom.share * 100);
      const seconds = Math.ceil(headroom.waitMs / 1000);
      if (headroom.isCooling)
        return t('{0}% of its budget left, cooling down after a 429 ({1} s)', percent, seconds);
      return seconds > 0
        ? t('{0}% of its budget left now; a request now would wait {1} s', percent, seconds)
        : t('{0}% of its budget left now', percent);
    }
  }
}
