import { beforeEach, describe, expect, it } from 'vitest';
import type { DesktopBridge, DesktopResponse } from '../../../db/wire/desktop-api.ts';
import { useBridge } from './client.ts';
import { askShared, cachedAnswer, forgetAll, forgetChannel, forgetTables } from './query-cache.ts';

/** A bridge whose answers the test hands out one by one, counting what was asked. */
function scriptedBridge() {
  const asked: { channel: string; args: readonly unknown[] }[] = [];
  const pending: ((response: DesktopResponse<unknown>) => void)[] = [];
  const bridge: DesktopBridge = {
    invoke: (channel, args) => {
      asked.push({ channel, args });
      return new Promise((resolve) => pending.push(resolve));
    },
    subscribe: () => () => undefined,
  };
  return {
    asked,
    bridge,
    answer(value: unknown) {
      const next = pending.shift();
      if (!next) throw new Error('nothing was asked');
      next({ ok: true, value });
    },
    refuse() {
      pending.shift()?.({ ok: false, error: { code: 'NOT_FOUND', message: 'no such lead' } });
    },
  };
}

const threadsArgs = [{ limit: 200 }] as const;
const threadsKey = JSON.stringify(threadsArgs);
const workflowsKey = JSON.stringify([]);

describe('the renderer keeps recent answers until what they were read from changes', () => {
  let core: ReturnType<typeof scriptedBridge>;
  beforeEach(() => {
    forgetAll();
    core = scriptedBridge();
    useBridge(core.bridge);
  });

  it('asks the core once for the same question asked twice, and keeps the answer', async () => {
    const first = askShared('inbox:threads', [{ limit: 200 }], ['sms_logs']);
    const second = askShared('inbox:threads', [{ limit: 200 }], ['sms_logs']);
    expect(core.asked).toHaveLength(1);
    expect(cachedAnswer('inbox:threads', threadsKey)).toBeUndefined();
    core.answer([{ leadId: 'a' }]);
    expect(await first).toEqual([{ leadId: 'a' }]);
    expect(await second).toBe(await first);
    expect(cachedAnswer('inbox:threads', threadsKey)?.value).toEqual([{ leadId: 'a' }]);
    // Asked again later: the kept answer, no call.
    await askShared('inbox:threads', [{ limit: 200 }], ['sms_logs']);
    expect(core.asked).toHaveLength(1);
  });

  it('forgets an answer when one of its tables changes, and only those answers', async () => {
    const threads = askShared('inbox:threads', [{ limit: 200 }], ['sms_logs']);
    const workflows = askShared('workflows:list', [], ['workflows']);
    core.answer([]);
    core.answer([]);
    await Promise.all([threads, workflows]);
    forgetTables(['leads', 'sms_logs']);
    expect(cachedAnswer('inbox:threads', threadsKey)).toBeUndefined();
    expect(cachedAnswer('workflows:list', workflowsKey)).toBeDefined();
    void askShared('inbox:threads', [{ limit: 200 }], ['sms_logs']);
    expect(core.asked).toHaveLength(3);
  });

  it('does not keep an answer whose table changed while it was being read', async () => {
    const threads = askShared('inbox:threads', [{ limit: 200 }], ['sms_logs']);
    forgetTables(['sms_logs']);
    core.answer([{ leadId: 'old' }]);
    await threads;
    expect(cachedAnswer('inbox:threads', threadsKey)).toBeUndefined();
  });

  it('never keeps a refusal', async () => {
    const lead = askShared(
      'leads:get',
      [{ id: '6d1b7c3a-0d5e-4f6a-9b8c-7d6e5f4a3b2c' }],
      ['leads'],
    );
    core.refuse();
    // The cache's own handler was registered first, so it has run by the time this one does.
    await expect(lead).rejects.toMatchObject({ code: 'NOT_FOUND' });
    void askShared('leads:get', [{ id: '6d1b7c3a-0d5e-4f6a-9b8c-7d6e5f4a3b2c' }], ['leads']);
    expect(core.asked).toHaveLength(2);
  });

  it('asks again when told to, and forgets a whole channel or everything', async () => {
    const first = askShared('inbox:threads', [{ limit: 200 }], ['sms_logs']);
    core.answer([{ leadId: 'a', unread: 2 }]);
    await first;
    const fresh = askShared('inbox:threads', [{ limit: 200 }], ['sms_logs'], { fresh: true });
    expect(core.asked).toHaveLength(2);
    core.answer([{ leadId: 'a', unread: 0 }]);
    await fresh;
    expect(cachedAnswer('inbox:threads', threadsKey)?.value).toEqual([{ leadId: 'a', unread: 0 }]);

    const searched = askShared('inbox:threads', [{ search: 'ma', limit: 200 }], ['sms_logs']);
    const workflows = askShared('workflows:list', [], ['workflows']);
    core.answer([]);
    core.answer([]);
    await Promise.all([searched, workflows]);
    forgetChannel('inbox:threads');
    expect(cachedAnswer('inbox:threads', threadsKey)).toBeUndefined();
    expect(cachedAnswer('inbox:threads', JSON.stringify([{ search: 'ma', limit: 200 }]))).toBe(
      undefined,
    );
    expect(cachedAnswer('workflows:list', workflowsKey)).toBeDefined();
    forgetAll();
    expect(cachedAnswer('workflows:list', workflowsKey)).toBeUndefined();
  });

  it('keeps a bounded number of answers, letting the least recently used go first', async () => {
    const ask = (limit: number) => askShared('inbox:threads', [{ limit }], ['sms_logs']);
    for (let limit = 1; limit <= 48; limit++) {
      const answer = ask(limit);
      core.answer([]);
      await answer;
    }
    // Using the oldest makes it the newest; the next new question pushes out limit 2 instead.
    await ask(1);
    const extra = ask(49);
    core.answer([]);
    await extra;
    expect(cachedAnswer('inbox:threads', JSON.stringify([{ limit: 1 }]))).toBeDefined();
    expect(cachedAnswer('inbox:threads', JSON.stringify([{ limit: 2 }]))).toBeUndefined();
    expect(cachedAnswer('inbox:threads', JSON.stringify([{ limit: 49 }]))).toBeDefined();
  });
});
