/** Enough of a UUID to tell sessions apart on screen; the full id is in the row's title. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
