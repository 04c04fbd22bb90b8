/**
 * An account's settings (issue #11 "Settings"): pure data with defaults and one validator, shared by the
 * store (values read back from disk), the IPC boundary (values from the renderer) and the panel (inline
 * errors). Every field is checked on its own, so one bad value costs that value only.
 */
import { isAccountJid, toBareJid } from './jid';

export type Theme = 'system' | 'light' | 'dark';
export type NotificationEvent = 'offerArrived' | 'transferDone' | 'transferFailed';
/** The ways of sending a file, as the send plan names them (electron/transfer/methods/sendPlan.ts). */
export type SendMethodName = 'jingle' | 'si' | 'http-upload' | 'kontalk';

/** Takes an offer without asking when it comes from `contact` (a bare JID, or '*' for any contact), is of `mediaType` and at most `maxSizeBytes`. */
export interface AutoAcceptRule {
  contact: string;
  /** 'image/png', 'image/*' or '*' (any type). */
  mediaType: string;
  maxSizeBytes: number;
}

export interface PortRange {
  first: number;
  last: number;
}

export interface Settings {
  /** Where accepted files go; null: the host's default folder. */
  downloadDir: string | null;
  /** Ask for a folder on every accept (hosts with native dialogs) instead of using downloadDir. */
  askWhereToSave: boolean;
  /** Never applied to strangers (not in the roster with a subscription): their offers always ask. */
  autoAccept: AutoAcceptRule[];
  notifications: Record<NotificationEvent, boolean>;
  /** The SOCKS5 direct listener's ports; null: any free port. */
  socks5Ports: PortRange | null;
  /** Addresses offered for the direct streamhost besides the local ones (an external IP, a forwarded name). */
  extraAddresses: string[];
  /** XEP-0065 proxies (JIDs) added to those the server lists. */
  extraProxies: string[];
  /** Methods in the order the user prefers them: the send plan of `auto` tries them in this order (methods/sendPlan.ts). */
  methodOrder: SendMethodName[];
  theme: Theme;
  /** Tell contacts when I am typing (XEP-0085 §5.1: the user MUST be able to turn chat states off). */
  sendChatStates: boolean;
}

export const SEND_METHODS: readonly SendMethodName[] = ['jingle', 'si', 'http-upload', 'kontalk'];
export const NOTIFICATION_EVENTS: readonly NotificationEvent[] = ['offerArrived', 'transferDone', 'transferFailed'];
export const MAX_RULES = 100;
export const MAX_LIST_ITEMS = 16;

/** Settings nobody changed: ask for everything, notify on everything, any port, the method table's order. */
export function defaultSettings(): Settings {
  return {
    downloadDir: null, askWhereToSave: false, autoAccept: [],
    notifications: { offerArrived: true, transferDone: true, transferFailed: true },
    socks5Ports: null, extraAddresses: [], extraProxies: [], methodOrder: [...SEND_METHODS], theme: 'system',
    sendChatStates: true,
  };
}

export type SettingsKey = keyof Settings;
export const SETTINGS_KEYS = Object.keys(defaultSettings()) as SettingsKey[];

/** A problem with one field: which, and a sentence for the user. */
export interface SettingsProblem {
  key: SettingsKey;
  message: string;
}

const MEDIA_TYPE = /^(\*|[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]{0,126}))$/;
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]{2,45}$/i;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

/** A host name or IP literal a peer could connect to. */
export function isAddress(v: string): boolean {
  return IPV4.test(v) || (v.includes(':') && IPV6.test(v)) || HOST_NAME.test(v);
}

/** Why a rule is not usable, or null. */
export function ruleProblem(rule: unknown): string | null {
  if (!isPlainObject(rule)) return 'a rule must be an object';
  const { contact, mediaType, maxSizeBytes } = rule;
  if (typeof contact !== 'string' || (contact !== '*' && !isAccountJid(contact))) return `"${String(contact)}" is not a contact address (name@server) or *`;
  if (typeof mediaType !== 'string' || !MEDIA_TYPE.test(mediaType)) return `"${String(mediaType)}" is not a media type like image/* or application/pdf`;
  if (typeof maxSizeBytes !== 'number' || !Number.isSafeInteger(maxSizeBytes) || maxSizeBytes < 1) return 'the size limit must be a whole number of bytes above 0';
  if (Object.keys(rule).length !== 3) return 'a rule has contact, media type and size only';
  return null;
}

