import assert from 'node:assert/strict';
import { OriginPolicy } from '../../src/http/edge/OriginPolicy.ts';

describe('OriginPolicy', () => {
  const production = new OriginPolicy(['https://game.example.com'], { allowLocalhost: false });
  const development = new OriginPolicy([], { allowLocalhost: true });

  it('allows no Origin, the server itself and listed origins', () => {
    assert.equal(production.allows(undefined, 'api.example.com'), true);
    assert.equal(production.allows('https://api.example.com', 'api.example.com'), true);
    assert.equal(production.allows('https://game.example.com', 'api.example.com'), true);
    assert.equal(production.allows('HTTPS://GAME.example.com', 'api.example.com'), true);
  });

  it('refuses other origins, look-alikes, null and garbage', () => {
    for (const origin of [
      'https://evil.example.net',
      'https://game.example.com.evil.net',
      'http://game.example.com',
      'https://game.example.com:8443',
      'null',
      'not a url',
      'https://game.example.com/path',
    ]) {
      assert.equal(production.allows(origin, 'api.example.com'), false, origin);
    }
  });

  it('allows localhost on any port in development only', () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:8080']) {
      assert.equal(development.allows(origin, 'api.example.com'), true, origin);
      assert.equal(production.allows(origin, 'api.example.com'), false, origin);
    }
    assert.equal(development.allows('https://evil.example.net', 'localhost:2567'), false);
  });

  it('allows any origin with *', () => {
    assert.equal(new OriginPolicy(['*'], { allowLocalhost: false }).allows('https://anyone.example', 'api.example.com'), true);
  });
});
