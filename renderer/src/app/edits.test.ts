import { describe, expect, it } from 'vitest';
import { canApplyAgain, describeRefused, fieldLabel, showValue } from './edits.ts';

describe('edits panel wording', () => {
  it('describes refused edits from their arguments', () => {
    expect(describeRefused({ name: 'lead.move', args: { to: 'quoted' } })).toBe(
      'Move a lead to Quoted',
    );
    expect(
      describeRefused({
        name: 'lead.update',
        args: { set: { quotedAmount: '1', urgency: 'low' } },
      }),
    ).toBe('Change quoted amount, urgency');
    expect(describeRefused({ name: 'text.queue', args: null })).toBe('Send a text');
  });

  it('names fields and values', () => {
    expect(fieldLabel('customer_name')).toBe('name');
    expect(fieldLabel('description')).toBe('description');
    expect(showValue(null)).toBe('(empty)');
  });

  it('offers Apply again for lead fields only', () => {
    expect(canApplyAgain({ table: 'leads', field: 'quoted_amount' })).toBe(true);
    expect(canApplyAgain({ table: 'leads', field: 'status' })).toBe(false);
    expect(canApplyAgain({ table: 'campaigns', field: 'name' })).toBe(false);
  });
});
