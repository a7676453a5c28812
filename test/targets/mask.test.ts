import { describe, expect, it } from 'vitest';
import { maskHeaders, maskUrl } from '../../src/targets/mask.js';

describe('masking secrets (pure)', () => {
  it.each([
    ['http://a.example:8080/x?y=1', 'http://a.example:8080/x?y=1'],
    ['not a url', 'not a url'],
    ['https://bob:hunter2@api.example/ingest', 'https://***:***@api.example/ingest'],
    ['https://APIKEY123@api.example/ingest', 'https://***@api.example/ingest'],
    ['https://fn.example/api/ingest?code=abc123&region=eu', 'https://fn.example/api/ingest?code=***&region=eu'],
    ['https://x.example/i?api_key=k1&apiKey=k2&token=t&sig=s&X-Amz-Signature=a&X-Amz-Credential=c&page=2', 'https://x.example/i?api_key=***&apiKey=***&token=***&sig=***&X-Amz-Signature=***&X-Amz-Credential=***&page=2'],
    ['https://x.example/i?password=p&secret=s&auth=a&access_token=t', 'https://x.example/i?password=***&secret=***&auth=***&access_token=***'],
  ])('maskUrl(%j) = %j', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });

  it('masks every header value, keeping the names', () => {
    expect(maskHeaders({ Authorization: 'Bearer x', 'X-Trace': 'not secret either' })).toEqual({ Authorization: '***', 'X-Trace': '***' });
  });
});