/** Why `value` cannot be `key`, or null when it can. */
export function settingProblem(key: SettingsKey, value: unknown): string | null {
  switch (key) {
    case 'downloadDir':
      return value === null || (typeof value === 'string' && value.length > 0 && value.length <= 4096 && !value.includes('\0')) ? null : 'the download folder must be a path';
    case 'askWhereToSave':
      return typeof value === 'boolean' ? null : 'must be on or off';
    case 'autoAccept':
      if (!Array.isArray(value)) return 'the rules must be a list';
      if (value.length > MAX_RULES) return `at most ${MAX_RULES} rules`;
      for (const [index, rule] of value.entries()) {
        const problem = ruleProblem(rule);
        if (problem) return `rule ${index + 1}: ${problem}`;
      }
      return null;
    case 'notifications':
      return isPlainObject(value) && Object.keys(value).length === NOTIFICATION_EVENTS.length
        && NOTIFICATION_EVENTS.every((event) => typeof value[event] === 'boolean') ? null : 'each notification must be on or off';
    case 'socks5Ports':
      if (value === null) return null;
      if (!isPlainObject(value) || Object.keys(value).length !== 2 || !isPort(value.first) || !isPort(value.last)) return 'ports are whole numbers from 1 to 65535';
      return value.first <= value.last ? null : 'the first port must not be above the last';
    case 'extraAddresses':
      return listProblem(value, (item) => isAddress(item), 'is not an IP address or host name');
    case 'extraProxies':
      return listProblem(value, (item) => isAccountJid(item) || (isAddress(item) && toBareJid(item) === item), 'is not a proxy address (like proxy.example.org)');
    case 'methodOrder':
      return Array.isArray(value) && value.length === SEND_METHODS.length && SEND_METHODS.every((m) => value.includes(m))
        ? null : `the order must name each of ${SEND_METHODS.join(', ')} once`;
    case 'theme':
      return value === 'system' || value === 'light' || value === 'dark' ? null : 'the theme is light, dark or system';
    case 'sendChatStates':
      return typeof value === 'boolean' ? null : 'must be on or off';
  }
}

function listProblem(value: unknown, isItem: (item: string) => boolean, says: string): string | null {
  if (!Array.isArray(value)) return 'must be a list';
  if (value.length > MAX_LIST_ITEMS) return `at most ${MAX_LIST_ITEMS} entries`;
  const bad = value.find((item) => typeof item !== 'string' || item.length > 1023 || !isItem(item));
  return bad === undefined ? null : `"${String(bad)}" ${says}`;
}

/** Every problem of a whole settings object (unknown keys included); empty when it is valid. */
export function settingsProblems(value: unknown): SettingsProblem[] {
  if (!isPlainObject(value)) return [{ key: 'theme', message: 'settings must be an object' }];
  const unknown = Object.keys(value).filter((key) => !(SETTINGS_KEYS as string[]).includes(key));
  const problems = SETTINGS_KEYS.flatMap((key) => {
    const message = settingProblem(key, value[key]);
    return message ? [{ key, message }] : [];
  });
  return unknown.length === 0 ? problems : [...problems, { key: 'theme', message: `unknown settings: ${unknown.slice(0, 5).join(', ')}` }];
}

/** True when `value` is a complete, valid Settings (the IPC check). */
export function isSettings(value: unknown): value is Settings {
  return settingsProblems(value).length === 0;
}

/**
 * Reads stored values field by field: a missing, older or hand-edited value falls back to its default,
 * and each fallback is reported (for the log), so reading never throws.
 */
export function readSettings(stored: Readonly<Record<string, unknown>>): { settings: Settings; problems: SettingsProblem[] } {
  const settings = defaultSettings() as unknown as Record<SettingsKey, unknown>;
  const problems: SettingsProblem[] = [];
  for (const key of SETTINGS_KEYS) {
    if (!Object.hasOwn(stored, key)) continue;
    const message = settingProblem(key, stored[key]);
    if (message) problems.push({ key, message });
    else settings[key] = stored[key];
  }
  return { settings: settings as unknown as Settings, problems };
}

/** Whether `mediaType` (of the file as it will be saved) matches a rule's pattern. */
export function mediaTypeMatches(pattern: string, mediaType: string): boolean {
  if (pattern === '*') return true;
  const type = mediaType.toLowerCase();
  return pattern.endsWith('/*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}

/** The first rule that takes this offer from a contact (never call it for a stranger), or null. */
export function matchingRule(rules: readonly AutoAcceptRule[], offer: { from: string; mediaType: string; size: number }): AutoAcceptRule | null {
  const bare = toBareJid(offer.from);
  return rules.find((rule) => (rule.contact === '*' || toBareJid(rule.contact) === bare)
    && mediaTypeMatches(rule.mediaType, offer.mediaType) && offer.size > 0 && offer.size <= rule.maxSizeBytes) ?? null;
}
