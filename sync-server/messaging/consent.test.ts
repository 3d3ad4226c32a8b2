import { describe, expect, it } from 'vitest';
import { HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS, readConsent } from './consent.ts';

const nothing = { intent: null, how: null, matched: null };

describe('readConsent: carrier keywords alone', () => {
  it('lists the keywords the HELP reply and docs cite', () => {
    expect(OPT_OUT_KEYWORDS).toEqual([
      'STOP',
      'STOPALL',
      'UNSUBSCRIBE',
      'CANCEL',
      'END',
      'QUIT',
      'REVOKE',
      'OPTOUT',
    ]);
    expect(OPT_IN_KEYWORDS).toEqual(['START', 'UNSTOP', 'YES']);
    expect(HELP_KEYWORDS).toEqual(['HELP', 'INFO']);
  });

  it.each([
    ['STOP', 'STOP'],
    ['stop', 'STOP'],
    ['Stop.', 'STOP'],
    [' stop!! ', 'STOP'],
    ['STOP 🛑', 'STOP'],
    ['🛑 Stop 🛑', 'STOP'],
    ['"stop"', 'STOP'],
    ['ＳＴＯＰ', 'STOP'],
    ['S.T.O.P', 'STOP'],
    ['STOPALL', 'STOPALL'],
    ['StopAll!', 'STOPALL'],
    ['STOP ALL', 'STOPALL'],
    ['stop all.', 'STOPALL'],
    ['UNSUBSCRIBE', 'UNSUBSCRIBE'],
    ['Unsubscribe!', 'UNSUBSCRIBE'],
    ['CANCEL', 'CANCEL'],
    ['cancel', 'CANCEL'],
    ['Cancel.', 'CANCEL'],
    ['END', 'END'],
    ['end', 'END'],
    ['End!', 'END'],
    ['QUIT', 'QUIT'],
    ['quit?', 'QUIT'],
    ['REVOKE', 'REVOKE'],
    ['revoke', 'REVOKE'],
    ['OPTOUT', 'OPTOUT'],
    ['optout', 'OPTOUT'],
    ['OPT OUT', 'OPTOUT'],
    ['opt-out', 'OPTOUT'],
    ['Opt-Out!!!', 'OPTOUT'],
    ['\n\tSTOP\n', 'STOP'],
  ])('reads %j as the opt-out keyword %s', (body, keyword) => {
    expect(readConsent(body)).toEqual({ intent: 'opt_out', how: 'keyword', matched: keyword });
  });

  it.each([
    ['START', 'START'],
    ['start', 'START'],
    ['Start!', 'START'],
    ['UNSTOP', 'UNSTOP'],
    ['Unstop.', 'UNSTOP'],
    ['YES', 'YES'],
    ['yes', 'YES'],
    [' Yes! ', 'YES'],
    ['yes 👍', 'YES'],
  ])('reads %j as the opt-in keyword %s', (body, keyword) => {
    expect(readConsent(body)).toEqual({ intent: 'opt_in', how: 'keyword', matched: keyword });
  });

  it.each([
    ['HELP', 'HELP'],
    ['help', 'HELP'],
    ['Help?', 'HELP'],
    ['INFO', 'INFO'],
    ['info.', 'INFO'],
    ['Info ❓', 'INFO'],
  ])('reads %j as the help keyword %s', (body, keyword) => {
    expect(readConsent(body)).toEqual({ intent: 'help', how: 'keyword', matched: keyword });
  });

  it.each([
    'Yes please',
    'yes, Tuesday at 3 works',
    'SUBSCRIBE',
    'subscribe',
    'start texting me again',
    'Help! The basement is flooding',
    'need info on a new water heater',
  ])('does not read %j as opt-in or help: those are keywords only, alone', (body) => {
    expect(readConsent(body)).toEqual(nothing);
  });
});

