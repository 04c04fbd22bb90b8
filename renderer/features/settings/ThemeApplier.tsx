import { useEffect } from 'react';
import { selectTheme, useSettings } from '../../stores/settingsStore';

/** Puts the chosen theme on <html data-theme> (styles.css); 'system' removes it, so prefers-color-scheme decides. */
export function ThemeApplier() {
  const theme = useSettings(selectTheme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
  return null;
}
