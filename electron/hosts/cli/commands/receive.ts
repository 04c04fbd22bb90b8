import type { BareJid } from '../../../../shared/model/jid';
import { toBareJid } from '../../../../shared/model/jid';
import type { CommandSpec } from '../command';
import { withDeadline } from '../deadline';
import { EXIT } from '../exitCodes';
import { numberOption, stringOption, UsageError } from '../options';
import { CliSession, loginArgsFrom } from '../session';
import { TransferReport } from '../transferReport';
import { STREAMHOST_OPTIONS, streamhostSettings } from '../transferOptions';
import type { AcceptDecision } from '../../../transfer/transferService';

type AcceptMode = 'all' | 'roster' | 'none';

/** `ferry receive --dir DIR`: takes offers by the --accept rule; with --count N exits after N ended. */
export const RECEIVE_COMMAND: CommandSpec = {
  name: 'receive',
  summary: 'receive files into a folder (accept all, roster contacts only, or none)',
  options: [
    { name: 'dir', kind: 'string', valueName: 'DIR', description: 'download folder (created if missing)' },
    { name: 'accept', kind: 'string', valueName: 'all|roster|none', description: 'which offers to accept (default roster: never strangers)' },
    { name: 'count', kind: 'number', valueName: 'N', isInteger: true, min: 1, description: 'exit after N transfers ended' },
    { name: 'prefer', kind: 'string', valueName: 'auto|ibb', description: 'transport to choose when offered several (default auto)' },
    ...STREAMHOST_OPTIONS,
  ],
  async run(context) {
    const login = loginArgsFrom(context);
    const dir = stringOption(context.args, 'dir');
    if (!dir) throw new UsageError('missing --dir DIR');
    const mode = (stringOption(context.args, 'accept') ?? 'roster') as AcceptMode;
    if (!['all', 'roster', 'none'].includes(mode)) throw new UsageError('--accept must be all, roster or none');
    const prefer = stringOption(context.args, 'prefer') ?? 'auto';
    if (prefer !== 'auto' && prefer !== 'ibb') throw new UsageError('--prefer must be auto or ibb');
    const count = numberOption(context.args, 'count');
    const seconds = numberOption(context.args, 'timeout');
    const contacts = new Set<BareJid>();
    const session = CliSession.openForTransfers(context, {
      ...streamhostSettings(context.args), downloadDir: dir, receivePreference: prefer,
      acceptPolicy: ({ from }) => decide(mode, contacts, from),
    });
    session.core.on('roster.changed', (items) => {
      contacts.clear();
      for (const item of items) if (item.subscription === 'both' || item.subscription === 'from') contacts.add(item.jid);
    });
    const report = new TransferReport(session.core, context.output);
    try {
      const work = async () => {
        await session.login(login);
        context.output.note(`receiving into ${dir} as ${login.jid}; accepting ${mode}`);
        if (count === undefined) {
          await context.waitForStop();
          return EXIT.ok;
        }
        await report.until((ended) => ended.length >= count);
        return report.endedTransfers.slice(0, count).every((t) => t.state === 'done' || (mode === 'none' && t.state === 'declined')) ? EXIT.ok : EXIT.failed;
      };
      return seconds ? await withDeadline(seconds * 1000, 'receive', work) : await work();
    } finally {
      report.dispose();
      await session.dispose();
    }
  },
};

function decide(mode: AcceptMode, contacts: Set<BareJid>, from: string): AcceptDecision {
  if (mode === 'all') return 'accept';
  if (mode === 'none') return 'decline';
  return contacts.has(toBareJid(from)) ? 'accept' : 'decline';
}
