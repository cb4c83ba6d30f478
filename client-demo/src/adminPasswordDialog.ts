/** The password typed last, kept in memory only: a reload asks again. */
let remembered = '';

/**
 * Asks for the admin password in a modal dialog (Escape or Cancel closes it). Resolves to the
 * password, or undefined when the user cancels.
 */
export function askAdminPassword(action: string): Promise<string | undefined> {
  const dialog = document.getElementById('admin-dialog') as HTMLDialogElement;
  const form = dialog.querySelector('form')!;
  const input = dialog.querySelector<HTMLInputElement>('input[name="admin-password"]')!;
  dialog.querySelector('#admin-dialog-action')!.textContent = action;
  input.value = remembered;
  dialog.returnValue = '';
  dialog.showModal();
  input.select();
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        const confirmed = dialog.returnValue === 'confirm' && input.value !== '';
        if (confirmed) remembered = input.value;
        form.reset();
        resolve(confirmed ? remembered : undefined);
      },
      { once: true },
    );
  });
}

/** Forget a password the server refused, so the next prompt starts empty. */
export function forgetAdminPassword(): void {
  remembered = '';
}
