import { Command, Errors } from '@oclif/core';
import { isUserError } from '../util/user-error.js';

/**
 * Shared error handling: a UserError prints `error: …` and `hint: …` (no stack trace) and exits
 * with its code; oclif's own parse errors keep their messages and exit 2; anything else is a bug
 * and is reported as one, with the stack only under DEBUG=rushhour.
 */
export abstract class BaseCommand extends Command {
  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (isUserError(err)) {
      // oclif prefixes errors thrown while parsing a flag; the message already names the flag.
      const message = err.message.replace(/^Parsing --\S+ \n\t/, '').replace(/\nSee more help with --help$/, '');
      this.logToStderr(`error: ${message}`);
      if (err.hint) this.logToStderr(`hint: ${err.hint}`);
      return this.exit(err.exitCode);
    }
    if (err instanceof Errors.ExitError) throw err;
    if (err.oclif?.exit !== undefined) return super.catch(err);
    this.logToStderr(`internal error (a bug in rushhour, please report it): ${err.message}`);
    if (process.env.DEBUG?.includes('rushhour')) this.logToStderr(err.stack ?? '');
    return this.exit(70);
  }
}
