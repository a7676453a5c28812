import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/spawn-sandbox.js';
import { median, message, post, sleep, start, stats } from './helpers.js';

describe('sandbox ingest: cold starts seen by the client', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await start({ ingest: { initTime: '250ms', workTime: '1ms', idleTimeout: '500ms' }, processor: { initTime: '50ms' } });
  });
  afterAll(() => sb?.stop());

  it('pays the init time once, then answers warm; after the idle timeout it is cold again', async () => {
    const first = await post(sb, message('c-1'));
    expect(first.status).toBe(202);
    expect(first.headers.get('x-sandbox-cold')).toBe('1');
    expect(first.headers.get('x-sandbox-init-ms')).toBe('250');

    const warm = [];
    for (let i = 0; i < 8; i++) warm.push(await post(sb, message(`w-${i}`)));
    expect(warm.map((r) => [r.status, r.headers.get('x-sandbox-cold')])).toEqual(warm.map(() => [202, '0']));
    expect(new Set(warm.map((r) => r.headers.get('x-sandbox-env')))).toEqual(new Set([first.headers.get('x-sandbox-env')]));
    // The model waits the init time before answering; warm requests only wait ~1 ms of work.
    expect(first.ms).toBeGreaterThanOrEqual(245);
    expect(first.ms).toBeGreaterThan(median(warm.map((r) => r.ms)) + 100);

    let s = await stats(sb);
    expect(s.ingestFunction).toMatchObject({ coldStarts: 1, warm: 1, environments: 1, reclaimed: 0 });

    await sleep(1000); // idle timeout 500 ms + sweep period 100 ms, with margin
    s = await stats(sb);
    expect(s.ingestFunction).toMatchObject({ warm: 0, environments: 0, reclaimed: 1 });
    const again = await post(sb, message('c-2'));
    expect(again.headers.get('x-sandbox-cold')).toBe('1');
    expect(again.ms).toBeGreaterThanOrEqual(245);
    expect((await stats(sb)).ingestFunction.coldStarts).toBe(2);
  });

  it('keeps provisioned environments warm from the start and after idling', async () => {
    const p = await start({ ingest: { initTime: '250ms', idleTimeout: '300ms', provisionedConcurrency: 2 } });
    try {
      const first = await post(p, message('p-1'));
      expect(first.headers.get('x-sandbox-cold')).toBe('0');
      await sleep(600);
      const later = await post(p, message('p-2'));
      expect(later.headers.get('x-sandbox-cold')).toBe('0');
      expect((await stats(p)).ingestFunction).toMatchObject({ coldStarts: 0, provisioned: 2, reclaimed: 0 });
    } finally {
      await p.stop();
    }
  });
});
