import { describe, expect, it } from 'vitest';
import { isRunnableFile, revealHidden, shownFileName } from '../../../../shared/model/fileDisplay';
import type { FileMeta, TransferSummary } from '../../../../shared/model/transfer';

const file = (name: string): FileMeta => ({ name, size: 1, mediaType: 'application/pdf', date: null, description: '', md5: null });
const incoming = (name: string, extra: Partial<TransferSummary> = {}) =>
  ({ direction: 'incoming', state: 'offered', path: null, file: file(name), ...extra }) as TransferSummary;

describe('shownFileName (spoofed names, issue 7 item 8)', () => {
  it('shows a right-to-left-override name as it will be saved, and the offered one with the override visible', () => {
    // "Invoice\u202Efdp.exe" renders as "Invoiceexe.pdf" when shown raw.
    expect(shownFileName(incoming('Invoice\u202Efdp.exe'))).toEqual({ name: 'Invoicefdp.exe', offeredAs: 'Invoice⟨U+202E⟩fdp.exe' });
  });

  it('reveals every control, bidi, isolate and zero-width character of the offered name', () => {
    expect(revealHidden('a\u0007b\u200Fc\u2066d\u200Be\uFEFFf\u2028')).toBe('a⟨U+0007⟩b⟨U+200F⟩c⟨U+2066⟩d⟨U+200B⟩e⟨U+FEFF⟩f⟨U+2028⟩');
    expect(shownFileName(incoming('../../.bashrc'))).toEqual({ name: 'bashrc', offeredAs: '../../.bashrc' });
  });

  it('a plain name is shown as is, without an "offered as"', () => {
    expect(shownFileName(incoming('photo.jpg'))).toEqual({ name: 'photo.jpg', offeredAs: null });
  });

  it('a received file is shown under the name it got on disk ("photo (1).jpg")', () => {
    const done = incoming('photo.jpg', { state: 'done', path: 'C:\\Users\\bob\\Downloads\\photo (1).jpg' });
    expect(shownFileName(done)).toEqual({ name: 'photo (1).jpg', offeredAs: null });
  });

  it('an outgoing file keeps its own name, hidden characters revealed', () => {
    expect(shownFileName({ ...incoming('my\u202Etxt.exe'), direction: 'outgoing' })).toEqual({ name: 'my⟨U+202E⟩txt.exe', offeredAs: null });
  });
});

describe('isRunnableFile', () => {
  it.each(['setup.exe', 'run.BAT', 'x.ps1', 'a.sh', 'App.app', 'm.docm', 'tool.jar', 'Invoice\u202Efdp.exe', 'x.lnk'])('%s may run code', (name) => {
    expect(isRunnableFile(name)).toBe(true);
  });
  it.each(['photo.jpg', 'report.pdf', 'notes.txt', 'exe', 'archive.zip'])('%s does not', (name) => {
    expect(isRunnableFile(name)).toBe(false);
  });
});
