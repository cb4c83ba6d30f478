import type { Room } from '@colyseus/core';
import type { ServerMetrics } from './ServerMetrics.ts';

// A mixin's base constructor must take `any[]` (TypeScript's rule for mixin classes).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RoomClass = new (...args: any[]) => Room;

/**
 * The room class with each state patch timed. Every patch is a call of the public
 * `broadcastPatch()` (rooms/PatchScheduler.ts); timing it from outside keeps metrics out of the room's own code.
 */
export function timePatches<T extends RoomClass>(RoomType: T, metrics: ServerMetrics): T {
  return class TimedPatchesRoom extends RoomType {
    override broadcastPatch(): boolean {
      const done = metrics.startPatchTimer();
      try {
        return super.broadcastPatch();
      } finally {
        done();
      }
    }
  };
}
