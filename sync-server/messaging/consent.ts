/**
 * Reads an inbound SMS for messaging consent. Three sources, strongest first:
 *  1. Twilio Advanced Opt-Out's `OptOutType` (STOP/START/HELP): Twilio has already applied its own
 *     (possibly customised) keyword list and blocked or unblocked the number, so our record follows it.
 *  2. A carrier keyword as the whole message ("STOP", " stop!! ", "Opt-Out 🛑").
 *  3. A plain-language revocation anywhere in the message ("Hi, please stop texting me, thanks"):
 *     since the FCC's 2024 rule, consent may be revoked "by any reasonable means".
 * Only opt-out is read from plain language. Opting back in and asking for help stay keyword-only: a
 * carrier-level block lifts only on START/UNSTOP/YES, so reading "start texting me again" as consent
 * would record a consent the carrier does not honour.
 * Pure: deciding what to record, reply or suppress is the webhook's job.
 */

export type ConsentIntent = 'opt_out' | 'opt_in' | 'help';

export interface ConsentReading {
  intent: ConsentIntent | null;
  /** 'keyword' (carrier keyword alone), 'language' (plain-language revocation), 'provider' (OptOutType) */
  how: 'keyword' | 'language' | 'provider' | null;
  /** the word or phrase that decided, for the audit trail */
  matched: string | null;
}

/**
 * Twilio's default opt-out keywords. "STOP ALL", "OPT OUT" and "OPT-OUT" count too: separators
 * between the letters of a whole-message keyword are ignored.
 */
export const OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
] as const;

/**
 * Twilio's default opt-in keywords. YES counts only as the whole message, as every keyword does, and
 * only because Twilio lifts its block on it: our record must match what the carrier will deliver.
 * "Yes" is also how customers confirm a visit, so an opt_in matters only for a contact opted out.
 * SUBSCRIBE is deliberately absent: Twilio does not unblock on it, and a wrongly recorded opt-in
 * (texting someone who revoked) is the error the TCPA punishes.
 */
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'YES'] as const;

export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;

const NO_READING: ConsentReading = { intent: null, how: null, matched: null };

const INTENT_OF_KEYWORD = new Map<string, ConsentIntent>([
  ...OPT_OUT_KEYWORDS.map((keyword) => [keyword, 'opt_out'] as const),
  ...OPT_IN_KEYWORDS.map((keyword) => [keyword, 'opt_in'] as const),
  ...HELP_KEYWORDS.map((keyword) => [keyword, 'help'] as const),
]);

const INTENT_OF_OPT_OUT_TYPE = new Map<string, ConsentIntent>([
  ['STOP', 'opt_out'],
  ['START', 'opt_in'],
  ['HELP', 'help'],
]);

export function readConsent(body: string, optOutType?: string | null): ConsentReading {
  // An OptOutType we don't know (Twilio may add one) is ignored rather than trusted or thrown on:
  // the body is still there to read.
  const providerType = optOutType?.trim().toUpperCase() ?? '';
  const providerIntent = INTENT_OF_OPT_OUT_TYPE.get(providerType);
  if (providerIntent) return { intent: providerIntent, how: 'provider', matched: providerType };

  const words = wordsOf(body);
  const keyword = words
    .filter((word) => word !== CLAUSE_BREAK)
    .join('')
    .toUpperCase();
  const keywordIntent = INTENT_OF_KEYWORD.get(keyword);
  if (keywordIntent) return { intent: keywordIntent, how: 'keyword', matched: keyword };

  const revocation = findRevocation(words.flatMap(expandContraction));
  return revocation ? { intent: 'opt_out', how: 'language', matched: revocation } : NO_READING;
}

/** Stands for sentence and clause punctuation, which bounds a phrase ("stop texting, thanks"). */
const CLAUSE_BREAK = '#';

/**
 * Lower-case words (letters and digits, apostrophes inside a word) and clause breaks; emoji and other
 * symbols drop out. One unambiguous pattern, so linear in the body's length.
 */