describe('readConsent: plain-language revocation', () => {
  it.each([
    ['stop texting me', 'stop texting me'],
    ['please stop messaging me', 'stop messaging me'],
    ['remove me from your list', 'remove me from your list'],
    ['take me off your list', 'take me off your list'],
    ["don't text me again", 'do not text me'],
    ['do not contact me', 'do not contact me'],
    ['unsubscribe me', 'unsubscribe me'],
    ['leave me alone', 'leave me alone'],
    ['no more texts', 'no more texts'],
    ['stop sending me messages', 'stop sending me messages'],
    ["I don't want these texts", 'do not want these texts'],
    ['Hi, please stop texting me, thanks', 'stop texting me'],
  ])('reads %j as an opt-out (matched %j)', (body, phrase) => {
    expect(readConsent(body)).toEqual({ intent: 'opt_out', how: 'language', matched: phrase });
  });

  it.each([
    ['Stop please', 'stop'],
    ['please stop.', 'stop'],
    ['STOP STOP STOP', 'stop'],
    ['Stop!! Stop!!', 'stop'],
    ['stop it', 'stop it'],
    ['STOP. Who is this?', 'stop'],
    ['I never signed up for this. STOP', 'stop'],
    ['Remove me please', 'remove me'],
    ['opt me out', 'opt me out'],
    ['QUIT TEXTING ME!!!', 'quit texting me'],
    ['I never signed up for this, stop texting me', 'stop texting me'],
    ['Stop texting this number', 'stop texting this number'],
    ['stop texting me at all hours', 'stop texting me'],
    ['stop texting me 24/7', 'stop texting me'],
    ['Stop texting, not interested', 'stop texting'],
    ['Can you stop spamming me', 'stop spamming me'],
    ['Please don’t text me anymore', 'do not text me'],
    ['dont txt me', 'do not txt me'],
    ['Never contact me again', 'never contact me'],
    ["Don't text me, call me instead", 'do not text me'],
    ['Please remove my number from your system', 'remove my number from your system'],
    ['take me off of your texting list', 'take me off of your texting list'],
    ['get me off your list now', 'get me off your list'],
    ['How do I unsubscribe?', 'unsubscribe'],
    ['I want to opt out of these texts', 'opt out of these texts'],
    ['No more text messages please', 'no more text messages'],
    ['I no longer wish to receive messages from you', 'no longer wish to receive messages'],
    ["I don't want to be texted", 'do not want to be texted'],
    ['Please stop sending me these.', 'stop sending me these'],
    ["Please don't send me any more texts", 'do not send me any more texts'],
    ['Stop sending reminders', 'stop sending reminders'],
    ['I revoke my consent', 'revoke my consent'],
    ['put me on your do not call list', 'do not call list'],
    ['Just leave us alone!', 'leave us alone'],
  ])('reads %j as an opt-out (matched %j)', (body, phrase) => {
    expect(readConsent(body)).toEqual({ intent: 'opt_out', how: 'language', matched: phrase });
  });

  // A clause that is nothing but STOP, opening the message, revokes even when the rest is about the
  // job: missing "STOP, who is this?" is the costlier mistake.
  it('reads an opening bare STOP as revocation whatever follows', () => {
    expect(readConsent("Stop, don't come today")).toEqual({
      intent: 'opt_out',
      how: 'language',
      matched: 'stop',
    });
  });
});

describe('readConsent: plumbing talk that is not an opt-out', () => {
  it.each([
    "I can't stop the leak",
    "the water won't stop running",
    "the toilet won't stop",
    'stop by tomorrow at 3?',
    'can you stop at the store',
    'end of the day works',
    'cancel my appointment',
    'Cancel my appointment please, found someone else',
    'cancel please',
    'quit working yesterday',
    'the heater stopped',
    'Non-stop dripping',
    'The drain stops up every week',
    'Wait, stop by after 5, thanks',
    'the tech said to stop using the shower',
    'take me off the schedule for Tuesday',
    'remove me from the waitlist',
    'Can you stop sending the tech so early?',
    "I'd like to opt out of the maintenance plan",
    'unsubscribe me from the maintenance plan',
    'my wife will text you the code',
    "Please don't stop texting me the reminders, they help",
    "I can't stop texting you lol",
    'stop texting my wife, text me instead',
    "Don't text my husband, text me",
    "please don't text me before 9am",
    'stop texting me so early',
    'Please do not text me at 6am',
    'constructor toString __proto__',
    "I don't want texts after 8pm",
    "I don't want a text when the tech leaves",
    'no more leaks since you fixed it!',
    'meet me at the side door',
  ])('reads %j as no consent change', (body) => {
    expect(readConsent(body)).toEqual(nothing);
  });
});

describe('readConsent: Twilio OptOutType', () => {
  it.each([
    ['hello', 'STOP', 'opt_out'],
    ['hello', 'START', 'opt_in'],
    ['hello', 'HELP', 'help'],
    ['PARAR', 'STOP', 'opt_out'],
    ['STOP', 'START', 'opt_in'],
    ['stop texting me', 'HELP', 'help'],
    ['hello', ' stop ', 'opt_out'],
  ] as const)('reads %j with OptOutType %j as %s', (body, optOutType, intent) => {
    expect(readConsent(body, optOutType)).toEqual({
      intent,
      how: 'provider',
      matched: optOutType.trim().toUpperCase(),
    });
  });

  it.each([null, undefined, '', '   ', 'SOMETHING_NEW'])(
    'reads the body when OptOutType is %j',
    (optOutType) => {
      expect(readConsent('STOP', optOutType)).toEqual({
        intent: 'opt_out',
        how: 'keyword',
        matched: 'STOP',
      });
      expect(readConsent('hello', optOutType)).toEqual(nothing);
    },
  );
});

describe('readConsent: degenerate bodies', () => {
  it.each(['', ' ', '\n\t  ', '!!!', '🛑', '...?'])('reads %j as nothing', (body) => {
    expect(readConsent(body)).toEqual(nothing);
  });

  it('reads very long and adversarial bodies quickly', () => {
    const started = performance.now();
    expect(readConsent('a'.repeat(200_000))).toEqual(nothing);
    expect(readConsent('!'.repeat(200_000) + 'a')).toEqual(nothing);
    expect(readConsent("a'".repeat(100_000))).toEqual(nothing);
    expect(readConsent('stop '.repeat(40_000) + 'the leak')).toEqual(nothing);
    expect(readConsent('do not '.repeat(30_000))).toEqual(nothing);
    expect(readConsent('please '.repeat(30_000) + 'x')).toEqual(nothing);
    expect(readConsent('take me off the '.repeat(20_000))).toEqual(nothing);
    expect(readConsent(`${'The pipe burst again. '.repeat(5_000)}Please stop texting me.`)).toEqual(
      { intent: 'opt_out', how: 'language', matched: 'stop texting me' },
    );
    // Linear patterns take milliseconds here; a backtracking one would take minutes.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
