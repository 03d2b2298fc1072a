import type { Clock } from '../clock';
import { FifoLane } from './fifoLane';
import type { RequestEntry } from './requestEntry';
import { LANES } from './schedulerTypes';

/** The priority lanes, one FIFO per lane, each head stamped with when it became head. */
export class RequestQueue {
  /** One lane per entry of `LANES`, in rank order. */
  readonly lanes: ReadonlyArray<FifoLane<RequestEntry>> = LANES.map(() => new FifoLane<RequestEntry>());
  readonly #clock: Clock;

  /** Stamps heads with `clock`'s time. */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Puts a request in its lane; a lane head starts aging the moment it becomes head. */
  enqueue(entry: RequestEntry, where: 'last' | 'ordered'): void {
    const lane = this.lanes[entry.laneRank]!;
    if (where === 'last') lane.push(entry);
    else lane.insertOrdered(entry);
    lane.at(0)!.headSinceMs ??= this.#clock.now();
  }

  /** Puts a request back in its original place, queued again (to wait for a retry). */
  requeue(entry: RequestEntry): void {
    entry.state = 'queued';
    this.enqueue(entry, 'ordered');
  }

  /** Takes a request out of its lane; the next one, if any, becomes head now. */
  dequeue(entry: RequestEntry): void {
    const lane = this.lanes[entry.laneRank]!;
    lane.remove(entry);
    const next = lane.at(0);
    if (next) next.headSinceMs ??= this.#clock.now();
  }
}
