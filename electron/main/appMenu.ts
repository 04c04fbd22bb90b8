/**
 * The application menu. Electron's default menu has View → Toggle Developer Tools (and Reload); a
 * packaged Ferry gets a menu without the View menu, so DevTools is not one click away for a user.
 */
import type { MenuItemConstructorOptions } from 'electron';

/** The menu template: Electron's own roles, minus View (devtools, reload, zoom) when packaged. */
export function appMenuTemplate(options: { isPackaged: boolean; platform: NodeJS.Platform }): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [];
  if (options.platform === 'darwin') template.push({ role: 'appMenu' });
  template.push({ role: 'fileMenu' }, { role: 'editMenu' });
  if (!options.isPackaged) template.push({ role: 'viewMenu' });
  template.push({ role: 'windowMenu' });
  return template;
}

/** Whether a menu template, at any depth, offers DevTools (role toggleDevTools or the View menu that has it). */
export function menuOffersDevTools(template: MenuItemConstructorOptions[]): boolean {
  return template.some((item) => item.role === 'toggleDevTools' || item.role === 'viewMenu'
    || (Array.isArray(item.submenu) && menuOffersDevTools(item.submenu)));
}
