import { LatencyHistogram, type LatencySummary } from './LatencyHistogram.ts';

/** Counts by code (refusals, closes, join failures). */
export type CountsByCode = Record<string, number>;

/** What a worker sends its parent every second: what happened since the last one. */
export type CountersDelta = {
  joinsOk: number;
  joinsFailed: number;
  joinFailures: CountsByCode;
  /** Encoded LatencyHistogram of join times. */
  joinLatency: string;
  changesSent: number;
  /** Changes the server refused (their observers expect nothing). */
  changesCancelled: number;
  /** (change, observer) pairs never seen within the expiry time. */
  undelivered: number;
  /** Encoded LatencyHistogram of change-to-other-client times; its count is the deliveries. */
  changeLatency: string;
  refusals: CountsByCode;
  closes: CountsByCode;
  drops: number;
  reconnects: number;
  messagesSent: number;
  messagesReceived: number;
  bytesReceived: number;
  /** (change, observer) pairs the observer never saw as such: made out of its sight (fog `player`), or overtaken within one patch. */
  unseenStates: number;
  roundsFinished: number;
  chatLines: number;
};

/** The totals of a run, readable by people and machines. */
export type CountersSummary = Omit<CountersDelta, 'joinLatency' | 'changeLatency'> & {
  joinLatency: LatencySummary;
  changeLatency: LatencySummary;
  deliveries: number;
};

const addCounts = (into: CountsByCode, from: CountsByCode) => {
  for (const [code, count] of Object.entries(from)) into[code] = (into[code] ?? 0) + count;
};

/**
 * The load tool's counters. Bots in a worker record into one; it is drained into a delta each
 * second, and the parent absorbs the deltas of every worker into its own.
 */
export class LoadCounters {
  joinsOk = 0;
  joinsFailed = 0;
  joinFailures: CountsByCode = {};
  joinLatency = new LatencyHistogram();
  changesSent = 0;
  changesCancelled = 0;
  undelivered = 0;
  changeLatency = new LatencyHistogram();
  refusals: CountsByCode = {};
  closes: CountsByCode = {};
  drops = 0;
  reconnects = 0;
  messagesSent = 0;
  messagesReceived = 0;
  bytesReceived = 0;
  unseenStates = 0;
  roundsFinished = 0;
  chatLines = 0;

  static count(counts: CountsByCode, code: number | string): void {
    counts[String(code)] = (counts[String(code)] ?? 0) + 1;
  }

  /** Everything since the last drain, and starts counting afresh. */
  drain(): CountersDelta {
    const delta: CountersDelta = { ...this, joinLatency: this.joinLatency.encode(), changeLatency: this.changeLatency.encode() };
    Object.assign(this, new LoadCounters());
    return delta;
  }

  absorb(delta: CountersDelta): void {
    for (const key of [
      'joinsOk',
      'joinsFailed',
      'changesSent',
      'changesCancelled',
      'undelivered',
      'drops',
      'reconnects',
      'messagesSent',
      'messagesReceived',
      'bytesReceived',
      'unseenStates',
      'roundsFinished',
      'chatLines',
    ] as const) {
      this[key] += delta[key];
    }
    addCounts(this.joinFailures, delta.joinFailures);
    addCounts(this.refusals, delta.refusals);
    addCounts(this.closes, delta.closes);
    this.joinLatency.add(LatencyHistogram.decode(delta.joinLatency));
    this.changeLatency.add(LatencyHistogram.decode(delta.changeLatency));
  }

  summary(): CountersSummary {
    const changeLatency = this.changeLatency.summary();
    return { ...this, joinLatency: this.joinLatency.summary(), changeLatency, deliveries: changeLatency.count };
  }
}
