// `help` as a small card. As a text message the list ran into one paragraph in Teams and showed
// `<reason>` as `&lt;reason&gt;` (Teams escapes angle brackets, and a code span shows the escape).
// On a card every command and option is its own block of plain TextRuns, which Teams never reads
// as Markdown or HTML, so what to type is shown exactly as it must be typed.
import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { CommandRefused } from '../../core/commands/command-refused';
import { COMMAND_HELP, OPTION_HELP, USAGE_EXAMPLE } from '../../core/commands/parse-command';
import type { CommandHelp } from '../../core/commands/usage-line';
import { expandTemplate, type AdaptiveCardJson } from './templates';

interface Run {
  text: string;
  fontType: 'Monospace' | 'Default';
  weight: 'Bolder' | 'Default';
}

function runsOf(syntax: readonly string[]): Run[] {
  return syntax.flatMap((text, index) => {
    const typed: Run = { text, fontType: 'Monospace', weight: 'Bolder' };
    return index === 0
      ? [typed]
      : [{ text: ' or ', fontType: 'Default', weight: 'Default' }, typed];
  });
}

function entries(list: readonly CommandHelp[]) {
  return list.map((help) => ({ runs: runsOf(help.syntax), what: help.what }));
}

export function renderHelpCard(): AdaptiveCardJson {
  return expandTemplate('help', {
    title: 'Revoke: what you can ask',
    sections: [
      { heading: 'Commands (after @Revoke)', entries: entries(COMMAND_HELP) },
      { heading: 'Options of user and plan user', entries: entries(OPTION_HELP) },
      {
        heading: 'Example',
        entries: [
          { runs: runsOf([USAGE_EXAMPLE]), what: 'asks to revoke Alice, as a compromised account' },
        ],
      },
    ],
  });
}

/**
 * The reply to a message that is not a command: what was wrong, with the help card under it.
 * Undefined for any other error.
 */
export function commandRefusalReply(error: unknown): Partial<Activity> | undefined {
  if (!(error instanceof CommandRefused)) return undefined;
  return MessageFactory.attachment(CardFactory.adaptiveCard(renderHelpCard()), error.reason);
}
