import assert from 'node:assert/strict';
import { colyseusController } from '../../src/upstream/matchmakerController.ts';

// Obsolescence test of src/upstream/matchmakerController.ts: Colyseus's matchmaking controller, as
// it ships, still lets any page call with credentials. When this fails after an upgrade, read the
// workaround's header: the CORS part may go (the refusals may still need the patch).
describe('upstream: @colyseus/core matchmaking controller', () => {
  it('still allows any origin with credentials on every answer, and echoes any Origin', () => {
    const { defaultCorsHeaders, getCorsHeaders } = colyseusController;
    const unsafe = 'Colyseus no longer allows every origin by default: check what src/upstream/matchmakerController.ts still adds';
    assert.equal(defaultCorsHeaders['Access-Control-Allow-Origin'], '*', unsafe);
    assert.equal(defaultCorsHeaders['Access-Control-Allow-Credentials'], 'true', unsafe);
    assert.deepEqual(getCorsHeaders(new Headers({ origin: 'https://foreign.example' })), { 'Access-Control-Allow-Origin': 'https://foreign.example' }, unsafe);
  });
});
