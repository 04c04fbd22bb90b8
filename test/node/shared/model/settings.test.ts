import { describe, expect, it } from 'vitest';
import {
  defaultSettings, isSettings, matchingRule, mediaTypeMatches, readSettings, settingProblem, settingsProblems, type Settings,
} from '../../../../shared/model/settings';

const rule = { contact: 'bob@localhost', mediaType: 'image/*', maxSizeBytes: 10_000_000 };

describe('settings model', () => {
  it('the defaults are valid and ask for everything', () => {
    const settings = defaultSettings();
    expect(isSettings(settings)).toBe(true);
    expect(settings.autoAccept).toEqual([]);
    expect(settings.theme).toBe('system');
  });

  it.each([
    ['downloadDir', '', /path/],
    ['downloadDir', 'a\0b', /path/],
    ['askWhereToSave', 'yes', /on or off/],
    ['autoAccept', [{ ...rule, contact: 'not a jid' }], /rule 1: .*not a contact address/],
    ['autoAccept', [{ ...rule, contact: 'bob@localhost/phone' }], /not a contact address/],
    ['autoAccept', [{ ...rule, mediaType: 'image' }], /media type/],
    ['autoAccept', [{ ...rule, mediaType: '<script>' }], /media type/],
    ['autoAccept', [{ ...rule, maxSizeBytes: -1 }], /size limit/],
    ['autoAccept', [{ ...rule, maxSizeBytes: 1.5 }], /size limit/],
    ['autoAccept', [{ ...rule, extra: 1 }], /contact, media type and size only/],
    ['autoAccept', Array.from({ length: 101 }, () => rule), /at most 100/],
    ['autoAccept', 'image/*', /list/],
    ['notifications', { offerArrived: true, transferDone: true }, /on or off/],
    ['notifications', { offerArrived: true, transferDone: true, transferFailed: 'no' }, /on or off/],
    ['socks5Ports', { first: 0, last: 10 }, /1 to 65535/],
    ['socks5Ports', { first: 6000, last: 5000 }, /first port/],
    ['socks5Ports', { first: 5000, last: 70000 }, /1 to 65535/],
    ['extraAddresses', ['203.0.113.9', 'bad host!'], /"bad host!" is not an IP address/],
    ['extraAddresses', Array.from({ length: 17 }, () => '10.0.0.1'), /at most 16/],
    ['extraProxies', ['bob@localhost/x'], /proxy address/],
    ['methodOrder', ['jingle', 'si'], /each of/],
    ['methodOrder', ['jingle', 'si', 'si', 'kontalk'], /each of/],
    ['theme', 'purple', /light, dark or system/],
  ] as const)('refuses %s = %j', (key, value, message) => {
    expect(settingProblem(key, value)).toMatch(message);
    expect(isSettings({ ...defaultSettings(), [key]: value })).toBe(false);
  });

  it.each([
    ['downloadDir', '/home/alice/Downloads'],
    ['autoAccept', [rule, { contact: '*', mediaType: '*', maxSizeBytes: 1 }]],
    ['socks5Ports', { first: 7777, last: 7777 }],
    ['extraAddresses', ['203.0.113.9', '2001:db8::1', 'home.example.org']],
    ['extraProxies', ['proxy.localhost']],
    ['methodOrder', ['kontalk', 'http-upload', 'si', 'jingle']],
    ['theme', 'dark'],
  ] as const)('takes %s = %j', (key, value) => {
    expect(settingProblem(key, value)).toBeNull();
  });

  it('names unknown keys and refuses what is not an object', () => {
    expect(settingsProblems({ ...defaultSettings(), evil: 1 })).toEqual([{ key: 'theme', message: 'unknown settings: evil' }]);
    expect(isSettings(null)).toBe(false);
    expect(isSettings([])).toBe(false);
  });

  it('reads stored values field by field: a bad one falls back to its default and is reported, the rest are kept', () => {
    const { settings, problems } = readSettings({ theme: 'dark', autoAccept: [{ contact: 42 }], socks5Ports: 'x', unknownKey: 1 });
    expect(settings.theme).toBe('dark');
    expect(settings.autoAccept).toEqual([]);
    expect(settings.socks5Ports).toBeNull();
    expect(problems.map((p) => p.key)).toEqual(['autoAccept', 'socks5Ports']);
  });

  it('matches media type patterns', () => {
    expect(mediaTypeMatches('image/*', 'image/png')).toBe(true);
    expect(mediaTypeMatches('image/*', 'video/mp4')).toBe(false);
    expect(mediaTypeMatches('image/*', 'imagex/png')).toBe(false);
    expect(mediaTypeMatches('application/pdf', 'application/pdf')).toBe(true);
    expect(mediaTypeMatches('*', 'video/mp4')).toBe(true);
  });

  it('a rule takes an offer only from its contact, of its type, within its size (and never of unknown size)', () => {
    const rules: Settings['autoAccept'] = [rule];
    expect(matchingRule(rules, { from: 'bob@localhost/phone', mediaType: 'image/png', size: 1000 })).toEqual(rule);
    expect(matchingRule(rules, { from: 'Bob@localhost/phone', mediaType: 'image/png', size: 1000 })).toEqual(rule);
    expect(matchingRule(rules, { from: 'carol@localhost/x', mediaType: 'image/png', size: 1000 })).toBeNull();
    expect(matchingRule(rules, { from: 'bob@localhost/phone', mediaType: 'video/mp4', size: 1000 })).toBeNull();
    expect(matchingRule(rules, { from: 'bob@localhost/phone', mediaType: 'image/png', size: 10_000_001 })).toBeNull();
    expect(matchingRule(rules, { from: 'bob@localhost/phone', mediaType: 'image/png', size: 0 })).toBeNull();
  });
});
