import { useEffect, type RefObject } from 'react';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab and Shift+Tab inside a modal (WAI-ARIA dialog pattern): from the last focusable element Tab
 * goes to the first, from the first (or the dialog itself) Shift+Tab to the last. A dozen lines, so no
 * focus-trap package: the modal has no nested frames or portals for one to handle.
 */
export function useFocusTrap(container: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const root = container.current;
      if (event.key !== 'Tab' || !root) return;
      const items = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)];
      if (items.length === 0) { event.preventDefault(); return; }
      const first = items[0];
      const last = items[items.length - 1];
      const active = document.activeElement;
      const isOutside = !root.contains(active);
      if (event.shiftKey && (active === first || active === root || isOutside)) { event.preventDefault(); last.focus(); }
      else if (!event.shiftKey && (active === last || isOutside)) { event.preventDefault(); first.focus(); }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [container]);
}
