/**
 * Who this browser is, kept in local storage: the clientId (made once), the clientToken the server
 * hands out on the first join, the display name, and the session being played, so that a reload
 * joins the same seat again.
 */
export type SavedIdentity = {
  clientId: string;
  clientToken: string | undefined;
  name: string;
  sessionId: string | undefined;
  spectator: boolean;
};

const KEY = 'labyrinth-demo';

export function loadIdentity(): SavedIdentity {
  const saved = readSaved();
  return {
    clientId: saved.clientId ?? `demo-${crypto.randomUUID()}`,
    clientToken: saved.clientToken,
    name: saved.name ?? '',
    sessionId: saved.sessionId,
    spectator: saved.spectator ?? false,
  };
}

export function saveIdentity(identity: SavedIdentity): void {
  localStorage.setItem(KEY, JSON.stringify(identity));
}

function readSaved(): Partial<SavedIdentity> {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {}; // Unreadable (edited by hand): start over with a new identity.
  }
}
