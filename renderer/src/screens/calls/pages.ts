/**
 * The call log is read a page at a time (offset/limit) as the virtual list scrolls; these say which
 * pages the visible rows need and where a row lives. Pure, so the paging is tested without a DOM.
 */

export const PAGE_SIZE = 200;

/** The pages that hold rows `first`…`last` (inclusive), in order. */
export function pagesFor(first: number, last: number, pageSize = PAGE_SIZE): number[] {
  if (last < first || last < 0) return [];
  const from = Math.floor(Math.max(0, first) / pageSize);
  const to = Math.floor(last / pageSize);
  const pages: number[] = [];
  for (let page = from; page <= to; page += 1) pages.push(page);
  return pages;
}

/** Where row `index` lives: its page and its place in that page. */
export function locate(index: number, pageSize = PAGE_SIZE): { page: number; offset: number } {
  return { page: Math.floor(index / pageSize), offset: index % pageSize };
}

/** How a call's outcome reads: "Missed · voicemail", "Answered", "Busy"… */
export function callOutcome(call: {
  status: 'answered' | 'no_answer' | 'busy' | 'voicemail' | 'failed';
  missed: boolean;
  direction: 'inbound' | 'outbound';
}): { label: string; tone: 'success' | 'danger' | 'warning' | 'neutral' } {
  const reason: Record<typeof call.status, string> = {
    answered: 'Answered',
    no_answer: 'No answer',
    busy: 'Busy',
    voicemail: 'Voicemail',
    failed: 'Failed',
  };
  if (call.missed) {
    return {
      label:
        call.status === 'no_answer' ? 'Missed' : `Missed · ${reason[call.status].toLowerCase()}`,
      tone: 'danger',
    };
  }
  if (call.status === 'answered') return { label: 'Answered', tone: 'success' };
  return {
    label: reason[call.status],
    tone: call.status === 'failed' ? 'danger' : 'warning',
  };
}
