import { describe, expect, it } from 'vitest';
import { allowedHosts, checkRequestSource, hostWithPort, isLoopback, tokenMatches } from '../../src/web/security.js';

describe('workshop request checks', () => {
  const loopback = allowedHosts('127.0.0.1', 8080);

  it('answers to its own address and the loopback names only', () => {
    expect([...loopback]).toEqual(['127.0.0.1:8080', 'localhost:8080', '[::1]:8080']);
    expect([...allowedHosts('::1', 9000)]).toEqual(['[::1]:9000', 'localhost:9000', '127.0.0.1:9000']);
    expect([...allowedHosts('192.168.1.5', 8080)]).toEqual(['192.168.1.5:8080']);
    expect(hostWithPort('::1', 80)).toBe('[::1]:80');
    expect(isLoopback('127.0.0.2')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
  });

  it('serves requests from its own page and from tools without an Origin', () => {
    expect(checkRequestSource({ host: '127.0.0.1:8080' }, loopback)).toBeNull();
    expect(checkRequestSource({ host: 'LOCALHOST:8080', origin: 'http://localhost:8080' }, loopback)).toBeNull();
    expect(checkRequestSource({ host: 'localhost:8080', origin: 'http://127.0.0.1:8080' }, loopback)).toBeNull();
  });

  it('refuses a foreign Host (DNS rebinding) with 421', () => {
    expect(checkRequestSource({ host: 'evil.example:8080' }, loopback)).toEqual({
      status: 421,
      message: 'unknown Host "evil.example:8080": the workshop answers only to 127.0.0.1:8080, localhost:8080, [::1]:8080',
    });
    expect(checkRequestSource({}, loopback)?.status).toBe(421);
    expect(checkRequestSource({ host: '127.0.0.1:8081' }, loopback)?.status).toBe(421);
    expect(checkRequestSource({ host: '127.0.0.1' }, loopback)?.status).toBe(421); // port 80 implied
    expect(checkRequestSource({ host: 'localhost' }, allowedHosts('127.0.0.1', 80))).toBeNull();
  });

  it('refuses a foreign, opaque or non-http Origin with 403', () => {
    for (const origin of ['http://evil.example', 'http://127.0.0.1:8081', 'null', 'https://127.0.0.1:8080', 'file://', 'not a url']) {
      expect(checkRequestSource({ host: '127.0.0.1:8080', origin }, loopback), origin).toEqual({
        status: 403,
        message: `foreign Origin "${origin}": only pages served by the workshop itself may call it`,
      });
    }
  });

  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('ab', 'abc')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
  });
});
