/**
 * Keyboard rules for offer cards in the timeline (issue 11):
 * - The newest pending offer card takes focus when it arrives or when its chat opens, unless the user is
 *   in an editable field (typing in the composer, a search or a settings field: those keep focus, since
 *   a keystroke meant for them would land on the card, and Enter there would accept a file) or in a
 *   dialog (the stranger's offer, settings). The card is announced by the timeline's live region anyway.
 * - Enter on a focused card accepts it (a batch card: accepts all). Enter on a button inside is that button.
 * - Esc moves focus back to the composer. It never declines anything.
 */
import type { KeyboardEvent } from 'react';

function isEditable(element: Element): boolean {
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  if (element instanceof HTMLInputElement) return !['button', 'submit', 'reset', 'checkbox', 'radio'].includes(element.type);
  return element instanceof HTMLElement && element.isContentEditable;
}

/** Whether a newly arrived offer card may take focus from `active` (document.activeElement). */
export function canTakeFocus(active: Element | null, timeline: Element | null): boolean {
  if (!active || active === active.ownerDocument.body) return true;
  if (timeline?.contains(active)) return true;
  if (isEditable(active)) return false;
  return active.closest('[role="dialog"]') === null;
}

/** Focuses the message box of the chat that holds `from`, if there is one. */
export function focusComposer(from: Element): void {
  from.closest('.chat')?.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus();
}

/** The keydown handler of an offer card: Enter on the card itself runs `onEnter`; Esc goes to the composer. */
export function offerCardKeys(onEnter: () => void) {
  return (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      focusComposer(event.currentTarget);
    } else if (event.key === 'Enter' && event.target === event.currentTarget) {
      event.preventDefault();
      onEnter();
    }
  };
}
