const MAX_RULE_LENGTH = 300;

/**
 * A parser's or validator's message reduced to the rule it states: what it quotes of the input
 * (`but received "…"`, quoted values, source excerpts after a colon and newline) is dropped, so a
 * problem can go to a log or an endpoint without carrying any byte of the file.
 */
export function withoutContent(message: string): string {
  let rule = message.split('\n')[0] ?? '';
  rule = rule.replace(/,?\s*but received\b.*$/i, '');
  rule = rule.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '…');
  rule = rule.replace(/\s+/g, ' ').trim();
  return rule.length > MAX_RULE_LENGTH ? `${rule.slice(0, MAX_RULE_LENGTH - 1)}…` : rule;
}
