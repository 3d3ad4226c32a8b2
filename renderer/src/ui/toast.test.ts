import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentToasts, dismissToast, showToast } from './toast.ts';

const messages = () => currentToasts().map((toast) => toast.message);

describe('toasts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const toast of currentToasts()) dismissToast(toast.id);
    vi.useRealTimers();
  });

  it('replaces an older message about the same lead, and keeps the others', () => {
    showToast('Lead created: Ana', 'success', 'lead-2');
    showToast('Paul moved to Quoted', 'success', 'lead-1');
    showToast('Paul moved to Booked', 'success', 'lead-1');
    expect(messages()).toEqual(['Lead created: Ana', 'Paul moved to Booked']);
  });

  it('shows at most three, the oldest giving way', () => {
    for (const n of [1, 2, 3, 4]) showToast(`message ${n}`);
    expect(messages()).toEqual(['message 2', 'message 3', 'message 4']);
  });

  it('goes by itself, an error later than the rest', () => {
    showToast('Details saved', 'success');
    showToast('Could not move: refused', 'error');
    vi.advanceTimersByTime(3_600);
    expect(messages()).toEqual(['Could not move: refused']);
    vi.advanceTimersByTime(4_500);
    expect(messages()).toEqual([]);
  });
});
