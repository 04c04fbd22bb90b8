import { useRef, useState, type DragEvent } from 'react';

/** The drag handlers to spread on a drop target, and whether files are being dragged over it. */
export interface FileDrop {
  isOver: boolean;
  handlers: {
    onDragEnter(event: DragEvent): void;
    onDragOver(event: DragEvent): void;
    onDragLeave(event: DragEvent): void;
    onDrop(event: DragEvent): void;
  };
}

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/**
 * Makes an element a drop target for files from the file manager. Only drags that carry files are
 * taken (text and links dragged around the page are left alone); nested children do not flicker the
 * highlight, because enter and leave are counted.
 */
export function useFileDrop(onFiles: (files: File[]) => void): FileDrop {
  const [isOver, setOver] = useState(false);
  const depth = useRef(0);
  const take = (event: DragEvent): boolean => {
    if (!hasFiles(event)) return false;
    event.preventDefault();
    event.stopPropagation();
    return true;
  };
  return {
    isOver,
    handlers: {
      onDragEnter(event) {
        if (!take(event)) return;
        depth.current += 1;
        setOver(true);
      },
      onDragOver(event) {
        if (take(event) && event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave(event) {
        if (!take(event)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      },
      onDrop(event) {
        if (!take(event)) return;
        depth.current = 0;
        setOver(false);
        const files = Array.from(event.dataTransfer?.files ?? []);
        if (files.length > 0) onFiles(files);
      },
    },
  };
}

/**
 * A file dropped beside every target would make the browser navigate to it (and leave Ferry): refuse
 * such drops page-wide. Returns the function that removes the guard.
 */
export function preventStrayDrops(target: Pick<Window, 'addEventListener' | 'removeEventListener'>): () => void {
  const refuse = (event: Event) => event.preventDefault();
  target.addEventListener('dragover', refuse);
  target.addEventListener('drop', refuse);
  return () => {
    target.removeEventListener('dragover', refuse);
    target.removeEventListener('drop', refuse);
  };
}
