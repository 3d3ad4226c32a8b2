import { describe, expect, it } from 'vitest';
import type { LeadDetail } from '../../../../db/wire/desktop-views.ts';
import { buildLeadUpdate, toFormValues } from './lead-edit.ts';

const lead: LeadDetail = {
  id: '3f1e2d4c-5b6a-4789-8abc-def012345678',
  customerName: 'Ann Lee',
  customerPhone: '+15551234567',
  customerEmail: null,
  customerAddress: null,
  source: 'google_ads',
  serviceType: 'Drain cleaning',
  urgency: 'high',
  status: 'quoted',
  quotedAmount: '450.00',
  actualAmount: null,
  description: 'Kitchen sink backs up',
  pipelineStage: null,
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  contactedAt: null,
  quotedAt: null,
  bookedAt: null,
  completedAt: null,
  lostAt: null,
  lostReason: null,
  smsOptedOutAt: null,
  pending: false,
};

describe('lead edits', () => {
  it('sends nothing when nothing changed (amounts compare by value)', () => {
    const shown = toFormValues(lead);
    expect(
      buildLeadUpdate(shown, { ...shown, quotedAmount: '450', customerName: ' Ann Lee ' }),
    ).toBeNull();
  });

  it('sets only the changed fields, with what they showed as base', () => {
    const shown = toFormValues(lead);
    const edited = {
      ...shown,
      customerEmail: 'ann@example.com',
      quotedAmount: '$1,200',
      urgency: '' as const,
    };
    expect(buildLeadUpdate(shown, edited)).toEqual({
      set: { customerEmail: 'ann@example.com', urgency: null, quotedAmount: '1200' },
      base: { customerEmail: null, urgency: 'high', quotedAmount: '450.00' },
    });
  });

  it('clears a field to null', () => {
    const shown = toFormValues(lead);
    expect(buildLeadUpdate(shown, { ...shown, description: '   ' })).toEqual({
      set: { description: null },
      base: { description: 'Kitchen sink backs up' },
    });
  });
});