function wordsOf(body: string): string[] {
  const text = body
    .normalize('NFKC') // full-width "ＳＴＯＰ" is STOP
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'"); // phones type curly apostrophes: "don’t"
  return Array.from(text.matchAll(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|[.,!?;:\n]/gu), ([word]) =>
    /[.,!?;:\n]/.test(word) ? CLAUSE_BREAK : word,
  );
}

/** So that the phrases below need only spell "do not" and can see a negation before "stop". */
const CONTRACTIONS = new Map<string, readonly string[]>([
  ["don't", ['do', 'not']],
  ['dont', ['do', 'not']],
  ["doesn't", ['does', 'not']],
  ["won't", ['will', 'not']],
  ["can't", ['can', 'not']],
  ['cant', ['can', 'not']],
  ['cannot', ['can', 'not']],
]);

function expandContraction(word: string): readonly string[] {
  return CONTRACTIONS.get(word) ?? [word];
}

const oneOf = (...words: string[]): string => `(?:${words.join('|')})`;

/** Courtesy and emphasis around a bare "stop": "stop please", "STOP. Thanks". */
const COURTESY = oneOf(
  'please',
  'pls',
  'plz',
  'thank you',
  'thanks',
  'thx',
  'ty',
  'now',
  'ok',
  'okay',
  'just',
  'already',
  'again',
  'immediately',
  'asap',
  'seriously',
);

/**
 * Unambiguous stop words that revoke when, with courtesy removed, they are all of a clause at the
 * start or end of a message ("STOP. Who is this?", "I never signed up for this. Stop", "Stop please").
 * CANCEL, END and QUIT count only as the whole message: "Cancel. Found someone else" is a booking.
 */
const STOP_WORD = oneOf(
  'stop all',
  'stop it',
  'stop',
  'stopall',
  'unsubscribe me',
  'unsubscribe',
  'opt me out',
  'opt out',
  'optout',
  'revoke',
  'remove me',
  'take me off',
);
const COURTESY_WORDS = new RegExp(` ${COURTESY}(?= )`, 'g');
const ONLY_STOP_WORDS = new RegExp(`^(${STOP_WORD})(?: ${STOP_WORD})*$`);

const TEXTING = oneOf(
  'texting',
  'txting',
  'texing',
  'messaging',
  'msging',
  'contacting',
  'spamming',
  'bothering',
  'bugging',
  'harassing',
  'harrassing',
);
const MESSAGES = oneOf(
  'text messages',
  'texts',
  'txts',
  'messages',
  'msgs',
  'sms',
  'notifications',
  'reminders',
  'alerts',
  'spam',
  'ads',
  'promotions',
  'promos',
);
const MESSAGE_QUALIFIER = oneOf(
  'me',
  'us',
  'any',
  'all',
  'these',
  'those',
  'the',
  'your',
  'ur',
  'more',
  'of',
  'automated',
  'marketing',
  'promotional',
);
/**
 * The person being texted must be the sender: "stop texting my wife" and "don't text my husband,
 * text me" are about someone else's number.
 */
const THE_SENDER = ` ${oneOf('me', 'us', 'this number', 'this phone', 'this line', 'my number', 'my phone', 'my cell phone', 'my cell')}`;
/**
 * "Don't text me before 9am" or "stop texting me so early" asks for a better time, not for silence;
 * such a message is left for a person to read rather than ending the customer's appointment texts.
 */
const NOT_ABOUT_TIMING = `(?!(?: [^ #]+){0,2} ${oneOf(
  'before',
  'after',
  'until',
  'till',
  'til',
  'between',
  'during',
  'while',
  'early',
  'late',
  'tonight',
  'tomorrow',
  'overnight',
  'mornings?',
  'evenings?',
  'weekends?',
  'at night',
  'at \\d[^ ]*',
)} )`;
/** "Don't stop texting me the reminders" and "I can't stop texting you lol" keep consent. */
const NOT_NEGATED = '(?<! not| never)';
/** Where a phrase may end without naming its object: a clause break, courtesy, or the end. */
const PHRASE_END = `(?= ${CLAUSE_BREAK} | ${COURTESY} | $)`;
const LISTS = `(?: ${oneOf('from', 'off', 'of')}(?: ${oneOf(
  'your',
  'ur',
  'the',
  'this',
  'these',
  'those',
  'all',
  'any',
  'of',
  'mailing',
  'texting',
  'text',
  'sms',
  'contact',
  'messaging',
  'marketing',
  'distribution',
  'call',
  'calling',
  'automated',
)}){0,3} ${oneOf('list', 'lists', 'database', 'system', 'records', 'contacts', 'texts', 'messages', 'notifications', 'reminders')})`;

