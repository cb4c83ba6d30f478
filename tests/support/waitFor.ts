/**
 * Polls until `condition` returns something truthy, and returns it. Tests wait for the state
 * they expect rather than for "the next patch", which may already have arrived.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, description: string, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
