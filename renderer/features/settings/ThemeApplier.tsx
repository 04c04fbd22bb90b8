import { useEffect } from 'react';
import { selectTheme, useSettings } from '../../stores/settingsStore';

/**
 * Puts the chosen theme on <html data-theme>, which sets color-scheme (styles.css); 'system' removes it, so the
 * OS setting decides. Every palette colour is light-dark(), so both ways read the same palette.
 */
export function ThemeApplier() {
  const theme = useSettings(selectTheme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
  return null;
}
