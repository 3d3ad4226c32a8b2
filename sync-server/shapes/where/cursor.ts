/** The parser's place in the token list, and the nesting depth its input has reached. */
import { fail } from './errors.ts';
import { whereLimits } from './limits.ts';
import { describeToken, type Token } from './tokens.ts';

export class TokenCursor {
  private index = 0;
  protected depth = 0;

  constructor(private readonly tokens: Token[]) {}

  protected peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }
  protected advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }
  protected isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }
  protected isSymbol(symbol: string): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.text === symbol;
  }
  protected expectSymbol(symbol: string, what: string): void {
    const token = this.peek();
    if (!this.isSymbol(symbol)) {
      fail(`expected "${symbol}" ${what} but found ${describeToken(token)}`, token.position);
    }
    this.advance();
  }
  /** Every construct that nests counts against one depth limit, so no input recurses deeply. */
  protected nested<T>(position: number, parse: () => T): T {
    this.depth += 1;
    if (this.depth > whereLimits.depth) {
      fail(`nesting deeper than ${whereLimits.depth} levels`, position);
    }
    const result = parse();
    this.depth -= 1;
    return result;
  }
}
