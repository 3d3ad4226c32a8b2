/**
 * How the where compiler refuses a clause: AppError('SHAPE_INVALID') with a message that names the
 * problem and, for the clause itself, where it is. Error positions are 1-based character numbers in
 * the clause, as Postgres reports them.
 */
import { AppError } from '../../../db/errors.ts';

/** Echoed input is cut short: a message names the problem, it does not repeat the request. */
export const clip = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
export const invalid = (message: string): AppError => new AppError('SHAPE_INVALID', message);
export const fail = (message: string, position: number): never => {
  throw invalid(`where: ${message} at position ${position}`);
};
