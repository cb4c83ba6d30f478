import * as hdr from 'hdr-histogram-js';

/** Summary of a latency distribution, in milliseconds. */
export type LatencySummary = { count: number; p50: number; p99: number; max: number };

/**
 * A latency distribution in milliseconds (HdrHistogram: 3 significant digits, any range), small
 * enough to send from a load worker to its parent every second and merge there.
 */
export class LatencyHistogram {
  readonly #histogram: hdr.Histogram;

  constructor(histogram?: hdr.Histogram) {
    this.#histogram = histogram ?? hdr.build({ autoResize: true, numberOfSignificantValueDigits: 3 });
  }

  /** Recorded in microseconds, so sub-millisecond loopback latencies keep their precision. */
  record(milliseconds: number): void {
    this.#histogram.recordValue(Math.max(1, Math.round(milliseconds * 1000)));
  }

  add(other: LatencyHistogram): void {
    this.#histogram.add(other.#histogram);
  }

  get count(): number {
    return this.#histogram.totalCount;
  }

  summary(): LatencySummary {
    const ms = (microseconds: number) => microseconds / 1000;
    if (this.count === 0) return { count: 0, p50: 0, p99: 0, max: 0 };
    return {
      count: this.count,
      p50: ms(this.#histogram.getValueAtPercentile(50)),
      p99: ms(this.#histogram.getValueAtPercentile(99)),
      max: ms(this.#histogram.maxValue),
    };
  }

  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.#histogram);
  }

  static decode(encoded: string): LatencyHistogram {
    return new LatencyHistogram(hdr.decodeFromCompressedBase64(encoded));
  }
}
