import { describe, expect, it } from 'vitest';
import { clampHlc, compareHlc, formatHlc, parseHlc, receiveHlc, tickHlc } from './hlc.ts';

describe('hybrid logical clocks', () => {
  it('print so that text order is clock order, ties broken by client id', () => {
    const clocks = [
      { wallMs: 1_764_338_400_000, counter: 0, clientId: 'b' },
      { wallMs: 1_764_338_400_000, counter: 0, clientId: 'a' },
      { wallMs: 999, counter: 5, clientId: 'z' },
      { wallMs: 1_764_338_400_000, counter: 12, clientId: 'a' },
    ].map(formatHlc);
    expect([...clocks].sort(compareHlc)).toEqual([clocks[2], clocks[1], clocks[0], clocks[3]]);
    expect(parseHlc(clocks[3]!)).toEqual({ wallMs: 1_764_338_400_000, counter: 12, clientId: 'a' });
    expect(() => parseHlc('yesterday')).toThrow(/not an HLC/);
  });

  it('tick past the last clock when the wall clock stands still or runs back', () => {
    const first = tickHlc(undefined, 5_000, 'laptop');
    const sameMs = tickHlc(first, 5_000, 'laptop');
    const wentBack = tickHlc(sameMs, 4_000, 'laptop'); // NTP stepped the clock back
    const later = tickHlc(wentBack, 6_000, 'laptop');
    expect([first, sameMs, wentBack, later].map((c) => [c.wallMs, c.counter])).toEqual([
      [5_000, 0],
      [5_000, 1],
      [5_000, 2],
      [6_000, 0],
    ]);
    const formatted = [first, sameMs, wentBack, later].map(formatHlc);
    expect([...formatted].sort(compareHlc)).toEqual(formatted);
  });

  it('after receiving a clock, orders the next local event after it even with a slow wall clock', () => {
    const remote = { wallMs: 9_000, counter: 3, clientId: 'office' };
    const local = receiveHlc(
      { wallMs: 2_000, counter: 0, clientId: 'laptop' },
      remote,
      1_000,
      'laptop',
    );
    expect(local).toEqual({ wallMs: 9_000, counter: 4, clientId: 'laptop' });
    expect(compareHlc(formatHlc(local), formatHlc(remote))).toBe(1);
    expect(receiveHlc(undefined, remote, 20_000, 'laptop')).toEqual({
      wallMs: 20_000,
      counter: 0,
      clientId: 'laptop',
    });
  });

  it('clamps only clocks further ahead of the server than the allowed skew', () => {
    const server = 1_000_000;
    const near = { wallMs: server + 60_000, counter: 1, clientId: 'laptop' };
    const far = { wallMs: server + 86_400_000, counter: 1, clientId: 'laptop' };
    expect(clampHlc(near, server, 300_000)).toEqual({ clock: near, clamped: false });
    expect(clampHlc(far, server, 300_000)).toEqual({
      clock: { wallMs: server, counter: 1, clientId: 'laptop' },
      clamped: true,
    });
  });
});
