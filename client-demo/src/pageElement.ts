/** An element of the demo page (index.html) by id, typed as the caller expects it. */
export const element = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
