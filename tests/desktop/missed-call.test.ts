import { describe, expect, it, onTestFinished } from 'vitest';
import type { Message, ThreadSummary } from '../../db/wire/desktop-views.ts';
import { TWILIO_WEBHOOKS } from '../../sync-server/telephony/routes.ts';
import { TEST_PASSWORD } from '../support/app.ts';
import { startFakeTwilio } from '../support/fake-twilio.ts';
import {
  dialActionParams,
  inboundSmsParams,
  signedTwilioPost,
  twilioSid,
} from '../support/twilio-webhooks.ts';
import { createHarness, signUpAt } from '../sync/harness.ts';
import { startHost } from './host-harness.ts';

const TRACKING = '+15125550100';
const CALLER = '+15125557777';
/** Wednesday 2026-11-25 12:00 in Austin: not quiet hours, whenever the test runs. */
const NOON_AUSTIN = new Date('2026-11-25T18:00:00Z');

describe('the missed-call story, from Twilio to the dispatcher’s desktop', () => {
  it('a missed call becomes a lead with a notice, is texted back, the delivery shows on the desktop, and the reply lands in the inbox', async () => {
    const harness = await createHarness();
    const fake = await startFakeTwilio();
    onTestFinished(() => fake.close());
    const server = await harness.startServer({
      settings: {
        TWILIO_ACCOUNT_SID: fake.accountSid,
        TWILIO_AUTH_TOKEN: fake.authToken,
        TWILIO_API_BASE_URL: fake.url,
      },
      app: { now: () => NOON_AUSTIN },
    });
    const account = await signUpAt(server.url, 'Story Plumbing');
    await harness.pg.asBusiness(account.tenantId, async (query) => {
      await query(
        `INSERT INTO tracking_numbers (user_id, phone_number, lead_source)
         VALUES ($1, $2, 'google_ads')`,
        [account.tenantId, TRACKING],
      );
      await query(
        `INSERT INTO workflows (user_id, workflow_name, workflow_type, config)
         VALUES ($1, 'Missed-call text-back', 'missed_call',
                 '{"message_template": "Hi {customer_name}, {business_name} here. How can we help?",
                   "delay_seconds": 0}')`,
        [account.tenantId],
      );
    });
    const desktop = startHost(harness, server.url);
    await desktop.call('session:signIn', { email: account.email, password: TEST_PASSWORD });
    await desktop.next('sync', (e) => e.status.overall.state === 'up-to-date');

    const from = desktop.events.length;
    const answer = await signedTwilioPost(
      `${server.url}${TWILIO_WEBHOOKS}/voice/dial`,
      dialActionParams({
        callSid: twilioSid('CA'),
        accountSid: fake.accountSid,
        from: CALLER,
        to: TRACKING,
        dialCallStatus: 'no-answer',
      }),
      fake.authToken,
    );
    expect(answer.status).toBe(200);

    // The dispatcher is told at once, and the caller is a lead on the replica.
    const missed = await desktop.next('alert', (e) => e.alert.kind === 'missed_call', from);
    const leadId = missed.alert.leadId;
    // Each table streams on its own: the call may land a moment before its lead.
    const lead = await eventually(() => desktop.call('leads:get', { id: leadId }));
    expect(lead).toMatchObject({
      customerPhone: CALLER,
      source: 'missed_call',
      status: 'new',
    });

    // The text-back reaches Twilio, from the number the customer called.
    const message = await fake.nextMessage();
    expect(message).toMatchObject({
      to: CALLER,
      from: TRACKING,
      body: 'Hi there, Story Plumbing here. How can we help?',
    });
    await fake.sendStatus(message.sid, 'delivered');

    // …and its delivery comes back to the lead's thread on the desktop.
    const thread = await eventually(async () => {
      const texts = (await desktop.call('inbox:thread', { leadId })) as Message[];
      return texts.some((text) => text.status === 'delivered') ? texts : null;
    });
    expect(thread).toEqual([
      expect.objectContaining({
        direction: 'outbound',
        body: 'Hi there, Story Plumbing here. How can we help?',
        status: 'delivered',
      }),
    ]);

    // The customer answers the text: the reply lands in the desktop's inbox, unread, threaded.
    await signedTwilioPost(
      `${server.url}${TWILIO_WEBHOOKS}/sms`,
      inboundSmsParams({
        messageSid: twilioSid('SM'),
        accountSid: fake.accountSid,
        from: CALLER,
        to: TRACKING,
        body: 'Water heater is leaking, can you come today?',
      }),
      fake.authToken,
    );
    const inbox = await eventually(async () => {
      const threads = (await desktop.call('inbox:threads', { limit: 20 })) as ThreadSummary[];
      return threads.some((thread) => thread.unread > 0) ? threads : null;
    });
    expect(inbox).toEqual([
      expect.objectContaining({
        leadId,
        lastBody: 'Water heater is leaking, can you come today?',
        lastDirection: 'inbound',
        unread: 1,
      }),
    ]);
    await desktop.next('alert', (e) => e.alert.kind === 'inbound_text', from);

    /** `check`'s answer once it has one, asking again after each batch the replica takes in. */
    async function eventually<T>(check: () => Promise<T | null>): Promise<T> {
      for (let seen = desktop.events.length; ;) {
        const answer = await check();
        if (answer !== null) return answer;
        const changed = await desktop.next('changed', () => true, seen);
        seen = desktop.events.indexOf(changed) + 1;
      }
    }
  });
});
