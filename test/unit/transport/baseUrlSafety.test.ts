import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBaseUrlSafeForKeys } from '../../../src/anthropic/baseUrlSafety';

void describe('isBaseUrlSafeForKeys', () => {
  const safe = [
    'https://api.anthropic.com',
    'https://proxy.example.com:8443/anthropic',
    'http://127.0.0.1:8787',
    'http://127.45.6.7',
    'http://localhost:3000',
    'http://LOCALHOST',
    'http://[::1]:9000',
    'http://[0:0:0:0:0:0:0:1]',
    'http://2130706433/', // 127.0.0.1 in integer form, normalised by the URL parser
  ];
  const unsafe = [
    'http://api.anthropic.com',
    'http://192.168.1.10:8080',
    'http://0.0.0.0:8080',
    'http://128.0.0.1',
    'http://localhost.evil.com',
    'http://127.0.0.1.nip.io',
    'http://[::2]',
    'ftp://127.0.0.1',
    'ws://localhost',
    'not a url',
    '',
  ];

  for (const url of safe) {
    void it(`accepts ${url}`, () => assert.equal(isBaseUrlSafeForKeys(url), true));
  }
  for (const url of unsafe) {
    void it(`refuses ${JSON.stringify(url)}`, () => assert.equal(isBaseUrlSafeForKeys(url), false));
  }
});
