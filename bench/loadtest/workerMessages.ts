import type { FleetPlan } from './BotFleet.ts';
import type { CountersDelta } from './LoadCounters.ts';

/** Parent → load worker. */
export type ToWorker = { type: 'plan'; plan: FleetPlan } | { type: 'act' } | { type: 'leave' };

/** Event-loop delay percentiles, in ms (the monitor's resolution subtracted). */
export type LoopDelay = { p50: number; p99: number; max: number };

/** Load worker → parent. `tick` comes every second and once more before `left`; `loopDelay` (ms, while acting) once, before `left`. */
export type FromWorker =
  { type: 'tick'; counters: CountersDelta; cpuMicros: number; acting: boolean } | ({ type: 'loopDelay' } & LoopDelay) | { type: 'joined' } | { type: 'left' };