/**
 * Plain-language revocations, over the words joined by single spaces with a space at each end.
 * Every repetition is bounded or over fixed words, so no pattern can backtrack catastrophically.
 * The plumbing-shop false positives they must not catch: "I can't stop the leak", "stop by at 3",
 * "cancel my appointment", "take me off the schedule", "opt out of the maintenance plan".
 */
const REVOCATIONS: readonly RegExp[] = [
  // "stop texting me", "please stop messaging me", "quit texting!!"
  `${NOT_NEGATED} ${oneOf('stop', 'quit', 'cease')} ${TEXTING}(?:${THE_SENDER}${NOT_ABOUT_TIMING}|${NOT_ABOUT_TIMING}${PHRASE_END})`,
  // "stop sending me messages", "please don't send me any more texts", "stop sending me these."
  `(?:${NOT_NEGATED} ${oneOf('stop', 'quit', 'cease')} sending| ${oneOf('do not', 'never', 'no longer')} send)(?:(?: ${MESSAGE_QUALIFIER}){0,3} ${MESSAGES}${NOT_ABOUT_TIMING}|(?: me| us)? ${oneOf('these', 'this', 'those')}${PHRASE_END})`,
  // "don't text me again", "do not contact me", "never message this number"
  ` ${oneOf('do not', 'never', 'no longer')}(?: ever)? ${oneOf('text', 'txt', 'message', 'msg', 'sms', 'contact', 'spam', 'bother')}${THE_SENDER}${NOT_ABOUT_TIMING}`,
  // "I don't want these texts", "I no longer wish to receive messages"
  ` ${oneOf('do not', 'no longer')} ${oneOf('want', 'wish', 'need')}(?: to ${oneOf('get', 'receive', 'be getting')})?(?: ${MESSAGE_QUALIFIER}){0,3} ${MESSAGES}${NOT_ABOUT_TIMING}`,
  ` ${oneOf('do not', 'no longer')} ${oneOf('want', 'wish')} to be ${oneOf('texted', 'contacted', 'messaged')}`,
  // "no more texts", "no more text messages please"
  ` no more(?: ${MESSAGE_QUALIFIER}){0,2} ${MESSAGES}`,
  // "remove me from your list", "take me off of your texting list", "unsubscribe me.", "opt out of texts"
  ` (?:${oneOf('remove', 'delete', 'erase')} ${oneOf('me', 'my number', 'my phone number', 'my phone', 'my cell', 'this number')}|unsubscribe(?: me)?|opt(?: me)? out|optout)(?:${LISTS}|${PHRASE_END})`,
  ` ${oneOf('take', 'get')} me(?:${LISTS}| off${PHRASE_END})`,
  ` leave ${oneOf('me', 'us')} alone`,
  ` ${oneOf('revoke', 'withdraw', 'cancel')}(?: my)? consent`,
  ` ${oneOf('do not call', 'do not contact', 'do not text', 'dnc')} list`,
  // Every phrase ends at a word's end: "me" is not the start of "meet".
].map((pattern) => new RegExp(`${pattern}(?= )`));

function findRevocation(words: readonly string[]): string | null {
  const clauses = words
    .join(' ')
    .split(CLAUSE_BREAK)
    .map((clause) => ` ${clause} `.replace(COURTESY_WORDS, '').trim())
    .filter((clause) => clause !== '');
  for (const clause of new Set([clauses[0], clauses.at(-1)])) {
    const stopWord = clause === undefined ? undefined : ONLY_STOP_WORDS.exec(clause)?.[1];
    if (stopWord) return stopWord;
  }

  const text = ` ${words.join(' ')} `;
  for (const pattern of REVOCATIONS) {
    const found = pattern.exec(text);
    if (found) return found[0].trim();
  }
  return null;
}
