/**
 * Polls until `condition` returns something truthy, and returns it. Tests wait for the state
 * they expect rather than for "the next patch", which may already have arrived.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, description: string | (() => string), timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) {
      // A function describes what was last seen, for a failure that can be read without a rerun.
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof description === 'function' ? description() : description}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
