import assert from 'node:assert/strict';
import { SeatClaims } from '../../src/game/SeatClaims.ts';

describe('seat claims (the seat cap while players arrive at once)', () => {
  const seated = (...clientIds: string[]) => new Map(clientIds.map((clientId) => [clientId, {}]));

  it('counts claims before anyone sits, and refuses the claim past the cap', () => {
    const claims = new SeatClaims(3);
    const none = seated();
    assert.equal(claims.claim('r1', 'a', none), true);
    assert.equal(claims.claim('r2', 'b', none), true);
    assert.equal(claims.claim('r3', 'c', none), true);
    assert.equal(claims.claim('r4', 'd', none), false);
    assert.equal(claims.holds('r4'), false);
    assert.equal(claims.free(none), 0);
  });

  it('counts a seated client once, and a client already seated or claiming always gets its claim', () => {
    const claims = new SeatClaims(2);
    const two = seated('a', 'b');
    assert.equal(claims.claim('r1', 'a', two), true, 'a reload of a seated player');
    assert.equal(claims.taken(two), 2);
    assert.equal(claims.claim('r2', 'c', two), false);
    const one = seated('a');
    assert.equal(claims.claim('r3', 'c', one), true);
    assert.equal(claims.claim('r4', 'c', one), true, 'a second tab of the same client');
    assert.equal(claims.taken(one), 2);
  });

  it('frees a seat when a claim is released', () => {
    const claims = new SeatClaims(2);
    const none = seated();
    claims.claim('r1', 'a', none);
    claims.claim('r2', 'b', none);
    assert.equal(claims.release('r1'), true);
    assert.equal(claims.release('r1'), false);
    assert.equal(claims.claim('r3', 'c', none), true);
  });
});
