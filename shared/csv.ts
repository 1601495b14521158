// One CSV cell, for every CSV the edge writes (the Z report, the sales export).

/** A text a spreadsheet would run as a formula gets a leading apostrophe; amounts like "-1.00" stay numbers. */
function defused(value: string): string {
  return /^[=+\-@\t]/.test(value) && !/^-[0-9]/.test(value) ? `'${value}` : value;
}

/** A cell: defused, and quoted when it holds a quote, a comma or a line break. */
export function csvCell(raw: string): string {
  const value = defused(raw);
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
