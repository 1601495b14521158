import type { Product, ProductColor } from '../../../../../shared/api.js';
import { COLOR_SHADES } from '../../product-colors.js';

// The colour of a product's tile: its own (set in Catalogue), else one kept for its category, so a
// category's tiles look alike on every till and from one day to the next. The pale shade is the
// face and the strong one the edge, so the dark name and price keep their contrast.

/** A stable pick from the palette for a category name; slate for none. */
export function categoryColour(category: string): ProductColor {
  if (category.trim() === '') return 'slate';
  let hash = 0;
  for (const char of category.trim().toLocaleLowerCase()) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  // Slate is kept for products without a category.
  const colours = (Object.keys(COLOR_SHADES) as ProductColor[]).filter((colour) => colour !== 'slate');
  return colours[hash % colours.length] ?? 'blue';
}

export function tileColour(product: Pick<Product, 'category'> & { readonly color?: ProductColor | undefined }): { readonly fill: string; readonly edge: string } {
  const shade = COLOR_SHADES[product.color ?? categoryColour(product.category)];
  return { fill: shade.pale, edge: shade.strong };
}
