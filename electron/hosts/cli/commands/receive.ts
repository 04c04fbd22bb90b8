import type { BareJid } from '../../../../shared/model/jid';
import { toBareJid } from '../../../../shared/model/jid';
import type { CommandSpec } from '../command';
import { withDeadline } from '../deadline';
import { EXIT } from '../exitCodes';
import { numberOption, stringOption, UsageError } from '../options';
import { CliSession, loginArgsFrom } from '../session';
import { TransferReport } from '../transferReport';
import { STREAMHOST_OPTIONS, streamhostSettings } from '../transferOptions';
import type { AcceptDecision, OfferForPolicy } from '../../../transfer/transferService';
import type { RosterItem } from '../../../../shared/model/session';
import { createAcceptPolicy } from '../../../app/acceptRules';
import { readStoredSettings } from '../storedSettings';
import type { Settings } from '../../../../shared/model/settings';

type AcceptMode = 'all' | 'roster' | 'none' | 'rules';

/** `ferry receive --dir DIR`: takes offers by the --accept rule; with --count N exits after N ended. */
export const RECEIVE_COMMAND: CommandSpec = {
  name: 'receive',
  summary: 'receive files into a folder (accept all, roster contacts only, or none)',
  options: [
    { name: 'dir', kind: 'string', valueName: 'DIR', description: 'download folder (created if missing; default: the one in the settings)' },
    {
      name: 'accept', kind: 'string', valueName: 'all|roster|none|rules',
      description: 'which offers to accept (default: the auto-accept rules in the settings if there are any, else roster; never strangers)',
    },
    { name: 'count', kind: 'number', valueName: 'N', isInteger: true, min: 1, description: 'exit after N transfers ended' },
    { name: 'prefer', kind: 'string', valueName: 'auto|ibb', description: 'transport to choose when offered several (default auto)' },
    ...STREAMHOST_OPTIONS,
  ],
  async run(context) {
    const login = loginArgsFrom(context);
    const accept = stringOption(context.args, 'accept');
    if (accept !== undefined && !['all', 'roster', 'none', 'rules'].includes(accept)) throw new UsageError('--accept must be all, roster, none or rules');
    // The flags win; what they leave open comes from the account's settings (download folder, rules).
    const dirFlag = stringOption(context.args, 'dir');
    const stored = dirFlag && accept !== undefined && accept !== 'rules' ? null : await readStoredSettings(context, login.jid);
    const dir = dirFlag ?? stored?.downloadDir ?? undefined;
    if (!dir) throw new UsageError('missing --dir DIR (and no download folder in the settings)');
    const mode = (accept ?? (stored && stored.autoAccept.length > 0 ? 'rules' : 'roster')) as AcceptMode;
    const prefer = stringOption(context.args, 'prefer') ?? 'auto';
    if (prefer !== 'auto' && prefer !== 'ibb') throw new UsageError('--prefer must be auto or ibb');
    const count = numberOption(context.args, 'count');
    const seconds = numberOption(context.args, 'timeout');
    const contacts = new Set<BareJid>();
    const roster = new Map<string, RosterItem>();
    const rules = rulesPolicy(stored, roster);
    const session = CliSession.openForTransfers(context, {
      ...streamhostSettings(context.args), downloadDir: dir, isDownloadDirFixed: true, receivePreference: prefer,
      acceptPolicy: (offer) => (mode === 'rules' ? rules(offer) : decide(mode, contacts, offer.from)),
    });
    session.core.on('roster.changed', (items) => {
      contacts.clear();
      roster.clear();
      for (const item of items) {
        roster.set(item.jid, item);
        if (item.subscription === 'both' || item.subscription === 'from') contacts.add(item.jid);
      }
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

/** The settings' auto-accept rules, as the apps apply them; what they would ask about is declined (no one to ask). */
function rulesPolicy(stored: Settings | null, roster: Map<string, RosterItem>): (offer: OfferForPolicy) => AcceptDecision {
  const policy = createAcceptPolicy({ settings: () => stored!, rosterItem: (bare) => roster.get(bare) });
  return (offer) => (stored && policy(offer) === 'accept' ? 'accept' : 'decline');
}

function decide(mode: Exclude<AcceptMode, 'rules'>, contacts: Set<BareJid>, from: string): AcceptDecision {
  if (mode === 'all') return 'accept';
  if (mode === 'none') return 'decline';
  return contacts.has(toBareJid(from)) ? 'accept' : 'decline';
}
