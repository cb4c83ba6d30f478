/** An element of the demo page (index.html) by id, typed as the caller expects it. */
export const element = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Scrolls a section of the page to the top of the window, where the player looks next. */
export const scrollToTop = (id: string): void => element(id).scrollIntoView({ block: 'start' });
