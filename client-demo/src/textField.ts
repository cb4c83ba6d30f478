/** A text input's value from a form, trimmed ('' when absent: FormData gives File only for file inputs). */
export function textField(fields: FormData, name: string): string {
  const value = fields.get(name);
  return typeof value === 'string' ? value.trim() : '';
}
