import type { Direction } from '../../src/maze/directions.ts';

/** The least travel of a swipe, in CSS pixels: a shorter one is a tap. */
const SWIPE_MIN_PX = 24;

/**
 * Calls `onSwipe` with the direction of each swipe across `target` (a finger, a pen or a dragged
 * mouse): the longer of its two axes decides. Swiping is on while `target` has `data-swipe`: the
 * styles then set `touch-action: none` there, so the page does not scroll under the finger.
 */
export function listenForSwipes(target: HTMLElement, onSwipe: (direction: Direction) => void): void {
  // Without this a flick still starts a fling (nothing scrolls, but the browser thinks one runs),
  // and the next tap, on the move pad, only stops it: no click (measured in Chromium).
  target.addEventListener(
    'touchmove',
    (event) => {
      if (target.hasAttribute('data-swipe')) event.preventDefault();
    },
    { passive: false },
  );
  let start: { x: number; y: number; pointerId: number } | undefined;
  target.addEventListener('pointerdown', (event) => {
    start = { x: event.clientX, y: event.clientY, pointerId: event.pointerId };
  });
  target.addEventListener('pointercancel', () => (start = undefined));
  target.addEventListener('pointerup', (event) => {
    if (start?.pointerId !== event.pointerId) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    start = undefined;
    if (Math.max(Math.abs(dx), Math.abs(dy)) < SWIPE_MIN_PX) return;
    if (Math.abs(dx) > Math.abs(dy)) onSwipe(dx > 0 ? 'E' : 'W');
    else onSwipe(dy > 0 ? 'S' : 'N');
  });
}
