import { describe, expect, it } from 'vitest';
import { SharedReads } from './shared-reads.ts';

/** A read that stays under way until `finish` is called: what tells joined from started. */
function controllableRead(value: string) {
  let finish: (result: string) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const result = new Promise<string>((resolve, reject) => {
    finish = () => resolve(value);
    fail = reject;
  });
  let runs = 0;
  const run = () => {
    runs += 1;
    return result;
  };
  return {
    run,
    finish: () => finish(value),
    fail: (error: Error) => fail(error),
    runs: () => runs,
  };
}

describe('SharedReads', () => {
  it('answers requests at one key with one read started at or after their mark', async () => {
    let notifications = 0;
    const reads = new SharedReads<string>(() => notifications);
    notifications = 4; // a commit woke everyone
    const since = reads.mark();
    const first = controllableRead('a');
    const answers = [1, 2, 3].map(() => reads.read('leads|7', since, first.run));
    first.finish();
    expect(await Promise.all(answers)).toEqual(['a', 'a', 'a']);
    expect(first.runs()).toBe(1);
    expect(reads.counts).toEqual({ started: 1, joined: 2 });
  });

  it('never joins a read that began before the wake-up, nor one at another key', async () => {
    let notifications = 0;
    const reads = new SharedReads<string>(() => notifications);
    const early = controllableRead('before the commit');
    const underway = reads.read('leads|7', reads.mark(), early.run);
    notifications += 1; // a commit lands while that read is under way
    const woken = reads.mark();
    const late = controllableRead('after the commit');
    const answer = reads.read('leads|7', woken, late.run);
    const other = controllableRead('other shape');
    const elsewhere = reads.read('calls|7', woken, other.run);
    early.finish();
    late.finish();
    other.finish();
    expect(await underway).toBe('before the commit');
    expect(await answer).toBe('after the commit');
    expect(await elsewhere).toBe('other shape');
    expect(reads.counts).toEqual({ started: 3, joined: 0 });
  });

  it('forgets a read once it settles, failed or not: the next request reads again', async () => {
    const reads = new SharedReads<string>(() => 0);
    const failing = controllableRead('never');
    const failed = reads.read('leads|7', 0, failing.run);
    failing.fail(new Error('connection lost'));
    await expect(failed).rejects.toThrow('connection lost');
    const retry = controllableRead('second try');
    const again = reads.read('leads|7', 0, retry.run);
    retry.finish();
    expect(await again).toBe('second try');
    expect(retry.runs()).toBe(1);
  });
});
