import { ServerError } from '@colyseus/sdk';
import { ApiError } from './restClient.ts';

const area = () => document.getElementById('notices')!;

/** Shows an error where the user sees it (an ARIA alert), with the server's code when there is one. */
export function showError(error: unknown, context?: string): void {
  const text = describe(error);
  console.error(context ?? 'error', error);
  show(context ? `${context}: ${text}` : text, 'error');
}

/** A short confirmation ("Session deleted"). */
export function showInfo(text: string): void {
  show(text, 'info');
}

function show(text: string, kind: 'error' | 'info'): void {
  const item = document.createElement('p');
  item.className = `notice notice-${kind}`;
  item.textContent = text;
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Dismiss';
  close.addEventListener('click', () => item.remove());
  item.append(' ', close);
  area().prepend(item);
  // Keep the last few: older notices are history, not news.
  while (area().children.length > 4) area().lastElementChild!.remove();
  if (kind === 'info') setTimeout(() => item.remove(), 5000);
}

function describe(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} [${error.code}, HTTP ${error.status}]`;
  if (error instanceof ServerError) return `${error.message} [code ${error.code}]`;
  if (error instanceof Error) return error.message;
  return String(error);
}
