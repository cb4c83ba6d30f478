import { InvalidInputError, UnauthorizedError } from '../domainErrors.ts';
import type { Bans } from './Bans.ts';
import type { ClientIdentityService } from './ClientIdentityService.ts';
import type { PlayerTokens, SignedInPlayer } from './PlayerTokens.ts';

/**
 * Who may play, and as whom. A bearer token (the SDK's `client.auth.token`; `Authorization: Bearer`
 * over HTTP) signs a player in as its subject, when AUTH_* name a key to check it with. Without one
 * a guest plays under a self-chosen clientId, proven by the clientToken its first join was given,
 * while AUTH_GUESTS lets guests in. A banned identity gets nothing either way.
 */
export class Accounts {
  /** Undefined when no key is configured: tokens are not looked at, everyone is a guest. */
  readonly tokens: PlayerTokens | undefined;
  readonly guests: ClientIdentityService;
  readonly bans: Bans;
  readonly guestsAllowed: boolean;

  constructor(services: { tokens: PlayerTokens | undefined; guests: ClientIdentityService; bans: Bans; guestsAllowed: boolean }) {
    this.tokens = services.tokens;
    this.guests = services.guests;
    this.bans = services.bans;
    this.guestsAllowed = services.guestsAllowed;
  }

  /** The player a token signs in (a 401 naming what is wrong with a bad one); undefined without a token, or when tokens are not used. */
  async signIn(token: string | null | undefined): Promise<SignedInPlayer | undefined> {
    if (!token || !this.tokens) return undefined;
    return this.tokens.verify(token);
  }

  /**
   * The id a join or call plays as: the signed-in player's (a clientId given too must be the same),
   * else the guest's `clientId`, whose clientToken `proveGuest` checks. Refuses guests when they may
   * not play, and banned identities (403 `banned`).
   */
  async playerId(signedIn: Pick<SignedInPlayer, 'clientId'> | undefined, clientId: string | undefined, field = 'clientId'): Promise<string> {
    if (signedIn && clientId !== undefined && clientId !== signedIn.clientId) {
      throw new InvalidInputError(
        'token_client_mismatch',
        `The token signs in ${signedIn.clientId}, not ${clientId}: leave ${field} out when signing in with a token`,
        field,
      );
    }
    if (!signedIn) this.#refuseGuestsUnlessAllowed();
    const playerId = signedIn?.clientId ?? clientId;
    if (playerId === undefined) {
      throw new InvalidInputError('invalid_input', `${field}: is required (a guest's stable id), unless a token signs the player in`, field);
    }
    await this.bans.refuseBanned(playerId);
    return playerId;
  }

  /** Checks a guest's clientToken (claiming a new clientId), and answers it; 401 when guests may not play. */
  async proveGuest(clientId: string, clientToken: string | undefined): Promise<{ clientToken: string }> {
    this.#refuseGuestsUnlessAllowed();
    return this.guests.authenticate(clientId, clientToken);
  }

  #refuseGuestsUnlessAllowed(): void {
    if (this.guestsAllowed) return;
    throw new UnauthorizedError(
      'token_required',
      "This server admits signed-in players only: send the token of the game's identity provider (client.auth.token; Authorization: Bearer over HTTP)",
    );
  }
}
