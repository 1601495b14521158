import type { Page } from 'playwright-core';

// The sale screen as a cashier drives it: the products or the keypad as tabs, the cart beside them
// on a tablet, in a sheet on a phone.

/** Waits for the sale screen (the header may still be checking the pairing). */
export async function saleScreen(page: Page): Promise<void> {
  await page.getByTestId('sale').waitFor();
}

/** Shows the keypad tab and taps the digits on it (in cents: 1, 2, 0, 0 is 12.00). */
export async function typeOnKeypad(page: Page, digits: string): Promise<void> {
  await page.getByRole('tab', { name: /^(Keypad|Клавиатура)/ }).click();
  const keypad = page.getByRole('group', { name: /^(Amount keypad|Клавиатура за сума)$/ });
  for (const digit of digits) await keypad.getByRole('button', { name: digit, exact: true }).click();
}

/** Shows the keypad tab and clears its amount. */
export async function clearKeypad(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /^(Keypad|Клавиатура)/ }).click();
  await page.getByRole('button', { name: /^(Clear|Изчистване)$/ }).click();
}

/** Shows the products tab. */
export async function showProducts(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /^(Products|Продукти)$/ }).click();
}

/** On a phone: opens the cart (with the tenders) from the bar at the bottom; on a tablet it is always there. */
export async function openCart(page: Page): Promise<void> {
  if ((await page.getByTestId('sale').getAttribute('data-layout')) === 'phone') await page.getByTestId('phone-bar').click();
}

/**
 * Presses Charge; if the same amount was approved on that terminal in the last two minutes, the till
 * asks first: answered "Charge again". Resolves once the payment screen shows.
 */
export async function chargeAnyway(page: Page, name: string | RegExp = /^Charge /): Promise<void> {
  await page.getByRole('button', { name }).click();
  const again = page.getByTestId('repeat-charge').getByRole('button', { name: 'Charge again' });
  await Promise.race([page.waitForURL(/\/pay\//), again.waitFor().then(() => again.click())]);
  await page.waitForURL(/\/pay\//);
}

/**
 * What sticks out of the viewport sideways: the page itself, or an element not inside a box that
 * clips or scrolls it (a row of chips that scrolls sideways is fine). Empty when all fits.
 */
export function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const clipped = (element: Element): boolean => {
      for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) if (getComputedStyle(up).overflowX !== 'visible') return true;
      return false;
    };
    const wide = [...document.querySelectorAll('body *')].filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && (box.right > width + 1 || box.left < -1) && !clipped(element);
    });
    const whole = document.documentElement.scrollWidth > window.innerWidth ? ['the page'] : [];
    return [...whole, ...wide.map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}: ${element.textContent?.trim().slice(0, 40) ?? ''}`)];
  });
}
