import { ApiError } from './restClient.ts';
import { serverErrorCode } from './serverErrorCode.ts';

/** An error stays this long unless dismissed: long enough to read, short enough not to become history. */
const ERROR_MS = 15_000;
/** A confirmation ("Session deleted") only needs a glance. */
const INFO_MS = 5000;
/** At most this many at once: the newest first. */
const MAX_NOTICES = 3;

const area = () => document.getElementById('notices')!;

/**
 * Shows an error where the user sees it (an ARIA alert over the page, wherever it is scrolled), with
 * the server's code when there is one. A newer notice on the same `topic` (by default the context)
 * replaces the older one, so repeats do not pile up, and `clearNotice(topic)` takes it away once
 * what failed has worked.
 */
export function showError(error: unknown, context?: string, topic = context): void {
  const text = describe(error);
  console.error(context ?? 'error', error);
  show(context ? `${context}: ${text}` : text, 'error', topic ?? text);
}

/** Takes away the notice on `topic`, if any: what it said failed has now worked. */
export function clearNotice(topic: string): void {
  for (const notice of area().querySelectorAll<HTMLElement>('.notice')) {
    if (notice.dataset.topic === topic) notice.remove();
  }
}

/** A short confirmation ("Session deleted"). */
export function showInfo(text: string): void {
  show(text, 'info', text);
}

function show(text: string, kind: 'error' | 'info', topic: string): void {
  clearNotice(topic);
  const item = document.createElement('p');
  item.className = `notice notice-${kind}`;
  item.dataset.topic = topic;
  item.textContent = text;
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Dismiss';
  close.addEventListener('click', () => item.remove());
  item.append(' ', close);
  area().prepend(item);
  while (area().children.length > MAX_NOTICES) area().lastElementChild!.remove();
  setTimeout(() => item.remove(), kind === 'info' ? INFO_MS : ERROR_MS);
}

function describe(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} [${error.code}, HTTP ${error.status}]`;
  const code = serverErrorCode(error);
  if (error instanceof Error) return code === undefined ? error.message : `${error.message} [code ${code}]`;
  return String(error);
}
