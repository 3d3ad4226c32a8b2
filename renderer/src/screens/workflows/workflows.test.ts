import { describe, expect, it } from 'vitest';
import { completionRate } from './workflows.ts';

describe('completionRate', () => {
  it('divides completed by triggered', () => {
    expect(completionRate({ triggered: 200, completed: 150 })).toBe(0.75);
  });
  it('has no rate before the first trigger, and never exceeds one', () => {
    expect(completionRate({ triggered: 0, completed: 0 })).toBeNull();
    expect(completionRate({ triggered: 3, completed: 5 })).toBe(1);
  });
});
